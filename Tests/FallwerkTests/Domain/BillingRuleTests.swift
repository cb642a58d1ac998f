@testable import FallwerkDomain
import Foundation
import Testing

extension AllTests {
    @Suite("Billing rules R13, R14")
    struct BillingRules_ {
        static func day(_ iso: String) -> Day { Day(iso: iso)! }

        @Test("R14 a hand-computed month: lines per kind and rate, a rate change gives two lines, over budget listed at 0")
        func goldenMonth() {
            let old = Cents(6_240), new = Cents(6_400)
            let entries = [
                BillableEntry(date: Self.day("2026-11-02"), kind: .direct, countedMinutes: 90, billableMinutes: 90, hourlyRate: old,
                              travelUnitPrice: Cents(650), travelQuantity: 1),
                BillableEntry(date: Self.day("2026-11-04"), kind: .direct, countedMinutes: 90, billableMinutes: 90, hourlyRate: old,
                              travelUnitPrice: Cents(650), travelQuantity: 1),
                BillableEntry(date: Self.day("2026-11-05"), kind: .institution, countedMinutes: 45, billableMinutes: 45, hourlyRate: old),
                BillableEntry(date: Self.day("2026-11-06"), kind: .group, countedMinutes: 30, billableMinutes: 30, hourlyRate: old),
                BillableEntry(date: Self.day("2026-11-09"), kind: .report, countedMinutes: 60, billableMinutes: 60, hourlyRate: old),
                BillableEntry(date: Self.day("2026-11-07"), kind: .onboardingDay, countedMinutes: 600, billableMinutes: 600, hourlyRate: old),
                BillableEntry(date: Self.day("2026-11-10"), kind: .noShow, countedMinutes: 45, billableMinutes: 45, hourlyRate: old),
                BillableEntry(date: Self.day("2026-11-11"), kind: .cancelled, countedMinutes: 30, billableMinutes: 30, hourlyRate: old),
                BillableEntry(date: Self.day("2026-11-12"), kind: .crisis, countedMinutes: 120, billableMinutes: 120, hourlyRate: old),
                BillableEntry(date: Self.day("2026-11-13"), kind: .indirect, countedMinutes: 0, billableMinutes: 0, hourlyRate: old),
                // From the 16th the new rate; the last entry went 30 minutes over the budget.
                BillableEntry(date: Self.day("2026-11-17"), kind: .direct, countedMinutes: 60, billableMinutes: 60, hourlyRate: new),
                BillableEntry(date: Self.day("2026-11-24"), kind: .direct, countedMinutes: 90, billableMinutes: 60, hourlyRate: new),
            ]
            let lines = BillingRules.lines(entries)
            let summary = lines.map { "\($0.kind.rawValue) \($0.quantity) × \($0.unitPrice.decimalString) = \($0.amount.decimalString)" }
            #expect(summary == [
                "serviceHours 4.25 × 62.40 = 265.20",   // 90 + 90 + 45 + 30 = 255 min
                "serviceHours 2 × 64.00 = 128.00",      // 60 + 60
                "reports 1 × 62.40 = 62.40",
                "onboardingDay 10 × 62.40 = 624.00",
                "shortNotice 1.25 × 62.40 = 78.00",     // 45 + 30 = 75 min
                "crisis 2 × 62.40 = 124.80",
                "travel 2 × 6.50 = 13.00",
                "overBudget 0.5 × 0.00 = 0.00",
            ])
            #expect(BillingRules.total(lines) == Cents(129_540))
        }

        @Test("R13 each line is rounded half up to the cent once, not per entry")
        func roundingPerLine() {
            // 3 × 10 minutes at 58.30 €/h: per entry 9.7166… → 9.72 each (29.16); per line 30 min → 29.15.
            let entries = (1...3).map { BillableEntry(date: Self.day("2026-11-0\($0)"), kind: .direct, countedMinutes: 10, billableMinutes: 10, hourlyRate: Cents(5_830)) }
            #expect(BillingRules.lines(entries).first?.amount == Cents(2_915))
            // 20 minutes at 62.45 €/h = 20.8166… → 20.82 (half up at the third decimal).
            #expect(BillingRules.lines([BillableEntry(date: Self.day("2026-11-01"), kind: .direct, countedMinutes: 20, billableMinutes: 20,
                                                      hourlyRate: Cents(6_245))]).first?.amount == Cents(2_082))
        }

        @Test("R14 entries without a rate are not priced; indirect work never appears")
        func withoutRate() {
            let lines = BillingRules.lines([
                BillableEntry(date: Self.day("2026-11-01"), kind: .direct, countedMinutes: 60, billableMinutes: 60, hourlyRate: nil),
                BillableEntry(date: Self.day("2026-11-02"), kind: .indirect, countedMinutes: 0, billableMinutes: 0, hourlyRate: Cents(6_000)),
            ])
            #expect(lines.isEmpty)
        }
    }
}
