import FallwerkDomain
import Fluent
import FluentSQL
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// Who writes, and when: every store write is audited with both.
public struct WriteContext: Sendable {
    public let actor: AuditActor
    public let now: Date

    public init(actor: AuditActor, now: Date) {
        self.actor = actor
        self.now = now
    }
}

/// A referenced record that does not exist (e.g. an unknown id in the URL).
public struct RecordNotFound: Error, Sendable {
    public let entity: String
    public init(entity: String) { self.entity = entity }
}

extension Validator {
    /// Parses an id field; records a German message when it is missing or malformed.
    mutating func id(_ raw: String?, _ field: String, label: String, required: Bool = true) -> UUID? {
        let text = raw?.trimmed ?? ""
        if text.isEmpty {
            if required { add(field, "Bitte \(label) auswählen.") }
            return nil
        }
        guard let id = UUID(uuidString: text) else {
            add(field, "Bitte \(label) aus der Liste wählen; diese Angabe ist unbekannt.")
            return nil
        }
        return id
    }
}

extension Model where IDValue == UUID {
    static func exists(_ id: UUID, on db: any Database) async throws -> Bool {
        try await query(on: db).filter(\._$id == id).count() > 0
    }

    /// The stored record to update, or a new one when `id` is nil.
    static func existingOrNew(_ id: UUID?, entity: String, on db: any Database) async throws -> Self {
        guard let id else { return Self() }
        return try await require(id, entity: entity, on: db)
    }

    static func require(_ id: UUID, entity: String, on db: any Database) async throws -> Self {
        guard let model = try await find(id, on: db) else { throw RecordNotFound(entity: entity) }
        return model
    }
}

/// Names are sorted the German way, ignoring case and umlaut folding differences.
func germanOrder(_ a: String, _ b: String) -> Bool {
    a.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "de_DE"))
        < b.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "de_DE"))
}

/// The viewer may see the record but not do this with it (e.g. accounting writing service entries).
public struct NotAllowed: Error, Sendable {
    /// German, for the person who tried.
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// One page of a list that is computed in full and shown in pages (management's lists; issue 12).
public struct ListPage<Item: Sendable>: Sendable {
    public let items: [Item]
    /// The items of the whole list.
    public let total: Int
    /// Where this page starts in the list.
    public let offset: Int

    public init(items: [Item], total: Int, offset: Int) {
        self.items = items
        self.total = total
        self.offset = offset
    }

    /// Where the next page starts; nil on the last.
    public var nextOffset: Int? { offset + items.count < total ? offset + items.count : nil }
}

extension QueryBuilder {
    /// Runs the query as built (filters, sorts, the fields selected) and returns plain SQL rows, each field
    /// as `<schema>_<field>`: for lists of thousands of rows, where decoding Fluent models is the cost.
    func sqlRows() async throws -> [any SQLRow] {
        guard let sql = database as? any SQLDatabase else { throw RawRowsUnsupported() }
        return try await sql.plainRows(plainStatement)
    }

    /// Selects these fields (as `field(_:)` one by one).
    func fields(_ fields: [DatabaseQuery.Field]) -> Self {
        query.fields += fields
        return self
    }

    /// The statement `sqlRows` runs.
    var plainStatement: any SQLExpression { SQLQueryConverter(delegate: PlainConverter()).convert(query) }

    /// Runs the query's filters and `set` values as an update the way `sqlRows` runs a read: one hand-over
    /// to the database thread instead of Fluent's several (issue 12: an entry write's statements run one
    /// after another inside SQLite's single writer). No timestamps, no model middleware.
    func plainUpdate() async throws { try await plainRun(.update) }

    /// Deletes what the query's filters select, as `plainUpdate` updates (for tables without soft delete).
    func plainDelete() async throws { try await plainRun(.delete) }

    private func plainRun(_ action: DatabaseQuery.Action) async throws {
        try await planned(action).run(on: database)
    }
}

extension QueryBuilder {
    /// `table.column IN ids` with all ids as one bound value: a JSON array read by `json_each` on SQLite,
    /// a `uuid[]` on PostgreSQL. Management's lists read a table for thousands of cases: one statement
    /// instead of chunks of hundreds of bound values, each encoded and bound on its own (issue 12).
    func filter(_ table: String, _ column: String, inIDs ids: [UUID]) -> Self {
        guard (database as? any SQLDatabase)?.dialect.name == "sqlite" else {
            return filter(.sql(embed: "\(ident: table).\(ident: column) = ANY(\(bind: ids))"))
        }
        // UUIDs are stored as their uppercase text on SQLite, as `uuidString` writes them.
        let json = "[" + ids.map { "\"\($0.canonicalText)\"" }.joined(separator: ",") + "]"
        return filter(.sql(embed: "\(ident: table).\(ident: column) IN (SELECT value FROM json_each(\(bind: json)))"))
    }
}

extension SQLDatabase {
    /// The rows of `query`. On SQLite they come straight from the driver and decode the column types
    /// the stores read (text, integers, booleans, UUIDs as text) without Codable: SQLKit's generic
    /// decoding of every column was the largest cost left in lists of thousands of rows (issue 12). On
    /// PostgreSQL they are read from the cells (`PlainPostgresRow`). Either way the statement is serialized
    /// with its names as written (`VerbatimIdentifiers`).
    func plainRows(_ query: any SQLExpression) async throws -> [any SQLRow] {
        let (sql, values) = VerbatimIdentifiers.serialize(query, for: self)
        if let writing = self as? DirectWriteDatabase { return try writing.rows(sql, values) }
        guard let sqlite = self as? any SQLiteDatabase else {
            if let postgres = self as? any PostgresDatabase, let plain = PlainPostgresValues(values) {
                return try await postgres.plainRows(sql, plain, inTransaction: (self as? any Database)?.inTransaction ?? true)
            }
            return try await raw("\(SerializedSQL(sql: sql, binds: values))").all()
        }
        let binds = try values.map(SQLiteBinds.data)
        if let reader = DirectSQLiteReader.serving(self) {
            do {
                return try reader.rows(sql, binds)
            } catch is DirectSQLiteConnection.NotARead {
                // a write outside a transaction: the driver's connection, as before
            }
        }
        // The connection's own query steps through all rows on the database thread and returns once;
        // `SQLiteDatabase.query(_:_:)` hands every row to the event loop as a task of its own, and for lists
        // of thousands of rows those hand-overs (a wake-up and a context switch each) were most of the time.
        let rows = try await sqlite.withConnection { connection in
            let collected = CollectedRows()
            try await connection.query(sql, binds) { collected.rows.append($0) }
            return collected.rows
        }
        return rows.map(PlainSQLiteRow.init(driver:))
    }

    /// The rows of `query` decoded as `D`, column by column through `plainRows`.
    func plainRows<D: Decodable>(_ query: SQLQueryString, decoding: D.Type) async throws -> [D] {
        try await plainRows(query).map { try $0.decode(model: D.self) }
    }
}

/// Rows appended by one database thread, one after another, and read after the query returned.
private final class CollectedRows: @unchecked Sendable {
    var rows: [SQLiteRow] = []
}

/// A row from SQLite with the common column types decoded directly; anything else as SQLiteKit would.
/// Read by the driver (inside transactions) or by `DirectSQLiteReader`.
struct PlainSQLiteRow: SQLRow {
    /// The column names of one statement's rows, shared by all of them.
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]

        init(names: [String]) {
            self.names = names
            // The first of equal names, as SQLiteRow finds it.
            index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private enum Storage: Sendable {
        case driver(SQLiteRow)
        case direct(Columns, [SQLiteData])
    }

    private let storage: Storage

    init(driver row: SQLiteRow) { storage = .driver(row) }
    init(columns: Columns, values: [SQLiteData]) { storage = .direct(columns, values) }

    private func data(_ column: String) -> SQLiteData? {
        switch storage {
        case .driver(let row): row.column(column)
        case .direct(let columns, let values): columns.index[column].map { values[$0] }
        }
    }

    /// The row's values by position, with the positions of its columns by name, when a direct connection
    /// read it; nil for a row of the driver.
    var positional: (columns: Columns, values: [SQLiteData])? {
        guard case .direct(let columns, let values) = storage else { return nil }
        return (columns, values)
    }

    var allColumns: [String] {
        switch storage {
        case .driver(let row): row.columns.map(\.name)
        case .direct(let columns, _): columns.names
        }
    }

    func contains(column: String) -> Bool { data(column) != nil }
    func decodeNil(column: String) throws -> Bool { (data(column) ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = data(column) else { throw MissingColumn(column: column) }
        return try Self.decode(data, as: D.self)
    }

    /// One value as `decode(column:as:)` decodes it; called with a known `D` (a specialised caller, such as
    /// `PositionedColumns`), the type checks fold away.
    static func decode<D: Decodable>(_ data: SQLiteData, as type: D.Type) throws -> D {
        switch data {
        case .text(let text):
            if D.self == String.self { return text as! D }
            if PlainType.is(D.self, PlainType.optionalString) { return Optional(text) as! D }
            if D.self == UUID.self, let id = UUID(canonical: text) { return id as! D }
            if PlainType.is(D.self, PlainType.optionalUUID), let id = UUID(canonical: text) { return Optional(id) as! D }
        case .integer(let number):
            if D.self == Int.self { return number as! D }
            if PlainType.is(D.self, PlainType.optionalInt) { return Optional(number) as! D }
            if D.self == Int64.self { return Int64(number) as! D }
            if PlainType.is(D.self, PlainType.optionalInt64) { return Optional(Int64(number)) as! D }
            if D.self == Bool.self { return (number != 0) as! D }
            if PlainType.is(D.self, PlainType.optionalBool) { return Optional(number != 0) as! D }
        case .null:
            if let none = PlainNull.value(D.self) { return none }
        default:
            break
        }
        return try SQLiteDataDecoder().decode(D.self, from: data)
    }

    struct MissingColumn: Error {
        let column: String
    }
}

/// The metatypes the plain rows compare a requested type with, each looked up once: in generic code every
/// `String?.self` asked the runtime's metadata cache again (a twentieth of a list's CPU with the casts
/// around them, issue 12). Compared by identity: `PlainType.is(D.self, PlainType.optionalString)`.
enum PlainType {
    static let optionalString = ObjectIdentifier(String?.self)
    static let optionalInt = ObjectIdentifier(Int?.self)
    static let optionalInt64 = ObjectIdentifier(Int64?.self)
    static let optionalUUID = ObjectIdentifier(UUID?.self)
    static let optionalBool = ObjectIdentifier(Bool?.self)
    static let optionalDate = ObjectIdentifier(Date?.self)

    @inline(__always)
    static func `is`(_ type: Any.Type, _ known: ObjectIdentifier) -> Bool { ObjectIdentifier(type) == known }
}

/// NULL as the optional column types the plain rows of both databases read directly.
enum PlainNull {
    /// `D`'s nil when `D` is an optional text, integer, UUID, boolean or date; nil for any other type.
    static func value<D>(_: D.Type) -> D? {
        if PlainType.is(D.self, PlainType.optionalString) { return .some(String?.none as! D) }
        if PlainType.is(D.self, PlainType.optionalInt) { return .some(Int?.none as! D) }
        if PlainType.is(D.self, PlainType.optionalUUID) { return .some(UUID?.none as! D) }
        if PlainType.is(D.self, PlainType.optionalBool) { return .some(Bool?.none as! D) }
        if PlainType.is(D.self, PlainType.optionalDate) { return .some(Date?.none as! D) }
        return nil
    }
}

extension QueryBuilder {
    /// Like `all()` (without eager loading), with the models decoded from plain rows by `RowOutput`:
    /// Fluent's own output adjusts every key with string replacement for every row (issue 12).
    /// The models read as stored, so saving one later updates it as `all()`'s would.
    func allFromRows() async throws -> [Model] {
        try Model.fromRows(try await selectingModelFields().sqlRows())
    }

    /// This query, or a copy selecting all of the model's fields where it names none (as `all()` selects).
    func selectingModelFields() -> QueryBuilder<Model> {
        query.fields.isEmpty ? copy().fields(for: Model.self) : self
    }
}

extension Model {
    /// The models in rows of a query of this model's fields (`plainStatement`, `sqlRows`), as stored.
    static func fromRows(_ rows: [any SQLRow]) throws -> [Self] {
        let prefix = (alias ?? schema) + "_"
        return try rows.map { row in
            let model = Self()
            try model.output(from: RowOutput(row: row, prefix: prefix))
            model._$idExists = true
            return model
        }
    }
}

extension UUID {
    /// The uppercase canonical text, exactly as `uuidString` writes it (the form SQLite stores), without
    /// Foundation's formatter, which goes through `sprintf` on Linux: every id bound to a statement is
    /// written this way (issue 12).
    var canonicalText: String {
        withUnsafeBytes(of: uuid) { Hexadecimal.text(of: $0, uppercase: true, dashes: [4, 6, 8, 10]) }
    }
}

/// Values bound to SQLite statements, as SQLiteKit's `SQLiteDataEncoder` binds them: ids as their
/// uppercase text, values SQLite knows directly, anything else through the encoder. The encoder builds a
/// JSON encoder each time and writes ids through Foundation's formatter; most bound values are ids.
enum SQLiteBinds {
    static func data(_ value: any Encodable) throws -> SQLiteData {
        if let id = value as? UUID { return .text(id.canonicalText) }
        if let data = (value as? any SQLiteDataConvertible)?.sqliteData { return data }
        return try SQLiteDataEncoder().encode(value)
    }
}

extension UUID {
    /// A version 7 id (RFC 9562): the milliseconds since 1970 of `instant`, then random bits. Ids made one
    /// after another sort one after another, so the index on them grows at its end: a group of writes
    /// changes one page of it instead of one page each, and every changed page is written to the log and
    /// checkpointed (issue 12). The random bits come from the system's generator without opening a file.
    static func timeOrdered(at instant: Date) -> UUID {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, (instant.timeIntervalSince1970 * 1000).rounded(.down)))
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        for index in 6..<8 { bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * index)) }
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: low >> (8 * (index - 8))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Parses the canonical 36-character form byte by byte. SQLite stores UUIDs as text, and
    /// Foundation's parser on Linux goes through `sscanf`: a tenth of a list of thousands (issue 12).
    init?(canonical text: String) {
        func parse(_ bytes: some RandomAccessCollection<UInt8>) -> uuid_t? {
            guard bytes.count == 36 else { return nil }
            var out = [UInt8](repeating: 0, count: 16), index = 0, high: UInt8? = nil
            for (offset, byte) in bytes.enumerated() {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let nibble: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                if let h = high { out[index] = h << 4 | nibble; index += 1; high = nil } else { high = nibble }
            }
            return (out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7],
                    out[8], out[9], out[10], out[11], out[12], out[13], out[14], out[15])
        }
        guard let value = text.utf8.withContiguousStorageIfAvailable(parse) ?? parse(Array(text.utf8)) else { return nil }
        self.init(uuid: value)
    }
}

extension SQLRow {
    /// A row's value decoded as `T`, UUIDs stored as text (SQLite) parsed by `UUID(canonical:)`. PostgreSQL
    /// stores UUIDs as such: asking its rows for text first would fail, and build an error, for every one.
    func value<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        // Fallwerk's own rows parse ids themselves (and fall back as below).
        if let plain = self as? PlainSQLiteRow { return try plain.decode(column: column, as: T.self) }
        guard self is SQLiteRow else { return try decode(column: column, as: T.self) }
        if T.self == UUID.self, let text = try? decode(column: column, as: String.self), let id = UUID(canonical: text) {
            return id as! T
        }
        if PlainType.is(T.self, PlainType.optionalUUID), let text = try? decode(column: column, as: String?.self) {
            if let id = UUID(canonical: text) { return Optional(id) as! T }
        }
        return try decode(column: column, as: T.self)
    }
}

/// One row as Fluent reads a model from it, the columns named `<schema>_<field>`.
struct RowOutput: DatabaseOutput {
    let row: any SQLRow
    let prefix: String

    func schema(_ schema: String) -> any DatabaseOutput { RowOutput(row: row, prefix: schema + "_") }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: prefix + key.description) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: prefix + key.description) }
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T { try row.value(prefix + key.description, as: T.self) }
    var description: String { "row \(prefix)" }
}

/// No custom types or nested fields in the queries `sqlRows` and the direct writer run.
struct PlainConverter: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
}

/// A database without SQL (none of Fallwerk's drivers).
struct RawRowsUnsupported: Error {}

extension Array where Element: Sendable {
    /// `map` in at most `parts` consecutive pieces of at least `atLeast` elements each, one task per piece
    /// (pure work on thousands of elements, on every core); the result in the array's order.
    func concurrentMap<T: Sendable>(parts: Int, atLeast: Int, _ transform: @escaping @Sendable (Element) -> T) async -> [T] {
        let parts = Swift.max(1, Swift.min(parts, count / Swift.max(1, atLeast)))
        guard parts > 1 else { return map(transform) }
        return await withTaskGroup(of: (Int, [T]).self) { group in
            for (index, piece) in chunked((count + parts - 1) / parts).enumerated() {
                group.addTask { (index, piece.map(transform)) }
            }
            var done: [Int: [T]] = [:]
            for await (index, results) in group { done[index] = results }
            return done.keys.sorted().flatMap { done[$0] ?? [] }
        }
    }
}
