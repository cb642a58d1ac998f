import FluentPostgresDriver
import FluentSQL
import Foundation
import NIOConcurrencyHelpers

extension PostgresDatabase {
    /// The rows of a serialized statement, each read straight from its cells (`PlainPostgresRow`). A text
    /// that runs again and again runs as a named prepared statement (`PostgresStatementNames`), parsed and
    /// planned once per connection; any other as an unnamed one, parsed and planned each time.
    func plainRows(_ sql: String, _ values: PlainPostgresValues, inTransaction: Bool) async throws -> [any SQLRow] {
        if !inTransaction, let name = PostgresStatementNames.shared.name(for: sql, types: values.types) {
            let text = RuntimePreparedStatement.Text(name: name, sql: sql, types: values.types)
            let rows = try await leasingConnection { connection in
                try await RuntimePreparedStatement.$text.withValue(text) {
                    var rows: [PlainPostgresRow] = []
                    var columns: PostgresColumnIndex?
                    for try await row in try await connection.execute(RuntimePreparedStatement(bindings: values.bindings),
                                                                      logger: connection.logger) {
                        let index = columns ?? PostgresColumnIndex(row)
                        columns = index
                        rows.append(PlainPostgresRow(row, columns: index))
                    }
                    return rows
                }
            }
            return rows
        }
        let collected = CollectedPostgresRows()
        _ = try await withConnection { connection in
            connection.query(PostgresQuery(unsafeSQL: sql, binds: values.bindings), logger: connection.logger) { collected.append($0) }
        }.get()
        guard let first = collected.rows.first else { return [] }
        let columns = PostgresColumnIndex(first)
        return collected.rows.map { PlainPostgresRow($0, columns: columns) }
    }
}

extension PostgresDatabase {
    /// `body` with a connection of the pool, run on the pool's event loop. The pool lends a connection to a
    /// closure that returns a future; the closure here passes the connection out and holds it until `body`
    /// is done. `body` runs with the event loop as its task executor: leasing, sending the statement, its
    /// rows and giving the connection back all happen on the loop's thread, without waking it from another
    /// thread for each step (PostgresNIO's prepared statements are async only).
    func leasingConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let loop = eventLoop
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            let done = loop.makePromise(of: Void.self)
            let leased = loop.makePromise(of: PostgresConnection.self)
            let lease = withConnection { connection in
                leased.succeed(connection)
                return done.futureResult
            }
            lease.whenFailure { leased.fail($0) }
            let connection: PostgresConnection
            do {
                connection = try await leased.futureResult.get()
            } catch {
                done.succeed()
                throw error
            }
            defer { done.succeed() }
            return try await body(connection)
        }
    }
}

/// An event loop as a task executor: the jobs of a task that prefers it run on the loop's thread.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// A statement's bound values and their PostgreSQL types.
struct PlainPostgresValues {
    var bindings: PostgresBindings
    var types: [PostgresDataType]

    /// The bound values when every one encodes itself for PostgreSQL (text, numbers, booleans, UUIDs, dates and
    /// arrays of them, or nil); nil when one needs PostgresKit's `Encodable` path (an enum, a structure), and the
    /// statement then runs through PostgresKit as before.
    init?(_ values: [any Encodable & Sendable]) {
        bindings = PostgresBindings(capacity: values.count)
        types = []
        types.reserveCapacity(values.count)
        for value in values {
            var value: Any = value
            if let optional = value as? any PlainOptional {
                guard let wrapped = optional.wrapped else {
                    bindings.appendNull()
                    types.append(.null)
                    continue
                }
                value = wrapped
            }
            guard let encodable = value as? any PostgresThrowingDynamicTypeEncodable, (try? bindings.append(encodable)) != nil else { return nil }
            types.append(encodable.psqlType)
        }
    }
}

/// An optional bound value: nil binds NULL, anything else its value.
private protocol PlainOptional {
    var wrapped: Any? { get }
}

extension Optional: PlainOptional {
    fileprivate var wrapped: Any? { map { $0 as Any } }
}

/// A prepared statement whose name and text are known only at run time. PostgresNIO prepares a statement
/// by its type (`PostgresPreparedStatement.sql` and `name` are static, so each statement would need a
/// type written for it); this one type reads them from the task's `text`, set around each execution.
/// PostgresNIO reads both while it sends the execution, in that task, and keeps the statement per
/// connection under its name, so one name must always stand for one text (`PostgresStatementNames`).
struct RuntimePreparedStatement: PostgresPreparedStatement {
    struct Text: Sendable {
        let name: String
        let sql: String
        let types: [PostgresDataType]
    }

    @TaskLocal static var text = Text(name: "", sql: "", types: [])

    static var name: String { text.name }
    static var sql: String { text.sql }
    static var bindingDataTypes: [PostgresDataType] { text.types }

    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

/// The names of the statement texts that run often enough to prepare: a text gets a name the second time
/// it runs, up to `limit` names a process (each connection keeps the statements it ran, so the names are
/// bounded; a list's `IN (…)` of every length is not worth keeping). Only reads and writes of rows are
/// prepared, and only outside a transaction: PostgresNIO keeps a statement that failed to prepare as failed
/// for the connection's life, and inside a transaction that already failed every statement fails.
final class PostgresStatementNames: Sendable {
    static let shared = PostgresStatementNames(limit: 256, counted: 4_096)

    /// A text with the types of its values: a NULL's type is left to PostgreSQL, which takes the column's,
    /// so a statement prepared with a NULL in a place is only ever run with a NULL there.
    private struct Key: Hashable {
        let sql: String
        let types: [UInt32]
    }

    private struct State {
        var names: [Key: String] = [:]
        var seen: Set<Key> = []
    }

    private let state = NIOLockedValueBox(State())
    let limit: Int
    /// How many texts seen once are remembered; the set starts anew when full.
    let counted: Int

    init(limit: Int, counted: Int) {
        self.limit = limit
        self.counted = counted
    }

    /// The name of `sql` with values of `types` when it is prepared, nil when it runs unnamed this time.
    func name(for sql: String, types: [PostgresDataType]) -> String? {
        guard Self.isPreparable(sql) else { return nil }
        let key = Key(sql: sql, types: types.map(\.rawValue))
        return state.withLockedValue { state in
            if let name = state.names[key] { return name }
            guard state.names.count < limit else { return nil }
            guard state.seen.remove(key) != nil else {
                if state.seen.count >= counted { state.seen.removeAll(keepingCapacity: true) }
                state.seen.insert(key)
                return nil
            }
            let name = "fw_\(state.names.count + 1)"
            state.names[key] = name
            return name
        }
    }

    /// Whether `sql` with values of `types` has a name (for tests).
    func isNamed(_ sql: String, types: [PostgresDataType]) -> Bool {
        state.withLockedValue { $0.names[Key(sql: sql, types: types.map(\.rawValue))] != nil }
    }

    /// Whether `sql` reads or writes rows (a schema change or a transaction's control is never prepared).
    static func isPreparable(_ sql: String) -> Bool {
        let head = sql.prefix(7).uppercased()
        return ["SELECT ", "WITH ", "INSERT ", "UPDATE ", "DELETE "].contains { head.hasPrefix($0) }
    }
}

/// Rows appended by one event loop, one after another, and read after the query returned.
private final class CollectedPostgresRows: @unchecked Sendable {
    var rows: [PostgresRow] = []
    func append(_ row: PostgresRow) { rows.append(row) }
}

/// Where each column of a statement's rows is, found once for all its rows (a cell by name was two lookups).
final class PostgresColumnIndex: Sendable {
    let places: [String: Int]

    init(_ row: PostgresRow) {
        var places: [String: Int] = [:]
        // The last column of a name, as PostgresNIO's own lookup.
        for (place, cell) in row.makeRandomAccess().enumerated() { places[cell.columnName] = place }
        self.places = places
    }
}

/// A row from PostgreSQL with the common column types decoded by the cell itself; anything else as
/// PostgresKit would. PostgresKit's own row sends every column through its generic `Decodable` translation,
/// which was a third of the server's CPU in management's alert list on PostgreSQL (issue 12, decision 0025).
///
/// A class: rows pass as `any SQLRow`, and every cast or call copied the whole structure (two rows' worth of
/// buffers and column descriptions) where a class is one reference (issue 12).
final class PlainPostgresRow: SQLRow, Sendable {
    let row: PostgresRow
    let cells: PostgresRandomAccessRow
    let columns: PostgresColumnIndex

    init(_ row: PostgresRow, columns: PostgresColumnIndex) {
        self.row = row
        self.cells = row.makeRandomAccess()
        self.columns = columns
    }

    var allColumns: [String] { cells.map(\.columnName) }
    func contains(column: String) -> Bool { columns.places[column] != nil }
    func decodeNil(column: String) throws -> Bool { columns.places[column].map { cells[$0].bytes == nil } ?? true }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let place = columns.places[column] else { return try row.sql().decode(column: column, as: D.self) }
        let cell = cells[place]
        if cell.bytes == nil {
            if let none = PlainNull.value(D.self) { return none }
        } else if !cell.dataType.isUserDefined {
            // A cell of another type than asked (e.g. an id kept as text) goes the general way below.
            if D.self == String.self, let value = try? cell.decode(String.self) { return value as! D }
            if PlainType.is(D.self, PlainType.optionalString), let value = try? cell.decode(String.self) { return Optional(value) as! D }
            if D.self == UUID.self, let value = try? cell.decode(UUID.self) { return value as! D }
            if PlainType.is(D.self, PlainType.optionalUUID), let value = try? cell.decode(UUID.self) { return Optional(value) as! D }
            if D.self == Int.self, let value = try? cell.decode(Int.self) { return value as! D }
            if PlainType.is(D.self, PlainType.optionalInt), let value = try? cell.decode(Int.self) { return Optional(value) as! D }
            if D.self == Int64.self, let value = try? cell.decode(Int64.self) { return value as! D }
            if D.self == Bool.self, let value = try? cell.decode(Bool.self) { return value as! D }
            if PlainType.is(D.self, PlainType.optionalBool), let value = try? cell.decode(Bool.self) { return Optional(value) as! D }
            if D.self == Date.self, let value = try? cell.decode(Date.self) { return value as! D }
            if PlainType.is(D.self, PlainType.optionalDate), let value = try? cell.decode(Date.self) { return Optional(value) as! D }
        }
        return try row.sql().decode(column: column, as: D.self)
    }
}
