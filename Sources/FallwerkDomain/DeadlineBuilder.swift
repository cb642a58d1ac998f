/// The rules behind `Deadlines.compute` (R3–R6), one method per rule.
struct DeadlineBuilder {
    let facts: DeadlineFacts
    let today: Day
    let meetings: [CarePlanMeeting]
    var out: [Deadline] = []

    init(facts: DeadlineFacts, today: Day) {
        self.facts = facts
        self.today = today
        self.meetings = facts.meetings.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
    }

    var settings: AgreementSettings { facts.settings }

    /// R6: once a case has ended, or for whatever falls after its end, nothing of the running cycle is
    /// due any more ("future deadlines disappear"); what was done stays as history.
    func droppedByEnd(due: Day, done: Bool) -> Bool {
        guard let end = facts.endDate, !done else { return false }
        return due > end || today > end
    }

    mutating func add(_ key: String, _ kind: DeadlineKind, due: Day, windowStart: Day? = nil, regularDue: Day? = nil,
                      refersTo: DeadlineReference, doneOn: Day?, title: String, note: String? = nil, waived: Bool = false) {
        let status: DeadlineStatus = waived && doneOn == nil ? .waived : Deadlines.status(due: due, doneOn: doneOn, today: today)
        out.append(Deadline(key: "\(kind.rawValue):\(key)", kind: kind, due: due, windowStart: windowStart,
                            regularDue: regularDue, refersTo: refersTo, doneOn: doneOn, status: status,
                            title: title, note: note))
    }

    // MARK: R5 signed plan and cost approval

    /// The held meeting a document belongs to: the one it names, else the latest plan meeting held on or
    /// before it arrived.
    func owner(of document: ReceivedDocument, among planMeetings: [CarePlanMeeting]) -> CarePlanMeeting? {
        if let key = document.meetingKey { return planMeetings.first { $0.key == key } }
        return planMeetings.last { $0.date <= document.receivedOn }
    }

    mutating func documents() {
        let planMeetings = meetings.filter { $0.isHeld && $0.kind.producesSignedPlan }
        for meeting in planMeetings {
            for (kind, days) in [(CarePlanDocumentKind.signedCarePlan, settings.planDocumentDays),
                                 (.costApproval, settings.costApprovalDays)] {
                let received = facts.documents
                    .filter { $0.kind == kind && owner(of: $0, among: planMeetings) == meeting }
                    .map(\.receivedOn).min()
                let deadlineKind: DeadlineKind = kind == .signedCarePlan ? .signedCarePlan : .costApproval
                add(meeting.key, deadlineKind, due: meeting.date.adding(days: days),
                    refersTo: .meeting(key: meeting.key, kind: meeting.kind, date: meeting.date), doneOn: received,
                    title: "\(deadlineKind.german) \(meeting.kind.germanDative) am \(meeting.date.german)")
            }
        }
    }

    // MARK: R5 specification

    /// [004]: "Die Hilfeplankonkretisierung findet … spätestens 6–8 Wochen nach dem Hilfeplangespräch
    /// statt": after the first plan only; a specification held earlier still counts.
    mutating func specification() {
        guard let initial = meetings.first(where: { $0.kind == .initial && $0.isHeld }) else { return }
        let windowStart = initial.date.adding(days: 7 * settings.specificationWeeksFrom)
        let due = initial.date.adding(days: 7 * max(settings.specificationWeeksTo, settings.specificationWeeksFrom))
        let held = meetings.filter { $0.kind == .specification && $0.isHeld && $0.date >= initial.date }.map(\.date)
        let received = facts.documents.filter { $0.kind == .specification && $0.receivedOn >= initial.date }.map(\.receivedOn)
        let doneOn = (held + received).min()
        if droppedByEnd(due: due, done: doneOn != nil) { return }
        add(initial.key, .specification, due: due, windowStart: windowStart,
            refersTo: .meeting(key: initial.key, kind: initial.kind, date: initial.date), doneOn: doneOn,
            title: "Hilfeplankonkretisierung zum Hilfeplangespräch am \(initial.date.german)",
            note: "Zeitraum \(windowStart.german) bis \(due.german) (\(settings.specificationWeeksFrom)–\(settings.specificationWeeksTo) Wochen)")
    }

    // MARK: R3 reviews and R4 progress reports

    /// The earliest day a meeting since `anchor` moved the next review to, if that is after `anchor`.
    func movedTo(since anchor: Day, before limit: Day?) -> Day? {
        meetings
            .filter { meeting in meeting.date >= anchor && (limit.map { meeting.date < $0 } ?? true) }
            .compactMap(\.nextReviewMovedTo)
            .filter { $0 > anchor }
            .min()
    }

    /// R4 [003, 004]: `reportLeadDays` before the meeting; but not before the provider knew its date
    /// [003: "sofern dem Leistungsanbieter der Termin rechtzeitig bekannt ist"].
    func reportDue(meetingDay: Day, scheduledOn: Day?) -> Day {
        let due = meetingDay.adding(days: -settings.reportLeadDays)
        if let scheduledOn, scheduledOn > due { return min(scheduledOn, meetingDay) }
        return due
    }

    /// The first progress report finished for a review: after the previous review (or from the start)
    /// up to `until`.
    func progressReport(after anchor: Day, first: Bool, until: Day?) -> Day? {
        facts.reports
            .filter { $0.kind == .progress && (first ? $0.finishedOn >= anchor : $0.finishedOn > anchor) }
            .filter { report in until.map { report.finishedOn <= $0 } ?? true }
            .map(\.finishedOn).min()
    }

    mutating func reviews() {
        var anchor = facts.startDate
        var anchorReference = DeadlineReference.caseStart(facts.startDate)
        var months = settings.firstReviewMonths
        var number = 1
        for review in meetings where review.kind == .review && review.isHeld {
            let regular = anchor.adding(months: months)
            let moved = movedTo(since: anchor, before: review.date).flatMap { $0 < regular ? $0 : nil }
            add("\(number)", .review, due: moved ?? regular, regularDue: moved == nil ? nil : regular,
                refersTo: anchorReference, doneOn: review.date, title: "\(number). Hilfeplanfortschreibung")
            let report = progressReport(after: anchor, first: number == 1, until: review.date)
            let reason = review.reportMissingReason?.trimmed
            add("\(number)", .progressReport, due: reportDue(meetingDay: review.date, scheduledOn: review.scheduledOn),
                refersTo: .review(number: number, day: review.date), doneOn: report,
                title: "Entwicklungsbericht zur \(number). Hilfeplanfortschreibung am \(review.date.german)",
                note: report == nil ? reason.map { "Ohne Bericht gehalten: \($0)" } : nil,
                waived: report == nil && !(reason ?? "").isEmpty)
            anchor = review.date
            anchorReference = .meeting(key: review.key, kind: .review, date: review.date)
            months = settings.reviewIntervalMonths
            number += 1
        }

        // The next review: at the rule's day, unless moved earlier by an agreement in a meeting or by an
        // earlier planned review (R3 [004]: "in Krisensituationen … vor Ablauf der 6 Monate").
        let regular = anchor.adding(months: months)
        let planned = meetings.first { $0.kind == .review && !$0.isHeld && $0.date > anchor }
        var due = regular
        if let moved = movedTo(since: anchor, before: nil), moved < due { due = moved }
        if let planned, planned.date < due { due = planned.date }
        // The report prepares the meeting itself, even when the youth office set it later than the rule.
        let meetingDay = planned?.date ?? due
        let report = progressReport(after: anchor, first: number == 1, until: nil)
        if droppedByEnd(due: min(due, meetingDay), done: false) { return }
        add("\(number)", .review, due: due, regularDue: due == regular ? nil : regular,
            refersTo: anchorReference, doneOn: nil,
            title: "\(number). Hilfeplanfortschreibung" + (due < regular ? " (vorgezogen)" : ""),
            note: planned.map { "geplant am \($0.date.german)" })
        add("\(number)", .progressReport, due: reportDue(meetingDay: meetingDay, scheduledOn: planned?.scheduledOn),
            refersTo: .review(number: number, day: meetingDay), doneOn: report,
            title: "Entwicklungsbericht zur \(number). Hilfeplanfortschreibung am \(meetingDay.german)")
    }

    // MARK: R6

    /// The reports an end needs. A final report at every end [000]; after lack of cooperation the short
    /// final report is that final report [004: "erstellt der Träger einen kurzen Abschlussbericht"];
    /// a change of help type needs a status report with an outlook on better-suited help [004] as well.
    static func requiredReports(for reason: EndReason) -> [DeadlineKind] {
        switch reason {
        case .lackOfCooperation: [.shortReport]
        case .changeOfHelpType: [.statusReport, .finalReport]
        case .goalsReached, .movedAway, .other: [.finalReport]
        }
    }

    mutating func endReports() {
        guard let end = facts.endDate else { return }
        let reason = facts.endReason ?? .other
        // No seed sets a day: the report prepares the closing meeting like a progress report, else it is
        // due `reportLeadDays` after the end.
        let closing = meetings.last { $0.kind == .closing }
        let due = closing.map { reportDue(meetingDay: $0.date, scheduledOn: $0.scheduledOn) }
            ?? end.adding(days: settings.reportLeadDays)
        let since = meetings.filter { $0.kind == .review && $0.isHeld && $0.date <= end }.map(\.date).max() ?? facts.startDate
        for kind in Self.requiredReports(for: reason) {
            // A full final report is more than the short one asks for.
            let accepted: Set<ReportKind> = kind == .shortReport ? [.short, .final] : [kind.reportKind!]
            let doneOn = facts.reports.filter { accepted.contains($0.kind) && $0.finishedOn >= since }.map(\.finishedOn).min()
            add("end", kind, due: due, refersTo: .caseEnd(end, reason), doneOn: doneOn,
                title: "\(kind.german) zum Hilfeende am \(end.german) (\(reason.german))")
        }
    }
}

extension EndReason {
    /// The reports an end with this reason makes due (R6).
    public var requiredReports: [DeadlineKind] { DeadlineBuilder.requiredReports(for: self) }
}
