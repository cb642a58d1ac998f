import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Group session pages (R10): list and record, correct, delete. The store decides who may change
/// which session and refuses invoiced months; a refusal shows in the page with what was typed.
enum GroupSessionRoutes {
    static func register(on pages: any RoutesBuilder) {
        let work = PolicyRoutes(pages, Policies.recordWork, whenDenied: .redirectToLogin)
        work.get("gruppenangebote") { req in try await list(req) }
        work.post("gruppenangebote") { req in try await create(req) }
        work.get("gruppenangebote", ":id") { req in try await edit(req) }
        work.post("gruppenangebote", ":id") { req in try await save(req) }
        work.post("gruppenangebote", ":id", "loeschen") { req in try await delete(req) }
    }

    static func write(_ req: Request) throws -> WriteContext {
        WriteContext(actor: try req.requireUser().auditActor, now: req.now)
    }

    static func model(_ req: Request, state: FormState, editing: GroupSessionRecord? = nil) async throws -> GroupSessionPages.Model {
        let viewer = try await req.viewer()
        let sessions = try await GroupSessionStore.recent(viewer: viewer, today: req.today, on: req.db)
        let cases = try await GroupSessionStore.recordableCases(viewer: viewer, today: req.today, on: req.db)
        let isLead = viewer.roles.contains(.teamLead) || viewer.roles.contains(.management)
        let staff = try await StaffStore.list(on: req.db)
            .filter { isLead || $0.id == viewer.staffID }
            .sorted { ($0.member.lastName, $0.member.firstName) < ($1.member.lastName, $1.member.firstName) }
        var state = state
        // A caseworker records sessions with themselves present: ticked from the start.
        if !isLead, let own = viewer.staffID, state.multiValues["staffIds"] == nil {
            state.multiValues["staffIds"] = [own.uuidString.lowercased()]
        }
        return GroupSessionPages.Model(sessions: sessions, cases: cases, staff: staff, state: state, editing: editing, today: req.today)
    }

    static func draft(_ form: FormData) -> (GroupSessionDraft, FormState?) {
        let minutes = form.int("minutes")
        let draft = GroupSessionDraft(date: form.optional("date"), start: form.optional("start"), minutes: minutes ?? nil,
                                      staffIds: form.all("staffIds"), caseIds: form.all("caseIds"))
        guard minutes == nil else { return (draft, nil) }
        return (draft, FormState(values: form.values, multiValues: multi(form),
                                 errors: [FieldError("minutes", "Bitte die Dauer in ganzen Minuten angeben.")]))
    }

    static func multi(_ form: FormData) -> [String: [String]] {
        ["staffIds": form.all("staffIds").map { $0.lowercased() }, "caseIds": form.all("caseIds").map { $0.lowercased() }]
    }

    /// Field errors of a list (`caseIds[2]`) shown at the list's checkboxes.
    static func failed(_ form: FormData, _ errors: [FieldError]) -> FormState {
        let mapped = errors.map { error -> FieldError in
            guard let bracket = error.field.firstIndex(of: "[") else { return error }
            return FieldError(String(error.field[..<bracket]), error.message)
        }
        return FormState(values: form.values, multiValues: multi(form), errors: mapped)
    }

    static func list(_ req: Request, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        WebContext.html(GroupSessionPages.list(context: WebContext.pageContext(for: req), try await model(req, state: state)), status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let (draft, bad) = draft(form)
        if let bad { return try await list(req, state: bad, status: .unprocessableEntity) }
        do {
            try await GroupSessionStore.create(draft, viewer: try await req.viewer(), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.groupSessions, notice: "Das Gruppenangebot ist gespeichert; die Anteile sind in den Fällen gebucht.", on: req)
        } catch let failure as ValidationFailure {
            return try await list(req, state: failed(form, failure.errors), status: .unprocessableEntity)
        }
    }

    static func edit(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let session = try await GroupSessionStore.get(try req.uuid("id"), viewer: try await req.viewer(), today: req.today, on: req.db)
        let model = try await model(req, state: state ?? GroupSessionPages.state(of: session), editing: session)
        return WebContext.html(GroupSessionPages.edit(context: WebContext.pageContext(for: req), model), status: status)
    }

    static func save(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let form = FormData(request: req)
        let (draft, bad) = draft(form)
        if let bad { return try await edit(req, state: bad, status: .unprocessableEntity) }
        do {
            try await GroupSessionStore.update(id, draft, viewer: try await req.viewer(), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.groupSessions, notice: "Das Gruppenangebot ist korrigiert; die Anteile sind neu verteilt.", on: req)
        } catch let failure as ValidationFailure {
            return try await edit(req, state: failed(form, failure.errors), status: .unprocessableEntity)
        } catch let refusal as NotAllowed {
            return try await edit(req, state: failed(form, [FieldError("session", refusal.reason)]), status: .forbidden)
        }
    }

    static func delete(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        do {
            try await GroupSessionStore.delete(id, viewer: try await req.viewer(), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.groupSessions, notice: "Das Gruppenangebot ist gelöscht, mit allen Anteilen in den Fällen.", on: req)
        } catch let refusal as NotAllowed {
            var state = GroupSessionPages.state(of: try await GroupSessionStore.get(id, viewer: try await req.viewer(), today: req.today, on: req.db))
            state.errors = [FieldError("session", refusal.reason)]
            return try await edit(req, state: state, status: .forbidden)
        }
    }
}
