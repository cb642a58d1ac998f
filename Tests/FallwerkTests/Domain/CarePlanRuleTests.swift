@testable import FallwerkDomain
import Testing

/// R3–R6: the care plan cycle's deadlines, with the settings of seed 004 (Magdeburg) and seed 001 (MoPäD).
/// Pure domain, "today" always pinned.
extension AllTests {
    @Suite("Care plan deadlines R3–R6")
    struct CarePlanRuleTests {
        typealias F = DomainFixtures

        /// Seed 004: 6 months, half-yearly, report 14 days ahead, plan and cost approval 14 days, specification 6–8 weeks.
        static let seed004 = AgreementSettings.defaults
        /// Seed 001: the MoPäD offer reviews first after 3 months (8-week getting-to-know phase), under the same agreement.
        static let mopaed = Offer(name: "MoPäD", legalBasis: "§ 30 SGB VIII", firstReviewMonths: 3)

        static func meeting(_ kind: CarePlanMeetingKind, _ date: String, held: Bool = true, movedTo: String? = nil,
                            scheduledOn: String? = nil, reason: String? = nil) -> CarePlanMeeting {
            CarePlanMeeting(date: F.day(date), kind: kind, state: held ? .held : .planned,
                            nextReviewMovedTo: movedTo.map(F.day), scheduledOn: scheduledOn.map(F.day), reportMissingReason: reason)
        }

        static func report(_ kind: ReportKind, _ date: String) -> FinishedReport { FinishedReport(kind: kind, finishedOn: F.day(date)) }

        static func deadlines(start: String = "2026-09-01", end: String? = nil, reason: EndReason? = nil,
                              meetings: [CarePlanMeeting]? = nil, reports: [FinishedReport] = [],
                              documents: [ReceivedDocument] = [], settings: AgreementSettings = seed004,
                              offer: Offer? = nil, today: String) -> [Deadline] {
            Deadlines.compute(startDate: F.day(start), endDate: end.map(F.day), endReason: reason,
                              meetings: meetings ?? [meeting(.initial, start)], reports: reports, documents: documents,
                              settings: settings, offer: offer, today: F.day(today))
        }

        static func item(_ key: String, in items: [Deadline]) -> Deadline? { items.first { $0.key == key } }

        // MARK: R3

        @Test("R3 first review 6 months after start, clamped at month end (31 Aug 2026 → 28 Feb 2027, 31 Aug 2027 → 29 Feb 2028)",
              arguments: [("2026-08-31", "2027-02-28"), ("2027-08-31", "2028-02-29"), ("2026-09-15", "2027-03-15")])
        func firstReviewMonthEnd(start: String, expected: String) throws {
            // given a case started on `start` under seed 004's settings
            // when
            let items = Self.deadlines(start: start, today: start)
            // then
            let review = try #require(Self.item("review:1", in: items))
            #expect(review.due == F.day(expected))
            #expect(review.status == .open)
            #expect(review.refersTo == .caseStart(F.day(start)))
        }

        @Test("R3 MoPäD: the offer's first review after 3 months wins over the agreement's 6 [001]")
        func mopaedFirstReview() throws {
            // given a MoPäD case started on 31 August
            let items = Self.deadlines(start: "2026-08-31", offer: Self.mopaed, today: "2026-09-01")
            // then the first review is 3 months later, clamped to 30 November
            #expect(Self.item("review:1", in: items)?.due == F.day("2026-11-30"))
            #expect(Self.item("progressReport:1", in: items)?.due == F.day("2026-11-16"))
            // and without the offer it is the agreement's 6 months
            #expect(Self.item("review:1", in: Self.deadlines(start: "2026-08-31", today: "2026-09-01"))?.due == F.day("2027-02-28"))
            #expect(Self.seed004.applying(nil) == Self.seed004)
        }

        @Test("R3 later reviews every reviewIntervalMonths after the last held review [004: halbjährlich]")
        func laterReviews() throws {
            // given the first review held a little early, on 20 February 2027, with its report
            let meetings = [Self.meeting(.initial, "2026-09-01"), Self.meeting(.review, "2027-02-20")]
            // when
            let items = Self.deadlines(meetings: meetings, reports: [Self.report(.progress, "2027-02-05")], today: "2027-03-01")
            // then review 1 is done on its day and review 2 is six months after it, not after the rule's day
            let first = try #require(Self.item("review:1", in: items))
            #expect(first.status == .done && first.doneOn == F.day("2027-02-20"))
            #expect(Self.item("review:2", in: items)?.due == F.day("2027-08-20"))
            #expect(Self.item("progressReport:2", in: items)?.due == F.day("2027-08-06"))
            // and a different interval is the agreement's setting
            var quarterly = Self.seed004
            quarterly.reviewIntervalMonths = 3
            let other = Self.deadlines(meetings: meetings, reports: [Self.report(.progress, "2027-02-05")], settings: quarterly, today: "2027-03-01")
            #expect(Self.item("review:2", in: other)?.due == F.day("2027-05-20"))
        }

        @Test("R3 MoPäD: after the 3-month review the agreement's half-yearly interval applies [001, 004]")
        func mopaedLaterReviews() {
            let meetings = [Self.meeting(.initial, "2026-08-31"), Self.meeting(.review, "2026-11-30")]
            let items = Self.deadlines(start: "2026-08-31", meetings: meetings, reports: [Self.report(.progress, "2026-11-16")],
                                       offer: Self.mopaed, today: "2026-12-01")
            #expect(Self.item("review:2", in: items)?.due == F.day("2027-05-30"))
        }

        @Test("R3 a review may be moved earlier (crisis); its report moves with it and the key stays the same [004]")
        func movedEarlier() throws {
            // given a crisis: at the specification on 15 October the review is brought forward to 15 January
            let regular = Self.deadlines(today: "2026-10-20")
            let meetings = [Self.meeting(.initial, "2026-09-01"), Self.meeting(.specification, "2026-10-15", movedTo: "2027-01-15")]
            // when
            let moved = Self.deadlines(meetings: meetings, today: "2026-10-20")
            // then
            let review = try #require(Self.item("review:1", in: moved))
            #expect(review.due == F.day("2027-01-15"))
            #expect(review.regularDue == F.day("2027-03-01"))
            #expect(review.title.contains("vorgezogen"))
            #expect(Self.item("progressReport:1", in: moved)?.due == F.day("2027-01-01"))
            #expect(Self.item("review:1", in: regular)?.key == review.key)
            #expect(Self.item("review:1", in: regular)?.regularDue == nil)
        }

        @Test("R3 a review planned before the rule's day moves it earlier; one planned later leaves the due day but the report prepares the meeting")
        func plannedReview() {
            let earlier = Self.deadlines(meetings: [Self.meeting(.initial, "2026-09-01"), Self.meeting(.review, "2026-12-10", held: false)], today: "2026-10-01")
            #expect(Self.item("review:1", in: earlier)?.due == F.day("2026-12-10"))
            #expect(Self.item("progressReport:1", in: earlier)?.due == F.day("2026-11-26"))
            let later = Self.deadlines(meetings: [Self.meeting(.initial, "2026-09-01"), Self.meeting(.review, "2027-03-10", held: false)], today: "2026-10-01")
            #expect(Self.item("review:1", in: later)?.due == F.day("2027-03-01"))
            #expect(Self.item("progressReport:1", in: later)?.due == F.day("2027-02-24"))
        }

        // MARK: R4

        @Test("R4 progress report due reportLeadDays (14) before the review: open on the day, overdue the day after, done when finished [003, 004]")
        func progressReportDue() throws {
            let key = "progressReport:1"
            #expect(Self.item(key, in: Self.deadlines(today: "2027-02-15"))?.status == .open)
            let late = try #require(Self.item(key, in: Self.deadlines(today: "2027-02-16")))
            #expect(late.due == F.day("2027-02-15"))
            #expect(late.status == .overdue)
            let done = Self.item(key, in: Self.deadlines(reports: [Self.report(.progress, "2027-02-10")], today: "2027-02-16"))
            #expect(done?.status == .done && done?.doneOn == F.day("2027-02-10"))
            // a report of another kind does not count
            #expect(Self.item(key, in: Self.deadlines(reports: [Self.report(.status, "2027-02-10")], today: "2027-02-16"))?.status == .overdue)
            var longer = Self.seed004
            longer.reportLeadDays = 21
            #expect(Self.item(key, in: Self.deadlines(settings: longer, today: "2026-10-01"))?.due == F.day("2027-02-08"))
        }

        @Test("R4 the report is due no earlier than the day the meeting's date became known [003: sofern rechtzeitig bekannt]")
        func reportNotBeforeKnown() {
            let meetings = [Self.meeting(.initial, "2026-09-01"), Self.meeting(.review, "2027-03-01", held: false, scheduledOn: "2027-02-22")]
            #expect(Self.item("progressReport:1", in: Self.deadlines(meetings: meetings, today: "2027-02-20"))?.due == F.day("2027-02-22"))
        }

        @Test("R4 a report finished before the previous review does not count for the next one")
        func reportBelongsToItsReview() {
            let meetings = [Self.meeting(.initial, "2026-09-01"), Self.meeting(.review, "2027-03-01")]
            let items = Self.deadlines(meetings: meetings, reports: [Self.report(.progress, "2027-02-10")], today: "2027-08-20")
            #expect(Self.item("progressReport:1", in: items)?.status == .done)
            #expect(Self.item("progressReport:2", in: items)?.status == .overdue)
        }

        @Test("R4 recording a review as held without its progress report warns and needs a reason")
        func reviewNeedsReason() {
            let start = F.day("2026-09-01"), review = F.day("2027-03-01")
            let others = [Self.meeting(.initial, "2026-09-01")]
            // given no report: a reason is required, in German
            let missing = CarePlanRules.checkReviewReport(reviewOn: review, startDate: start, meetings: others, reports: [], reason: nil)
            #expect(missing == .reasonRequired(warning: CarePlanRules.reportMissingWarning))
            #expect(missing.blocksSaving)
            #expect(CarePlanRules.reportMissingWarning.contains("Entwicklungsbericht"))
            // a blank reason is no reason; a real one is recorded
            #expect(CarePlanRules.checkReviewReport(reviewOn: review, startDate: start, meetings: others, reports: [], reason: "  ").blocksSaving)
            #expect(CarePlanRules.checkReviewReport(reviewOn: review, startDate: start, meetings: others, reports: [], reason: "Bericht krankheitsbedingt verspätet")
                    == .explained(reason: "Bericht krankheitsbedingt verspätet"))
            // a report finished on time is enough; one finished after the review is not
            #expect(CarePlanRules.checkReviewReport(reviewOn: review, startDate: start, meetings: others,
                                                    reports: [Self.report(.progress, "2027-02-14")], reason: nil) == .reportPresent)
            #expect(CarePlanRules.checkReviewReport(reviewOn: review, startDate: start, meetings: others,
                                                    reports: [Self.report(.progress, "2027-03-02")], reason: nil).blocksSaving)
        }

        @Test("R4 the meeting form refuses a held review without report or reason, and the deadline shows the recorded reason")
        func reviewFormAndWaived() throws {
            var input = CarePlanMeetingInput()
            input.date = "2027-03-01"
            input.kind = "review"
            input.state = "held"
            var v = Validator()
            let refused = input.validated(into: &v, startDate: F.day("2026-09-01"), endDate: nil,
                                          others: [Self.meeting(.initial, "2026-09-01")], reports: [], today: F.day("2027-03-02"))
            #expect(refused == nil)
            #expect(ValidationFailure(v.errors).message(for: "reportMissingReason") == CarePlanRules.reportMissingWarning)

            input.reportMissingReason = "Jugendamt hat den Termin kurzfristig vorgezogen"
            var ok = Validator()
            let meeting = try #require(input.validated(into: &ok, startDate: F.day("2026-09-01"), endDate: nil,
                                                       others: [Self.meeting(.initial, "2026-09-01")], reports: [], today: F.day("2027-03-02")))
            let items = Self.deadlines(meetings: [Self.meeting(.initial, "2026-09-01"), meeting], today: "2027-03-02")
            let report = try #require(Self.item("progressReport:1", in: items))
            #expect(report.status == .waived)
            #expect(report.note?.contains("kurzfristig vorgezogen") == true)
            #expect(Deadlines.upcoming(items, today: F.day("2027-03-02")).contains { $0.key == report.key } == false)
        }

        // MARK: R5

        @Test("R5 signed care plan and cost approval within 14 days after the first plan and after each review [004]")
        func documents() throws {
            let meetings = [Self.meeting(.initial, "2026-09-01"), Self.meeting(.review, "2027-03-01")]
            let documents = [ReceivedDocument(kind: .signedCarePlan, receivedOn: F.day("2026-09-10")),
                             ReceivedDocument(kind: .costApproval, receivedOn: F.day("2027-03-05"))]
            let items = Self.deadlines(meetings: meetings, reports: [Self.report(.progress, "2027-02-15")], documents: documents, today: "2027-03-20")
            let plans = items.filter { $0.kind == .signedCarePlan }
            let approvals = items.filter { $0.kind == .costApproval }
            #expect(plans.map(\.due) == [F.day("2026-09-15"), F.day("2027-03-15")])
            #expect(plans.map(\.status) == [.done, .overdue])
            #expect(approvals.map(\.due) == [F.day("2026-09-15"), F.day("2027-03-15")])
            #expect(approvals.map(\.status) == [.overdue, .done])
            #expect(plans[0].title == "Unterschriebener Hilfeplan zum Hilfeplangespräch am 01.09.2026")
            // the agreement may set other periods
            var slower = Self.seed004
            slower.planDocumentDays = 21
            slower.costApprovalDays = 28
            let other = Self.deadlines(settings: slower, today: "2026-09-02")
            #expect(other.first { $0.kind == .signedCarePlan }?.due == F.day("2026-09-22"))
            #expect(other.first { $0.kind == .costApproval }?.due == F.day("2026-09-29"))
        }

        @Test("R5 a document naming its meeting completes only that meeting's deadline")
        func documentForNamedMeeting() {
            var initial = Self.meeting(.initial, "2026-09-01")
            initial.id = "m1"
            let review = Self.meeting(.review, "2027-03-01")
            let late = ReceivedDocument(kind: .signedCarePlan, receivedOn: F.day("2027-03-05"), meetingKey: "m1")
            let items = Self.deadlines(meetings: [initial, review], reports: [Self.report(.progress, "2027-02-15")], documents: [late], today: "2027-03-20")
            #expect(Self.item("signedCarePlan:m1", in: items)?.doneOn == F.day("2027-03-05"))
            #expect(Self.item("signedCarePlan:\(review.key)", in: items)?.status == .overdue)
        }

        @Test("R5 specification window 6–8 weeks after the first plan, done by a held specification [004]")
        func specificationWindow() throws {
            let open = try #require(Self.deadlines(today: "2026-10-27").first { $0.kind == .specification })
            #expect(open.windowStart == F.day("2026-10-13"))
            #expect(open.due == F.day("2026-10-27"))
            #expect(open.status == .open)
            #expect(Self.deadlines(today: "2026-10-28").first { $0.kind == .specification }?.status == .overdue)
            let held = Self.deadlines(meetings: [Self.meeting(.initial, "2026-09-01"), Self.meeting(.specification, "2026-10-20")], today: "2026-11-01")
            #expect(held.first { $0.kind == .specification }?.doneOn == F.day("2026-10-20"))
            // only after the first plan, not after every review
            let withReview = Self.deadlines(meetings: [Self.meeting(.initial, "2026-09-01"), Self.meeting(.review, "2027-03-01")], today: "2027-03-02")
            #expect(withReview.filter { $0.kind == .specification }.count == 1)
        }

        @Test("R5 a planned first plan creates no document or specification deadlines yet")
        func plannedCreatesNothing() {
            let items = Self.deadlines(meetings: [Self.meeting(.initial, "2026-09-10", held: false)], today: "2026-09-01")
            #expect(items.allSatisfy { $0.kind == .review || $0.kind == .progressReport })
        }

        @Test("R3–R5 the whole cycle with the settings of seed 004 and seed 001",
              arguments: [("004", nil, "2027-02-28", "2027-02-14"), ("001", "MoPäD", "2026-11-30", "2026-11-16")] as [(String, String?, String, String)])
        func wholeCycle(seed: String, offerName: String?, review: String, report: String) {
            let offer = offerName == nil ? nil : Self.mopaed
            let items = Self.deadlines(start: "2026-08-31", offer: offer, today: "2026-08-31")
            let due = Dictionary(items.map { ($0.kind, $0.due) }, uniquingKeysWith: min)
            #expect(due[.signedCarePlan] == F.day("2026-09-14"), "seed \(seed)")
            #expect(due[.costApproval] == F.day("2026-09-14"), "seed \(seed)")
            #expect(due[.specification] == F.day("2026-10-26"), "seed \(seed)")
            #expect(items.first { $0.kind == .specification }?.windowStart == F.day("2026-10-12"), "seed \(seed)")
            #expect(due[.review] == F.day(review), "seed \(seed)")
            #expect(due[.progressReport] == F.day(report), "seed \(seed)")
            #expect(items.allSatisfy { $0.status == .open })
        }

        // MARK: R6

        @Test("R6 ending a case removes future deadlines and makes the final report due [000]")
        func endRemovesFuture() throws {
            let meetings = [Self.meeting(.initial, "2026-09-01"), Self.meeting(.specification, "2026-10-20")]
            let running = Self.deadlines(meetings: meetings, today: "2027-01-20")
            #expect(running.contains { $0.kind == .review && $0.isPending })
            // when the case ends on 31 January for goals reached
            let ended = Self.deadlines(end: "2027-01-31", reason: .goalsReached, meetings: meetings, today: "2027-02-01")
            // then no review or progress report is left, history stays, and the final report is due 14 days later
            #expect(!ended.contains { $0.kind == .review || $0.kind == .progressReport })
            #expect(ended.first { $0.kind == .specification }?.status == .done)
            #expect(ended.contains { $0.kind == .signedCarePlan })
            let final = try #require(ended.first { $0.kind == .finalReport })
            #expect(final.due == F.day("2027-02-14"))
            #expect(final.refersTo == .caseEnd(F.day("2027-01-31"), .goalsReached))
            #expect(final.title == "Abschlussbericht zum Hilfeende am 31.01.2027 (Ziele erreicht)")
            #expect(ended.filter { $0.kind == .finalReport || $0.kind == .shortReport || $0.kind == .statusReport }.count == 1)
        }

        @Test("R6 a planned end keeps deadlines due before it and drops those after it")
        func plannedEnd() {
            let before = Self.deadlines(end: "2027-03-15", reason: .goalsReached, today: "2027-01-10")
            #expect(before.contains { $0.key == "review:1" })
            #expect(before.contains { $0.key == "progressReport:1" })
            let after = Self.deadlines(end: "2027-02-20", reason: .goalsReached, today: "2027-01-10")
            #expect(!after.contains { $0.key == "review:1" || $0.key == "progressReport:1" })
            #expect(after.contains { $0.kind == .finalReport })
        }

        @Test("R6 lack of cooperation needs the short final report; a change of help type a status report and a final report [004]",
              arguments: [(EndReason.lackOfCooperation, [DeadlineKind.shortReport]),
                          (.changeOfHelpType, [.statusReport, .finalReport]),
                          (.movedAway, [.finalReport]), (.other, [.finalReport]), (.goalsReached, [.finalReport])])
        func requiredEndReports(reason: EndReason, kinds: [DeadlineKind]) {
            let items = Self.deadlines(end: "2027-01-31", reason: reason, today: "2027-02-01")
            let reports = items.filter { [.finalReport, .shortReport, .statusReport].contains($0.kind) }
            #expect(Set(reports.map(\.kind)) == Set(kinds))
            #expect(reports.allSatisfy { $0.status == .open })
        }

        @Test("R6 the end reports are done by their own kind; a full final report also covers the short one")
        func endReportsDone() {
            let status = Self.deadlines(end: "2027-01-31", reason: .changeOfHelpType, reports: [Self.report(.status, "2027-01-25")], today: "2027-03-01")
            #expect(status.first { $0.kind == .statusReport }?.status == .done)
            #expect(status.first { $0.kind == .finalReport }?.status == .overdue)
            let short = Self.deadlines(end: "2027-01-31", reason: .lackOfCooperation, reports: [Self.report(.final, "2027-02-03")], today: "2027-03-01")
            #expect(short.first { $0.kind == .shortReport }?.status == .done)
            let wrong = Self.deadlines(end: "2027-01-31", reason: .goalsReached, reports: [Self.report(.short, "2027-02-03")], today: "2027-03-01")
            #expect(wrong.first { $0.kind == .finalReport }?.status == .overdue)
        }

        @Test("R6 with a closing meeting the end report is due reportLeadDays before it")
        func closingMeeting() {
            let meetings = [Self.meeting(.initial, "2026-09-01"), Self.meeting(.closing, "2027-01-25", held: false)]
            let items = Self.deadlines(end: "2027-01-31", reason: .goalsReached, meetings: meetings, today: "2027-01-02")
            #expect(items.first { $0.kind == .finalReport }?.due == F.day("2027-01-11"))
        }

        // MARK: The deadlines page

        @Test("Deadlines within the next 8 weeks, overdue first, done and later ones left out")
        func upcoming() {
            // given: signed plan and cost approval overdue since 15 Sept, specification due 27 Oct, review 1 March
            let items = Self.deadlines(documents: [ReceivedDocument(kind: .signedCarePlan, receivedOn: F.day("2026-09-05"))], today: "2026-10-01")
            // when
            let page = Deadlines.upcoming(items, today: F.day("2026-10-01"))
            // then
            #expect(page.map(\.kind) == [.costApproval, .specification])
            #expect(page.first?.status == .overdue)
            let later = Deadlines.upcoming(items, today: F.day("2026-10-01"), weeks: 20)
            #expect(later.map(\.kind) == [.costApproval, .specification, .progressReport])
            let allOverdue = Deadlines.upcoming(Self.deadlines(today: "2026-10-30"), today: F.day("2026-10-30"))
            #expect(allOverdue.map(\.status) == [.overdue, .overdue, .overdue])
            #expect(allOverdue.map(\.kind) == [.signedCarePlan, .costApproval, .specification])
        }

        // MARK: Meeting input

        static func validate(_ kind: String, _ date: String, state: String = "planned", others: [CarePlanMeeting] = [],
                             end: String? = nil, movedTo: String? = nil, scheduledOn: String? = nil,
                             today: String = "2026-12-01") -> (CarePlanMeeting?, ValidationFailure) {
            var input = CarePlanMeetingInput()
            input.kind = kind
            input.date = date
            input.state = state
            input.nextReviewMovedTo = movedTo
            input.scheduledOn = scheduledOn
            var v = Validator()
            let result = input.validated(into: &v, startDate: F.day("2026-09-01"), endDate: end.map(F.day), others: others,
                                         reports: [], today: F.day(today))
            return (result, ValidationFailure(v.errors))
        }

        @Test("Meeting input: a day outside the case period is refused in German")
        func outsidePeriod() {
            let before = Self.validate("initial", "2026-08-31")
            #expect(before.0 == nil)
            #expect(before.1.message(for: "date") == "Das Gespräch kann nicht vor dem Beginn der Hilfe (01.09.2026) liegen.")
            let after = Self.validate("closing", "2027-02-01", others: [Self.meeting(.initial, "2026-09-01")], end: "2027-01-31")
            #expect(after.1.message(for: "date") == "Das Gespräch kann nicht nach dem Ende der Hilfe (31.01.2027) liegen.")
            #expect(Self.validate("initial", "2026-09-01").0 != nil)
        }

        @Test("Meeting input: a review before the first plan, or without one, is refused")
        func reviewBeforeFirstPlan() {
            let before = Self.validate("review", "2026-09-05", others: [Self.meeting(.initial, "2026-09-10", held: false)])
            #expect(before.1.message(for: "date") == "Eine Hilfeplanfortschreibung kann nicht vor dem ersten Hilfeplangespräch (10.09.2026) liegen.")
            let without = Self.validate("review", "2027-03-01")
            #expect(without.1.message(for: "kind") == "Bitte zuerst das erste Hilfeplangespräch erfassen.")
            let second = Self.validate("initial", "2026-10-01", others: [Self.meeting(.initial, "2026-09-01")])
            #expect(second.1.message(for: "kind") == "Für diese Hilfe gibt es bereits ein erstes Hilfeplangespräch.")
            let afterClosing = Self.validate("review", "2027-02-01", others: [Self.meeting(.initial, "2026-09-01"), Self.meeting(.closing, "2027-01-20")])
            #expect(afterClosing.1.message(for: "date")?.hasPrefix("Nach dem Abschlussgespräch") == true)
        }

        @Test("Meeting input: dates out of order, a held meeting in the future and unknown values are refused")
        func datesOutOfOrder() {
            let initial = [Self.meeting(.initial, "2026-09-01")]
            let moved = Self.validate("specification", "2026-10-15", others: initial, movedTo: "2026-10-01")
            #expect(moved.1.message(for: "nextReviewMovedTo") == "Die vorgezogene Fortschreibung muss nach diesem Gespräch liegen.")
            let known = Self.validate("review", "2027-03-01", others: initial, scheduledOn: "2027-03-02")
            #expect(known.1.message(for: "scheduledOn") == "Der Termin kann nicht erst nach dem Gespräch bekannt geworden sein.")
            let future = Self.validate("specification", "2026-12-02", state: "held", others: initial)
            #expect(future.1.message(for: "state") == "Ein Gespräch in der Zukunft kann noch nicht stattgefunden haben.")
            #expect(Self.validate("party", "2026-10-01", others: initial).1.message(for: "kind") == "Diese Art des Hilfeplangesprächs ist unbekannt.")
            #expect(Self.validate("review", "01.03.2027", others: initial).1.message(for: "date")?.contains("JJJJ-MM-TT") == true)
            let earliest = Self.validate("initial", "2026-10-01", others: [Self.meeting(.specification, "2026-09-20")])
            #expect(earliest.1.message(for: "date")?.contains("vor allen anderen Gesprächen") == true)
        }
    }
}
