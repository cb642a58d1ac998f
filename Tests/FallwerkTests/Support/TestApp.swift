@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

/// A configured application on a fresh database: in-memory SQLite by default, or — when
/// `FALLWERK_TEST_DATABASE_URL` names a PostgreSQL server — a schema of its own on that server,
/// so tests run in parallel without seeing each other.
struct TestApp {
    let app: Application
    let clock: FixedClock

    /// 22 November 2026, 10:00 in Berlin. Tests never read the wall clock.
    static let referenceNow = Date(timeIntervalSince1970: 1_795_338_000)

    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["FALLWERK_TEST_DATABASE_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    /// On PostgreSQL, at most this many test applications at once: each holds a few connections, and
    /// Swift Testing starts hundreds of tests side by side, which once exhausted the server's 500
    /// connection slots ("remaining connection slots are reserved") and failed unrelated tests.
    static let postgresSlots = TestSlots(limit: 40)

    static func run(trustForwardedFor: Bool = false, _ test: (TestApp) async throws -> Void) async throws {
        guard postgresURL != nil else { return try await runApp(trustForwardedFor: trustForwardedFor, test) }
        await postgresSlots.acquire()
        do {
            try await runApp(trustForwardedFor: trustForwardedFor, test)
        } catch {
            await postgresSlots.release()
            throw error
        }
        await postgresSlots.release()
    }

    private static func runApp(trustForwardedFor: Bool, _ test: (TestApp) async throws -> Void) async throws {
        let clock = FixedClock(referenceNow)
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let database: DatabaseChoice = postgresURL.map { .postgres(url: $0, searchPath: [String(schema)]) } ?? .sqliteMemory
        var configuration = AppConfiguration(database: database, clock: clock)
        configuration.bcryptCost = 4
        configuration.trustForwardedFor = trustForwardedFor
        let app = try await Application.make(.testing)
        // Live page posts (`WebSession(live:)`) read the 303 themselves, as a test of a form post must.
        app.http.client.configuration.redirectConfiguration = .disallow
        do {
            try await configure(app, configuration)
            if postgresURL != nil, let sql = app.db as? any SQLDatabase {
                try await sql.raw("CREATE SCHEMA \(ident: String(schema))").run()
            }
            try await app.autoMigrate()
            try await test(TestApp(app: app, clock: clock))
        } catch {
            await tearDown(app, schema: String(schema))
            throw error
        }
        await tearDown(app, schema: String(schema))
    }

    private static func tearDown(_ app: Application, schema: String) async {
        if postgresURL != nil, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }

    var db: any Database { app.db }
    var writeContext: WriteContext { WriteContext(actor: .commandLine, now: clock.now()) }

    // MARK: Users and tokens

    static let password = "richtig-gutes-passwort"

    @discardableResult
    func addUser(_ username: String, _ roles: Role...) async throws -> UUID {
        try await UserStore.save(UserInput(username: username, displayName: username.capitalized, roles: roles.map(\.rawValue), password: Self.password),
                                 hash: { try Bcrypt.hash($0, cost: 4) }, context: writeContext, on: db)
    }

    /// A bearer token for a new user with these roles.
    func token(_ roles: Role..., username: String? = nil) async throws -> String {
        let name = username ?? "u" + UUID().uuidString.prefix(8).lowercased()
        try await UserStore.save(UserInput(username: name, displayName: name, roles: roles.map(\.rawValue), password: Self.password),
                                 hash: { try Bcrypt.hash($0, cost: 4) }, context: writeContext, on: db)
        let response = try await send(.POST, "/api/v1/session", json: ["username": name, "password": Self.password])
        #expect(response.status == .created)
        return try response.json()["token"] as? String ?? ""
    }

    // MARK: HTTP

    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: Any? = nil, rawBody: String? = nil,
              contentType: String = "application/json", headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers.replaceOrAdd(name: .contentType, value: contentType)
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            headers.replaceOrAdd(name: .contentType, value: contentType)
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    /// Creates master data through the API and returns the new id.
    func create(_ path: String, token: String, _ json: [String: Any]) async throws -> String {
        let response = try await send(.POST, path, token: token, json: json)
        #expect(response.status == .created, "\(path): \(response.body.string)")
        return try response.json()["id"] as? String ?? ""
    }
}

extension TestingHTTPResponse {
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
    }

    func jsonArray() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]] ?? []
    }

    /// The `errors[].field` names of a problem+json body.
    func problemFields() throws -> [String] {
        (try json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    var isProblemJSON: Bool {
        headers.first(name: .contentType)?.hasPrefix("application/problem+json") ?? false
    }
}

/// A counting semaphore for tests: `acquire` waits while `limit` holders are inside.
actor TestSlots {
    let limit: Int
    private var used = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if used < limit {
            used += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { used -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// Another process's connection to a SQLite file (a second application stands in for it).
enum OtherProcess {
    /// A migrated server application on a fresh SQLite file and a second application on the same file
    /// (another process: a backup tool, `fallwerk user add`); both shut down and the file removed after `body`.
    static func withFileDatabase(_ body: (_ server: TestApp, _ other: Application) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fallwerk-file-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let server = try await Application.make(.testing)
        let clock = FixedClock(TestApp.referenceNow)
        var configuration = AppConfiguration(database: .sqliteFile(path), clock: clock)
        configuration.bcryptCost = 4
        let other = try await Application.make(.testing)
        other.databases.use(.sqlite(.file(path)), as: .sqlite)
        do {
            try await configure(server, configuration)
            try await server.autoMigrate()
            try await body(TestApp(app: server, clock: clock), other)
        } catch {
            try? await other.asyncShutdown()
            try? await server.asyncShutdown()
            throw error
        }
        try await other.asyncShutdown()
        try await server.asyncShutdown()
    }

    /// Runs `body` while `other` holds the file's write lock in an open transaction, then lets go.
    static func holdingWriteLock<T>(_ other: Application, _ body: () async throws -> T) async throws -> T {
        let release = AsyncStream<Void>.makeStream()
        let holding = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await other.db.transaction { db in
                try await (db as! any SQLDatabase).raw("UPDATE users SET display_name = display_name").run()
                holding.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in holding.stream { break }
        let result: T
        do {
            result = try await body()
        } catch {
            release.continuation.yield()
            try? await holder.value
            throw error
        }
        release.continuation.yield()
        try await holder.value
        return result
    }
}
