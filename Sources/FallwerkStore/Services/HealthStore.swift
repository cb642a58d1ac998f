import FallwerkDomain
import Fluent
import Foundation

/// A health record as lists show it, with who wrote and last changed it.
public struct HealthRecordEntry: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let record: HealthRecord
    public let createdAt: Date
    public let createdByName: String?
    public let updatedAt: Date?
    public let updatedByName: String?
}

extension CasePolicies {
    /// Issue 16, seed 003 (Sozialdatenschutz), Art. 9 GDPR: health records are seen and written by the
    /// case's staff (lead, co-workers, active substitutes), their team lead and management — the access
    /// level of §8a content; accounting never, even on a case it bills, and admin never by role.
    public static let health = CasePolicy.caseWork.refusing(
        "Gesundheitsdaten sehen nur die Fachkräfte des Falls, ihre Teamleitung und die Leitung.")
}

/// Health records of a case (issue 16). Callers resolve the case with `CasePolicies.health` first (the
/// resolver audits each read with the view's name); writes are audited with field names only, never
/// the content (the audit log holds no case content).
public enum HealthStore {
    static let entity = "healthRecord"

    /// The case's records, the latest start first.
    public static func list(_ resolved: ResolvedCase, on db: any Database) async throws -> [HealthRecordEntry] {
        try allowed(resolved)
        let models = try await HealthRecordModel.query(on: db).filter(\.$case.$id == resolved.record.id).all()
        let userIDs = Set(models.flatMap { [$0.createdBy] + ($0.updatedBy.map { [$0] } ?? []) })
        var names: [UUID: String] = [:]
        if !userIDs.isEmpty {
            for user in try await UserModel.query(on: db).filter(\.$id ~~ userIDs).all() {
                if let id = user.id { names[id] = user.displayName }
            }
        }
        return models.compactMap { model -> HealthRecordEntry? in
            guard let id = model.id, let record = record(model) else { return nil }
            return HealthRecordEntry(id: id, caseID: model.$case.id, record: record, createdAt: model.createdAt, createdByName: names[model.createdBy],
                                     updatedAt: model.updatedAt, updatedByName: model.updatedBy.flatMap { names[$0] })
        }.sorted { ($0.record.from, $0.createdAt, $0.id.uuidString) > ($1.record.from, $1.createdAt, $1.id.uuidString) }
    }

    @discardableResult
    public static func create(_ resolved: ResolvedCase, _ input: HealthRecordInput, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        try allowed(resolved)
        let record = try input.validated(today: today)
        return try await db.writeTransaction { db in
            let model = HealthRecordModel()
            model.id = UUID()
            model.$case.id = resolved.record.id
            apply(record, to: model)
            model.createdBy = try userID(context)
            model.createdAt = context.now
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: entity, id: model.id, changes: changes(from: [:], to: fields(model), caseID: resolved.record.id),
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    public static func update(_ resolved: ResolvedCase, recordID: UUID, _ input: HealthRecordInput, context: WriteContext, today: Day,
                              on db: any Database) async throws {
        try allowed(resolved)
        let record = try input.validated(today: today)
        try await db.writeTransaction { db in
            let model = try await find(recordID, of: resolved, on: db)
            let before = fields(model)
            apply(record, to: model)
            model.updatedBy = try userID(context)
            model.updatedAt = context.now
            try await model.save(on: db)
            try await AuditLog.record(.update, entity: entity, id: recordID, changes: changes(from: before, to: fields(model), caseID: resolved.record.id),
                                      by: context.actor, at: context.now, on: db)
        }
    }

    public static func delete(_ resolved: ResolvedCase, recordID: UUID, context: WriteContext, on db: any Database) async throws {
        try allowed(resolved)
        try await db.writeTransaction { db in
            let model = try await find(recordID, of: resolved, on: db)
            try await model.delete(on: db)
            try await AuditLog.record(.delete, entity: entity, id: recordID, changes: ["case": AuditChange(from: resolved.record.id.uuidString, to: nil)],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// A record of this very case; one of another case does not exist here.
    static func find(_ id: UUID, of resolved: ResolvedCase, on db: any Database) async throws -> HealthRecordModel {
        guard let model = try await HealthRecordModel.find(id, on: db), model.$case.id == resolved.record.id else {
            throw RecordNotFound(entity: entity)
        }
        return model
    }

    /// The store checks the policy again, so that no caller can read health data through a case resolved for less.
    static func allowed(_ resolved: ResolvedCase) throws {
        if let reason = CasePolicies.health.refusal(for: resolved) { throw NotAllowed(reason) }
    }

    static func userID(_ context: WriteContext) throws -> UUID {
        guard let id = context.actor.userID else { throw NotAllowed("Gesundheitsdaten werden nur von angemeldeten Personen erfasst.") }
        return id
    }

    static func apply(_ record: HealthRecord, to model: HealthRecordModel) {
        model.kind = record.kind.rawValue
        model.recordDescription = record.description
        model.fromDate = record.from.iso
        model.toDate = record.to?.iso
        model.serious = record.serious
        model.guardiansNotifiedOn = record.guardiansNotifiedOn?.iso
        model.guardiansNotifiedBy = record.guardiansNotifiedBy
    }

    static func record(_ model: HealthRecordModel) -> HealthRecord? {
        guard let kind = HealthKind(rawValue: model.kind), let from = Day(iso: model.fromDate) else { return nil }
        return HealthRecord(kind: kind, description: model.recordDescription, from: from, to: model.toDate.flatMap(Day.init(iso:)),
                            serious: model.serious, guardiansNotifiedOn: model.guardiansNotifiedOn.flatMap(Day.init(iso:)),
                            guardiansNotifiedBy: model.guardiansNotifiedBy)
    }

    static func fields(_ model: HealthRecordModel) -> [String: String] {
        var fields = ["kind": model.kind, "description": model.recordDescription, "from": model.fromDate, "serious": model.serious ? "ja" : "nein"]
        fields["to"] = model.toDate
        fields["guardiansNotifiedOn"] = model.guardiansNotifiedOn
        fields["guardiansNotifiedBy"] = model.guardiansNotifiedBy
        return fields
    }

    /// Which fields changed, by name only: the audit log holds no health content (R31).
    static func changes(from old: [String: String], to new: [String: String], caseID: UUID) -> [String: AuditChange] {
        var changes = AuditLog.diff(from: old, to: new).mapValues { _ in AuditChange(from: nil, to: nil) }
        changes["case"] = AuditChange(from: nil, to: caseID.uuidString)
        return changes
    }
}
