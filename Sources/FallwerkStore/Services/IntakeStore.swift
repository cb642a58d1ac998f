import FallwerkDomain
import Fluent
import Foundation

public struct IntakeRequestRecord: Sendable, Hashable {
    public let id: UUID
    public let youthOfficeID: UUID
    public let youthOfficeName: String
    public let offerID: UUID
    public let offerName: String
    public let requiredQualification: Qualification?
    public let fields: IntakeRequestFields
    public let status: RequestStatus
    public let decidedOn: Day?
    public let declineReason: String?
    public let caseID: UUID?
}

/// What the team lead types to accept a request (R1): the case's own fields.
public struct IntakeAcceptInput: Sendable, Equatable {
    public var leadStaffId: String?
    public var coWorkerIds: [String] = []
    public var fileNumber: String?
    public var startDate: String?
    public var youngPerson = PersonInput()
    public var exceptionReason: String?

    public init() {}
}

/// Intake (R1, R2): requests of youth offices, answered from the staff's free capacity.
public enum IntakeStore {
    static let entity = "intakeRequest"

    public static func create(youthOfficeId: String?, offerId: String?, _ input: IntakeRequestInput, viewer: Viewer, context: WriteContext,
                              today: Day, on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            var v = Validator()
            let officeID = v.id(youthOfficeId, "youthOfficeId", label: "das Jugendamt")
            if let officeID, !(try await YouthOfficeModel.exists(officeID, on: db)) { v.add("youthOfficeId", "Dieses Jugendamt ist unbekannt.") }
            let offerID = v.id(offerId, "offerId", label: "das Angebot")
            if let offerID, !(try await OfferModel.exists(offerID, on: db)) { v.add("offerId", "Dieses Angebot ist unbekannt.") }
            let fields = input.validated(today: today, into: &v)
            try v.finish()
            guard let officeID, let offerID, let fields else { throw ValidationFailure(v.errors) }
            let model = IntakeRequestModel()
            model.youthOfficeID = officeID
            model.offerID = offerID
            model.receivedOn = fields.receivedOn.iso
            model.contact = fields.contact
            model.minutesPerUnit = fields.minutesPerUnit
            model.unit = fields.unit.rawValue
            model.urgency = fields.urgency.rawValue
            model.reason = fields.reason
            model.initials = fields.initials
            model.status = RequestStatus.open.rawValue
            model.createdBy = viewer.userID
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: entity, id: model.id,
                                      changes: ["youthOffice": AuditChange(from: nil, to: officeID.uuidString),
                                                "offer": AuditChange(from: nil, to: offerID.uuidString),
                                                "receivedOn": AuditChange(from: nil, to: fields.receivedOn.iso)],
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    /// Requests, open ones first (oldest first), then the decided ones newest first.
    public static func list(status: RequestStatus? = nil, on db: any Database) async throws -> [IntakeRequestRecord] {
        var query = IntakeRequestModel.query(on: db)
        if let status { query = query.filter(\.$status == status.rawValue) }
        let models = try await query.all()
        let records = try await records(models, on: db)
        return records.sorted { a, b in
            if (a.status == .open) != (b.status == .open) { return a.status == .open }
            return a.status == .open ? a.fields.receivedOn < b.fields.receivedOn : a.fields.receivedOn > b.fields.receivedOn
        }
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> IntakeRequestRecord {
        guard let model = try await IntakeRequestModel.find(id, on: db), let record = try await records([model], on: db).first else {
            throw RecordNotFound(entity: entity)
        }
        return record
    }

    static func records(_ models: [IntakeRequestModel], on db: any Database) async throws -> [IntakeRequestRecord] {
        guard !models.isEmpty else { return [] }
        let offices = try await YouthOfficeModel.query(on: db).filter(\.$id ~~ Set(models.map(\.youthOfficeID))).all()
        let offers = try await OfferModel.query(on: db).filter(\.$id ~~ Set(models.map(\.offerID))).all()
        let officeNames = Dictionary(uniqueKeysWithValues: offices.compactMap { o in o.id.map { ($0, o.name) } })
        let offerByID = Dictionary(uniqueKeysWithValues: offers.compactMap { o in o.id.map { ($0, o) } })
        return models.compactMap { model in
            guard let id = model.id, let received = Day(iso: model.receivedOn), let unit = BudgetUnit(rawValue: model.unit),
                  let urgency = RequestUrgency(rawValue: model.urgency), let status = RequestStatus(rawValue: model.status) else { return nil }
            let offer = offerByID[model.offerID]
            return IntakeRequestRecord(
                id: id, youthOfficeID: model.youthOfficeID, youthOfficeName: officeNames[model.youthOfficeID] ?? "–",
                offerID: model.offerID, offerName: offer?.name ?? "–",
                requiredQualification: offer?.requiredQualification.flatMap(Qualification.init(rawValue:)),
                fields: IntakeRequestFields(receivedOn: received, contact: model.contact, minutesPerUnit: model.minutesPerUnit, unit: unit,
                                            urgency: urgency, reason: model.reason, initials: model.initials),
                status: status, decidedOn: model.decidedOn.flatMap(Day.init(iso:)), declineReason: model.declineReason, caseID: model.caseID)
        }
    }

    /// R2: the staff for a request, most room first, each marked whether they have the offer's qualification.
    public static func capacity(for request: IntakeRequestRecord, today: Day, on db: any Database) async throws -> [(StaffCapacity, qualified: Bool)] {
        try await StaffingStore.offered(on: today, on: db).map { row in
            (row, Capacity.meets(row.staff.member.qualification, required: request.requiredQualification))
        }
    }

    /// R1: accepting creates the case (with the request's youth office and offer) and links it; a
    /// request is decided once.
    public static func accept(_ id: UUID, _ input: IntakeAcceptInput, context: WriteContext, today: Day, on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            let model = try await IntakeRequestModel.require(id, entity: entity, on: db)
            try decidedOnce(model)
            var draft = CaseDraft()
            draft.youthOfficeId = model.youthOfficeID.uuidString
            draft.offerId = model.offerID.uuidString
            draft.leadStaffId = input.leadStaffId
            draft.coWorkerIds = input.coWorkerIds
            draft.input.fileNumber = input.fileNumber
            draft.input.startDate = input.startDate
            draft.input.youngPerson = input.youngPerson
            draft.exceptionReason = input.exceptionReason
            draft.plannedWeeklyMinutes = BudgetUnit(rawValue: model.unit).flatMap { Capacity.weeklyMinutes(model.minutesPerUnit, unit: $0) } ?? 0
            let caseID = try await CaseStore.create(draft, context: context, today: today, on: db)
            model.status = RequestStatus.accepted.rawValue
            model.decidedOn = today.iso
            model.caseID = caseID
            try await model.update(on: db)
            try await AuditLog.record(.update, entity: entity, id: id,
                                      changes: ["status": AuditChange(from: RequestStatus.open.rawValue, to: RequestStatus.accepted.rawValue),
                                                "case": AuditChange(from: nil, to: caseID.uuidString)],
                                      by: context.actor, at: context.now, on: db)
            return caseID
        }
    }

    public static func decline(_ id: UUID, reason: String?, context: WriteContext, today: Day, on db: any Database) async throws {
        try await db.writeTransaction { db in
            let model = try await IntakeRequestModel.require(id, entity: entity, on: db)
            try decidedOnce(model)
            var v = Validator()
            let reason = v.required(reason, "reason", label: "den Grund der Ablehnung", maxLength: 4_000)
            if let reason, reason.count < 5 { v.add("reason", "Bitte den Grund der Ablehnung in einem Satz angeben.") }
            try v.finish()
            model.status = RequestStatus.declined.rawValue
            model.decidedOn = today.iso
            model.declineReason = reason
            try await model.update(on: db)
            try await AuditLog.record(.update, entity: entity, id: id,
                                      changes: ["status": AuditChange(from: RequestStatus.open.rawValue, to: RequestStatus.declined.rawValue)],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    static func decidedOnce(_ model: IntakeRequestModel) throws {
        guard model.status == RequestStatus.open.rawValue else {
            let status = RequestStatus(rawValue: model.status)?.german ?? model.status
            throw ValidationFailure([FieldError("status", "Diese Anfrage ist schon entschieden (\(status)) und kann nicht noch einmal angenommen oder abgelehnt werden.")])
        }
    }

    /// R1: open requests older than the provider's setting, oldest first (for start pages).
    public static func overdue(today: Day, on db: any Database) async throws -> [IntakeRequestRecord] {
        let days = try await StaffingStore.settings(on: db).requestAlertDays
        return try await list(status: .open, on: db).filter { IntakeRules.isOverdue(receivedOn: $0.fields.receivedOn, today: today, alertDays: days) }
    }
}
