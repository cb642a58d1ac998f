import FallwerkDomain
import Testing

extension AllTests {
    @Suite("Report hours")
    struct ReportHours {
        static func entry(_ day: String, budget: Int) -> LedgerEntry {
            LedgerEntry(id: day + String(budget), date: Day(iso: day)!, start: TimeOfDay(minuteOfDay: 600)!, kind: .direct,
                        count: EntryCount(billableMinutes: budget, budgetMinutes: budget))
        }

        @Test("R20 R19 approved and delivered cover the same days: a month the period cuts counts for its days in the period")
        func hours() throws {
            // given: 10 hours a month from October; a contact in September (no approval), October and November, indirect work in November
            let approval = Approval(id: "a", from: Day(iso: "2026-10-01")!, to: Day(iso: "2027-03-31")!, minutesPerUnit: 600,
                                    unit: .month, balancing: .perUnit)
            let entries = [Self.entry("2026-09-30", budget: 60), Self.entry("2026-10-15", budget: 90), Self.entry("2026-11-20", budget: 45),
                           Self.entry("2026-11-21", budget: 0), Self.entry("2026-12-01", budget: 30)]
            let ledger = BudgetLedger(approvals: [approval], entries: entries)
            // when
            let hours = ReportDraftInput.hours(windows: ledger.windows, entries: entries,
                                               from: Day(iso: "2026-10-10")!, to: Day(iso: "2026-11-30")!)
            // then: October 10–31 is 22 of 31 days: 600 × 22 ÷ 31 = 425.8 → 426; November in full
            #expect(hours.approved == Minutes(426 + 600))
            #expect(hours.delivered == Minutes(135))
        }

        @Test("R20 a report period that touches the next approval counts only those days of it, not the whole approval")
        func nextApproval() throws {
            // given: 60 hours for April–September, 60 hours for October–March (per period); the report runs 1 June – 15 October
            let first = Approval(id: "a", from: Day(iso: "2026-04-01")!, to: Day(iso: "2026-09-30")!, minutesPerUnit: 3_600,
                                 unit: .period, balancing: .perUnit)
            let next = Approval(id: "b", from: Day(iso: "2026-10-01")!, to: Day(iso: "2027-03-31")!, minutesPerUnit: 3_600,
                                unit: .period, balancing: .perUnit)
            let entries = [Self.entry("2026-05-20", budget: 120), Self.entry("2026-07-01", budget: 600), Self.entry("2026-10-14", budget: 60),
                           Self.entry("2026-10-20", budget: 90)]
            let ledger = BudgetLedger(approvals: [first, next], entries: entries)
            // when
            let hours = ReportDraftInput.hours(windows: ledger.windows, entries: entries,
                                               from: Day(iso: "2026-06-01")!, to: Day(iso: "2026-10-15")!)
            // then: 3600 × 122 ÷ 183 = 2400 of the first; 3600 × 15 ÷ 182 = 296.7 → 297 of the next (not 7200 in all)
            #expect(hours.approved == Minutes(2_400 + 297))
            #expect(hours.delivered == Minutes(660))
            // and the paragraph names the days both figures cover
            let report = ReportDraft.generate(ReportDraftInput(kind: .progress, periodFrom: Day(iso: "2026-06-01")!, periodTo: Day(iso: "2026-10-15")!,
                                                               approvedMinutes: hours.approved, deliveredMinutes: hours.delivered,
                                                               goals: [], notes: []))
            let paragraph = report.sections.first { $0.key == .hours }?.text ?? ""
            #expect(paragraph == "Im Berichtszeitraum (01.06.2026 – 15.10.2026) bewilligt: 44,95 Fachleistungsstunden; "
                + "geleistet: 11 Fachleistungsstunden (24 % der bewilligten Stunden).")
        }

        @Test("R20 a window wholly inside the period counts in full, one outside not at all")
        func wholeWindows() {
            let approval = Approval(id: "a", from: Day(iso: "2026-10-01")!, to: Day(iso: "2026-12-31")!, minutesPerUnit: 600,
                                    unit: .month, balancing: .perUnit)
            let ledger = BudgetLedger(approvals: [approval], entries: [])
            let hours = ReportDraftInput.hours(windows: ledger.windows, entries: [], from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-30")!)
            #expect(hours.approved == Minutes(600))
            let none = ReportDraftInput.hours(windows: ledger.windows, entries: [], from: Day(iso: "2027-01-01")!, to: Day(iso: "2027-01-31")!)
            #expect(none.approved == .zero)
        }
    }
}
