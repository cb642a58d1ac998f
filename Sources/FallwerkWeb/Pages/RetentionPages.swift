import FallwerkDomain
import FallwerkStore
import Plot

/// The words of a retention report, for the command line and the page (R32).
public enum RetentionText {
    public static func lines(_ report: RetentionReport, dryRun: Bool) -> [String] {
        func list(_ files: [String]) -> String { files.isEmpty ? "" : ": " + files.joined(separator: ", ") }
        var lines = [dryRun ? "Probelauf – nichts wurde geändert." : "Aufbewahrung angewandt."]
        lines.append("\(dryRun ? "Zu sperren" : "Gesperrt"): \(report.blocked.count) Akte(n)\(list(report.blocked))")
        lines.append("\(dryRun ? "Zu löschen" : "Gelöscht") (Inhalt der Akte): \(report.erased.count) Akte(n)\(list(report.erased))")
        lines.append("\(dryRun ? "Zu entfernen" : "Entfernt") (mit Abrechnungsdaten): \(report.purged.count) Akte(n)\(list(report.purged))")
        lines.append("Rechnungen \(dryRun ? "zu löschen" : "gelöscht"): \(report.invoicesDeleted)")
        if !report.withoutBirthDate.isEmpty {
            lines.append("Ohne Geburtsdatum (Löschtag unbekannt, bitte nachtragen): \(report.withoutBirthDate.joined(separator: ", "))")
        }
        return lines
    }
}

/// Management's retention page: what a run would do today, and the button that does it (R32).
public enum RetentionPage {
    public static func render(context: PageContext, csrf: String, preview: RetentionReport, done: RetentionReport?) -> String {
        Layout.page(
            title: "Aufbewahrung", context: context, current: .auditLog,
            Layout.heading("Aufbewahrung und Löschung"),
            .p(.class("lead"), .text("Nach den Einstellungen der Vereinbarungen: Akten werden nach dem Ende gesperrt (§ 84 SGB X), ihr Inhalt wird gelöscht, "
                                     + "wenn der junge Mensch das Löschalter erreicht; Rechnungen bleiben bis zum Ende ihrer Aufbewahrungsfrist (§ 147 AO).")),
            .if(done != nil, .section(.class("card notice"), .h2(.text("Ergebnis")),
                                      .ul(.forEach(done.map { RetentionText.lines($0, dryRun: false) } ?? []) { .li(.text($0)) }))),
            .section(.class("card"), .h2(.text("Heute fällig")),
                     .ul(.forEach(RetentionText.lines(preview, dryRun: true).dropFirst()) { .li(.text($0)) }),
                     .if(!preview.isEmpty, .form(
                        .method(.post), .action(SiteURL.retention.path),
                        Forms.csrf(csrf),
                        .p(.text("Das Löschen kann nicht rückgängig gemacht werden. Jeder Lauf wird protokolliert.")),
                        .button(.type(.submit), .class("button primary"), .text("Jetzt anwenden")))))
        )
    }
}
