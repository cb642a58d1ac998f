import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Vapor

/// `fallwerk bench billing`: times the monthly billing run against one raw SQL aggregate over the
/// same file and checks that both give the same totals (SPEC performance targets). Run on purpose,
/// on a data set from `fallwerk demo --scale large`; never part of the test suite.
public enum BillingBenchmark {
    public struct Report: Sendable {
        public let month: Month
        public let invoices: Int
        public let total: Cents
        public let runSeconds: [Double]
        public let rawSeconds: [Double]
        public let totalsMatch: Bool
        public let mismatches: Int

        public var text: String {
            func ms(_ values: [Double]) -> String {
                let sorted = values.sorted()
                let median = sorted[sorted.count / 2]
                return String(format: "median %.0f ms, min %.0f ms, max %.0f ms", median * 1000, sorted[0] * 1000, sorted[sorted.count - 1] * 1000)
            }
            let ratio = runSeconds.sorted()[runSeconds.count / 2] / max(rawSeconds.sorted()[rawSeconds.count / 2], 0.000_001)
            return """
            billing run \(month.iso): \(invoices) draft invoices, total \(total.decimalString) EUR
              billing run (\(runSeconds.count)×): \(ms(runSeconds))
                each run in order: \(runSeconds.map { String(format: "%.0f ms", $0 * 1000) }.joined(separator: ", ")) (the first writes the drafts; later ones find them unchanged)
              raw SQL aggregate (\(rawSeconds.count)×): \(ms(rawSeconds))
              ratio run / raw SQL (medians): \(String(format: "%.2f", ratio))
              totals per case equal: \(totalsMatch ? "yes" : "NO (\(mismatches) cases differ)")
            """
        }
    }

    public static func run(_ app: Application, month: Month, runs: Int) async throws -> Report {
        let db = app.db
        let clock = ContinuousClock()
        let context = WriteContext(actor: AuditActor(userID: nil, username: "benchmark"), now: app.fallwerk.clock.now())
        let today = BerlinTime.local(app.fallwerk.clock.now()).day
        var runSeconds: [Double] = [], rawSeconds: [Double] = []
        var result: BillingRunResult?
        for _ in 0..<max(1, runs) {
            let started = clock.now
            result = try await BillingStore.run(month, context: context, today: today, on: db)
            runSeconds.append(seconds(clock.now - started))
        }
        var reference: [BillingReference.CaseTotal] = []
        for _ in 0..<max(1, runs) {
            let started = clock.now
            reference = try await BillingReference.monthTotals(month, on: db)
            rawSeconds.append(seconds(clock.now - started))
        }
        let drafts = try await BillingStore.list(month: month, on: db).filter { $0.status == .draft }
        let ours = Dictionary(uniqueKeysWithValues: drafts.map { ($0.caseID, $0.total.value) })
        let theirs = Dictionary(uniqueKeysWithValues: reference.map { ($0.caseID, $0.totalCents) })
        let mismatches = Set(ours.keys).union(theirs.keys).filter { ours[$0] != theirs[$0] }.count
        return Report(month: month, invoices: result?.invoiceCount ?? 0, total: result?.total ?? .zero,
                      runSeconds: runSeconds, rawSeconds: rawSeconds, totalsMatch: mismatches == 0, mismatches: mismatches)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension FallwerkServer {
    /// Fills an empty database with the large reference data set; nil when it held users already.
    public static func seedScale(_ app: Application, size: ScaleData.Size, progress: @escaping @Sendable (String) -> Void) async throws -> ScaleData.Summary? {
        try await ScaleData.generate(size, on: app.db, hash: PasswordHashing.hasher(for: app), now: app.fallwerk.clock.now(), progress: progress)
    }
}
