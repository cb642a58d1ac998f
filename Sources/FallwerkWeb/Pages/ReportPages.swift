import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// A step in a report's life (R19), as it appears in its URL.
public enum ReportStep: String, Sendable, CaseIterable {
    case submit = "vorlegen"
    case returnForRevision = "zurueckgeben"
    case approve = "freigeben"
    case sent = "versandt"
    case discussed = "besprochen"
}

/// Reports to the youth office (R19): the case's list, one report section by section, the print view.
public enum ReportPages {
    public static func list(context: PageContext, record: CaseRecord, reports: [ReportRecord], state: FormState) -> String {
        Layout.page(
            title: "Berichte – \(record.youngPerson.fullName)", context: context, current: .cases,
            DocumentationNav.header(record, title: "Berichte"),
            Layout.table(columns: ["Bericht", "Stand", "Versandt", "Mit Familie besprochen"],
                         rows: reports.map { r in
                             [.a(.href(SiteURL.report(r.id).path), .text(r.report.title)), .text(r.report.status.german),
                              .text(r.report.sentOn?.german ?? "–"), .text(r.report.discussedWithFamilyOn?.german ?? "–")]
                         },
                         empty: "Für diese Hilfe gibt es noch keine Berichte."),
            .section(
                .class("card"),
                .h2(.text("Bericht erstellen")),
                .p(.class("hint"), .text("Der Entwurf wird aus dem Fall erstellt: Zeitraum, bewilligte und geleistete Stunden, Ziele mit Bewertungsverlauf und die Beobachtungen aus dem Verlauf. Danach bearbeiten Sie ihn Abschnitt für Abschnitt.")),
                .form(.method(.post), .action(SiteURL.reports(record.id).path),
                      Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                      Forms.select("kind", "Art des Berichts", state, options: ReportKind.allCases.map { ($0.rawValue, $0.german) }, required: true),
                      .div(.class("row"),
                           Forms.text("periodFrom", "Zeitraum von", state, .init(type: .date, hint: "Leer: im Anschluss an den letzten Bericht")),
                           Forms.text("periodTo", "bis", state, .init(type: .date, hint: "Leer: heute"))),
                      Forms.submit("Entwurf erstellen"))
            )
        )
    }

    public struct Model: Sendable {
        public let record: CaseRecord
        public let report: ReportRecord
        public let canApprove: Bool
        /// Typed section text and messages after a failed save.
        public let sectionState: FormState
        /// Messages of a failed step (submit, approve, sent, discussed).
        public let stepState: FormState
        public let today: Day

        public init(record: CaseRecord, report: ReportRecord, canApprove: Bool, sectionState: FormState = FormState(),
                    stepState: FormState = FormState(), today: Day) {
            self.record = record
            self.report = report
            self.canApprove = canApprove
            self.sectionState = sectionState
            self.stepState = stepState
            self.today = today
        }
    }

    public static func show(context: PageContext, _ m: Model) -> String {
        let report = m.report.report
        let id = m.report.id
        var dayState = m.stepState
        for name in ["sentOn", "discussedWithFamilyOn"] where dayState[name].isEmpty { dayState.values[name] = m.today.iso }
        let facts: [(String, String?)] = [("Stand", report.status.german), ("Zur Freigabe vorgelegt", report.submittedOn?.german),
                                          ("Freigegeben", report.approvedOn?.german), ("An das Jugendamt versandt", report.sentOn?.german),
                                          ("Mit der Familie besprochen", report.discussedWithFamilyOn?.german ?? "noch nicht")]
        return Layout.page(
            title: report.title, context: context, current: .cases,
            DocumentationNav.header(m.record, title: report.title),
            .dl(.class("facts report-status"), .forEach(facts.filter { $0.1 != nil }) { .group(.dt(.text($0.0)), .dd(.text($0.1!))) }),
            Forms.errorSummary(m.stepState),
            Forms.errorSummary(m.sectionState),
            .if(report.status == .approved, .unwrap(report.sendWarning) { .p(.class("alert"), .text($0)) }),
            .div(.class("report-steps"),
                 .if(report.status == .draft, step(id, .submit, "Zur Freigabe vorlegen", context: context)),
                 .if(report.status == .submitted && m.canApprove, step(id, .approve, "Freigeben", context: context)),
                 .if(report.status == .submitted && m.canApprove, step(id, .returnForRevision, "Zur Überarbeitung zurückgeben", context: context)),
                 .if(report.status == .approved, step(id, .sent, "Als versandt speichern", context: context,
                                                      field: Forms.text("sentOn", "An das Jugendamt versandt am", dayState, .init(type: .date, required: true)))),
                 step(id, .discussed, "Gespräch speichern", context: context,
                      field: Forms.text("discussedWithFamilyOn", "Mit der Familie besprochen am", dayState, .init(type: .date, required: true)))),
            .p(.class("downloads"),
               .a(.class("button"), .href(SiteURL.reportDocx(id).path), .text("Als Word-Datei (DOCX) herunterladen")),
               .text(" "),
               .a(.class("button secondary"), .href(SiteURL.reportPrint(id).path), .text("Druckansicht"))),
            .if(!report.isEditable, .p(.class("hint"), .text("Der Bericht ist freigegeben und kann nicht mehr bearbeitet werden."))),
            editor(report: report, id: id, state: m.sectionState, context: context)
        )
    }

    /// All sections in one form: every "Speichern" button saves every section's text, so nothing typed
    /// in one section is lost by saving another; the page returns to the section whose button was used.
    static func editor(report: Report, id: UUID, state: FormState, context: PageContext) -> Node<HTML.BodyContext> {
        guard report.isEditable else {
            return .forEach(ReportSectionKey.allCases) { key in
                .section(.class("report-section"), .h2(.text(key.heading)),
                         .forEach(report.sections.first { $0.key == key }?.paragraphs ?? []) { .p(.text($0)) })
            }
        }
        return .form(
            .method(.post), .action(SiteURL.reportSections(id).path), .class("report-editor"),
            Forms.csrf(context.csrfToken),
            .p(.class("hint"), .text("Absätze durch eine Leerzeile trennen. „Bericht speichern“ speichert alle Abschnitte zugleich.")),
            .forEach(ReportSectionKey.allCases) { key in section(key, report: report, state: state) }
        )
    }

    static func section(_ key: ReportSectionKey, report: Report, state: FormState) -> Node<HTML.FormContext> {
        let name = "sections.\(key.rawValue)"
        var sectionState = state
        if sectionState.values[name] == nil { sectionState.values[name] = report.sections.first { $0.key == key }?.text ?? "" }
        return .fieldset(
            .class("report-section"), .id("abschnitt-\(key.rawValue)"),
            Forms.textArea(name, key.heading, sectionState),
            .div(.class("actions"),
                 .button(.type(.submit), .name("nach"), .value(key.rawValue), .class("button primary"), .text("Bericht speichern")))
        )
    }

    static func step(_ id: UUID, _ step: ReportStep, _ title: String, context: PageContext,
                     field: Node<HTML.FormContext>? = nil) -> Node<HTML.BodyContext> {
        .form(.method(.post), .action(SiteURL.reportStep(id, step).path), .class("report-step"),
              Forms.csrf(context.csrfToken),
              .unwrap(field) { $0 },
              .button(.type(.submit), .class(step == .approve || step == .submit ? "button primary" : "button"), .text(title)))
    }

    /// The print view: the report as the youth office reads it (R19).
    public static func print(context: PageContext, record: CaseRecord, report: Report) -> String {
        Layout.page(
            title: report.title, context: context, current: .cases,
            .article(
                .class("report-print"),
                .p(.class("no-print"), .a(.href(SiteURL.caseWork(record.id).path), .text("← zurück zum Fall")),
                   .text(" · Zum Drucken die Druckfunktion des Browsers verwenden.")),
                .if(report.isEditable, .p(.class("draft-mark"), .text("Entwurf – noch nicht freigegeben"))),
                .h1(.text(report.kind.german)),
                .forEach(ReportStore.preamble(record) + ["Berichtszeitraum: \(report.periodFrom.german) – \(report.periodTo.german)"]) {
                    .p(.class("preamble"), .text($0))
                },
                .forEach(report.sections) { section in
                    .section(.h2(.text(section.heading)), .forEach(section.paragraphs) { paragraph in
                        .p(.forEach(Array(paragraph.split(separator: "\n").enumerated())) { index, line in
                            .group(.if(index > 0, .br()), .text(String(line)))
                        })
                    })
                }
            )
        )
    }
}
