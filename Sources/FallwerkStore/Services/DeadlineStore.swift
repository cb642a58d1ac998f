import FallwerkDomain
import Fluent
import Foundation

/// Which cases a deadline list or calendar covers.
public enum DeadlineScope: String, Sendable, CaseIterable {
    /// Cases the viewer works on (lead, co-worker, substitute today).
    case mine
    /// Cases of the teams the viewer leads.
    case team
    /// Every case (management).
    case all
}

/// A deadline with the case it belongs to.
public struct CaseDeadline: Sendable, Hashable {
    public let record: CaseRecord
    public let deadline: Deadline
}

/// One page of a deadline list, and how many deadlines of the whole list are overdue.
public struct DeadlinePage: Sendable {
    public let list: ListPage<CaseDeadline>
    public let overdue: Int

    public var items: [CaseDeadline] { list.items }
}

/// Deadline lists across cases: the deadlines page, the API and the calendar feed (R3–R6).
public enum DeadlineStore {
    /// The cases of a scope, among those the viewer may see with full access.
    public static func cases(_ scope: DeadlineScope, viewer: Viewer, today: Day, on db: any Database) async throws -> [CaseRecord] {
        try await casesAndStamps(scope, viewer: viewer, today: today, on: db).records
    }

    /// `cases`, with the versions read with them where the database keeps them (decision 0028).
    static func casesAndStamps(_ scope: DeadlineScope, viewer: Viewer, today: Day,
                               on db: any Database) async throws -> (records: [CaseRecord], stamps: WorkStamps?) {
        switch scope {
        case .mine:
            guard let staffID = viewer.staffID else { return ([], nil) }
            let page = try await CaseStore.page(CaseFilter(staffID: staffID), limit: nil, visibleTo: viewer, today: today, on: db)
            return (page.records.filter { $0.access(for: viewer, today: today) == .full }, page.stamps)
        case .team:
            guard viewer.roles.contains(.teamLead) || viewer.roles.contains(.management) else {
                throw NotAllowed("Die Fristen eines Teams sieht die Teamleitung.")
            }
            let teams = viewer.roles.contains(.management) && viewer.ledTeamIDs.isEmpty ? nil : viewer.ledTeamIDs
            let page = try await CaseStore.page(limit: nil, visibleTo: viewer, today: today, on: db)
            return (page.records.filter { teams?.contains($0.teamID) ?? true }.filter { $0.access(for: viewer, today: today) == .full },
                    page.stamps)
        case .all:
            try requireManagement(viewer)
            let page = try await CaseStore.page(limit: nil, visibleTo: viewer, today: today, on: db)
            return (page.records, page.stamps)
        }
    }

    /// The care plan deadlines (R3–R6) of these cases with the §8a ones of the cases in `known` (R21);
    /// with `stamps`, those the cache keeps from the same versions and day are reused (decision 0028).
    static func deadlines(_ records: [CaseRecord], today: Day, childProtectionFor known: Set<UUID>, stamps: WorkStamps?,
                          on db: any Database) async throws -> [UUID: [Deadline]] {
        func compute(_ records: [CaseRecord]) async throws -> [UUID: [Deadline]] {
            guard !records.isEmpty else { return [:] }
            let books = try await SettingsBook.load(youthOfficeIDs: Set(records.map(\.youthOfficeID)), on: db)
            let procedures = try await ChildProtectionStore.open(caseIDs: records.map(\.id).filter(known.contains), on: db)
            return try await CarePlanStore.deadlines(records, books: books, today: today, childProtection: procedures, on: db)
        }
        guard let stamps, let cache = CaseWorkCache.serving(db) else { return try await compute(records) }
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try await cache.deadlines.reusing(
            records.map(\.id), key: { .init(caseID: $0, childProtection: known.contains($0)) }, stamp: { stamps.stamp($0, day: today) },
            same: ==
        ) { missing in
            let cases = missing.compactMap { byID[$0] }
            let computed = try await compute(cases)
            // A case without deadlines is kept too: its empty list is as much an answer.
            return Dictionary(cases.map { ($0.id, computed[$0.id] ?? []) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Pending deadlines due within `weeks`, overdue first (the deadlines page, "next 8 weeks"); the
    /// page from `offset` with at most `limit` of them. Every case of the scope counts towards the order
    /// and the totals; for everyone's deadlines they are read as heads and only the cases of the page
    /// are loaded in full (issue 12: management's list covers every case ever).
    public static func upcoming(_ scope: DeadlineScope, weeks: Int = 8, offset: Int = 0, limit: Int? = nil, viewer: Viewer, today: Day,
                                on db: any Database) async throws -> DeadlinePage {
        let complete = scope != .all
        let (records, stamps) = complete ? try await casesAndStamps(scope, viewer: viewer, today: today, on: db)
            : try await headsOfAll(viewer: viewer, today: today, on: db)
        let known = try await ChildProtectionStore.knownCases(records, viewer: viewer, today: today, on: db)
        let all = try await deadlines(records, today: today, childProtectionFor: known, stamps: stamps, on: db)
        var items: [(record: CaseRecord, deadline: Deadline)] = []
        for record in records {
            items += Deadlines.upcoming(all[record.id] ?? [], today: today, weeks: weeks).map { (record, $0) }
        }
        // Sorted as positions by small keys: copying records and deadlines in every comparison was a third
        // of everyone's list.
        struct SortKey { let overdue: Bool; let due: Day; let fileNumber: String; let key: String }
        let keys = items.map { SortKey(overdue: $0.deadline.status == .overdue, due: $0.deadline.due, fileNumber: $0.record.fileNumber, key: $0.deadline.key) }
        let order = keys.indices.sorted { i, j in
            if keys[i].overdue != keys[j].overdue { return keys[i].overdue }
            if keys[i].due != keys[j].due { return keys[i].due < keys[j].due }
            if keys[i].fileNumber != keys[j].fileNumber { return keys[i].fileNumber < keys[j].fileNumber }
            return keys[i].key < keys[j].key
        }
        let shown = order.dropFirst(max(0, offset)).prefix(limit ?? items.count).map { items[$0] }
        var full = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        if !complete {
            var seen = Set<UUID>()
            let ids = shown.map(\.record.id).filter { seen.insert($0).inserted }
            full = Dictionary(uniqueKeysWithValues: try await CaseStore.records(ids: ids, stamps: stamps, on: db).map { ($0.id, $0) })
        }
        let page = ListPage(items: shown.compactMap { item in full[item.record.id].map { CaseDeadline(record: $0, deadline: item.deadline) } },
                            total: items.count, offset: max(0, offset))
        return DeadlinePage(list: page, overdue: items.filter { $0.deadline.status == .overdue }.count)
    }

    /// Every case management sees, as heads, with their versions.
    static func headsOfAll(viewer: Viewer, today: Day, on db: any Database) async throws -> (records: [CaseRecord], stamps: WorkStamps?) {
        try requireManagement(viewer)
        let heads = try await CaseStore.headsAndKept(visibleTo: viewer, today: today, on: db)
        return (heads.heads, heads.stamps)
    }

    static func requireManagement(_ viewer: Viewer) throws {
        guard viewer.roles.contains(.management) else { throw NotAllowed("Alle Fristen sieht die Leitung.") }
    }

    /// What a user's calendar feed shows: pending deadlines (any distance) and meetings from 90 days ago.
    public static func calendar(viewer: Viewer, today: Day, on db: any Database) async throws -> [CalendarEvent] {
        var records = try await cases(.mine, viewer: viewer, today: today, on: db)
        if viewer.roles.contains(.teamLead), !viewer.ledTeamIDs.isEmpty {
            let known = Set(records.map(\.id))
            records += try await cases(.team, viewer: viewer, today: today, on: db).filter { !known.contains($0.id) }
        }
        let known = try await ChildProtectionStore.knownCases(records, viewer: viewer, today: today, on: db)
        let deadlines = try await Self.deadlines(records, today: today, childProtectionFor: known, stamps: nil, on: db)
        let meetings = try await CarePlanStore.meetingRecords(records.map(\.id), on: db)
        var events: [CalendarEvent] = []
        let scope = viewer.userID.uuidString.lowercased()
        for record in records.sorted(by: { $0.fileNumber < $1.fileNumber }) {
            // Initials and file number only: a calendar leaves the software (least privilege, R31).
            let label = "\(record.youngPerson.initials) · \(record.fileNumber)"
            events += (deadlines[record.id] ?? []).filter(\.isPending)
                .map { CalendarEvent(deadline: $0, caseLabel: label, uidScope: "\(scope)-\(record.id.uuidString.lowercased())") }
            events += (meetings[record.id] ?? []).map(\.meeting).filter { $0.date >= today.adding(days: -90) }
                .map { CalendarEvent(meeting: $0, caseLabel: label, uidScope: "\(scope)-\(record.id.uuidString.lowercased())") }
        }
        return events
    }
}

/// Secret per-user calendar URLs. The caller makes the token and hashes it; only the hash is stored.
public enum CalendarFeedStore {
    public static func renew(userID: UUID, tokenHash: String, context: WriteContext, on db: any Database) async throws {
        try await db.writeTransaction { db in
            try await CalendarFeedModel.query(on: db).filter(\.$userID == userID).delete()
            let model = CalendarFeedModel()
            model.userID = userID
            model.tokenHash = tokenHash
            try await model.create(on: db)
            try await AuditLog.record(.update, entity: "calendarFeed", id: userID, changes: ["token": AuditChange(from: nil, to: "erneuert")],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// The user whose feed this is, if any.
    public static func userID(forTokenHash hash: String, on db: any Database) async throws -> UUID? {
        try await CalendarFeedModel.query(on: db).filter(\.$tokenHash == hash).first()?.userID
    }
}
