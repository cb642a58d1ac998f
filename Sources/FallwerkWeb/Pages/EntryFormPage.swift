import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// The most-used screen: recording a service entry, quick on a phone. Today, the signed-in staff
/// member, the last kind used and the usual length are preset; the form says what the entry will
/// count and warns before it goes over budget (in the page and, without JavaScript, on saving).
public enum EntryFormPage {
    public struct Model: Sendable {
        public let work: CaseWork
        public let entryID: UUID?
        public let state: FormState
        /// Staff the user may record for (leads: everyone on the case; caseworkers: only themselves).
        public let staffOptions: [(value: String, label: String)]
        /// Set when saving would go over budget and the user has to confirm.
        public let overBudgetWarning: String?
        public let today: Day

        public init(work: CaseWork, entryID: UUID?, state: FormState, staffOptions: [(value: String, label: String)],
                    overBudgetWarning: String?, today: Day) {
            self.work = work
            self.entryID = entryID
            self.state = state
            self.staffOptions = staffOptions
            self.overBudgetWarning = overBudgetWarning
            self.today = today
        }
    }

    static let quickLengths = [15, 30, 45, 60, 90, 120]

    public static func render(context: PageContext, _ m: Model) -> String {
        let record = m.work.record
        let settings = m.work.settingsToday
        let window = m.work.ledger.status(on: m.today)
        let action = m.entryID.map { SiteURL.editEntry(record.id, $0) } ?? SiteURL.newEntry(record.id)
        let title = m.entryID == nil ? "Leistung erfassen" : "Leistung ändern"
        let kinds = EntryKind.recordable.filter { $0 != .onboardingDay || !m.work.onboardingRecorded || m.state["kind"] == EntryKind.onboardingDay.rawValue }
        return Layout.page(
            title: title, context: context,
            .div(.class("entry-head"),
                 .h1(.text(title)),
                 .p(.class("lead"), .a(.href(SiteURL.caseWork(record.id).path), .text("\(record.youngPerson.fullName) · \(record.fileNumber)")))),
            WorkViews.budget(window),
            Forms.errorSummary(m.state),
            .form(
                .method(.post), .action(action.path), .class("entry-form"), .id("entry-form"),
                // The live preview asks the server (`EntryPreview`), so the browser never keeps a second copy of R10.
                .data(named: "preview-url", value: SiteURL.entryPreview(record.id).path),
                .data(named: "entry", value: m.entryID?.uuidString.lowercased() ?? ""),
                Forms.csrf(context.csrfToken),
                .input(.type(.hidden), .name("back"), .value(m.state["back"])),
                kindChoice(m.state, kinds: kinds),
                .div(.class("row"),
                     Forms.text("date", "Datum", m.state, .init(type: .date, required: true)),
                     Forms.text("start", "Beginn", m.state, .init(type: .time, required: true))),
                .div(.class("row"),
                     Forms.text("minutes", "Dauer in Minuten", m.state,
                                .init(type: .number, hint: "Bei Absage oder nicht angetroffen: die geplante Dauer.", required: true, inputMode: "numeric")),
                     Forms.text("end", "oder Ende", m.state, .init(type: .time, hint: "Wenn angegeben, ergibt sich die Dauer daraus."))),
                .div(.class("chips"), .attribute(named: "hidden", value: "hidden"), .id("quick-lengths"),
                     .forEach(quickLengths) { minutes in
                         .button(.type(.button), .class("chip"), .data(named: "minutes", value: String(minutes)), .text("\(minutes) Min."))
                     }),
                .if(m.staffOptions.count > 1,
                    Forms.select("staffId", "Fachkraft", m.state, options: m.staffOptions, required: true, emptyLabel: nil),
                    else: .input(.type(.hidden), .name("staffId"), .value(m.state["staffId"]))),
                .element(named: "fieldset", nodes: [
                    .class("cancel-fields"), .id("cancel-fields"),
                    .element(named: "legend", nodes: [.text("Nur bei Terminabsage")]),
                    radios("cancelledBy", "Wer hat abgesagt?", m.state, options: CancelledBy.allCases.map { ($0.rawValue, $0.german) }),
                    Forms.text("cancelledAt", "Wann kam die Absage?", m.state,
                               .init(type: .init(rawValue: "datetime-local") ?? .text,
                                     hint: "Absagen der Familie \(settings.shortNoticeHours) Stunden oder kürzer vorher zählen zu \(settings.shortNoticeBillablePercent) % als abrechenbar.")),
                ]),
                .div(.class("field check-field"),
                     .label(.class("check"),
                            .input(.type(.checkbox), .name("homeVisit"), .value("true"), .id(Forms.fieldID("homeVisit")),
                                   .attribute(named: "checked", value: m.state["homeVisit"] == "true" ? "checked" : nil)),
                            .text(" Hausbesuch (Fahrtkosten)")),
                     .unwrap(m.state.error("homeVisit")) { .p(.class("field-error"), .text($0)) }),
                .div(.class("field check-field"),
                     .label(.class("check"),
                            .input(.type(.checkbox), .name("guardianContact"), .value("true"), .id(Forms.fieldID("guardianContact")),
                                   .attribute(named: "checked", value: m.state["guardianContact"] == "true" ? "checked" : nil)),
                            .text(" Kontakt mit den Sorgeberechtigten (bei Verselbständigung Minderjähriger monatlich nötig)"))),
                .if(settings.travelMode == .perKm,
                    Forms.text("kilometres", "Gefahrene Kilometer", m.state, .init(type: .number, inputMode: "numeric"))),
                Forms.textArea("note", "Kurznotiz (freiwillig)", m.state,
                               hint: "Ein Stichwort zum Termin, z. B. „Schulgespräch mit Klassenlehrerin“. Nur intern, nicht auf dem Leistungsnachweis. Höchstens \(EntryInput.maxNoteLength) Zeichen."),
                .element(named: "output", nodes: [
                    .class("preview"), .id("entry-preview"), .attribute(named: "aria-live", value: "polite"),
                    .text(m.state["preview"]),
                ]),
                .unwrap(m.overBudgetWarning) { warning in
                    .div(.class("notice warning"), .attribute(named: "role", value: "alert"),
                         .p(.text(warning)),
                         .label(.class("check"),
                                .input(.type(.checkbox), .name("confirmOverBudget"), .value("true"), .id(Forms.fieldID("confirmOverBudget"))),
                                .text(" Trotzdem speichern; die Mehrarbeit bleibt bis zur bestätigten Erhöhung nicht abrechenbar.")))
                },
                Forms.submit(m.entryID == nil ? "Speichern" : "Änderung speichern", cancel: .caseWork(record.id))
            ),
            .unwrap(m.entryID) { entryID in
                .form(.method(.post), .action(SiteURL.deleteEntry(record.id, entryID).path), .class("delete-form"),
                      Forms.csrf(context.csrfToken),
                      .button(.type(.submit), .class("button danger"), .text("Eintrag löschen")))
            },
            .script(.src(SiteURL.entryScript.path), .attribute(named: "defer", value: "defer"))
        )
    }

    /// Large tap targets for the entry kinds.
    static func kindChoice<C: HTML.BodyContext>(_ state: FormState, kinds: [EntryKind]) -> Node<C> {
        radios("kind", "Was wurde gemacht?", state, options: kinds.map { ($0.rawValue, $0.german) }, large: true)
    }

    static func radios<C: HTML.BodyContext>(_ name: String, _ legend: String, _ state: FormState,
                                            options: [(String, String)], large: Bool = false) -> Node<C> {
        let error = state.error(name)
        return .element(named: "fieldset", nodes: [
            .attribute(named: "id", value: Forms.fieldID(name)),
            .class("field radios" + (large ? " large" : "") + (error == nil ? "" : " has-error")),
            .element(named: "legend", nodes: [.text(legend)]),
            .unwrap(error) { .p(.class("field-error"), .text($0)) },
            .forEach(options) { value, label in
                .label(.class("radio"),
                       .input(.type(.radio), .name(name), .value(value),
                              .attribute(named: "checked", value: state[name] == value ? "checked" : nil)),
                       .span(.text(label)))
            },
        ])
    }

    /// What saving would count, after the budget (R9, R10): "Zählt: 60 Min. abrechenbar · 90 Min. Budget,
    /// davon 30 Min. über dem Budget …". The same text in the page, in the browser's live preview and
    /// nowhere computed twice.
    public static func previewText(_ preview: EntryPreview, date: Day) -> String {
        let count = preview.count
        if !preview.isCovered, count.budgetMinutes > 0 {
            return "Zählt: 0 Min. abrechenbar · Für den \(date.german) gibt es keine Bewilligung; "
                + "abrechenbar erst, wenn eine Bewilligung eingetragen ist."
        }
        var text = "Zählt: \(preview.billableMinutes) Min. abrechenbar · \(count.budgetMinutes) Min. Budget"
        if count.onboardingMinutes > 0 { text += " (eigenes Einstiegsbudget)" }
        if preview.overBudgetMinutes > 0 {
            text += ", davon \(preview.overBudgetMinutes) Min. über dem Budget (ohne bestätigte Erhöhung nicht abrechenbar)"
        }
        if preview.travel > .zero {
            text += " · Fahrtkosten \(preview.travel.german)"
        } else if count.travel > .zero {
            text += preview.billableMinutes == 0
                ? " · Fahrtkosten erst, wenn der Besuch im Budget liegt"
                : " · keine weiteren Fahrtkosten: dieser Hausbesuch ist schon erfasst"
        }
        return text
    }

    /// Whether the preview warns (work beyond the budget or without an approval).
    public static func previewWarns(_ preview: EntryPreview) -> Bool {
        preview.overBudgetMinutes > 0
    }
}
