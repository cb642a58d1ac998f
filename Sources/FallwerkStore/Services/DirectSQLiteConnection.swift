import CFallwerkSQLite
import FluentKit
import FluentSQLiteDriver
import Foundation

/// One SQLite connection of Fallwerk's own, with its statements prepared once and kept; used by one
/// caller at a time (the reader checks it out, the writer holds a lock around each statement).
/// Statements run on the calling thread (decision 0026; for writes, 0027).
final class DirectSQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: Prepared] = [:]
    /// How often SQLite prepared one of the kept statements again by itself (after a schema change, or
    /// when a bound value could choose another plan); with stable plans only after a schema change.
    private(set) var preparedAgain = 0
    /// SQLite's `synchronous` as this connection has it (a connection that writes opens with FULL).
    private var syncs = Durability.atCommit
    /// Statements kept per connection; the stores have fewer than this, so the limit only guards against a leak.
    private static let statementLimit = 256

    private final class Prepared {
        let handle: OpaquePointer
        var columns: PlainSQLiteRow.Columns?
        init(_ handle: OpaquePointer) { self.handle = handle }
    }

    /// SQLite says the statement writes, on a connection that only reads.
    struct NotARead: Error {}

    /// A read-only connection, or one that reads and writes (then with foreign keys on, as SQLiteKit opens
    /// its connections, so that the constraints and cascades hold as they do through the driver).
    init(path: String, readOnly: Bool) throws {
        var handle: OpaquePointer?
        // Without SQLite's own mutex: one caller at a time holds the connection.
        let flags: Int32 = (readOnly ? 0x0000_0001 /* READONLY */ : 0x0000_0002 /* READWRITE */) | 0x0000_8000 /* NOMUTEX */
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == 0, let handle else {
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw DirectSQLiteFailure(code: status, message: "open")
        }
        // A reader waits for a checkpoint or recovery, a writer for another process's write, as long as
        // the driver's writes wait.
        sqlite_nio_sqlite3_busy_timeout(handle, Int32(busyTimeoutMilliseconds))
        self.handle = handle
        // Kept statements keep their plans: otherwise SQLite prepares some of them again on every call.
        let stable = fallwerk_sqlite_stable_plans(handle)
        guard stable == 0 else {
            close()
            throw DirectSQLiteFailure(code: stable, message: "query planner stability")
        }
        if !readOnly {
            do {
                _ = try rows("PRAGMA foreign_keys = ON", [], onlyReads: false)
                _ = try rows("PRAGMA synchronous = FULL", [], onlyReads: false)
                _ = try rows("PRAGMA cache_size = -32768", [], onlyReads: false)
                // Statement journals in memory: a group's statements copy the pages they change there, and
                // past 64 KiB SQLite spilled them to a new file in /var/tmp (an open, writes and a close for
                // every few writes, issue 12).
                _ = try rows("PRAGMA temp_store = MEMORY", [], onlyReads: false)
            } catch {
                close()
                throw error
            }
        }
    }

    /// Sets SQLite's `synchronous` for the transactions that follow, where it differs (not inside one).
    func syncing(_ durability: Durability) throws {
        guard durability != syncs else { return }
        _ = try rows(durability == .atCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", [], onlyReads: false)
        syncs = durability
    }

    /// Commits on this connection no longer checkpoint; they tell `checkpointer` how large the log has
    /// grown instead (`sqlite3_wal_hook` replaces SQLite's automatic checkpoint). The checkpointer must
    /// outlive the connection.
    func handOverCheckpoints(to checkpointer: WALCheckpointer) {
        guard let handle else { return }
        _ = sqlite_nio_sqlite3_wal_hook(handle, { context, _, _, pages in
            guard let context else { return 0 }
            Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().logGrew(to: Int(pages))
            return 0
        }, Unmanaged.passUnretained(checkpointer).toOpaque())
    }

    /// Copies what the write-ahead log holds into the database file as far as no reader still needs it,
    /// without waiting for readers or writers (`SQLITE_CHECKPOINT_PASSIVE`).
    func checkpoint() throws {
        guard let handle else { throw DirectSQLiteFailure(code: 21, message: "closed") }
        var log: Int32 = 0, copied: Int32 = 0
        let status = sqlite_nio_sqlite3_wal_checkpoint_v2(handle, nil, 0 /* PASSIVE */, &log, &copied)
        guard status == 0 else { throw failure(status) }
    }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// How long a statement waits for another connection's lock before it fails as busy.
    func waitWhenBusy(milliseconds: Int) {
        if let handle { sqlite_nio_sqlite3_busy_timeout(handle, Int32(milliseconds)) }
    }

    /// The rows of `sql` with `binds` (`?1`, `?2`, …). With `onlyReads`, `NotARead` for a statement that
    /// writes, before it runs.
    func rows(_ sql: String, _ binds: [SQLiteData], onlyReads: Bool) throws -> [PlainSQLiteRow] {
        let prepared = try statement(sql)
        let statement = prepared.handle
        // SQLite's own answer, not a guess from the text (`WITH … DELETE` writes too).
        guard !onlyReads || sqlite_nio_sqlite3_stmt_readonly(statement) != 0 else { throw NotARead() }
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
        preparedAgain += Int(sqlite_nio_sqlite3_stmt_status(statement, 5 /* SQLITE_STMTSTATUS_REPREPARE */, 1))
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
        return DirectSQLiteFailure(code: status, message: handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "")
    }
}

/// SQLite refused a statement on a direct connection (never a user's input: the statements are the
/// stores' own). A constraint that failed reads as one to the stores, as the driver's error does.
struct DirectSQLiteFailure: Error, DatabaseError, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite \(code): \(message)" }

    var isSyntaxError: Bool { code & 0xFF == 1 /* ERROR */ }
    var isConnectionClosed: Bool { code & 0xFF == 21 /* MISUSE */ || code & 0xFF == 14 /* CANTOPEN */ }
    var isConstraintFailure: Bool { code & 0xFF == 19 /* CONSTRAINT */ }
}
