import FallwerkDomain
import Fluent
import FluentSQL
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
    /// A request the rules refused (a page, an operation or a case the user may not see; R31).
    case refused

    public var german: String {
        switch self {
        case .create: "angelegt"
        case .update: "geändert"
        case .delete: "gelöscht"
        case .read: "gelesen"
        case .login: "Anmeldung"
        case .loginFailed: "Anmeldung fehlgeschlagen"
        case .logout: "Abmeldung"
        case .refused: "abgewiesen"
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

    /// Records whose field values may stand in the log: master data, settings, staff and billing runs.
    /// Every other entity is case content (persons, notes, goals, entries, §8a, health …): the log
    /// names which fields changed but never their values, so that it holds no case content and a file
    /// deleted under R32 leaves none behind in the log that must be kept.
    static let entitiesWithValues: Set<String> = [
        "agreement", "billingRun", "calendarFeed", "datevExport", "datevSettings", "isefExpert", "offer", "onCallShift",
        "performanceReport", "provider", "safeguardingSettings", "session", "staff", "staffEvidence", "staffStandards", "team",
        "user", "youthOffice", "absence", "invoice", "retention",
    ]

    /// Keys whose values are references or view names, not content, and stay readable for every entity.
    static let technicalKeys: Set<String> = ["view", "case", "list", "month", "count", "kind", "status", "reason", "corrects", "goals"]

    /// Which cases an entry refers to: one row per entry and case, append-only like the log.
    public static let caseRefsTable = "audit_case_refs"

    /// Which cases a user read on which day: one row per case, user and day, append-only like the log.
    /// The entries of reads keep their cases in `audit_log.case_ids` and no row per case here: a list of
    /// sixteen cases opened a hundred times a day was 1,600 references a day for one caseworker, and
    /// writing them a quarter of the list's CPU (issue 12). The search by case stays exact: the days lead
    /// to the user's entries of that day, and `case_ids` decides which of them refer to the case.
    public static let caseDaysTable = "audit_case_days"

    /// Shown instead of a value the log does not keep.
    public static let withheld = "(Inhalt nicht protokolliert)"

    /// Writes one entry and, for `cases`, the references that let the log be searched by case ("who saw
    /// this file"); when `cases` is empty, the entry of a case (`entity == "case"`) refers to that case.
    public static func record(
        _ action: AuditAction, entity: String, id: UUID?, changes: [String: AuditChange] = [:], cases: [UUID] = [],
        by actor: AuditActor, at now: Date, on db: any Database, batch: AuditBatch? = nil
    ) async throws {
        let written = try entry(action, entity: entity, id: id, changes: changes, cases: cases, by: actor, at: now)
        // Inside a write it joins that transaction. Alone (a read audit, a login) it queues like every write,
        // so that on SQLite it never meets a concurrent read-then-write transaction head-on; with a batch,
        // it commits together with the other entries of that batch waiting at that moment.
        if db.inTransaction {
            try await write(written, on: db)
        } else if let batch {
            try await batch.write(written, on: db)
        } else {
            try await db.writeTransaction { db in try await write(written, on: db) }
        }
    }

    /// The entry `record` writes, made ahead of the write transaction it joins (`write`): an entry write
    /// makes its audit beside other requests, not inside SQLite's one writer (decision 0035).
    static func entry(
        _ action: AuditAction, entity: String, id: UUID?, changes: [String: AuditChange] = [:], cases: [UUID] = [],
        by actor: AuditActor, at now: Date
    ) throws -> WrittenEntry {
        let entry = AuditEntryModel()
        entry.id = UUID.timeOrdered(at: now)
        entry.at = now
        entry.userID = actor.userID
        entry.username = actor.username
        entry.action = action.rawValue
        entry.entity = entity
        entry.entityID = id?.uuidString
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        entry.changes = String(decoding: try encoder.encode(withoutContent(changes, entity: entity)), as: UTF8.self)
        var refs = cases
        if refs.isEmpty, entity == "case", let id { refs = [id] }
        if refs.isEmpty, let current = CaseReads.ledger?.subject { refs = [current] }
        // Reads (and refused reads) of a signed-in user refer to their cases by day; changes one by one.
        let byDay = (action == .read || action == .refused) && actor.userID != nil && !refs.isEmpty
        if byDay { entry.caseIDs = "," + refs.map(\.canonicalText).joined(separator: ",") + "," }
        return WrittenEntry(entry: entry, cases: refs, byDay: byDay)
    }

    /// Writes an entry `entry` made, inside the write transaction `db`.
    static func write(_ written: WrittenEntry, on db: any Database) async throws {
        try await [written].insert(on: db)
    }

    /// Values of case content replaced by `withheld`; secrets are masked already by `diff`.
    static func withoutContent(_ changes: [String: AuditChange], entity: String) -> [String: AuditChange] {
        guard !entitiesWithValues.contains(entity) else { return changes }
        var kept: [String: AuditChange] = [:]
        for (key, change) in changes {
            let isReference = key.hasSuffix("Id") || key.hasSuffix("ID") || key.hasSuffix("Ids")
            kept[key] = technicalKeys.contains(key) || isReference ? change
                : AuditChange(from: change.from == nil ? nil : withheld, to: change.to == nil ? nil : withheld)
        }
        return kept
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
        try await entries(AuditFilter(entity: entity), limit: limit, offset: offset, on: db)
    }

    /// The entries a filter selects, newest first: by case (through `audit_case_refs`), user, period, entity.
    public static func entries(_ filter: AuditFilter, limit: Int, offset: Int = 0, on db: any Database) async throws -> [AuditRecord] {
        var query = AuditEntryModel.query(on: db).sort(\.$at, .descending).sort(\.$id)
        if let entity = filter.entity { query = query.filter(\.$entity == entity) }
        if let userID = filter.userID { query = query.filter(\.$userID == userID) }
        if let from = filter.from { query = query.filter(\.$at >= from) }
        if let to = filter.before { query = query.filter(\.$at < to) }
        if let action = filter.action { query = query.filter(\.$action == action.rawValue) }
        if let cases = filter.caseIDs {
            guard !cases.isEmpty else { return [] }
            let list = SQLGroupExpression(SQLList(cases.map { SQLBind($0) }))
            // Entries with a reference of their own, or the user's entries of a day on which they read one
            // of the cases whose case list names it (ids as SQLite stores them, in upper case, on both).
            query = query.filter(.sql(embed: """
                (\(ident: AuditEntryModel.schema).\(ident: "id") IN (SELECT \(ident: "audit_id") FROM \(ident: caseRefsTable) \
                WHERE \(ident: "case_id") IN \(list)) \
                OR \(ident: AuditEntryModel.schema).\(ident: "id") IN (SELECT a.id FROM \(ident: caseDaysTable) d \
                JOIN \(ident: AuditEntryModel.schema) a ON a.user_id = d.user_id AND a.at >= d.from_at AND a.at < d.until_at \
                WHERE d.case_id IN \(list) AND a.case_ids LIKE '%,' || UPPER(CAST(d.case_id AS TEXT)) || ',%'))
                """))
        }
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

/// What the audit log page and API filter by (R31). `before` is exclusive.
public struct AuditFilter: Sendable, Equatable {
    public var entity: String?
    /// Entries that refer to any of these cases; empty: none match.
    public var caseIDs: [UUID]?
    public var userID: UUID?
    public var from: Date?
    public var before: Date?
    public var action: AuditAction?

    public init(entity: String? = nil, caseIDs: [UUID]? = nil, userID: UUID? = nil, from: Date? = nil, before: Date? = nil,
                action: AuditAction? = nil) {
        self.entity = entity
        self.caseIDs = caseIDs
        self.userID = userID
        self.from = from
        self.before = before
        self.action = action
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

    private var pending: [(entry: WrittenEntry, done: CheckedContinuation<Void, any Error>)] = []
    private var flushing = false

    func write(_ entry: WrittenEntry, on db: any Database) async throws {
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
                // Read audits commit without waiting for the disk (`Durability.soon`); entries written with
                // a change of data commit with it, durably.
                if let sql = db as? any SQLDatabase, !db.inTransaction, let statement = entries.postgresStatement(for: sql) {
                    _ = try await sql.plainRows(statement)
                } else {
                    try await db.writeTransaction(.soon) { db in try await entries.insert(on: db) }
                }
                for item in batch { item.done.resume() }
            } catch {
                for item in batch { item.done.resume(throwing: error) }
            }
        }
        flushing = false
    }
}

/// An audit entry with the cases it refers to: one reference each (`audit_case_refs`), or, `byDay`, the
/// cases in the entry and one row per case, user and day (`audit_case_days`).
struct WrittenEntry: Sendable {
    let entry: AuditEntryModel
    let cases: [UUID]
    var byDay = false

    /// The first instant of the local day of `at` and of the day after (Berlin time, as the filter's days).
    var day: (from: Date, until: Date) {
        let day = BerlinTime.local(entry.at).day, midnight = TimeOfDay(minuteOfDay: 0)!
        return (BerlinTime.instant(day, midnight), BerlinTime.instant(day.adding(days: 1), midnight))
    }
}

extension Array where Element == WrittenEntry {
    /// Inserts the entries and their case references, each as multi-row inserts of plain SQL (every
    /// viewed page waits for these: Fluent's insert of the entries answered through a future, a hand-over
    /// to an event loop and back on every group commit, issue 12). The references name their entry by id,
    /// without a foreign key.
    func insert(on db: any Database) async throws {
        if let direct = db as? DirectWriteDatabase { return try insertEach(on: direct) }
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        for chunk in chunked(100) { _ = try await sql.plainRows(Self.entries(chunk, on: sql).query) }
        for chunk in days.chunked(200) { _ = try await sql.plainRows(Self.days(chunk, on: sql).query) }
        for chunk in references.chunked(300) { _ = try await sql.plainRows(Self.references(chunk, on: sql).query) }
    }

    /// Each case a read refers to by day, with its user and day.
    private var days: [(userID: UUID?, caseID: UUID, day: (from: Date, until: Date))] {
        filter(\.byDay).flatMap { written in written.cases.map { (written.entry.userID, $0, written.day) } }
    }

    /// Each case an entry refers to one by one.
    private var references: [(auditID: UUID, caseID: UUID, at: Date)] {
        filter { !$0.byDay }.flatMap { written in written.cases.map { (written.entry.id!, $0, written.entry.at) } }
    }

    private static func entries(_ chunk: some Collection<WrittenEntry>, on sql: any SQLDatabase) -> SQLInsertBuilder {
        var insert = sql.insert(into: AuditEntryModel.schema)
            .columns("id", "at", "user_id", "username", "action", "entity", "entity_id", "changes", "case_ids")
        for written in chunk {
            let entry = written.entry
            insert = insert.values(SQLBind(entry.id), SQLBind(entry.at), SQLBind(entry.userID), SQLBind(entry.username),
                                   SQLBind(entry.action), SQLBind(entry.entity), SQLBind(entry.entityID), SQLBind(entry.changes),
                                   SQLBind(entry.caseIDs))
        }
        return insert
    }

    /// Once per case, user and day: a second read of the day finds the row there and adds none.
    private static func days(_ chunk: some Collection<(userID: UUID?, caseID: UUID, day: (from: Date, until: Date))>,
                             on sql: any SQLDatabase) -> SQLInsertBuilder {
        var insert = sql.insert(into: AuditLog.caseDaysTable).columns("case_id", "user_id", "from_at", "until_at")
        for (userID, caseID, day) in chunk { insert = insert.values(SQLBind(caseID), SQLBind(userID), SQLBind(day.from), SQLBind(day.until)) }
        return insert.ignoringConflicts()
    }

    private static func references(_ chunk: some Collection<(auditID: UUID, caseID: UUID, at: Date)>, on sql: any SQLDatabase) -> SQLInsertBuilder {
        var insert = sql.insert(into: AuditLog.caseRefsTable).columns("audit_id", "case_id", "at")
        for (auditID, caseID, at) in chunk { insert = insert.values(SQLBind(auditID), SQLBind(caseID), SQLBind(at)) }
        return insert
    }

    /// Values one statement binds at most here, well below PostgreSQL's limit of 65,535.
    static let postgresBindLimit = 30_000

    /// On PostgreSQL, the entries and their case references as one statement, which is its own transaction
    /// and commits without waiting for the disk (`set_config(…, true)` holds for that transaction only, as
    /// `Durability.soon` does with `SET LOCAL`). Five statements to the server were two thirds of the
    /// statements of a caseworker's list (decision 0031). Nil elsewhere, and for a batch with more values
    /// than `postgresBindLimit` (the transaction of `insert(on:)` writes it in parts).
    func postgresStatement(for sql: any SQLDatabase) -> SQLQueryString? {
        guard sql.dialect.name == "postgresql", !isEmpty else { return nil }
        let days = days, references = references
        guard count * 9 + days.count * 4 + references.count * 3 <= Self.postgresBindLimit else { return nil }
        var statement: SQLQueryString = """
            WITH fw_soon AS (SELECT set_config('synchronous_commit', 'off', true) AS setting), \
            fw_entries AS (\(Self.entries(self, on: sql).query))
            """
        if !days.isEmpty { statement = statement + ", fw_days AS (\(Self.days(days, on: sql).query))" }
        if !references.isEmpty { statement = statement + ", fw_refs AS (\(Self.references(references, on: sql).query))" }
        return statement + " SELECT setting FROM fw_soon"
    }
}

extension Array where Element == WrittenEntry {
    /// On SQLite's writer: one kept statement for every entry and one for every reference, run once a row.
    /// A multi-row insert's text differs with each batch's size, and preparing each size anew (and
    /// filling the writer's statement cache until it was emptied of every statement it kept) cost more
    /// than the rows (issue 12). Running a prepared statement again is SQLite's cheapest way to insert.
    private func insertEach(on db: DirectWriteDatabase) throws {
        for written in self {
            let entry = written.entry
            guard let id = entry.id else { continue }
            _ = try db.rows(WrittenEntry.entrySQL, [id, entry.at, entry.userID, entry.username, entry.action, entry.entity,
                                                    entry.entityID, entry.changes, entry.caseIDs])
            if written.byDay, let userID = entry.userID {
                let day = written.day
                for caseID in written.cases { _ = try db.rows(WrittenEntry.daySQL, [caseID, userID, day.from, day.until]) }
            } else {
                for caseID in written.cases { _ = try db.rows(WrittenEntry.referenceSQL, [id, caseID, entry.at]) }
            }
        }
    }
}

extension WrittenEntry {
    static let entrySQL = """
        INSERT INTO "\(AuditEntryModel.schema)" ("id", "at", "user_id", "username", "action", "entity", "entity_id", "changes", \
        "case_ids") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """
    /// Once per case, user and day: a second read of the day finds the row there and adds none.
    static let daySQL = """
        INSERT INTO "\(AuditLog.caseDaysTable)" ("case_id", "user_id", "from_at", "until_at") VALUES (?1, ?2, ?3, ?4) \
        ON CONFLICT DO NOTHING
        """
    static let referenceSQL = #"INSERT INTO "\#(AuditLog.caseRefsTable)" ("audit_id", "case_id", "at") VALUES (?1, ?2, ?3)"#
}

extension AuditFilter {
    /// The filter of the audit log page and API from what was typed: a case by file number or a person's
    /// name (every case whose search text matches, blocked and ended ones included), a user by login name
    /// or id, a period of local days (`from` … `to`, both included). Field errors in German.
    public static func parse(caseText: String?, caseID: String?, user: String?, userID: String?, from: String?, to: String?,
                             fields: (caseText: String, caseID: String, user: String, userID: String, from: String, to: String),
                             on db: any Database) async throws -> AuditFilter {
        var v = Validator()
        var filter = AuditFilter()
        if let text = caseID?.trimmed, !text.isEmpty {
            if let id = UUID(uuidString: text) { filter.caseIDs = [id] } else { v.add(fields.caseID, "Keine gültige Id.") }
        }
        if let pattern = CaseSearch.likePattern(caseText) {
            let matches = try await CaseModel.query(on: db)
                .filter(.sql(embed: "\(ident: CaseModel.schema).\(ident: "search_text") LIKE \(bind: pattern) ESCAPE '\\'"))
                .field(\.$id).limit(500).all().compactMap(\.id)
            if matches.isEmpty { v.add(fields.caseText, "Kein Fall mit diesem Aktenzeichen oder Namen.") }
            filter.caseIDs = (filter.caseIDs ?? []) + matches
        }
        if let name = user?.trimmed, !name.isEmpty {
            if let model = try await UserModel.find(username: name, on: db) { filter.userID = model.id } else {
                v.add(fields.user, "Keinen Benutzer mit diesem Anmeldenamen gefunden.")
            }
        }
        if let text = userID?.trimmed, !text.isEmpty {
            if let id = UUID(uuidString: text) { filter.userID = id } else { v.add(fields.userID, "Keine gültige Id.") }
        }
        let first = v.day(from, fields.from, label: "den ersten Tag", required: false)
        let last = v.day(to, fields.to, label: "den letzten Tag", required: false)
        if let first, let last, last < first { v.add(fields.to, "Der letzte Tag liegt vor dem ersten.") }
        try v.finish()
        let midnight = TimeOfDay(minuteOfDay: 0)!
        filter.from = first.map { BerlinTime.instant($0, midnight) }
        filter.before = last.map { BerlinTime.instant($0.adding(days: 1), midnight) }
        return filter
    }
}
