import CFallwerkSQLite
import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers

/// Reads on SQLite that run outside a transaction, on the calling thread, through read-only connections
/// of their own that keep each statement prepared across requests (decision 0026).
///
/// Through sqlite-nio every statement is handed from the request's task to an event loop (to lease a
/// pooled connection), to a thread of its pool (to run), and back, and is parsed again each time: on a
/// busy two-core server that machinery cost more than SQLite's own work for the small reads every
/// request makes (sign-in, the case, its budget window; issue 12). SQLite answers those in microseconds,
/// which a thread can wait for as it waits for a lock.
///
/// Only statements that SQLite says only read, and only outside a transaction: a transaction's reads
/// must see its own writes, so they stay on its connection; every write goes through the one writer
/// (`writeTransaction`, on SQLite the `DirectSQLiteWriter`). The connections are opened read-only, so a
/// write here would fail instead of passing the writer by. Each read sees the last committed state, as a pooled connection's
/// does (write-ahead log).
public final class DirectSQLiteReader: Sendable {
    /// The database file.
    public let path: String
    private let idle = NIOLockedValueBox<[DirectSQLiteConnection]>([])
    private let closed = NIOLockedValueBox(false)
    /// Connections kept when no read holds them; more are opened when more reads run at once.
    private let keep: Int

    public init(path: String, keep: Int = 8) {
        self.path = path
        self.keep = keep
    }

    /// The reader `db` reads through, when it is an SQLite database outside a transaction configured with one.
    static func serving(_ db: any SQLDatabase) -> DirectSQLiteReader? {
        guard let database = db as? any Database, !database.inTransaction else { return nil }
        return (database.context.configuration as? DirectSQLiteConfiguration)?.reader
    }

    /// The rows of `sql` with `binds` (`?1`, `?2`, …); `DirectSQLiteConnection.NotARead` for a statement
    /// that writes: it is not this reader's, run it through the writer or the driver.
    func rows(_ sql: String, _ binds: [SQLiteData]) throws -> [PlainSQLiteRow] {
        let connection = try checkOut()
        do {
            let rows = try connection.rows(sql, binds, onlyReads: true)
            checkIn(connection)
            return rows
        } catch let error as DirectSQLiteConnection.NotARead {
            checkIn(connection)
            throw error
        } catch {
            // A connection that failed is not reused: its statement may be left mid-way.
            connection.close()
            throw error
        }
    }

    /// How often SQLite prepared a kept statement of the idle connections again by itself (tests).
    var preparedAgain: Int { idle.withLockedValue { $0.reduce(0) { $0 + $1.preparedAgain } } }

    /// Closes every idle connection; reads after this open none (the application shuts down).
    public func close() {
        closed.withLockedValue { $0 = true }
        for connection in idle.withLockedValue({ connections in defer { connections = [] }; return connections }) {
            connection.close()
        }
    }

    private func checkOut() throws -> DirectSQLiteConnection {
        if let connection = idle.withLockedValue({ $0.popLast() }) { return connection }
        return try DirectSQLiteConnection(path: path, readOnly: true)
    }

    private func checkIn(_ connection: DirectSQLiteConnection) {
        let kept = idle.withLockedValue { connections in
            guard connections.count < keep, !closed.withLockedValue({ $0 }) else { return false }
            connections.append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}

/// A database configuration that reads through a `DirectSQLiteReader` and writes through a
/// `DirectSQLiteWriter` beside the driver it wraps (migrations, the command-line tools and anything
/// outside a write transaction still use the driver).
public struct DirectSQLiteConfiguration: DatabaseConfiguration {
    var wrapped: any DatabaseConfiguration
    public let reader: DirectSQLiteReader
    public let writer: DirectSQLiteWriter
    /// Summaries and records the lists computed, with the versions they were computed from (decision 0028).
    public let cache: CaseWorkCache

    public init(_ wrapped: DatabaseConfigurationFactory, reader: DirectSQLiteReader, writer: DirectSQLiteWriter,
                cache: CaseWorkCache = CaseWorkCache()) {
        self.wrapped = wrapped.make()
        self.reader = reader
        self.writer = writer
        self.cache = cache
    }

    public var middleware: [any AnyModelMiddleware] {
        get { wrapped.middleware }
        set { wrapped.middleware = newValue }
    }

    public func makeDriver(for databases: Databases) -> any DatabaseDriver { wrapped.makeDriver(for: databases) }
}

extension DatabaseConfigurationFactory {
    /// `configuration`, with reads outside transactions through `reader` and write transactions through `writer`.
    public static func directSQLite(_ configuration: DatabaseConfigurationFactory, reader: DirectSQLiteReader,
                                    writer: DirectSQLiteWriter) -> Self {
        let cache = CaseWorkCache()
        return .init { DirectSQLiteConfiguration(configuration, reader: reader, writer: writer, cache: cache) }
    }
}
