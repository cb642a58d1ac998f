import Fluent
import Foundation

/// Who did something: a signed-in user, or the command line.
public struct AuditActor: Sendable, Hashable {
    public let userID: UUID?
    public let username: String

    public init(userID: UUID?, username: String) {
        self.userID = userID
        self.username = username
    }

    public static let commandLine = AuditActor(userID: nil, username: "system")
}

public enum AuditAction: String, Sendable, CaseIterable {
    case create, update, delete, read, login, loginFailed, logout

    public var german: String {
        switch self {
        case .create: "angelegt"
        case .update: "geändert"
        case .delete: "gelöscht"
        case .read: "gelesen"
        case .login: "Anmeldung"
        case .loginFailed: "Anmeldung fehlgeschlagen"
        case .logout: "Abmeldung"
        }
    }
}

public struct AuditChange: Codable, Sendable, Hashable {
    public let from: String?
    public let to: String?

    public init(from: String?, to: String?) {
        self.from = from
        self.to = to
    }
}

/// A line of the audit log as pages and the API show it.
public struct AuditRecord: Sendable, Hashable {
    public let id: UUID
    public let at: Date
    public let username: String
    public let action: String
    public let entity: String
    public let entityID: String?
    public let changes: [String: AuditChange]
}

/// Writes and reads the append-only audit log (R31).
public enum AuditLog {
    /// Fields whose values are never written to the log, only the fact that they changed.
    static let secretFields: Set<String> = ["passwordHash", "password"]

    public static func record(
        _ action: AuditAction, entity: String, id: UUID?, changes: [String: AuditChange] = [:],
        by actor: AuditActor, at now: Date, on db: any Database, batch: AuditBatch? = nil
    ) async throws {
        let entry = AuditEntryModel()
        entry.at = now
        entry.userID = actor.userID
        entry.username = actor.username
        entry.action = action.rawValue
        entry.entity = entity
        entry.entityID = id?.uuidString
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        entry.changes = String(decoding: try encoder.encode(changes), as: UTF8.self)
        // Inside a write it joins that transaction. Alone (a read audit, a login) it queues like every write,
        // so that on SQLite it never meets a concurrent read-then-write transaction head-on; with a batch,
        // it commits together with the other entries of that batch waiting at that moment.
        if db.inTransaction {
            try await entry.create(on: db)
        } else if let batch {
            try await batch.write(entry, on: db)
        } else {
            try await db.writeTransaction { db in try await entry.create(on: db) }
        }
    }

    /// Field-by-field difference between two snapshots; secret values are masked.
    public static func diff(from old: [String: String], to new: [String: String]) -> [String: AuditChange] {
        var changes: [String: AuditChange] = [:]
        for key in Set(old.keys).union(new.keys) where old[key] != new[key] {
            if secretFields.contains(key) {
                changes[key] = AuditChange(from: old[key] == nil ? nil : "•••", to: new[key] == nil ? nil : "•••")
            } else {
                changes[key] = AuditChange(from: old[key], to: new[key])
            }
        }
        return changes
    }

    /// Newest first.
    public static func recent(limit: Int, offset: Int = 0, entity: String? = nil, on db: any Database) async throws -> [AuditRecord] {
        var query = AuditEntryModel.query(on: db).sort(\.$at, .descending).sort(\.$id)
        if let entity { query = query.filter(\.$entity == entity) }
        let decoder = JSONDecoder()
        return try await query.range(offset..<(offset + limit)).all().map { entry in
            AuditRecord(
                id: entry.id!, at: entry.at, username: entry.username, action: entry.action,
                entity: entry.entity, entityID: entry.entityID,
                changes: (try? decoder.decode([String: AuditChange].self, from: Data(entry.changes.utf8))) ?? [:]
            )
        }
    }
}

/// Group commit of audit entries written outside a store's write (issue 12): every case a page or the
/// API shows is audited (R31), so under load each GET would otherwise queue for a transaction of its
/// own. Entries that arrive while one batch commits are committed together in the next transaction,
/// in one multi-row insert. Each caller waits until its entry is committed, so a view is never shown
/// without its audit entry stored; when the write fails, every caller of that batch gets the error.
/// One per application: a batch writes to the database of the requests that fill it.
public actor AuditBatch {
    public init() {}

    /// Keeps one insert well below the database's limit of bound values.
    static let maximumBatch = 200

    private var pending: [(entry: AuditEntryModel, done: CheckedContinuation<Void, any Error>)] = []
    private var flushing = false

    func write(_ entry: AuditEntryModel, on db: any Database) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            pending.append((entry, done))
            if !flushing {
                flushing = true
                Task { await flush(on: db) }
            }
        }
    }

    private func flush(on db: any Database) async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maximumBatch))
            pending.removeFirst(batch.count)
            let entries = batch.map(\.entry)
            do {
                try await db.writeTransaction { db in try await entries.create(on: db) }
                for item in batch { item.done.resume() }
            } catch {
                for item in batch { item.done.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
