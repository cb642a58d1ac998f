import FallwerkDomain
import Foundation
import NIOConcurrencyHelpers

/// Where the data lives.
public enum DatabaseChoice: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    /// `searchPath` isolates a schema (used by the tests to give each test its own).
    case postgres(url: String, searchPath: [String]? = nil)

    /// Reads `DATABASE_URL` (`postgres://…`, `postgresql://…`, `sqlite:///path`), else the SQLite file.
    public static func from(databaseURL: String?, dataPath: String) throws -> DatabaseChoice {
        guard let url = databaseURL?.trimmed, !url.isEmpty else { return .sqliteFile(dataPath) }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ConfigurationError("DATABASE_URL sqlite:// needs a path, e.g. sqlite:///var/lib/fallwerk/data.sqlite") }
            return path == ":memory:" ? .sqliteMemory : .sqliteFile(path)
        }
        throw ConfigurationError("DATABASE_URL must start with postgres://, postgresql:// or sqlite://")
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The current time. The domain never reads it; the app passes "now" and "today" in.
public protocol AppClock: Sendable {
    func now() -> Date
}

public struct SystemClock: AppClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock the tests set and move.
public final class FixedClock: AppClock {
    private let current: NIOLockedValueBox<Date>

    public init(_ date: Date) { current = NIOLockedValueBox(date) }

    public func now() -> Date { current.withLockedValue { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLockedValue { $0 += seconds } }
}

/// Everything that differs between a production start, the demo and a test.
public struct AppConfiguration: Sendable {
    public var database: DatabaseChoice
    public var clock: any AppClock
    /// Set the Secure flag on the session cookie; on whenever Fallwerk is reached over HTTPS.
    public var secureCookies: Bool
    /// A page session ends after this much inactivity.
    public var sessionTimeout: TimeInterval = 30 * 60
    /// A page session ends this long after signing in, however active (absolute timeout).
    public var sessionMaxAge: TimeInterval = 10 * 3600
    /// Behind one TLS proxy: take the client's address from the last `X-Forwarded-For` entry
    /// (login throttling per address); otherwise every user would share the proxy's address.
    public var trustForwardedFor = false
    public var tokenLifetime: TimeInterval = 8 * 3600
    /// bcrypt cost; tests lower it to stay fast.
    public var bcryptCost: Int = 12

    public init(database: DatabaseChoice, clock: any AppClock = SystemClock(), secureCookies: Bool = false) {
        self.database = database
        self.clock = clock
        self.secureCookies = secureCookies
    }
}

extension Date {
    /// The calendar day in Europe/Berlin, where all of Fallwerk's users work.
    public var dayInBerlin: Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        let c = calendar.dateComponents([.year, .month, .day], from: self)
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
