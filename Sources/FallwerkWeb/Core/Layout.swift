import Foundation
import FallwerkDomain
import Plot

/// The shared page shell: skip link, header with role-based navigation, main, footer.
public enum Layout {
    struct NavItem {
        let title: String
        let url: SiteURL
        let roles: Set<Role>?  // nil: every signed-in user
    }

    static let navigation: [NavItem] = [
        NavItem(title: "Start", url: .home, roles: nil),
        NavItem(title: "Fälle", url: .cases, roles: [.caseworker, .teamLead, .management, .accounting]),
        NavItem(title: "Übersicht", url: .teamOverview, roles: [.teamLead, .management]),
        NavItem(title: "Hinweise", url: .alertsOverview, roles: [.caseworker, .teamLead, .management]),
        NavItem(title: "Fristen", url: .deadlines(nil), roles: [.caseworker, .teamLead, .management]),
        NavItem(title: "Gruppen", url: .groupSessions, roles: [.caseworker, .teamLead, .management]),
        NavItem(title: "Kinderschutz", url: .childProtectionOverview, roles: [.management]),
        NavItem(title: "Melden", url: .safeguardingReport, roles: [.caseworker, .teamLead, .management]),
        NavItem(title: "Anfragen", url: .intake, roles: [.teamLead, .management]),
        NavItem(title: "Personal", url: .staffStandards(year: nil, teamID: nil), roles: [.teamLead, .management]),
        NavItem(title: "Rufbereitschaft", url: .onCall(nil), roles: [.caseworker, .teamLead, .management]),
        NavItem(title: "Abrechnung", url: .billing(nil), roles: [.accounting, .management]),
        NavItem(title: "Statistik", url: .statistics(nil), roles: [.teamLead, .management, .accounting]),
        NavItem(title: "Jugendämter", url: .youthOffices, roles: nil),
        NavItem(title: "Angebote", url: .offers, roles: nil),
        NavItem(title: "Vereinbarungen", url: .agreements, roles: [.admin, .management, .teamLead, .accounting]),
        NavItem(title: "Teams", url: .teams, roles: nil),
        NavItem(title: "Mitarbeitende", url: .staff, roles: nil),
        NavItem(title: "Träger", url: .provider, roles: [.admin, .management, .accounting]),
        NavItem(title: "Benutzer", url: .users, roles: [.admin]),
        NavItem(title: "Protokoll", url: .auditLog, roles: [.management]),
    ]

    /// The navigation entries a user with these roles sees.
    public static func navigationTitles(for roles: Set<Role>) -> [String] {
        navigation.filter { $0.roles.map { !$0.isDisjoint(with: roles) } ?? true }.map(\.title)
    }

    public static func page(
        title: String, context: PageContext, current: SiteURL? = nil,
        _ content: Node<HTML.BodyContext>...
    ) -> String {
        HTML(
            .lang(.german),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: "\(title) – Fallwerk"),
                .link(.rel(.stylesheet), .href(SiteURL.stylesheet.path))
            ),
            .body(
                .a(.class("skip-link"), .href("#inhalt"), .text("Zum Inhalt springen")),
                .header(
                    .class("site-header"),
                    .a(.class("brand"), .href(SiteURL.home.path), .text("Fallwerk")),
                    .unwrap(context.user) { user in
                        .group(
                            .nav(
                                .attribute(named: "aria-label", value: "Hauptnavigation"),
                                .ul(.forEach(navigation.filter { $0.roles.map { !$0.isDisjoint(with: user.roles) } ?? true }) { item in
                                    .li(.a(
                                        .href(item.url.path),
                                        .if(item.url == current, .attribute(named: "aria-current", value: "page")),
                                        .text(item.title)
                                    ))
                                })
                            ),
                            .div(
                                .class("who"),
                                .span(.text(user.displayName)),
                                .span(.class("roles"), .text(user.roles.sorted().map(\.german).joined(separator: ", "))),
                                .a(.href(SiteURL.ownPassword.path), .if(current == .ownPassword, .attribute(named: "aria-current", value: "page")),
                                   .text("Passwort ändern")),
                                .form(
                                    .method(.post), .action(SiteURL.logout.path),
                                    Forms.csrf(context.csrfToken),
                                    .button(.type(.submit), .class("link-button"), .text("Abmelden"))
                                )
                            )
                        )
                    }
                ),
                .main(
                    .id("inhalt"),
                    .unwrap(context.notice) { .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
                    .group(content)
                ),
                .footer(.class("site-footer"), .p(.text("Fallwerk – Fallführung, Dokumentation und Abrechnung für ambulante Hilfen zur Erziehung")))
            )
        ).render()
    }

    /// Heading row with an optional primary action (e.g. "Neues Jugendamt").
    public static func heading<C: HTML.BodyContext>(_ title: String, action: (String, SiteURL)? = nil) -> Node<C> {
        .div(
            .class("page-heading"),
            .h1(.text(title)),
            .unwrap(action) { .a(.class("button"), .href($0.1.path), .text($0.0)) }
        )
    }

    /// Where a list shown in pages goes on: back to the first page and on to the next (URLs from the
    /// route, which keeps the filters); nothing on a list that fits one page.
    public struct Pager: Sendable {
        public let first: String?
        public let next: String?
        public let nextLabel: String

        public init(first: String?, next: String?, nextLabel: String) {
            self.first = first
            self.next = next
            self.nextLabel = nextLabel
        }

        public static let none = Pager(first: nil, next: nil, nextLabel: "")
    }

    public static func pager<C: HTML.BodyContext>(_ pager: Pager) -> Node<C> {
        .if(pager.first != nil || pager.next != nil, .nav(.class("pager"), .attribute(named: "aria-label", value: "Seiten"),
            .unwrap(pager.first) { .a(.class("button secondary"), .href($0), .text("‹ Zum Anfang")) },
            .unwrap(pager.next) { .a(.class("button secondary"), .href($0), .text(pager.nextLabel + " ›")) }))
    }

    /// "12 Fälle" or "1 Fall", and how many of them this page shows when it is not all.
    public static func count(_ total: Int, shown: Int, continued: Bool, one: String, many: String) -> String {
        (total == 1 ? "1 \(one)" : "\(total) \(many)") + (shown < total ? ", davon \(shown) auf dieser Seite" : "") + (continued ? " (fortgesetzt)" : "")
    }

    /// A table that stays readable on a phone: each cell carries its column name for narrow screens.
    /// A phone number as a link a phone can dial ("0221 12 34-5" → tel:0221123445); "–" when there is none.
    public static func phone(_ number: String?) -> Node<HTML.BodyContext> {
        guard let number = number?.trimmingCharacters(in: .whitespaces), !number.isEmpty else { return .text("–") }
        let dialable = String(number.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) || $0 == "+" }.map(Character.init))
        guard dialable.count >= 3 else { return .text(number) }
        return .a(.class("nowrap"), .href("tel:" + dialable), .text(number))
    }

    public static func table<C: HTML.BodyContext>(columns: [String], rows: [[Node<HTML.BodyContext>]], empty: String) -> Node<C> {
        if rows.isEmpty { return .p(.class("empty"), .text(empty)) }
        return .div(.class("table-wrap"), .table(
            .thead(.tr(.forEach(columns) { .th(.attribute(named: "scope", value: "col"), .text($0)) })),
            .tbody(.forEach(rows) { row in
                .tr(.forEach(Array(zip(columns, row))) { column, cell in
                    .td(.data(named: "label", value: column), cell)
                })
            })
        ))
    }
}
