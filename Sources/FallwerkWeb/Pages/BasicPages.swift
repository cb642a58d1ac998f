import FallwerkDomain
import Foundation
import Plot

public enum LoginPage {
    /// Hidden fields that carry a form sent while signed out through the login (`_keep.NAME`).
    public static let keepPrefix = "_keep."

    public static func render(context: PageContext, username: String, message: String?,
                              action: String = SiteURL.login.path, keep: [(String, String)] = []) -> String {
        Layout.page(
            title: "Anmelden", context: context,
            .div(
                .class("narrow card"),
                .h1(.text("Anmelden")),
                .unwrap(message) { .p(.class("error-summary"), .attribute(named: "role", value: "alert"), .text($0)) },
                .if(!keep.isEmpty, .p(.class("notice warning"),
                    .text("Sie waren nicht mehr angemeldet. Ihre Eingaben sind nicht verloren: Melden Sie sich an, dann können Sie sie absenden."))),
                .form(
                    .method(.post), .action(action),
                    Forms.csrf(context.csrfToken),
                    .forEach(keep) { name, value in .input(.type(.hidden), .name(keepPrefix + name), .value(value)) },
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

/// Gives back the values of a form that could not be accepted as sent (stale CSRF token, signed
/// out meanwhile): shown to check, sent again with one button. Nothing typed is lost (#11).
public enum ResubmitPage {
    public static func render(context: PageContext, reason: String, action: String, fields: [(String, String)]) -> String {
        let visible = fields.compactMap(FieldLabels.shown)
        return Layout.page(
            title: "Eingaben noch einmal senden", context: context,
            .div(
                .class("card"),
                .h1(.text("Eingaben noch einmal senden")),
                .p(.class("notice warning"), .attribute(named: "role", value: "alert"), .text(reason)),
                .form(
                    .method(.post), .action(action),
                    Forms.csrf(context.csrfToken),
                    .forEach(fields) { name, value in .input(.type(.hidden), .name(name), .value(value)) },
                    .if(!visible.isEmpty, .element(named: "dl", nodes: [.class("resubmit"), .forEach(visible) { name, value in
                        .group(.element(named: "dt", nodes: [.text(name)]), .element(named: "dd", nodes: [.class("pre"), .text(value)]))
                    }])),
                    .div(.class("actions"),
                         .button(.type(.submit), .class("button primary"), .text("Noch einmal senden")),
                         .a(.class("button secondary"), .href(SiteURL.home.path), .text("Verwerfen")))
                )
            )
        )
    }
}

/// German names for the fields of the pages' forms, for pages that show typed values outside their
/// form (the resubmit page). Keys are a field's last part: `guardians[0].firstName` → `firstName`.
public enum FieldLabels {
    static let labels: [String: String] = [
        "achievable": "Erreichbar", "appliesOn": "Gilt ab", "assessment": "Einschätzung", "bankName": "Bank", "bic": "BIC",
        "birthDate": "Geburtsdatum", "cancelledAt": "Absage erhalten am", "cancelledBy": "Abgesagt von", "city": "Ort",
        "confirmedOn": "Bestätigt am", "date": "Datum", "description": "Beschreibung", "discussedWithFamilyOn": "Mit der Familie besprochen am",
        "displayName": "Anzeigename", "email": "E-Mail", "end": "Ende", "fileNumber": "Aktenzeichen", "firstName": "Vorname",
        "firstReviewMonths": "Erste Überprüfung (Monate)", "from": "Von", "homeVisit": "Hausbesuch", "hours": "Stunden", "iban": "IBAN",
        "inductionCompleted": "Einarbeitung abgeschlossen am", "kilometres": "Kilometer", "kind": "Art", "lastName": "Nachname",
        "productivePercent": "Produktiver Anteil", "requestAlertDays": "Hinweis auf offene Anfragen", "contact": "Ansprechperson",
        "urgency": "Dringlichkeit", "initials": "Initialen", "exceptionReason": "Grund der Ausnahme", "since": "Seit",
        "guardianContact": "Kontakt mit den Sorgeberechtigten", "module": "Modul",
        "legalBasis": "Rechtsgrundlage", "leitwegId": "Leitweg-ID", "location": "Standort", "measurable": "Messbar",
        "minutes": "Dauer (Minuten)", "name": "Name", "nextReviewMovedTo": "Nächste Fortschreibung", "note": "Notiz",
        "observation": "Beobachtung", "outcome": "Ergebnis", "participants": "Beteiligte", "per": "je", "periodFrom": "Zeitraum von",
        "periodTo": "Zeitraum bis", "phone": "Telefon", "postalCode": "Postleitzahl", "qualification": "Qualifikation",
        "ratedOn": "Bewertet am", "reason": "Grund", "receivedOn": "Eingegangen am", "reference": "Zeichen des Bescheids",
        "relation": "Beziehung", "relevant": "Bedeutsam", "reportMissingReason": "Grund für den fehlenden Bericht",
        "requiredQualification": "Erforderliche Qualifikation", "scheduledOn": "Termin bekannt seit", "sentOn": "Versandt am",
        "signedBy": "Unterschrieben von", "signature": "Unterschrift", "specific": "Spezifisch", "start": "Beginn",
        "startDate": "Beginn der Hilfe", "state": "Stand", "status": "Stand", "street": "Straße und Hausnummer",
        "taxNumber": "Steuernummer", "text": "Text", "time": "Uhrzeit", "timeBound": "Bis wann", "title": "Titel", "to": "Bis",
        "username": "Benutzername", "validFrom": "Gültig ab", "validTo": "Gültig bis", "value": "Bewertung",
        "weeklyHours": "Wochenstunden", "youngPersonView": "Sicht des jungen Menschen",
        "youthOfficeCaseworker": "Fachkraft des Jugendamts", "youthOfficeCaseworkerPhone": "Telefon des Jugendamts",
    ]

    /// The German label of a field name, or nil for one that is not typed text (ids, choices, switches).
    public static func label(_ name: String) -> String? {
        if name.hasPrefix("sections."), let key = ReportSectionKey(rawValue: String(name.dropFirst("sections.".count))) {
            return key.heading
        }
        let last = name.split(separator: ".").last.map(String.init) ?? name
        return labels[last]
    }

    /// A typed value as the resubmit page lists it: German label, German date, no ids or drawings.
    public static func shown(_ field: (String, String)) -> (String, String)? {
        let (name, value) = field
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty, let label = label(name), UUID(uuidString: value) == nil else { return nil }
        if value.hasPrefix("data:image/") { return (label, "(gezeichnet)") }
        if value.count == 10, let day = Day(iso: value) { return (label, day.german) }
        if value == "true" { return (label, "ja") }
        return (label, value)
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
                              due: Node<HTML.BodyContext>? = nil, myCases: Node<HTML.BodyContext>? = nil,
                              safeguarding: (incidents: Int, complaints: Int)? = nil, staffing: Node<HTML.BodyContext>? = nil) -> String {
        let name = staffName ?? context.user?.displayName ?? ""
        return Layout.page(
            title: "Start", context: context, current: .home,
            .h1(.text("Guten Tag, \(name)")),
            .p(.class("lead"), .text("Angemeldet als \(context.user?.roles.sorted().map(\.german).joined(separator: ", ") ?? "")")),
            .unwrap(setupHint) { .p(.class("notice warning"), .text($0)) },
            // R22, R23: management's alert for overdue external reports and acknowledgements.
            .unwrap(safeguarding.flatMap { $0.incidents + $0.complaints > 0 ? $0 : nil }) { overdue in
                .div(.class("card alert-card"), .attribute(named: "role", value: "alert"),
                     .p(.text([overdue.incidents > 0 ? "\(overdue.incidents) besondere(s) Vorkommnis(se) ohne fristgerechte externe Meldung" : nil,
                               overdue.complaints > 0 ? "\(overdue.complaints) Beschwerde(n) ohne Eingangsbestätigung" : nil]
                        .compactMap { $0 }.joined(separator: " · ") + ".")),
                     .p(.a(.href(SiteURL.childProtectionOverview.path), .text("Zu Kinderschutz, Vorkommnissen und Beschwerden"))))
            },
            .unwrap(staffing) { $0 },
            .unwrap(due) { $0 },
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
