import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

/// Accounts that end (issue 16): an administrator deactivates (after a confirmation) and reactivates a
/// login; every signed-in user changes their own password.
enum AccountRoutes {
    static func register(on pages: any RoutesBuilder) {
        let admin = PolicyRoutes(pages, Policies.manageUsers, whenDenied: .redirectToLogin)
        admin.get("benutzer", ":id", "deaktivieren") { req in
            WebContext.html(AccountPages.confirmDeactivation(context: WebContext.pageContext(for: req), user: try await user(req), error: nil))
        }
        admin.post("benutzer", ":id", "deaktivieren") { req in try await setActive(req, false) }
        admin.post("benutzer", ":id", "aktivieren") { req in try await setActive(req, true) }

        let signedIn = PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin)
        signedIn.get("passwort") { req in
            WebContext.html(AccountPages.passwordForm(context: WebContext.pageContext(for: req), state: FormState()))
        }
        signedIn.post("passwort") { req in try await changePassword(req) }
    }

    static func user(_ req: Request) async throws -> UserRecord {
        try await UserStore.get(try req.uuid("id"), on: req.db)
    }

    static func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let user = try await user(req)
        do {
            try await UserStore.setActive(user.id, active, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
        } catch let failure as ValidationFailure {
            let message = failure.errors.first?.message ?? "Der Benutzer wurde nicht deaktiviert."
            return WebContext.html(AccountPages.confirmDeactivation(context: WebContext.pageContext(for: req), user: user, error: message),
                                   status: .unprocessableEntity)
        }
        return WebContext.redirect(.user(user.id), notice: active
            ? "\(user.displayName) ist wieder aktiv und kann sich anmelden."
            : "\(user.displayName) ist deaktiviert; alle Anmeldungen sind beendet.", on: req)
    }

    static func changePassword(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let change = PasswordChange(currentPassword: form["currentPassword"], newPassword: form["newPassword"])
        var errors: [FieldError] = []
        if let new = change.newPassword, !new.isEmpty, new != (form["newPasswordRepeat"] ?? "") {
            errors.append(FieldError("newPasswordRepeat", "Die Wiederholung stimmt nicht mit dem neuen Passwort überein."))
        }
        do {
            if !errors.isEmpty { throw ValidationFailure(errors) }
            try await Accounts.changeOwnPassword(change, on: req)
        } catch let failure as ValidationFailure {
            errors = failure.errors
        } catch let problem as Problem where problem.status == .tooManyRequests {
            errors = [FieldError("currentPassword", problem.detail)]
        }
        if !errors.isEmpty {
            // The form comes back with every message; passwords are not written back into the page.
            return WebContext.html(AccountPages.passwordForm(context: WebContext.pageContext(for: req), state: FormState(errors: errors)),
                                   status: .unprocessableEntity)
        }
        // Every session of the user ended with the change; this one goes on under a new id.
        try await PageSessions.signIn(try req.requireUser(), on: req)
        return WebContext.redirect(.home, notice: "Ihr Passwort ist geändert. Alle anderen Anmeldungen sind beendet.", on: req)
    }
}
