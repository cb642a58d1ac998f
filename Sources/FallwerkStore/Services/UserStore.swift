import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

public struct UserRecord: Sendable, Hashable {
    public let id: UUID
    public let username: String
    public let displayName: String
    public let roles: Set<Role>
    public let isActive: Bool
    /// When an administrator deactivated the login (issue 16).
    public var deactivatedAt: Date? = nil
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

    /// Creates (id nil) or updates a login. `hash` turns a checked password into its bcrypt hash, before
    /// the write transaction: a hash takes a quarter of a second, and on SQLite every other write would wait
    /// for it.
    @discardableResult
    public static func save(_ input: UserInput, id: UUID? = nil, hash: @escaping @Sendable (String) async throws -> String,
                            context: WriteContext, on db: any Database) async throws -> UUID {
        let checked = try input.validated(passwordRequired: id == nil)
        var passwordHash: String?
        if let password = checked.password { passwordHash = try await hash(password) }
        return try await db.writeTransaction { [passwordHash] db in
            if let other = try await UserModel.find(username: checked.username, on: db), other.id != id {
                throw ValidationFailure([FieldError("username", "Dieser Benutzername ist schon vergeben.")])
            }
            let model = try await UserModel.existingOrNew(id, entity: entity, on: db)
            let before = id == nil ? [:] : snapshot(model)
            model.username = checked.username
            model.displayName = checked.displayName
            model.roles = checked.roles
            if id == nil { model.isActive = true }
            if let passwordHash { model.passwordHash = passwordHash }
            try await model.save(on: db)
            if id != nil, checked.password != nil {
                // A new password ends every page session and API token of the user (#11).
                try await endSessions(of: model.requireID(), on: db)
            }
            var changes = AuditLog.diff(from: before, to: snapshot(model))
            if checked.password != nil { changes["password"] = AuditChange(from: nil, to: "•••") }
            try await AuditLog.record(id == nil ? .create : .update, entity: entity, id: model.id, changes: changes,
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    /// Deactivates (`active` false) or reactivates a login (issue 16). A deactivated user is refused at
    /// once: every page session and API token of theirs ends in the same transaction, and sign-in,
    /// session and token lookups refuse inactive users. Nothing of their work is deleted; it keeps its
    /// author. An administrator cannot deactivate themselves (someone must be left to undo it).
    public static func setActive(_ id: UUID, _ active: Bool, context: WriteContext, on db: any Database) async throws {
        if !active, id == context.actor.userID {
            throw ValidationFailure([FieldError("id", "Sie können sich nicht selbst deaktivieren. Bitten Sie eine andere Administratorin oder einen anderen Administrator darum.")])
        }
        try await db.writeTransaction { db in
            let model = try await UserModel.require(id, entity: entity, on: db)
            guard model.isActive != active else { return }
            let before = snapshot(model)
            model.isActive = active
            model.deactivatedAt = active ? nil : context.now
            try await model.save(on: db)
            if !active { try await endSessions(of: id, on: db) }
            try await AuditLog.record(.update, entity: entity, id: id, changes: AuditLog.diff(from: before, to: snapshot(model)),
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// A user changes their own password (issue 16): the current one must match (`verify` compares a
    /// password with the stored hash), the new one follows `PasswordRules`. Every page session and API
    /// token of the user ends; the caller signs the current page in again on a new session. Audited
    /// without the value.
    public static func changeOwnPassword(_ userID: UUID, _ change: PasswordChange,
                                         verify: @escaping @Sendable (_ password: String, _ hash: String) async throws -> Bool,
                                         hash: @escaping @Sendable (String) async throws -> String,
                                         context: WriteContext, on db: any Database) async throws {
        let model = try await UserModel.require(userID, entity: entity, on: db)
        guard model.isActive else { throw RecordNotFound(entity: entity) }
        let checked = try change.validated(username: model.username)
        guard try await verify(checked.current, model.passwordHash) else { throw ValidationFailure([PasswordChange.wrongCurrentPassword]) }
        let newHash = try await hash(checked.new)
        try await db.writeTransaction { db in
            let model = try await UserModel.require(userID, entity: entity, on: db)
            model.passwordHash = newHash
            try await model.save(on: db)
            try await endSessions(of: userID, on: db)
            try await AuditLog.record(.update, entity: entity, id: userID, changes: ["password": AuditChange(from: "•••", to: "•••")],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// Ends every page session and API token of a user (new password, deactivation).
    static func endSessions(of userID: UUID, on db: any Database) async throws {
        try await WebSessionStore.deleteAll(userID: userID, on: db)
        try await UserTokenModel.query(on: db).filter(\.$user.$id == userID).delete()
    }

    static func record(_ model: UserModel) -> UserRecord {
        UserRecord(id: model.id!, username: model.username, displayName: model.displayName,
                   roles: model.roles, isActive: model.isActive, deactivatedAt: model.deactivatedAt)
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
        try await signedIn(tokenHash: tokenHash, now: now, on: db)?.user
    }

    /// The active user of an unexpired token, with the user as a case viewer (staff record, led teams).
    public static func signedIn(tokenHash: String, now: Date, on db: any Database) async throws -> (user: UserRecord, viewer: Viewer)? {
        // One query for every API request: the token joined with its user, the user's staff record and the
        // teams it leads (`Viewer.load`'s rows), written out and read as plain rows (issue 12: building this
        // join through Fluent was a share of every request; the viewer was a second statement).
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        let rows = try await sql.plainRows("""
            SELECT users.id, users.username, users.display_name, users.roles, users.is_active, users.deactivated_at,
                   staff.id AS staff_id, teams.id AS teams_id
            FROM user_tokens JOIN users ON users.id = user_tokens.user_id
            LEFT JOIN staff ON staff.user_id = users.id LEFT JOIN teams ON teams.lead_staff_id = staff.id
            WHERE user_tokens.token_hash = \(bind: tokenHash) AND user_tokens.expires_at > \(bind: now)
            """ as SQLQueryString)
        guard let row = rows.first else { return nil }
        let user = UserModel()
        user.id = try row.value("id", as: UUID.self)
        user.username = try row.value("username", as: String.self)
        user.displayName = try row.value("display_name", as: String.self)
        user.rolesText = try row.value("roles", as: String.self)
        user.isActive = try row.value("is_active", as: Bool.self)
        user.deactivatedAt = try row.value("deactivated_at", as: Date?.self)
        guard user.isActive else { return nil }
        let record = UserStore.record(user)
        return (record, Viewer(rows: rows, userID: record.id, roles: record.roles))
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
