import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

/// People and capacity through the API (issue 14): intake (R1, R2), standards (R24, R25), load (R26),
/// absences (R27), the on-call rota (R28), guardian contact (R7).
extension APIHandler {
    // MARK: Intake

    func listIntakeRequests(_ input: Operations.ListIntakeRequests.Input) async throws -> Operations.ListIntakeRequests.Output {
        let req = try APIContext.current()
        let days = try await StaffingStore.settings(on: req.db).requestAlertDays
        let status = input.query.status.flatMap { RequestStatus(rawValue: $0.rawValue) }
        return .ok(.init(body: .json(try await IntakeStore.list(status: status, on: req.db).map { .init($0, today: req.today, alertDays: days) })))
    }

    func createIntakeRequest(_ input: Operations.CreateIntakeRequest.Input) async throws -> Operations.CreateIntakeRequest.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await IntakeStore.create(
            youthOfficeId: b.youthOfficeId, offerId: b.offerId,
            IntakeRequestInput(receivedOn: b.receivedOn, contact: b.contact, hours: b.hours, per: b.per.rawValue, urgency: b.urgency?.rawValue,
                               reason: b.reason, initials: b.initials),
            viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getIntakeRequest(_ input: Operations.GetIntakeRequest.Input) async throws -> Operations.GetIntakeRequest.Output {
        let req = try APIContext.current()
        let days = try await StaffingStore.settings(on: req.db).requestAlertDays
        return .ok(.init(body: .json(.init(try await IntakeStore.get(try uuid(input.path.id), on: req.db), today: req.today, alertDays: days))))
    }

    func getRequestCapacity(_ input: Operations.GetRequestCapacity.Input) async throws -> Operations.GetRequestCapacity.Output {
        let req = try APIContext.current()
        let request = try await IntakeStore.get(try uuid(input.path.id), on: req.db)
        return .ok(.init(body: .json(try await IntakeStore.capacity(for: request, today: req.today, on: req.db).map { .init($0.0, qualified: $0.qualified) })))
    }

    func acceptIntakeRequest(_ input: Operations.AcceptIntakeRequest.Input) async throws -> Operations.AcceptIntakeRequest.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        var accept = IntakeAcceptInput()
        accept.leadStaffId = b.leadStaffId
        accept.coWorkerIds = b.coWorkerIds ?? []
        accept.fileNumber = b.fileNumber
        accept.startDate = b.startDate
        accept.youngPerson = b.youngPerson.input
        accept.exceptionReason = b.exceptionReason
        let caseID = try await IntakeStore.accept(try uuid(input.path.id), accept, context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(caseId: caseID.apiID))))
    }

    func declineIntakeRequest(_ input: Operations.DeclineIntakeRequest.Input) async throws -> Operations.DeclineIntakeRequest.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await IntakeStore.decline(try uuid(input.path.id), reason: b.reason, context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func listCapacity(_ input: Operations.ListCapacity.Input) async throws -> Operations.ListCapacity.Output {
        let req = try APIContext.current()
        let viewer = try await req.viewer()
        let teamID = try QueryParameters.id(input.query.teamId, "teamId")
        let rows = try await StaffingStore.offered(on: req.today, teamID: teamID, on: req.db).filter { StaffAccess.manages(viewer, teamID: $0.staff.teamID) }
        return .ok(.init(body: .json(rows.map { .init($0, qualified: true) })))
    }

    // MARK: Standards

    func listStaffStandards(_ input: Operations.ListStaffStandards.Input) async throws -> Operations.ListStaffStandards.Output {
        let req = try APIContext.current()
        let teamID = try QueryParameters.id(input.query.teamId, "teamId")
        let rows = try await StaffingStore.overview(year: input.query.year ?? req.today.year, teamID: teamID, viewer: try await req.viewer(),
                                                    today: req.today, on: req.db)
        return .ok(.init(body: .json(rows.map { row, standards in
            .init(staffId: row.staff.id.apiID, name: row.staff.fullName, teamName: row.staff.teamName, standards: .init(standards, staffID: row.staff.id))
        })))
    }

    func getStaffStandards(_ input: Operations.GetStaffStandards.Input) async throws -> Operations.GetStaffStandards.Output {
        let req = try APIContext.current()
        let id = try uuid(input.path.id)
        let (_, standards) = try await StaffingStore.standards(staffID: id, year: input.query.year ?? req.today.year, viewer: try await req.viewer(),
                                                               today: req.today, on: req.db)
        return .ok(.init(body: .json(.init(standards, staffID: id))))
    }

    func addCertificate(_ input: Operations.AddCertificate.Input) async throws -> Operations.AddCertificate.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let day = try StandardsInput.certificate(b.issuedOn, today: req.today)
        let id = try await StaffingStore.addEvidence(.certificate, staffID: try uuid(input.path.id), date: day, viewer: try await req.viewer(),
                                                     context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func addTraining(_ input: Operations.AddTraining.Input) async throws -> Operations.AddTraining.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let (day, title, minutes) = try StandardsInput.training(date: b.date, title: b.title, hours: b.hours, today: req.today)
        let id = try await StaffingStore.addEvidence(.training, staffID: try uuid(input.path.id), date: day, title: title, minutes: minutes,
                                                     viewer: try await req.viewer(), context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func addSupervision(_ input: Operations.AddSupervision.Input) async throws -> Operations.AddSupervision.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let (day, minutes) = try StandardsInput.supervision(date: b.date, minutes: b.minutes, today: req.today)
        let id = try await StaffingStore.addEvidence(.supervision, staffID: try uuid(input.path.id), date: day, minutes: minutes,
                                                     viewer: try await req.viewer(), context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func addAcknowledgement(_ input: Operations.AddAcknowledgement.Input) async throws -> Operations.AddAcknowledgement.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let day = try StandardsInput.pastDay(b.date, "date", label: "das Datum der Kenntnisnahme", today: req.today)
        let id = try await StaffingStore.addEvidence(.acknowledgement, staffID: try uuid(input.path.id), date: day, viewer: try await req.viewer(),
                                                     context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func recordInduction(_ input: Operations.RecordInduction.Input) async throws -> Operations.RecordInduction.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        guard b.module == 1 || b.module == 2 else {
            throw ValidationFailure([FieldError("module", "Es gibt die Einarbeitungsmodule 1 und 2.")])
        }
        let day = try StandardsInput.pastDay(b.date, "date", label: "das Datum des Moduls", today: req.today)
        let id = try await StaffingStore.addEvidence(b.module == 1 ? .induction1 : .induction2, staffID: try uuid(input.path.id), date: day,
                                                     viewer: try await req.viewer(), context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    // MARK: Absences

    func listAbsences(_ input: Operations.ListAbsences.Input) async throws -> Operations.ListAbsences.Output {
        let req = try APIContext.current()
        let staff = try await StaffAccess.readable(try uuid(input.path.id), viewer: try await req.viewer(), on: req.db)
        return .ok(.init(body: .json(try await AbsenceStore.list(staffID: staff.id, on: req.db).map(Schemas.Absence.init))))
    }

    func addAbsence(_ input: Operations.AddAbsence.Input) async throws -> Operations.AddAbsence.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await AbsenceStore.add(staffID: try uuid(input.path.id), from: b.from, to: b.to, kind: b.kind.rawValue,
                                            viewer: try await req.viewer(), context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getAbsence(_ input: Operations.GetAbsence.Input) async throws -> Operations.GetAbsence.Output {
        let req = try APIContext.current()
        let absence = try await AbsenceStore.get(try uuid(input.path.id), on: req.db)
        _ = try await StaffAccess.writable(absence.staffID, viewer: try await req.viewer(), selfService: false, on: req.db)
        let cases = try await AbsenceStore.cases(of: absence, on: req.db)
        let proposals = try await AbsenceStore.proposals(for: absence, on: req.db)
        return .ok(.init(body: .json(.init(
            absence: .init(absence),
            cases: cases.map { .init(caseId: $0.record.id.apiID, fileNumber: $0.record.fileNumber, substitutes: $0.substitutes,
                                     replacementAgreedOn: $0.replacementAgreedOn?.iso) },
            proposals: proposals.map { .init($0, qualified: true) }))))
    }

    func chooseSubstitute(_ input: Operations.ChooseSubstitute.Input) async throws -> Operations.ChooseSubstitute.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        guard let caseID = UUID(uuidString: b.caseId) else { throw ValidationFailure([FieldError("caseId", "Dieser Fall ist unbekannt.")]) }
        try await AbsenceStore.substitute(absenceID: try uuid(input.path.id), caseID: caseID, staffID: b.staffId, viewer: try await req.viewer(), today: req.today,
                                          context: context, on: req.db)
        return .noContent(.init())
    }

    func agreeReplacement(_ input: Operations.AgreeReplacement.Input) async throws -> Operations.AgreeReplacement.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        guard let caseID = UUID(uuidString: b.caseId) else { throw ValidationFailure([FieldError("caseId", "Dieser Fall ist unbekannt.")]) }
        try await AbsenceStore.agreeReplacement(absenceID: try uuid(input.path.id), caseID: caseID, date: b.date, viewer: try await req.viewer(),
                                                context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    // MARK: On-call

    func listOnCall(_ input: Operations.ListOnCall.Input) async throws -> Operations.ListOnCall.Output {
        let req = try APIContext.current()
        var month = Month(containing: req.today)
        if let text = input.query.month {
            guard let parsed = Month(iso: text) else {
                throw Problem(.badRequest, "Der Parameter month muss ein Monat (JJJJ-MM) sein.", errors: [FieldError("month", "Kein gültiger Monat.")])
            }
            month = parsed
        }
        let plan = try await OnCallStore.month(month, on: req.db)
        return .ok(.init(body: .json(.init(month: month.iso, shifts: plan.shifts.map(Schemas.OnCallShift.init),
                                           gaps: plan.gaps.map { .init(from: $0.from.iso, to: $0.to.iso) }))))
    }

    func createOnCallShift(_ input: Operations.CreateOnCallShift.Input) async throws -> Operations.CreateOnCallShift.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await OnCallStore.add(staffID: b.staffId, from: b.from, to: b.to, viewer: try await req.viewer(), context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getOnCallNow(_ input: Operations.GetOnCallNow.Input) async throws -> Operations.GetOnCallNow.Output {
        let req = try APIContext.current()
        guard let now = try await OnCallStore.now(req.nowInBerlin, on: req.db) else { return .ok(.init(body: .json(.init(onCall: false)))) }
        return .ok(.init(body: .json(.init(onCall: true, staffId: now.staffID.apiID, staffName: now.staffName, from: now.shift.from.iso,
                                           to: now.shift.to.iso))))
    }

    func deleteOnCallShift(_ input: Operations.DeleteOnCallShift.Input) async throws -> Operations.DeleteOnCallShift.Output {
        let (req, context) = try context()
        try await OnCallStore.delete(try uuid(input.path.id), context: context, on: req.db)
        return .noContent(.init())
    }

    // MARK: Guardian contact

    func setIndependentLiving(_ input: Operations.SetIndependentLiving.Input) async throws -> Operations.SetIndependentLiving.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await GuardianContactStore.mark(try resolvedCase(), since: b.since, context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

}

extension Components.Schemas.IntakeRequest {
    init(_ r: IntakeRequestRecord, today: Day, alertDays: Int) {
        let f = r.fields
        self.init(id: r.id.apiID, youthOfficeId: r.youthOfficeID.apiID, youthOfficeName: r.youthOfficeName, offerId: r.offerID.apiID,
                  offerName: r.offerName, receivedOn: f.receivedOn.iso, contact: f.contact, hours: Minutes(f.minutesPerUnit).hoursString,
                  per: f.unit.rawValue, weeklyMinutes: f.weeklyMinutes, urgency: f.urgency.rawValue, reason: f.reason, initials: f.initials,
                  status: .init(rawValue: r.status.rawValue)!,
                  overdue: r.status == .open && IntakeRules.isOverdue(receivedOn: f.receivedOn, today: today, alertDays: alertDays),
                  decidedOn: r.decidedOn?.iso, declineReason: r.declineReason, caseId: r.caseID?.apiID)
    }
}

extension Components.Schemas.StaffCapacity {
    init(_ c: StaffCapacity, qualified: Bool) {
        self.init(staffId: c.staff.id.apiID, name: c.staff.fullName, teamId: c.staff.teamID.apiID, teamName: c.staff.teamName,
                  qualification: .init(rawValue: c.staff.member.qualification.rawValue)!, contractMinutes: c.staff.member.weeklyMinutes,
                  budgetMinutes: c.budgetMinutes, freeWeeklyMinutes: c.freeMinutes, plannedWeeklyMinutes: c.plannedLoadMinutes,
                  qualified: qualified, absentUntil: c.absence?.to.iso)
    }
}

extension Components.Schemas.StaffStandards {
    init(_ s: StaffStandards, staffID: UUID) {
        self.init(staffId: staffID.apiID, year: s.year, certificateValidUntil: s.certificateValidUntil?.iso, trainingMinutes: s.trainingMinutes,
                  supervisionsCounted: s.supervisionsCounted, acknowledged: s.acknowledged, inductionComplete: s.inductionComplete,
                  plannedWeeklyMinutes: s.plannedWeeklyMinutes, met: s.met,
                  missing: s.missing.map { .init(rawValue: $0.rawValue)! },
                  states: .init(additionalProperties: Dictionary(uniqueKeysWithValues: StandardItem.allCases.map {
                      ($0.rawValue, Components.Schemas.StaffStandards.StatesPayload.AdditionalPropertiesPayload(rawValue: s.state($0).rawValue)!)
                  })))
    }
}

extension Components.Schemas.Absence {
    init(_ a: AbsenceRecord) {
        self.init(id: a.id.apiID, staffId: a.staffID.apiID, from: a.absence.from.iso, to: a.absence.to.iso, kind: a.absence.kind.rawValue,
                  kindName: a.absence.kind.german, days: a.absence.days, replacementDue: a.absence.isLong ? a.absence.replacementDue.iso : nil)
    }
}

extension Components.Schemas.OnCallShift {
    init(_ r: OnCallRecord) {
        self.init(id: r.id.apiID, staffId: r.staffID.apiID, staffName: r.staffName, from: r.shift.from.iso, to: r.shift.to.iso)
    }
}
