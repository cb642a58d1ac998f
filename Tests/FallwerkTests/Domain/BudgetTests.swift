@testable import FallwerkDomain
import Foundation
import Testing

/// R8 (budget windows, balancing, no carry-over), R9 (over budget, increases, crisis) and R11 (co-work).
extension AllTests {
    @Suite("R8, R9, R11 budgets: windows, balancing, over budget")
    struct BudgetRuleTests {
        typealias F = DomainFixtures

        // MARK: R8 – windows

        @Test("R8 week windows run Monday to Sunday; partial weeks get their share by days")
        func weekWindows() {
            // Wednesday 18.11.2026 to Wednesday 02.12.2026, 7 hours a week.
            let windows = F.approval("2026-11-18", "2026-12-02", minutes: 420, per: .week).windows
            #expect(F.describe(windows) == [
                "2026-11-18…2026-11-22 300",  // Wed–Sun: 5 of 7 days
                "2026-11-23…2026-11-29 420",
                "2026-11-30…2026-12-02 180",  // Mon–Wed: 3 of 7 days
            ])
            #expect(windows.allSatisfy { $0.approvalID == "a" })
        }

        @Test("R8 a week crossing a month and a year is one window; shares by days round half up")
        func weekAcrossYear() {
            let windows = F.approval("2026-12-28", "2027-01-10", minutes: 420, per: .week).windows
            #expect(F.describe(windows) == ["2026-12-28…2027-01-03 420", "2027-01-04…2027-01-10 420"])
            // 10 hours a week: Sunday alone 600/7 = 85.7 → 86, Monday–Wednesday 1800/7 = 257.1 → 257.
            let shares = F.approval("2026-11-22", "2026-11-25", minutes: 600, per: .week).windows
            #expect(F.describe(shares) == ["2026-11-22…2026-11-22 86", "2026-11-23…2026-11-25 257"])
        }

        @Test("R8 month windows are calendar months; the first and last month get their share by days")
        func monthWindows() {
            let windows = F.approval("2026-10-16", "2026-12-10", minutes: 1_860, per: .month).windows
            #expect(F.describe(windows) == [
                "2026-10-16…2026-10-31 960",   // 16 of 31 days
                "2026-11-01…2026-11-30 1860",  // a full month, though it has 30 days
                "2026-12-01…2026-12-10 600",   // 10 of 31 days
            ])
            // February counts its own days: 14 of 28 is half.
            #expect(F.describe(F.approval("2026-02-15", "2026-03-31", minutes: 600, per: .month).windows)
                    == ["2026-02-15…2026-02-28 300", "2026-03-01…2026-03-31 600"])
        }

        @Test("R8 a partial month's share rounds half up to whole minutes")
        func monthShareHalfUp() {
            // 16.–30. April is 15 of 30 days: 45 × 15/30 = 22.5 → 23.
            #expect(F.describe(F.approval("2026-04-16", "2026-05-31", minutes: 45, per: .month).windows)
                    == ["2026-04-16…2026-04-30 23", "2026-05-01…2026-05-31 45"])
            // 600 × 10/31 = 193.5… → 194; 600 × 11/30 = 220.
            #expect(F.describe(F.approval("2026-12-22", "2027-01-31", minutes: 600, per: .month).windows).first == "2026-12-22…2026-12-31 194")
        }

        @Test("R8 half-year windows run from the approval's start, not calendar half-years (issue 10, defect 2)")
        func R8_halfYearWindowsFromApprovalStart() {
            // given: 1 March to 31 August with 60 hours per half-year (seed 002: "auf der Grundlage des
            // aktuellen Hilfeplans"); calendar half-years made it 40.45 h + 20.22 h
            for balancing in Balancing.allCases {
                #expect(F.describe(F.approval("2026-03-01", "2026-08-31", minutes: 3_600, per: .halfYear, balancing).windows)
                        == ["2026-03-01…2026-08-31 3600"])
            }
            // a year is two full half-years from the start, whatever the calendar says
            #expect(F.describe(F.approval("2026-03-01", "2027-02-28", minutes: 6_000, per: .halfYear).windows)
                    == ["2026-03-01…2026-08-31 6000", "2026-09-01…2027-02-28 6000"])
            // a longer approval: the last half-year is cut short and gets its share by days,
            // 30 of 181 days (1 September to 28 February): 994.47… → 994
            #expect(F.describe(F.approval("2026-03-01", "2026-09-30", minutes: 6_000, per: .halfYear).windows)
                    == ["2026-03-01…2026-08-31 6000", "2026-09-01…2026-09-30 994"])
            #expect(F.describe(F.approval("2026-03-01", "2026-09-30", minutes: 6_000, per: .halfYear, .wholePeriod).windows)
                    == ["2026-03-01…2026-09-30 6994"])
            // month ends do not drift: from 31 August the half-years end 27 February and 30 August
            #expect(F.describe(F.approval("2026-08-31", "2027-08-30", minutes: 6_000, per: .halfYear).windows)
                    == ["2026-08-31…2027-02-27 6000", "2027-02-28…2027-08-30 6000"])
            // an increase goes to the half-year holding its day
            let raised = F.approval("2026-03-01", "2027-02-28", minutes: 6_000, per: .halfYear, increases: [F.increase(600, on: "2026-10-15")])
            #expect(F.describe(raised.windows) == ["2026-03-01…2026-08-31 6000", "2026-09-01…2027-02-28 6600"])
        }

        @Test("R8 a period budget is one window with the whole amount, however long the approval")
        func periodWindow() {
            for balancing in Balancing.allCases {
                #expect(F.describe(F.approval("2026-01-01", "2026-06-30", minutes: 6_000, per: .period, balancing).windows)
                        == ["2026-01-01…2026-06-30 6000"])
                #expect(F.describe(F.approval("2026-03-10", "2026-03-20", minutes: 6_000, per: .period, balancing).windows)
                        == ["2026-03-10…2026-03-20 6000"])
            }
        }

        @Test("R8 wholePeriod: one window over the approval holding the sum of the units (shares included)")
        func wholePeriodWindow() {
            #expect(F.describe(F.approval("2026-10-16", "2026-12-10", minutes: 1_860, per: .month, .wholePeriod).windows)
                    == ["2026-10-16…2026-12-10 3420"])  // 960 + 1860 + 600
            #expect(F.describe(F.approval("2026-11-18", "2026-12-02", minutes: 420, per: .week, .wholePeriod).windows)
                    == ["2026-11-18…2026-12-02 900"])   // 300 + 420 + 180
        }

        // MARK: R8 – balancing and carry-over

        @Test("R8 perUnit: unused minutes of one month do not carry into the next")
        func perUnitNoCarry() {
            let approval = F.approval("2026-10-01", "2026-11-30", minutes: 600, per: .month, .perUnit)
            let ledger = BudgetLedger(approvals: [approval], entries: [
                F.work("oct", "2026-10-05", billable: 120),
                F.work("nov", "2026-11-10", billable: 900),
            ])
            #expect(ledger.status(on: F.day("2026-10-20"))?.usedMinutes == 120)
            #expect(ledger.status(on: F.day("2026-10-20"))?.remainingMinutes == 480)
            let november = ledger.status(on: F.day("2026-11-10"))
            #expect(november?.approvedMinutes == 600)
            #expect(november?.overBudgetMinutes == 300)
            #expect(ledger.entries["nov"]?.overBudgetMinutes == 300)
            #expect(ledger.entries["nov"]?.billableMinutes == 600)
        }

        @Test("R8 wholePeriod: unused minutes of one month carry over inside the approval, in both directions")
        func wholePeriodCarries() {
            let approval = F.approval("2026-10-01", "2026-11-30", minutes: 600, per: .month, .wholePeriod)
            let late = BudgetLedger(approvals: [approval], entries: [
                F.work("oct", "2026-10-05", billable: 120),
                F.work("nov", "2026-11-10", billable: 900),
            ])
            #expect(late.entries["nov"]?.overBudgetMinutes == 0)
            #expect(late.entries["nov"]?.billableMinutes == 900)
            #expect(late.status(on: F.day("2026-11-10"))?.remainingMinutes == 180)
            // Using next month's hours early is fine too.
            let early = BudgetLedger(approvals: [approval], entries: [F.work("oct", "2026-10-05", billable: 1_200)])
            #expect(early.entries["oct"]?.overBudgetMinutes == 0)
            #expect(early.entries["oct"]?.billableMinutes == 1_200)
            // But not beyond the total.
            let beyond = BudgetLedger(approvals: [approval], entries: [F.work("oct", "2026-10-05", billable: 1_260)])
            #expect(beyond.entries["oct"]?.overBudgetMinutes == 60)
        }

        @Test("R8 nothing carries into a following approval, whatever the balancing", arguments: Balancing.allCases)
        func noCarryIntoNextApproval(balancing: Balancing) {
            let first = F.approval("2026-07-01", "2026-09-30", minutes: 600, per: .month, balancing, id: "1")
            let second = F.approval("2026-10-01", "2026-12-31", minutes: 600, per: .month, balancing, id: "2")
            // The first approval goes entirely unused; October asks for 15 hours.
            let ledger = BudgetLedger(approvals: [second, first], entries: [
                F.work("last", "2026-09-30", billable: 60),
                F.work("oct", "2026-10-01", billable: balancing == .perUnit ? 900 : 2_100),
            ])
            #expect(ledger.entries["oct"]?.overBudgetMinutes == 300)
            #expect(ledger.entries["last"]?.overBudgetMinutes == 0)
            #expect(ledger.status(on: F.day("2026-09-30"))?.approvalID == "1")
            #expect(ledger.status(on: F.day("2026-10-01"))?.approvalID == "2")
            #expect(ledger.status(on: F.day("2026-09-30"))?.usedMinutes == 60)
            // The windows are listed in date order, the earlier approval first.
            #expect(ledger.windows.map(\.from) == ledger.windows.map(\.from).sorted())
            #expect(ledger.windows.first?.approvalID == "1")
        }

        // MARK: R9 – over budget and increases

        static let november = F.approval("2026-11-01", "2026-12-31", minutes: 600, per: .month)
        static let overNovember = [
            F.work("1", "2026-11-02", billable: 540),
            F.work("2", "2026-11-03", billable: 90),                            // 30 over
            F.work("3", "2026-11-04", .noShow, billable: 30, budget: 60),       // entirely over
        ]

        @Test("R9 minutes beyond the budget are over budget and not billable; a partial entry loses its share")
        func overBudget() {
            let ledger = BudgetLedger(approvals: [Self.november], entries: Self.overNovember)
            #expect(ledger.entries["1"]?.overBudgetMinutes == 0)
            #expect(ledger.entries["1"]?.billableMinutes == 540)
            #expect(ledger.entries["2"]?.overBudgetMinutes == 30)
            #expect(ledger.entries["2"]?.billableMinutes == 60)
            #expect(ledger.entries["2"]?.budgetMinutes == 90)
            #expect(ledger.entries["3"]?.overBudgetMinutes == 60)
            #expect(ledger.entries["3"]?.billableMinutes == 0)
            let status = ledger.status(on: F.day("2026-11-15"))
            #expect(status?.usedMinutes == 690)
            #expect(status?.overBudgetMinutes == 90)
            #expect(status?.remainingMinutes == 0)
            #expect(status?.overBudgetSince == F.day("2026-11-03"))
            #expect(status?.crisisOverBudgetMinutes == 0)
        }

        @Test("R9 a partly covered short-notice entry keeps the billable share of its covered budget minutes")
        func partialShortNotice() {
            let ledger = BudgetLedger(approvals: [Self.november], entries: [
                F.work("1", "2026-11-02", billable: 570),
                F.work("3", "2026-11-04", .noShow, billable: 30, budget: 60),  // 30 of 60 covered → 15 of 30 billable
            ])
            #expect(ledger.entries["3"]?.overBudgetMinutes == 30)
            #expect(ledger.entries["3"]?.billableMinutes == 15)
        }

        @Test("R13 a partly covered entry's billable share is rounded half up to whole minutes, once (issue 10, defect 7)")
        func R13_partialShareRoundsHalfUp() {
            // given: 90 minutes a month, 45 used; a no-show planned for 90 minutes (45 billable, 90 budget)
            let ledger = BudgetLedger(approvals: [F.approval("2026-11-01", "2026-11-30", minutes: 90, per: .month)], entries: [
                F.work("1", "2026-11-02", billable: 45),
                F.work("2", "2026-11-04", .noShow, billable: 45, budget: 90),
            ])
            // then: 45 of its 90 budget minutes are covered, so 45 × 45/90 = 22.5 → 23 (floored before: 22)
            #expect(ledger.entries["2"]?.overBudgetMinutes == 45)
            #expect(ledger.entries["2"]?.billableMinutes == 23)
            // below the half it rounds down: 40 × 45/90 = 20 exactly; 41 × 45/90 = 20.5 → 21; 43 × 44/90 = 21.02 → 21
            #expect(BudgetLedger.coveredShare(40, budget: 90, over: 45) == 20)
            #expect(BudgetLedger.coveredShare(41, budget: 90, over: 45) == 21)
            #expect(BudgetLedger.coveredShare(43, budget: 90, over: 46) == 21)
            #expect(BudgetLedger.coveredShare(45, budget: 90, over: 0) == 45)
            #expect(BudgetLedger.coveredShare(45, budget: 90, over: 90) == 0)
            // and the invoice line prices those whole minutes once, half up to the cent: 23 min at 50,00 € = 19,17 €
            let lines = BillingRules.lines([BillableEntry(date: F.day("2026-11-04"), kind: .noShow, countedMinutes: 45, billableMinutes: 23,
                                                          hourlyRate: Cents(5_000))])
            #expect(lines.first?.amount == Cents(1_917))
            #expect(lines.first?.minutes == 23)
        }

        @Test("R9 an increase applied to the window makes the work billable again")
        func increaseRestores() {
            let raised = F.approval("2026-11-01", "2026-12-31", minutes: 600, per: .month, increases: [F.increase(90, on: "2026-11-20")])
            let ledger = BudgetLedger(approvals: [raised], entries: Self.overNovember)
            #expect(ledger.entries["2"]?.overBudgetMinutes == 0)
            #expect(ledger.entries["2"]?.billableMinutes == 90)
            #expect(ledger.entries["3"]?.overBudgetMinutes == 0)
            #expect(ledger.entries["3"]?.billableMinutes == 30)
            #expect(ledger.status(on: F.day("2026-11-04"))?.approvedMinutes == 690)
            #expect(ledger.status(on: F.day("2026-11-04"))?.overBudgetSince == nil)
            // A smaller increase covers the earlier entries first.
            let partly = BudgetLedger(approvals: [F.approval("2026-11-01", "2026-12-31", minutes: 600, per: .month,
                                                             increases: [F.increase(30, on: "2026-11-30")])],
                                      entries: Self.overNovember)
            #expect(partly.entries["2"]?.billableMinutes == 90)
            #expect(partly.entries["3"]?.overBudgetMinutes == 60)
        }

        @Test("R9 an increase applied to another month does not help (perUnit)")
        func increaseInOtherWindow() {
            let december = F.approval("2026-11-01", "2026-12-31", minutes: 600, per: .month, increases: [F.increase(90, on: "2026-12-01")])
            let ledger = BudgetLedger(approvals: [december], entries: Self.overNovember)
            #expect(ledger.entries["2"]?.overBudgetMinutes == 30)
            #expect(ledger.status(on: F.day("2026-12-05"))?.approvedMinutes == 690)
            #expect(ledger.status(on: F.day("2026-11-05"))?.approvedMinutes == 600)
        }

        @Test("R9 entries are placed chronologically, not in the order given; same day by start time")
        func chronological() {
            let ledger = BudgetLedger(approvals: [Self.november], entries: Self.overNovember.reversed())
            #expect(ledger.entries["1"]?.overBudgetMinutes == 0)
            #expect(ledger.entries["3"]?.overBudgetMinutes == 60)
            let sameDay = BudgetLedger(approvals: [Self.november], entries: [
                F.work("afternoon", "2026-11-05", at: "14:00", billable: 400),
                F.work("morning", "2026-11-05", at: "08:00", billable: 400),
            ])
            #expect(sameDay.entries["morning"]?.overBudgetMinutes == 0)
            #expect(sameDay.entries["afternoon"]?.overBudgetMinutes == 200)
            #expect(sameDay.entries["afternoon"]?.billableMinutes == 200)
        }

        @Test("R9 crisis work beyond the budget is counted apart from other over-budget work")
        func crisisOverBudget() {
            let ledger = BudgetLedger(approvals: [Self.november], entries: [
                F.work("d", "2026-11-02", billable: 540),
                F.work("c", "2026-11-03", .crisis, billable: 120),  // 60 over
                F.work("e", "2026-11-04", billable: 60),            // 60 over, not crisis
            ])
            let status = ledger.status(on: F.day("2026-11-03"))
            #expect(status?.crisisOverBudgetMinutes == 60)
            #expect(status?.overBudgetMinutes == 120)
            #expect(status?.overBudgetSince == F.day("2026-11-03"))
            #expect(ledger.entries["c"]?.overBudgetMinutes == 60)
            #expect(ledger.entries["c"]?.billableMinutes == 60)
            // Crisis work inside the budget is not counted there.
            let inside = BudgetLedger(approvals: [Self.november], entries: [F.work("c", "2026-11-03", .crisis, billable: 120)])
            #expect(inside.status(on: F.day("2026-11-03"))?.crisisOverBudgetMinutes == 0)
        }

        @Test("R9 work on a day no approval covers is over budget entirely and not billable")
        func uncoveredDay() {
            let first = F.approval("2026-09-01", "2026-09-30", minutes: 600, per: .month, id: "1")
            let second = F.approval("2026-11-01", "2026-11-30", minutes: 600, per: .month, id: "2")
            let ledger = BudgetLedger(approvals: [first, second], entries: [
                F.work("before", "2026-08-31", billable: 60),
                F.work("gap", "2026-10-15", billable: 90),
                F.work("after", "2026-12-01", .noShow, billable: 30, budget: 60),
                F.work("inside", "2026-11-15", billable: 60),
            ])
            #expect(ledger.entries["before"]?.overBudgetMinutes == 60)
            #expect(ledger.entries["before"]?.billableMinutes == 0)
            #expect(ledger.entries["gap"]?.overBudgetMinutes == 90)
            #expect(ledger.entries["gap"]?.billableMinutes == 0)
            #expect(ledger.entries["after"]?.overBudgetMinutes == 60)
            #expect(ledger.entries["after"]?.billableMinutes == 0)
            #expect(ledger.entries["inside"]?.billableMinutes == 60)
            #expect(ledger.status(on: F.day("2026-10-15")) == nil)
            #expect(ledger.windows.map(\.usedMinutes) == [0, 60])
        }

        @Test("R9 work without budget minutes (orientation day, indirect work) is never over budget")
        func zeroBudgetEntries() {
            let ledger = BudgetLedger(approvals: [Self.november], entries: [
                F.work("full", "2026-11-02", billable: 600),
                F.work("orientation", "2026-11-03", .onboardingDay, billable: 600, budget: 0, onboarding: 600),
                F.work("notes", "2026-11-04", .indirect, billable: 0, budget: 0),
            ])
            #expect(ledger.entries["orientation"]?.overBudgetMinutes == 0)
            #expect(ledger.entries["orientation"]?.billableMinutes == 600)
            #expect(ledger.entries["orientation"]?.onboardingMinutes == 600)
            #expect(ledger.status(on: F.day("2026-11-03"))?.usedMinutes == 600)
            #expect(ledger.status(on: F.day("2026-11-03"))?.overBudgetMinutes == 0)
        }

        // MARK: R11

        @Test("R11 two staff on one appointment are two entries: both count against the budget and are billed")
        func coWork() {
            let entries = ["anna", "ben"].map { F.work($0, "2026-11-05", at: "14:00", billable: 60) }
            let ledger = BudgetLedger(approvals: [Self.november], entries: entries)
            #expect(ledger.status(on: F.day("2026-11-05"))?.usedMinutes == 120)
            #expect(ledger.entries["anna"]?.billableMinutes == 60)
            #expect(ledger.entries["ben"]?.billableMinutes == 60)
            // With only 90 minutes left, the second of the two goes 30 over.
            let tight = BudgetLedger(approvals: [F.approval("2026-11-01", "2026-11-30", minutes: 90, per: .month)], entries: entries)
            #expect(tight.entries["anna"]?.overBudgetMinutes == 0)
            #expect(tight.entries["ben"]?.overBudgetMinutes == 30)
            #expect((tight.entries["anna"]?.billableMinutes ?? 0) + (tight.entries["ben"]?.billableMinutes ?? 0) == 90)
        }
    }
}
