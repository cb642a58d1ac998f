import FallwerkDomain
import Testing

extension AllTests {
    @Suite("Report hours")
    struct ReportHours {
        @Test("R19 R8 R10 a report counts every budget window it overlaps as approved and the budget minutes of its period as delivered")
        func hours() throws {
            // given: 10 hours a month from October; a contact in September (no approval), October and November, indirect work in November
            let approval = Approval(id: "a", from: Day(iso: "2026-10-01")!, to: Day(iso: "2027-03-31")!, minutesPerUnit: 600,
                                    unit: .month, balancing: .perUnit)
            func entry(_ day: String, budget: Int) -> LedgerEntry {
                LedgerEntry(id: day + String(budget), date: Day(iso: day)!, start: TimeOfDay(minuteOfDay: 600)!, kind: .direct,
                            count: EntryCount(billableMinutes: budget, budgetMinutes: budget))
            }
            let entries = [entry("2026-09-30", budget: 60), entry("2026-10-15", budget: 90), entry("2026-11-20", budget: 45),
                           entry("2026-11-21", budget: 0), entry("2026-12-01", budget: 30)]
            let ledger = BudgetLedger(approvals: [approval], entries: entries)
            // when
            let hours = ReportDraftInput.hours(windows: ledger.windows, entries: entries,
                                               from: Day(iso: "2026-10-10")!, to: Day(iso: "2026-11-30")!)
            // then: October (partly in the period) and November count in full
            #expect(hours.approved == Minutes(1_200))
            #expect(hours.delivered == Minutes(135))
        }
    }
}
