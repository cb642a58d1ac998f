import FallwerkDomain
import FallwerkStore
import Vapor

/// Fallwerk's own per-application state: configuration, clock, a dummy hash for timing-safe logins.
struct FallwerkState: Sendable {
    let configuration: AppConfiguration
    let dummyPasswordHash: String
    /// Commits this application's read audits together (issue 12).
    let auditBatch = AuditBatch()

    var clock: any AppClock { configuration.clock }
}

extension Application {
    private struct FallwerkKey: StorageKey {
        typealias Value = FallwerkState
    }

    var fallwerk: FallwerkState {
        get {
            guard let state = storage[FallwerkKey.self] else { fatalError("configure(_:_:) was not called") }
            return state
        }
        set { storage[FallwerkKey.self] = newValue }
    }
}

extension Request {
    var now: Date { application.fallwerk.clock.now() }
    var today: Day { now.dayInBerlin }
    /// Day and minute in Berlin (the hours of R22).
    var nowInBerlin: DayTime {
        let local = BerlinTime.local(now)
        return DayTime(day: local.day, time: local.time)
    }
    var currentUser: CurrentUser? { auth.get(CurrentUser.self) }

    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Problem.unauthorized }
        return user
    }
}

enum PasswordHashing {
    /// bcrypt with the configured cost, on the application's thread pool: a hash takes about a quarter of a
    /// second at cost 12, and in a request's task it would hold an event loop, its sockets and its tasks, for
    /// that time (decision 0035).
    static func hasher(for app: Application) -> @Sendable (String) async throws -> String {
        let cost = app.fallwerk.configuration.bcryptCost, pool = app.threadPool
        return { password in try await pool.runIfActive { try Bcrypt.hash(password, cost: cost) } }
    }
}
