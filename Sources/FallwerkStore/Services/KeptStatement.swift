import FluentKit
import FluentSQL
import Foundation
import NIOConcurrencyHelpers

/// The statements every request about a case reads (its record, persons and staff, the viewer, its budget
/// window), built and serialized once per database and kept; each call binds its own values where the
/// stand-in values stood (issue 12: building a Fluent query and writing it out cost more CPU than
/// SQLite's answer to it).
///
/// `build` makes the statement from the values it is given and must not branch on them: the same
/// statement, whatever the values. The first call checks that: it builds the statement with stand-ins
/// and with the real values, and keeps the text only when both read the same and every value was found
/// in its place; otherwise that statement is built every time, as before.
enum KeptStatement {
    enum Value: Sendable {
        case id(UUID)
        case text(String)

        var id: UUID { if case .id(let id) = self { id } else { UUID() } }
        var text: String { if case .text(let text) = self { text } else { "" } }

        /// A value of the same kind that no stored row has, marking place `index`.
        func standIn(_ index: Int) -> Value {
            switch self {
            case .id: .id(UUID(uuid: (0xF1, 0x77, 0xE0, 0xA7, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, UInt8(index))))
            case .text: .text("\u{1}kept-\(index)\u{1}")
            }
        }

        /// This value in the place of `standIn`, wrapped as the stand-in was (an optional parent's id is bound as `UUID?`).
        func bind(replacing standIn: any Encodable & Sendable) -> any Encodable & Sendable {
            switch self {
            case .id(let id): type(of: standIn) == UUID?.self ? UUID?.some(id) : id
            case .text(let text): type(of: standIn) == String?.self ? String?.some(text) : text
            }
        }

        /// Whether `bind` is this value as the statement bound it, optional or not.
        func isBound(as bind: any Encodable & Sendable) -> Bool {
            switch self {
            case .id(let id): (bind as? UUID) == id || (bind as? UUID?) == .some(id)
            case .text(let text): (bind as? String) == text || (bind as? String?) == .some(text)
            }
        }
    }

    private struct Shape: Sendable {
        let sql: String
        let binds: [any Encodable & Sendable]
        /// For each bound value that is a call's value: its place in the binds and in the values.
        let slots: [(bind: Int, value: Int)]

        func binds(_ values: [Value]) -> [any Encodable & Sendable] {
            var binds = self.binds
            for slot in slots { binds[slot.bind] = values[slot.value].bind(replacing: binds[slot.bind]) }
            return binds
        }
    }

    /// Kept texts by key and database; nil where a statement could not be kept.
    private static let kept = NIOLockedValueBox<[String: Shape?]>([:])

    /// The rows of the statement `build` makes for `values`, its text kept under `key`.
    static func rows(_ key: String, _ values: [Value], on db: any Database,
                     build: ([Value]) -> any SQLExpression) async throws -> [any SQLRow] {
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        let slot = key + "|" + sql.dialect.name
        switch kept.withLockedValue({ $0[slot] }) {
        case .some(.some(let shape)):
            return try await sql.plainRows(SerializedSQL(sql: shape.sql, binds: shape.binds(values)))
        case .some(.none):
            return try await sql.plainRows(build(values))
        case .none:
            let real = build(values)
            kept.withLockedValue { $0[slot] = shape(of: build, values, real: real, on: sql) }
            return try await sql.plainRows(real)
        }
    }

    /// The models the query `build` makes for `values` selects (all of the model's fields when it names
    /// none), its text kept under `key`, decoded as `allFromRows` decodes them.
    static func models<M: Model>(_ key: String, _ values: [Value], on db: any Database,
                                 build: @escaping ([Value]) -> QueryBuilder<M>) async throws -> [M] {
        try M.fromRows(try await rows(key, values, on: db) { values in build(values).selectingModelFields().plainStatement })
    }

    /// The rows of the query `build` makes for these ids: for one (every request about one case) through a
    /// statement kept under `key`, for many as built.
    static func rows<M: Model>(_ key: String, of ids: [UUID], on db: any Database,
                               build: @escaping ([UUID]) -> QueryBuilder<M>) async throws -> [any SQLRow] {
        guard ids.count == 1 else { return try await build(ids).sqlRows() }
        return try await rows(key, [.id(ids[0])], on: db) { build([$0[0].id]).plainStatement }
    }

    /// `rows(_:of:on:build:)` as models, decoded as `allFromRows` decodes them.
    static func models<M: Model>(_ key: String, of ids: [UUID], on db: any Database,
                                 build: @escaping ([UUID]) -> QueryBuilder<M>) async throws -> [M] {
        guard ids.count == 1 else { return try await build(ids).allFromRows() }
        return try await models(key, [.id(ids[0])], on: db) { build([$0[0].id]) }
    }

    /// Whether the statement under `key` is kept for this database (for tests).
    static func isKept(_ key: String, on db: any Database) -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        return kept.withLockedValue { ($0[key + "|" + sql.dialect.name] ?? nil) != nil }
    }

    /// The statement's kept form, when the stand-ins find every value in its place.
    private static func shape(of build: ([Value]) -> any SQLExpression, _ values: [Value], real: any SQLExpression,
                              on sql: any SQLDatabase) -> Shape? {
        let standIns = values.enumerated().map { $1.standIn($0) }
        let template = VerbatimIdentifiers.serialize(build(standIns), for: sql)
        var slots: [(bind: Int, value: Int)] = []
        for (index, bind) in template.binds.enumerated() {
            if let value = standIns.firstIndex(where: { $0.isBound(as: bind) }) { slots.append((index, value)) }
        }
        let shape = Shape(sql: template.sql, binds: template.binds, slots: slots)
        let written = VerbatimIdentifiers.serialize(real, for: sql)
        guard Set(slots.map(\.value)) == Set(values.indices), written.sql == template.sql,
              written.binds.map({ "\($0)" }) == shape.binds(values).map({ "\($0)" }) else { return nil }
        return shape
    }
}
