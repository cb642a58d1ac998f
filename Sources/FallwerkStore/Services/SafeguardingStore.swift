import FallwerkDomain
import Fluent
import Foundation

/// §47 incidents (R22) and complaints (R23). Anyone who works on cases records them; management
/// reads them and records their steps. Reads are audited without content; steps are append-only.
public enum SafeguardingStore {
    static let incidentEntity = "incident"
    static let complaintEntity = "complaint"

    // MARK: Settings

    public static func settings(on db: any Database) async throws -> SafeguardingSettings {
        guard let row = try await SafeguardingSettingsModel.query(on: db).first(),
              let settings = try? JSONDecoder().decode(SafeguardingSettings.self, from: Data(row.settings.utf8))
        else { return .defaults }
        return settings
    }

    public static func saveSettings(_ settings: SafeguardingSettings, context: WriteContext, on db: any Database) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(settings), as: UTF8.self)
        try await db.writeTransaction { db in
            let row = try await SafeguardingSettingsModel.query(on: db).first() ?? SafeguardingSettingsModel()
            let before = row.id == nil ? nil : row.settings
            row.settings = text
            try await row.save(on: db)
            try await AuditLog.record(before == nil ? .create : .update, entity: "safeguardingSettings", id: row.id,
                                      changes: ["settings": AuditChange(from: before, to: text)], by: context.actor, at: context.now, on: db)
        }
    }

    // MARK: Incidents

    /// Records an incident; a case, if named, must be one the recorder works on.
    @discardableResult
    public static func recordIncident(_ input: IncidentInput, caseID rawCase: String?, viewer: Viewer, context: WriteContext, now: DayTime,
                                      on db: any Database) async throws -> UUID {
        let caseID = try await ownCase(rawCase, viewer: viewer, today: now.day, on: db)
        let name = try await ChildProtectionStore.recorderName(viewer, context: context, on: db)
        let id = UUID()
        var v = Validator()
        guard let incident = input.validated(into: &v, id: id.uuidString, caseID: caseID?.uuidString, recordedBy: name, now: now)
        else { throw ValidationFailure(v.errors) }
        return try await db.writeTransaction { db in
            let model = IncidentModel()
            model.id = id
            model.caseID = caseID
            model.occurredOn = incident.occurred.day.iso
            model.occurredMinute = incident.occurred.time.minuteOfDay
            model.category = incident.category.rawValue
            model.incidentDescription = incident.description
            model.personsInvolved = incident.personsInvolved
            model.recordedByName = name
            model.createdBy = viewer.userID
            model.status = "open"
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: incidentEntity, id: id,
                                      changes: ["category": AuditChange(from: nil, to: incident.category.rawValue),
                                                "occurredOn": AuditChange(from: nil, to: incident.occurred.day.iso)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Every incident, open ones first, newest first (management); reading is audited.
    public static func incidents(context: WriteContext, on db: any Database) async throws -> [Incident] {
        try await AuditLog.record(.read, entity: incidentEntity, id: nil, changes: ["list": AuditChange(from: nil, to: "alle")],
                                  by: context.actor, at: context.now, on: db)
        let models = try await IncidentModel.query(on: db).all()
        CaseReads.note(models.compactMap(\.caseID))
        return try await incidents(models, on: db)
            .sorted { ($0.isClosed ? 1 : 0, $1.occurred) < ($1.isClosed ? 1 : 0, $0.occurred) }
    }

    public static func incident(_ id: UUID, context: WriteContext, on db: any Database) async throws -> Incident {
        guard let model = try await IncidentModel.find(id, on: db), let incident = try await incidents([model], on: db).first
        else { throw RecordNotFound(entity: incidentEntity) }
        CaseReads.note(model.caseID.map { [$0] } ?? [])
        try await AuditLog.record(.read, entity: incidentEntity, id: id, by: context.actor, at: context.now, on: db)
        return incident
    }

    @discardableResult
    public static func addIncidentStep(_ id: UUID, _ input: SafeguardingStepInput, viewer: Viewer, context: WriteContext, today: Day,
                                       on db: any Database) async throws -> UUID {
        try await addStep(id, IncidentModel.self, entity: incidentEntity, viewer: viewer, context: context, on: db,
                          read: { try await incidents($0, on: $1) },
                          check: { incident, v, stepID, name in incident.step(input, into: &v, today: today, id: stepID, recordedBy: name) },
                          status: { incident, step in incident.isClosed || step.kind == IncidentStepKind.closed.rawValue ? "closed" : "open" })
    }

    static func incidents(_ models: [IncidentModel], on db: any Database) async throws -> [Incident] {
        let steps = try await steps(of: models.compactMap(\.id), on: db)
        return models.compactMap { m in
            guard let id = m.id, let day = Day(iso: m.occurredOn), let time = TimeOfDay(minuteOfDay: m.occurredMinute),
                  let category = IncidentCategory(rawValue: m.category) else { return nil }
            return Incident(id: id.uuidString, occurred: DayTime(day: day, time: time), category: category, description: m.incidentDescription,
                            personsInvolved: m.personsInvolved, caseID: m.caseID?.uuidString, recordedBy: m.recordedByName, steps: steps[id] ?? [])
        }
    }

    // MARK: Complaints

    @discardableResult
    public static func recordComplaint(_ input: ComplaintInput, caseID rawCase: String?, viewer: Viewer, context: WriteContext, today: Day,
                                       on db: any Database) async throws -> UUID {
        let caseID = try await ownCase(rawCase, viewer: viewer, today: today, on: db)
        let name = try await ChildProtectionStore.recorderName(viewer, context: context, on: db)
        let id = UUID()
        var v = Validator()
        guard let complaint = input.validated(into: &v, id: id.uuidString, caseID: caseID?.uuidString, recordedBy: name, today: today)
        else { throw ValidationFailure(v.errors) }
        return try await db.writeTransaction { db in
            let model = ComplaintModel()
            model.id = id
            model.caseID = caseID
            model.receivedOn = complaint.receivedOn.iso
            model.source = complaint.source.rawValue
            model.channel = complaint.channel.rawValue
            model.category = complaint.category.rawValue
            model.about = complaint.about
            model.ombudspersonOffered = true
            model.recordedByName = name
            model.createdBy = viewer.userID
            model.status = complaint.status
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: complaintEntity, id: id,
                                      changes: ["category": AuditChange(from: nil, to: complaint.category.rawValue),
                                                "receivedOn": AuditChange(from: nil, to: complaint.receivedOn.iso)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Every complaint, open ones first, newest first (management); reading is audited.
    public static func complaints(context: WriteContext, on db: any Database) async throws -> [Complaint] {
        try await AuditLog.record(.read, entity: complaintEntity, id: nil, changes: ["list": AuditChange(from: nil, to: "alle")],
                                  by: context.actor, at: context.now, on: db)
        let all = try await allComplaints(on: db)
        CaseReads.note(all.compactMap { $0.caseID.flatMap(UUID.init(uuidString:)) })
        return all
    }

    /// For statistics: counts only, so the read is not of content.
    public static func allComplaints(on db: any Database) async throws -> [Complaint] {
        try await complaints(ComplaintModel.query(on: db).all(), on: db)
            .sorted { ($0.isResolved ? 1 : 0, $1.receivedOn, $1.id) < ($1.isResolved ? 1 : 0, $0.receivedOn, $0.id) }
    }

    public static func complaint(_ id: UUID, context: WriteContext, on db: any Database) async throws -> Complaint {
        guard let model = try await ComplaintModel.find(id, on: db), let complaint = try await complaints([model], on: db).first
        else { throw RecordNotFound(entity: complaintEntity) }
        CaseReads.note(model.caseID.map { [$0] } ?? [])
        try await AuditLog.record(.read, entity: complaintEntity, id: id, by: context.actor, at: context.now, on: db)
        return complaint
    }

    @discardableResult
    public static func addComplaintStep(_ id: UUID, _ input: SafeguardingStepInput, viewer: Viewer, context: WriteContext, today: Day,
                                        on db: any Database) async throws -> UUID {
        try await addStep(id, ComplaintModel.self, entity: complaintEntity, viewer: viewer, context: context, on: db,
                          read: { try await complaints($0, on: $1) },
                          check: { complaint, v, stepID, name in complaint.step(input, into: &v, today: today, id: stepID, recordedBy: name) },
                          status: { complaint, step in
                              var after = complaint
                              after.steps.append(step)
                              return after.status
                          })
    }

    static func complaints(_ models: [ComplaintModel], on db: any Database) async throws -> [Complaint] {
        let steps = try await steps(of: models.compactMap(\.id), on: db)
        return models.compactMap { m in
            guard let id = m.id, let day = Day(iso: m.receivedOn), let source = ComplaintSource(rawValue: m.source),
                  let channel = ComplaintChannel(rawValue: m.channel), let category = ComplaintCategory(rawValue: m.category) else { return nil }
            return Complaint(id: id.uuidString, receivedOn: day, source: source, channel: channel, category: category, about: m.about,
                             caseID: m.caseID?.uuidString, ombudspersonOffered: m.ombudspersonOffered, recordedBy: m.recordedByName,
                             steps: steps[id] ?? [])
        }
    }

    /// How many open incidents are overdue for their external report and complaints for their
    /// acknowledgement (R22, R23): the management start page's alert. Counts only, no content.
    public static func overdue(now: DayTime, on db: any Database) async throws -> (incidents: Int, complaints: Int) {
        let settings = try await settings(on: db)
        let incidents = try await incidents(IncidentModel.query(on: db).filter(\.$status == "open").all(), on: db)
        let complaints = try await complaints(ComplaintModel.query(on: db).filter(\.$status == "received").all(), on: db)
        return (incidents.filter { $0.externalReportOverdue(now: now, settings: settings) }.count,
                complaints.filter { $0.acknowledgementOverdue(today: now.day, settings: settings) }.count)
    }

    // MARK: Shared

    /// One step of an incident or a complaint in one transaction: the record as stored, the domain's
    /// check of the step (order, dates, who and how), the insert, the status lists read, the audit of
    /// what and when (R22, R23).
    static func addStep<M: SafeguardingRecordModel, R: Sendable>(
        _ id: UUID, _ type: M.Type, entity: String, viewer: Viewer, context: WriteContext, on db: any Database,
        read: @escaping @Sendable ([M], any Database) async throws -> [R],
        check: @escaping @Sendable (R, inout Validator, String, String) -> SafeguardingStep?,
        status: @escaping @Sendable (R, SafeguardingStep) -> String
    ) async throws -> UUID {
        let name = try await ChildProtectionStore.recorderName(viewer, context: context, on: db)
        return try await db.writeTransaction { db in
            guard let model = try await M.find(id, on: db), let record = try await read([model], db).first
            else { throw RecordNotFound(entity: entity) }
            let stepID = UUID()
            var v = Validator()
            guard let step = check(record, &v, stepID.uuidString, name) else { throw ValidationFailure(v.errors) }
            try await insert(step, id: stepID, parent: id, createdBy: viewer.userID, on: db)
            model.status = status(record, step)
            try await model.update(on: db)
            try await AuditLog.record(.create, entity: entity + "Step", id: stepID,
                                      changes: [entity: AuditChange(from: nil, to: id.uuidString), "kind": AuditChange(from: nil, to: step.kind)],
                                      by: context.actor, at: context.now, on: db)
            return stepID
        }
    }

    /// A case named on an incident or complaint: one the recorder works on (full access), else a field error.
    static func ownCase(_ raw: String?, viewer: Viewer, today: Day, on db: any Database) async throws -> UUID? {
        guard let text = raw?.trimmed, !text.isEmpty else { return nil }
        let unknown = ValidationFailure([FieldError("caseId", "Diesen Fall gibt es nicht, oder Sie arbeiten nicht in ihm.")])
        guard let id = UUID(uuidString: text) else { throw unknown }
        // The one place that decides access to a case (R27, R31), with the §8a need-to-know policy.
        do {
            return try await CaseResolution.resolve(id, policy: CasePolicies.childProtection, viewer: viewer, today: today, on: db).record.id
        } catch is RecordNotFound {
            throw unknown
        } catch is NotAllowed {
            throw unknown
        }
    }

    static func steps(of parents: [UUID], on db: any Database) async throws -> [UUID: [SafeguardingStep]] {
        guard !parents.isEmpty else { return [:] }
        var rows: [SafeguardingStepModel] = []
        for chunk in parents.chunked(500) { rows += try await SafeguardingStepModel.query(on: db).filter(\.$parentID ~~ Array(chunk)).all() }
        var result: [UUID: [SafeguardingStep]] = [:]
        for row in rows {
            guard let id = row.id, let date = Day(iso: row.date) else { continue }
            result[row.parentID, default: []].append(SafeguardingStep(id: id.uuidString, kind: row.kind, date: date, recipient: row.recipient,
                                                                      way: row.way, note: row.note, recordedBy: row.recordedByName,
                                                                      sequence: row.sequence))
        }
        return result
    }

    static func insert(_ step: SafeguardingStep, id: UUID, parent: UUID, createdBy: UUID, on db: any Database) async throws {
        let row = SafeguardingStepModel()
        row.id = id
        row.parentID = parent
        row.sequence = step.sequence
        row.kind = step.kind
        row.date = step.date.iso
        row.recipient = step.recipient
        row.way = step.way
        row.note = step.note
        row.recordedByName = step.recordedBy
        row.createdBy = createdBy
        try await row.create(on: db)
    }
}

/// An incident or a complaint as stored: its status is kept by the step writes.
protocol SafeguardingRecordModel: Model where IDValue == UUID {
    var status: String { get set }
}

extension IncidentModel: SafeguardingRecordModel {}
extension ComplaintModel: SafeguardingRecordModel {}
