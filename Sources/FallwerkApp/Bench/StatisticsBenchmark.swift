import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Vapor

/// `fallwerk bench statistics`: times the statistics of one and of five years on the reference data
/// (issue 15 targets: ≤ 300 ms and ≤ 1 s), whole provider, computed as the page and API compute them.
public enum StatisticsBenchmark {
    public static func run(_ app: Application, runs: Int, print: @escaping @Sendable (String) -> Void) async throws {
        let today = BerlinTime.local(app.fallwerk.clock.now()).day
        let clock = ContinuousClock()
        for (label, years, target) in [("1 year", 1, 300), ("5 years", 5, 1_000)] {
            let period = StatisticsPeriod(from: today.adding(months: -12 * years).adding(days: 1), to: today)
            var times: [Double] = []
            var stats: CaseStatistics?
            for _ in 0..<max(1, runs) {
                let started = clock.now
                stats = try await StatisticsStore.compute(period, scope: StatisticsScope(), on: app.db)
                times.append(BillingBenchmark.seconds(clock.now - started))
            }
            let sorted = times.sorted()
            let median = sorted[sorted.count / 2] * 1000
            let s = stats!
            print(String(format: "statistics %@ (%@ – %@): median %.0f ms, min %.0f ms, max %.0f ms (target ≤ %d ms: %@)", label, period.from.iso,
                         period.to.iso, median, sorted[0] * 1000, sorted[sorted.count - 1] * 1000, target, median <= Double(target) ? "met" : "NOT met"))
            print("  begun \(s.total.begun), running at start \(s.total.runningAtStart), ended \(s.total.ended), running at end \(s.total.runningAtEnd), "
                  + "delivered \(Minutes(s.total.deliveredMinutes).germanHours) h, billed \(s.total.billed.german)")
        }
    }
}

extension FallwerkServer {
    public typealias Running = Application

    /// An application on `configuration`, migrated, for `body` (benchmarks); shut down whatever happens.
    public static func withMigratedApplication(_ configuration: AppConfiguration, _ body: (Application) async throws -> Void) async throws {
        let app = try await makeApplication(configuration, vaporArguments: ["fallwerk", "--log", "warning"])
        do {
            try await migrate(app)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
