import FluentKit
import FluentSQL
import Foundation

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
        var insert = SQLInsert(table: SQLIdentifier(M.schema))
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
