import FallwerkDomain
import Fluent
import Foundation

/// A goal of a case with its rating history, as the API and pages show it.
public struct GoalRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let goal: Goal
}

/// Documentation (notes, goals, reports) is for those who work on the case: full access only.
/// Accounting sees the case and its hours, never its documentation (SPEC "Roles", R31).
enum DocumentationAccess {
    static let refusal = "Die Dokumentation eines Falls sehen nur die Fachkräfte des Falls, die Teamleitung und die Leitung."

    static func documentedCase(_ caseID: UUID, viewer: Viewer, today: Day, on db: any Database) async throws -> CaseRecord {
        let (record, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw NotAllowed(refusal) }
        return record
    }

    /// An id as typed (any case) in the form `UUID.uuidString` uses, so domain id sets compare.
    static func normalized(_ raw: String) -> String {
        UUID(uuidString: raw.trimmed)?.uuidString ?? raw
    }
}

public enum GoalStore {
    static let entity = "goal"

    /// The case's goals, oldest first.
    public static func list(caseID: UUID, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws -> [GoalRecord] {
        _ = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        return try await records(caseID: caseID, on: db)
    }

    @discardableResult
    public static func create(caseID: UUID, _ input: GoalInput, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        _ = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        var v = Validator()
        let id = UUID()
        guard let goal = input.validated(into: &v, id: id.uuidString, createdOn: today) else { throw ValidationFailure(v.errors) }
        return try await db.writeTransaction { db in
            let model = GoalModel()
            model.id = id
            model.$case.id = caseID
            model.createdOn = goal.createdOn.iso
            model.createdBy = viewer.userID
            fill(model, goal)
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: entity, id: id,
                                      changes: ["case": AuditChange(from: nil, to: caseID.uuidString),
                                                "status": AuditChange(from: nil, to: goal.status.rawValue)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Replaces the goal's text parts and status; its ratings stay (R18).
    public static func update(caseID: UUID, goalID: UUID, _ input: GoalInput, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws {
        _ = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        try await db.writeTransaction { db in
            let current = try await record(caseID: caseID, goalID: goalID, on: db)
            var v = Validator()
            guard let goal = input.validated(into: &v, id: current.goal.id, createdOn: current.goal.createdOn, ratings: current.goal.ratings)
            else { throw ValidationFailure(v.errors) }
            let model = try await GoalModel.require(goalID, entity: entity, on: db)
            let before = fields(current.goal)
            fill(model, goal)
            try await model.update(on: db)
            // Field names only: the goal's words are documentation, not log content.
            let changed = fields(goal).filter { before[$0.key] != $0.value }.keys
            var changes = Dictionary(uniqueKeysWithValues: changed.map { ($0, AuditChange(from: nil, to: nil)) })
            if current.goal.status != goal.status {
                changes["status"] = AuditChange(from: current.goal.status.rawValue, to: goal.status.rawValue)
            }
            try await AuditLog.record(.update, entity: entity, id: goalID, changes: changes, by: context.actor, at: context.now, on: db)
        }
    }

    /// Adds a dated rating on the fixed scale (R18).
    @discardableResult
    public static func rate(caseID: UUID, goalID: UUID, _ input: GoalRatingInput, viewer: Viewer, context: WriteContext, today: Day,
                            on db: any Database) async throws -> UUID {
        _ = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        return try await db.writeTransaction { db in
            let current = try await record(caseID: caseID, goalID: goalID, on: db)
            var v = Validator()
            guard let rating = input.validated(into: &v, goal: current.goal, today: today) else { throw ValidationFailure(v.errors) }
            let model = GoalRatingModel()
            model.$goal.id = goalID
            model.value = rating.attainment.rawValue
            model.ratedOn = rating.ratedOn.iso
            model.reason = rating.reason
            model.youngPersonView = rating.youngPersonView
            model.createdBy = viewer.userID
            try await model.create(on: db)
            let id = try model.requireID()
            try await AuditLog.record(.create, entity: "goalRating", id: id,
                                      changes: ["goal": AuditChange(from: nil, to: goalID.uuidString),
                                                "value": AuditChange(from: nil, to: String(rating.attainment.rawValue)),
                                                "ratedOn": AuditChange(from: nil, to: rating.ratedOn.iso)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    // MARK: - Queries

    static func records(caseID: UUID, on db: any Database) async throws -> [GoalRecord] {
        try await GoalModel.query(on: db).filter(\.$case.$id == caseID).with(\.$ratings).all()
            .compactMap(record)
            .sorted { ($0.goal.createdOn, $0.goal.title) < ($1.goal.createdOn, $1.goal.title) }
    }

    static func record(caseID: UUID, goalID: UUID, on db: any Database) async throws -> GoalRecord {
        guard let model = try await GoalModel.query(on: db).filter(\.$id == goalID).filter(\.$case.$id == caseID).with(\.$ratings).first(),
              let record = record(model)
        else { throw RecordNotFound(entity: entity) }
        return record
    }

    static func record(_ model: GoalModel) -> GoalRecord? {
        guard let id = model.id, let createdOn = Day(iso: model.createdOn) else { return nil }
        let ratings = model.ratings.compactMap { row -> GoalRating? in
            guard let attainment = GoalAttainment(rawValue: row.value), let day = Day(iso: row.ratedOn) else { return nil }
            return GoalRating(attainment: attainment, ratedOn: day, reason: row.reason, youngPersonView: row.youngPersonView)
        }
        let goal = Goal(id: id.uuidString, title: model.title, specific: model.specific, measurable: model.measurable,
                        achievable: model.achievable, relevant: model.relevant, timeBound: model.timeBound.flatMap(Day.init(iso:)),
                        youngPersonView: model.youngPersonView, status: GoalStatus(rawValue: model.status) ?? .open,
                        createdOn: createdOn, ratings: ratings.sorted { $0.ratedOn < $1.ratedOn })
        return GoalRecord(id: id, caseID: model.$case.id, goal: goal)
    }

    static func fill(_ model: GoalModel, _ goal: Goal) {
        model.title = goal.title
        model.specific = goal.specific
        model.measurable = goal.measurable
        model.achievable = goal.achievable
        model.relevant = goal.relevant
        model.timeBound = goal.timeBound?.iso
        model.youngPersonView = goal.youngPersonView
        model.status = goal.status.rawValue
    }

    static func fields(_ goal: Goal) -> [String: String] {
        ["title": goal.title, "specific": goal.specific ?? "", "measurable": goal.measurable ?? "", "achievable": goal.achievable ?? "",
         "relevant": goal.relevant ?? "", "timeBound": goal.timeBound?.iso ?? "", "youngPersonView": goal.youngPersonView ?? ""]
    }
}
