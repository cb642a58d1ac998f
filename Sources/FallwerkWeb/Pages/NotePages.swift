import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// The running record (Verlaufsdokumentation): observation and assessment apart (R18), no diary (R20).
public enum NotePages {
    public struct Model: Sendable {
        public let record: CaseRecord
        public let notes: [NoteRecord]
        public let goals: [GoalRecord]
        public let query: String
        public let state: FormState
        /// The notes this viewer may correct (their own; every note for team leads and management).
        public var correctable: Set<UUID> = []

        public init(record: CaseRecord, notes: [NoteRecord], goals: [GoalRecord], query: String, state: FormState) {
            self.record = record
            self.notes = notes
            self.goals = goals
            self.query = query
            self.state = state
        }
    }

    public static func render(context: PageContext, _ m: Model) -> String {
        let titles = Dictionary(uniqueKeysWithValues: m.goals.map { ($0.goal.id, $0.goal.title) })
        let correcting = m.state["correctsNoteId"]
        let byID = Dictionary(uniqueKeysWithValues: m.notes.map { ($0.id, $0) })
        return Layout.page(
            title: "Verlauf – \(m.record.youngPerson.fullName)", context: context, current: .cases,
            DocumentationNav.header(m.record, title: "Verlauf (Notizen)"),
            .element(named: "details", nodes: [
                .class("card"),
                .id("notiz"),
                .if(m.state.hasErrors || !correcting.isEmpty || (m.notes.isEmpty && m.query.isEmpty), .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text(correcting.isEmpty ? "Neue Notiz" : "Notiz korrigieren")]),
                .form(
                    .method(.post), .action(SiteURL.notes(m.record.id).path),
                    Forms.csrf(context.csrfToken), Forms.errorSummary(m.state),
                    .if(!correcting.isEmpty, .group(
                        .input(.type(.hidden), .name("correctsNoteId"), .value(correcting)),
                        .p(.class("hint"), .text("Die Korrektur wird eine neue Fassung; die bisherige bleibt unverändert lesbar.")))),
                    .p(.class("diary-hint"), .attribute(named: "role", value: "note"), .text(Note.diaryHint)),
                    Forms.text("date", "Datum", m.state, .init(type: .date, required: true)),
                    .div(.class("note-part observation"),
                         Forms.textArea("observation", "Beobachtung: was ist passiert, was wurde gesagt?", m.state,
                                        hint: "Nur Tatsachen: wer war da, was geschah, wörtliche Aussagen. Noch keine Bewertung.")),
                    .div(.class("note-part assessment"),
                         Forms.textArea("assessment", "Einschätzung: wie bewerte ich das fachlich?", m.state,
                                        hint: "Ihre fachliche Deutung der Beobachtung, getrennt davon. Darf leer bleiben.")),
                    .if(!m.goals.isEmpty, Forms.checkboxes("goalIds", "Betrifft die Ziele", m.state,
                                                           options: m.goals.map { ($0.id.uuidString, $0.goal.title) })),
                    Forms.submit(correcting.isEmpty ? "Notiz speichern" : "Korrektur speichern")
                ),
            ]),
            .form(
                .class("search"), .method(.get), .action(SiteURL.notes(m.record.id).path),
                .div(.class("field"),
                     .label(.for("f-q"), .text("In den Notizen dieses Falls suchen")),
                     .input(.type(.search), .id("f-q"), .name("q"), .value(m.query))),
                .div(.class("actions"), .button(.type(.submit), .class("button"), .text("Suchen")),
                     .if(!m.query.isEmpty, .a(.class("button secondary"), .href(SiteURL.notes(m.record.id).path), .text("Alle Notizen"))))
            ),
            .if(!m.query.isEmpty, .p(.class("meta"), .text("\(m.notes.count) Notiz(en) mit „\(m.query)“."))),
            .if(m.notes.isEmpty, .p(.class("empty"), .text(m.query.isEmpty ? "Noch keine Notizen." : "Keine Notiz enthält diese Wörter."))),
            .forEach(m.notes) { record in
                let note = record.note
                return .article(
                    .class(record.isCurrent ? "card note" : "card note earlier-version"),
                    .id("notiz-" + record.id.uuidString.lowercased()),
                    .h2(.text(note.date.german), .unwrap(record.authorName) { .span(.class("meta"), .text(" · \($0)")) }),
                    .unwrap(record.correctedBy.flatMap { byID[$0] }) { later in
                        .p(.class("meta"), .text("Frühere Fassung, korrigiert durch die Fassung vom \(later.note.date.german)"
                                                  + (later.authorName.map { " (\($0))" } ?? "") + "."))
                    },
                    .if(record.corrects != nil, .p(.class("meta"), .text("Korrigierte Fassung; die frühere Fassung bleibt in der Liste lesbar."))),
                    .div(.class("note-part observation"), .h3(.text("Beobachtung")), .forEach(paragraphs(note.observation)) { .p(.text($0)) }),
                    .unwrap(note.assessment) { text in
                        .div(.class("note-part assessment"), .h3(.text("Einschätzung")), .forEach(paragraphs(text)) { .p(.text($0)) })
                    },
                    .if(!note.goalIDs.isEmpty, .p(.class("meta"), .text("Ziele: " + note.goalIDs.compactMap { titles[$0] }.joined(separator: "; ")))),
                    .if(record.isCurrent && m.correctable.contains(record.id), .p(.a(.href(SiteURL.notes(m.record.id).path + "?korrigieren=" + record.id.uuidString.lowercased() + "#notiz"),
                                                .text("Korrigieren"))))
                )
            }
        )
    }

    static func paragraphs(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
