import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Pages for people and capacity (issue 14). Intake, capacity, absences and the rota are planned by
/// team leads and management (`Policies.openCases`); standards pages: management and the team lead
/// of the person's team, and the person themselves (`StaffAccess`, in the store).
enum StaffingRoutes {
    static func register(on pages: any RoutesBuilder) {
        let planners = PolicyRoutes(pages, Policies.openCases, whenDenied: .redirectToLogin)
        planners.get("anfragen") { req in try await intake(req) }
        planners.post("anfragen") { req in try await createRequest(req) }
        planners.get("anfragen", ":id") { req in try await request(req) }
        planners.post("anfragen", ":id", "annehmen") { req in try await accept(req) }
        planners.post("anfragen", ":id", "ablehnen") { req in try await decline(req) }
        planners.get("personalstandards") { req in try await standards(req) }
        planners.post("mitarbeitende", ":id", "abwesenheiten") { req in try await addAbsence(req) }
        planners.get("abwesenheiten", ":id") { req in try await absence(req) }
        planners.post("abwesenheiten", ":id", "vertretung") { req in try await substitute(req) }
        planners.post("abwesenheiten", ":id", "ersatz") { req in try await replacement(req) }
        planners.post("rufbereitschaft") { req in try await addShift(req) }
        planners.post("rufbereitschaft", ":id", "entfernen") { req in try await deleteShift(req) }
        let everyone = PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin)
        everyone.get("mitarbeitende", ":id", "standards") { req in try await record(req) }
        everyone.post("mitarbeitende", ":id", "nachweise") { req in try await addEvidence(req) }
        everyone.get("rufbereitschaft") { req in try await onCall(req) }
        let onCase = PolicyRoutes(pages, Policies.recordWork, whenDenied: .redirectToLogin).cases(CasePolicies.caseLead)
        onCase.get("faelle", ":id", "verselbstaendigung") { req in try await independentLiving(req) }
        onCase.post("faelle", ":id", "verselbstaendigung") { req in try await saveIndependentLiving(req) }
    }

    static func write(_ req: Request) throws -> WriteContext { try DocumentationRoutes.write(req) }

    // MARK: Intake (R1, R2)

    static func intake(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let requests = try await IntakeStore.list(on: req.db)
        let settings = try await StaffingStore.settings(on: req.db)
        let offices = try await YouthOfficeStore.list(on: req.db).map { (value: $0.id.uuidString.lowercased(), label: $0.office.name) }
        let offers = try await OfferStore.list(on: req.db).map { (value: $0.id.uuidString.lowercased(), label: $0.offer.name) }
        var shown = state ?? FormState()
        if shown.values["receivedOn"] == nil { shown.values["receivedOn"] = req.today.iso }
        if shown.values["urgency"] == nil { shown.values["urgency"] = RequestUrgency.normal.rawValue }
        if shown.values["per"] == nil { shown.values["per"] = BudgetUnit.week.rawValue }
        return WebContext.html(StaffingPages.intake(context: WebContext.pageContext(for: req), requests: requests, alertDays: settings.requestAlertDays,
                                                    today: req.today, offices: offices, offers: offers, state: shown), status: status)
    }

    static func createRequest(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        do {
            let id = try await IntakeStore.create(
                youthOfficeId: form.optional("youthOfficeId"), offerId: form.optional("offerId"),
                IntakeRequestInput(receivedOn: form.optional("receivedOn"), contact: form.optional("contact"), hours: form.optional("hours"),
                                   per: form.optional("per"), urgency: form.optional("urgency"), reason: form.optional("reason"),
                                   initials: form.optional("initials")),
                viewer: try await req.viewer(), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.intakeRequest(id, lead: nil), notice: "Die Anfrage ist gespeichert. Hier steht, wer Kapazität hat.", on: req)
        } catch let failure as ValidationFailure {
            return try await intake(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func request(_ req: Request, accept: FormState? = nil, decline: FormState = FormState(),
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        let request = try await IntakeStore.get(try req.uuid("id"), on: req.db)
        let capacity = try await IntakeStore.capacity(for: request, today: req.today, on: req.db)
        var shown = accept ?? FormState()
        if shown.values["leadStaffId"] == nil {
            // "auswählen" in the capacity list, else the first qualified person with the most room.
            let chosen = (try? req.query.get(String.self, at: "lead")).flatMap(UUID.init(uuidString:))
            shown.values["leadStaffId"] = (chosen ?? capacity.first(where: { $0.qualified && $0.0.absence == nil })?.0.staff.id)?.uuidString.lowercased()
        }
        if shown.values["startDate"] == nil { shown.values["startDate"] = req.today.iso }
        return WebContext.html(StaffingPages.request(context: WebContext.pageContext(for: req), request, capacity: capacity, today: req.today,
                                                     accept: shown, decline: decline), status: status)
    }

    static func accept(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        var input = IntakeAcceptInput()
        input.leadStaffId = form.optional("leadStaffId")
        input.fileNumber = form.optional("fileNumber")
        input.startDate = form.optional("startDate")
        input.youngPerson = PersonInput(firstName: form.optional("youngPerson.firstName"), lastName: form.optional("youngPerson.lastName"),
                                        birthDate: form.optional("youngPerson.birthDate"))
        input.exceptionReason = form.optional("exceptionReason")
        do {
            let id = try req.uuid("id")
            let caseID = try await IntakeStore.accept(id, input, context: try write(req), today: req.today, on: req.db)
            // A lead from another team puts the case in that team: its team lead takes it from here.
            let viewer = try await req.viewer()
            if (try? await CaseStore.get(caseID, visibleTo: viewer, today: req.today, on: req.db)) == nil {
                return WebContext.redirect(.intakeRequest(id, lead: nil),
                                           notice: "Die Anfrage ist angenommen und der Fall im Team der Bezugsbetreuung angelegt; dessen Teamleitung führt ihn weiter.",
                                           on: req)
            }
            return WebContext.redirect(.caseWork(caseID), notice: "Die Anfrage ist angenommen und der Fall angelegt. Als Nächstes: die Bewilligung eintragen.",
                                       on: req)
        } catch let failure as ValidationFailure {
            return try await request(req, accept: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func decline(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let id = try req.uuid("id")
        do {
            try await IntakeStore.decline(id, reason: form.optional("reason"), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.intake, notice: "Die Anfrage ist abgelehnt; der Grund ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await request(req, decline: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    // MARK: Standards (R24–R26)

    static func year(_ req: Request) -> Int {
        (try? req.query.get(String.self, at: "jahr")).flatMap { Int($0) }.flatMap { (2000...2100).contains($0) ? $0 : nil } ?? req.today.year
    }

    static func standards(_ req: Request) async throws -> Response {
        let viewer = try await req.viewer()
        let teams = try await TeamStore.list(on: req.db).filter { StaffAccess.manages(viewer, teamID: $0.id) }
        let teamID = (try? req.query.get(String.self, at: "team")).flatMap(UUID.init(uuidString:)).flatMap { id in teams.contains { $0.id == id } ? id : nil }
        let year = year(req)
        let rows = try await StaffingStore.overview(year: year, teamID: teamID, viewer: viewer, today: req.today, on: req.db)
        try await AuditLog.record(.read, entity: "staffStandards", id: teamID, by: try write(req).actor, at: req.now, on: req.db)
        return WebContext.html(StaffingPages.standards(context: WebContext.pageContext(for: req), year: year, teamID: teamID,
                                                       teams: teams.map { (value: $0.id.uuidString.lowercased(), label: $0.name) }, rows: rows))
    }

    static func record(_ req: Request, forms: StaffingPages.RecordForms = .init(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let viewer = try await req.viewer()
        let id = try req.uuid("id")
        let year = year(req)
        let (capacity, standards) = try await StaffingStore.standards(staffID: id, year: year, viewer: viewer, today: req.today, on: req.db)
        let evidence = try await StaffingStore.evidence(staffID: id, on: req.db)
        let absences = try await AbsenceStore.list(staffID: id, on: req.db)
        var shown = forms
        for kind in ["training", "supervision", "acknowledgement", "certificate", "induction1"] {
            if shown[kind].values["date"] == nil {
                var state = shown[kind]
                state.values["date"] = req.today.iso
                shown[kind] = state
            }
        }
        return WebContext.html(StaffingPages.record(context: WebContext.pageContext(for: req), staff: capacity.staff, year: year, capacity: capacity,
                                                    standards: standards, evidence: evidence, absences: absences,
                                                    manages: StaffAccess.manages(viewer, teamID: capacity.staff.teamID), forms: shown, today: req.today),
                               status: status)
    }

    static func addEvidence(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let id = try req.uuid("id")
        let kind = form.optional("kind").flatMap(EvidenceKind.init(rawValue:)) ?? .training
        do {
            let viewer = try await req.viewer(), context = try write(req), today = req.today
            switch kind {
            case .certificate:
                let day = try StandardsInput.certificate(form.optional("date"), today: today)
                try await StaffingStore.addEvidence(.certificate, staffID: id, date: day, viewer: viewer, context: context, on: req.db)
            case .training:
                let (day, title, minutes) = try StandardsInput.training(date: form.optional("date"), title: form.optional("title"),
                                                                        hours: form.optional("hours"), today: today)
                try await StaffingStore.addEvidence(.training, staffID: id, date: day, title: title, minutes: minutes, viewer: viewer, context: context, on: req.db)
            case .supervision:
                guard case .some(let minutes) = form.int("minutes") else {
                    throw ValidationFailure([FieldError("minutes", "Bitte die Dauer als ganze Zahl von Minuten angeben.")])
                }
                let (day, checked) = try StandardsInput.supervision(date: form.optional("date"), minutes: minutes, today: today)
                try await StaffingStore.addEvidence(.supervision, staffID: id, date: day, minutes: checked, viewer: viewer, context: context, on: req.db)
            case .acknowledgement:
                let day = try StandardsInput.pastDay(form.optional("date"), "date", label: "das Datum der Kenntnisnahme", today: today)
                try await StaffingStore.addEvidence(.acknowledgement, staffID: id, date: day, viewer: viewer, context: context, on: req.db)
            case .induction1, .induction2:
                let module: EvidenceKind = form.optional("module") == "2" ? .induction2 : .induction1
                let day = try StandardsInput.pastDay(form.optional("date"), "date", label: "das Datum des Moduls", today: today)
                try await StaffingStore.addEvidence(module, staffID: id, date: day, viewer: viewer, context: context, on: req.db)
            }
            return WebContext.redirect(.staffRecord(id, year: nil), notice: "\(kind == .induction2 ? EvidenceKind.induction1.german : kind.german) ist eingetragen.",
                                       on: req)
        } catch let failure as ValidationFailure {
            var forms = StaffingPages.RecordForms()
            forms[kind == .induction2 ? "induction1" : kind.rawValue] = FormState(values: form.values, errors: failure.errors)
            return try await record(req, forms: forms, status: .unprocessableEntity)
        }
    }

    // MARK: Absences (R27)

    static func addAbsence(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let id = try req.uuid("id")
        do {
            let absenceID = try await AbsenceStore.add(staffID: id, from: form.optional("from"), to: form.optional("to"), kind: form.optional("kind"),
                                                       viewer: try await req.viewer(), context: try write(req), on: req.db)
            return WebContext.redirect(.absence(absenceID), notice: "Die Abwesenheit ist eingetragen. Jetzt für jeden Fall die Vertretung regeln.", on: req)
        } catch let failure as ValidationFailure {
            var forms = StaffingPages.RecordForms()
            forms.absence = FormState(values: form.values, errors: failure.errors)
            return try await record(req, forms: forms, status: .unprocessableEntity)
        }
    }

    static func absence(_ req: Request, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let absence = try await AbsenceStore.get(try req.uuid("id"), on: req.db)
        let staff = try await StaffAccess.writable(absence.staffID, viewer: try await req.viewer(), selfService: false, on: req.db)
        let cases = try await AbsenceStore.cases(of: absence, on: req.db)
        let proposals = try await AbsenceStore.proposals(for: absence, on: req.db)
        return WebContext.html(StaffingPages.absence(context: WebContext.pageContext(for: req), staff: staff, absence, cases: cases, proposals: proposals,
                                                     state: state, today: req.today), status: status)
    }

    static func substitute(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let id = try req.uuid("id")
        guard let caseID = form.optional("caseId").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        do {
            try await AbsenceStore.substitute(absenceID: id, caseID: caseID, staffID: form.optional("staffId"), viewer: try await req.viewer(), today: req.today,
                                              context: try write(req), on: req.db)
            return WebContext.redirect(.absence(id), notice: "Die Vertretung ist eingetragen; sie sieht den Fall für die Zeit der Abwesenheit.", on: req)
        } catch let failure as ValidationFailure {
            return try await absence(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func replacement(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let id = try req.uuid("id")
        guard let caseID = form.optional("caseId").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        do {
            try await AbsenceStore.agreeReplacement(absenceID: id, caseID: caseID, date: form.optional("date"), viewer: try await req.viewer(),
                                                    context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.absence(id), notice: "Die Vereinbarung mit Jugendamt und Familie ist eingetragen.", on: req)
        } catch let failure as ValidationFailure {
            return try await absence(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    // MARK: On-call (R28)

    static func onCall(_ req: Request, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let month = (try? req.query.get(String.self, at: "monat")).flatMap(Month.init(iso:)) ?? Month(containing: req.today)
        let plan = try await OnCallStore.month(month, on: req.db)
        let now = try await OnCallStore.now(req.nowInBerlin, on: req.db)
        let canPlan = Policies.openCases.allows(req.currentUser)
        let staff = canPlan ? try await StaffStore.list(on: req.db).map { (value: $0.id.uuidString.lowercased(), label: "\($0.fullName) (\($0.teamName))") } : []
        return WebContext.html(StaffingPages.onCall(context: WebContext.pageContext(for: req), month: month, shifts: plan.shifts, gaps: plan.gaps, now: now,
                                                    staff: staff, canPlan: canPlan, state: state), status: status)
    }

    static func addShift(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        do {
            _ = try await OnCallStore.add(staffID: form.optional("staffId"), from: form.optional("from"), to: form.optional("to"),
                                          viewer: try await req.viewer(), context: try write(req), on: req.db)
            let month = OnCallShift.moment(form.optional("from")).map { Month(containing: $0.day) }
            return WebContext.redirect(.onCall(month), notice: "Der Dienst ist eingetragen.", on: req)
        } catch let failure as ValidationFailure {
            return try await onCall(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func deleteShift(_ req: Request) async throws -> Response {
        try await OnCallStore.delete(try req.uuid("id"), context: try write(req), on: req.db)
        return WebContext.redirect(.onCall(nil), notice: "Der Dienst ist entfernt.", on: req)
    }

    // MARK: Guardian contact (R7)

    static func independentLiving(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let resolved = try req.resolvedCase
        let since = try await GuardianContactStore.since(resolved.record.id, on: req.db)
        return WebContext.html(StaffingPages.independentLiving(context: WebContext.pageContext(for: req), record: resolved.record, since: since,
                                                               state: state ?? FormState(values: ["since": since?.iso ?? ""])), status: status)
    }

    static func saveIndependentLiving(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let resolved = try req.resolvedCase
        do {
            try await GuardianContactStore.mark(resolved, since: form.optional("since"), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.caseWork(resolved.record.id), notice: form.optional("since") == nil
                ? "Die Markierung „Verselbständigung“ ist aufgehoben." : "Der Fall ist als Verselbständigung markiert: ein Kontakt mit den Sorgeberechtigten pro Monat.",
                                       on: req)
        } catch let failure as ValidationFailure {
            return try await independentLiving(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
