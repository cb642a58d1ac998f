import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Pages for §47 incidents (R22) and complaints (R23): anyone who works on cases reports them on
/// "Melden"; management follows them up and keeps the settings.
enum SafeguardingRoutes {
    static func register(on pages: any RoutesBuilder) {
        let reporters = PolicyRoutes(pages, Policies.childProtection, whenDenied: .redirectToLogin)
        reporters.get("melden") { req in try await report(req) }
        reporters.post("vorkommnisse") { req in try await createIncident(req) }
        reporters.post("beschwerden") { req in try await createComplaint(req) }
        let management = PolicyRoutes(pages, Policies.management, whenDenied: .redirectToLogin)
        management.get("vorkommnisse", ":id") { req in try await incident(req) }
        management.post("vorkommnisse", ":id", "schritte") { req in try await incidentStep(req) }
        management.get("beschwerden", ":id") { req in try await complaint(req) }
        management.post("beschwerden", ":id", "schritte") { req in try await complaintStep(req) }
        management.get("kinderschutz", "einstellungen") { req in try await settings(req) }
        management.post("kinderschutz", "einstellungen") { req in try await saveSettings(req) }
    }

    static func write(_ req: Request) throws -> WriteContext { try DocumentationRoutes.write(req) }

    static func report(_ req: Request, incident: FormState = FormState(), complaint: FormState = FormState(),
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let viewer = try await req.viewer()
        let cases = try await CaseStore.list(CaseFilter(status: .running), visibleTo: viewer, today: req.today, on: req.db)
            .filter { $0.access(for: viewer, today: req.today) == .full }
            .map { (value: $0.id.uuidString.lowercased(), label: "\($0.youngPerson.fullName) (\($0.fileNumber))") }
        var incidentState = incident, complaintState = complaint
        if incidentState.values["occurredOn"] == nil { incidentState.values["occurredOn"] = req.today.iso }
        if complaintState.values["receivedOn"] == nil { complaintState.values["receivedOn"] = req.today.iso }
        let settings = try await SafeguardingStore.settings(on: req.db)
        return WebContext.html(SafeguardingPages.report(context: WebContext.pageContext(for: req), settings: settings, cases: cases,
                                                        incident: incidentState, complaint: complaintState), status: status)
    }

    static func createIncident(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        do {
            try await SafeguardingStore.recordIncident(
                IncidentInput(occurredOn: form.optional("occurredOn"), occurredAt: form.optional("occurredAt"), category: form.optional("category"),
                              description: form.optional("description"), personsInvolved: form.optional("personsInvolved")),
                caseID: form.optional("caseId"), viewer: try await req.viewer(), context: try write(req), now: req.nowInBerlin, on: req.db)
            return WebContext.redirect(.safeguardingReport, notice: "Das Vorkommnis ist gemeldet; die Leitung sieht es jetzt.", on: req)
        } catch let failure as ValidationFailure {
            return try await report(req, incident: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func createComplaint(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        do {
            try await SafeguardingStore.recordComplaint(
                ComplaintInput(receivedOn: form.optional("receivedOn"), source: form.optional("source"), channel: form.optional("channel"),
                               category: form.optional("category"), about: form.optional("about"),
                               ombudspersonOffered: form.optional("ombudspersonOffered") == "ja"),
                caseID: form.optional("caseId"), viewer: try await req.viewer(), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.safeguardingReport, notice: "Die Beschwerde ist erfasst; die Leitung sieht sie jetzt.", on: req)
        } catch let failure as ValidationFailure {
            return try await report(req, complaint: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func stepInput(_ form: FormData) -> SafeguardingStepInput {
        SafeguardingStepInput(kind: form.optional("kind"), date: form.optional("date"), recipient: form.optional("recipient"),
                              way: form.optional("way"), note: form.optional("note"))
    }

    static func incident(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let incident = try await SafeguardingStore.incident(try req.uuid("id"), context: try write(req), on: req.db)
        let settings = try await SafeguardingStore.settings(on: req.db)
        var shown = state ?? FormState()
        if shown.values["date"] == nil { shown.values["date"] = req.today.iso }
        return WebContext.html(SafeguardingPages.incident(context: WebContext.pageContext(for: req), incident,
                                                          overdue: incident.externalReportOverdue(now: req.nowInBerlin, settings: settings),
                                                          settings: settings, state: shown), status: status)
    }

    static func incidentStep(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let form = FormData(request: req)
        do {
            try await SafeguardingStore.addIncidentStep(id, stepInput(form), viewer: try await req.viewer(), context: try write(req),
                                                        today: req.today, on: req.db)
            return WebContext.redirect(.incident(id), notice: "Der Schritt ist eingetragen.", on: req)
        } catch let failure as ValidationFailure {
            return try await incident(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func complaint(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let complaint = try await SafeguardingStore.complaint(try req.uuid("id"), context: try write(req), on: req.db)
        let settings = try await SafeguardingStore.settings(on: req.db)
        var shown = state ?? FormState()
        if shown.values["date"] == nil { shown.values["date"] = req.today.iso }
        return WebContext.html(SafeguardingPages.complaint(context: WebContext.pageContext(for: req), complaint,
                                                           overdue: complaint.acknowledgementOverdue(today: req.today, settings: settings),
                                                           settings: settings, state: shown), status: status)
    }

    static func complaintStep(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let form = FormData(request: req)
        do {
            try await SafeguardingStore.addComplaintStep(id, stepInput(form), viewer: try await req.viewer(), context: try write(req),
                                                         today: req.today, on: req.db)
            return WebContext.redirect(.complaint(id), notice: "Der Schritt ist eingetragen.", on: req)
        } catch let failure as ValidationFailure {
            return try await complaint(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func settings(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let current = try await SafeguardingStore.settings(on: req.db)
        return WebContext.html(SafeguardingPages.settings(context: WebContext.pageContext(for: req),
                                                          state: state ?? FormState(values: SafeguardingPages.settingsValues(current))), status: status)
    }

    static func saveSettings(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        var v = Validator()
        func number(_ name: String) -> Int? {
            guard let text = form.optional(name) else { return nil }
            guard let value = Int(text) else {
                v.add(name, "Bitte eine ganze Zahl angeben.")
                return nil
            }
            return value
        }
        let hours = number("incidentReportHours"), days = number("complaintAcknowledgeDays")
        if let settings = SafeguardingSettings.validated(recipients: form.optional("incidentRecipients"), reportHours: hours, acknowledgeDays: days,
                                                         ombudsperson: form.optional("ombudsperson"), into: &v) {
            try await SafeguardingStore.saveSettings(settings, context: try write(req), on: req.db)
            return WebContext.redirect(.childProtectionOverview, notice: "Die Einstellungen sind gespeichert.", on: req)
        }
        return try await Self.settings(req, state: FormState(values: form.values, errors: v.errors), status: .unprocessableEntity)
    }
}
