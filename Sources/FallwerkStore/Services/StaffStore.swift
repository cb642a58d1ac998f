import FallwerkDomain
import Fluent
import Foundation

public struct TeamRecord: Sendable, Hashable {
    public let id: UUID
    public let name: String
    public let location: String
    public let leadStaffID: UUID?
    public let leadName: String?
    public let memberCount: Int
}

public struct StaffRecord: Sendable, Hashable {
    public let id: UUID
    public let member: StaffMember
    public let teamID: UUID
    public let teamName: String
    public let userID: UUID?
    public let username: String?

    public var fullName: String { "\(member.firstName) \(member.lastName)" }
}

public struct TeamDraft: Sendable, Equatable {
    public var team = TeamInput()
    public var leadStaffId: String?
    public init() {}
}

public struct StaffDraft: Sendable, Equatable {
    public var staff = StaffInput()
    public var teamId: String?
    public var userId: String?
    public init() {}
}

public enum TeamStore {
    static let entity = "team"

    public static func list(on db: any Database) async throws -> [TeamRecord] {
        let teams = try await TeamModel.query(on: db).sort(\.$name).all()
        // Two queries for the whole list, never one per team.
        let staff = try await StaffModel.query(on: db).all()
        let names = Dictionary(uniqueKeysWithValues: staff.map { ($0.id!, "\($0.firstName) \($0.lastName)") })
        let counts = Dictionary(grouping: staff, by: { $0.$team.id }).mapValues(\.count)
        return teams.map { team in
            TeamRecord(id: team.id!, name: team.name, location: team.location, leadStaffID: team.leadStaffID,
                       leadName: team.leadStaffID.flatMap { names[$0] }, memberCount: counts[team.id!] ?? 0)
        }
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> TeamRecord {
        guard let team = try await list(on: db).first(where: { $0.id == id }) else { throw RecordNotFound(entity: entity) }
        return team
    }

    @discardableResult
    public static func save(_ draft: TeamDraft, id: UUID? = nil, context: WriteContext, on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            var v = Validator()
            let fields = draft.team.validated(into: &v)
            let leadID = v.id(draft.leadStaffId, "leadStaffId", label: "die Teamleitung", required: false)
            if let leadID, !(try await StaffModel.exists(leadID, on: db)) {
                v.add("leadStaffId", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.")
            }
            try v.finish()
            let model = try await TeamModel.existingOrNew(id, entity: entity, on: db)
            let before = id == nil ? [:] : snapshot(model)
            model.name = fields!.name
            model.location = fields!.location
            model.leadStaffID = leadID
            try await model.save(on: db)
            try await AuditLog.record(id == nil ? .create : .update, entity: entity, id: model.id,
                                      changes: AuditLog.diff(from: before, to: snapshot(model)),
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    static func snapshot(_ model: TeamModel) -> [String: String] {
        var fields = ["name": model.name, "location": model.location]
        fields["leadStaffId"] = model.leadStaffID?.uuidString
        return fields
    }
}

public enum StaffStore {
    static let entity = "staff"

    public static func list(teamID: UUID? = nil, on db: any Database) async throws -> [StaffRecord] {
        var query = StaffModel.query(on: db).with(\.$team).with(\.$user)
        if let teamID { query = query.filter(\.$team.$id == teamID) }
        return try await query.sort(\.$lastName).sort(\.$firstName).all().map(record)
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> StaffRecord {
        guard let model = try await StaffModel.query(on: db).filter(\.$id == id).with(\.$team).with(\.$user).first()
        else { throw RecordNotFound(entity: entity) }
        return record(model)
    }

    /// The staff member linked to a login, if any.
    public static func forUser(_ userID: UUID, on db: any Database) async throws -> StaffRecord? {
        try await StaffModel.query(on: db).filter(\.$user.$id == userID).with(\.$team).with(\.$user).first().map(record)
    }

    @discardableResult
    public static func save(_ draft: StaffDraft, id: UUID? = nil, context: WriteContext, on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            var v = Validator()
            let member = draft.staff.validated(into: &v)
            if let day = member?.inductionCompleted, day > BerlinTime.local(context.now).day {
                v.add("inductionCompleted", "Die Einarbeitung kann nicht in der Zukunft abgeschlossen sein.")
            }
            let teamID = v.id(draft.teamId, "teamId", label: "das Team")
            if let teamID, !(try await TeamModel.exists(teamID, on: db)) {
                v.add("teamId", "Dieses Team ist unbekannt.")
            }
            let userID = v.id(draft.userId, "userId", label: "die Anmeldung", required: false)
            if let userID {
                if !(try await UserModel.exists(userID, on: db)) {
                    v.add("userId", "Diese Anmeldung ist unbekannt.")
                } else if let other = try await StaffModel.query(on: db).filter(\.$user.$id == userID).first(), other.id != id {
                    v.add("userId", "Diese Anmeldung gehört schon zu \(other.firstName) \(other.lastName).")
                }
            }
            try v.finish()
            guard let member, let teamID else { throw ValidationFailure(v.errors) }
            let model = try await StaffModel.existingOrNew(id, entity: entity, on: db)
            let before = id == nil ? [:] : snapshot(model)
            model.firstName = member.firstName
            model.lastName = member.lastName
            model.qualification = member.qualification.rawValue
            model.weeklyMinutes = member.weeklyMinutes
            model.$team.id = teamID
            model.$user.id = userID
            model.email = member.email
            model.leavingDate = member.leavingDate?.iso
            try await model.save(on: db)
            // R25: a completion day given here counts for both induction modules (staff inducted before Fallwerk).
            if let day = member.inductionCompleted {
                try await StaffingStore.recordInductionCompleted(day, staffID: try model.requireID(), context: context, on: db)
                model.inductionCompleted = try await StaffModel.require(try model.requireID(), entity: entity, on: db).inductionCompleted
            }
            try await AuditLog.record(id == nil ? .create : .update, entity: entity, id: model.id,
                                      changes: AuditLog.diff(from: before, to: snapshot(model)),
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    static func record(_ model: StaffModel) -> StaffRecord {
        StaffRecord(
            id: model.id!,
            member: StaffMember(firstName: model.firstName, lastName: model.lastName,
                                qualification: Qualification(rawValue: model.qualification) ?? .other,
                                weeklyMinutes: model.weeklyMinutes, email: model.email,
                                inductionCompleted: model.inductionCompleted.flatMap(Day.init(iso:)),
                                leavingDate: model.leavingDate.flatMap(Day.init(iso:))),
            teamID: model.$team.id, teamName: model.team.name,
            userID: model.$user.id, username: model.user?.username
        )
    }

    static func snapshot(_ model: StaffModel) -> [String: String] {
        var fields = ["firstName": model.firstName, "lastName": model.lastName,
                      "qualification": model.qualification, "weeklyHours": Minutes(model.weeklyMinutes).hoursString,
                      "teamId": model.$team.id.uuidString]
        fields["userId"] = model.$user.id?.uuidString
        fields["email"] = model.email
        fields["inductionCompleted"] = model.inductionCompleted
        fields["leavingDate"] = model.leavingDate
        return fields
    }
}
