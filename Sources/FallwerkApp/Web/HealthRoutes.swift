import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

/// A case's health records (issue 16). Role: caseworkers, team leads, management (`Policies.health`);
/// case: its staff, their team lead and management (`CasePolicies.health`). The resolver audits each
/// view by its name; the store audits writes without content.
enum HealthRoutes {
    static func register(on pages: any RoutesBuilder) {
        let onCase = PolicyRoutes(pages, Policies.health, whenDenied: .redirectToLogin).cases(CasePolicies.health)
        onCase.get("faelle", ":id", "gesundheit") { req in try await list(req) }
        onCase.post("faelle", ":id", "gesundheit") { req in try await create(req) }
        onCase.get("faelle", ":id", "gesundheit", ":recordId") { req in try await edit(req) }
        onCase.post("faelle", ":id", "gesundheit", ":recordId") { req in try await update(req) }
        onCase.post("faelle", ":id", "gesundheit", ":recordId", "loeschen") { req in try await delete(req) }
    }

    static func write(_ req: Request) throws -> WriteContext { WriteContext(actor: try req.requireUser().auditActor, now: req.now) }

    static func input(_ form: FormData) -> HealthRecordInput {
        input(kind: form["kind"], description: form["description"], from: form["from"], to: form["to"], serious: form.all("serious").contains("true"),
              notifiedOn: form["guardiansNotifiedOn"], notifiedBy: form["guardiansNotifiedBy"])
    }

    /// One health record input from its fields, for the form and the API alike.
    static func input(kind: String?, description: String?, from: String?, to: String?, serious: Bool, notifiedOn: String?, notifiedBy: String?) -> HealthRecordInput {
        var input = HealthRecordInput(kind: kind, description: description, from: from)
        input.to = to
        input.serious = serious
        input.guardiansNotifiedOn = notifiedOn
        input.guardiansNotifiedBy = notifiedBy
        return input
    }

    /// What was typed, to show again with the messages.
    static func typed(_ form: FormData, errors: [FieldError]) -> FormState {
        FormState(values: form.values, multiValues: ["serious": form.all("serious")], errors: errors)
    }

    static func list(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let resolved = try req.resolvedCase
        let entries = try await HealthStore.list(resolved, on: req.db)
        var shown = state ?? FormState()
        if state == nil { shown.values["from"] = req.today.iso }
        return WebContext.html(HealthPages.list(context: WebContext.pageContext(for: req), record: resolved.record, entries: entries, state: shown),
                               status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let resolved = try req.resolvedCase
        do {
            try await HealthStore.create(resolved, input(form), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.health(resolved.record.id), notice: "Der Eintrag ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await list(req, state: typed(form, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func entry(_ req: Request) async throws -> HealthRecordEntry {
        let id = try req.uuid("recordId")
        guard let entry = try await HealthStore.list(try req.resolvedCase, on: req.db).first(where: { $0.id == id }) else {
            throw RecordNotFound(entity: "healthRecord")
        }
        return entry
    }

    static func edit(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let entry = try await entry(req)
        let stored = HealthPages.values(entry)
        return WebContext.html(HealthPages.edit(context: WebContext.pageContext(for: req), record: try req.resolvedCase.record, entry: entry,
                                                state: state ?? FormState(values: stored.values, multiValues: stored.multiValues)),
                               status: status)
    }

    static func update(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let resolved = try req.resolvedCase
        do {
            try await HealthStore.update(resolved, recordID: try req.uuid("recordId"), input(form), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.health(resolved.record.id), notice: "Die Änderung ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await edit(req, state: typed(form, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func delete(_ req: Request) async throws -> Response {
        let resolved = try req.resolvedCase
        try await HealthStore.delete(resolved, recordID: try req.uuid("recordId"), context: try write(req), on: req.db)
        return WebContext.redirect(.health(resolved.record.id), notice: "Der Eintrag ist gelöscht.", on: req)
    }
}
