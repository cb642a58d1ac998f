import FallwerkDomain
import Fluent
import Foundation

public struct UserRecord: Sendable, Hashable {
    public let id: UUID
    public let username: String
    public let displayName: String
    public let roles: Set<Role>
    public let isActive: Bool
}

public enum UserStore {
    static let entity = "user"

    public static func count(on db: any Database) async throws -> Int {
        try await UserModel.query(on: db).count()
    }

    public static func list(on db: any Database) async throws -> [UserRecord] {
        try await UserModel.query(on: db).sort(\.$username).all().map(record)
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> UserRecord {
        record(try await UserModel.require(id, entity: entity, on: db))
    }

    /// Active user with the password hash, for the login check only.
    public static func credentials(username: String, on db: any Database) async throws -> (UserRecord, passwordHash: String)? {
        guard let model = try await UserModel.find(username: username, on: db), model.isActive else { return nil }
        return (record(model), model.passwordHash)
    }

    /// Creates (id nil) or updates a login. `hash` turns a checked password into its bcrypt hash.
    @discardableResult
    public static func save(_ input: UserInput, id: UUID? = nil, hash: @escaping @Sendable (String) throws -> String,
                            context: WriteContext, on db: any Database) async throws -> UUID {
        let checked = try input.validated(passwordRequired: id == nil)
        return try await db.writeTransaction { db in
            if let other = try await UserModel.find(username: checked.username, on: db), other.id != id {
                throw ValidationFailure([FieldError("username", "Dieser Benutzername ist schon vergeben.")])
            }
            let model = try await UserModel.existingOrNew(id, entity: entity, on: db)
            let before = id == nil ? [:] : snapshot(model)
            model.username = checked.username
            model.displayName = checked.displayName
            model.roles = checked.roles
            if id == nil { model.isActive = true }
            if let password = checked.password { model.passwordHash = try hash(password) }
            try await model.save(on: db)
            if id != nil, checked.password != nil {
                // A new password ends every page session and API token of the user (#11).
                try await WebSessionStore.deleteAll(userID: model.requireID(), on: db)
                try await UserTokenModel.query(on: db).filter(\.$user.$id == model.requireID()).delete()
            }
            var changes = AuditLog.diff(from: before, to: snapshot(model))
            if checked.password != nil { changes["password"] = AuditChange(from: nil, to: "•••") }
            try await AuditLog.record(id == nil ? .create : .update, entity: entity, id: model.id, changes: changes,
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    static func record(_ model: UserModel) -> UserRecord {
        UserRecord(id: model.id!, username: model.username, displayName: model.displayName,
                   roles: model.roles, isActive: model.isActive)
    }

    static func snapshot(_ model: UserModel) -> [String: String] {
        ["username": model.username, "displayName": model.displayName, "roles": model.rolesText,
         "isActive": model.isActive ? "ja" : "nein"]
    }
}

/// API bearer tokens.
public enum TokenStore {
    public static func create(userID: UUID, tokenHash: String, expiresAt: Date, on db: any Database) async throws {
        try await UserTokenModel(userID: userID, tokenHash: tokenHash, expiresAt: expiresAt).create(on: db)
    }

    /// The active user of an unexpired token.
    public static func user(tokenHash: String, now: Date, on db: any Database) async throws -> UserRecord? {
        // One query for every API request: the token joined with its user.
        guard let token = try await UserTokenModel.query(on: db).filter(\.$tokenHash == tokenHash).filter(\.$expiresAt > now)
            .join(UserModel.self, on: \UserTokenModel.$user.$id == \UserModel.$id).first()
        else { return nil }
        let user = try token.joined(UserModel.self)
        return user.isActive ? UserStore.record(user) : nil
    }

    public static func revoke(tokenHash: String, on db: any Database) async throws {
        try await UserTokenModel.query(on: db).filter(\.$tokenHash == tokenHash).delete()
    }

    public static func purgeExpired(now: Date, on db: any Database) async throws {
        try await UserTokenModel.query(on: db).filter(\.$expiresAt <= now).delete()
    }
}

/// Failed logins per username: after `freeAttempts` failures every further attempt waits,
/// doubling from one minute up to 15 minutes. Shared by all instances through the database.
public enum LoginThrottleStore {
    public static let freeAttempts = 5
    /// Failures from one address over all accounts before that address waits (an office behind
    /// one address shares it, so it is higher).
    public static let freeAttemptsPerAddress = 30

    public static func blockedUntil(key: String, now: Date, on db: any Database) async throws -> Date? {
        guard let row = try await LoginThrottleModel.query(on: db).filter(\.$key == key).first(),
              let until = row.blockedUntil, until > now
        else { return nil }
        return until
    }

    /// Records one failure and returns the number of failures in a row.
    @discardableResult
    /// Counts in a write transaction (SQLite's write queue), and once more when a concurrent failure
    /// inserted the row first (PostgreSQL), so parallel failed logins never end in a server error.
    public static func recordFailure(key: String, freeAttempts: Int = freeAttempts, now: Date, on db: any Database) async throws -> Int {
        do {
            return try await db.writeTransaction { db in try await count(key: key, freeAttempts: freeAttempts, now: now, on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await db.writeTransaction { db in try await count(key: key, freeAttempts: freeAttempts, now: now, on: db) }
        }
    }

    static func count(key: String, freeAttempts: Int, now: Date, on db: any Database) async throws -> Int {
        let row = try await LoginThrottleModel.query(on: db).filter(\.$key == key).first() ?? LoginThrottleModel(key: key, at: now)
        // A quiet day forgives old failures.
        if now.timeIntervalSince(row.lastFailureAt) > 24 * 3600 { row.failures = 0 }
        row.failures += 1
        row.lastFailureAt = now
        if row.failures >= freeAttempts {
            let minutes = min(15, 1 << min(4, row.failures - freeAttempts))
            row.blockedUntil = now.addingTimeInterval(TimeInterval(minutes * 60))
        }
        try await row.save(on: db)
        return row.failures
    }

    public static func reset(key: String, on db: any Database) async throws {
        try await db.writeTransaction { db in try await LoginThrottleModel.query(on: db).filter(\.$key == key).delete() }
    }
}
