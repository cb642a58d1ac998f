@testable import FallwerkDomain
import Foundation
import Testing

/// R7a, R8–R13: how entries count, how budgets fill, when alerts appear. Pure domain, no database.
extension AllTests {
    @Suite("Case work rules R7a, R8–R13")
    struct CaseWorkRules {
        static func day(_ iso: String) -> Day { Day(iso: iso)! }
        static func time(_ text: String) -> TimeOfDay { TimeOfDay(text: text)! }
        static func entry(_ kind: EntryKind, _ minutes: Int, on date: String = "2026-11-16", at start: String = "10:00",
                          cancelledBy: CancelledBy? = nil, cancelledAt: String? = nil, homeVisit: Bool = false, km: Int? = nil) -> EntryFacts {
            EntryFacts(kind: kind, date: day(date), start: time(start), minutes: minutes, cancelledBy: cancelledBy,
                       cancelledAt: cancelledAt.flatMap(DateTimeText.parse), homeVisit: homeVisit, kilometres: km)
        }
        static func count(_ facts: EntryFacts, _ settings: AgreementSettings = AgreementSettings()) -> (Int, Int) {
            let c = ServiceRules.count(facts, settings: settings)
            return (c.billableMinutes, c.budgetMinutes)
        }

        // MARK: R10

        @Test("R10 direct, institution, planning meeting and crisis count their actual minutes")
        func actualMinutes() {
            for kind in [EntryKind.direct, .institution, .planningMeeting, .crisis] {
                #expect(Self.count(Self.entry(kind, 73)) == (73, 73), "\(kind)")
            }
        }

        @Test("R10 a report counts reportHours whatever it took")
        func report() {
            #expect(Self.count(Self.entry(.report, 200)) == (60, 60))
            var settings = AgreementSettings()
            settings.reportMinutes = 90
            #expect(Self.count(Self.entry(.report, 20), settings) == (90, 90))
        }

        @Test("R10 the orientation day bills onboardingDayHours from its own budget, not the approval's")
        func onboardingDay() {
            var settings = AgreementSettings()
            settings.onboardingDayMinutes = 600
            let c = ServiceRules.count(Self.entry(.onboardingDay, 480), settings: settings)
            #expect(c.billableMinutes == 600)
            #expect(c.budgetMinutes == 0)
            #expect(c.onboardingMinutes == 600)
        }

        @Test("R10 indirect work and provider cancellations count nothing")
        func nothing() {
            #expect(Self.count(Self.entry(.indirect, 120)) == (0, 0))
            #expect(Self.count(Self.entry(.cancelled, 60, cancelledBy: .provider, cancelledAt: "2026-11-16T09:30:00+01:00")) == (0, 0))
        }

        @Test("R10 short-notice client cancellation and no-show: 50 % billable, 100 % budget; earlier: nothing")
        func cancellations() {
            let short = Self.entry(.cancelled, 60, cancelledBy: .client, cancelledAt: "2026-11-16T08:00:00+01:00")
            #expect(Self.count(short) == (30, 60))
            #expect(Self.count(Self.entry(.noShow, 90)) == (45, 90))
            let early = Self.entry(.cancelled, 60, cancelledBy: .client, cancelledAt: "2026-11-14T10:00:00+01:00")
            #expect(Self.count(early) == (0, 0))
            var settings = AgreementSettings()
            settings.shortNoticeHours = 48
            settings.shortNoticeBillablePercent = 40
            settings.shortNoticeBudgetPercent = 80
            #expect(Self.count(early, settings) == (24, 48))
        }

        @Test("R10 the 24-hour boundary: exactly 24 h ahead is short notice (seed 004: 'innerhalb von 24 Stunden'), 24 h 1 min is not")
        func boundary() {
            let exactly = Self.entry(.cancelled, 60, cancelledBy: .client, cancelledAt: "2026-11-15T10:00:00+01:00")
            #expect(Self.count(exactly) == (30, 60))
            let justBefore = Self.entry(.cancelled, 60, cancelledBy: .client, cancelledAt: "2026-11-15T09:59:00+01:00")
            #expect(Self.count(justBefore) == (0, 0))
        }

        @Test("R10 the boundary counts real hours across the change to summer time")
        func boundaryAcrossClockChange() {
            // 29 March 2026 has 23 hours in Berlin: Saturday 11:00 CET to Sunday 11:00 CEST is 23 real hours.
            let within = Self.entry(.cancelled, 60, on: "2026-03-29", at: "11:00", cancelledBy: .client, cancelledAt: "2026-03-28T11:00:00+01:00")
            #expect(Self.count(within) == (30, 60))
            // Saturday 10:00 CET is exactly 24 real hours before Sunday 11:00 CEST.
            let exactly = Self.entry(.cancelled, 60, on: "2026-03-29", at: "11:00", cancelledBy: .client, cancelledAt: "2026-03-28T10:00:00+01:00")
            #expect(Self.count(exactly) == (30, 60))
            let outside = Self.entry(.cancelled, 60, on: "2026-03-29", at: "11:00", cancelledBy: .client, cancelledAt: "2026-03-28T09:59:00+01:00")
            #expect(Self.count(outside) == (0, 0))
        }

        @Test("R10 travel: flat rate per home visit, or per km, never on non-visits")
        func travel() {
            var settings = AgreementSettings()
            settings.travelFlatRate = Cents(850)
            settings.travelRatePerKm = Cents(30)
            #expect(ServiceRules.count(Self.entry(.direct, 60, homeVisit: true), settings: settings).travel == Cents(850))
            #expect(ServiceRules.count(Self.entry(.direct, 60, homeVisit: false), settings: settings).travel == .zero)
            #expect(ServiceRules.count(Self.entry(.report, 60, homeVisit: true), settings: settings).travel == .zero)
            settings.travelMode = .perKm
            #expect(ServiceRules.count(Self.entry(.direct, 60, homeVisit: true, km: 23), settings: settings).travel == Cents(690))
            settings.travelMode = .none
            #expect(ServiceRules.count(Self.entry(.direct, 60, homeVisit: true), settings: settings).travel == .zero)
        }

        @Test("R10 group sessions: shares of session ÷ cases add up to the session")
        func groupShares() {
            #expect(ServiceRules.groupShares(sessionMinutes: 90, caseCount: 3) == [30, 30, 30])
            #expect(ServiceRules.groupShares(sessionMinutes: 100, caseCount: 3) == [34, 33, 33])
            #expect(ServiceRules.groupShares(sessionMinutes: 100, caseCount: 3).reduce(0, +) == 100)
            #expect(ServiceRules.groupShares(sessionMinutes: 60, caseCount: 0).isEmpty)
        }

        // MARK: R13

        @Test("R13 rounding unit: to the nearest unit, halves up; percentages in whole minutes, halves up")
        func rounding() {
            #expect(ServiceRules.round(7, to: 15) == 0)
            #expect(ServiceRules.round(8, to: 15) == 15)
            #expect(ServiceRules.round(52, to: 15) == 45)
            #expect(ServiceRules.round(53, to: 15) == 60)
            #expect(ServiceRules.round(5, to: 10) == 10)
            #expect(ServiceRules.round(47, to: 1) == 47)
            #expect(ServiceRules.percent(45, 50) == 23)
            #expect(ServiceRules.percent(44, 50) == 22)
            var settings = AgreementSettings()
            settings.roundingMinutes = 15
            #expect(Self.count(Self.entry(.direct, 52), settings) == (45, 45))
            #expect(Self.count(Self.entry(.noShow, 50), settings) == (23, 45))
        }

        // MARK: R8, R9

        static func approval(_ from: String, _ to: String, hours: Int, per unit: BudgetUnit, _ balancing: Balancing = .perUnit,
                             increases: [BudgetIncrease] = [], id: String = "a") -> Approval {
            Approval(id: id, from: day(from), to: day(to), minutesPerUnit: hours * 60, unit: unit, balancing: balancing, increases: increases)
        }

        @Test("R8 windows are calendar units cut to the approval, with shares by days")
        func windows() {
            let months = Self.approval("2026-10-16", "2026-12-31", hours: 31, per: .month).windows
            #expect(months.map(\.from) == [Self.day("2026-10-16"), Self.day("2026-11-01"), Self.day("2026-12-01")])
            #expect(months.map(\.approvedMinutes) == [16 * 60, 31 * 60, 31 * 60])
            let weeks = Self.approval("2026-11-18", "2026-11-29", hours: 7, per: .week).windows
            #expect(weeks.map(\.from) == [Self.day("2026-11-18"), Self.day("2026-11-23")])
            #expect(weeks.map(\.approvedMinutes) == [5 * 60, 7 * 60])
            let halves = Self.approval("2026-01-01", "2026-12-31", hours: 100, per: .halfYear).windows
            #expect(halves.map(\.to) == [Self.day("2026-06-30"), Self.day("2026-12-31")])
            let period = Self.approval("2026-01-01", "2026-06-30", hours: 100, per: .period).windows
            #expect(period.count == 1 && period[0].approvedMinutes == 6_000)
        }

        @Test("R8 perUnit: unused hours of one month do not carry into the next")
        func perUnitNoCarryOver() {
            let a = Self.approval("2026-10-01", "2026-11-30", hours: 10, per: .month, .perUnit)
            let entries = [LedgerEntry(id: "nov", date: Self.day("2026-11-10"), start: Self.time("10:00"), kind: .direct,
                                       count: EntryCount(billableMinutes: 900, budgetMinutes: 900))]
            let ledger = BudgetLedger(approvals: [a], entries: entries)
            #expect(ledger.status(on: Self.day("2026-11-10"))?.overBudgetMinutes == 300)
            #expect(ledger.entries["nov"]?.billableMinutes == 600)
        }

        @Test("R8 wholePeriod: the monthly volume is one budget for the approval")
        func wholePeriodCarriesInside() {
            let a = Self.approval("2026-10-01", "2026-11-30", hours: 10, per: .month, .wholePeriod)
            let entries = [LedgerEntry(id: "nov", date: Self.day("2026-11-10"), start: Self.time("10:00"), kind: .direct,
                                       count: EntryCount(billableMinutes: 900, budgetMinutes: 900))]
            let ledger = BudgetLedger(approvals: [a], entries: entries)
            let status = ledger.status(on: Self.day("2026-11-10"))
            #expect(status?.approvedMinutes == 1_200)
            #expect(status?.overBudgetMinutes == 0)
            #expect(ledger.entries["nov"]?.billableMinutes == 900)
        }

        @Test("R8 nothing carries into the next approval, even with wholePeriod")
        func noCarryIntoNextApproval() {
            let first = Self.approval("2026-07-01", "2026-09-30", hours: 10, per: .month, .wholePeriod, id: "1")
            let second = Self.approval("2026-10-01", "2026-12-31", hours: 10, per: .month, .wholePeriod, id: "2")
            let entries = [LedgerEntry(id: "oct", date: Self.day("2026-10-05"), start: Self.time("10:00"), kind: .direct,
                                       count: EntryCount(billableMinutes: 2_100, budgetMinutes: 2_100))]
            let ledger = BudgetLedger(approvals: [first, second], entries: entries)
            #expect(ledger.status(on: Self.day("2026-10-05"))?.approvedMinutes == 1_800)
            #expect(ledger.entries["oct"]?.overBudgetMinutes == 300)
            #expect(ledger.status(on: Self.day("2026-08-01"))?.usedMinutes == 0)
        }

        @Test("R9 work beyond the budget is kept, marked and not billable until an increase is recorded")
        func overBudgetAndIncrease() {
            let entries = [
                LedgerEntry(id: "1", date: Self.day("2026-11-02"), start: Self.time("09:00"), kind: .direct, count: EntryCount(billableMinutes: 540, budgetMinutes: 540)),
                LedgerEntry(id: "2", date: Self.day("2026-11-03"), start: Self.time("09:00"), kind: .direct, count: EntryCount(billableMinutes: 90, budgetMinutes: 90)),
                LedgerEntry(id: "3", date: Self.day("2026-11-04"), start: Self.time("09:00"), kind: .noShow, count: EntryCount(billableMinutes: 30, budgetMinutes: 60)),
            ]
            let without = BudgetLedger(approvals: [Self.approval("2026-11-01", "2026-11-30", hours: 10, per: .month)], entries: entries)
            #expect(without.entries["1"]?.overBudgetMinutes == 0)
            #expect(without.entries["2"]?.overBudgetMinutes == 30)
            #expect(without.entries["2"]?.billableMinutes == 60)
            #expect(without.entries["3"]?.overBudgetMinutes == 60)
            #expect(without.entries["3"]?.billableMinutes == 0)
            #expect(without.status(on: Self.day("2026-11-04"))?.overBudgetSince == Self.day("2026-11-03"))
            let increase = BudgetIncrease(minutes: 90, confirmedOn: Self.day("2026-11-10"), appliesOn: Self.day("2026-11-10"))
            let with = BudgetLedger(approvals: [Self.approval("2026-11-01", "2026-11-30", hours: 10, per: .month, increases: [increase])], entries: entries)
            #expect(with.entries["2"]?.billableMinutes == 90)
            #expect(with.entries["3"]?.billableMinutes == 30)
            #expect(with.status(on: Self.day("2026-11-04"))?.overBudgetMinutes == 0)
        }

        @Test("R9 crisis work beyond the budget is counted apart; work without an approval is over budget")
        func crisisAndUncovered() {
            let entries = [
                LedgerEntry(id: "1", date: Self.day("2026-11-02"), start: Self.time("09:00"), kind: .crisis, count: EntryCount(billableMinutes: 720, budgetMinutes: 720)),
                LedgerEntry(id: "x", date: Self.day("2026-12-02"), start: Self.time("09:00"), kind: .direct, count: EntryCount(billableMinutes: 60, budgetMinutes: 60)),
            ]
            let ledger = BudgetLedger(approvals: [Self.approval("2026-11-01", "2026-11-30", hours: 10, per: .month)], entries: entries)
            #expect(ledger.status(on: Self.day("2026-11-02"))?.crisisOverBudgetMinutes == 120)
            #expect(ledger.entries["x"]?.overBudgetMinutes == 60)
            #expect(ledger.entries["x"]?.billableMinutes == 0)
        }

        @Test("R11 two staff on one appointment are two entries that both count")
        func coWork() {
            let entries = ["anna", "ben"].map {
                LedgerEntry(id: $0, date: Self.day("2026-11-05"), start: Self.time("14:00"), kind: .direct, count: EntryCount(billableMinutes: 60, budgetMinutes: 60))
            }
            let ledger = BudgetLedger(approvals: [Self.approval("2026-11-01", "2026-11-30", hours: 10, per: .month)], entries: entries)
            #expect(ledger.status(on: Self.day("2026-11-05"))?.usedMinutes == 120)
        }

        // MARK: Alerts

        static func facts(approvals: [Approval] = [approval("2026-09-01", "2027-02-28", hours: 10, per: .month)],
                          appointments: [EntryFacts] = [], lastContact: String? = "2026-11-20", start: String = "2026-09-01",
                          end: String? = nil, acknowledged: Set<Day> = []) -> AlertFacts {
            AlertFacts(startDate: day(start), endDate: end.map(day), approvals: approvals,
                       ledger: BudgetLedger(approvals: approvals, entries: []), appointments: appointments,
                       lastContact: lastContact.map(day), noContactAlertDays: 14, noShowAlertAfter: 3, acknowledged: acknowledged)
        }
        static let today = day("2026-11-22")

        @Test("R12 three appointments in a row without cooperation raise an alert; cooperation or acknowledgement clears it")
        func noShowStreak() {
            let failed = [
                Self.entry(.direct, 60, on: "2026-11-10"),
                Self.entry(.noShow, 60, on: "2026-11-12"),
                // short notice (R12 counts only those, decision 0015)
                Self.entry(.cancelled, 60, on: "2026-11-16", cancelledBy: .client, cancelledAt: "2026-11-15T20:00:00+01:00"),
                Self.entry(.noShow, 60, on: "2026-11-19"),
            ]
            let alert = Alerts.evaluate(Self.facts(appointments: failed), today: Self.today).first { $0.kind == .noShowStreak }
            #expect(alert?.since == Self.day("2026-11-19"))
            #expect(!Alerts.evaluate(Self.facts(appointments: Array(failed.prefix(3))), today: Self.today).contains { $0.kind == .noShowStreak })
            let recovered = failed + [Self.entry(.direct, 60, on: "2026-11-21")]
            #expect(!Alerts.evaluate(Self.facts(appointments: recovered), today: Self.today).contains { $0.kind == .noShowStreak })
            let acknowledged = Self.facts(appointments: failed, acknowledged: [Self.day("2026-11-19")])
            #expect(!Alerts.evaluate(acknowledged, today: Self.today).contains { $0.kind == .noShowStreak })
            let provider = failed.dropLast() + [Self.entry(.cancelled, 60, on: "2026-11-19", cancelledBy: .provider, cancelledAt: "2026-11-18T10:00:00+01:00")]
            #expect(!Alerts.evaluate(Self.facts(appointments: Array(provider)), today: Self.today).contains { $0.kind == .noShowStreak })
        }

        @Test("R7a no client contact for noContactAlertDays raises an alert on day 14, not on day 13")
        func noContact() {
            #expect(Alerts.evaluate(Self.facts(lastContact: "2026-11-08"), today: Self.today).contains { $0.kind == .noContact && $0.since == Self.day("2026-11-22") })
            #expect(!Alerts.evaluate(Self.facts(lastContact: "2026-11-09"), today: Self.today).contains { $0.kind == .noContact })
            #expect(Alerts.evaluate(Self.facts(lastContact: nil, start: "2026-11-01"), today: Self.today).contains { $0.kind == .noContact })
            #expect(!Alerts.evaluate(Self.facts(lastContact: "2026-10-01", end: "2026-11-15"), today: Self.today).contains { $0.kind == .noContact })
            #expect(EntryKind.direct.isClientContact && !EntryKind.indirect.isClientContact && !EntryKind.report.isClientContact)
        }

        @Test("Approvals: none valid today, or ending within 14 days with none to follow, raise an alert")
        func approvalAlerts() {
            let none = Alerts.evaluate(Self.facts(approvals: [Self.approval("2026-05-01", "2026-10-31", hours: 10, per: .month)]), today: Self.today)
            #expect(none.contains { $0.kind == .noApproval && $0.since == Self.day("2026-11-01") })
            let ending = [Self.approval("2026-06-01", "2026-12-05", hours: 10, per: .month)]
            #expect(Alerts.evaluate(Self.facts(approvals: ending), today: Self.today).contains { $0.kind == .approvalEnding })
            let followed = ending + [Self.approval("2026-12-06", "2027-05-31", hours: 10, per: .month, id: "b")]
            #expect(!Alerts.evaluate(Self.facts(approvals: followed), today: Self.today).contains { $0.kind == .approvalEnding })
        }

        @Test("R9 over-budget and crisis alerts name the window and disappear with the increase")
        func budgetAlerts() {
            let approval = Self.approval("2026-11-01", "2026-11-30", hours: 1, per: .month)
            let entries = [LedgerEntry(id: "c", date: Self.day("2026-11-02"), start: Self.time("09:00"), kind: .crisis, count: EntryCount(billableMinutes: 90, budgetMinutes: 90)),
                           LedgerEntry(id: "d", date: Self.day("2026-11-03"), start: Self.time("09:00"), kind: .direct, count: EntryCount(billableMinutes: 60, budgetMinutes: 60))]
            var facts = Self.facts(approvals: [approval])
            facts.ledger = BudgetLedger(approvals: [approval], entries: entries)
            let kinds = Set(Alerts.evaluate(facts, today: Self.today).map(\.kind))
            #expect(kinds.contains(.crisisConfirmationMissing) && kinds.contains(.overBudget))
            let raised = Self.approval("2026-11-01", "2026-11-30", hours: 1, per: .month,
                                       increases: [BudgetIncrease(minutes: 90, confirmedOn: Self.day("2026-11-20"), appliesOn: Self.day("2026-11-20"))])
            facts.ledger = BudgetLedger(approvals: [raised], entries: entries)
            #expect(!Alerts.evaluate(facts, today: Self.today).contains { $0.kind == .overBudget || $0.kind == .crisisConfirmationMissing })
        }

        // MARK: Input

        @Test("R13 entry input: 1 to 1440 minutes, end after start, cancellations before the appointment")
        func entryInput() {
            func errors(_ input: EntryInput) -> [String] {
                var v = Validator()
                _ = input.validated(into: &v, today: Self.today)
                return v.errors.map(\.field)
            }
            let base = EntryInput(date: "2026-11-20", start: "10:00", minutes: 60, kind: "direct")
            #expect(errors(base).isEmpty)
            for minutes in [0, -5, 1441] {
                var input = base
                input.minutes = minutes
                #expect(errors(input) == ["minutes"], "\(minutes)")
            }
            var day = base
            day.minutes = 1440
            #expect(errors(day).isEmpty)
            var backwards = base
            backwards.minutes = nil
            backwards.end = "09:30"
            #expect(errors(backwards) == ["end"])
            var late = EntryInput(date: "2026-11-20", start: "10:00", minutes: 60, kind: "cancelled", cancelledBy: "client", cancelledAt: "2026-11-20T10:05")
            #expect(errors(late) == ["cancelledAt"])
            late.cancelledBy = nil
            late.cancelledAt = "2026-11-19T10:00"
            #expect(errors(late) == ["cancelledBy"])
            var future = base
            future.date = "2026-11-23"
            #expect(errors(future) == ["date"])
            var report = base
            report.kind = "report"
            report.homeVisit = true
            #expect(errors(report) == ["homeVisit"])
            var group = base
            group.kind = "group"
            #expect(errors(group) == ["kind"])
        }

        @Test("Times are Europe/Berlin: winter +1, summer +2, switching on the last Sundays of March and October")
        func berlinTime() {
            #expect(DateTimeText.format(BerlinTime.instant(Self.day("2026-01-15"), Self.time("12:00"))) == "2026-01-15T12:00:00+01:00")
            #expect(BerlinTime.instant(Self.day("2026-07-15"), Self.time("12:00")) == DateTimeText.parse("2026-07-15T10:00:00Z"))
            #expect(BerlinTime.instant(Self.day("2026-03-29"), Self.time("03:00")) == DateTimeText.parse("2026-03-29T01:00:00Z"))
            #expect(BerlinTime.instant(Self.day("2026-03-29"), Self.time("01:59")) == DateTimeText.parse("2026-03-29T00:59:00Z"))
            #expect(BerlinTime.instant(Self.day("2026-10-25"), Self.time("04:00")) == DateTimeText.parse("2026-10-25T03:00:00Z"))
            #expect(DateTimeText.parse("2026-11-20T08:15") == DateTimeText.parse("2026-11-20T07:15:00Z"))
            #expect(DateTimeText.parse("gestern") == nil)
            #expect(DateTimeText.parse("2026-11-20T25:00") == nil)
        }
    }
}
