import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Accounts that end (issue 16): the administrator's section on a user's page, the confirmation
/// before deactivating, and the page where everyone changes their own password.
public enum AccountPages {
    /// Below a user's form: whether the login is active, and the way to end or restore it.
    public static func statusSection(context: PageContext, user: UserRecord, isSelf: Bool) -> Node<HTML.BodyContext> {
        .section(
            .class("card"), .id("zugang"),
            .h2(.text("Zugang")),
            .if(user.isActive, .group(
                .p(.text("Der Zugang ist aktiv.")),
                .if(isSelf,
                    .p(.class("hint"), .text("Ihren eigenen Zugang kann nur eine andere Administratorin oder ein anderer Administrator deaktivieren.")),
                    else: .group(
                        .p(.class("hint"), .text("Wer nicht mehr für den Träger arbeitet, wird deaktiviert: Die Anmeldung endet sofort auf allen Geräten, "
                                                 + "auch in der Schnittstelle. Nichts wird gelöscht; Einträge behalten ihre Verfasserin oder ihren Verfasser.")),
                        .p(.a(.class("button secondary"), .href(SiteURL.deactivateUser(user.id).path), .text("Benutzer deaktivieren")))
                    ))
            ), else: .group(
                .p(.text("Der Zugang ist deaktiviert" + (user.deactivatedAt.map { " seit dem \(BerlinTime.local($0).day.german)" } ?? "") + ". "
                         + "Eine Anmeldung ist nicht möglich.")),
                .form(
                    .method(.post), .action(SiteURL.activateUser(user.id).path),
                    Forms.csrf(context.csrfToken),
                    .button(.type(.submit), .class("button secondary"), .text("Benutzer wieder aktivieren"))
                )
            ))
        )
    }

    /// The confirmation step before deactivating; `error` when it was refused (e.g. oneself).
    public static func confirmDeactivation(context: PageContext, user: UserRecord, error: String?) -> String {
        let title = "Benutzer \(user.username) deaktivieren"
        return Layout.page(
            title: title, context: context, current: .users,
            Layout.heading(title),
            .unwrap(error) { message in
                .div(.class("error-summary"), .attribute(named: "role", value: "alert"),
                     .h2(.text("Der Benutzer wurde nicht deaktiviert")), .p(.text(message)))
            },
            .div(.class("card"),
                 .p(.text("\(user.displayName) (\(user.username)) kann sich danach nicht mehr anmelden. Offene Sitzungen und Schlüssel für die "
                          + "Schnittstelle enden sofort.")),
                 .p(.text("Es wird nichts gelöscht: Fälle, Leistungen und Dokumentation behalten ihre Verfasserin oder ihren Verfasser. "
                          + "Der Zugang lässt sich später wieder aktivieren.")),
                 .form(
                    .method(.post), .action(SiteURL.deactivateUser(user.id).path),
                    Forms.csrf(context.csrfToken),
                    .div(.class("actions"),
                         .button(.type(.submit), .class("button primary"), .text("Ja, Benutzer deaktivieren")),
                         .a(.class("button secondary"), .href(SiteURL.user(user.id).path), .text("Abbrechen")))
                 ))
        )
    }

    /// "Passwort ändern" for every signed-in user. Passwords are never written back into the page;
    /// after an error the form comes back with the messages and empty password fields.
    public static func passwordForm(context: PageContext, state: FormState) -> String {
        Layout.page(
            title: "Passwort ändern", context: context, current: .ownPassword,
            Layout.heading("Passwort ändern"),
            .p(.class("hint"), .text("Nach der Änderung bleiben Sie hier angemeldet; alle anderen Anmeldungen (andere Geräte, Schlüssel für die Schnittstelle) enden.")),
            Forms.errorSummary(state),
            .form(
                .class("narrow"), .method(.post), .action(SiteURL.ownPassword.path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                Forms.text("currentPassword", "Bisheriges Passwort", state, .init(type: .password, required: true, autocomplete: "current-password")),
                Forms.text("newPassword", "Neues Passwort", state, .init(
                    type: .password, hint: "Mindestens \(UserInput.minimumPasswordLength) Zeichen, kein häufiges Passwort; gut merkbar ist ein Satz aus mehreren Wörtern.",
                    required: true, autocomplete: "new-password")),
                Forms.text("newPasswordRepeat", "Neues Passwort wiederholen", state, .init(type: .password, required: true, autocomplete: "new-password")),
                Forms.submit("Passwort ändern", cancel: .home)
            )
        )
    }
}
