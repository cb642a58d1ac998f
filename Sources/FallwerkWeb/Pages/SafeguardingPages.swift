import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// §47 incidents (R22) and complaints (R23): the forms anyone who works on cases uses, management's
/// pages for one incident or complaint with its steps, and the settings.
public enum SafeguardingPages {
    /// "Melden": an incident and a complaint, each a form that opens on tap (phone first).
    public static func report(context: PageContext, settings: SafeguardingSettings, cases: [(value: String, label: String)],
                              incident: FormState, complaint: FormState) -> String {
        Layout.page(
            title: "Vorkommnis oder Beschwerde melden", context: context, current: .safeguardingReport,
            .h1(.text("Vorkommnis oder Beschwerde melden")),
            .p(.class("hint"), .text("Was hier eingetragen wird, sieht die Leitung sofort. Bei akuter Gefahr zuerst handeln und telefonisch melden.")),
            .element(named: "details", nodes: [
                .class("card"), .id("vorkommnis"),
                .if(incident.hasErrors, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Besonderes Vorkommnis (§ 47 SGB VIII)")]),
                .form(
                    .method(.post), .action(SiteURL.incidents.path),
                    Forms.csrf(context.csrfToken), Forms.errorSummary(incident),
                    Forms.text("occurredOn", "Tag", incident, .init(type: .date, required: true)),
                    Forms.text("occurredAt", "Uhrzeit", incident, .init(type: .time, required: true)),
                    Forms.select("category", "Art des Vorkommnisses", incident,
                                 options: IncidentCategory.allCases.map { (value: $0.rawValue, label: $0.german) }, required: true),
                    Forms.textArea("description", "Was ist geschehen?", incident, hint: "Sachlich: was, wo, wer hat was gesehen oder gesagt."),
                    Forms.textArea("personsInvolved", "Beteiligte Personen", incident),
                    Forms.select("caseId", "Fall (falls einer betroffen ist)", incident, options: cases, emptyLabel: "– kein Fall –"),
                    Forms.submit("Vorkommnis melden")
                ),
            ]),
            .element(named: "details", nodes: [
                .class("card"), .id("beschwerde"),
                .if(complaint.hasErrors, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Beschwerde")]),
                .div(.class("card notice-box"), .attribute(named: "role", value: "note"),
                     .h3(.text("Unabhängige Beschwerdestelle")),
                     .p(.text(settings.ombudsperson)),
                     .p(.class("hint"), .text("Bitte der Person, die sich beschwert, diese Stelle nennen."))),
                .form(
                    .method(.post), .action(SiteURL.complaints.path),
                    Forms.csrf(context.csrfToken), Forms.errorSummary(complaint),
                    Forms.text("receivedOn", "Eingegangen am", complaint, .init(type: .date, required: true)),
                    Forms.select("source", "Von wem?", complaint, options: ComplaintSource.allCases.map { (value: $0.rawValue, label: $0.german) },
                                 required: true),
                    Forms.select("channel", "Wie?", complaint, options: ComplaintChannel.allCases.map { (value: $0.rawValue, label: $0.german) },
                                 required: true),
                    Forms.select("category", "Worum geht es?", complaint,
                                 options: ComplaintCategory.allCases.map { (value: $0.rawValue, label: $0.german) }, required: true),
                    Forms.textArea("about", "Die Beschwerde", complaint, hint: "Möglichst mit den Worten der Person."),
                    Forms.select("caseId", "Fall (falls einer betroffen ist)", complaint, options: cases, emptyLabel: "– kein Fall –"),
                    ChildProtectionPages.checkbox("ombudspersonOffered", "Die unabhängige Beschwerdestelle wurde genannt", complaint),
                    .unwrap(complaint.error("ombudspersonOffered")) { .p(.class("field-error"), .text($0)) },
                    Forms.submit("Beschwerde erfassen")
                ),
            ])
        )
    }

    // MARK: Management

    static func steps(_ steps: [SafeguardingStep], name: (String) -> String) -> Node<HTML.BodyContext> {
        .ol(.class("timeline"), .forEach(steps) { step in
            .li(.class("card step"),
                .h3(.text("\(name(step.kind)) · \(step.date.german)")),
                .p(.class("meta"), .text("Eingetragen von \(step.recordedBy)")),
                .unwrap(step.recipient) { r in .p(.text("An: \(r)" + (step.way.map { " · Weg: \($0)" } ?? ""))) },
                .forEach(NotePages.paragraphs(step.note)) { .p(.text($0)) })
        })
    }

    static func stepForm(action: SiteURL, kinds: [(value: String, label: String)], recipients: [String]?, state: FormState,
                         csrf: String) -> Node<HTML.BodyContext> {
        .section(.class("card"), .id("schritt"),
                 .h2(.text("Nächster Schritt")),
                 .form(.method(.post), .action(action.path),
                       Forms.csrf(csrf), Forms.errorSummary(state),
                       Forms.select("kind", "Schritt", state, options: kinds, required: true),
                       Forms.text("date", "Datum", state, .init(type: .date, required: true)),
                       .unwrap(recipients) { list in
                           .group(Forms.text("recipient", "An wen (bei Meldungen)", state,
                                             .init(hint: list.isEmpty ? nil : "Meldestellen laut Einstellungen: " + list.joined(separator: "; "))),
                                  Forms.text("way", "Wie übermittelt (bei Meldungen)", state))
                       },
                       Forms.textArea("note", "Beschreibung", state),
                       Forms.submit("Schritt eintragen")))
    }

    public static func incident(context: PageContext, _ i: Incident, overdue: Bool, settings: SafeguardingSettings, state: FormState) -> String {
        Layout.page(
            title: "Vorkommnis vom \(i.occurred.day.german)", context: context, current: .childProtectionOverview,
            .p(.class("back"), .a(.href(SiteURL.childProtectionOverview.path), .text("← Kinderschutz, Vorkommnisse und Beschwerden"))),
            .h1(.text("Besonderes Vorkommnis vom \(i.occurred.german)")),
            .p(.class("meta"), .text("\(i.category.german) · gemeldet von \(i.recordedBy) · \(i.isClosed ? "abgeschlossen" : "offen")")),
            .if(overdue, .div(.class("card alert-card"), .attribute(named: "role", value: "alert"),
                              .p(.text("Noch keine externe Meldung, obwohl seit dem Vorkommnis mehr als \(settings.incidentReportHours) Stunden vergangen sind. "
                                       + "Bitte jetzt an Landesjugendamt, die zuständigen Jugendämter und den Verband melden.")))),
            .section(.class("card"), .h2(.text("Was ist geschehen?")), .forEach(NotePages.paragraphs(i.description)) { .p(.text($0)) },
                     .h3(.text("Beteiligte")), .forEach(NotePages.paragraphs(i.personsInvolved)) { .p(.text($0)) }),
            .h2(.text("Meldungen und Verlauf")),
            .if(i.steps.isEmpty, .p(.class("empty"), .text("Noch nichts eingetragen."))),
            steps(i.steps) { IncidentStepKind(rawValue: $0)?.german ?? $0 },
            .if(!i.isClosed, stepForm(action: .incidentSteps(UUID(uuidString: i.id)!),
                                      kinds: i.nextKinds.map { (value: $0.rawValue, label: $0.german) },
                                      recipients: settings.incidentRecipients, state: state, csrf: context.csrfToken))
        )
    }

    public static func complaint(context: PageContext, _ c: Complaint, overdue: Bool, settings: SafeguardingSettings, state: FormState) -> String {
        Layout.page(
            title: "Beschwerde vom \(c.receivedOn.german)", context: context, current: .childProtectionOverview,
            .p(.class("back"), .a(.href(SiteURL.childProtectionOverview.path), .text("← Kinderschutz, Vorkommnisse und Beschwerden"))),
            .h1(.text("Beschwerde vom \(c.receivedOn.german)")),
            .p(.class("meta"), .text("\(c.category.german) · von: \(c.source.german) · \(c.channel.german) · erfasst von \(c.recordedBy)")),
            .p(.class("meta"), .text("Unabhängige Beschwerdestelle genannt: \(c.ombudspersonOffered ? "ja" : "nein")")),
            .if(overdue, .div(.class("card alert-card"), .attribute(named: "role", value: "alert"),
                              .p(.text("Der Eingang ist noch nicht bestätigt (Frist: \(settings.complaintAcknowledgeDays) Tage).")))),
            .section(.class("card"), .h2(.text("Die Beschwerde")), .forEach(NotePages.paragraphs(c.about)) { .p(.text($0)) }),
            .h2(.text("Verlauf")),
            .if(c.steps.isEmpty, .p(.class("empty"), .text("Noch nichts eingetragen."))),
            steps(c.steps) { ComplaintStepKind(rawValue: $0)?.german ?? $0 },
            .if(!c.isResolved, stepForm(action: .complaintSteps(UUID(uuidString: c.id)!),
                                        kinds: c.nextKinds.map { (value: $0.rawValue, label: $0.german) },
                                        recipients: nil, state: state, csrf: context.csrfToken))
        )
    }

    /// Management's lists of incidents and complaints on the overview page, overdue ones marked.
    public static func lists(incidents: [Incident], complaints: [Complaint], now: DayTime, settings: SafeguardingSettings,
                             counts: ComplaintCounts, year: Int) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text("Besondere Vorkommnisse (§ 47)")),
            .if(incidents.isEmpty, .p(.class("empty"), .text("Kein Vorkommnis erfasst."))),
            .if(!incidents.isEmpty, .table(.class("list"),
                .thead(.tr(.th(.text("Vorkommnis")), .th(.text("Art")), .th(.text("Stand")))),
                .tbody(.forEach(incidents) { i in
                    .tr(.td(.a(.href(SiteURL.incident(UUID(uuidString: i.id)!).path), .text(i.occurred.german))),
                        .td(.text(i.category.german)),
                        .td(i.externalReportOverdue(now: now, settings: settings)
                            ? .strong(.class("field-error"), .text("externe Meldung überfällig"))
                            : .text(i.isClosed ? "abgeschlossen" : (i.steps.last.flatMap { IncidentStepKind(rawValue: $0.kind)?.german } ?? "gemeldet"))))
                }))),
            .h2(.text("Beschwerden")),
            .p(.class("meta"), .text("\(year): \(counts.total) Beschwerde(n), davon \(counts.resolved) erledigt"
                                     + (counts.total == 0 ? "" : " · " + ComplaintCategory.allCases.compactMap { c in
                                         counts.byCategory[c].map { "\(c.german): \($0)" } }.joined(separator: ", ")))),
            .if(complaints.isEmpty, .p(.class("empty"), .text("Keine Beschwerde erfasst."))),
            .if(!complaints.isEmpty, .table(.class("list"),
                .thead(.tr(.th(.text("Eingang")), .th(.text("Worum")), .th(.text("Von")), .th(.text("Stand")))),
                .tbody(.forEach(complaints) { c in
                    .tr(.td(.a(.href(SiteURL.complaint(UUID(uuidString: c.id)!).path), .text(c.receivedOn.german))),
                        .td(.text(c.category.german)), .td(.text(c.source.german)),
                        .td(c.acknowledgementOverdue(today: now.day, settings: settings)
                            ? .strong(.class("field-error"), .text("Eingangsbestätigung überfällig"))
                            : .text(c.steps.last.flatMap { ComplaintStepKind(rawValue: $0.kind)?.german } ?? "eingegangen")))
                })))
        )
    }

    public static func settings(context: PageContext, state: FormState) -> String {
        Layout.page(
            title: "Einstellungen Vorkommnisse und Beschwerden", context: context, current: .childProtectionOverview,
            .p(.class("back"), .a(.href(SiteURL.childProtectionOverview.path), .text("← Kinderschutz, Vorkommnisse und Beschwerden"))),
            .h1(.text("Meldewege und Beschwerdestelle")),
            .form(.method(.post), .action(SiteURL.safeguardingSettings.path),
                  Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                  Forms.textArea("incidentRecipients", "Externe Meldestellen für Vorkommnisse (eine je Zeile)", state,
                                 hint: "Außer den zuständigen Jugendämtern, z. B. Landesjugendamt und Spitzenverband."),
                  Forms.text("incidentReportHours", "Externe Meldung spätestens nach (Stunden)", state, .init(type: .number, required: true)),
                  Forms.text("complaintAcknowledgeDays", "Eingang einer Beschwerde bestätigen innerhalb von (Tagen)", state,
                             .init(type: .number, required: true)),
                  Forms.textArea("ombudsperson", "Unabhängige Beschwerdestelle mit Erreichbarkeit", state),
                  Forms.submit("Speichern"))
        )
    }

    public static func settingsValues(_ s: SafeguardingSettings) -> [String: String] {
        ["incidentRecipients": s.incidentRecipients.joined(separator: "\n"), "incidentReportHours": String(s.incidentReportHours),
         "complaintAcknowledgeDays": String(s.complaintAcknowledgeDays), "ombudsperson": s.ombudsperson]
    }
}
