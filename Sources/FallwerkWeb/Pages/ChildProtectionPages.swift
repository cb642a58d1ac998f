import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Child protection under §8a SGB VIII (R21): a case's procedures, one procedure as a time line with
/// the next step as a form, the Meldebogen, management's open procedures and the ISEF list.
public enum ChildProtectionPages {
    /// The ways a Meldebogen usually reaches the youth office.
    public static let reportWays = ["Fax", "E-Mail (verschlüsselt)", "Persönlich übergeben", "Post", "Telefonisch, schriftlich nachgereicht"]

    static func header(_ record: CaseRecord, title: String) -> Node<HTML.BodyContext> {
        .group(
            .p(.class("back"), .a(.href(SiteURL.caseWork(record.id).path), .text("← \(record.youngPerson.fullName) (\(record.fileNumber))"))),
            .h1(.text(title))
        )
    }

    // MARK: The case's procedures

    public static func caseList(context: PageContext, record: CaseRecord, procedures: [ChildProtectionProcedure], state: FormState) -> String {
        Layout.page(
            title: "Kinderschutz – \(record.youngPerson.fullName)", context: context, current: .cases,
            header(record, title: "Kinderschutz (§ 8a SGB VIII)"),
            .p(.class("hint"), .text("Anhaltspunkte für eine Gefährdung werden hier Schritt für Schritt dokumentiert: Fallberatung, "
                                     + "Gefährdungseinschätzung mit ISEF, Beteiligung, Schutzplan oder Meldung an das Jugendamt, Überprüfung, Abschluss. "
                                     + "Eingetragene Schritte werden nicht geändert; eine Korrektur ist ein neuer Schritt.")),
            .if(procedures.isEmpty, .p(.class("empty"), .text("Zu diesem Fall gibt es kein Kinderschutzverfahren."))),
            .forEach(procedures) { p in
                .article(
                    .class(p.reportDueSince == nil ? "card" : "card alert-card"),
                    .h2(.a(.href(SiteURL.childProtection(UUID(uuidString: p.id)!).path), .text("Verfahren vom \(p.noticedOn.german)"))),
                    .p(.class("meta"), .text(status(p))),
                    .unwrap(p.reportDueSince) { since in
                        .p(.class("field-error"), .text("Meldebogen an das Jugendamt fällig seit \(since.german)."))
                    }
                )
            },
            .element(named: "details", nodes: [
                .class("card"), .id("eroeffnen"),
                .if(state.hasErrors || procedures.isEmpty, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Neues Verfahren eröffnen")]),
                .form(
                    .method(.post), .action(SiteURL.caseChildProtection(record.id).path),
                    Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                    Forms.text("noticedOn", "Anhaltspunkte bemerkt am", state, .init(type: .date, required: true)),
                    Forms.textArea("indications", "Welche Anhaltspunkte wurden wahrgenommen?", state,
                                   hint: "Was gesehen oder gehört wurde, von wem, wann. Möglichst wörtlich, noch ohne Bewertung."),
                    Forms.submit("Verfahren eröffnen")
                ),
            ])
        )
    }

    static func status(_ p: ChildProtectionProcedure) -> String {
        var parts = [p.isClosed ? "abgeschlossen" : "läuft"]
        if let level = p.riskLevel { parts.append("Risiko: \(level.german)") }
        if let last = p.current.last { parts.append("zuletzt: \(last.kind.german) am \(last.date.german)") }
        return parts.joined(separator: " · ")
    }

    // MARK: One procedure

    public struct Model: Sendable {
        public let record: CaseRecord
        public let procedure: ChildProtectionProcedure
        /// Staff of the provider as (id, name), for the four eyes.
        public let staff: [(id: String, name: String)]
        public let experts: [IsefExpert]
        /// The kind of the form shown, and the step it corrects.
        public let kind: ChildProtectionStepKind?
        public let correcting: ChildProtectionStep?
        public let state: FormState
        public let today: Day

        public init(record: CaseRecord, procedure: ChildProtectionProcedure, staff: [(id: String, name: String)], experts: [IsefExpert],
                    kind: ChildProtectionStepKind?, correcting: ChildProtectionStep?, state: FormState, today: Day) {
            self.record = record
            self.procedure = procedure
            self.staff = staff
            self.experts = experts
            self.kind = kind
            self.correcting = correcting
            self.state = state
            self.today = today
        }
    }

    public static func procedure(context: PageContext, _ m: Model) -> String {
        let p = m.procedure
        let id = UUID(uuidString: p.id)!
        let names = Dictionary(uniqueKeysWithValues: m.staff.map { ($0.id.lowercased(), $0.name) })
        let correctedBy = Dictionary(p.steps.compactMap { step in step.corrects.map { ($0, step) } }, uniquingKeysWith: { first, _ in first })
        return Layout.page(
            title: "Kinderschutzverfahren – \(m.record.youngPerson.fullName)", context: context, current: .cases,
            .p(.class("back"), .a(.href(SiteURL.caseChildProtection(m.record.id).path), .text("← Kinderschutz: \(m.record.youngPerson.fullName) (\(m.record.fileNumber))"))),
            .h1(.text("Kinderschutzverfahren vom \(p.noticedOn.german)")),
            .p(.class("meta"), .text(status(p))),
            .unwrap(p.reportDueSince) { since in
                .div(.class("card alert-card"), .attribute(named: "role", value: "alert"),
                     .h2(.text("Meldebogen an das Jugendamt jetzt übermitteln")),
                     .p(.text("Die Gefährdungseinschätzung vom \(since.german) ergab gewichtige Anhaltspunkte. "
                              + "Der Meldebogen geht sofort an das Jugendamt; danach die Meldung hier eintragen.")),
                     .p(.a(.class("button"), .href(SiteURL.meldebogen(id).path), .text("Meldebogen ansehen und drucken")), .text(" "),
                        .a(.class("button secondary"), .href(SiteURL.meldebogenDocx(id).path), .text("Als Word-Datei (DOCX)"))))
            },
            .section(.class("card"),
                     .h2(.text("Wahrgenommene Anhaltspunkte")),
                     .p(.class("meta"), .text("Bemerkt am \(p.noticedOn.german), eingetragen von \(p.openedBy)")),
                     .forEach(NotePages.paragraphs(p.indications)) { .p(.text($0)) }),
            .h2(.text("Verlauf")),
            .if(p.steps.isEmpty, .p(.class("empty"), .text("Noch kein Schritt eingetragen. Der erste Schritt ist die interne Fallberatung."))),
            .ol(.class("timeline"), .forEach(p.steps) { step in
                let later = correctedBy[step.id]
                return .li(
                    .class(later == nil ? "card step" : "card step earlier-version"),
                    .id("schritt-" + step.id.lowercased()),
                    .h3(.text("\(step.kind.german) · \(step.date.german)")),
                    .p(.class("meta"), .text("Eingetragen von \(step.recordedBy)"
                                             + (step.corrects != nil ? " · Korrektur eines früheren Eintrags" : ""))),
                    .unwrap(later) { l in .p(.class("meta"), .text("Frühere Fassung, korrigiert durch den Eintrag vom \(l.date.german) (\(l.recordedBy)).")) },
                    details(step, names: names),
                    .forEach(NotePages.paragraphs(step.note)) { .p(.text($0)) },
                    .if(later == nil && !p.isClosed && step.kind != .closed,
                        .p(.a(.href(SiteURL.childProtection(id, step: step.kind.rawValue).path.replacingOccurrences(of: "#schritt", with: "")
                                    + "&korrigieren=" + step.id.lowercased() + "#schritt"),
                              .text("Korrigieren"))))
                )
            }),
            .p(.a(.href(SiteURL.meldebogen(id).path), .text("Meldebogen (Druckansicht)")), .text(" · "),
               .a(.href(SiteURL.meldebogenDocx(id).path), .text("Meldebogen als Word-Datei (DOCX)"))),
            .if(!p.isClosed, nextStep(context: context, m))
        )
    }

    static func details(_ step: ChildProtectionStep, names: [String: String]) -> Node<HTML.BodyContext> {
        switch step.details {
        case .consultation(let participants):
            return .p(.text("Beteiligt: \(participants)"))
        case .riskAssessment(let professionals, let isef, let needs, let level):
            return .group(
                .p(.text("Einschätzende Fachkräfte: " + professionals.map { names[$0.lowercased()] ?? "unbekannt" }.joined(separator: ", "))),
                .p(.text("ISEF: \(isef.label)")),
                .table(.class("grid"),
                       .thead(.tr(.th(.text("Grundbedürfnis")), .th(.text("Einschätzung")))),
                       .tbody(.forEach(BasicNeed.allCases) { need in
                           .tr(.td(.text(need.german)), .td(.text(needs[need]?.german ?? "–")))
                       })),
                .p(.strong(.text("Gesamteinschätzung: \(level.german)")))
            )
        case .guardiansInvolved(let guardians, let child, let reason):
            return .group(
                .p(.text("Sorgeberechtigte beteiligt: \(guardians ? "ja" : "nein") · Kind beteiligt: \(child ? "ja" : "nein")")),
                .unwrap(reason) { .p(.text("Grund: \($0)")) })
        case .protectionPlan(let measures, let how, let checks):
            return .group(
                .ul(.forEach(measures) { m in
                    .li(.text("\(m.what) – \(m.who)" + (m.byWhen.map { " (bis \($0.german))" } ?? "")))
                }),
                .p(.text("Überprüfung: \(how)")),
                .p(.text("Überprüfungstermine: " + checks.map(\.german).joined(separator: ", "))))
        case .reportToYouthOffice(let recipient, let way):
            return .p(.text("Gemeldet an: \(recipient) · Weg: \(way)"))
        case .followUp:
            return .group()
        case .closed(let outcome):
            return .p(.strong(.text("Ergebnis: \(outcome)")))
        }
    }

    static func nextStep(context: PageContext, _ m: Model) -> Node<HTML.BodyContext> {
        let p = m.procedure
        let id = UUID(uuidString: p.id)!
        let kind = m.correcting?.kind ?? m.kind ?? p.nextKinds.first
        let state = m.state
        return .section(
            .class("card"), .id("schritt"),
            .h2(.text(m.correcting == nil ? "Nächster Schritt" : "Schritt korrigieren")),
            .if(m.correcting == nil, .nav(.class("step-choice"), .attribute(named: "aria-label", value: "Schritt wählen"),
                .ul(.forEach(p.nextKinds) { next in
                    .li(.a(.class(next == kind ? "button" : "button secondary"), .href(SiteURL.childProtection(id, step: next.rawValue).path),
                           .if(next == kind, .attribute(named: "aria-current", value: "step")), .text(next.german)))
                }))),
            .unwrap(kind) { kind in
                .form(
                    .method(.post), .action(SiteURL.childProtectionSteps(id).path),
                    Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                    .input(.type(.hidden), .name("kind"), .value(kind.rawValue)),
                    .unwrap(m.correcting) { old in
                        .group(.input(.type(.hidden), .name("corrects"), .value(old.id.lowercased())),
                               .p(.class("hint"), .text("Die Korrektur wird ein neuer Eintrag; der bisherige vom \(old.date.german) bleibt lesbar.")))
                    },
                    .h3(.id("f-kind"), .text(kind.german)),
                    Forms.text("date", "Datum", state, .init(type: .date, required: true)),
                    fields(kind, m),
                    Forms.submit(m.correcting == nil ? "Schritt eintragen" : "Korrektur eintragen")
                )
            }
        )
    }

    static func fields<C: HTML.BodyContext>(_ kind: ChildProtectionStepKind, _ m: Model) -> Node<C> {
        let state = m.state
        switch kind {
        case .consultation:
            return .group(
                Forms.text("participants", "Wer hat beraten?", state, .init(required: true)),
                Forms.textArea("note", "Ergebnis der Fallberatung", state, hint: "Pflichtangabe: was wurde besprochen und vereinbart?"))
        case .riskAssessment:
            let staff = m.staff.map { (value: $0.id.lowercased(), label: $0.name) }
            return .group(
                .p(.class("hint"), .text("Vier-Augen-Prinzip: mindestens zwei Fachkräfte des Trägers schätzen ein, eine insoweit erfahrene Fachkraft berät.")),
                Forms.select("professional1", "Erste einschätzende Fachkraft", state, options: staff, required: true),
                Forms.select("professional2", "Zweite einschätzende Fachkraft", state, options: staff, required: true),
                Forms.select("professional3", "Weitere Fachkraft (freiwillig)", state, options: staff),
                Forms.select("isef", "Insoweit erfahrene Fachkraft (ISEF)", state,
                             options: m.experts.map { (value: $0.id.lowercased(), label: $0.label) }, required: true,
                             hint: m.experts.isEmpty ? "Die Liste der ISEF ist leer; die Leitung trägt sie unter „Kinderschutz“ ein." : nil),
                .forEach(BasicNeed.allCases) { need in needFieldset(need, state) },
                Forms.select("riskLevel", "Gesamteinschätzung des Risikos", state,
                             options: RiskLevel.allCases.map { (value: $0.rawValue, label: $0.german) }, required: true,
                             hint: "Hoch oder akut: Der Meldebogen geht sofort an das Jugendamt."),
                Forms.textArea("note", "Begründung (freiwillig)", state))
        case .guardiansInvolved:
            return .group(
                checkbox("guardiansInvolved", "Sorgeberechtigte wurden beteiligt", state),
                checkbox("childInvolved", "Das Kind / der junge Mensch wurde beteiligt", state),
                Forms.textArea("reasonNotInvolved", "Wenn nicht: warum nicht?", state,
                               hint: "Zum Beispiel, weil die Beteiligung den wirksamen Schutz des Kindes in Frage stellen würde."),
                Forms.textArea("note", "Wie verlief die Beteiligung?", state))
        case .protectionPlan:
            return .group(
                .forEach(0..<3) { index in
                    .element(named: "fieldset", nodes: [
                        .class("field measure"),
                        .element(named: "legend", nodes: [.text("Maßnahme \(index + 1)" + (index == 0 ? "" : " (freiwillig)"))]),
                        Forms.text("measures[\(index)].what", "Was wird getan?", state),
                        Forms.text("measures[\(index)].who", "Wer übernimmt es?", state),
                        Forms.text("measures[\(index)].byWhen", "Bis wann?", state, .init(type: .date)),
                    ])
                },
                Forms.textArea("howChecked", "Wie wird die Umsetzung überprüft?", state),
                Forms.text("checkDates[0]", "Überprüfungstermin", state, .init(type: .date, required: true)),
                Forms.text("checkDates[1]", "Weiterer Überprüfungstermin (freiwillig)", state, .init(type: .date)),
                Forms.textArea("note", "Anmerkung (freiwillig)", state))
        case .reportToYouthOffice:
            return .group(
                Forms.text("recipient", "An wen im Jugendamt?", state, .init(required: true)),
                Forms.select("way", "Wie übermittelt?", state, options: reportWays.map { (value: $0, label: $0) }, required: true),
                Forms.textArea("note", "Was wurde gemeldet, was wurde vereinbart?", state))
        case .followUp:
            return Forms.textArea("note", "Ergebnis der Überprüfung", state, hint: "Pflichtangabe: Wurden die Maßnahmen umgesetzt? Ist das Kind geschützt?")
        case .closed:
            return .group(
                Forms.text("outcome", "Ergebnis des Verfahrens", state, .init(required: true)),
                Forms.textArea("note", "Begründung", state))
        }
    }

    static func needFieldset<C: HTML.BodyContext>(_ need: BasicNeed, _ state: FormState) -> Node<C> {
        let name = "needs.\(need.rawValue)"
        let error = state.error(name)
        return .element(named: "fieldset", nodes: [
            .class(error == nil ? "field need" : "field need has-error"),
            .id(Forms.fieldID(name, scope: state.idScope)),
            .element(named: "legend", nodes: [.text(need.german)]),
            .unwrap(error) { .p(.class("field-error"), .text($0)) },
            .forEach(NeedRating.allCases) { rating in
                .label(.class("check"),
                       .input(.type(.radio), .name(name), .value(rating.rawValue),
                              .attribute(named: "checked", value: state[name] == rating.rawValue ? "checked" : nil)),
                       .text(" " + rating.german))
            },
        ])
    }

    static func checkbox<C: HTML.BodyContext>(_ name: String, _ label: String, _ state: FormState) -> Node<C> {
        .div(.class("field"),
             .label(.class("check"),
                    .input(.type(.checkbox), .name(name), .value("ja"), .attribute(named: "checked", value: state[name] == "ja" ? "checked" : nil)),
                    .text(" " + label)))
    }

    // MARK: Meldebogen

    public static func meldebogen(context: PageContext, record: CaseRecord, procedureID: UUID, preamble: [String], sections: [DocxSection]) -> String {
        Layout.page(
            title: "Meldebogen – \(record.fileNumber)", context: context, current: .cases,
            .article(
                .class("report-print"),
                .p(.class("no-print"), .a(.href(SiteURL.childProtection(procedureID).path), .text("← zurück zum Verfahren")),
                   .text(" · Zum Drucken die Druckfunktion des Browsers verwenden. "),
                   .a(.href(SiteURL.meldebogenDocx(procedureID).path), .text("Als Word-Datei (DOCX) bearbeiten"))),
                .h1(.text(Meldebogen.title)),
                .forEach(preamble) { .p(.class("preamble"), .text($0)) },
                .forEach(sections) { section in
                    .section(.h2(.text(section.heading)), .forEach(section.paragraphs) { .p(.text($0)) })
                }
            )
        )
    }

    // MARK: Management

    public static func overview(context: PageContext, procedures: [OpenProcedureSummary], more: Node<HTML.BodyContext> = .group()) -> String {
        Layout.page(
            title: "Kinderschutz", context: context, current: .childProtectionOverview,
            Layout.heading("Offene Kinderschutzverfahren", action: ("ISEF-Liste", .isefExperts)),
            .p(.a(.href(SiteURL.safeguardingReport.path), .text("Vorkommnis oder Beschwerde erfassen")), .text(" · "),
               .a(.href(SiteURL.safeguardingSettings.path), .text("Meldewege und Beschwerdestelle"))),
            .p(.class("hint"), .text("Jedes offene Verfahren nach § 8a SGB VIII, das am längsten ruhende zuerst.")),
            .if(procedures.isEmpty, .p(.class("empty"), .text("Zurzeit ist kein Kinderschutzverfahren offen."))),
            .if(!procedures.isEmpty, .table(
                .class("list"),
                .thead(.tr(.th(.text("Aktenzeichen")), .th(.text("Team")), .th(.text("Fallführung")), .th(.text("Bemerkt am")),
                           .th(.text("Letzter Schritt")), .th(.text("Risiko")), .th(.text("Meldebogen")))),
                .tbody(.forEach(procedures) { p in
                    .tr(.td(.a(.href(SiteURL.childProtection(p.id).path), .text(p.fileNumber))),
                        .td(.text(p.teamName)), .td(.text(p.leadName ?? "–")), .td(.text(p.noticedOn.german)),
                        .td(.text((p.lastStep?.german ?? "eröffnet") + ", \(p.lastActivity.german)")),
                        .td(.text(p.riskLevel?.german ?? "noch nicht eingeschätzt")),
                        .td(.unwrap(p.reportDueSince, { .strong(.class("field-error"), .text("fällig seit \($0.german)")) },
                                    else: .text("–"))))
                })
            )),
            more
        )
    }

    public static func experts(context: PageContext, experts: [IsefExpert], staff: [(id: String, name: String)], state: FormState) -> String {
        Layout.page(
            title: "ISEF-Liste", context: context, current: .childProtectionOverview,
            .p(.class("back"), .a(.href(SiteURL.childProtectionOverview.path), .text("← Offene Kinderschutzverfahren"))),
            .h1(.text("Insoweit erfahrene Fachkräfte (ISEF)")),
            .p(.class("hint"), .text("Bei jeder Gefährdungseinschätzung wird eine ISEF aus dieser Liste hinzugezogen: extern oder eine dafür ausgebildete Fachkraft des Trägers.")),
            .if(experts.isEmpty, .p(.class("empty"), .text("Noch keine ISEF eingetragen."))),
            .ul(.forEach(experts) { e in .li(.text(e.label + (e.contact.map { " · \($0)" } ?? "") + (e.staffID != nil ? " · Fachkraft des Trägers" : ""))) }),
            .section(.class("card"),
                     .h2(.text("ISEF eintragen")),
                     .form(.method(.post), .action(SiteURL.isefExperts.path),
                           Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                           Forms.select("staffId", "Fachkraft des Trägers mit ISEF-Ausbildung", state,
                                        options: staff.map { (value: $0.id.lowercased(), label: $0.name) }, emptyLabel: "– externe ISEF –"),
                           Forms.text("name", "Name (bei externer ISEF)", state),
                           Forms.text("organisation", "Organisation", state),
                           Forms.text("contact", "Erreichbarkeit", state),
                           Forms.submit("Eintragen")))
        )
    }

}
