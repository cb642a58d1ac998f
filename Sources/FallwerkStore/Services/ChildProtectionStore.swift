import FallwerkDomain
import Fluent
import Foundation

/// A procedure of the management overview: where it stands, without its content.
public struct OpenProcedureSummary: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let fileNumber: String
    public let teamName: String
    public let leadName: String?
    public let noticedOn: Day
    public let riskLevel: RiskLevel?
    public let reportDueSince: Day?
    public let lastActivity: Day
    public let lastStep: ChildProtectionStepKind?
}

/// §8a procedures (R21). Need-to-know: callers resolve the case with `CasePolicies.childProtection`
/// first (the case's staff, their team lead, management); every request that reads one is audited by the case reads it notes (`CaseReads`, R31).
public enum ChildProtectionStore {
    static let entity = "childProtection"

    // MARK: Reading

    /// The procedures of a case, newest first.
    public static func procedures(of resolved: ResolvedCase, context: WriteContext, on db: any Database) async throws -> [ChildProtectionProcedure] {
        let models = try await ChildProtectionProcedureModel.query(on: db).filter(\.$case.$id == resolved.record.id).all()
        return try await procedures(models, on: db).sorted { ($0.noticedOn, $0.id) > ($1.noticedOn, $1.id) }
    }

    /// One procedure with all its steps.
    public static func procedure(_ id: UUID, of resolved: ResolvedCase, context: WriteContext, on db: any Database) async throws -> ChildProtectionProcedure {
        guard let model = try await ChildProtectionProcedureModel.find(id, on: db), model.$case.id == resolved.record.id,
              let procedure = try await procedures([model], on: db).first
        else { throw RecordNotFound(entity: entity) }
        return procedure
    }

    /// The case a procedure belongs to (to resolve it like the case before anything is shown).
    public static func caseID(of procedureID: UUID, on db: any Database) async throws -> UUID? {
        try await ChildProtectionProcedureModel.query(on: db).filter(\.$id == procedureID).field(\.$id).field(\.$case.$id).first()?.$case.id
    }

    /// Every open procedure (management's page), the one waiting longest first.
    public static func openProcedures(context: WriteContext, on db: any Database) async throws -> [OpenProcedureSummary] {
        let models = try await ChildProtectionProcedureModel.query(on: db).filter(\.$status == "open").all()
        let procedures = try await procedures(models, on: db)
        let records = Dictionary(uniqueKeysWithValues: try await CaseStore.records(ids: Array(Set(models.map { $0.$case.id })), on: db)
            .map { ($0.id, $0) })
        return procedures.compactMap { procedure in
            guard let id = UUID(uuidString: procedure.id), let caseID = UUID(uuidString: procedure.caseID), let record = records[caseID] else { return nil }
            return OpenProcedureSummary(id: id, caseID: caseID, fileNumber: record.fileNumber, teamName: record.teamName,
                                        leadName: record.lead?.staffName, noticedOn: procedure.noticedOn, riskLevel: procedure.riskLevel,
                                        reportDueSince: procedure.reportDueSince, lastActivity: procedure.lastActivity,
                                        lastStep: procedure.current.last?.kind)
        }.sorted { ($0.lastActivity, $0.fileNumber) < ($1.lastActivity, $1.fileNumber) }
    }

    /// The open procedures of these cases, for their alerts and deadlines (one query, plus one for the
    /// steps of the few that are open).
    static func open(caseIDs: [UUID], on db: any Database) async throws -> [UUID: [ChildProtectionProcedure]] {
        guard !caseIDs.isEmpty else { return [:] }
        let models = try await ChildProtectionProcedureModel.query(on: db).filter(ChildProtectionProcedureModel.schema, "case_id", inIDs: caseIDs)
            .filter(\.$status == "open").allFromRows()
        guard !models.isEmpty else { return [:] }
        return Dictionary(grouping: try await procedures(models, on: db), by: { UUID(uuidString: $0.caseID)! })
    }

    /// The cases among `records` whose §8a procedures, alerts and deadlines this viewer may see (R21
    /// need-to-know: full access to the case, as `CaseAccess.of` decides it). Lists pass case heads
    /// without assignments; the viewer's own assignments are then read in one query.
    public static func knownCases(_ records: [CaseRecord], viewer: Viewer, today: Day, on db: any Database) async throws -> Set<UUID> {
        if viewer.roles.contains(.management) { return Set(records.map(\.id)) }
        guard !records.isEmpty, !viewer.roles.isDisjoint(with: [.caseworker, .teamLead]) else { return [] }
        var own: [UUID: [Assignment]] = [:]
        let staff = viewer.staffID?.idText
        if let staffID = viewer.staffID, let staff {
            // Plain rows of a kept statement: a caseworker's start page and alert list pass here on every
            // request (issue 12).
            let rows = try await KeptStatement.rows("viewerAssignments", [.id(staffID)], on: db) { values in
                CaseAssignmentModel.query(on: db).filter(\.$staff.$id == values[0].id)
                    .field(\.$case.$id).field(\.$role).field(\.$fromDate).field(\.$toDate).plainStatement
            }
            for row in rows {
                guard let caseID = try? row.value("case_assignments_case_id", as: UUID.self),
                      let role = (try? row.value("case_assignments_role", as: String.self)).flatMap(AssignmentRole.init(rawValue:)) else { continue }
                let from = (try? row.value("case_assignments_from_date", as: String?.self)) ?? nil
                let to = (try? row.value("case_assignments_to_date", as: String?.self)) ?? nil
                own[caseID, default: []].append(Assignment(staffID: staff, role: role,
                                                           from: from.flatMap(Day.init(iso:)), to: to.flatMap(Day.init(iso:))))
            }
        }
        let led = Set(viewer.ledTeamIDs.map(\.idText))
        return Set(records.filter { record in
            CaseAccess.of(roles: viewer.roles, staffID: staff, ledTeamIDs: led, caseTeamID: record.teamID.idText,
                          assignments: own[record.id] ?? [], today: today) == .full
        }.map(\.id))
    }

    static func procedures(_ models: [ChildProtectionProcedureModel], on db: any Database) async throws -> [ChildProtectionProcedure] {
        let ids = models.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let steps = Dictionary(grouping: try await ChildProtectionStepModel.query(on: db).filter(\.$procedure.$id ~~ ids).allFromRows(),
                               by: { $0.$procedure.id })
        return models.compactMap { model in
            guard let id = model.id, let noticed = Day(iso: model.noticedOn) else { return nil }
            return ChildProtectionProcedure(id: id.uuidString, caseID: model.$case.id.uuidString, noticedOn: noticed,
                                            indications: model.indications, openedBy: model.openedByName,
                                            steps: (steps[id] ?? []).compactMap(ChildProtectionCoding.step))
        }
    }

    // MARK: Writing

    /// Opens a procedure on a case the viewer works on (R21).
    @discardableResult
    public static func open(_ resolved: ResolvedCase, _ input: ChildProtectionOpening, context: WriteContext, today: Day,
                            on db: any Database) async throws -> UUID {
        var v = Validator()
        guard let (noticed, indications) = input.validated(into: &v, caseStart: resolved.record.startDate, today: today) else {
            throw ValidationFailure(v.errors)
        }
        let name = try await recorderName(resolved.viewer, context: context, on: db)
        return try await db.writeTransaction { db in
            let model = ChildProtectionProcedureModel()
            let id = UUID()
            model.id = id
            model.$case.id = resolved.record.id
            model.noticedOn = noticed.iso
            model.indications = indications
            model.openedByName = name
            model.createdBy = resolved.viewer.userID
            model.status = "open"
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: entity, id: id,
                                      changes: ["case": AuditChange(from: nil, to: resolved.record.id.uuidString),
                                                "noticedOn": AuditChange(from: nil, to: noticed.iso)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Records the next step (R21): in order, four eyes and an ISEF for the assessment, never in the
    /// future; a correction names the step it replaces. Steps are never changed afterwards.
    @discardableResult
    public static func addStep(_ procedureID: UUID, of resolved: ResolvedCase, _ input: ChildProtectionStepInput, context: WriteContext,
                               today: Day, on db: any Database) async throws -> UUID {
        let name = try await recorderName(resolved.viewer, context: context, on: db)
        let staffIDs = Set(try await StaffModel.query(on: db).field(\.$id).all().compactMap { $0.id?.uuidString.lowercased() })
        let experts = try await experts(activeOnly: true, on: db)
        let byID = Dictionary(uniqueKeysWithValues: experts.map { ($0.id.lowercased(), $0) })
        return try await db.writeTransaction { db in
            guard let model = try await ChildProtectionProcedureModel.find(procedureID, on: db), model.$case.id == resolved.record.id,
                  let procedure = try await procedures([model], on: db).first
            else { throw RecordNotFound(entity: entity) }
            let id = UUID()
            let sequence = (procedure.steps.map(\.sequence).max() ?? 0) + 1
            var v = Validator()
            guard let step = input.validated(into: &v, procedure: procedure, id: id.uuidString, recordedBy: name, sequence: sequence,
                                             today: today, staffIDs: staffIDs, experts: byID)
            else { throw ValidationFailure(v.errors) }
            let row = ChildProtectionStepModel()
            row.id = id
            row.$procedure.id = procedureID
            row.sequence = sequence
            row.kind = step.kind.rawValue
            row.date = step.date.iso
            row.note = step.note
            row.details = ChildProtectionCoding.encode(step.details)
            row.correctsStepID = step.corrects.flatMap(UUID.init(uuidString:))
            row.recordedByName = name
            row.createdBy = resolved.viewer.userID
            try await row.create(on: db)
            var after = procedure
            after.steps.append(step)
            model.status = after.isClosed ? "closed" : "open"
            model.riskLevel = after.riskLevel?.rawValue
            model.reportDueSince = after.reportDueSince?.iso
            try await model.update(on: db)
            // What and when, never the content (R31).
            var changes = ["case": AuditChange(from: nil, to: resolved.record.id.uuidString), "kind": AuditChange(from: nil, to: step.kind.rawValue),
                           "date": AuditChange(from: nil, to: step.date.iso)]
            if let corrects = step.corrects { changes["corrects"] = AuditChange(from: nil, to: corrects) }
            try await AuditLog.record(.create, entity: "childProtectionStep", id: id, changes: changes, by: context.actor, at: context.now, on: db)
            return id
        }
    }

    static func recorderName(_ viewer: Viewer, context: WriteContext, on db: any Database) async throws -> String {
        if let staffID = viewer.staffID, let staff = try await StaffModel.find(staffID, on: db) { return "\(staff.firstName) \(staff.lastName)" }
        return context.actor.username
    }

    // MARK: ISEF list

    public static func experts(activeOnly: Bool = false, on db: any Database) async throws -> [IsefExpert] {
        var query = IsefExpertModel.query(on: db)
        if activeOnly { query = query.filter(\.$active == true) }
        return try await query.all().compactMap { model in
            model.id.map { IsefExpert(id: $0.uuidString, name: model.name, organisation: model.organisation, contact: model.contact,
                                      staffID: model.staffID?.uuidString) }
        }.sorted { germanOrder($0.name, $1.name) }
    }

    /// Adds an ISEF to the provider's list: an external one by name, or a staff member trained as ISEF.
    @discardableResult
    public static func addExpert(name: String?, organisation: String?, contact: String?, staffID: String?, context: WriteContext,
                                 on db: any Database) async throws -> UUID {
        var v = Validator()
        var staff: StaffModel?
        if let raw = staffID?.trimmed, !raw.isEmpty {
            if let id = UUID(uuidString: raw), let found = try await StaffModel.find(id, on: db) { staff = found }
            else { v.add("staffId", "Diese Person ist keine Fachkraft des Trägers.") }
        }
        let checkedName = staff.map { "\($0.firstName) \($0.lastName)" } ?? v.required(name, "name", label: "den Namen der ISEF")
        let checkedOrganisation = v.optional(organisation, "organisation", label: "die Organisation")
        let checkedContact = v.optional(contact, "contact", label: "die Erreichbarkeit", maxLength: 300)
        guard let checkedName, v.errors.isEmpty else { throw ValidationFailure(v.errors) }
        let staffMemberID = staff?.id
        return try await db.writeTransaction { db in
            let model = IsefExpertModel()
            let id = UUID()
            model.id = id
            model.name = checkedName
            model.organisation = staffMemberID == nil ? checkedOrganisation : (checkedOrganisation ?? "intern")
            model.contact = checkedContact
            model.staffID = staffMemberID
            model.active = true
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: "isefExpert", id: id, changes: ["name": AuditChange(from: nil, to: checkedName)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }
}

extension CasePolicies {
    /// R21 need-to-know: a §8a procedure is seen and written by the case's staff, their team lead and
    /// management; accounting never, even on a case it bills (then the procedure does not exist for it).
    public static let childProtection = CasePolicy.caseWork.refusing(
        "Kinderschutzverfahren sehen nur die Fachkräfte des Falls, ihre Teamleitung und die Leitung.")
}

/// Stores a step's own fields as JSON text and reads them back.
enum ChildProtectionCoding {
    struct Stored: Codable {
        var participants: String?
        var professionalStaffIDs: [String]?
        var isef: StoredExpert?
        var needs: [String: String]?
        var riskLevel: String?
        var guardians: Bool?
        var child: Bool?
        var reasonNot: String?
        var measures: [StoredMeasure]?
        var howChecked: String?
        var checkDates: [String]?
        var recipient: String?
        var way: String?
        var outcome: String?
    }

    struct StoredExpert: Codable {
        var id: String, name: String, organisation: String?, contact: String?, staffID: String?
    }

    struct StoredMeasure: Codable {
        var what: String, who: String, byWhen: String?
    }

    static func encode(_ details: ChildProtectionDetails) -> String {
        var s = Stored()
        switch details {
        case .consultation(let participants): s.participants = participants
        case .riskAssessment(let professionals, let isef, let needs, let level):
            s.professionalStaffIDs = professionals
            s.isef = StoredExpert(id: isef.id, name: isef.name, organisation: isef.organisation, contact: isef.contact, staffID: isef.staffID)
            s.needs = Dictionary(uniqueKeysWithValues: needs.map { ($0.key.rawValue, $0.value.rawValue) })
            s.riskLevel = level.rawValue
        case .guardiansInvolved(let guardians, let child, let reason): (s.guardians, s.child, s.reasonNot) = (guardians, child, reason)
        case .protectionPlan(let measures, let how, let dates):
            s.measures = measures.map { StoredMeasure(what: $0.what, who: $0.who, byWhen: $0.byWhen?.iso) }
            s.howChecked = how
            s.checkDates = dates.map(\.iso)
        case .reportToYouthOffice(let recipient, let way): (s.recipient, s.way) = (recipient, way)
        case .followUp: break
        case .closed(let outcome): s.outcome = outcome
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(s)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func step(_ model: ChildProtectionStepModel) -> ChildProtectionStep? {
        guard let id = model.id, let date = Day(iso: model.date), let kind = ChildProtectionStepKind(rawValue: model.kind),
              let s = try? JSONDecoder().decode(Stored.self, from: Data(model.details.utf8))
        else { return nil }
        let details: ChildProtectionDetails
        switch kind {
        case .consultation: details = .consultation(participants: s.participants ?? "")
        case .riskAssessment:
            guard let isef = s.isef, let level = s.riskLevel.flatMap(RiskLevel.init(rawValue:)) else { return nil }
            var needs: [BasicNeed: NeedRating] = [:]
            for (key, value) in s.needs ?? [:] {
                if let need = BasicNeed(rawValue: key), let rating = NeedRating(rawValue: value) { needs[need] = rating }
            }
            details = .riskAssessment(professionalStaffIDs: s.professionalStaffIDs ?? [],
                                      isef: IsefExpert(id: isef.id, name: isef.name, organisation: isef.organisation, contact: isef.contact,
                                                       staffID: isef.staffID),
                                      needs: needs, riskLevel: level)
        case .guardiansInvolved: details = .guardiansInvolved(guardians: s.guardians ?? false, child: s.child ?? false, reasonNot: s.reasonNot)
        case .protectionPlan:
            details = .protectionPlan(measures: (s.measures ?? []).map { ProtectionMeasure(what: $0.what, who: $0.who, byWhen: $0.byWhen.flatMap(Day.init(iso:))) },
                                      howChecked: s.howChecked ?? "", checkDates: (s.checkDates ?? []).compactMap(Day.init(iso:)))
        case .reportToYouthOffice: details = .reportToYouthOffice(recipient: s.recipient ?? "", way: s.way ?? "")
        case .followUp: details = .followUp
        case .closed: details = .closed(outcome: s.outcome ?? "")
        }
        return ChildProtectionStep(id: id.uuidString, date: date, note: model.note, details: details,
                                   corrects: model.correctsStepID?.uuidString, recordedBy: model.recordedByName, sequence: model.sequence)
    }
}

extension ChildProtectionStore {
    /// What the Meldebogen needs besides the procedure: provider, family, youth office, staff names.
    public static func meldebogenFacts(_ resolved: ResolvedCase, on db: any Database) async throws -> MeldebogenFacts {
        let record = resolved.record
        let provider = try await ProviderStore.get(on: db)
        var names: [String: String] = [:]
        for staff in try await StaffModel.query(on: db).all() {
            if let id = staff.id { names[id.uuidString.lowercased()] = "\(staff.firstName) \(staff.lastName)" }
        }
        let contact = [provider?.address.singleLine, provider?.phone.map { "Tel. \($0)" }, provider?.email.map { "E-Mail \($0)" }].compactMap { $0 }
        return MeldebogenFacts(providerName: provider?.name ?? "Träger (Angaben des Trägers fehlen noch)", providerContact: contact,
                               fileNumber: record.fileNumber, youthOfficeName: record.youthOfficeName,
                               youthOfficeCaseworker: record.youthOfficeCaseworker, child: record.youngPerson, guardians: record.guardians,
                               familyAddress: record.familyAddress?.singleLine, leadWorker: record.lead?.staffName, staffNames: names)
    }

    /// The Meldebogen as an editable DOCX (R21); reading it is audited like reading the procedure.
    public static func meldebogenDocx(_ procedureID: UUID, of resolved: ResolvedCase, context: WriteContext, today: Day,
                                      on db: any Database) async throws -> (fileName: String, data: Data) {
        let procedure = try await procedure(procedureID, of: resolved, context: context, on: db)
        let document = Meldebogen.document(procedure, facts: try await meldebogenFacts(resolved, on: db), today: today)
        return ("Meldebogen-\(ReportStore.fileNamePart(resolved.record.fileNumber)).docx", document.data(modified: DosTimestamp(day: today, time: TimeOfDay(minuteOfDay: 0)!)))
    }
}
