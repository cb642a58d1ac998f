import FallwerkDomain
import Foundation
import NIOCore
import Vapor

/// `fallwerk bench http`: the read targets of issue 12 measured over a real socket. Starts the
/// server in this process on a loopback port, signs in the demo logins through the API, sends each
/// target's requests from concurrent clients and reports p50/p95/p99 per target and the process's
/// resident memory afterwards. Run on purpose on `fallwerk demo --scale large`; never in the tests.
public enum HTTPBenchmark {
    public struct Target: Sendable {
        public let name: String
        /// Path and query; `{case}` is replaced by a running case of the reference data.
        public let path: String
        /// Demo login that sends it.
        public let login: String
        public let clients: Int
        public let requestsPerClient: Int
        /// The issue's target for the 95th percentile, in milliseconds.
        public let goalP95: Int

        /// Whether the target stands for many users at once (a caseworker's start page, a budget bar): only
        /// those are paced by `--rate`. Management's pages are one person's request; paced at a rate their
        /// single request cannot keep, they would count their own queue.
        public var standsForManyUsers: Bool { clients >= 16 }
    }

    /// The targets of issue 12 that the API can show (pages render the same store calls). The sixteen-client
    /// targets send 1,600 requests each: with 400, one pause of the machine decided the p95.
    public static let targets: [Target] = [
        Target(name: "cases running, management, first page", path: "/api/v1/cases?status=running", login: "leitung",
               clients: 4, requestsPerClient: 10, goalP95: 300),
        Target(name: "case search q=Albers, management", path: "/api/v1/cases?q=Albers", login: "leitung",
               clients: 4, requestsPerClient: 10, goalP95: 100),
        Target(name: "caseworker's running cases", path: "/api/v1/cases?status=running", login: "fachkraft",
               clients: 16, requestsPerClient: 100, goalP95: 20),
        Target(name: "caseworker's alerts (Hinweise)", path: "/api/v1/alerts", login: "fachkraft",
               clients: 16, requestsPerClient: 100, goalP95: 20),
        Target(name: "budget status of one case", path: "/api/v1/cases/{case}/budget", login: "leitung",
               clients: 16, requestsPerClient: 100, goalP95: 20),
        Target(name: "deadlines, everyone (Fristen)", path: "/api/v1/deadlines?scope=all&weeks=8", login: "leitung",
               clients: 1, requestsPerClient: 10, goalP95: 300),
        Target(name: "alerts, management (Hinweise / Übersicht)", path: "/api/v1/alerts", login: "leitung",
               clients: 1, requestsPerClient: 10, goalP95: 300),
    ]

    public struct Result: Sendable {
        public let target: Target
        public let milliseconds: [Double]
        public let failures: Int
        public let seconds: Double

        func percentile(_ p: Double) -> Double { LoadRun(milliseconds: milliseconds).percentile(p) }

        public var line: String {
            let p95 = percentile(0.95)
            return String(format: "%@: %d requests from %d clients, %.0f req/s; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%@ — target p95 ≤ %d ms: %@",
                          target.name, milliseconds.count, target.clients, Double(milliseconds.count) / max(seconds, 0.000_001),
                          percentile(0.5), p95, percentile(0.99), milliseconds.max() ?? .nan,
                          failures > 0 ? ", \(failures) failed" : "", target.goalP95, failures == 0 && p95 <= Double(target.goalP95) ? "met" : "NOT met")
        }
    }

    public static func run(_ app: Application, port: Int, only: String?, timeout: Int64, rate: Int? = nil,
                           report: @Sendable (String) -> Void) async throws {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        let base = "http://127.0.0.1:\(port)"
        let client = app.client
        var tokens: [String: String] = [:]
        for login in Set(targets.map(\.login)) {
            let response = try await client.post(URI(string: base + "/api/v1/session")) { request in
                try request.content.encode(["username": login, "password": "fallwerk-demo"])
            }
            struct Session: Decodable { let token: String }
            guard response.status == .created, let token = try? response.content.decode(Session.self).token else {
                throw Abort(.internalServerError, reason: "bench: cannot sign in as \(login) (is this the demo data?)")
            }
            tokens[login] = token
        }
        // A running case of the reference data for the budget target.
        let firstPage = try await client.get(URI(string: base + "/api/v1/cases?status=running&limit=1"),
                                             headers: ["Authorization": "Bearer \(tokens["leitung"] ?? "")"])
        struct CaseID: Decodable { let id: String }
        let caseID = (try? firstPage.content.decode([CaseID].self).first?.id) ?? ""
        report("bench http on \(base), \(ProcessInfo.processInfo.activeProcessorCount) cores, resident memory at start \(residentMegabytes()) MB"
               + (rate.map { ", each target's clients together sending \($0) requests a second" } ?? ", clients without pause"))
        for target in targets where only.map({ target.name.localizedCaseInsensitiveContains($0) }) ?? true {
            if rate != nil, !target.standsForManyUsers {
                report("\(target.name): left out, one person's page (measure it without --rate)")
                continue
            }
            let path = target.path.replacingOccurrences(of: "{case}", with: caseID)
            let request = LeanHTTPClient.Request(path: path, headers: [("Authorization", "Bearer \(tokens[target.login] ?? "")")])
            let run = await LeanHTTPClient.load(port: port, clients: target.clients, requests: target.requestsPerClient, expecting: 200,
                                                rate: rate, timeoutSeconds: Int(timeout)) { _, _ in request }
            let result = Result(target: target, milliseconds: run.milliseconds, failures: run.failures.count, seconds: run.seconds)
            for failure in run.firstFailures { report("first failure of \(failure)") }
            report(result.line)
        }
        report("resident memory after the load: \(residentMegabytes()) MB (target ≤ 250 MB)")
        await app.server.shutdown()
    }

    /// What a load run measured: each request's milliseconds, the first failure of each client that had
    /// one, and the seconds the whole run took.
    struct LoadRun: Sendable {
        var milliseconds: [Double] = []
        var failures: [String] = []
        var firstFailures: [String] = []
        var seconds = 0.0

        func percentile(_ p: Double) -> Double {
            let sorted = milliseconds.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// VmRSS of this process from /proc (Linux), in MB; 0 where there is none.
    static func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").compactMap({ Int($0) }).first else { return 0 }
        return kilobytes / 1024
    }
}
