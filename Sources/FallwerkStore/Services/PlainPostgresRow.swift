import FluentPostgresDriver
import FluentSQL
import Foundation

extension PostgresDatabase {
    /// The rows of a serialized statement, each read straight from its cells (`PlainPostgresRow`).
    func plainRows(_ sql: String, _ bindings: PostgresBindings) async throws -> [any SQLRow] {
        let collected = CollectedPostgresRows()
        _ = try await withConnection { connection in
            connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: connection.logger) { collected.append($0) }
        }.get()
        return collected.rows.map(PlainPostgresRow.init)
    }
}

extension PostgresBindings {
    /// The bound values when every one encodes itself for PostgreSQL (text, numbers, booleans, UUIDs, dates and
    /// arrays of them); nil when one needs PostgresKit's `Encodable` path (an enum, a nil, a structure), and the
    /// statement then runs through PostgresKit as before.
    init?(plain values: [any Encodable & Sendable]) {
        self.init(capacity: values.count)
        for value in values {
            guard let encodable = value as? any PostgresThrowingDynamicTypeEncodable, (try? append(encodable)) != nil else { return nil }
        }
    }
}

/// Rows appended by one event loop, one after another, and read after the query returned.
private final class CollectedPostgresRows: @unchecked Sendable {
    var rows: [PostgresRow] = []
    func append(_ row: PostgresRow) { rows.append(row) }
}

/// A row from PostgreSQL with the common column types decoded by the cell itself; anything else as
/// PostgresKit would. PostgresKit's own row sends every column through its generic `Decodable` translation,
/// which was a third of the server's CPU in management's alert list on PostgreSQL (issue 12, decision 0025).
struct PlainPostgresRow: SQLRow {
    let row: PostgresRow
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        self.cells = row.makeRandomAccess()
    }

    var allColumns: [String] { cells.map(\.columnName) }
    func contains(column: String) -> Bool { cells.contains(column) }
    func decodeNil(column: String) throws -> Bool { !cells.contains(column) || cells[column].bytes == nil }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard cells.contains(column) else { return try row.sql().decode(column: column, as: D.self) }
        let cell = cells[column]
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
