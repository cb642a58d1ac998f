import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// The case page's work sections: alerts, budget and approvals, the month's entries.
public enum CaseWorkSections {
    public struct Model: Sendable {
        public let work: CaseWork
        public let access: CaseAccess
        public let month: Month
        public let today: Day
        public let canRecord: Bool
        public let viewerUserID: UUID
        public let viewerStaffID: UUID?
        public let isLead: Bool
        public let staffOptions: [(value: String, label: String)]
        public let approvalState: FormState
        public let increaseState: FormState
        /// The month's service record sheet, for its signature status (R15).
        public let sheet: ServiceRecord?

        public init(work: CaseWork, access: CaseAccess, month: Month, today: Day, canRecord: Bool, viewerUserID: UUID, viewerStaffID: UUID?,
                    isLead: Bool, staffOptions: [(value: String, label: String)], approvalState: FormState, increaseState: FormState,
                    sheet: ServiceRecord? = nil) {
            self.work = work
            self.access = access
            self.month = month
            self.today = today
            self.canRecord = canRecord
            self.viewerUserID = viewerUserID
            self.viewerStaffID = viewerStaffID
            self.isLead = isLead
            self.staffOptions = staffOptions
            self.approvalState = approvalState
            self.increaseState = increaseState
            self.sheet = sheet
        }
    }

    public static func render(context: PageContext, _ m: Model) -> [Node<HTML.BodyContext>] {
        let caseID = m.work.record.id
        let mayWrite = m.canRecord && m.access == .full
        let lastContact = m.work.lastContact
        return [
            .section(
                .class("case-work"), .id("arbeit"),
                .div(.class("page-heading"),
                     .h2(.text("Hinweise und Budget")),
                     .if(mayWrite, .a(.class("button primary"), .href(SiteURL.newEntry(caseID).path), .text("Leistung erfassen")))),
                WorkViews.alerts(m.work.alerts, caseID: caseID, context: context, canAcknowledge: mayWrite),
                .if(m.work.alerts.isEmpty, .p(.class("empty"), .text("Keine offenen Hinweise."))),
                WorkViews.budget(m.work.ledger.status(on: m.today)),
                .p(.class("meta"), .text("Letzter Kontakt: " + (lastContact?.german ?? "noch keiner")))
            ),
            .if(m.access == .full, deadlinesSection(m)),
            entriesSection(context: context, m),
            approvalsSection(context: context, m, mayWrite: mayWrite),
        ]
    }

    /// The next care plan deadlines (R3–R6), with the way to the care plan page.
    static func deadlinesSection(_ m: Model) -> Node<HTML.BodyContext> {
        let pending = Deadlines.upcoming(m.work.deadlines, today: m.today, weeks: 26).prefix(4)
        return .section(
            .id("hilfeplan"),
            .div(.class("page-heading"), .h2(.text("Hilfeplan und Fristen")),
                 .a(.class("button"), .href(SiteURL.carePlan(m.work.record.id).path), .text("Hilfeplan öffnen"))),
            .if(pending.isEmpty, .p(.class("empty"), .text("In den nächsten sechs Monaten ist keine Frist offen."))),
            .ul(.class("deadlines"), .forEach(Array(pending)) { d in
                .li(.span(.class(d.status == .overdue ? "over-tag" : "status"), .text(d.status == .overdue ? "überfällig" : d.due.german)),
                    .text(" \(d.title)" + (d.status == .overdue ? " (fällig am \(d.due.german))" : "")))
            }))
    }

    static func entriesSection(context: PageContext, _ m: Model) -> Node<HTML.BodyContext> {
        let caseID = m.work.record.id
        let previous = Month(containing: m.month.firstDay.adding(days: -1))
        let next = Month(containing: m.month.lastDay.adding(days: 1))
        let entries = m.work.entries(in: m.month)
        let billable = entries.reduce(0) { $0 + $1.billableMinutes }
        let budget = entries.reduce(0) { $0 + $1.budgetMinutes }
        return .section(
            .id("leistungen"),
            .h2(.text("Leistungen \(WorkViews.monthName(m.month))")),
            .div(.class("month-nav"),
                 .a(.href(SiteURL.caseWork(caseID).path + "?monat=\(previous.iso)#leistungen"), .text("‹ \(WorkViews.monthName(previous))")),
                 .if(next <= Month(containing: m.today),
                     .a(.href(SiteURL.caseWork(caseID).path + "?monat=\(next.iso)#leistungen"), .text("\(WorkViews.monthName(next)) ›")))),
            WorkViews.entries(entries, caseID: caseID, showNotes: m.access == .full) { entry in
                m.canRecord && m.access == .full && (m.isLead || entry.createdBy == m.viewerUserID || entry.staffID == m.viewerStaffID)
            },
            .if(!entries.isEmpty, .p(.class("meta"),
                                     .text("Summe: \(Minutes(billable).germanHours) Std. abrechenbar · \(Minutes(budget).germanHours) Std. Budget"))),
            .unwrap(m.sheet) { sheet in
                .if(!sheet.entries.isEmpty, .p(.class(sheet.allowsInvoice ? "meta" : "meta over-tag"),
                    .text("Leistungsnachweis \(WorkViews.monthName(m.month)): \(BillingPages.signatureText(sheet)) · "),
                    .a(.href(SiteURL.serviceRecord(caseID, m.month).path),
                       .text(!sheet.allowsInvoice ? "Nachweis öffnen und unterschreiben lassen" : "Nachweis öffnen"))))
            }
        )
    }

    static func approvalsSection(context: PageContext, _ m: Model, mayWrite: Bool) -> Node<HTML.BodyContext> {
        let caseID = m.work.record.id
        return .section(
            .id("bewilligungen"),
            .h2(.text("Bewilligungen")),
            Layout.table(
                columns: ["Zeitraum", "Stunden", "Ausgleich", "Zeichen", "Erhöhungen"],
                rows: m.work.approvals.map { approval in
                    [
                        .text("\(approval.from.german)–\(approval.to.german)"),
                        .text("\(Minutes(approval.minutesPerUnit).germanHours) Std. \(approval.unit.german)"),
                        .text(approval.balancing.german),
                        .text(approval.reference ?? "–"),
                        .group(
                            .if(approval.increases.isEmpty, .text("–")),
                            .ul(.class("plain"), .forEach(approval.increases) { increase in
                                .li(.text("+\(Minutes(increase.minutes).germanHours) Std., bestätigt am \(increase.confirmedOn.german)"),
                                    .if(mayWrite, .form(.method(.post), .action(SiteURL.deleteIncrease(caseID, approval.id, increase.id).path), .class("inline"),
                                                        Forms.csrf(context.csrfToken),
                                                        .button(.type(.submit), .class("link"), .text("löschen")))))
                            }),
                            .if(mayWrite, increaseForm(context: context, m, approvalID: approval.id)),
                            .if(mayWrite, correctionForm(context: context, m, approval: approval))
                        ),
                    ]
                },
                empty: "Noch keine Bewilligung erfasst."
            ),
            .if(mayWrite, approvalForm(context: context, m))
        )
    }

    static func approvalForm(context: PageContext, _ m: Model) -> Node<HTML.BodyContext> {
        let state = m.approvalState["approvalId"].isEmpty ? m.approvalState : FormState()
        return .element(named: "details", nodes: [
            .if(state.hasErrors, .attribute(named: "open", value: "open")),
            .element(named: "summary", nodes: [.text("Neue Bewilligung eintragen")]),
            .form(
                .method(.post), .action(SiteURL.approvals(m.work.record.id).path),
                Forms.csrf(context.csrfToken),
                Forms.errorSummary(state),
                approvalFields(state, m),
                Forms.submit("Bewilligung speichern")
            ),
        ])
    }

    /// Correcting a stored approval (typo in hours or dates) or deleting one recorded by mistake; the
    /// server refuses once an issued invoice was counted with it.
    static func correctionForm(context: PageContext, _ m: Model, approval: ApprovalRecord) -> Node<HTML.BodyContext> {
        let mine = m.approvalState["approvalId"] == approval.id.uuidString.lowercased()
        let state = mine ? m.approvalState : FormState(values: [
            "from": approval.from.iso, "to": approval.to.iso, "hours": Minutes(approval.minutesPerUnit).germanHours,
            "per": approval.unit.rawValue, "reference": approval.reference ?? ""],
            multiValues: ["staffIds": approval.namedStaffIDs.map(\.uuidString)])
        let scoped = state.scoped("b-" + approval.id.uuidString.lowercased())
        return .element(named: "details", nodes: [
            .if(mine && state.hasErrors, .attribute(named: "open", value: "open")),
            .element(named: "summary", nodes: [.text("Bewilligung korrigieren")]),
            .form(
                .method(.post), .action(SiteURL.approval(m.work.record.id, approval.id).path),
                Forms.csrf(context.csrfToken),
                Forms.errorSummary(scoped),
                .input(.type(.hidden), .name("approvalId"), .value(approval.id.uuidString.lowercased())),
                approvalFields(scoped, m),
                Forms.submit("Korrektur speichern")
            ),
            .form(
                .method(.post), .action(SiteURL.deleteApproval(m.work.record.id, approval.id).path),
                Forms.csrf(context.csrfToken),
                .p(.class("hint"), .text("Löschen entfernt die Bewilligung mit ihren Erhöhungen; die Leistungen bleiben und zählen dann ohne Bewilligung.")),
                .button(.type(.submit), .class("secondary"), .text("Bewilligung löschen"))
            ),
        ])
    }

    static func approvalFields(_ state: FormState, _ m: Model) -> Node<HTML.FormContext> {
        .group(
                .div(.class("row"),
                     Forms.text("from", "Von", state, .init(type: .date, required: true)),
                     Forms.text("to", "Bis", state, .init(type: .date, required: true))),
                .div(.class("row"),
                     Forms.text("hours", "Fachleistungsstunden", state, .init(hint: "z. B. 20 oder 7,5", required: true, inputMode: "decimal")),
                     Forms.select("per", "je", state, options: BudgetUnit.allCases.map { ($0.rawValue, $0.german) }, required: true)),
                Forms.text("reference", "Zeichen des Bescheids", state),
                Forms.checkboxes("staffIds", "Benannte Fachkräfte", state, options: m.staffOptions))
    }

    static func increaseForm(context: PageContext, _ m: Model, approvalID: UUID) -> Node<HTML.BodyContext> {
        let mine = m.increaseState["approvalId"] == approvalID.uuidString.lowercased()
        let state = (mine ? m.increaseState : FormState()).scoped("e-" + approvalID.uuidString.lowercased())
        return .element(named: "details", nodes: [
            .if(mine && state.hasErrors, .attribute(named: "open", value: "open")),
            .element(named: "summary", nodes: [.text("Erhöhung eintragen")]),
            .form(
                .method(.post), .action(SiteURL.increases(m.work.record.id, approvalID).path),
                Forms.csrf(context.csrfToken),
                Forms.errorSummary(state),
                Forms.text("hours", "Zusätzliche Stunden", state, .init(required: true, inputMode: "decimal")),
                Forms.text("confirmedOn", "Vom Jugendamt bestätigt am", state, .init(type: .date, required: true)),
                Forms.text("appliesOn", "Gilt für den Zeitraum mit dem Tag", state,
                           .init(type: .date, hint: "Leer: der Zeitraum mit dem Bestätigungsdatum.")),
                Forms.text("note", "Bemerkung", state),
                Forms.submit("Erhöhung speichern")
            ),
        ])
    }
}

/// Overviews across cases: the team's cases with budget and alerts, and every open alert.
public enum OverviewPages {
    /// Most urgent first: more open alerts, then more minutes over budget, then the larger share of the
    /// budget used (compared as whole numbers), then the longest time without contact.
    public static func byUrgency(_ works: [CaseWork], today: Day) -> [CaseWork] {
        func key(_ w: CaseWork) -> (alerts: Int, over: Int, used: Int, approved: Int, contact: Day?) {
            let status = w.ledger.status(on: today)
            return (w.alerts.count, status?.overBudgetMinutes ?? 0, status?.usedMinutes ?? 0, status?.approvedMinutes ?? 0, w.lastContact)
        }
        return works.map { ($0, key($0)) }.sorted { a, b in
            let x = a.1, y = b.1
            if x.alerts != y.alerts { return x.alerts > y.alerts }
            if x.over != y.over { return x.over > y.over }
            let left = x.used * max(y.approved, 1), right = y.used * max(x.approved, 1)
            if left != right { return left > right }
            switch (x.contact, y.contact) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (let c?, let d?) where c != d: return c < d
            default: return a.0.record.fileNumber < b.0.record.fileNumber
            }
        }.map(\.0)
    }

    /// Cases per page of *Übersicht* and *Hinweise*.
    public static let pageSize = 50

    /// - Parameter page: one page of the cases, ordered by urgency (`byUrgency`) over the whole list.
    public static func team(context: PageContext, page: ListPage<CaseWork>, pager: Layout.Pager, filters: CaseFolderPages.Filters,
                            query: FormState, today: Day) -> String {
        let works = page.items
        return
        Layout.page(
            title: "Übersicht", context: context, current: .teamOverview,
            Layout.heading("Laufende Fälle mit Budget und Hinweisen"),
            .form(
                .method(.get), .action(SiteURL.teamOverview.path), .class("filters card"),
                .div(.class("grid"),
                     Forms.text("q", "Suche", query, .init(type: .search, hint: "Name oder Aktenzeichen")),
                     Forms.select("teamId", "Team", query, options: filters.teams, emptyLabel: "alle"),
                     Forms.select("staffId", "Fachkraft", query, options: filters.staff, emptyLabel: "alle"),
                     Forms.select("youthOfficeId", "Jugendamt", query, options: filters.youthOffices, emptyLabel: "alle"),
                     Forms.select("nur", "Zeigen", query, options: [("hinweise", "nur Fälle mit Hinweisen")], emptyLabel: "alle laufenden Fälle")),
                .div(.class("actions"),
                     .button(.type(.submit), .class("button primary"), .text("Filtern")),
                     .a(.class("button secondary"), .href(SiteURL.teamOverview.path), .text("Zurücksetzen")))
            ),
            .p(.class("meta"), .text(Layout.count(page.total, shown: works.count, continued: page.offset > 0, one: "Fall", many: "Fälle")
                                     + "; die dringendsten zuerst (Hinweise, Überschreitung, Budgetanteil, letzter Kontakt).")),
            Layout.table(
                columns: ["Fall", "Fachkraft", "Budget", "Letzter Kontakt", "Hinweise"],
                rows: works.map { work in
                    [
                        .a(.href(SiteURL.caseWork(work.record.id).path), .text("\(work.record.youngPerson.fullName) · \(work.record.fileNumber)")),
                        .text(work.record.lead?.staffName ?? "–"),
                        WorkViews.budget(work.ledger.status(on: today)),
                        .text(work.lastContact?.german ?? "–"),
                        .if(work.alerts.isEmpty, .text("–"), else: .ul(.class("plain"), .forEach(work.alerts) { .li(.text($0.title)) })),
                    ]
                },
                empty: "Keine laufenden Fälle."
            ),
            Layout.pager(pager)
        )
    }

    /// - Parameter page: one page of the running cases with open alerts.
    public static func alerts(context: PageContext, page: ListPage<CaseWork>, pager: Layout.Pager) -> String {
        Layout.page(
            title: "Hinweise", context: context, current: .alertsOverview,
            Layout.heading("Offene Hinweise"),
            .if(page.total == 0, .p(.class("empty"), .text("Keine offenen Hinweise. Gut so.")),
                else: .p(.class("meta"), .text(Layout.count(page.total, shown: page.items.count, continued: page.offset > 0,
                                                            one: "Fall mit Hinweisen", many: "Fälle mit Hinweisen")))),
            .forEach(page.items) { work in
                WorkViews.alerts(work.alerts, caseID: work.record.id, context: context, canAcknowledge: false,
                                 showCaseLink: "\(work.record.youngPerson.fullName) · \(work.record.fileNumber)")
            },
            Layout.pager(pager)
        )
    }

    /// The caseworker's start: their cases with budget bar, last contact, alerts and a one-tap entry button.
    public static func myCases<C: HTML.BodyContext>(_ works: [CaseWork], today: Day) -> Node<C> {
        .section(
            .class("my-cases-section"),
            .h2(.text("Meine Fälle")),
            .if(works.isEmpty, .p(.class("empty"), .text("Ihnen sind zurzeit keine laufenden Fälle zugeordnet."))),
            .ul(.class("my-cases"), .forEach(works) { work in
                .li(.class("my-case"),
                    .h3(.a(.href(SiteURL.caseWork(work.record.id).path), .text(work.record.youngPerson.fullName))),
                    .p(.class("meta"), .text("\(work.record.fileNumber) · \(work.record.offerName)")),
                    WorkViews.budget(work.ledger.status(on: today)),
                    .p(.class("meta"), .text("Letzter Kontakt: " + (work.lastContact?.german ?? "noch keiner"))),
                    .if(!work.alerts.isEmpty, .ul(.class("alerts compact"), .forEach(work.alerts) { alert in
                        .li(.class("alert"), .strong(.text(alert.title)))
                    })),
                    .a(.class("button primary"), .href(SiteURL.newEntry(work.record.id).path + "?zurueck=start"), .text("Kontakt erfassen")))
            })
        )
    }
}
