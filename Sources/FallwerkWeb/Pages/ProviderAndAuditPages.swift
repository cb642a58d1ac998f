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
        "case": "Fall", "blockedCase": "gesperrte Akte", "subjectAccess": "Auskunft (Art. 15 DSGVO)", "retention": "Aufbewahrung",
        "route": "Seite oder Schnittstelle", "healthRecord": "Gesundheit", "note": "Verlaufsnotiz", "goal": "Ziel",
        "goalRating": "Zielbewertung", "report": "Bericht", "serviceEntry": "Leistung", "approval": "Bewilligung",
        "approvalIncrease": "Erhöhung", "childProtection": "Kinderschutz (§ 8a)", "childProtectionStep": "Kinderschutz-Schritt",
        "carePlanMeeting": "Hilfeplangespräch", "signature": "Unterschrift", "serviceRecord": "Leistungsnachweis",
        "invoice": "Rechnung", "billingRun": "Abrechnungslauf", "substitute": "Vertretung", "groupSession": "Gruppenangebot",
        "intakeRequest": "Anfrage", "absence": "Abwesenheit", "onCallShift": "Rufbereitschaft", "calendarFeed": "Kalender",
    ]

    /// German labels of the keys the log keeps for reads, refusals and retention runs (field names: `FieldLabels`).
    static let keyNames = [
        "view": "Ansicht", "count": "Fälle", "status": "Antwort", "case": "Fall", "blocked": "gesperrt",
        "erased": "gelöscht", "purged": "entfernt", "invoicesDeleted": "Rechnungen gelöscht", "day": "Tag",
    ]

    /// One change or fact of an entry: "Ansicht: faelle/:id", or "Feld: alt → neu" for a change.
    static func detail(_ key: String, _ change: AuditChange?) -> String {
        let label = keyNames[key] ?? FieldLabels.label(key) ?? key
        guard let change else { return label }
        if change.from == nil { return "\(label): \(change.to ?? "–")" }
        return "\(label): \(change.from ?? "–") → \(change.to ?? "–")"
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "de_DE")
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "dd.MM.yyyy HH:mm:ss"
        return formatter.string(from: date)
    }

    static func table<C: HTML.BodyContext>(_ entries: [AuditRecord]) -> Node<C> {
        Layout.table(
            columns: ["Zeitpunkt", "Benutzer", "Aktion", "Datensatz", "Einzelheiten"],
            rows: entries.map { entry in
                [.text(timestamp(entry.at)), .text(entry.username),
                 .text(AuditAction(rawValue: entry.action)?.german ?? entry.action),
                 .text(entityNames[entry.entity] ?? entry.entity),
                 .ul(.class("changes"), .forEach(entry.changes.keys.sorted()) { key in .li(.text(detail(key, entry.changes[key]))) })]
            },
            empty: "Keine Einträge."
        )
    }

    /// The log, filtered by case or person (file number or name), user and period (R31).
    /// - Parameter query: the filter as typed (`fall`, `benutzer`, `von`, `bis`), with field errors.
    public static func render(context: PageContext, entries: [AuditRecord], page: Int, hasMore: Bool, query: FormState = FormState(),
                              queryString: String = "") -> String {
        let link = { (page: Int) in SiteURL.auditLog.path + "?" + (queryString.isEmpty ? "" : queryString + "&") + "seite=\(page)" }
        return Layout.page(
            title: "Protokoll", context: context, current: .auditLog,
            Layout.heading("Protokoll"),
            .p(.class("lead"), .text("Jeder Zugriff auf Falldaten und jede Änderung, unveränderlich festgehalten: wer, wann, was – ohne Inhalte.")),
            .form(
                .method(.get), .action(SiteURL.auditLog.path), .class("filters card"),
                Forms.errorSummary(query),
                .div(.class("grid"),
                     Forms.text("fall", "Fall oder Person", query, .init(type: .search, hint: "Aktenzeichen oder Name")),
                     Forms.text("benutzer", "Benutzer", query, .init(hint: "Anmeldename")),
                     Forms.text("von", "Von", query, .init(type: .date)),
                     Forms.text("bis", "Bis", query, .init(type: .date))),
                .div(.class("actions"),
                     .button(.type(.submit), .class("button primary"), .text("Filtern")),
                     .a(.class("button secondary"), .href(SiteURL.auditLog.path), .text("Zurücksetzen")))
            ),
            table(entries),
            .nav(.class("pager"), .attribute(named: "aria-label", value: "Seiten"),
                 .if(page > 1, .a(.href(link(page - 1)), .text("← Neuere"))),
                 .if(hasMore, .a(.href(link(page + 1)), .text("Ältere →"))))
        )
    }

    /// "Wer hat diese Akte gesehen": every read and change of one case, printable (R31).
    public static func caseAccess(context: PageContext, fileNumber: String, caseURL: SiteURL, entries: [AuditRecord], truncated: Bool) -> String {
        Layout.page(
            title: "Zugriffe \(fileNumber)", context: context, current: .cases,
            Layout.heading("Zugriffe auf die Akte \(fileNumber)"),
            .p(.class("lead"), .text("Wer diese Akte wann gesehen oder geändert hat, neueste zuerst. Abgewiesene Versuche stehen mit.")),
            .p(.class("no-print"), .a(.href(caseURL.path), .text("← Zum Fall"))),
            table(entries),
            .if(truncated, .p(.class("meta"), .text("Es werden die neuesten 1.000 Einträge gezeigt; ältere stehen im Protokoll."))),
            .button(.type(.button), .class("secondary no-print"), .attribute(named: "data-print", value: "true"), .text("Drucken")),
            .script(.src(SiteURL.printScript.path), .attribute(named: "defer", value: "defer"))
        )
    }
}

/// R32: a blocked file asks management for the reason before it opens (the reason is audited).
public enum BlockedFilePage {
    /// - Parameter typed: the reason as typed, kept in the field when it was too short.
    public static func render(context: PageContext, path: String, message: String, reasonGiven: Bool, typed: String? = nil) -> String {
        let state = FormState(values: typed.map { ["grund": $0] } ?? [:], errors: reasonGiven ? [FieldError("grund", message)] : [])
        return Layout.page(
            title: "Gesperrte Akte", context: context, current: .cases,
            Layout.heading("Gesperrte Akte"),
            .p(.class("lead"), .text(reasonGiven ? "Diese Akte ist gesperrt (§ 84 SGB X)." : message)),
            .form(
                .method(.get), .action(path), .class("card"),
                Forms.errorSummary(state),
                Forms.text("grund", "Grund für das Öffnen", state, .init(hint: "z. B. Anfrage des Jugendamts vom … (wird protokolliert)", required: true)),
                .div(.class("actions"), .button(.type(.submit), .class("button primary"), .text("Akte öffnen")),
                     .a(.class("button secondary"), .href(SiteURL.cases.path), .text("Zurück zu den Fällen")))
            )
        )
    }
}
