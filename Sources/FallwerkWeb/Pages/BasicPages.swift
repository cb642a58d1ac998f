import FallwerkDomain
import Foundation
import Plot

public enum LoginPage {
    public static func render(context: PageContext, username: String, message: String?) -> String {
        Layout.page(
            title: "Anmelden", context: context,
            .div(
                .class("narrow card"),
                .h1(.text("Anmelden")),
                .unwrap(message) { .p(.class("error-summary"), .attribute(named: "role", value: "alert"), .text($0)) },
                .form(
                    .method(.post), .action(SiteURL.login.path),
                    Forms.csrf(context.csrfToken),
                    Forms.text("username", "Benutzername", FormState(values: ["username": username]),
                               .init(required: true, autocomplete: "username")),
                    Forms.text("password", "Passwort", FormState(),
                               .init(type: .password, required: true, autocomplete: "current-password")),
                    Forms.submit("Anmelden")
                )
            )
        )
    }
}

public enum HomePage {
    public struct Tile: Sendable {
        public let title: String
        public let text: String
        public let url: SiteURL

        public init(title: String, text: String, url: SiteURL) {
            self.title = title
            self.text = text
            self.url = url
        }
    }

    public static func render(context: PageContext, staffName: String?, tiles: [Tile], setupHint: String?,
                              myCases: Node<HTML.BodyContext>? = nil) -> String {
        let name = staffName ?? context.user?.displayName ?? ""
        return Layout.page(
            title: "Start", context: context, current: .home,
            .h1(.text("Guten Tag, \(name)")),
            .p(.class("lead"), .text("Angemeldet als \(context.user?.roles.sorted().map(\.german).joined(separator: ", ") ?? "")")),
            .unwrap(setupHint) { .p(.class("notice warning"), .text($0)) },
            .unwrap(myCases) { $0 },
            .ul(.class("tiles"), .forEach(tiles) { tile in
                .li(.a(.href(tile.url.path), .strong(.text(tile.title)), .span(.text(tile.text))))
            })
        )
    }
}

public enum ErrorPage {
    public static func render(context: PageContext, status: Int, message: String) -> String {
        let title = switch status {
        case 403: "Keine Berechtigung"
        case 404: "Nicht gefunden"
        case 400..<500: "Das hat nicht geklappt"
        default: "Ein Fehler ist aufgetreten"
        }
        return Layout.page(
            title: title, context: context,
            .div(.class("narrow card"),
                 .h1(.text(title)),
                 .p(.text(message)),
                 .p(.a(.href(SiteURL.home.path), .text("Zur Startseite"))))
        )
    }
}
