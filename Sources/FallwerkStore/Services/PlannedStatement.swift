import FluentKit
import FluentSQL
import Foundation
import NIOConcurrencyHelpers

/// A statement of a write transaction serialized before the transaction begins, in the dialect of the
/// database it will run on (decision 0035).
///
/// Every write of the server waits for the one before it on SQLite's one writer, so whatever an entry
/// write does inside its transaction bounds how many writes the server makes a second (issue 12). Its
/// rows, audit and ledger changes are decided ahead (decision 0033); with their statements built and
/// serialized ahead as well (Fluent's model create and query builder, SQLKit's serializer, the audit's
/// JSON), the writer only binds and steps them, while the building runs beside other requests.
struct PlannedStatement: Sendable {
    let sql: String
    let binds: [any Encodable & Sendable]

    /// `statement` serialized for `db`'s dialect, as `plainRows` serializes it.
    init(_ statement: any SQLExpression, for db: any Database) throws {
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        (self.sql, self.binds) = VerbatimIdentifiers.serialize(statement, for: sql)
    }

    /// Runs it in the transaction `db`, of the dialect it was serialized for.
    func run(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        _ = try await sql.plainRows(SerializedSQL(sql: self.sql, binds: binds))
    }

    /// `model` inserted with the values Fluent's `create` inserts on an SQL database (its fields in the
    /// model's order, so the text is the same for every model of the type and stays prepared), without
    /// touching its timestamps (the caller sets them) and without reading its id back (it is set).
    static func insert<M: Model>(_ model: M, for db: any Database) throws -> PlannedStatement {
        let input = OrderedInput()
        model.input(to: input)
        // The text depends only on the table, the fields and which values are bound: kept per dialect, so
        // that an entry write binds its values instead of building and writing out the insert (issue 12).
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        var key = M.schema + "|" + sql.dialect.name
        var binds: [any Encodable & Sendable] = []
        for (field, value) in zip(input.keys, input.values) {
            key += "|" + field.description
            switch value {
            case .bind(let bound): binds.append(bound)
            case .null: key += "=null"
            case .default: key += "=default"
            default: throw Unsupported(field: field.description)
            }
        }
        if let text = insertTexts.withLockedValue({ $0[key] }) { return PlannedStatement(sql: text, binds: binds) }
        let statement = try insertStatement(into: M.schema, input, for: db)
        insertTexts.withLockedValue { $0[key] = statement.sql }
        return statement
    }

    /// Insert texts by table, dialect, fields and bound values.
    private static let insertTexts = NIOLockedValueBox<[String: String]>([:])

    /// The statement `build` makes, kept as text under `key` for `db`'s dialect and the values of `binds`
    /// that are nil: later calls only bind. `binds` are the statement's values in the order its text binds
    /// them, nil where Fluent writes `NULL` instead of a bind; `build` must make the same statement whatever
    /// the values. The first call checks `binds` against what `build` bound (their types and values, in
    /// order) and keeps the text only when they agree; otherwise every call builds.
    static func kept(_ key: String, binds: [(any Encodable & Sendable)?], for db: any Database,
                     build: () throws -> PlannedStatement) throws -> PlannedStatement {
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        let slot = keptSlot(key, sql, nils: binds.map { $0 == nil })
        let bound = binds.compactMap { $0 }
        switch keptTexts.withLockedValue({ $0[slot] }) {
        case .some(.some(let text)): return PlannedStatement(sql: text, binds: bound)
        case .some(.none): return try build()
        case .none:
            let statement = try build()
            let agrees = statement.binds.count == bound.count && zip(statement.binds, bound).allSatisfy { built, given in
                type(of: built) == type(of: given) && "\(built)" == "\(given)"
            }
            keptTexts.withLockedValue { $0[slot] = .some(agrees ? statement.sql : nil) }
            return statement
        }
    }

    /// An optional field's value for `kept`'s binds as Fluent binds it: wrapped in its optional, nil where
    /// Fluent writes `NULL`.
    static func optionalField<T: Encodable & Sendable>(_ value: T?) -> (any Encodable & Sendable)? {
        value.map { T?.some($0) as any Encodable & Sendable }
    }

    /// Texts `kept` keeps by key, dialect and nil values; nil where the binds did not agree.
    private static let keptTexts = NIOLockedValueBox<[String: String?]>([:])

    /// Whether `kept` keeps the text under `key` for `db`'s dialect with these nil values (for tests).
    static func isKept(_ key: String, nils: [Bool], on db: any Database) -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        return keptTexts.withLockedValue { ($0[keptSlot(key, sql, nils: nils)] ?? nil) != nil }
    }

    private static func keptSlot(_ key: String, _ sql: any SQLDatabase, nils: [Bool]) -> String {
        key + "|" + sql.dialect.name + "|" + String(nils.map { $0 ? "n" : "b" })
    }

    private init(sql: String, binds: [any Encodable & Sendable]) {
        self.sql = sql
        self.binds = binds
    }

    private static func insertStatement(into table: String, _ input: OrderedInput, for db: any Database) throws -> PlannedStatement {
        var insert = SQLInsert(table: SQLIdentifier(table))
        insert.columns = input.keys.map { SQLIdentifier($0.description) }
        insert.values = [try zip(input.keys, input.values).map { key, value -> any SQLExpression in
            // As Fluent's `SQLQueryConverter` writes these values.
            switch value {
            case .bind(let bound): SQLBind(bound)
            case .null: SQLLiteral.null
            case .default: SQLLiteral.default
            default: throw Unsupported(field: key.description)
            }
        }]
        return try PlannedStatement(insert, for: db)
    }

    /// A model field whose value is not a plain value (an enum, a nested dictionary): never one of the
    /// models these statements insert; a programming error the tests find.
    struct Unsupported: Error, CustomStringConvertible {
        let field: String
        var description: String { "PlannedStatement.insert: the value of \(field) is not a plain value" }
    }

    /// A model's values in the order its properties give them, the unmodified ones included (as Fluent's
    /// create on an SQL database asks for them).
    private final class OrderedInput: DatabaseInput {
        var keys: [FieldKey] = []
        var values: [DatabaseQuery.Value] = []
        var wantsUnmodifiedKeys: Bool { true }

        func set(_ value: DatabaseQuery.Value, at key: FieldKey) {
            if let index = keys.firstIndex(of: key) { values[index] = value } else {
                keys.append(key)
                values.append(value)
            }
        }
    }
}

extension Array where Element == PlannedStatement {
    /// Runs them one after another in the transaction `db`.
    func run(on db: any Database) async throws {
        for statement in self { try await statement.run(on: db) }
    }
}

extension QueryBuilder {
    /// The query's filters and `set` values as an update or delete, serialized ahead of its transaction
    /// (`plainUpdate` and `plainDelete` run the same statement at once). No timestamps, no model middleware.
    func planned(_ action: DatabaseQuery.Action) throws -> PlannedStatement {
        // An update sets the fields listed that the input holds (as Fluent's `run` lists every field).
        let run = query.fields.isEmpty ? copy().fields(for: Model.self) : copy()
        run.query.action = action
        return try PlannedStatement(run.plainStatement, for: database)
    }
}
