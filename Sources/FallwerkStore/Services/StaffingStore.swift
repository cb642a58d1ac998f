import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// The provider's staffing settings, part of its data (R2, R1).
public struct StaffingSettings: Sendable, Hashable {
    /// The share of contract hours that is client work (R2), default 75.
    public var productivePercent: Int
    /// Open requests older than this many days are an alert (R1), default 7.
    public var requestAlertDays: Int

    public static let defaults = StaffingSettings(productivePercent: Capacity.defaultProductivePercent, requestAlertDays: IntakeRules.defaultAlertDays)
}

/// A staff member's room on a day (R2, R26).
public struct StaffCapacity: Sendable, Hashable {
    public let staff: StaffRecord
    /// The weekly minutes of the budgets of the cases they lead or co-work.
    public let budgetMinutes: Int
    public let freeMinutes: Int
    /// R26: budgets plus the indirect share of the contract.
    public let plannedLoadMinutes: Int
    /// The absence covering the day, if any.
    public let absence: Absence?
}

/// Who may see and keep a staff member's standards and absences: management, the team lead of the
/// person's team; the person sees their own.
public enum StaffAccess {
    public static func manages(_ viewer: Viewer, teamID: UUID) -> Bool {
        viewer.roles.contains(.management) || (viewer.roles.contains(.teamLead) && viewer.ledTeamIDs.contains(teamID))
    }

    /// The staff record the viewer may read, or `RecordNotFound` (no hint that it exists).
    public static func readable(_ staffID: UUID, viewer: Viewer, on db: any Database) async throws -> StaffRecord {
        let staff = try await StaffStore.get(staffID, on: db)
        guard manages(viewer, teamID: staff.teamID) || viewer.staffID == staffID else { throw RecordNotFound(entity: "staff") }
        return staff
    }

    /// The staff record the viewer may keep records of; their own record only for what a person records
    /// themselves (`selfService`).
    public static func writable(_ staffID: UUID, viewer: Viewer, selfService: Bool, on db: any Database) async throws -> StaffRecord {
        let staff = try await readable(staffID, viewer: viewer, on: db)
        guard manages(viewer, teamID: staff.teamID) || (selfService && viewer.staffID == staffID) else {
            throw NotAllowed("Das tragen die Teamleitung oder die Leitung ein.")
        }
        return staff
    }
}

public enum EvidenceKind: String, CaseIterable, Sendable {
    case certificate, training, supervision, acknowledgement, induction1, induction2

    public var german: String {
        switch self {
        case .certificate: "Erweitertes Führungszeugnis"
        case .training: "Fortbildung"
        case .supervision: "Supervision"
        case .acknowledgement: "Kenntnisnahme § 8a-Verfahren"
        case .induction1: "Einarbeitung Modul 1"
        case .induction2: "Einarbeitung Modul 2"
        }
    }

    /// What a person records about themselves; certificates and induction are confirmed by the team lead.
    public var selfService: Bool { self == .training || self == .supervision || self == .acknowledgement }
}

/// One stored piece of evidence, for the person's page.
public struct EvidenceRecord: Sendable, Hashable {
    public let id: UUID
    public let kind: EvidenceKind
    public let date: Day
    public let title: String?
    public let minutes: Int?
}

public enum StaffingStore {
    // MARK: Settings

    public static func settings(on db: any Database) async throws -> StaffingSettings {
        guard let provider = try await ProviderModel.query(on: db).first() else { return .defaults }
        return StaffingSettings(productivePercent: provider.productivePercent ?? Capacity.defaultProductivePercent,
                                requestAlertDays: provider.requestAlertDays ?? IntakeRules.defaultAlertDays)
    }

    // MARK: Budgets, capacity, load (R2, R26)

    /// How far ahead a case that has not started yet counts with its approval (R2: a case starting next
    /// week takes its room now).
    public static let planningWeeks = 4

    /// The weekly budget minutes each staff member works on, on `day` (R2): per case they lead or
    /// co-work (not ended), the largest weekly budget among its approvals running on the day or starting
    /// within `planningWeeks`, in one query.
    public static func budgetMinutes(on day: Day, staffIDs: [UUID]? = nil, excludingCase: UUID? = nil,
                                     on db: any Database) async throws -> [UUID: Int] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        if let staffIDs, staffIDs.isEmpty { return [:] }
        let d = day.iso, ahead = day.adding(days: planningWeeks * 7).iso
        var query = sql.select()
            .column(SQLColumn("staff_id", table: CaseAssignmentModel.schema))
            .column(SQLColumn("case_id", table: CaseAssignmentModel.schema))
            .column(SQLColumn("minutes_per_unit", table: ApprovalModel.schema))
            .column(SQLColumn("unit", table: ApprovalModel.schema))
            .column(SQLColumn("from_date", table: ApprovalModel.schema))
            .column(SQLColumn("to_date", table: ApprovalModel.schema))
            .from(CaseAssignmentModel.schema)
            .join(CaseModel.schema, on: SQLColumn("id", table: CaseModel.schema), .equal, SQLColumn("case_id", table: CaseAssignmentModel.schema))
            .join(ApprovalModel.schema, on: SQLColumn("case_id", table: ApprovalModel.schema), .equal, SQLColumn("id", table: CaseModel.schema))
            .where(SQLColumn("role", table: CaseAssignmentModel.schema), .in, SQLBind.group([AssignmentRole.lead.rawValue, AssignmentRole.coWorker.rawValue]))
            .where(SQLColumn("start_date", table: CaseModel.schema), .lessThanOrEqual, SQLBind(ahead))
            .where(SQLColumn("from_date", table: ApprovalModel.schema), .lessThanOrEqual, SQLBind(ahead))
            .where(SQLColumn("to_date", table: ApprovalModel.schema), .greaterThanOrEqual, SQLBind(d))
            .where { $0.where(SQLColumn("end_date", table: CaseModel.schema), .is, SQLLiteral.null)
                .orWhere(SQLColumn("end_date", table: CaseModel.schema), .greaterThanOrEqual, SQLBind(d)) }
            .where { $0.where(SQLColumn("from_date", table: CaseAssignmentModel.schema), .is, SQLLiteral.null)
                .orWhere(SQLColumn("from_date", table: CaseAssignmentModel.schema), .lessThanOrEqual, SQLBind(ahead)) }
            .where { $0.where(SQLColumn("to_date", table: CaseAssignmentModel.schema), .is, SQLLiteral.null)
                .orWhere(SQLColumn("to_date", table: CaseAssignmentModel.schema), .greaterThanOrEqual, SQLBind(d)) }
        if let staffIDs { query = query.where(SQLColumn("staff_id", table: CaseAssignmentModel.schema), .in, SQLBind.group(staffIDs)) }
        if let excludingCase { query = query.where(SQLColumn("id", table: CaseModel.schema), .notEqual, SQLBind(excludingCase)) }
        // Per person and case the largest weekly budget: an approval and the one following it within the
        // planning weeks are one budget, not two.
        var perCase: [UUID: [UUID: Int]] = [:]
        for row in try await query.all() {
            guard let staffID = try? row.decode(column: "staff_id", as: UUID.self),
                  let caseID = try? row.decode(column: "case_id", as: UUID.self),
                  let perUnit = try? row.decode(column: "minutes_per_unit", as: Int.self),
                  let unit = (try? row.decode(column: "unit", as: String.self)).flatMap(BudgetUnit.init(rawValue:)),
                  let from = (try? row.decode(column: "from_date", as: String.self)).flatMap(Day.init(iso:)),
                  let to = (try? row.decode(column: "to_date", as: String.self)).flatMap(Day.init(iso:)) else { continue }
            let weekly = Capacity.weeklyMinutes(perUnit, unit: unit, from: from, to: to)
            perCase[staffID, default: [:]][caseID] = max(perCase[staffID]?[caseID] ?? 0, weekly)
        }
        var minutes = perCase.mapValues { $0.values.reduce(0, +) }
        for (staffID, pending) in try await acceptedWithoutApproval(on: day, excludingCase: excludingCase, on: db)
        where staffIDs.map({ $0.contains(staffID) }) ?? true {
            minutes[staffID, default: 0] += pending
        }
        return minutes
    }

    /// R2: a request accepted in the last half-year counts with its requested hours for the case's lead
    /// and co-workers until the case's first approval is recorded, so the room it takes is not offered twice.
    static func acceptedWithoutApproval(on day: Day, excludingCase: UUID?, on db: any Database) async throws -> [UUID: Int] {
        let accepted = try await IntakeRequestModel.query(on: db).filter(\.$status == RequestStatus.accepted.rawValue)
            .filter(\.$decidedOn >= day.adding(days: -183).iso).filter(\.$caseID != nil).all()
            .filter { $0.caseID != excludingCase }
        let caseIDs = accepted.compactMap(\.caseID)
        guard !caseIDs.isEmpty else { return [:] }
        let approved = Set(try await ApprovalModel.query(on: db).filter(\.$case.$id ~~ caseIDs).all().map { $0.$case.id })
        let waiting = Dictionary(accepted.compactMap { request -> (UUID, Int)? in
            guard let caseID = request.caseID, !approved.contains(caseID), let unit = BudgetUnit(rawValue: request.unit) else { return nil }
            return (caseID, Capacity.weeklyMinutes(request.minutesPerUnit, unit: unit) ?? 0)
        }, uniquingKeysWith: { a, _ in a })
        guard !waiting.isEmpty else { return [:] }
        let ended = Set(try await CaseModel.query(on: db).filter(\.$id ~~ Array(waiting.keys)).filter(\.$endDate < day.iso).all().compactMap(\.id))
        var minutes: [UUID: Int] = [:]
        for row in try await CaseAssignmentModel.query(on: db).filter(\.$case.$id ~~ Array(waiting.keys))
            .filter(\.$role ~~ [AssignmentRole.lead.rawValue, AssignmentRole.coWorker.rawValue]).all()
        where !ended.contains(row.$case.id) && (row.toDate.map { $0 >= day.iso } ?? true) {
            minutes[row.$staff.id, default: 0] += waiting[row.$case.id] ?? 0
        }
        return minutes
    }

    /// Every staff member's room on `day` (R2), most room first; `teamID` narrows to one team.
    public static func capacity(on day: Day, teamID: UUID? = nil, on db: any Database) async throws -> [StaffCapacity] {
        let settings = try await settings(on: db)
        let staff = try await StaffStore.list(teamID: teamID, on: db)
        let budgets = try await budgetMinutes(on: day, staffIDs: teamID == nil ? nil : staff.map(\.id), on: db)
        let absences = try await AbsenceStore.absences(covering: day, on: db)
        return staff.map { member in
            let budget = budgets[member.id] ?? 0
            let contract = member.member.weeklyMinutes
            return StaffCapacity(staff: member, budgetMinutes: budget,
                                 freeMinutes: Capacity.freeMinutes(contract: contract, productivePercent: settings.productivePercent, budgets: budget),
                                 plannedLoadMinutes: Capacity.plannedLoad(contract: contract, productivePercent: settings.productivePercent, budgets: budget),
                                 absence: absences[member.id])
        }.sorted { ($0.freeMinutes, $1.staff.member.lastName) > ($1.freeMinutes, $0.staff.member.lastName) }
    }

    /// R2, issue 16: the staff who may be offered for cases on `day`: everyone not past their leaving date.
    public static func offered(on day: Day, teamID: UUID? = nil, on db: any Database) async throws -> [StaffCapacity] {
        try await capacity(on: day, teamID: teamID, on: db).filter { Leaving.works(on: day, leavingDate: $0.staff.member.leavingDate) }
    }

    /// R25, R26: why assigning these staff to a case is refused, as field errors: a lead without both
    /// induction modules; anyone without the offer's qualification or beyond 48 hours unless
    /// `exceptionReason` says why. `added` are the weekly minutes the case brings to each newly assigned
    /// person; `newlyAssigned` are the staff not on the case yet (only they are checked for load,
    /// qualification and their leaving date against `startsOn`, the day they would start); `newLead`
    /// whether the lead changes.
    static func assignmentErrors(lead: StaffModel, leadField: String, newLead: Bool, coWorkers: [(field: String, staff: StaffModel)],
                                 newlyAssigned: Set<UUID>, offerID: UUID, addedWeeklyMinutes: Int, exceptionReason: String?,
                                 caseID: UUID?, startsOn: Day, today: Day, into v: inout Validator, on db: any Database) async throws {
        let leadName = "\(lead.firstName) \(lead.lastName)"
        if newLead {
            let done = lead.inductionCompleted.flatMap(Day.init(iso:)).map { $0 <= today } ?? false
            if !done {
                v.add(leadField, "\(leadName) hat die Einarbeitung (beide Module) noch nicht abgeschlossen und kann deshalb noch keine Bezugsbetreuung übernehmen; "
                      + "als Co-Betreuung ist das möglich.")
            }
        }
        let people = ([(leadField, lead)] + coWorkers.map { ($0.field, $0.staff) }).filter { newlyAssigned.contains($0.1.id!) }
        guard !people.isEmpty else { return }
        let required = try await OfferModel.find(offerID, on: db)?.requiredQualification.flatMap(Qualification.init(rawValue:))
        let settings = try await settings(on: db)
        let budgets = try await budgetMinutes(on: today, staffIDs: people.map { $0.1.id! }, excludingCase: caseID, on: db)
        for (field, staff) in people where !v.has(field) {
            let name = "\(staff.firstName) \(staff.lastName)"
            if let refusal = Leaving.refusal(name: name, leavingDate: staff.leavingDate.flatMap(Day.init(iso:)), from: startsOn) {
                v.add(field, refusal)
                continue
            }
            let qualification = Qualification(rawValue: staff.qualification) ?? .other
            if let refusal = Capacity.qualificationRefusal(name: name, qualification: qualification, required: required, reason: exceptionReason) {
                v.add(field, refusal)
                continue
            }
            let load = Capacity.plannedLoad(contract: staff.weeklyMinutes, productivePercent: settings.productivePercent,
                                            budgets: (budgets[staff.id!] ?? 0) + addedWeeklyMinutes)
            if let refusal = Capacity.loadRefusal(name: name, load: load, reason: exceptionReason) { v.add(field, refusal) }
        }
    }

    /// The weekly minutes a case's current budget brings to a person newly assigned to it.
    static func caseWeeklyMinutes(_ caseID: UUID, on day: Day, on db: any Database) async throws -> Int {
        try await ApprovalModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$fromDate <= day.iso).filter(\.$toDate >= day.iso).all()
            .reduce(0) { total, approval in
                guard let unit = BudgetUnit(rawValue: approval.unit), let from = Day(iso: approval.fromDate), let to = Day(iso: approval.toDate)
                else { return total }
                return total + Capacity.weeklyMinutes(approval.minutesPerUnit, unit: unit, from: from, to: to)
            }
    }

    // MARK: Standards (R24, R25)

    /// Records one piece of evidence; induction modules keep the staff member's `inductionCompleted`
    /// (the day both were done), which the lead check reads.
    @discardableResult
    public static func addEvidence(_ kind: EvidenceKind, staffID: UUID, date: Day, title: String? = nil, minutes: Int? = nil,
                                   viewer: Viewer, context: WriteContext, on db: any Database) async throws -> UUID {
        _ = try await StaffAccess.writable(staffID, viewer: viewer, selfService: kind.selfService, on: db)
        return try await db.writeTransaction { db in
            try await store(kind, staffID: staffID, date: date, title: title, minutes: minutes, by: viewer.userID, context: context, on: db)
        }
    }

    static func store(_ kind: EvidenceKind, staffID: UUID, date: Day, title: String?, minutes: Int?, by userID: UUID,
                      context: WriteContext, on db: any Database) async throws -> UUID {
        if kind == .induction1 || kind == .induction2 {
            // One date per module: a new one replaces the old (a correction).
            try await StaffEvidenceModel.query(on: db).filter(\.$staffID == staffID).filter(\.$kind == kind.rawValue).delete()
        }
        let model = StaffEvidenceModel()
        (model.staffID, model.kind, model.date, model.title, model.minutes, model.createdBy) = (staffID, kind.rawValue, date.iso, title, minutes, userID)
        try await model.create(on: db)
        if kind == .induction1 || kind == .induction2 {
            let modules = try await StaffEvidenceModel.query(on: db).filter(\.$staffID == staffID)
                .filter(\.$kind ~~ [EvidenceKind.induction1.rawValue, EvidenceKind.induction2.rawValue]).all()
            let staff = try await StaffModel.require(staffID, entity: "staff", on: db)
            staff.inductionCompleted = modules.count == 2 ? modules.map(\.date).max() : nil
            try await staff.update(on: db)
        }
        var changes = ["staff": AuditChange(from: nil, to: staffID.uuidString), "kind": AuditChange(from: nil, to: kind.rawValue),
                       "date": AuditChange(from: nil, to: date.iso)]
        if let minutes { changes["minutes"] = AuditChange(from: nil, to: String(minutes)) }
        try await AuditLog.record(.create, entity: "staffEvidence", id: model.id, changes: changes, by: context.actor, at: context.now, on: db)
        return try model.requireID()
    }

    /// Sets both induction modules when a staff member's record says when induction was completed
    /// (entering staff who were inducted before Fallwerk).
    static func recordInductionCompleted(_ day: Day, staffID: UUID, context: WriteContext, on db: any Database) async throws {
        let userID = context.actor.userID ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        for kind in [EvidenceKind.induction1, .induction2] {
            let existing = try await StaffEvidenceModel.query(on: db).filter(\.$staffID == staffID).filter(\.$kind == kind.rawValue).first()
            if let existing, let date = Day(iso: existing.date), date <= day { continue }
            _ = try await store(kind, staffID: staffID, date: day, title: nil, minutes: nil, by: userID, context: context, on: db)
        }
    }

    /// The evidence of these staff members (all when nil), grouped per person, in one query.
    public static func records(staffIDs: [UUID]?, on db: any Database) async throws -> [UUID: StaffRecords] {
        var query = StaffEvidenceModel.query(on: db)
        if let staffIDs { query = query.filter(\.$staffID ~~ staffIDs) }
        var records: [UUID: StaffRecords] = [:]
        for model in try await query.all() {
            guard let date = Day(iso: model.date), let kind = EvidenceKind(rawValue: model.kind) else { continue }
            switch kind {
            case .certificate: records[model.staffID, default: StaffRecords()].certificates.append(date)
            case .training: records[model.staffID, default: StaffRecords()].trainings.append((date, model.minutes ?? 0))
            case .supervision: records[model.staffID, default: StaffRecords()].supervisions.append((date, model.minutes ?? 0))
            case .acknowledgement: records[model.staffID, default: StaffRecords()].acknowledgements.append(date)
            case .induction1: records[model.staffID, default: StaffRecords()].inductionModule1 = date
            case .induction2: records[model.staffID, default: StaffRecords()].inductionModule2 = date
            }
        }
        return records
    }

    /// One person's evidence, newest first, for their page.
    public static func evidence(staffID: UUID, on db: any Database) async throws -> [EvidenceRecord] {
        try await StaffEvidenceModel.query(on: db).filter(\.$staffID == staffID).sort(\.$date, .descending).all().compactMap { model in
            guard let id = model.id, let kind = EvidenceKind(rawValue: model.kind), let date = Day(iso: model.date) else { return nil }
            return EvidenceRecord(id: id, kind: kind, date: date, title: model.title, minutes: model.minutes)
        }
    }

    /// The standards of every staff member the viewer manages (one team, or all for management) in a
    /// year, in four queries.
    public static func overview(year: Int, teamID: UUID?, viewer: Viewer, today: Day, on db: any Database) async throws -> [(StaffCapacity, StaffStandards)] {
        var rows = try await capacity(on: today, teamID: teamID, on: db).filter { StaffAccess.manages(viewer, teamID: $0.staff.teamID) }
        rows.sort { ($0.staff.teamName, $0.staff.member.lastName, $0.staff.member.firstName) < ($1.staff.teamName, $1.staff.member.lastName, $1.staff.member.firstName) }
        let records = try await records(staffIDs: teamID == nil ? nil : rows.map(\.staff.id), on: db)
        return rows.map { row in
            (row, StaffStandards(year: year, today: today, records: records[row.staff.id] ?? StaffRecords(), plannedWeeklyMinutes: row.plannedLoadMinutes))
        }
    }

    /// One person's standards in a year, for their page and the API.
    public static func standards(staffID: UUID, year: Int, viewer: Viewer, today: Day, on db: any Database) async throws -> (StaffCapacity, StaffStandards) {
        let staff = try await StaffAccess.readable(staffID, viewer: viewer, on: db)
        guard let row = try await capacity(on: today, teamID: staff.teamID, on: db).first(where: { $0.staff.id == staffID }) else {
            throw RecordNotFound(entity: "staff")
        }
        let records = try await records(staffIDs: [staffID], on: db)[staffID] ?? StaffRecords()
        return (row, StaffStandards(year: year, today: today, records: records, plannedWeeklyMinutes: row.plannedLoadMinutes))
    }

    /// R24: staff whose certificate runs out within three months or has run out, among those the viewer
    /// manages (and the viewer's own), for start pages.
    /// A caseworker's start page reads only their own certificates (issue 12: start pages stay fast).
    public static func certificateNotices(viewer: Viewer, today: Day, on db: any Database) async throws -> [(StaffRecord, StandardState, Day?)] {
        let managesAny = viewer.roles.contains(.management) || (viewer.roles.contains(.teamLead) && !viewer.ledTeamIDs.isEmpty)
        let staff: [StaffRecord]
        if managesAny {
            staff = try await StaffStore.list(on: db).filter { StaffAccess.manages(viewer, teamID: $0.teamID) || $0.id == viewer.staffID }
        } else if let own = viewer.staffID {
            staff = [try await StaffStore.get(own, on: db)]
        } else {
            return []
        }
        guard !staff.isEmpty else { return [] }
        var query = StaffEvidenceModel.query(on: db).filter(\.$kind == EvidenceKind.certificate.rawValue).filter(\.$date <= today.iso)
        if staff.count <= 500 { query = query.filter(\.$staffID ~~ staff.map(\.id)) }
        var newestByStaff: [UUID: Day] = [:]
        for model in try await query.field(\.$staffID).field(\.$date).all() {
            guard let day = Day(iso: model.date) else { continue }
            newestByStaff[model.staffID] = max(newestByStaff[model.staffID] ?? day, day)
        }
        return staff.compactMap { member in
            let newest = newestByStaff[member.id]
            let state = StaffStandards.certificateState(issued: newest, on: today)
            return state == .met ? nil : (member, state, newest.map(StaffStandards.validUntil))
        }
    }
}
