import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

public enum ProviderPage {
    public static func values(_ p: ProviderProfile) -> [String: String] {
        ["name": p.name, "address.street": p.address.street, "address.postalCode": p.address.postalCode,
         "address.city": p.address.city, "taxNumber": p.taxNumber, "iban": IBAN.grouped(p.iban), "bic": p.bic ?? "",
         "bankName": p.bankName ?? "", "email": p.email ?? "", "phone": p.phone ?? "",
         "productivePercent": String(p.productivePercent), "requestAlertDays": String(p.requestAlertDays)]
    }

    public static func form(context: PageContext, state: FormState, canEdit: Bool) -> String {
        Layout.page(
            title: "Träger", context: context, current: .provider,
            Layout.heading("Unser Träger"),
            .p(.class("lead"), .text("Diese Angaben stehen auf jeder Rechnung und in jeder XRechnung.")),
            Forms.errorSummary(state),
            .form(
                .method(.post), .action(SiteURL.provider.path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                .element(named: "fieldset", nodes: [
                    .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                    .element(named: "legend", nodes: [.text("Träger")]),
                    Forms.text("name", "Name des Trägers", state, .init(required: true)),
                    Forms.text("address.street", "Straße und Hausnummer", state, .init(required: true)),
                    .div(.class("row"),
                         Forms.text("address.postalCode", "PLZ", state, .init(required: true, inputMode: "numeric")),
                         Forms.text("address.city", "Ort", state, .init(required: true))),
                    .div(.class("row"),
                         Forms.text("email", "E-Mail", state, .init(type: .email, hint: "Elektronische Adresse in der XRechnung.")),
                         Forms.text("phone", "Telefon", state, .init(type: .tel))),
                    Forms.text("taxNumber", "Steuernummer", state, .init(hint: "Leistungen nach § 4 Nr. 25 UStG sind umsatzsteuerfrei.", required: true)),
                ]),
                .element(named: "fieldset", nodes: [
                    .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                    .element(named: "legend", nodes: [.text("Bankverbindung")]),
                    Forms.text("iban", "IBAN", state, .init(required: true, autocomplete: "off")),
                    .div(.class("row"),
                         Forms.text("bic", "BIC", state),
                         Forms.text("bankName", "Bank", state)),
                ]),
                .element(named: "fieldset", nodes: [
                    .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                    .element(named: "legend", nodes: [.text("Personalplanung")]),
                    .div(.class("row"),
                         Forms.text("productivePercent", "Produktiver Anteil der Arbeitszeit (%)", state,
                                    .init(type: .number, hint: "Anteil der Vertragsstunden für Fallarbeit; der Rest ist indirekte Zeit. Üblich: 75.", inputMode: "numeric")),
                         Forms.text("requestAlertDays", "Hinweis auf offene Anfragen nach (Tagen)", state, .init(type: .number, inputMode: "numeric"))),
                ]),
                .if(canEdit, Forms.submit())
            )
        )
    }
}

public enum AuditLogPage {
    static let entityNames = [
        "youthOffice": "Jugendamt", "offer": "Angebot", "agreement": "Vereinbarung", "team": "Team",
        "staff": "Mitarbeiter:in", "user": "Benutzer", "provider": "Träger", "session": "Anmeldung",
    ]

    public static func render(context: PageContext, entries: [AuditRecord], page: Int, hasMore: Bool) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "de_DE")
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "dd.MM.yyyy HH:mm:ss"
        return Layout.page(
            title: "Protokoll", context: context, current: .auditLog,
            Layout.heading("Protokoll"),
            .p(.class("lead"), .text("Jede Änderung, unveränderlich festgehalten: wer, wann, was.")),
            Layout.table(
                columns: ["Zeitpunkt", "Benutzer", "Aktion", "Datensatz", "Änderungen"],
                rows: entries.map { entry in
                    [.text(formatter.string(from: entry.at)), .text(entry.username),
                     .text(AuditAction(rawValue: entry.action)?.german ?? entry.action),
                     .text(entityNames[entry.entity] ?? entry.entity),
                     .ul(.class("changes"), .forEach(entry.changes.keys.sorted()) { key in
                         .li(.code(.text(key)), .text(": \(entry.changes[key]?.from ?? "–") → \(entry.changes[key]?.to ?? "–")"))
                     })]
                },
                empty: "Noch keine Einträge."
            ),
            .nav(.class("pager"), .attribute(named: "aria-label", value: "Seiten"),
                 .if(page > 1, .a(.href(SiteURL.auditLog.path + "?seite=\(page - 1)"), .text("← Neuere"))),
                 .if(hasMore, .a(.href(SiteURL.auditLog.path + "?seite=\(page + 1)"), .text("Ältere →"))))
        )
    }
}
