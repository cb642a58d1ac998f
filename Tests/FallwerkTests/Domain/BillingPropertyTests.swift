@testable import FallwerkDomain
import Foundation
import Testing

extension AllTests {
    @Suite("Billing properties R13, R14")
    struct BillingProperties {
        /// A small deterministic generator, so a failure names the seed that reproduces it.
        struct SplitMix: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }

        static func month(seed: UInt64) -> [BillableEntry] {
            var random = SplitMix(state: seed)
            let rates = [Cents(5_840), Cents(6_120), Cents(6_240)]
            return (0..<Int.random(in: 0...40, using: &random)).map { _ in
                let counted = Int.random(in: 0...240, using: &random)
                let travel = Bool.random(using: &random)
                return BillableEntry(
                    date: Day(year: 2026, month: 11, day: Int.random(in: 1...30, using: &random))!,
                    kind: EntryKind.allCases.randomElement(using: &random)!,
                    countedMinutes: counted, billableMinutes: Int.random(in: 0...counted, using: &random),
                    hourlyRate: Int.random(in: 0...9, using: &random) == 0 ? nil : rates.randomElement(using: &random),
                    travelUnitPrice: travel ? Cents(Int64.random(in: 1...900, using: &random)) : .zero,
                    travelQuantity: travel ? Int.random(in: 1...40, using: &random) : 0,
                    travelPerKm: Bool.random(using: &random))
            }
        }

        @Test("R14 for 500 random months the lines add up to the total, and no line is negative", arguments: 0..<5)
        func linesAddUp(batch: UInt64) {
            for seed in (batch * 100)..<(batch * 100 + 100) {
                let lines = BillingRules.lines(Self.month(seed: seed))
                let sum = lines.reduce(Int64(0)) { $0 + $1.amount.value }
                #expect(BillingRules.total(lines).value == sum, "seed \(seed)")
                #expect(lines.allSatisfy { $0.amount.value >= 0 && $0.minutes >= 0 }, "seed \(seed)")
                // R13: each hour line is its minutes at its rate, rounded half up once.
                for line in lines where line.kind != .travel && line.kind != .overBudget {
                    #expect(line.amount == Cents.price(minutes: line.minutes, hourlyRate: line.unitPrice), "seed \(seed)")
                }
            }
        }

        @Test("R14 a month's lines do not depend on the order of its entries: a run is deterministic", arguments: 0..<5)
        func orderDoesNotMatter(batch: UInt64) {
            for seed in (batch * 100)..<(batch * 100 + 100) {
                let entries = Self.month(seed: seed)
                var random = SplitMix(state: seed ^ 0xFFFF)
                #expect(BillingRules.lines(entries.shuffled(using: &random)) == BillingRules.lines(entries), "seed \(seed)")
            }
        }

        @Test("R14 summing first and pricing the sums gives the same lines as pricing every entry's group: aggregating in SQL is safe")
        func aggregationIsSafe() {
            for seed in UInt64(0)..<200 {
                let entries = Self.month(seed: seed)
                // What the billing run's SQL does: sum minutes and travel per kind, rate and travel price.
                struct Key: Hashable { let kind: EntryKind; let rate: Cents?; let travel: Cents; let perKm: Bool }
                let grouped = Dictionary(grouping: entries) { Key(kind: $0.kind, rate: $0.hourlyRate, travel: $0.travelUnitPrice, perKm: $0.travelPerKm) }
                let summed = grouped.map { key, group in
                    BillableEntry(date: group[0].date, kind: key.kind, countedMinutes: group.reduce(0) { $0 + $1.countedMinutes },
                                  billableMinutes: group.reduce(0) { $0 + $1.billableMinutes }, hourlyRate: key.rate,
                                  travelUnitPrice: key.travel, travelQuantity: group.reduce(0) { $0 + $1.travelQuantity }, travelPerKm: key.perKm)
                }
                #expect(BillingRules.lines(summed) == BillingRules.lines(entries), "seed \(seed)")
            }
        }
    }
}
