import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Group sessions (R10 [001]): the recent sessions the viewer may see, the form to record one, and
/// correcting or deleting one with all its shares.
public enum GroupSessionPages {
    public struct Model: Sendable {
        public let sessions: [GroupSessionRecord]
        /// The cases the viewer may record work on (checkboxes).
        public let cases: [CaseRecord]
        /// Staff to choose from; a caseworker only sees themselves.
        public let staff: [StaffRecord]
        public let state: FormState
        /// The session being corrected, if any.
        public let editing: GroupSessionRecord?
        public let today: Day

        public init(sessions: [GroupSessionRecord], cases: [CaseRecord], staff: [StaffRecord], state: FormState,
                    editing: GroupSessionRecord? = nil, today: Day) {
            self.sessions = sessions
            self.cases = cases
            self.staff = staff
            self.state = state
            self.editing = editing
            self.today = today
        }
    }

    /// The form's values of a recorded session.
    public static func state(of session: GroupSessionRecord) -> FormState {
        FormState(values: ["date": session.date.iso, "start": session.start.text, "minutes": String(session.minutes)],
                  multiValues: ["staffIds": session.staff.map { $0.id.uuidString.lowercased() },
                                "caseIds": session.cases.map { $0.id.uuidString.lowercased() }])
    }

    public static func list(context: PageContext, _ m: Model) -> String {
        Layout.page(
            title: "Gruppenangebote", context: context, current: .groupSessions,
            Layout.heading("Gruppenangebote"),
            .p(.class("hint"), .text("Die Zeit eines Gruppenangebots wird auf die anwesenden Fälle verteilt: Minuten × anwesende Fachkräfte ÷ anwesende Fälle. Die Minuten werden einmal für das ganze Angebot gerundet, die Anteile ergeben zusammen die Zeit des Angebots.")),
            Layout.table(columns: ["Datum", "Zeit", "Minuten", "Fachkräfte", "Fälle (Anteil)", ""],
                         rows: m.sessions.map { session in
                             [.text(session.date.german), .text(session.start.text + " Uhr"), .text(String(session.minutes)),
                              .text(session.staff.map(\.name).joined(separator: ", ")),
                              .text(casesText(session)),
                              session.mayChange ? .a(.href(SiteURL.groupSession(session.id).path), .text("Korrigieren")) : .text("")]
                         },
                         empty: "Es sind noch keine Gruppenangebote erfasst."),
            .section(.class("card"), .h2(.text("Gruppenangebot erfassen")),
                     form(context: context, m, action: .groupSessions, submit: "Gruppenangebot speichern"))
        )
    }

    public static func edit(context: PageContext, _ m: Model) -> String {
        guard let session = m.editing else { return list(context: context, m) }
        return Layout.page(
            title: "Gruppenangebot vom \(session.date.german)", context: context, current: .groupSessions,
            Layout.heading("Gruppenangebot vom \(session.date.german) korrigieren"),
            .p(.class("hint"), .text("Änderungen gelten für das ganze Gruppenangebot: alle Anteile werden neu verteilt. In einem schon abgerechneten Monat bleibt das Angebot, wie es ist.")),
            .section(.class("card"), form(context: context, m, action: .groupSession(session.id), submit: "Korrektur speichern")),
            .section(.class("card"), .h2(.text("Gruppenangebot löschen")),
                     .p(.text("Löscht das Gruppenangebot mit allen Anteilen in den Fällen.")),
                     .form(.method(.post), .action(SiteURL.deleteGroupSession(session.id).path),
                           Forms.csrf(context.csrfToken),
                           .div(.class("actions"), .button(.type(.submit), .class("button danger"), .text("Gruppenangebot löschen")))))
        )
    }

    static func casesText(_ session: GroupSessionRecord) -> String {
        var parts = session.cases.map { "\($0.fileNumber) \($0.name) (\(Minutes($0.minutes).germanHours) Std.)" }
        if session.otherCaseCount == 1 { parts.append("1 weiterer Fall") }
        if session.otherCaseCount > 1 { parts.append("\(session.otherCaseCount) weitere Fälle") }
        return parts.joined(separator: "; ")
    }

    static func form(context: PageContext, _ m: Model, action: SiteURL, submit: String) -> Node<HTML.BodyContext> {
        var state = m.state
        if state["date"].isEmpty, m.editing == nil { state.values["date"] = m.today.iso }
        // Cases of the session the viewer may no longer record on stay choosable while correcting.
        var caseOptions = m.cases.map { (value: $0.id.uuidString.lowercased(), label: "\($0.fileNumber) – \($0.youngPerson.fullName)") }
        for present in m.editing?.cases ?? [] where !caseOptions.contains(where: { $0.value == present.id.uuidString.lowercased() }) {
            caseOptions.append((value: present.id.uuidString.lowercased(), label: "\(present.fileNumber) – \(present.name)"))
        }
        let staffOptions = m.staff.map { (value: $0.id.uuidString.lowercased(), label: $0.fullName) }
        return .form(
            .method(.post), .action(action.path),
            Forms.csrf(context.csrfToken), Forms.errorSummary(state),
            .div(.class("row"),
                 Forms.text("date", "Datum", state, .init(type: .date, required: true)),
                 Forms.text("start", "Beginn", state, .init(type: .time, required: true)),
                 Forms.text("minutes", "Dauer in Minuten", state, .init(type: .number, required: true, inputMode: "numeric"))),
            Forms.checkboxes("staffIds", "Anwesende Fachkräfte", state, options: staffOptions),
            caseOptions.isEmpty
                ? .p(.class("hint"), .text("Sie arbeiten in keinem laufenden Fall, für den Sie Leistungen erfassen dürfen."))
                : Forms.checkboxes("caseIds", "Anwesende Fälle", state, options: caseOptions),
            Forms.submit(submit, cancel: m.editing == nil ? nil : .groupSessions)
        )
    }
}
