import FluentKit
import FluentSQL
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// SQLite's write transactions on one read-write connection of Fallwerk's own, each statement kept
/// prepared and run on the calling thread (decision 0027).
///
/// SQLite has one writer at a time, and every write of this process waits for it (`WriteQueue`). Through
/// sqlite-nio each statement of a write was handed to an event loop, to a thread of its pool and back, and
/// parsed again: an entry write held the writer about 5 ms for some 0.3 ms of SQLite's own work, which
/// bounded every write of the server at about 200 a second (issue 12, decision 0024). Here a transaction
/// holds the writer only while SQLite works.
///
/// A transaction begins `IMMEDIATE`: it takes the write lock before its first read, so no statement
/// inside it waits for another process. While another process holds the lock, the beginning is tried
/// again after short sleeps (no thread waits) for as long as the driver's busy timeout, then
/// `DatabaseBusy`, which `writeTransaction` retries as it retries the driver's busy.
public final class DirectSQLiteWriter: Sendable {
    /// The database file.
    public let path: String
    private let state = NIOLockedValueBox(State())
    /// Checkpoints the log this writer's commits grow, off the threads requests run on.
    private let checkpointer: WALCheckpointer

    private struct State {
        var connection: DirectSQLiteConnection?
        var closed = false
        var lastCommitted: Durability?
    }

    /// How the last transaction that committed was durable (tests: which writes wait for the disk).
    var lastCommitted: Durability? { state.withLockedValue(\.lastCommitted) }

    public init(path: String) {
        self.path = path
        checkpointer = WALCheckpointer(path: path)
    }

    /// The writer `db` writes through, when it is an SQLite database configured with one.
    static func serving(_ db: any Database) -> DirectSQLiteWriter? {
        (db.context.configuration as? DirectSQLiteConfiguration)?.writer
    }

    /// Runs `body` in one transaction on the writer's connection and commits; rolls back when it throws.
    /// The caller holds `WriteQueue`: one transaction at a time.
    func transaction<T: Sendable>(context: DatabaseContext, durability: Durability = .atCommit,
                                  _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try withConnection { try $0.syncing(durability) }
        try await begin()
        do {
            let result = try await body(DirectWriteDatabase(writer: self, context: context))
            _ = try rows("COMMIT", [])
            state.withLockedValue { $0.lastCommitted = durability }
            if durability == .soon { checkpointer.committedWithoutSync() }
            return result
        } catch {
            // Nothing to roll back when SQLite already did (a full disk): the error that led here counts.
            // A connection that cannot roll back is closed (which ends its transaction), never left
            // open with a transaction in it: every later transaction would fail to begin.
            do { _ = try rows("ROLLBACK", []) } catch { discardConnection() }
            throw error
        }
    }

    /// Takes the write lock without a thread waiting for another process that holds it.
    private func begin() async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(busyTimeoutMilliseconds)
        while true {
            do {
                _ = try withConnection { connection in
                    connection.waitWhenBusy(milliseconds: 0)
                    defer { connection.waitWhenBusy(milliseconds: busyTimeoutMilliseconds) }
                    return try connection.rows("BEGIN IMMEDIATE", [], onlyReads: false)
                }
                return
            } catch is DatabaseBusy where clock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    /// The rows of `sql` with `binds`, inside the transaction that is open; statements of one transaction
    /// that run side by side (`async let`) take turns.
    func rows(_ sql: String, _ binds: [SQLiteData]) throws -> [PlainSQLiteRow] {
        try withConnection { try $0.rows(sql, binds, onlyReads: false) }
    }

    private func withConnection<T>(_ work: (DirectSQLiteConnection) throws -> T) throws -> T {
        try state.withLockedValue { state in
            guard !state.closed else { throw DirectSQLiteFailure(code: 21, message: "closed") }
            if state.connection == nil {
                let connection = try DirectSQLiteConnection(path: path, readOnly: false)
                connection.handOverCheckpoints(to: checkpointer)
                state.connection = connection
            }
            return try work(state.connection!)
        }
    }

    /// Closes the connection; the next transaction opens a new one.
    private func discardConnection() {
        state.withLockedValue { state in
            state.connection?.close()
            state.connection = nil
        }
    }

    /// Closes the connection; transactions after this fail (the application shuts down).
    public func close() {
        state.withLockedValue { state in
            state.closed = true
            state.connection?.close()
            state.connection = nil
        }
        checkpointer.stop()
    }
}

/// Fluent's database inside a transaction of the `DirectSQLiteWriter`: models, queries and SQL of the
/// transaction's body all run on the writer's connection, so they read what the transaction wrote.
struct DirectWriteDatabase: Database, SQLDatabase {
    let writer: DirectSQLiteWriter
    let context: DatabaseContext
    /// Fluent's futures of this transaction complete where they are made, on the thread that runs it.
    let eventLoop: any EventLoop

    init(writer: DirectSQLiteWriter, context: DatabaseContext) {
        self.writer = writer
        let immediate = ImmediateEventLoop(timers: context.eventLoop)
        eventLoop = immediate
        self.context = DatabaseContext(configuration: context.configuration, logger: context.logger, eventLoop: immediate,
                                       history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace)
    }

    var inTransaction: Bool { true }
    var logger: Logger { context.logger }
    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        var statement = SQLQueryConverter(delegate: PlainConverter()).convert(query)
        // A created row returns its id, as the driver asks for it (the empty key: a composite id, none).
        if case .create = query.action, query.customIDKey != .some(.string("")) {
            statement = SQLList([statement, SQLReturning(SQLColumn((query.customIDKey ?? .id).description))], separator: SQLRaw(" "))
        }
        return eventLoop.makeCompletedFuture(withResultOf: {
            for row in try run(statement) { onOutput(RowOutput(row: row, prefix: "")) }
        })
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        // Migrations run through the driver, never inside a write transaction.
        eventLoop.makeFailedFuture(DirectSQLiteFailure(code: 1, message: "schema changes are not run in a write transaction"))
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        // SQLite has no enum types (as the driver).
        eventLoop.makeSucceededFuture(())
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }
    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture(withResultOf: { try run(query).forEach(onRow) })
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query).forEach(onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// The statement as SQLKit writes it for SQLite, run on the writer's connection.
    private func run(_ statement: any SQLExpression) throws -> [PlainSQLiteRow] {
        let (sql, values) = serialize(statement)
        return try rows(sql, values)
    }

    /// Serialized SQL with its values, run on the writer's connection (`plainRows`).
    func rows(_ sql: String, _ values: [any Encodable & Sendable]) throws -> [PlainSQLiteRow] {
        try writer.rows(sql, values.map(SQLiteBinds.data))
    }
}

/// The event loop of a `DirectWriteDatabase`: a future's callbacks run at once, on the thread that
/// completes the future or adds them, never on an event loop's thread.
///
/// Every statement of a write transaction on SQLite is done when its future is made (decision 0027).
/// Awaiting a future of a real event loop from a task hands the callback to that loop's thread, which
/// then resumes the task on the shared pool: two hand-overs per Fluent call, each behind whatever those
/// threads are doing for other requests, while every other write waits for the writer (issue 12,
/// decision 0030). Here a completed future resumes its task where it is.
///
/// A future can still be completed on one thread while another adds a callback (Fluent bridges its
/// async API through a task that completes a promise). NIO lets only the loop's own thread touch a
/// future, so this loop says no thread is its own, and NIO hands every such step to `execute`, which runs
/// it at once under one lock (recursive: a callback adds callbacks). Timers go to the request's loop.
final class ImmediateEventLoop: EventLoop, Sendable {
    let timers: any EventLoop
    private let turns = LockedTurns()

    /// A recursive lock; `NSRecursiveLock` is not `Sendable`.
    private final class LockedTurns: @unchecked Sendable {
        let lock = NSRecursiveLock()
    }

    init(timers: any EventLoop) {
        self.timers = timers
    }

    var inEventLoop: Bool { false }

    func execute(_ task: @escaping @Sendable () -> Void) {
        turns.lock.lock()
        defer { turns.lock.unlock() }
        task()
    }

    func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        timers.scheduleTask(deadline: deadline, task)
    }

    func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        timers.scheduleTask(in: delay, task)
    }

    // NIO checks these in debug builds where it touches a future; every such touch runs in `execute`.
    func preconditionInEventLoop(file: StaticString, line: UInt) {}

    func preconditionNotInEventLoop(file: StaticString, line: UInt) {}

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        queue.async { callback(nil) }
    }
}
