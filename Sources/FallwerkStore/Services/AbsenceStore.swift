import FallwerkDomain
import Fluent
import Foundation

public struct AbsenceRecord: Sendable, Hashable {
    public let id: UUID
    public let staffID: UUID
    public let absence: Absence
}

/// One case of an absent person, with who substitutes and whether a replacement was agreed (R27).
public struct AbsenceCase: Sendable {
    public let record: CaseRecord
    public let substitutes: [String]
    public let replacementAgreedOn: Day?
}

/// Absences (R27): recorded by the team lead or management; each of the person's cases gets a
/// substitute with equal qualification and room; beyond six weeks a replacement is agreed.
public enum AbsenceStore {
    static let entity = "absence"

    public static func add(staffID: UUID, from: String?, to: String?, kind: String?, viewer: Viewer, context: WriteContext,
                           on db: any Database) async throws -> UUID {
        _ = try await StaffAccess.writable(staffID, viewer: viewer, selfService: false, on: db)
        return try await db.writeTransaction { db in
            let existing = try await list(staffID: staffID, on: db).map(\.absence)
            let absence = try Absence.validated(from: from, to: to, kind: kind, existing: existing)
            let model = StaffAbsenceModel()
            (model.staffID, model.fromDate, model.toDate, model.kind, model.createdBy) =
                (staffID, absence.from.iso, absence.to.iso, absence.kind.rawValue, viewer.userID)
            model.replacementDue = absence.isLong ? absence.replacementDue.iso : nil
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: entity, id: model.id,
                                      changes: ["staff": AuditChange(from: nil, to: staffID.uuidString),
                                                "from": AuditChange(from: nil, to: absence.from.iso), "to": AuditChange(from: nil, to: absence.to.iso),
                                                "kind": AuditChange(from: nil, to: absence.kind.rawValue)],
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    public static func list(staffID: UUID, on db: any Database) async throws -> [AbsenceRecord] {
        try await StaffAbsenceModel.query(on: db).filter(\.$staffID == staffID).sort(\.$fromDate, .descending).all().compactMap(record)
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> AbsenceRecord {
        guard let model = try await StaffAbsenceModel.find(id, on: db), let record = record(model) else { throw RecordNotFound(entity: entity) }
        return record
    }

    static func record(_ model: StaffAbsenceModel) -> AbsenceRecord? {
        guard let id = model.id, let from = Day(iso: model.fromDate), let to = Day(iso: model.toDate),
              let kind = AbsenceKind(rawValue: model.kind) else { return nil }
        return AbsenceRecord(id: id, staffID: model.staffID, absence: Absence(from: from, to: to, kind: kind))
    }

    /// Who is away on `day`, in one query.
    public static func absences(covering day: Day, on db: any Database) async throws -> [UUID: Absence] {
        var result: [UUID: Absence] = [:]
        for model in try await StaffAbsenceModel.query(on: db).filter(\.$fromDate <= day.iso).filter(\.$toDate >= day.iso).all() {
            if let record = record(model) { result[record.staffID] = record.absence }
        }
        return result
    }

    /// The cases the absent person leads or co-works during the absence, with their substitutes.
    public static func cases(of absence: AbsenceRecord, on db: any Database) async throws -> [AbsenceCase] {
        let from = absence.absence.from, to = absence.absence.to
        let ids = try await CaseAssignmentModel.query(on: db).filter(\.$staff.$id == absence.staffID)
            .filter(\.$role ~~ [AssignmentRole.lead.rawValue, AssignmentRole.coWorker.rawValue]).all()
            .filter { row in
                (row.fromDate.flatMap(Day.init(iso:)).map { $0 <= to } ?? true) && (row.toDate.flatMap(Day.init(iso:)).map { $0 >= from } ?? true)
            }.map { $0.$case.id }
        let records = try await CaseStore.records(ids: Array(Set(ids)), on: db).filter { record in
            record.startDate <= to && (record.endDate.map { $0 >= from } ?? true)
        }
        let agreed = try await AbsenceReplacementModel.query(on: db).filter(\.$absenceID == absence.id).all()
        let agreedOn = Dictionary(agreed.map { ($0.caseID, Day(iso: $0.agreedOn)) }, uniquingKeysWith: { a, _ in a })
        return records.sorted { $0.fileNumber < $1.fileNumber }.map { record in
            let substitutes = record.assignments.filter { assignment in
                assignment.role == .substitute && (assignment.from.map { $0 <= to } ?? true) && (assignment.to.map { $0 >= from } ?? true)
            }.map(\.staffName)
            return AbsenceCase(record: record, substitutes: substitutes, replacementAgreedOn: agreedOn[record.id] ?? nil)
        }
    }

    /// R27: substitutes for the absent person: equal qualification, room on the absence's first day, not
    /// away themselves during it, still employed until its end (issue 16); most room first, the same team before others.
    public static func proposals(for absence: AbsenceRecord, on db: any Database) async throws -> [StaffCapacity] {
        let absent = try await StaffStore.get(absence.staffID, on: db)
        let away = Set(try await StaffAbsenceModel.query(on: db).filter(\.$fromDate <= absence.absence.to.iso)
            .filter(\.$toDate >= absence.absence.from.iso).all().map(\.staffID))
        return try await StaffingStore.capacity(on: max(absence.absence.from, Day(year: 2000, month: 1, day: 1)!), on: db).filter { row in
            row.staff.id != absent.id && !away.contains(row.staff.id) && row.staff.member.qualification == absent.member.qualification
                && row.freeMinutes > 0 && Leaving.works(on: absence.absence.to, leavingDate: row.staff.member.leavingDate)
        }.sorted { ($0.staff.teamID == absent.teamID ? 0 : 1, -$0.freeMinutes) < ($1.staff.teamID == absent.teamID ? 0 : 1, -$1.freeMinutes) }
    }

    /// Makes `staffID` the substitute on a case of the absence for its whole time (R27).
    public static func substitute(absenceID: UUID, caseID: UUID, staffID: String?, viewer: Viewer, today: Day, context: WriteContext,
                                  on db: any Database) async throws {
        let absence = try await caseOfAbsence(absenceID, caseID: caseID, viewer: viewer, today: today, on: db)
        // R27: a colleague with equal qualification who is not away themselves (the rule: `Absence.substituteRefusal`).
        if let chosen = staffID.flatMap({ UUID(uuidString: $0.trimmed) }) {
            let absent = try await StaffStore.get(absence.staffID, on: db)
            guard let substitute = try? await StaffStore.get(chosen, on: db) else {
                throw ValidationFailure([FieldError("staffId", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.")])
            }
            let away = try await StaffAbsenceModel.query(on: db).filter(\.$staffID == chosen).filter(\.$fromDate <= absence.absence.to.iso)
                .filter(\.$toDate >= absence.absence.from.iso).count() > 0
            if let refusal = Absence.substituteRefusal(isAbsentPerson: chosen == absence.staffID, name: substitute.fullName,
                                                       qualification: substitute.member.qualification,
                                                       absentQualification: absent.member.qualification, awayThemselves: away) {
                throw ValidationFailure([FieldError("staffId", refusal)])
            }
            if let refusal = Leaving.refusal(name: substitute.fullName, leavingDate: substitute.member.leavingDate,
                                             from: absence.absence.from, to: absence.absence.to) {
                throw ValidationFailure([FieldError("staffId", refusal)])
            }
        }
        try await CaseStore.addSubstitute(caseID: caseID, staffID: staffID, from: absence.absence.from.iso, to: absence.absence.to.iso,
                                          context: context, on: db)
    }

    /// The absence the viewer plans for (the absent person's team lead or management), and one of its
    /// cases resolved like every case route (`CaseResolution.resolve` with `CasePolicies.substitutes`):
    /// a case the viewer may not manage substitutes on is refused there, not here.
    static func caseOfAbsence(_ absenceID: UUID, caseID: UUID, viewer: Viewer, today: Day, on db: any Database) async throws -> AbsenceRecord {
        let absence = try await get(absenceID, on: db)
        _ = try await StaffAccess.writable(absence.staffID, viewer: viewer, selfService: false, on: db)
        guard try await cases(of: absence, on: db).contains(where: { $0.record.id == caseID }) else { throw RecordNotFound(entity: "case") }
        _ = try await CaseResolution.resolve(caseID, policy: CasePolicies.substitutes, viewer: viewer, today: today, on: db)
        return absence
    }

    /// R27: the replacement for a case was agreed with the youth office and the family on `date`.
    public static func agreeReplacement(absenceID: UUID, caseID: UUID, date: String?, viewer: Viewer, context: WriteContext, today: Day,
                                        on db: any Database) async throws {
        _ = try await caseOfAbsence(absenceID, caseID: caseID, viewer: viewer, today: today, on: db)
        let day = try StandardsInput.pastDay(date, "date", label: "den Tag der Vereinbarung", today: today)
        try await db.writeTransaction { db in
            try await AbsenceReplacementModel.query(on: db).filter(\.$absenceID == absenceID).filter(\.$caseID == caseID).delete()
            let model = AbsenceReplacementModel()
            (model.absenceID, model.caseID, model.agreedOn, model.createdBy) = (absenceID, caseID, day.iso, viewer.userID)
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: "absenceReplacement", id: model.id,
                                      changes: ["case": AuditChange(from: nil, to: caseID.uuidString), "agreedOn": AuditChange(from: nil, to: day.iso)],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// R27: for each case whose lead or co-worker is away beyond six weeks, the deadline
    /// "replacement agreed with youth office and family", due when the absence has lasted six weeks.
    /// Reads only absences beyond six weeks (an indexed column), and their cases' assignments.
    static func replacementDeadlines(_ records: [CaseRecord], today: Day, on db: any Database) async throws -> [UUID: [Deadline]] {
        guard let earliest = records.map(\.startDate).min() else { return [:] }
        let long = try await StaffAbsenceModel.query(on: db).filter(\.$replacementDue != nil).filter(\.$replacementDue >= earliest.iso).allFromRows()
            .compactMap(record).filter(\.absence.isLong)
        guard !long.isEmpty, !records.isEmpty else { return [:] }
        let byStaff = Dictionary(grouping: long, by: \.staffID)
        let caseIDs = records.map(\.id)
        var assignments: [CaseAssignmentModel] = []
        for chunk in caseIDs.chunked(500) {
            assignments += try await CaseAssignmentModel.query(on: db).filter(\.$case.$id ~~ Array(chunk)).filter(\.$staff.$id ~~ Array(byStaff.keys))
                .filter(\.$role ~~ [AssignmentRole.lead.rawValue, AssignmentRole.coWorker.rawValue]).allFromRows()
        }
        guard !assignments.isEmpty else { return [:] }
        let agreed = try await AbsenceReplacementModel.query(on: db).filter(\.$absenceID ~~ long.map(\.id)).allFromRows()
        let agreedOn = Dictionary(agreed.map { ("\($0.absenceID)/\($0.caseID)", Day(iso: $0.agreedOn)) }, uniquingKeysWith: { a, _ in a })
        let recordsByID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        var result: [UUID: [Deadline]] = [:]
        for row in assignments {
            guard let record = recordsByID[row.$case.id] else { continue }
            for absence in byStaff[row.$staff.id] ?? [] {
                let due = absence.absence.replacementDue
                // The case runs when six weeks are over, and the person is on it then.
                guard record.startDate <= due, record.endDate.map({ $0 >= due }) ?? true,
                      row.fromDate.flatMap(Day.init(iso:)).map({ $0 <= due }) ?? true,
                      row.toDate.flatMap(Day.init(iso:)).map({ $0 >= due }) ?? true else { continue }
                let done = agreedOn["\(absence.id)/\(record.id)"] ?? nil
                result[record.id, default: []].append(Deadline(
                    key: "vertretung-\(absence.id.uuidString.lowercased())", kind: .replacement, due: due,
                    refersTo: .absence(absenceID: absence.id.uuidString.lowercased()), doneOn: done,
                    status: Deadlines.status(due: due, doneOn: done, today: today),
                    title: "Ersatz mit Jugendamt und Familie vereinbaren (Abwesenheit ab \(absence.absence.from.german), länger als 6 Wochen)",
                    note: "Die Bezugsperson ist länger als sechs Wochen abwesend: einen Ersatz mit Jugendamt und Familie vereinbaren und auf der Abwesenheit eintragen."))
            }
        }
        return result
    }
}

/// The 24-hour on-call rota (R28).
public struct OnCallRecord: Sendable, Hashable {
    public let id: UUID
    public let staffID: UUID
    public let staffName: String
    public let phone: String?
    public let shift: OnCallShift
}

public enum OnCallStore {
    static let entity = "onCallShift"

    public static func add(staffID: String?, from: String?, to: String?, viewer: Viewer, context: WriteContext, on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            var v = Validator()
            let staff = v.id(staffID, "staffId", label: "die Mitarbeiterin / den Mitarbeiter")
            if let staff, !(try await StaffModel.exists(staff, on: db)) { v.add("staffId", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.") }
            try v.finish()
            // Overlaps are checked against the shifts near the new one (a week either side).
            let probe = OnCallShift.moment(from).map { $0.totalMinutes } ?? 0
            let near = try await shifts(fromMinute: probe - 8 * 1_440, toMinute: probe + 16 * 1_440, on: db).map(\.shift)
            let shift = try OnCallShift.validated(from: from, to: to, existing: near)
            let model = OnCallShiftModel()
            (model.staffID, model.fromMinute, model.toMinute, model.createdBy) = (staff!, shift.from.totalMinutes, shift.to.totalMinutes, viewer.userID)
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: entity, id: model.id,
                                      changes: ["staff": AuditChange(from: nil, to: staff!.uuidString),
                                                "from": AuditChange(from: nil, to: shift.from.iso), "to": AuditChange(from: nil, to: shift.to.iso)],
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    public static func delete(_ id: UUID, context: WriteContext, on db: any Database) async throws {
        try await db.writeTransaction { db in
            let model = try await OnCallShiftModel.require(id, entity: entity, on: db)
            try await model.delete(on: db)
            try await AuditLog.record(.delete, entity: entity, id: id, by: context.actor, at: context.now, on: db)
        }
    }

    /// The shifts overlapping [fromMinute, toMinute), in order, with names.
    static func shifts(fromMinute: Int, toMinute: Int, on db: any Database) async throws -> [OnCallRecord] {
        let models = try await OnCallShiftModel.query(on: db).filter(\.$fromMinute < toMinute).filter(\.$toMinute > fromMinute)
            .sort(\.$fromMinute).all()
        guard !models.isEmpty else { return [] }
        let staff = try await StaffModel.query(on: db).filter(\.$id ~~ Set(models.map(\.staffID))).all()
        let names = Dictionary(uniqueKeysWithValues: staff.compactMap { s in s.id.map { ($0, s) } })
        return models.compactMap { model in
            guard let id = model.id else { return nil }
            let shift = OnCallShift(from: moment(model.fromMinute), to: moment(model.toMinute))
            let person = names[model.staffID]
            return OnCallRecord(id: id, staffID: model.staffID, staffName: person.map { "\($0.firstName) \($0.lastName)" } ?? "–",
                                phone: nil, shift: shift)
        }
    }

    static func moment(_ minutes: Int) -> DayTime {
        let days = minutes >= 0 ? minutes / 1_440 : -((-minutes + 1_439) / 1_440)
        return DayTime(day: Day(ordinal: days), time: TimeOfDay(minuteOfDay: minutes - days * 1_440)!)
    }

    static func start(of month: Month) -> Int { month.firstDay.ordinal * 1_440 }

    /// A month's plan and its gaps (R28).
    public static func month(_ month: Month, on db: any Database) async throws -> (shifts: [OnCallRecord], gaps: [OnCallShift]) {
        let next = Month(containing: month.lastDay.adding(days: 1))
        let shifts = try await shifts(fromMinute: start(of: month), toMinute: start(of: next), on: db)
        return (shifts, OnCallShift.gaps(in: month, shifts: shifts.map(\.shift)))
    }

    /// Who is on call at `now`, if anyone.
    public static func now(_ now: DayTime, on db: any Database) async throws -> OnCallRecord? {
        try await shifts(fromMinute: now.totalMinutes, toMinute: now.totalMinutes + 1, on: db).first
    }

    /// R28: the next month's gaps, once it is at most 14 days away (for start pages of those who plan).
    public static func upcomingGaps(today: Day, on db: any Database) async throws -> (Month, [OnCallShift])? {
        let next = Month(containing: Month(containing: today).lastDay.adding(days: 1))
        guard today.days(until: next.firstDay) <= OnCallShift.gapNoticeDays else { return nil }
        let gaps = try await month(next, on: db).gaps
        return gaps.isEmpty ? nil : (next, gaps)
    }
}

/// R7: minors moving to independent living need one contact with the guardians a month.
public enum GuardianContactStore {
    /// Marks (or, with nil, unmarks) a case as a minor moving to independent living from `since`.
    public static func mark(_ resolved: ResolvedCase, since: String?, context: WriteContext, today: Day, on db: any Database) async throws {
        let caseID = resolved.record.id
        var v = Validator()
        let day = v.day(since, "since", label: "den Beginn der Verselbständigung", required: false)
        if let day, day < resolved.record.startDate { v.add("since", "Der Beginn darf nicht vor dem Beginn der Hilfe liegen.") }
        try v.finish()
        try await db.writeTransaction { db in
            let existing = try await IndependentLivingModel.query(on: db).filter(\.$caseID == caseID).first()
            if let day {
                let model = existing ?? IndependentLivingModel()
                (model.caseID, model.since) = (caseID, day.iso)
                try await model.save(on: db)
            } else if let existing {
                try await existing.delete(on: db)
            }
            try await AuditLog.record(.update, entity: "case", id: caseID,
                                      changes: ["independentLivingSince": AuditChange(from: existing?.since, to: day?.iso)],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    public static func since(_ caseID: UUID, on db: any Database) async throws -> Day? {
        try await IndependentLivingModel.query(on: db).filter(\.$caseID == caseID).first().flatMap { Day(iso: $0.since) }
    }

    /// R7 alerts of these cases: only the marked ones are read (two small queries).
    static func alerts(_ records: [CaseRecord], today: Day, on db: any Database) async throws -> [UUID: CaseAlert] {
        guard !records.isEmpty else { return [:] }
        let wanted = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        let marked = try await IndependentLivingModel.query(on: db).filter(IndependentLivingModel.schema, "case_id", inIDs: Array(wanted.keys)).allFromRows()
        guard !marked.isEmpty else { return [:] }
        let contacts = try await ServiceEntryModel.query(on: db).filter(\.$case.$id ~~ marked.map(\.caseID)).filter(\.$guardianContact == true)
            .field(\.$case.$id).field(\.$date).allFromRows()
        let byCase = Dictionary(grouping: contacts, by: { $0.$case.id }).mapValues { $0.compactMap { Day(iso: $0.date) } }
        var result: [UUID: CaseAlert] = [:]
        for mark in marked {
            guard let record = wanted[mark.caseID], let since = Day(iso: mark.since) else { continue }
            let missed = GuardianContact.missedMonths(since: max(since, record.startDate), endDate: record.endDate, contacts: byCase[mark.caseID] ?? [],
                                                      today: today)
            if let alert = GuardianContact.alert(missed: missed) { result[mark.caseID] = alert }
        }
        return result
    }
}
