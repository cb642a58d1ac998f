import FallwerkDomain
import Foundation
import NIOCore
import Vapor

/// `fallwerk bench writes`: service entries posted through the API from concurrent clients over a
/// real socket (issue 12: at least 1,000 entries a second from 16 clients, p99 at most 50 ms). Each
/// client is one staff member recording work on their running cases in turn, as the caseworkers of a
/// provider do (the reference data gives each lead worker ten); `casesPerClient: 1` piles every entry
/// of a client on one case, the shape of the figures before 2026-12-07 (sixth). Run on purpose, on a
/// copy of the reference data (the command makes one): the entries stay in the file it writes to.
public enum WriteBenchmark {
    public static func run(_ app: Application, port: Int, clients: Int, entriesPerClient: Int, casesPerClient: Int = 1, today: Day,
                           report: @escaping @Sendable (String) -> Void) async throws -> Bool {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        let base = "http://127.0.0.1:\(port)"
        let client = app.client
        let signIn = try await client.post(URI(string: base + "/api/v1/session")) { request in
            try request.content.encode(["username": "leitung", "password": "fallwerk-demo"])
        }
        struct Session: Decodable { let token: String }
        guard signIn.status == .created, let token = try? signIn.content.decode(Session.self).token else {
            throw Abort(.internalServerError, reason: "bench: cannot sign in as leitung (is this the demo data?)")
        }
        let headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
        // Running cases with different lead workers, so that no two clients write for one person at one time.
        struct Staff: Decodable { let staffId: String; let role: String }
        struct Case: Decodable { let id: String; let startDate: String; let staff: [Staff] }
        let list = try await client.get(URI(string: base + "/api/v1/cases?status=running&limit=500"), headers: headers)
        var seen = Set<String>()
        let cases = try list.content.decode([Case].self).filter { record in
            guard let lead = record.staff.first(where: { $0.role == "lead" })?.staffId, record.startDate <= today.adding(days: -7).iso else { return false }
            return seen.insert(lead).inserted
        }.prefix(clients)
        guard cases.count == clients else { throw Abort(.internalServerError, reason: "bench: fewer than \(clients) running cases") }
        let leads = cases.map { record in record.staff.first { $0.role == "lead" }!.staffId }
        // Each client's cases: the running ones its staff member leads, the first found among them.
        var written: [[String]] = []
        for (lead, first) in zip(leads, cases) {
            var own = [first.id]
            if casesPerClient > 1 {
                let theirs = try await client.get(URI(string: base + "/api/v1/cases?status=running&limit=100&staffId=\(lead)"), headers: headers)
                own += try theirs.content.decode([Case].self).filter { record in
                    record.id != first.id && record.startDate <= today.adding(days: -7).iso
                        && record.staff.contains { $0.staffId == lead && $0.role == "lead" }
                }.prefix(casesPerClient - 1).map(\.id)
            }
            written.append(own)
        }
        let caseIDs = written
        report("bench writes on \(base), \(ProcessInfo.processInfo.activeProcessorCount) cores: \(clients) clients × \(entriesPerClient) entries, "
               + "each on \(caseIDs.map(\.count).min() ?? 0)–\(caseIDs.map(\.count).max() ?? 0) running cases of its staff member in turn")

        let run = await LeanHTTPClient.load(port: port, clients: clients, requests: entriesPerClient, expecting: 201) { clientIndex, index in
            // A quarter of an hour each, on the five days before today, one after another from 18:45
            // (the reference data's entries end by 18:30: `ScaleData` starts them until 16:30 and keeps
            // them at most two hours); the uncounted first one at 18:30.
            let day = today.adding(days: -1 - (index + 5) % 5)
            let slot = 18 * 60 + 45 + (index < 0 ? -15 : (index / 5) * 15)
            let body: [String: String] = [
                "staffId": leads[clientIndex], "date": day.iso, "kind": "direct",
                "start": String(format: "%02d:%02d", slot / 60, slot % 60), "minutes": "15",
            ]
            let own = caseIDs[clientIndex], caseID = own[(index + 1) % own.count]
            return LeanHTTPClient.Request(method: "POST", path: "/api/v1/cases/\(caseID)/entries",
                                          headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                          body: Self.json(body))
        }
        for failure in run.firstFailures { report("first refusal of \(failure)") }
        let perSecond = Double(run.milliseconds.count - run.failures.count) / max(run.seconds, 0.000_001)
        let met = run.failures.isEmpty && perSecond >= 1_000 && run.percentile(0.99) <= 50
        report(String(format: "entry writes: %d requests, %d failed, %.0f entries/s; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms — target ≥ 1,000/s and p99 ≤ 50 ms: %@",
                      run.milliseconds.count, run.failures.count, perSecond, run.percentile(0.5), run.percentile(0.95), run.percentile(0.99),
                      run.milliseconds.max() ?? Double.nan, met ? "met" : "NOT met"))
        report("resident memory after the load: \(HTTPBenchmark.residentMegabytes()) MB (target ≤ 250 MB)")
        await app.server.shutdown()
        return run.failures.isEmpty
    }

    /// A copy of the SQLite file at `path` beside it, with its write-ahead log if there is one (SQLite
    /// folds it in when the copy is opened). The file must not be written meanwhile. The copy is on disk
    /// before the server opens it: otherwise the first checkpoint's sync wrote back the whole fresh copy
    /// (a 1.5 GB file: every write waited some 600 ms once, which the figures then showed as p99).
    public static func copy(_ path: String) throws -> String {
        let copy = path + ".bench-writes"
        remove(copy)
        for suffix in ["", "-wal"] where suffix.isEmpty || FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
            let written = try FileHandle(forUpdating: URL(fileURLWithPath: copy + suffix))
            try written.synchronize()
            try written.close()
        }
        return copy
    }

    public static func remove(_ copy: String) {
        TemporaryDatabaseFile.remove(copy)
    }

    /// The entry as JSON: minutes as a number, everything else as text.
    static func json(_ body: [String: String]) -> String {
        "{" + body.sorted { $0.key < $1.key }.map { key, value in
            key == "minutes" ? "\"\(key)\":\(value)" : "\"\(key)\":\"\(value)\""
        }.joined(separator: ",") + "}"
    }
}
