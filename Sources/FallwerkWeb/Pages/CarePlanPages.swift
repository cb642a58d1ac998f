import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// The care plan page of a case (meetings, documents, deadlines, ending the case) and the deadlines
/// page across cases (R3–R6).
public enum CarePlanPages {
    public struct Forms_: Sendable {
        public var meeting = FormState()
        public var document = FormState()
        public var end = FormState()
        /// Set when a review is being recorded as held without its progress report (R4).
        public var askReason = false

        public init(meeting: FormState = FormState(), document: FormState = FormState(), end: FormState = FormState(), askReason: Bool = false) {
            self.meeting = meeting
            self.document = document
            self.end = end
            self.askReason = askReason
        }
    }

    /// - Parameter mayEnd: the viewer may end the case (R6: lead worker, team lead, management).
    public static func page(context: PageContext, plan: CarePlanRecord, mayWrite: Bool, mayEnd: Bool = true, forms: Forms_, today: Day) -> String {
        let record = plan.record
        let caseID = record.id
        let pending = plan.deadlines.filter(\.isPending)
        let done = plan.deadlines.filter { !$0.isPending }
        return Layout.page(
            title: "Hilfeplan \(record.fileNumber)", context: context, current: .cases,
            .p(.a(.href(SiteURL.caseWork(caseID).path), .text("‹ zurück zum Fall \(record.youngPerson.fullName) · \(record.fileNumber)"))),
            Layout.heading("Hilfeplan und Fristen"),
            .p(.class("meta"), .text("Beginn \(record.startDate.german)"
                + (record.endDate.map { " · Ende \($0.german)" + (record.endReason.map { " (\($0.german))" } ?? "") } ?? ""))),
            .section(.id("fristen"), .h2(.text("Fristen")), deadlineTable(pending, today: today, empty: "Keine offenen Fristen.")),
            .section(.id("gespraeche"), .h2(.text("Hilfeplangespräche")),
                     Layout.table(columns: ["Datum", "Art", "Stand", "Beteiligte", "Ergebnis", ""],
                                  rows: plan.meetings.map { r in
                                      meetingCells(r.meeting) + [
                                          .group(.if(mayWrite, .a(.href(SiteURL.editCarePlanMeeting(caseID, r.id).path),
                                                                  .text(r.meeting.isHeld ? "korrigieren" : "als stattgefunden eintragen"))),
                                                 earlierMeetings(r))]
                                  }, empty: "Noch kein Hilfeplangespräch eingetragen."),
                     .if(mayWrite, meetingForm(context: context, caseID: caseID, meetings: plan.meetings, state: forms.meeting, askReason: forms.askReason))),
            .section(.id("dokumente"), .h2(.text("Eingegangene Dokumente")),
                     Layout.table(columns: ["Eingang", "Dokument", ""],
                                  rows: plan.documents.map { d in
                                      [.text(d.receivedOn.german), .text(d.kind.german),
                                       .group(.if(mayWrite, .a(.href(SiteURL.editCarePlanDocument(caseID, d.id).path), .text("korrigieren"))),
                                              earlierDocuments(d))]
                                  },
                                  empty: "Noch nichts eingegangen."),
                     .if(mayWrite, documentForm(context: context, caseID: caseID, meetings: plan.meetings, state: forms.document))),
            .if(!done.isEmpty, .section(.h2(.text("Erledigt")), deadlineTable(done, today: today, empty: ""))),
            .if(mayWrite && mayEnd && record.endDate == nil, endForm(context: context, caseID: caseID, state: forms.end))
        )
    }

    static func meetingCells(_ m: CarePlanMeeting) -> [Node<HTML.BodyContext>] {
        [.text(m.date.german + (m.time.map { ", \($0.text) Uhr" } ?? "")), .text(m.kind.german),
         .text(m.state.german + (m.nextReviewMovedTo.map { " · nächste Fortschreibung vorgezogen auf \($0.german)" } ?? "")),
         .text(m.participants.joined(separator: ", ")), .text(m.outcome ?? "")]
    }

    /// "Fassung 2 · frühere Fassungen": what a corrected meeting said before, readable as it was (issue 10).
    static func earlierMeetings(_ r: MeetingRecord) -> Node<HTML.BodyContext> {
        .if(!r.earlierVersions.isEmpty, .details(
            .class("versions"),
            .summary(.text("Fassung \(r.version) · frühere Fassungen")),
            .forEach(r.earlierVersions.reversed()) { v in
                .div(.class("version"),
                     .p(.class("meta"), .text("Fassung \(v.version), ersetzt am \(replacedText(v.replacedAt))")),
                     .ul(.forEach(Array(zip(["Datum", "Art", "Stand", "Beteiligte", "Ergebnis"], meetingCells(v.value)))) { label, value in
                         .li(.strong(.text(label + ": ")), value)
                     }))
            }))
    }

    /// "Fassung 2 · frühere Fassungen" of a received document (issue 10).
    static func earlierDocuments(_ d: CarePlanDocumentRecord) -> Node<HTML.BodyContext> {
        .if(!d.earlierVersions.isEmpty, .details(
            .class("versions"),
            .summary(.text("Fassung \(d.version) · frühere Fassungen")),
            .ul(.forEach(d.earlierVersions.reversed()) { v in
                .li(.text("Fassung \(v.version): \(v.value.kind.german), eingegangen am \(v.value.receivedOn.german) (ersetzt am \(replacedText(v.replacedAt)))"))
            })))
    }

    static func replacedText(_ instant: Date) -> String {
        let local = BerlinTime.local(instant)
        return "\(local.day.german), \(local.time.text) Uhr"
    }

    /// The document form filled with a stored record, for a correction.
    public static func values(of document: CarePlanDocumentRecord) -> [String: String] {
        var values = ["documentId": document.id.uuidString.lowercased(), "kind": document.kind.rawValue, "receivedOn": document.receivedOn.iso]
        values["meetingId"] = document.meetingID?.uuidString.lowercased()
        return values
    }

    /// The meeting form filled with a stored meeting; a planned one that is due is offered as held.
    public static func values(of meeting: MeetingRecord, today: Day) -> [String: String] {
        let m = meeting.meeting
        var values = ["meetingId": meeting.id.uuidString.lowercased(), "date": m.date.iso, "kind": m.kind.rawValue,
                      "state": (m.isHeld || m.date <= today ? MeetingState.held : .planned).rawValue,
                      "participants": m.participants.joined(separator: "\n")]
        values["time"] = m.time?.text
        values["nextReviewMovedTo"] = m.nextReviewMovedTo?.iso
        values["scheduledOn"] = m.scheduledOn?.iso
        values["reportMissingReason"] = m.reportMissingReason
        values["outcome"] = m.outcome
        return values
    }

    static func deadlineTable(_ items: [Deadline], today: Day, empty: String) -> Node<HTML.BodyContext> {
        Layout.table(columns: ["fällig", "Frist", "Stand", "Hinweis"], rows: items.map { d in
            [.text(d.windowStart.map { "\($0.german)–\(d.due.german)" } ?? d.due.german),
             .text(d.title),
             .span(.class(d.status == .overdue ? "over-tag" : "status"), .text(d.status.german + (d.doneOn.map { " am \($0.german)" } ?? ""))),
             .text(d.note ?? (d.regularDue.map { "regulär am \($0.german), vorgezogen" } ?? ""))]
        }, empty: empty)
    }

    static func meetingForm(context: PageContext, caseID: UUID, meetings: [MeetingRecord], state: FormState, askReason: Bool) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteURL.carePlanMeetings(caseID).path), .class("stack"), .id("gespraech-form"),
            Forms.csrf(context.csrfToken),
            .h3(.text(state["meetingId"].isEmpty ? "Gespräch eintragen" : "Gespräch ändern")),
            .if(!state["meetingId"].isEmpty, .p(.class("hint"), .text("Die Korrektur wird eine neue Fassung; die bisherige bleibt lesbar."))),
            Forms.errorSummary(state),
            .input(.type(.hidden), .name("meetingId"), .value(state["meetingId"])),
            Forms.text("date", "Datum", state, .init(type: .date, required: true)),
            Forms.text("time", "Uhrzeit (optional)", state, .init(type: .time)),
            Forms.select("kind", "Art des Gesprächs", state, options: CarePlanMeetingKind.allCases.map { ($0.rawValue, $0.german) }, required: true),
            Forms.select("state", "Stand", state, options: MeetingState.allCases.map { ($0.rawValue, $0.german) }, emptyLabel: nil),
            Forms.text("nextReviewMovedTo", "Nächste Fortschreibung vorgezogen auf (optional)", state,
                       .init(type: .date, hint: "Bei Krisen oder veränderten Umständen.")),
            Forms.text("scheduledOn", "Termin bekannt seit (optional)", state,
                       .init(type: .date, hint: "Der Entwicklungsbericht ist nur fällig, wenn der Termin rechtzeitig bekannt war.")),
            .if(askReason || !state["reportMissingReason"].isEmpty,
                Forms.textArea("reportMissingReason", "Grund, warum der Entwicklungsbericht fehlt", state,
                               hint: "Eine Fortschreibung setzt den Entwicklungsbericht voraus; ohne ihn bitte begründen.")),
            Forms.textArea("participants", "Beteiligte (eine Person je Zeile)", state),
            Forms.textArea("outcome", "Ergebnis", state),
            Forms.submit("Gespräch speichern")
        )
    }

    static func documentForm(context: PageContext, caseID: UUID, meetings: [MeetingRecord], state: FormState) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteURL.carePlanDocuments(caseID).path), .class("stack"), .id("dokument-form"),
            Forms.csrf(context.csrfToken),
            .h3(.text(state["documentId"].isEmpty ? "Eingang eintragen" : "Eingang korrigieren")),
            .if(!state["documentId"].isEmpty, .p(.class("hint"), .text("Die Korrektur wird eine neue Fassung; die bisherige bleibt lesbar."))),
            Forms.errorSummary(state),
            .input(.type(.hidden), .name("documentId"), .value(state["documentId"])),
            Forms.select("kind", "Dokument", state, options: CarePlanDocumentKind.allCases.map { ($0.rawValue, $0.german) }, required: true),
            Forms.text("receivedOn", "Eingegangen am", state, .init(type: .date, required: true)),
            Forms.select("meetingId", "Zum Gespräch", state,
                         options: meetings.map { ($0.id.uuidString.lowercased(), "\($0.meeting.kind.german), \($0.meeting.date.german)") },
                         emptyLabel: "– das letzte Gespräch davor –"),
            Forms.submit("Eingang speichern")
        )
    }

    static func endForm(context: PageContext, caseID: UUID, state: FormState) -> Node<HTML.BodyContext> {
        .section(.id("beenden"), .h2(.text("Hilfe beenden")),
                 .form(
                    .method(.post), .action(SiteURL.endCase(caseID).path), .class("stack"),
                    Forms.csrf(context.csrfToken),
                    Forms.errorSummary(state),
                    Forms.text("date", "Letzter Tag der Hilfe", state, .init(type: .date, required: true)),
                    Forms.select("reason", "Grund", state, options: EndReason.allCases.map { ($0.rawValue, $0.german) }, required: true,
                                 hint: "Der nötige Bericht wird fällig: Abschlussbericht; bei fehlender Mitwirkung ein kurzer Abschlussbericht; bei Wechsel der Hilfeart ein Sachstandsbericht."),
                    Forms.submit("Hilfe beenden")
                 ))
    }

    public static func scopeName(_ scope: DeadlineScope) -> String {
        switch scope { case .mine: "Meine Fälle"; case .team: "Mein Team"; case .all: "Alle Fälle" }
    }

    /// Deadlines as a table, overdue first; a due report links to writing it.
    public static func deadlineTable(_ items: [CaseDeadline], empty: String) -> Node<HTML.BodyContext> {
        Layout.table(columns: ["fällig", "Fall", "Frist", "Stand"], rows: items.map { item in
            let isReport = [.progressReport, .finalReport, .shortReport, .statusReport].contains(item.deadline.kind)
            return [.span(.class("nowrap"), .text(item.deadline.due.german)),
                    .a(.href(SiteURL.carePlan(item.record.id).path), .text("\(item.record.youngPerson.fullName) · \(item.record.fileNumber)")),
                    .group(.text(item.deadline.title),
                           .if(isReport && item.deadline.status != .done,
                               .group(.text(" "), .a(.class("nowrap"), .href(SiteURL.reports(item.record.id).path), .text("Bericht schreiben"))))),
                    .span(.class(item.deadline.status == .overdue ? "over-tag" : "status"), .text(item.deadline.status.german))]
        }, empty: empty)
    }

    /// The start page's list: what is overdue or due within `Alerts.deadlineNoticeDays` in the viewer's widest scope.
    /// Pending deadlines for the next `Alerts.deadlineNoticeDays`, the same window that makes a deadline an
    /// alert on the case (R3–R6).
    public static let dueSoonWeeks = (Alerts.deadlineNoticeDays + 6) / 7

    /// - Parameter page: the first page of the pending deadlines of `dueSoonWeeks`, most urgent first.
    public static func dueSoon(_ page: DeadlinePage, scope: DeadlineScope, today: Day) -> Node<HTML.BodyContext> {
        let days = 7 * dueSoonWeeks
        return .section(
            .id("faellig"), .class("due-soon"),
            .h2(.text("Fällig und überfällig: \(scopeName(scope))")),
            .p(.class("meta"), .text(page.list.total == 0 ? "In den nächsten \(days) Tagen ist nichts fällig."
                                     : "\(page.overdue) überfällig, \(page.list.total - page.overdue) in den nächsten \(days) Tagen fällig; die dringendsten zuerst.")),
            .if(!page.items.isEmpty, deadlineTable(page.items, empty: "")),
            .p(.a(.href(SiteURL.deadlines(scope.rawValue).path), .text("Alle Fristen (\(scopeName(scope)))")))
        )
    }

    /// The confirmation before a case ends (R6): the day, the reason and what follows, with the typed values.
    /// Entries after the end (R6, R8) are listed with links to correct them, and the end waits for that.
    public static func confirmEnd(context: PageContext, record: CaseRecord, day: Day, reason: EndReason, reports: [DeadlineKind],
                                  entriesAfterEnd: [EntryAfterEnd] = [], today: Day) -> String {
        let person = record.youngPerson.fullName
        guard entriesAfterEnd.isEmpty else {
            return Layout.page(
                title: "Hilfe beenden", context: context, current: .cases,
                Layout.heading("Hilfe für \(person) zum \(day.german) beenden: erst die Leistungen danach korrigieren"),
                .p(.class("notice warning"), .attribute(named: "role", value: "alert"),
                   .text("Nach dem \(day.german) \(entriesAfterEnd.count == 1 ? "ist noch 1 Leistung" : "sind noch \(entriesAfterEnd.count) Leistungen") erfasst. "
                         + "Nach dem Ende der Hilfe wären sie weiter abrechenbar, obwohl keine Hilfe mehr geleistet wird. Bitte jede auf den "
                         + "richtigen Tag verschieben oder löschen; danach lässt sich die Hilfe beenden.")),
                entriesAfterEndTable(record.id, entriesAfterEnd),
                .div(.class("actions"),
                     .a(.class("button secondary"), .href(SiteURL.carePlan(record.id).path + "#beenden"), .text("Zurück zum Hilfeplan")))
            )
        }
        return Layout.page(
            title: "Hilfe beenden", context: context, current: .cases,
            Layout.heading("Hilfe für \(person) zum \(day.german) beenden?"),
            .p(.text("Grund: \(reason.german).")),
            .ul(.li(.text("Nach dem \(day.german) lassen sich für diesen Fall keine Leistungen mehr erfassen.")),
                .li(.text("Fällig wird: \(reports.map(\.german).joined(separator: " und ")). Die Frist steht danach bei den Fristen.")),
                .li(.text("Der Fall bleibt mit Verlauf, Nachweisen und Rechnungen erhalten."))),
            .form(.method(.post), .action(SiteURL.endCase(record.id).path),
                  Forms.csrf(context.csrfToken),
                  .input(.type(.hidden), .name("date"), .value(day.iso)),
                  .input(.type(.hidden), .name("reason"), .value(reason.rawValue)),
                  .input(.type(.hidden), .name("bestaetigt"), .value("ja")),
                  .div(.class("actions"),
                       .button(.type(.submit), .class("button primary"), .text("Ja, Hilfe zum \(day.german) beenden")),
                       .a(.class("button secondary"), .href(SiteURL.carePlan(record.id).path), .text("Abbrechen"))))
        )
    }

    /// The entries after a planned end: day, time, kind, staff, and where to correct each. A group
    /// session's share is changed with its session, so it links to the month's entries of the case.
    static func entriesAfterEndTable(_ caseID: UUID, _ entries: [EntryAfterEnd]) -> Node<HTML.BodyContext> {
        Layout.table(columns: ["Datum", "Zeit", "Art", "Fachkraft", "Korrektur"], rows: entries.map { entry in
            let correction: Node<HTML.BodyContext> = entry.groupSessionID == nil
                ? .a(.href(SiteURL.editEntry(caseID, UUID(uuidString: entry.entryID) ?? caseID).path), .text("ändern oder löschen"))
                : .group(.text("Anteil am Gruppenangebot – mit dem Gruppenangebot ändern. "),
                         .a(.href(SiteURL.caseWork(caseID).path + "?monat=\(Month(containing: entry.date).iso)#leistungen"), .text("Leistungen des Monats")))
            return [.span(.class("nowrap"), .text(entry.date.german)), .text(entry.start.text), .text(entry.kind.german), .text(entry.staffName), correction]
        }, empty: "")
    }

    /// The deadlines page: next 8 weeks, overdue first, and the calendar subscription.
    /// Deadlines per page of *Fristen*.
    public static let pageSize = 100

    public static func overview(context: PageContext, scope: DeadlineScope, scopes: [DeadlineScope], page: DeadlinePage, pager: Layout.Pager,
                                feedURL: String?, today: Day) -> String {
        let overdue = page.overdue, items = page.items, total = page.list.total
        return Layout.page(
            title: "Fristen", context: context, current: .deadlines(nil),
            Layout.heading("Fristen der nächsten 8 Wochen: \(scopeName(scope))"),
            .if(scopes.count > 1, .nav(.class("month-nav"), .attribute(named: "aria-label", value: "Bereich"),
                                       .forEach(scopes) { s in
                                           .a(.href(SiteURL.deadlines(s.rawValue).path), .if(s == scope, .attribute(named: "aria-current", value: "page")),
                                              .text(scopeName(s)))
                                       })),
            .p(.class("meta"), .text("Angezeigt: \(scopeName(scope)). \(total) offen" + (overdue > 0 ? ", davon \(overdue) überfällig (oben)" : "")
                                     + (items.count < total ? "; auf dieser Seite \(page.list.offset + 1) bis \(page.list.offset + items.count)." : "."))),
            deadlineTable(items, empty: "In den nächsten 8 Wochen ist nichts fällig."),
            Layout.pager(pager),
            .section(.id("kalender"), .h2(.text("Im Kalender abonnieren")),
                     .p(.text("Fristen und Hilfeplangespräche Ihrer Fälle als Kalender-Abo für Outlook, Thunderbird oder das Telefon. Die Adresse ist geheim; wer sie kennt, sieht Initialen, Aktenzeichen und Fristen.")),
                     .unwrap(feedURL) { .p(.class("notice"), .code(.text($0))) },
                     .form(.method(.post), .action(SiteURL.calendarFeed.path), Forms.csrf(context.csrfToken),
                           .button(.type(.submit), .class("button"),
                                   .text(feedURL == nil ? "Kalender-Adresse erstellen bzw. erneuern" : "Neue Adresse erzeugen (die alte wird ungültig)"))))
        )
    }
}
