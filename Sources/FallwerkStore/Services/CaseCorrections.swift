import FallwerkDomain
import Fluent
import Foundation

/// Corrections of a case users need daily (issue 10): its data, persons, file number, lead and
/// co-workers, and ending a substitution. Every correction is audited by field name, never with the
/// family's data; work already recorded keeps the staff who did it.
extension CaseStore {
    /// Corrects a case. The youth office and offer can only change while nothing is invoiced; the start
    /// may not move past recorded work; a lead or co-worker who is replaced and has recorded work
    /// stays as an ended co-worker (until yesterday), so their entries keep their assignment (R11).
    public static func update(caseID: UUID, _ draft: CaseDraft, context: WriteContext, today: Day, on db: any Database) async throws {
        try await db.writeTransaction { db in
            guard let model = try await CaseModel.query(on: db).filter(\.$id == caseID).with(\.$persons).with(\.$assignments).first() else {
                throw RecordNotFound(entity: entity)
            }
            var v = Validator()
            let valid = try await validated(draft, excluding: caseID, today: today, into: &v, on: db)
            let officeID = valid?.officeID, offerID = valid?.offerID, checked = valid?.input
            let invoiced = try await InvoiceModel.query(on: db).filter(\.$case.$id == caseID)
                .filter(\.$status ~~ [InvoiceStatus.issued.rawValue, InvoiceStatus.cancelled.rawValue]).count() > 0
            // The first day with work, in SQL (not every entry of the case).
            let firstEntry = try await ServiceEntryModel.query(on: db).filter(\.$case.$id == caseID).sort(\.$date).first()
                .flatMap { Day(iso: $0.date) }
            if let officeID, let offerID, let checked {
                for error in CaseCorrectionRules.errors(youthOffice: (model.$youthOffice.id.uuidString, officeID.uuidString),
                                                        offer: (model.$offer.id.uuidString, offerID.uuidString), invoiced: invoiced,
                                                        newStart: checked.startDate, firstEntry: firstEntry,
                                                        end: model.endDate.flatMap(Day.init(iso:))) {
                    v.add(error.field, error.message)
                }
            }
            try v.finish()
            guard let valid, let officeID, let offerID, let checked else { throw ValidationFailure(v.errors) }
            let lead = valid.lead, leadID = valid.leadID, coWorkers = valid.coWorkers

            var changes: [String: AuditChange] = [:]
            func note(_ key: String, _ old: String?, _ new: String?) {
                if old != new { changes[key] = AuditChange(from: old, to: new) }
            }
            note("fileNumber", model.fileNumber, checked.fileNumber)
            note("startDate", model.startDate, checked.startDate.iso)
            note("youthOffice", model.$youthOffice.id.uuidString, officeID.uuidString)
            note("offer", model.$offer.id.uuidString, offerID.uuidString)
            note("team", model.$team.id.uuidString, lead.$team.id.uuidString)
            model.fileNumber = checked.fileNumber
            model.$youthOffice.id = officeID
            model.$offer.id = offerID
            model.$team.id = lead.$team.id
            model.startDate = checked.startDate.iso
            model.youthOfficeCaseworker = checked.youthOfficeCaseworker
            model.youthOfficeCaseworkerPhone = checked.youthOfficeCaseworkerPhone
            let oldAddress = familyAddress(model)
            setFamilyAddress(model, checked.familyAddress)
            if oldAddress != checked.familyAddress { changes["familyAddress"] = AuditChange(from: nil, to: "geändert") }
            setSearchColumns(model, checked)
            try await model.update(on: db)

            // Persons: replaced as typed; the log says only that they changed.
            let newPersons = [(checked.youngPerson, "youngPerson")] + checked.guardians.map { ($0, "guardian") }
            let oldPersons = model.persons.sorted { $0.position < $1.position }.map {
                (Person(firstName: $0.firstName, lastName: $0.lastName, birthDate: $0.birthDate.flatMap(Day.init(iso:)),
                        relation: $0.relation, phone: $0.phone), $0.role)
            }
            if oldPersons.map(\.0) != newPersons.map(\.0) || oldPersons.map(\.1) != newPersons.map(\.1) {
                try await CasePersonModel.query(on: db).filter(\.$case.$id == caseID).delete()
                try await createPersons(checked, caseID: caseID, on: db)
                changes["persons"] = AuditChange(from: nil, to: "geändert")
            }

            // Lead and co-workers (substitutes are managed on their own).
            let worked = Set(try await ServiceEntryModel.query(on: db).filter(\.$case.$id == caseID).unique().all(\.$staff.$id))
            let wanted: [UUID: AssignmentRole] = Dictionary(uniqueKeysWithValues: [(leadID, .lead)] + coWorkers.map { ($0, .coWorker) })
            let current = model.assignments.filter { $0.role != AssignmentRole.substitute.rawValue && $0.toDate == nil }
            let yesterday = today.adding(days: -1)
            for row in current {
                let staffID = row.$staff.id
                if let role = wanted[staffID] {
                    if row.role != role.rawValue { row.role = role.rawValue; try await row.update(on: db) }
                } else if worked.contains(staffID) {
                    // R11: their recorded work stays theirs; from today on they no longer work on the case.
                    row.role = AssignmentRole.coWorker.rawValue
                    row.toDate = yesterday.iso
                    try await row.update(on: db)
                } else {
                    try await row.delete(on: db)
                }
            }
            let kept = Set(current.map { $0.$staff.id })
            for (staffID, role) in wanted where !kept.contains(staffID) {
                let row = CaseAssignmentModel()
                row.$case.id = caseID
                row.$staff.id = staffID
                row.role = role.rawValue
                row.exceptionReason = valid.exceptionReason
                try await row.create(on: db)
            }
            if let reason = valid.exceptionReason { changes["exceptionReason"] = AuditChange(from: nil, to: reason) }
            let oldLead = current.first { $0.role == AssignmentRole.lead.rawValue }?.$staff.id
            note("lead", oldLead?.uuidString, leadID.uuidString)
            let oldCo = current.filter { $0.role == AssignmentRole.coWorker.rawValue }.map { $0.$staff.id.uuidString }.sorted()
            note("coWorkers", oldCo.joined(separator: ","), coWorkers.map(\.uuidString).sorted().joined(separator: ","))
            // The budget follows the agreement of the (maybe new) youth office and offer.
            if changes["youthOffice"] != nil || changes["offer"] != nil || changes["startDate"] != nil {
                try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            }
            guard !changes.isEmpty else { return }
            try await AuditLog.record(.update, entity: entity, id: caseID, changes: changes, by: context.actor, at: context.now, on: db)
        }
    }

    /// Ends a substitution (R27) on `lastDay`; a substitution that has not begun by then is removed.
    public static func endSubstitute(caseID: UUID, assignmentID: UUID, lastDay rawDay: String?, context: WriteContext, today: Day,
                                     on db: any Database) async throws {
        try await db.writeTransaction { db in
            guard let row = try await CaseAssignmentModel.find(assignmentID, on: db), row.$case.id == caseID,
                  row.role == AssignmentRole.substitute.rawValue
            else { throw RecordNotFound(entity: "substitute") }
            var v = Validator()
            let lastDay = rawDay?.trimmed.isEmpty == false ? v.day(rawDay, "lastDay", label: "den letzten Tag der Vertretung") : today
            try v.finish()
            guard let lastDay else { throw ValidationFailure(v.errors) }
            let from = row.fromDate.flatMap(Day.init(iso:))
            let old = "\(row.fromDate ?? "")–\(row.toDate ?? "")"
            if let from, lastDay < from {
                try await row.delete(on: db)
            } else {
                if let to = row.toDate.flatMap(Day.init(iso:)), to <= lastDay {
                    throw ValidationFailure([FieldError("lastDay", "Die Vertretung endet ohnehin am \(to.german).")])
                }
                row.toDate = lastDay.iso
                try await row.update(on: db)
            }
            try await AuditLog.record(.update, entity: entity, id: caseID,
                                      changes: ["substitute": AuditChange(from: "\(row.$staff.id.uuidString) \(old)",
                                                                          to: from.map { lastDay < $0 } == true ? nil : "bis \(lastDay.iso)")],
                                      by: context.actor, at: context.now, on: db)
        }
    }
}
