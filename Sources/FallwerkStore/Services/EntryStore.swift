import FallwerkDomain
import Fluent
import Foundation

/// A service entry as typed: who, and the entry's own facts.
public struct EntryDraft: Sendable, Equatable {
    /// Empty: the signed-in staff member.
    public var staffId: String?
    public var input = EntryInput()

    public init(staffId: String? = nil, input: EntryInput = EntryInput()) {
        self.staffId = staffId
        self.input = input
    }
}

public enum EntryStore {
    static let entity = "serviceEntry"

    /// Records one entry (R10, R11): counted under the agreement valid on its day.
    @discardableResult
    public static func create(caseID: UUID, _ draft: EntryDraft, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        let record = try await writableCase(caseID, viewer: viewer, today: today, on: db)
        return try await db.writeTransaction { db in
            let (staffID, facts, note) = try await check(draft, case: record, excluding: nil, viewer: viewer, today: today, on: db)
            let model = ServiceEntryModel()
            model.$case.id = caseID
            model.createdBy = viewer.userID
            model.note = note
            try await fill(model, staffID: staffID, facts: facts, case: record, on: db)
            try await model.create(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            let id = try model.requireID()
            try await AuditLog.record(.create, entity: entity, id: id, changes: auditFields(model, caseID: caseID, old: nil),
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Runs every check of `create` (or `update`) without saving; throws the same `ValidationFailure`.
    public static func validate(caseID: UUID, _ draft: EntryDraft, replacing entryID: UUID?, viewer: Viewer, today: Day,
                                on db: any Database) async throws {
        let record = try await writableCase(caseID, viewer: viewer, today: today, on: db)
        _ = try await check(draft, case: record, excluding: entryID, viewer: viewer, today: today, on: db)
    }

    /// Changes an entry; caseworkers change their own entries, leads any on their cases.
    public static func update(caseID: UUID, entryID: UUID, _ draft: EntryDraft, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws {
        let record = try await writableCase(caseID, viewer: viewer, today: today, on: db)
        try await db.writeTransaction { db in
            let model = try await ownEntry(entryID, caseID: caseID, viewer: viewer, on: db)
            if model.$groupSession.id != nil {
                throw NotAllowed("Anteile eines Gruppenangebots werden über das Gruppenangebot geändert.")
            }
            let old = auditFields(model, caseID: caseID, old: nil)
            let (staffID, facts, note) = try await check(draft, case: record, excluding: entryID, viewer: viewer, today: today, on: db)
            model.note = note
            try await fill(model, staffID: staffID, facts: facts, case: record, on: db)
            try await model.update(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            var changes: [String: AuditChange] = [:]
            for (key, change) in auditFields(model, caseID: caseID, old: nil) where old[key]?.to != change.to {
                changes[key] = AuditChange(from: old[key]?.to, to: change.to)
            }
            try await AuditLog.record(.update, entity: entity, id: entryID, changes: changes, by: context.actor, at: context.now, on: db)
        }
    }

    public static func delete(caseID: UUID, entryID: UUID, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws {
        _ = try await writableCase(caseID, viewer: viewer, today: today, on: db)
        try await db.writeTransaction { db in
            let model = try await ownEntry(entryID, caseID: caseID, viewer: viewer, on: db)
            if model.$groupSession.id != nil {
                throw NotAllowed("Anteile eines Gruppenangebots werden mit dem Gruppenangebot gelöscht.")
            }
            let old = auditFields(model, caseID: caseID, old: nil)
            try await model.delete(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            try await AuditLog.record(.delete, entity: entity, id: entryID,
                                      changes: old.mapValues { AuditChange(from: $0.to, to: nil) },
                                      by: context.actor, at: context.now, on: db)
        }
    }

    // MARK: - Checks

    static func writableCase(_ caseID: UUID, viewer: Viewer, today: Day, on db: any Database) async throws -> CaseRecord {
        let (record, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw NotAllowed("Leistungen erfassen die Fachkräfte des Falls und die Leitung.") }
        return record
    }

    /// The entry, if this viewer may change it: own entries, or any entry for team leads and management.
    static func ownEntry(_ entryID: UUID, caseID: UUID, viewer: Viewer, on db: any Database) async throws -> ServiceEntryModel {
        guard let model = try await ServiceEntryModel.find(entryID, on: db), model.$case.id == caseID else {
            throw RecordNotFound(entity: entity)
        }
        let isLead = viewer.roles.contains(.teamLead) || viewer.roles.contains(.management)
        guard isLead || model.createdBy == viewer.userID || model.$staff.id == viewer.staffID else {
            throw NotAllowed("Sie können nur Ihre eigenen Einträge ändern.")
        }
        if let day = Day(iso: model.date), try await BillingStore.isInvoiced(caseID: caseID, month: Month(containing: day), on: db) {
            throw NotAllowed("Der Monat \(Month(containing: day).iso) ist schon abgerechnet; dieser Eintrag bleibt, wie er ist. Korrekturen gehen nur über eine Stornorechnung.")
        }
        return model
    }

    static func check(_ draft: EntryDraft, case record: CaseRecord, excluding entryID: UUID?, viewer: Viewer, today: Day,
                      on db: any Database) async throws -> (UUID, EntryFacts, String?) {
        var v = Validator()
        let facts = draft.input.validated(into: &v, today: today)
        let note = draft.input.validatedNote(into: &v)
        var staffID: UUID?
        if let raw = draft.staffId?.trimmed, !raw.isEmpty {
            staffID = v.id(raw, "staffId", label: "die Fachkraft")
        } else if let own = viewer.staffID {
            staffID = own
        } else {
            v.add("staffId", "Bitte die Fachkraft angeben, die die Leistung erbracht hat.")
        }
        let isLead = viewer.roles.contains(.teamLead) || viewer.roles.contains(.management)
        if let staffID, let facts {
            if !isLead, staffID != viewer.staffID {
                v.add("staffId", "Sie können nur Ihre eigenen Leistungen erfassen.")
            } else if !record.assignments.contains(where: {
                $0.staffID == staffID && Assignment(staffID: "", role: $0.role, from: $0.from, to: $0.to).isActive(on: facts.date)
            }) {
                v.add("staffId", "Diese Fachkraft ist dem Fall am \(facts.date.german) nicht zugeordnet.")
            }
        }
        if let facts {
            if facts.date < record.startDate {
                v.add("date", "Die Hilfe beginnt erst am \(record.startDate.german).")
            } else if let end = record.endDate, facts.date > end {
                v.add("date", "Die Hilfe endete am \(end.german).")
            }
            if try await BillingStore.isInvoiced(caseID: record.id, month: Month(containing: facts.date), on: db) {
                v.add("date", "Der Monat \(Month(containing: facts.date).iso) ist schon abgerechnet. Korrekturen gehen nur über eine Stornorechnung.")
            }
            if facts.kind == .onboardingDay {
                var query = ServiceEntryModel.query(on: db).filter(\.$case.$id == record.id).filter(\.$kind == EntryKind.onboardingDay.rawValue)
                if let entryID { query = query.filter(\.$id != entryID) }
                if try await query.count() > 0 { v.add("kind", "Der Einstiegstag ist für diesen Fall schon erfasst; es gibt ihn einmal je Fall.") }
            }
            if let staffID, !v.has("staffId"), let clash = try await overlapping(staffID: staffID, facts: facts, excluding: entryID, on: db) {
                v.add("start", clash)
            }
        }
        try v.finish()
        guard let staffID, let facts else { throw ValidationFailure(v.errors) }
        return (staffID, facts, note)
    }

    /// A German message when the staff member has another entry at that time (cancelled appointments
    /// leave the time free; shares of one group session belong together).
    static func overlapping(staffID: UUID, facts: EntryFacts, excluding entryID: UUID?, on db: any Database) async throws -> String? {
        guard facts.kind != .cancelled else { return nil }
        let days = [facts.date.adding(days: -1).iso, facts.date.iso, facts.date.adding(days: 1).iso]
        var query = ServiceEntryModel.query(on: db).filter(\.$staff.$id == staffID).filter(\.$date ~~ days)
            .filter(\.$kind != EntryKind.cancelled.rawValue)
        if let entryID { query = query.filter(\.$id != entryID) }
        let start = facts.date.ordinal * 1_440 + facts.start.minuteOfDay
        let end = start + facts.minutes
        for other in try await query.all() {
            guard let day = Day(iso: other.date) else { continue }
            let otherStart = day.ordinal * 1_440 + other.startMinute
            if otherStart < end && start < otherStart + other.minutes {
                let time = TimeOfDay(minuteOfDay: other.startMinute)!.text
                return "Zu dieser Zeit ist schon ein Eintrag dieser Fachkraft erfasst (\(day.german), \(time) Uhr, \(other.minutes) Min.)."
            }
        }
        return nil
    }

    static func fill(_ model: ServiceEntryModel, staffID: UUID, facts: EntryFacts, case record: CaseRecord, on db: any Database) async throws {
        let books = try await SettingsBook.load(youthOfficeIDs: [record.youthOfficeID], on: db)
        let settings = books[record.youthOfficeID]?.settings(on: facts.date, offerID: record.offerID) ?? AgreementSettings()
        model.$staff.id = staffID
        set(model, facts: facts, count: ServiceRules.count(facts, settings: settings))
    }

    static func set(_ model: ServiceEntryModel, facts: EntryFacts, count: EntryCount) {
        model.date = facts.date.iso
        model.startMinute = facts.start.minuteOfDay
        model.minutes = facts.minutes
        model.kind = facts.kind.rawValue
        model.cancelledBy = facts.cancelledBy?.rawValue
        model.cancelledAt = facts.cancelledAt
        model.homeVisit = facts.homeVisit
        model.kilometres = facts.kilometres
        model.billableMinutes = count.billableMinutes
        model.billedMinutes = count.billableMinutes
        model.budgetMinutes = count.budgetMinutes
        model.onboardingMinutes = count.onboardingMinutes
        model.travelCents = count.travel.value
        model.billedTravelCents = count.travel.value
    }

    /// What the audit log keeps of an entry: when, how long, what kind; never content.
    static func auditFields(_ model: ServiceEntryModel, caseID: UUID, old: ServiceEntryModel?) -> [String: AuditChange] {
        [
            "case": AuditChange(from: nil, to: caseID.uuidString),
            "staff": AuditChange(from: nil, to: model.$staff.id.uuidString),
            "date": AuditChange(from: nil, to: model.date),
            "start": AuditChange(from: nil, to: TimeOfDay(minuteOfDay: model.startMinute)?.text ?? ""),
            "minutes": AuditChange(from: nil, to: String(model.minutes)),
            "kind": AuditChange(from: nil, to: model.kind),
        ]
    }
}
