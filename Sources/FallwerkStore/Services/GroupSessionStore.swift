import FallwerkDomain
import Fluent
import Foundation

/// A group session as typed: when, how long, who was there.
public struct GroupSessionDraft: Sendable, Equatable {
    public var date: String?
    public var start: String?
    public var minutes: Int?
    public var staffIds: [String] = []
    public var caseIds: [String] = []

    public init(date: String? = nil, start: String? = nil, minutes: Int? = nil, staffIds: [String] = [], caseIds: [String] = []) {
        self.date = date
        self.start = start
        self.minutes = minutes
        self.staffIds = staffIds
        self.caseIds = caseIds
    }
}

/// A recorded group session as a viewer may see it: only the cases present the viewer may see are named.
public struct GroupSessionRecord: Sendable, Hashable {
    public struct PresentCase: Sendable, Hashable {
        public let id: UUID
        public let fileNumber: String
        public let name: String
        /// The case's share: the minutes of its share entries together (R10).
        public let minutes: Int
    }

    public let id: UUID
    public let date: Day
    public let start: TimeOfDay
    public let minutes: Int
    public let staff: [StaffRef]
    public let cases: [PresentCase]
    /// Cases present the viewer may not see (counted, never named).
    public let otherCaseCount: Int
    /// Whether the viewer may correct or delete it (it is not in an invoiced month is checked on saving).
    public let mayChange: Bool

    public struct StaffRef: Sendable, Hashable {
        public let id: UUID
        public let name: String
    }
}

/// R10 group sessions: recorded, corrected and deleted as a whole with all their share entries, so the
/// shares always add up to the session (`GroupSessionRules`); never in an invoiced month (R16).
public enum GroupSessionStore {
    static let entity = "groupSession"

    @discardableResult
    public static func create(_ draft: GroupSessionDraft, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            let checked = try await check(draft, alreadyPresent: [], viewer: viewer, today: today, on: db)
            let session = GroupSessionModel()
            try await save(session, checked, viewer: viewer, on: db)
            let id = try session.requireID()
            try await BilledMinutes.refresh(caseIDs: Set(checked.cases.map(\.id)), on: db)
            try await AuditLog.record(.create, entity: entity, id: id, changes: auditFields(checked).mapValues { AuditChange(from: nil, to: $0) },
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Replaces the session and all its shares; refused when its old or new month is invoiced for any
    /// of the cases present.
    public static func update(_ sessionID: UUID, _ draft: GroupSessionDraft, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws {
        try await db.writeTransaction { db in
            let (session, shares) = try await changeable(sessionID, viewer: viewer, today: today, on: db)
            let old = try await oldAudit(session, shares: shares)
            let oldCases = Set(shares.map { $0.$case.id })
            for share in shares { try await share.delete(on: db) }
            let checked = try await check(draft, alreadyPresent: Set(shares.map { $0.$staff.id }), viewer: viewer, today: today, on: db)
            try await save(session, checked, viewer: viewer, on: db)
            try await BilledMinutes.refresh(caseIDs: oldCases.union(checked.cases.map(\.id)), on: db)
            var changes: [String: AuditChange] = [:]
            for (key, value) in auditFields(checked) where old[key] != value { changes[key] = AuditChange(from: old[key], to: value) }
            try await AuditLog.record(.update, entity: entity, id: sessionID, changes: changes, by: context.actor, at: context.now, on: db)
        }
    }

    public static func delete(_ sessionID: UUID, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        try await db.writeTransaction { db in
            let (session, shares) = try await changeable(sessionID, viewer: viewer, today: today, on: db)
            let old = try await oldAudit(session, shares: shares)
            for share in shares { try await share.delete(on: db) }
            try await session.delete(on: db)
            try await BilledMinutes.refresh(caseIDs: Set(shares.map { $0.$case.id }), on: db)
            try await AuditLog.record(.delete, entity: entity, id: sessionID, changes: old.mapValues { AuditChange(from: $0, to: nil) },
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// The cases a viewer may record a group session on (the form's checkboxes): running, with full access.
    public static func recordableCases(viewer: Viewer, today: Day, on db: any Database) async throws -> [CaseRecord] {
        try await CaseStore.list(CaseFilter(status: .running), visibleTo: viewer, today: today, on: db)
            .filter { $0.access(for: viewer, today: today) == .full }
            .sorted { $0.fileNumber < $1.fileNumber }
    }

    /// The most recent sessions with at least one case the viewer may see, newest first.
    public static func recent(viewer: Viewer, today: Day, limit: Int = 50, on db: any Database) async throws -> [GroupSessionRecord] {
        let visible = try await CaseStore.list(visibleTo: viewer, today: today, on: db)
        let visibleIDs = Set(visible.map(\.id))
        guard !visibleIDs.isEmpty else { return [] }
        let sessionIDs = Set(try await ServiceEntryModel.query(on: db).filter(\.$case.$id ~~ visibleIDs)
            .filter(\.$groupSession.$id != nil).all().compactMap { $0.$groupSession.id })
        guard !sessionIDs.isEmpty else { return [] }
        let sessions = try await GroupSessionModel.query(on: db).filter(\.$id ~~ sessionIDs)
            .sort(\.$date, .descending).sort(\.$startMinute, .descending).limit(limit).all()
        return try await records(sessions, visible: Dictionary(uniqueKeysWithValues: visible.map { ($0.id, $0) }), viewer: viewer, today: today, on: db)
    }

    /// One session, if the viewer may see at least one of its cases.
    public static func get(_ sessionID: UUID, viewer: Viewer, today: Day, on db: any Database) async throws -> GroupSessionRecord {
        guard let session = try await GroupSessionModel.find(sessionID, on: db) else { throw RecordNotFound(entity: entity) }
        let visible = try await CaseStore.list(visibleTo: viewer, today: today, on: db)
        let result = try await records([session], visible: Dictionary(uniqueKeysWithValues: visible.map { ($0.id, $0) }), viewer: viewer, today: today, on: db)
        guard let record = result.first, !record.cases.isEmpty else { throw RecordNotFound(entity: entity) }
        return record
    }
}

// MARK: - Checks and saving

extension GroupSessionStore {
    struct Checked: Sendable {
        let facts: EntryFacts
        let staffIDs: [UUID]
        let cases: [CaseRecord]
        /// Per case (in order), the minutes of each staff member's share entry.
        let shares: [[Int]]
    }

    static func isLead(_ viewer: Viewer) -> Bool { viewer.roles.contains(.teamLead) || viewer.roles.contains(.management) }

    /// Gathers the facts of the draft and lets the domain decide (R10, R13, R16).
    static func check(_ draft: GroupSessionDraft, alreadyPresent: Set<UUID>, viewer: Viewer, today: Day,
                      on db: any Database) async throws -> Checked {
        var v = Validator()
        let input = EntryInput(date: draft.date, start: draft.start, minutes: draft.minutes, kind: EntryKind.group.rawValue)
        let facts = input.validated(into: &v, today: today, allowedKinds: [.group])
        var staffIDs: [UUID] = []
        for (index, raw) in draft.staffIds.enumerated() {
            guard let id = v.id(raw, "staffIds[\(index)]", label: "die Fachkraft") else { continue }
            if !(try await StaffModel.exists(id, on: db)) { v.add("staffIds[\(index)]", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.") }
            else if !staffIDs.contains(id) { staffIDs.append(id) }
        }
        if draft.staffIds.isEmpty { v.add("staffIds", "Bitte mindestens eine Fachkraft angeben.") }
        if let refusal = GroupSessionRules.staffRefusal(staffIDs: staffIDs.map(\.uuidString), alreadyPresent: Set(alreadyPresent.map(\.uuidString)),
                                                        viewerStaffID: viewer.staffID?.uuidString, isLead: isLead(viewer)) {
            v.add("staffIds", refusal)
        }
        var cases: [CaseRecord] = []
        var units: [Int] = []
        for (index, raw) in draft.caseIds.enumerated() {
            guard let id = v.id(raw, "caseIds[\(index)]", label: "den Fall") else { continue }
            guard !cases.contains(where: { $0.id == id }) else { continue }
            do {
                let (record, access) = try await CaseStore.get(id, visibleTo: viewer, today: today, on: db)
                guard let facts else { continue }
                let present = try await presentCase(record, mayRecord: access == .full, on: facts.date, on: db)
                if let refusal = GroupSessionRules.refusal(present, on: facts.date) {
                    v.add("caseIds[\(index)]", refusal)
                } else {
                    cases.append(record)
                    units.append(present.roundingMinutes)
                }
            } catch is RecordNotFound {
                v.add("caseIds[\(index)]", "Dieser Fall ist unbekannt.")
            }
        }
        if draft.caseIds.isEmpty { v.add("caseIds", "Bitte mindestens einen anwesenden Fall angeben.") }
        if let facts {
            for (index, staffID) in staffIDs.enumerated() {
                if let clash = try await EntryStore.overlapping(staffID: staffID, facts: facts, excluding: nil, on: db) {
                    v.add("staffIds[\(index)]", clash)
                }
            }
        }
        try v.finish()
        guard let facts else { throw ValidationFailure(v.errors) }
        let shares = GroupSessionRules.shares(sessionMinutes: facts.minutes, staffCount: staffIDs.count, roundingUnits: units)
        return Checked(facts: facts, staffIDs: staffIDs, cases: cases, shares: shares)
    }

    /// A case as the group-session rules see it on the session's day: whether that month is invoiced,
    /// and the rounding unit of the agreement valid that day (R13).
    static func presentCase(_ record: CaseRecord, mayRecord: Bool, on day: Day, on db: any Database) async throws -> GroupSessionCase {
        let month = Month(containing: day)
        let invoiced: Set<Month> = try await BillingStore.isInvoiced(caseID: record.id, month: month, on: db) ? [month] : []
        let settings = try await SettingsBook.load(youthOfficeIDs: [record.youthOfficeID], on: db)[record.youthOfficeID]?
            .settings(on: day, offerID: record.offerID) ?? AgreementSettings()
        return GroupSessionCase(fileNumber: record.fileNumber, startDate: record.startDate, endDate: record.endDate, mayRecord: mayRecord,
                                invoicedMonths: invoiced, roundingMinutes: settings.roundingMinutes)
    }

    /// The session and its shares, if this viewer may change them and no case's month is invoiced.
    static func changeable(_ sessionID: UUID, viewer: Viewer, today: Day,
                           on db: any Database) async throws -> (GroupSessionModel, [ServiceEntryModel]) {
        guard let session = try await GroupSessionModel.find(sessionID, on: db), let date = Day(iso: session.date) else {
            throw RecordNotFound(entity: entity)
        }
        let shares = try await ServiceEntryModel.query(on: db).filter(\.$groupSession.$id == sessionID).all()
        var present: [GroupSessionCase] = []
        var seesOne = false, worksOnAll = true
        for caseID in Set(shares.map { $0.$case.id }) {
            let record = try await CaseStore.get(caseID, on: db)
            let access = record.access(for: viewer, today: today)
            seesOne = seesOne || access > .none
            worksOnAll = worksOnAll && access == .full
            present.append(try await presentCase(record, mayRecord: access == .full, on: date, on: db))
        }
        guard seesOne else { throw RecordNotFound(entity: entity) }
        guard GroupSessionRules.mayChange(staffIDs: Set(shares.map { $0.$staff.id.uuidString }), viewerStaffID: viewer.staffID?.uuidString,
                                          isLead: isLead(viewer)) else {
            throw NotAllowed("Ein Gruppenangebot ändern die anwesenden Fachkräfte, die Teamleitung und die Leitung.")
        }
        // Its shares go to every case present: whoever changes it must work on all of them.
        guard worksOnAll else {
            throw NotAllowed("Dieses Gruppenangebot betrifft auch Fälle, in denen Sie nicht arbeiten. Bitte die Teamleitung oder die Leitung um die Korrektur.")
        }
        if let refusal = GroupSessionRules.changeRefusal(date: date, cases: present) { throw NotAllowed(refusal) }
        return (session, shares)
    }

    /// Writes the session and one share entry per staff member and case.
    static func save(_ session: GroupSessionModel, _ checked: Checked, viewer: Viewer, on db: any Database) async throws {
        session.date = checked.facts.date.iso
        session.startMinute = checked.facts.start.minuteOfDay
        session.minutes = checked.facts.minutes
        session.staffCount = checked.staffIDs.count
        session.caseCount = checked.cases.count
        try await session.save(on: db)
        let sessionID = try session.requireID()
        for (record, perStaff) in zip(checked.cases, checked.shares) {
            for (staffID, minutes) in zip(checked.staffIDs, perStaff) {
                let model = ServiceEntryModel()
                model.$case.id = record.id
                model.$staff.id = staffID
                model.createdBy = viewer.userID
                model.$groupSession.id = sessionID
                EntryStore.set(model, facts: checked.facts, count: GroupSessionRules.count(share: minutes))
                try await model.create(on: db)
            }
        }
    }

    /// What the audit log keeps of a session: when, how long, who and which cases; never content.
    static func auditFields(_ checked: Checked) -> [String: String] {
        ["date": checked.facts.date.iso, "start": checked.facts.start.text, "minutes": String(checked.facts.minutes),
         "staff": checked.staffIDs.map(\.uuidString).joined(separator: ","),
         "cases": checked.cases.map(\.id.uuidString).joined(separator: ","),
         "shares": checked.shares.map { $0.map(String.init).joined(separator: "+") }.joined(separator: ",")]
    }

    static func oldAudit(_ session: GroupSessionModel, shares: [ServiceEntryModel]) async throws -> [String: String] {
        var staff: [UUID] = [], cases: [UUID] = []
        for share in shares {
            if !staff.contains(share.$staff.id) { staff.append(share.$staff.id) }
            if !cases.contains(share.$case.id) { cases.append(share.$case.id) }
        }
        let shareText = cases.map { caseID in
            shares.filter { $0.$case.id == caseID }.map { String($0.billableMinutes) }.joined(separator: "+")
        }.joined(separator: ",")
        return ["date": session.date, "start": TimeOfDay(minuteOfDay: session.startMinute)?.text ?? "", "minutes": String(session.minutes),
                "staff": staff.map(\.uuidString).joined(separator: ","), "cases": cases.map(\.uuidString).joined(separator: ","),
                "shares": shareText]
    }

    static func records(_ sessions: [GroupSessionModel], visible: [UUID: CaseRecord], viewer: Viewer, today: Day,
                        on db: any Database) async throws -> [GroupSessionRecord] {
        let ids = sessions.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let shares = Dictionary(grouping: try await ServiceEntryModel.query(on: db).filter(\.$groupSession.$id ~~ ids).all(),
                                by: { $0.$groupSession.id })
        let staffIDs = Set(shares.values.flatMap { $0.map { $0.$staff.id } })
        var names: [UUID: String] = [:]
        if !staffIDs.isEmpty {
            for staff in try await StaffModel.query(on: db).filter(\.$id ~~ staffIDs).all() {
                if let id = staff.id { names[id] = "\(staff.firstName) \(staff.lastName)" }
            }
        }
        return sessions.compactMap { session in
            guard let id = session.id, let date = Day(iso: session.date), let start = TimeOfDay(minuteOfDay: session.startMinute) else { return nil }
            let rows = shares[id] ?? []
            var staff: [UUID] = [], caseIDs: [UUID] = []
            for row in rows {
                if !staff.contains(row.$staff.id) { staff.append(row.$staff.id) }
                if !caseIDs.contains(row.$case.id) { caseIDs.append(row.$case.id) }
            }
            let seen = caseIDs.compactMap { visible[$0] }
            return GroupSessionRecord(
                id: id, date: date, start: start, minutes: session.minutes,
                staff: staff.map { .init(id: $0, name: names[$0] ?? "–") },
                cases: seen.map { record in
                    .init(id: record.id, fileNumber: record.fileNumber, name: record.youngPerson.fullName,
                          minutes: rows.filter { $0.$case.id == record.id }.reduce(0) { $0 + $1.billableMinutes })
                },
                otherCaseCount: caseIDs.count - seen.count,
                mayChange: caseIDs.allSatisfy { visible[$0]?.access(for: viewer, today: today) == .full } && GroupSessionRules.mayChange(staffIDs: Set(staff.map(\.uuidString)), viewerStaffID: viewer.staffID?.uuidString,
                                                       isLead: isLead(viewer)))
        }
    }
}
