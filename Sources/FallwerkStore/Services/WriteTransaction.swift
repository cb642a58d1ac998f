import Fluent
import FluentPostgresDriver
import FluentSQL
import FluentSQLiteDriver
import Foundation

/// The database could not take a write now: another process (a backup, `fallwerk user add`, a
/// second server on the same file) held it longer than the retries waited. Nothing was written;
/// the request may simply be sent again. Shown as 503 with a German detail, never as a 500.
public struct DatabaseBusy: Error, Sendable {
    public init() {}
}

extension SQLiteError {
    /// SQLite answers "busy" or "locked" at once, without waiting, where waiting could deadlock:
    /// a transaction that read first and then wants to write while another connection writes.
    var isBusy: Bool {
        switch reason {
        case .busy, .locked, .busyInRecovery, .busyInSnapshot, .busyTimeout, .lockedBySharedCache: true
        default: false
        }
    }
}

/// SQLite has one writer at a time. Two transactions that both read before they write can block
/// each other, and SQLite then fails one of them at once (`SQLITE_BUSY` on a file, `SQLITE_LOCKED`
/// on the shared in-memory database) instead of waiting. On SQLite, write transactions of this
/// process therefore queue here, first come, first served, where the database has no
/// `DirectSQLiteWriter` (which keeps its own turns); PostgreSQL runs them side by side.
actor WriteQueue {
    static let shared = WriteQueue()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

/// When a write transaction's commit is on the disk, so that it outlives a power cut or a crash of the
/// operating system (a crash of the server alone loses nothing either way).
public enum Durability: Sendable {
    /// Before the commit returns: every change of case data, settings, accounts (SQLite's `synchronous =
    /// FULL`, PostgreSQL's default).
    case atCommit
    /// With the next durable commit or the next checkpoint, half a second later, whichever comes first
    /// (SQLite's `synchronous = NORMAL` in write-ahead-log mode and the `WALCheckpointer`; PostgreSQL's
    /// `synchronous_commit = off`, which its WAL writer flushes within a fraction of a second): the group
    /// commits of the read audit (R31). Waiting for the disk there made every list wait for it (issue 12);
    /// what a power cut can take is the note of the reads of its last moment, never data.
    case soon
}

extension Database {
    /// A transaction for work that writes; nested calls join the transaction they are in. On SQLite it
    /// runs on the `DirectSQLiteWriter` when the database has one (decision 0027; writes waiting there
    /// commit together, decision 0032), otherwise on a pooled
    /// connection; a transaction that another process's write made fail is rolled back and run again, a
    /// few times with a short pause; then `DatabaseBusy`. Bodies therefore only write to the database.
    ///
    /// `durability`: whether the commit waits until the disk holds it. Only the read audit's group commits
    /// pass `.soon` (see `Durability`); every change of data is durable when its request is answered.
    public func writeTransaction<T: Sendable>(_ durability: Durability = .atCommit,
                                              _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction, (self as? any SQLDatabase)?.dialect.name == "sqlite" else {
            // A nested call joins the transaction it is in (as the drivers' `transaction` does), without a task of its own.
            if inTransaction { return try await body(self) }
            guard let sql = self as? any SQLDatabase, sql.dialect.name == "postgresql" else { return try await transaction(body) }
            // Two writes that waited for each other's rows the other way round (the work-version triggers
            // lock their case and the generation, decision 0031): PostgreSQL ended one; it runs again.
            return try await retryingWhenBusy(isBusy: PostgresConflict.isConflict) {
                try await self.transaction { db in
                    if durability == .soon { try await (db as? any SQLDatabase)?.raw("SET LOCAL synchronous_commit TO OFF").run() }
                    return try await body(db)
                }
            }
        }
        if let writer = DirectSQLiteWriter.serving(self) {
            // The writer's own turns, with writes waiting committed together (group commit).
            return try await retryingWhenBusy { try await writer.transaction(context: self.context, durability: durability, body) }
        }
        await WriteQueue.shared.acquire()
        do {
            let result = try await retryingWhenBusy {
                try await self.transaction { db in
                    // Wait at most this long for another process's write (sqlite-nio otherwise waits forever);
                    // per connection, so set on the one this transaction holds, once.
                    try await BusyTimeout.ensure(on: db)
                    return try await body(db)
                }
            }
            await WriteQueue.shared.release()
            return result
        } catch {
            await WriteQueue.shared.release()
            throw error
        }
    }
}

extension Database {
    /// Runs two parts of a read or write side by side where its statements wait for the database
    /// (PostgreSQL's driver queues them on the connection), and one after the other on SQLite's writer and
    /// direct reader, whose statements complete where they are called: a child task there only waits for a
    /// thread of the shared pool, while every other write waits for the writer (decision 0030), and under
    /// load costs a task and a thread hand-over for nothing (0033).
    func sideBySide<A: Sendable, B: Sendable>(_ first: @escaping @Sendable () async throws -> A,
                                              _ second: @escaping @Sendable () async throws -> B) async throws -> (A, B) {
        if self is DirectWriteDatabase || (self as? any SQLDatabase).flatMap(DirectSQLiteReader.serving) != nil {
            return (try await first(), try await second())
        }
        async let a = first()
        async let b = second()
        return (try await a, try await b)
    }
}

/// How long one write waits for another process's write before it counts as busy.
let busyTimeoutMilliseconds = 1_000

/// SQLite's busy timeout is a setting of each connection, and the pool opens its connections without
/// it: set on a connection the first time a write transaction holds it, not by a statement in every
/// write (issue 12: each statement inside the single writer delays every other write).
enum BusyTimeout {
    /// The connections that have it, held weakly: a connection opened later at a closed one's address is new.
    private final class Configured: @unchecked Sendable {
        private struct Entry { weak var connection: SQLiteConnection? }
        private let lock = NSLock()
        private var entries: [ObjectIdentifier: Entry] = [:]

        func contains(_ connection: SQLiteConnection) -> Bool {
            lock.withLock { entries[ObjectIdentifier(connection)]?.connection === connection }
        }

        func insert(_ connection: SQLiteConnection) {
            lock.withLock {
                entries = entries.filter { $0.value.connection != nil }
                entries[ObjectIdentifier(connection)] = Entry(connection: connection)
            }
        }
    }

    private static let configured = Configured()

    static func ensure(on db: any Database) async throws {
        guard let sqlite = db as? any SQLiteDatabase else { return }
        try await sqlite.withConnection { connection in
            guard !configured.contains(connection) else { return }
            try await connection.query("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)", []) { _ in }
            configured.insert(connection)
        }
    }
}

/// Pauses between attempts of a write that SQLite refused as busy. With the wait above, a write
/// gives up after about three and a half seconds.
let busyRetryPauses: [Duration] = [.milliseconds(100), .milliseconds(400)]

/// Runs `attempt`, again after each pause while it fails as busy (SQLite's busy or locked); then `DatabaseBusy`.
func retryingWhenBusy<T: Sendable>(pauses: [Duration] = busyRetryPauses,
                                   isBusy: (any Error) -> Bool = { ($0 as? SQLiteError)?.isBusy ?? ($0 is DatabaseBusy) },
                                   _ attempt: @Sendable () async throws -> T) async throws -> T {
    for pause in pauses + [nil] as [Duration?] {
        do {
            return try await attempt()
        } catch where isBusy(error) {
            guard let pause else { break }
            try await Task.sleep(for: pause)
        }
    }
    throw DatabaseBusy()
}

/// PostgreSQL's answers that mean "run the transaction again": a deadlock it ended (40P01) or a
/// serialization failure (40001).
enum PostgresConflict {
    static func isConflict(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }
}
