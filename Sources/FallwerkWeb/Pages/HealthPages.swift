import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// A case's health records (issue 16, seed 003): a list of cards and a form, readable on a phone.
/// Only the case's staff, their team lead and management ever get here (`CasePolicies.health`).
public enum HealthPages {
    public static func list(context: PageContext, record: CaseRecord, entries: [HealthRecordEntry], state: FormState) -> String {
        Layout.page(
            title: "Gesundheit – \(record.youngPerson.fullName)", context: context, current: .cases,
            header(record, title: "Gesundheit"),
            .p(.class("hint"), .text("Gesundheitsdaten sind besonders geschützt. Sie sehen nur die Fachkräfte des Falls, ihre Teamleitung und die Leitung; "
                                     + "jeder Zugriff wird protokolliert.")),
            .if(entries.isEmpty, .p(.class("empty"), .text("Zu diesem Fall sind keine Gesundheitsdaten erfasst."))),
            .forEach(entries) { entry in card(record: record, entry: entry) },
            .element(named: "details", nodes: [
                .class("card"), .id("neu"),
                .if(state.hasErrors || entries.isEmpty, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Neuer Eintrag")]),
                form(context: context, action: .health(record.id), state: state, submit: "Eintrag speichern", cancel: nil),
            ])
        )
    }

    public static func edit(context: PageContext, record: CaseRecord, entry: HealthRecordEntry, state: FormState) -> String {
        Layout.page(
            title: "Gesundheit – \(record.youngPerson.fullName)", context: context, current: .cases,
            header(record, title: "\(entry.record.kind.german) ändern"),
            .div(.class("card"),
                 form(context: context, action: .healthRecord(record.id, entry.id), state: state, submit: "Änderung speichern", cancel: .health(record.id))),
            .form(
                .method(.post), .action(SiteURL.deleteHealthRecord(record.id, entry.id).path),
                Forms.csrf(context.csrfToken),
                .p(.class("hint"), .text("Nur für versehentlich erfasste Einträge: Gelöschtes lässt sich nicht wiederherstellen.")),
                .button(.type(.submit), .class("button secondary"), .text("Eintrag löschen"))
            )
        )
    }

    /// The form's values of a stored record.
    public static func values(_ entry: HealthRecordEntry) -> (values: [String: String], multiValues: [String: [String]]) {
        let r = entry.record
        return (["kind": r.kind.rawValue, "description": r.description, "from": r.from.iso, "to": r.to?.iso ?? "",
                 "guardiansNotifiedOn": r.guardiansNotifiedOn?.iso ?? "", "guardiansNotifiedBy": r.guardiansNotifiedBy ?? ""],
                r.serious ? ["serious": ["true"]] : [:])
    }

    static func header(_ record: CaseRecord, title: String) -> Node<HTML.BodyContext> {
        .group(
            .p(.class("back"), .a(.href(SiteURL.caseWork(record.id).path), .text("← \(record.youngPerson.fullName) (\(record.fileNumber))"))),
            .h1(.text(title))
        )
    }

    static func card(record: CaseRecord, entry: HealthRecordEntry) -> Node<HTML.BodyContext> {
        let r = entry.record
        let period = r.from.german + (r.to.map { " – \($0.german)" } ?? " – offen")
        return .article(
            .class(r.guardiansToBeNotified ? "card alert-card health" : "card health"),
            .h2(.text(r.kind.german + (r.serious ? " (schwer)" : ""))),
            .p(.class("meta"), .text(period)),
            .div(.class("note"), .forEach(NotePages.paragraphs(r.description)) { .p(.text($0)) }),
            .if(r.serious, .p(.text(r.guardiansNotifiedOn.map { day in
                "Sorgeberechtigte informiert am \(day.german)" + (r.guardiansNotifiedBy.map { " von \($0)" } ?? "") + "."
            } ?? ""))),
            .if(r.guardiansToBeNotified, .p(.class("field-error"), .text("Die Sorgeberechtigten sind noch nicht als informiert eingetragen."))),
            .p(.class("meta"), .text("Erfasst am \(BerlinTime.local(entry.createdAt).day.german)" + (entry.createdByName.map { " von \($0)" } ?? "")
                                     + (entry.updatedAt.map { day in "; geändert am \(BerlinTime.local(day).day.german)" + (entry.updatedByName.map { " von \($0)" } ?? "") } ?? ""))),
            .p(.a(.href(SiteURL.healthRecord(record.id, entry.id).path), .text("Ändern")))
        )
    }

    static func form(context: PageContext, action: SiteURL, state: FormState, submit: String, cancel: SiteURL?) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(action.path), .attribute(named: "novalidate", value: "novalidate"),
            Forms.csrf(context.csrfToken), Forms.errorSummary(state),
            Forms.select("kind", "Art", state, options: HealthKind.allCases.map { ($0.rawValue, $0.german) }, required: true),
            Forms.textArea("description", "Beschreibung", state,
                           hint: "Was ist bekannt (Diagnose, Behandlung, Ansprechpersonen)? Höchstens 4.000 Zeichen."),
            .div(.class("row"),
                 Forms.text("from", "Von", state, .init(type: .date, required: true)),
                 Forms.text("to", "Bis", state, .init(type: .date, hint: "Leer lassen, solange es andauert."))),
            Forms.checkboxes("serious", "Schwere Erkrankung", state, options: [("true", "schwer: die Sorgeberechtigten sind zu informieren")]),
            .div(.class("row"),
                 Forms.text("guardiansNotifiedOn", "Sorgeberechtigte informiert am", state, .init(type: .date, hint: "Nur bei einer schweren Erkrankung.")),
                 Forms.text("guardiansNotifiedBy", "Informiert von", state, .init(placeholder: "z. B. Erika Fink"))),
            Forms.submit(submit, cancel: cancel)
        )
    }
}
