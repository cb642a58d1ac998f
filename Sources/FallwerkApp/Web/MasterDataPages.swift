import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Fluent
import Vapor

/// The list / new / edit pages every kind of master data shares. Each kind says how to render,
/// load, read a form and save; this type does the HTTP, the policies and the error handling
/// (a failed save shows the form again with everything typed and every German message).
struct MasterDataPages<Draft: Sendable>: Sendable {
    let list: SiteURL
    let new: SiteURL
    let record: @Sendable (UUID) -> SiteURL
    let read: Policy
    let edit: Policy
    let savedNotice: String
    let renderList: @Sendable (Request, PageContext, _ canEdit: Bool) async throws -> String
    let renderForm: @Sendable (Request, PageContext, FormState, UUID?, _ canEdit: Bool) async throws -> String
    let defaults: @Sendable (Request) async throws -> [String: String]
    let load: @Sendable (Request, UUID) async throws -> [String: String]
    /// Reads the form into a draft; errors the form alone can already tell (e.g. "abc" as a number).
    let parse: @Sendable (FormData) -> (Draft, [FieldError])
    let save: @Sendable (Draft, UUID?, WriteContext, Request) async throws -> UUID
    /// Renames API-style error fields to this form's field names, where they differ.
    var formField: @Sendable (String, FormData) -> String = { field, _ in field }

    func register(on routes: any RoutesBuilder) {
        let readRoutes = PolicyRoutes(routes, read, whenDenied: .redirectToLogin)
        let editRoutes = PolicyRoutes(routes, edit, whenDenied: .redirectToLogin)
        readRoutes.get(list.pattern.map(PathComponent.init(stringLiteral:))) { req in
            let context = WebContext.pageContext(for: req)
            return WebContext.html(try await renderList(req, context, edit.allows(req.currentUser)))
        }
        editRoutes.get(new.pattern.map(PathComponent.init(stringLiteral:))) { req in
            let state = FormState(values: try await defaults(req))
            return WebContext.html(try await renderForm(req, WebContext.pageContext(for: req), state, nil, true))
        }
        editRoutes.post(new.pattern.map(PathComponent.init(stringLiteral:))) { req in
            try await submit(req, id: nil)
        }
        let recordPattern = record(SiteURL.anyID).pattern.map(PathComponent.init(stringLiteral:))
        readRoutes.get(recordPattern) { req in
            let id = try recordID(req)
            let state = FormState(values: try await load(req, id), multiValues: try await multiValues(req, id))
            return WebContext.html(try await renderForm(req, WebContext.pageContext(for: req), state, id, edit.allows(req.currentUser)))
        }
        editRoutes.post(recordPattern) { req in
            let id = try recordID(req)
            _ = try await load(req, id)  // 404 before anything else for an unknown id
            return try await submit(req, id: id)
        }
    }

    /// Extra multi-valued fields (only users' roles need them); empty by default.
    var multiValues: @Sendable (Request, UUID) async throws -> [String: [String]] = { _, _ in [:] }

    func recordID(_ req: Request) throws -> UUID {
        guard let text = req.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem.notFound }
        return id
    }

    func submit(_ req: Request, id: UUID?) async throws -> Response {
        let form = FormData(request: req)
        let (draft, formErrors) = parse(form)
        var errors = formErrors
        if errors.isEmpty {
            do {
                let user = try req.requireUser()
                let savedID = try await save(draft, id, WriteContext(actor: user.auditActor, now: req.now), req)
                return WebContext.redirect(record(savedID), notice: savedNotice, on: req)
            } catch let failure as ValidationFailure {
                errors = failure.errors
            }
        }
        let renamed = errors.map { FieldError(formField($0.field, form), $0.message) }
        let multi = Dictionary(grouping: form.pairs.filter { $0.0 == "roles" }, by: \.0).mapValues { $0.map(\.1) }
        let state = FormState(values: form.values, multiValues: multi, errors: renamed)
        let html = try await renderForm(req, WebContext.pageContext(for: req), state, id, true)
        return WebContext.html(html, status: .unprocessableEntity)
    }
}

extension FormData {
    /// An optional whole number typed into `name`; a German error when it is not one.
    /// A whole number from a form field. A field the form sent but the user emptied is an error, not a
    /// silent default (the API's missing field keeps the default).
    func integer(_ name: String, label: String, required: Bool = false, into errors: inout [FieldError]) -> Int? {
        switch int(name) {
        case .some(nil) where required && self[name] != nil:
            errors.append(FieldError(name, "\(label) fehlt. Bitte eine ganze Zahl angeben."))
            return nil
        case .some(let value): return value
        case .none:
            errors.append(FieldError(name, "\(label) muss eine ganze Zahl sein."))
            return nil
        }
    }
}
