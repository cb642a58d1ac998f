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
/// SQLite has one writer at a time, and every write of this process waits for its turn here. Through
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
    /// Whose turn it is on the writer, and the group of writes its open transaction holds.
    private let turns = NIOLockedValueBox(Turns())
    /// How many writes one transaction holds at most, and how long after its beginning a further write
    /// may still join it.
    let groupLimit: GroupLimit
    /// Checkpoints the log this writer's commits grow, off the threads requests run on.
    private let checkpointer: WALCheckpointer

    private struct State {
        var connection: DirectSQLiteConnection?
        var closed = false
        var lastCommitted: Durability?
        var commits = 0
    }

    /// The limits of a group commit.
    public struct GroupLimit: Sendable {
        public var writes: Int
        public var joiningFor: Duration

        public init(writes: Int, joiningFor: Duration) {
            self.writes = writes
            self.joiningFor = joiningFor
        }

        /// At most 32 writes (an entry write holds the writer about a millisecond), joining for 10 ms.
        public static let standard = GroupLimit(writes: 32, joiningFor: .milliseconds(10))
    }

    /// The writes waiting for their turn, first come first served, and the transaction the turn's holder
    /// may hand on open (group commit).
    private struct Turns {
        var taken = false
        var waiting: [(durability: Durability, resume: CheckedContinuation<Void, Never>)] = []
        var group: Group?
    }

    /// One open transaction and the writes in it, each inside a savepoint of its own.
    private struct Group {
        let durability: Durability
        let began: ContinuousClock.Instant
        var writes = 0
        /// The writes whose bodies are done, waiting for the commit.
        var committing: [CheckedContinuation<Void, any Error>] = []

        /// Whether a write with `durability` may join: a commit that waits for the disk may carry a write
        /// that need not wait; not the other way round (SQLite's `synchronous` holds for a whole transaction).
        func admits(_ durability: Durability, within limit: GroupLimit) -> Bool {
            (self.durability == durability || self.durability == .atCommit) && writes < limit.writes
                && ContinuousClock.now - began < limit.joiningFor
        }
    }

    /// How the last transaction that committed was durable (tests: which writes wait for the disk).
    var lastCommitted: Durability? { state.withLockedValue(\.lastCommitted) }
    /// How many transactions this writer committed (tests: writes that committed together).
    var commits: Int { state.withLockedValue(\.commits) }
    /// How many writes wait for their turn (tests).
    var waitingWrites: Int { turns.withLockedValue(\.waiting.count) }

    public init(path: String, groupLimit: GroupLimit = .standard) {
        self.path = path
        self.groupLimit = groupLimit
        checkpointer = WALCheckpointer(path: path)
    }

    /// The writer `db` writes through, when it is an SQLite database configured with one.
    static func serving(_ db: any Database) -> DirectSQLiteWriter? {
        (db.context.configuration as? DirectSQLiteConfiguration)?.writer
    }

    /// Runs `body` as one write on the writer's connection: in its turn, first come first served, inside
    /// a savepoint of the transaction that is open, or of a new one. A write whose body throws leaves
    /// nothing and fails at once. One that succeeds hands the transaction on to the next write waiting,
    /// when that may join (`Group.admits`), and returns when a later write of the group committed it;
    /// otherwise it commits itself, for every write of the group (issue 12: one commit, one sync of the
    /// log and one hand-over for a group of writes, not for each of them). A commit that fails fails every
    /// write of its group.
    ///
    /// Each body runs in its own task, so task-local values hold as in any transaction. Busy another
    /// process: `DatabaseBusy` after the driver's busy timeout, with the turn handed on.
    func transaction<T: Sendable>(context: DatabaseContext, durability: Durability = .atCommit,
                                  _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        await takeTurn(durability)
        if turns.withLockedValue({ $0.group == nil }) {
            do {
                try withConnection { try $0.syncing(durability) }
                try await begin()
            } catch {
                handOnTurn()
                throw error
            }
            turns.withLockedValue { $0.group = Group(durability: durability, began: .now) }
        }
        turns.withLockedValue { $0.group!.writes += 1 }
        let outcome: Result<T, any Error>
        do {
            _ = try rows("SAVEPOINT fallwerk_write", [])
            do {
                let result = try await body(DirectWriteDatabase(writer: self, context: context))
                _ = try rows("RELEASE fallwerk_write", [])
                outcome = .success(result)
            } catch {
                _ = try rows("ROLLBACK TO fallwerk_write", [])
                _ = try rows("RELEASE fallwerk_write", [])
                outcome = .failure(error)
            }
        } catch {
            // The transaction itself failed (a full disk, a closed connection): the whole group fails.
            end(committing: .failure(error))
            throw error
        }
        // Hand the open transaction on to the next write where it may join; then wait for its commit.
        let next = turns.withLockedValue { turns -> CheckedContinuation<Void, Never>? in
            guard let first = turns.waiting.first, turns.group!.admits(first.durability, within: groupLimit) else { return nil }
            turns.waiting.removeFirst()
            return first.resume
        }
        if let next {
            guard case .success(let result) = outcome else {
                next.resume()
                return try outcome.get()
            }
            try await withCheckedThrowingContinuation { (committed: CheckedContinuation<Void, any Error>) in
                turns.withLockedValue { $0.group!.committing.append(committed) }
                next.resume()
            }
            return result
        }
        let committed = Result<Void, any Error>(catching: { _ = try rows("COMMIT", []) })
        end(committing: committed)
        try committed.get()
        return try outcome.get()
    }

    /// Ends the open transaction after `COMMIT` answered `committed` (or before it, failed), tells the group's
    /// waiting writes, and hands the turn on.
    private func end(committing committed: Result<Void, any Error>) {
        let group = turns.withLockedValue { turns in
            defer { turns.group = nil }
            return turns.group
        }
        switch committed {
        case .success:
            state.withLockedValue {
                $0.lastCommitted = group?.durability
                $0.commits += 1
            }
            if group?.durability == .soon { checkpointer.committedWithoutSync() }
        case .failure:
            // Nothing to roll back when SQLite already did (a full disk): the error that led here counts.
            // A connection that cannot roll back is closed (which ends its transaction), never left
            // open with a transaction in it: every later transaction would fail to begin.
            do { _ = try rows("ROLLBACK", []) } catch { discardConnection() }
        }
        for write in group?.committing ?? [] { write.resume(with: committed) }
        handOnTurn()
    }

    /// Waits for the writer's turn; the first write that asks while no one holds it takes it at once.
    private func takeTurn(_ durability: Durability) async {
        await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
            let now = turns.withLockedValue { turns in
                guard turns.taken else {
                    turns.taken = true
                    return true
                }
                turns.waiting.append((durability, resume))
                return false
            }
            if now { resume.resume() }
        }
    }

    /// Gives the turn to the next write waiting, or frees it. No transaction is open.
    private func handOnTurn() {
        let next = turns.withLockedValue { turns -> CheckedContinuation<Void, Never>? in
            guard !turns.waiting.isEmpty else {
                turns.taken = false
                return nil
            }
            return turns.waiting.removeFirst().resume
        }
        next?.resume()
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
