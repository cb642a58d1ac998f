import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Statistics (R29), the performance report (R30) and the DATEV settings. Charts are tables with a
/// bar per row drawn as SVG (the numbers stay text; no JavaScript, no inline style).
public enum StatisticsPages {
    public typealias Option = (value: String, label: String)

    /// A decorative bar of `percent` (0–100) of the cell's width.
    static func bar(_ percent: Int) -> Node<HTML.BodyContext> {
        .raw("<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">"
             + "<rect width=\"\(max(0, min(100, percent)))\" height=\"10\"/></svg>")
    }

    /// A chart: label, value, bar; the largest value fills the bar.
    static func chart(_ caption: String, unit: String, _ items: [(label: String, value: Int, text: String)]) -> Node<HTML.BodyContext> {
        let largest = items.map(\.value).max() ?? 0
        return .div(.class("table-wrap chart"), .table(
            .caption(.text(caption)),
            .thead(.tr(.th(.attribute(named: "scope", value: "col"), .text("")), .th(.attribute(named: "scope", value: "col"), .text(unit)),
                       .th(.attribute(named: "scope", value: "col"), .text("")))),
            .tbody(.forEach(items) { item in
                .tr(.th(.attribute(named: "scope", value: "row"), .text(item.label)), .td(.class("number"), .text(item.text)),
                    .td(.class("bar-cell"), bar(Bars.percent(item.value, of: largest))))
            })))
    }

    static func hours(_ minutes: Int) -> String { Minutes(minutes).germanHours }

    public static func statistics(context: PageContext, stats: CaseStatistics, full: Bool, filter: FormState, offices: [Option], offers: [Option],
                                  teams: [Option], csvURL: String, canReport: Bool) -> String {
        let t = stats.total
        let groups: (String, [GroupFigures]) -> Node<HTML.BodyContext> = { title, list in
            .section(.h2(.text(title)), Layout.table(
                columns: ["", "Fälle", "begonnen", "beendet", "bewilligt (Std.)", "geleistet (Std.)", "abgerechnet"],
                rows: list.map { g in
                    [.text(g.name), .text(String(g.cases)), .text(String(g.begun)), .text(String(g.ended)), .text(hours(g.approvedMinutes)),
                     .text(hours(g.deliveredMinutes)), .text(g.billed.german)]
                },
                empty: "Keine Fälle in diesem Zeitraum."))
        }
        return Layout.page(
            title: "Statistik", context: context, current: .statistics(nil),
            .h1(.text("Statistik \(stats.period.from.german) – \(stats.period.to.german)")),
            Forms.errorSummary(filter),
            .form(.method(.get), .action(SiteURL.statistics(nil).path), .class("filters no-print"),
                  Forms.text("from", "Von", filter, .init(type: .date, required: true)),
                  Forms.text("to", "Bis", filter, .init(type: .date, required: true)),
                  Forms.select("youthOfficeId", "Jugendamt", filter, options: offices, emptyLabel: "alle"),
                  Forms.select("offerId", "Angebot", filter, options: offers, emptyLabel: "alle"),
                  .if(!teams.isEmpty, Forms.select("teamId", "Team", filter, options: teams, emptyLabel: teams.count > 1 ? "alle" : nil)),
                  .button(.type(.submit), .text("Anzeigen"))),
            .p(.class("no-print"), .a(.class("button"), .href(csvURL), .text("Als CSV herunterladen")),
               .if(canReport, .group(.text(" "), .a(.class("button"), .href(SiteURL.performanceReports.path), .text("Leistungsberichte"))))),
            .p(.class("hint"), .text("Begonnen, laufend und beendet beziehen sich auf den Zeitraum: laufend zu Beginn + begonnen − beendet = laufend am Ende. "
                                     + "Eine Hilfe, die am letzten Tag endet, zählt als beendet. Es werden keine Namen gezeigt.")),
            .dl(.class("facts kpis"),
                .dt("Laufend zu Beginn"), .dd(.text(String(t.runningAtStart))),
                .dt("Begonnen"), .dd(.text(String(t.begun))),
                .dt("Beendet"), .dd(.text(String(t.ended))),
                .dt("Laufend am Ende"), .dd(.text(String(t.runningAtEnd))),
                .dt("Bewilligt"), .dd(.text("\(hours(t.approvedMinutes)) Std.")),
                .dt("Geleistet (Kontingent)"), .dd(.text("\(hours(t.deliveredMinutes)) Std.")),
                .dt("Abgerechnet"), .dd(.text(t.billed.german))),
            .if(full, .group(
                chart("Beendigungsgründe", unit: "Hilfen", EndReason.allCases.map { ($0.german, stats.endReasons[$0] ?? 0, String(stats.endReasons[$0] ?? 0)) }),
                .unwrap(stats.length) { length in
                    .group(
                        .p(.text("Dauer der beendeten Hilfen: Median \(HelpLength.german(tenths: length.medianTenths)) Tage, "
                                 + "Mittelwert \(HelpLength.german(tenths: length.meanTenths)) Tage (\(length.count) Hilfen).")),
                        chart("Dauer der beendeten Hilfen", unit: "Hilfen",
                              zip(HelpLength.buckets, length.distribution).map { ($0.0.label, $0.1, String($0.1)) }))
                })),
            chart("Stunden nach Art der Leistung", unit: "Stunden",
                  CaseStatistics.kindOrder.compactMap { kind in
                      let minutes = stats.minutesByKind[kind] ?? 0
                      return minutes > 0 ? (kind.german, minutes, hours(minutes)) : nil
                  }),
            .p(.text("Termine: \(stats.appointments), davon kurzfristig abgesagt: \(stats.shortNoticeCancellations)"
                     + (stats.shortNoticeShareTenths.map { " (\(HelpLength.german(tenths: $0)) %)" } ?? "") + ".")),
            groups("Nach Jugendamt", stats.byYouthOffice),
            groups("Nach Angebot", stats.byOffer),
            .if(full, .group(
                chart("Zielerreichung (letzte Bewertung im Zeitraum)", unit: "Ziele",
                      GoalAttainment.allCases.map { ($0.german, stats.goalAttainment[$0] ?? 0, String(stats.goalAttainment[$0] ?? 0)) }),
                .section(.h2(.text("Beschwerden, Kinderschutz, Vorkommnisse")),
                         .p(.text("Beschwerden: \(stats.complaints) · § 8a-Verfahren: \(stats.childProtectionProcedures) · "
                                  + "besondere Vorkommnisse (§ 47): \(stats.incidents) (nur Anzahlen)."))))),
            .button(.type(.button), .class("secondary no-print"), .attribute(named: "data-print", value: "true"), .text("Drucken")),
            .script(.src(SiteURL.printScript.path), .attribute(named: "defer", value: "defer"))
        )
    }

    // MARK: Performance report (R30)

    public static func reports(context: PageContext, reports: [PerformanceReport], state: FormState, teams: [Option]) -> String {
        Layout.page(
            title: "Leistungsberichte", context: context, current: .statistics(nil),
            .h1(.text("Leistungsberichte")),
            .p(.class("hint"), .text("Der Leistungsbericht fasst alle zwei Jahre die Zahlen zusammen; das Trägergespräch mit dem Jugendamt folgt spätestens 12 Wochen nach der Vorlage.")),
            Layout.table(columns: ["Zeitraum", "Team", "Stand", "Trägergespräch", ""], rows: reports.map { r in
                [.text("\(r.from.german) – \(r.to.german)"), .text(r.teamName ?? "alle Teams"), .text(r.status.german),
                 .text(r.meetingOn.map { "geführt am \($0.german)" } ?? r.meetingDue.map { "fällig bis \($0.german)" } ?? "–"),
                 .a(.href(SiteURL.performanceReport(UUID(uuidString: r.id)!).path), .text("öffnen"))]
            }, empty: "Noch kein Leistungsbericht."),
            .section(.class("card"), .id("neu"),
                     .h2(.text("Neuen Leistungsbericht anlegen")),
                     .form(.method(.post), .action(SiteURL.performanceReports.path), Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                           .div(.class("row"),
                                Forms.text("from", "Zeitraum von", state, .init(type: .date, required: true)),
                                Forms.text("to", "bis", state, .init(type: .date, required: true))),
                           .if(!teams.isEmpty, Forms.select("teamId", "Team", state, options: teams, emptyLabel: "alle Teams")),
                           Forms.submit("Entwurf mit den Zahlen anlegen")))
        )
    }

    public static func report(context: PageContext, _ r: PerformanceReport, canApprove: Bool, state: FormState, today: Day) -> String {
        let id = UUID(uuidString: r.id)!
        var order: [String] = []
        var grouped: [String: [StatisticsRow]] = [:]
        for row in r.figures {
            if grouped[row.section] == nil { order.append(row.section) }
            grouped[row.section, default: []].append(row)
        }
        return Layout.page(
            title: "Leistungsbericht", context: context, current: .statistics(nil),
            .p(.class("no-print"), .a(.href(SiteURL.performanceReports.path), .text("← Alle Leistungsberichte"))),
            .h1(.text("Leistungsbericht \(r.from.german) – \(r.to.german)")),
            .p(.class("lead"), .text([r.teamName.map { "Team \($0)" }, r.status.german, r.approvedOn.map { "freigegeben am \($0.german)" },
                                      r.submittedOn.map { "vorgelegt am \($0.german)" }].compactMap { $0 }.joined(separator: " · "))),
            .unwrap(r.meetingDeadline(today: today)) { deadline in
                .p(.class(deadline.status == .overdue ? "notice warning" : "notice"),
                   .text(deadline.doneOn.map { "Trägergespräch geführt am \($0.german)." } ?? "Trägergespräch fällig bis \(deadline.due.german).")) },
            Forms.errorSummary(state),
            .p(.class("no-print"), .a(.class("button"), .href(SiteURL.performanceReportDocx(id).path), .text("Als Word-Dokument (DOCX) herunterladen"))),
            .forEach(PerformanceReportSection.allCases) { section in
                .section(.class("card report-section"), .id(section.rawValue),
                         .h2(.text(section.heading)),
                         .if(r.editable,
                             .form(.method(.post), .action(SiteURL.performanceReportSection(id, section.rawValue).path), Forms.csrf(context.csrfToken),
                                   Forms.textArea("text", section.heading, FormState(values: ["text": state.values["section"] == section.rawValue
                                       ? state["text"] : (r.texts[section] ?? "")]).scoped(section.rawValue), hint: section.hint),
                                   Forms.submit("Abschnitt speichern")),
                             else: .forEach(PerformanceReport.paragraphs(r.texts[section] ?? "")) { .p(.text($0)) }))
            },
            .section(.class("card no-print"), .h2(.text("Nächster Schritt")),
                     .if(r.status == .draft, .group(
                        .form(.method(.post), .action(SiteURL.performanceReportStep(id, "zahlen").path), .class("inline"), Forms.csrf(context.csrfToken),
                              .button(.type(.submit), .class("secondary"), .text("Zahlen neu berechnen"))),
                        .if(canApprove, .form(.method(.post), .action(SiteURL.performanceReportStep(id, "freigeben").path), .class("inline"),
                                              Forms.csrf(context.csrfToken), .button(.type(.submit), .text("Freigeben")))),
                        .if(!canApprove, .p(.text("Die Leitung gibt den Bericht frei.")))
                     )),
                     .if(r.status == .approved,
                         .form(.method(.post), .action(SiteURL.performanceReportStep(id, "vorlegen").path), Forms.csrf(context.csrfToken),
                               Forms.text("date", "Dem Jugendamt vorgelegt am", FormState(values: ["date": state["date"].isEmpty ? today.iso : state["date"]]),
                                          .init(type: .date, required: true)),
                               Forms.submit("Vorlage eintragen"))),
                     .if(r.status == .submitted && r.meetingOn == nil,
                         .form(.method(.post), .action(SiteURL.performanceReportStep(id, "gespraech").path), Forms.csrf(context.csrfToken),
                               Forms.text("date", "Trägergespräch geführt am", FormState(values: ["date": state["date"].isEmpty ? today.iso : state["date"]]),
                                          .init(type: .date, required: true)),
                               Forms.submit("Gespräch eintragen")))),
            .h2(.text("Kennzahlen")),
            .forEach(order) { section in
                .section(.h3(.text(section)), Layout.table(columns: ["Kennzahl", "Gruppe", "Wert"], rows: (grouped[section] ?? []).map {
                    [.text($0.figure), .text($0.group), .text($0.value)]
                }, empty: ""))
            }
        )
    }

    // MARK: DATEV settings

    public static func datev(context: PageContext, offices: [Option], state: FormState) -> String {
        Layout.page(
            title: "DATEV-Einstellungen", context: context, current: .billing(nil),
            .h1(.text("DATEV-Einstellungen")),
            .p(.class("hint"), .text("Für den Buchungsstapel an die Steuerberatung: Berater- und Mandantennummer, Beginn des Wirtschaftsjahres, "
                                     + "das Erlöskonto für die umsatzsteuerfreien Leistungen (§ 4 Nr. 25 UStG) und je Jugendamt die Debitorennummer.")),
            .form(.method(.post), .action(SiteURL.datevSettings.path), Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                  .div(.class("row"),
                       Forms.text("consultantNumber", "Beraternummer", state, .init(required: true, inputMode: "numeric")),
                       Forms.text("clientNumber", "Mandantennummer", state, .init(required: true, inputMode: "numeric"))),
                  .div(.class("row"),
                       Forms.select("fiscalYearStartMonth", "Wirtschaftsjahr beginnt im", state,
                                    options: (1...12).map { (String($0), Month.germanNames[$0 - 1]) }, required: true),
                       Forms.text("accountLength", "Sachkontenlänge", state, .init(type: .number, inputMode: "numeric")),
                       Forms.text("revenueAccount", "Erlöskonto", state, .init(hint: "SKR03: 8100, SKR04: 4100", inputMode: "numeric"))),
                  .element(named: "fieldset", nodes: [
                    .element(named: "legend", nodes: [.text("Debitorennummern der Jugendämter")]),
                    .forEach(offices) { office in
                        Forms.text("debtorAccounts.\(office.value)", office.label, state, .init(inputMode: "numeric", placeholder: "10000"))
                    },
                  ]),
                  Forms.submit("Speichern", cancel: .billing(nil)))
        )
    }
}
