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
/// must see its own writes, so they stay on its connection; every write goes through Fluent and the one
/// writer (`writeTransaction`). The connections are opened read-only, so a write here would fail
/// instead of passing the writer by. Each read sees the last committed state, as a pooled connection's
/// does (write-ahead log).
public final class DirectSQLiteReader: Sendable {
    /// The database file.
    public let path: String
    private let idle = NIOLockedValueBox<[Connection]>([])
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
        return (database.context.configuration as? DirectReadingConfiguration)?.reader
    }

    /// SQLite says the statement writes: it is not this reader's, run it through the driver.
    struct NotARead: Error {}

    /// The rows of `sql` with `binds` (`?1`, `?2`, …); `NotARead` for a statement that writes.
    func rows(_ sql: String, _ binds: [SQLiteData]) throws -> [PlainSQLiteRow] {
        let connection = try checkOut()
        do {
            let rows = try connection.rows(sql, binds)
            checkIn(connection)
            return rows
        } catch let error as NotARead {
            checkIn(connection)
            throw error
        } catch {
            // A connection that failed is not reused: its statement may be left mid-way.
            connection.close()
            throw error
        }
    }

    /// Closes every idle connection; reads after this open none (the application shuts down).
    public func close() {
        closed.withLockedValue { $0 = true }
        for connection in idle.withLockedValue({ connections in defer { connections = [] }; return connections }) {
            connection.close()
        }
    }

    private func checkOut() throws -> Connection {
        if let connection = idle.withLockedValue({ $0.popLast() }) { return connection }
        return try Connection(path: path)
    }

    private func checkIn(_ connection: Connection) {
        let kept = idle.withLockedValue { connections in
            guard connections.count < keep, !closed.withLockedValue({ $0 }) else { return false }
            connections.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    /// One read-only connection with its prepared statements; used by one read at a time (checked out).
    private final class Connection: @unchecked Sendable {
        private var handle: OpaquePointer?
        private var statements: [String: Prepared] = [:]
        /// Statements kept per connection; the stores have fewer than this, so the limit only guards against a leak.
        private static let statementLimit = 256

        private final class Prepared {
            let handle: OpaquePointer
            var columns: PlainSQLiteRow.Columns?
            init(_ handle: OpaquePointer) { self.handle = handle }
        }

        init(path: String) throws {
            var handle: OpaquePointer?
            // Read-only, and without SQLite's own mutex: one read at a time holds the connection.
            let status = sqlite_nio_sqlite3_open_v2(path, &handle, 0x0000_0001 /* READONLY */ | 0x0000_8000 /* NOMUTEX */, nil)
            guard status == 0, let handle else {
                if let handle { sqlite_nio_sqlite3_close_v2(handle) }
                throw DirectReadFailed(code: status, message: "open")
            }
            // A reader waits for a checkpoint or recovery as long as a writer waits for another writer.
            sqlite_nio_sqlite3_busy_timeout(handle, Int32(busyTimeoutMilliseconds))
            self.handle = handle
        }

        func close() {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
            statements = [:]
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            handle = nil
        }

        func rows(_ sql: String, _ binds: [SQLiteData]) throws -> [PlainSQLiteRow] {
            let prepared = try statement(sql)
            let statement = prepared.handle
            // SQLite's own answer, not a guess from the text (`WITH … DELETE` writes too).
            guard sqlite_nio_sqlite3_stmt_readonly(statement) != 0 else { throw NotARead() }
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            for (index, value) in binds.enumerated() {
                let position = Int32(index + 1)
                let status: Int32
                switch value {
                case .integer(let number): status = sqlite_nio_sqlite3_bind_int64(statement, position, Int64(number))
                case .float(let number): status = sqlite_nio_sqlite3_bind_double(statement, position, number)
                case .text(let text):
                    status = text.utf8CString.withUnsafeBufferPointer { chars in
                        sqlite_nio_sqlite3_bind_text64(statement, position, chars.baseAddress, UInt64(chars.count - 1),
                                                       fallwerk_sqlite_transient(), 1 /* UTF-8 */)
                    }
                case .blob(let buffer):
                    status = buffer.withUnsafeReadableBytes { bytes in
                        sqlite_nio_sqlite3_bind_blob64(statement, position, bytes.baseAddress, UInt64(bytes.count), fallwerk_sqlite_transient())
                    }
                case .null: status = sqlite_nio_sqlite3_bind_null(statement, position)
                }
                guard status == 0 else { throw failure(status) }
            }
            var rows: [PlainSQLiteRow] = []
            var count = 0
            var columns = PlainSQLiteRow.Columns(names: [])
            while true {
                let status = sqlite_nio_sqlite3_step(statement)
                if status == 101 /* DONE */ { break }
                guard status == 100 /* ROW */ else { throw failure(status) }
                if rows.isEmpty {
                    // Read after the first step: SQLite prepares a statement again after a schema change.
                    count = Int(sqlite_nio_sqlite3_column_count(statement))
                    if let known = prepared.columns, known.names.count == count { columns = known } else {
                        columns = PlainSQLiteRow.Columns(names: (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, Int32($0))) })
                        prepared.columns = columns
                    }
                }
                var values: [SQLiteData] = []
                values.reserveCapacity(count)
                for column in 0..<Int32(count) {
                    switch sqlite_nio_sqlite3_column_type(statement, column) {
                    case 1: values.append(.integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(statement, column))))
                    case 2: values.append(.float(sqlite_nio_sqlite3_column_double(statement, column)))
                    case 3:
                        let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                        if let text = sqlite_nio_sqlite3_column_text(statement, column) {
                            values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)))
                        } else {
                            values.append(.text(""))
                        }
                    case 4:
                        let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                        if let bytes = sqlite_nio_sqlite3_column_blob(statement, column), length > 0 {
                            values.append(.blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: length))))
                        } else {
                            values.append(.blob(ByteBuffer()))
                        }
                    default: values.append(.null)
                    }
                }
                rows.append(PlainSQLiteRow(columns: columns, values: values))
            }
            return rows
        }

        private func statement(_ sql: String) throws -> Prepared {
            if let known = statements[sql] { return known }
            if statements.count >= Self.statementLimit {
                for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
                statements = [:]
            }
            var statement: OpaquePointer?
            let status = sql.utf8CString.withUnsafeBufferPointer { chars in
                sqlite_nio_sqlite3_prepare_v3(handle, chars.baseAddress, Int32(chars.count), 0x01 /* PERSISTENT */, &statement, nil)
            }
            guard status == 0, let statement else { throw failure(status) }
            let prepared = Prepared(statement)
            statements[sql] = prepared
            return prepared
        }

        private func failure(_ status: Int32) -> any Error {
            // SQLite's busy and locked, also as extended codes: as a write that waited too long (503, in German).
            if status & 0xFF == 5 || status & 0xFF == 6 { return DatabaseBusy() }
            return DirectReadFailed(code: status, message: handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "")
        }
    }
}

/// SQLite refused a direct read (never a user's input: the statements are the stores' own).
struct DirectReadFailed: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite \(code): \(message)" }
}

/// A database configuration that reads through a `DirectSQLiteReader` beside the driver it wraps.
public struct DirectReadingConfiguration: DatabaseConfiguration {
    var wrapped: any DatabaseConfiguration
    public let reader: DirectSQLiteReader

    public init(_ wrapped: DatabaseConfigurationFactory, reader: DirectSQLiteReader) {
        self.wrapped = wrapped.make()
        self.reader = reader
    }

    public var middleware: [any AnyModelMiddleware] {
        get { wrapped.middleware }
        set { wrapped.middleware = newValue }
    }

    public func makeDriver(for databases: Databases) -> any DatabaseDriver { wrapped.makeDriver(for: databases) }
}

extension DatabaseConfigurationFactory {
    /// `configuration`, with reads outside transactions through `reader`.
    public static func directReading(_ configuration: DatabaseConfigurationFactory, reader: DirectSQLiteReader) -> Self {
        .init { DirectReadingConfiguration(configuration, reader: reader) }
    }
}
