import Fluent
import Foundation

/// Page sessions (see `WebSessionModel`), found by the hash of the cookie's secret (the caller hashes).
public enum WebSessionStore {
    public struct Session: Sendable, Equatable {
        public let data: [String: String]
        public let createdAt: Date
        public let lastSeenAt: Date
    }

    public static func create(secretHash: String, data: [String: String], userID: UUID?, now: Date, on db: any Database) async throws {
        let model = WebSessionModel()
        model.secretHash = secretHash
        model.userID = userID
        model.data = try encode(data)
        model.createdAt = now
        model.lastSeenAt = now
        // Through SQLite's write queue, like every write: a concurrent transaction never fails it.
        try await db.writeTransaction { db in try await model.create(on: db) }
    }

    public static func read(secretHash: String, on db: any Database) async throws -> Session? {
        guard let model = try await WebSessionModel.query(on: db).filter(\.$secretHash == secretHash).first() else { return nil }
        let data = (try? JSONDecoder().decode([String: String].self, from: Data(model.data.utf8))) ?? [:]
        return Session(data: data, createdAt: model.createdAt, lastSeenAt: model.lastSeenAt)
    }

    public static func update(secretHash: String, data: [String: String], userID: UUID?, now: Date, on db: any Database) async throws {
        let encoded = try encode(data)
        try await db.writeTransaction { db in
            try await WebSessionModel.query(on: db).filter(\.$secretHash == secretHash)
                .set(\.$data, to: encoded).set(\.$userID, to: userID).set(\.$lastSeenAt, to: now)
                .update()
        }
    }

    public static func delete(secretHash: String, on db: any Database) async throws {
        try await db.writeTransaction { db in try await WebSessionModel.query(on: db).filter(\.$secretHash == secretHash).delete() }
    }

    /// Ends every page session of a user (password reset, deactivation).
    public static func deleteAll(userID: UUID, on db: any Database) async throws {
        try await db.writeTransaction { db in try await WebSessionModel.query(on: db).filter(\.$userID == userID).delete() }
    }

    /// Removes sessions idle since `idleBefore` or begun before `createdBefore`; returns how many.
    @discardableResult
    public static func purge(idleBefore: Date, createdBefore: Date, on db: any Database) async throws -> Int {
        let stale = WebSessionModel.query(on: db).group(.or) { $0.filter(\.$lastSeenAt < idleBefore).filter(\.$createdAt < createdBefore) }
        let count = try await stale.count()
        if count > 0 {
            try await db.writeTransaction { db in
                try await WebSessionModel.query(on: db).group(.or) { $0.filter(\.$lastSeenAt < idleBefore).filter(\.$createdAt < createdBefore) }.delete()
            }
        }
        return count
    }

    public static func count(on db: any Database) async throws -> Int {
        try await WebSessionModel.query(on: db).count()
    }

    static func encode(_ data: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(data), as: UTF8.self)
    }
}
