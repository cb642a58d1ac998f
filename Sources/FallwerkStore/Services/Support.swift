import FallwerkDomain
import Fluent
import FluentSQL
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
        let statement = SQLQueryConverter(delegate: PlainConverter()).convert(query)
        return try await sql.raw("\(statement)").all()
    }
}

extension QueryBuilder {
    /// Like `all()` (without eager loading), with the models decoded from plain rows by `RowOutput`:
    /// Fluent's own output adjusts every key with string replacement for every row (issue 12).
    /// The models read as stored, so saving one later updates it as `all()`'s would.
    func allFromRows() async throws -> [Model] {
        let query = self.query.fields.isEmpty ? copy().fields(for: Model.self) : self
        let prefix = (Model.alias ?? Model.schema) + "_"
        return try await query.sqlRows().map { row in
            let model = Model()
            try model.output(from: RowOutput(row: row, prefix: prefix))
            model._$idExists = true
            return model
        }
    }
}

/// One row as Fluent reads a model from it, the columns named `<schema>_<field>`.
struct RowOutput: DatabaseOutput {
    let row: any SQLRow
    let prefix: String

    func schema(_ schema: String) -> any DatabaseOutput { RowOutput(row: row, prefix: schema + "_") }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: prefix + key.description) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: prefix + key.description) }
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T { try row.decode(column: prefix + key.description, as: T.self) }
    var description: String { "row \(prefix)" }
}

/// No custom types or nested fields in the queries `sqlRows` runs.
private struct PlainConverter: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
}

private struct RawRowsUnsupported: Error {}
