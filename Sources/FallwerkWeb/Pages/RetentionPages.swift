import Foundation
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

/// R33: the readable print view of a subject access export; the JSON file is linked beside it.
public enum SubjectAccessPage {
    public static func render(context: PageContext, export: SubjectAccessExport, personID: UUID) -> String {
        let titles = Dictionary(uniqueKeysWithValues: SubjectAccessStore.caseTables.map { ($0.table, $0.title) }
            + SubjectAccessStore.childTables.map { ($0.table, $0.title) } + [("cases", "Fall"), ("accessLog", "Wer hat die Akte gesehen")])
        let order = ["cases"] + SubjectAccessStore.caseTables.map(\.table) + SubjectAccessStore.childTables.map(\.table) + ["accessLog"]
        guard case .object(let root) = export.value, case .array(let cases)? = root["cases"] else { return "" }
        return Layout.page(
            title: "Auskunft \(export.personName)", context: context, current: .cases,
            Layout.heading("Auskunft nach Art. 15 DSGVO: \(export.personName)"),
            .p(.class("lead"), .text("Alles, was Fallwerk über diese Person speichert: \(cases.count) Fall/Fälle, jeder Datensatz und wer die Akten wann gesehen hat.")),
            .p(.class("no-print"), .a(.class("button secondary"), .href(SiteURL.personExportJSON(personID).path), .text("Als JSON-Datei herunterladen"))),
            .forEach(cases) { item in
                guard case .object(let one) = item, case .object(let records)? = one["records"] else { return .empty }
                return .section(.class("card"),
                    .h2(.text("Fall \(one["caseId"]?.text ?? "")")),
                    .forEach(order.filter { if case .array(let rows)? = records[$0] { !rows.isEmpty } else { false } }) { table in
                        guard case .array(let rows)? = records[table] else { return .empty }
                        return .group(.h3(.text("\(titles[table] ?? table) (\(rows.count))")),
                                      .forEach(rows) { row in
                                          guard case .object(let fields) = row else { return .empty }
                                          return .dl(.class("facts"), .forEach(fields.keys.sorted()) { key in
                                              .group(.dt(.text(key)), .dd(.text(String(fields[key]?.text.prefix(4_000) ?? ""))))
                                          })
                                      })
                    })
            },
            .button(.type(.button), .class("secondary no-print"), .attribute(named: "data-print", value: "true"), .text("Drucken")),
            .script(.src(SiteURL.printScript.path), .attribute(named: "defer", value: "defer"))
        )
    }
}
