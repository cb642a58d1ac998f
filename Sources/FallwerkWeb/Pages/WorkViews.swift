import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Pieces shared by the start page, the case page and the team overview: budget bar, alerts, entries.
public enum WorkViews {
    /// "12,5 von 20 Std. verbraucht (01.11.–30.11.2026)" with a meter; red when over budget.
    public static func budget<C: HTML.BodyContext>(_ status: BudgetStatus?) -> Node<C> {
        guard let status else {
            return .p(.class("budget none"), .text("Keine gültige Bewilligung"))
        }
        let over = status.overBudgetMinutes > 0
        return .div(
            .class(over ? "budget over" : "budget"),
            .element(named: "meter", nodes: [
                .attribute(named: "min", value: "0"),
                .attribute(named: "max", value: String(max(status.approvedMinutes, 1))),
                .attribute(named: "high", value: String(status.approvedMinutes * 9 / 10)),
                .attribute(named: "optimum", value: "0"),
                .attribute(named: "value", value: String(status.usedMinutes)),
                .attribute(named: "aria-label", value: "Budget"),
            ]),
            .span(.class("budget-text"), .text(budgetText(status)))
        )
    }

    public static func budgetText(_ status: BudgetStatus) -> String {
        var text = "\(Minutes(status.usedMinutes).germanHours) von \(Minutes(status.approvedMinutes).germanHours) Std. "
            + "(\(status.from.german)–\(status.to.german))"
        if status.overBudgetMinutes > 0 {
            text += " – \(Minutes(status.overBudgetMinutes).germanHours) Std. über dem Budget"
        } else {
            text += " – noch \(Minutes(status.remainingMinutes).germanHours) Std."
        }
        return text
    }

    /// Open alerts with what to do; R12 alerts get a confirm button where the user may act.
    public static func alerts<C: HTML.BodyContext>(_ alerts: [CaseAlert], caseID: UUID, context: PageContext, canAcknowledge: Bool,
                                                   showCaseLink: String? = nil) -> Node<C> {
        guard !alerts.isEmpty else { return .empty }
        return .ul(.class("alerts"), .forEach(alerts) { alert in
            .li(
                .class("alert alert-\(alert.kind.rawValue)"),
                .unwrap(showCaseLink) { .a(.class("alert-case"), .href(SiteURL.caseWork(caseID).path), .text($0)) },
                .strong(.text(alert.title)),
                .span(.class("alert-since"), .text(" seit \(alert.since.german)")),
                .p(.text(alert.action)),
                .if(canAcknowledge && alert.kind.isAcknowledgeable, .form(
                    .method(.post), .action(SiteURL.acknowledgeAlert(caseID).path),
                    Forms.csrf(context.csrfToken),
                    .input(.type(.hidden), .name("kind"), .value(alert.kind.rawValue)),
                    .input(.type(.hidden), .name("since"), .value(alert.since.iso)),
                    .button(.type(.submit), .class("button"), .text("Jugendamt ist informiert"))
                ))
            )
        })
    }

    public static func minutes(_ value: Int) -> String { "\(value) Min." }

    /// The month's entries with what each counts; own entries (or all for leads) can be changed.
    /// Short notes only with full access (accounting sees hours, no content).
    public static func entries<C: HTML.BodyContext>(_ entries: [CountedEntry], caseID: UUID, showNotes: Bool,
                                                    mayEdit: (EntryRecord) -> Bool) -> Node<C> {
        Layout.table(
            columns: ["Datum", "Zeit", "Art", "Fachkraft", "Dauer", "abrechenbar", "Budget", ""],
            rows: entries.map { counted in
                let e = counted.entry
                var kind = e.facts.kind.german
                if let by = e.facts.cancelledBy { kind += " (\(by.german))" }
                if e.facts.homeVisit { kind += ", Hausbesuch" }
                return [
                    .text(e.facts.date.german),
                    .text(e.facts.start.text),
                    .group(.text(kind), .if(showNotes, .unwrap(e.note) { .span(.class("entry-note"), .text($0)) })),
                    .text(e.staffName),
                    .text(minutes(e.facts.minutes)),
                    .text(minutes(counted.billableMinutes)),
                    .group(
                        .text(minutes(counted.budgetMinutes)),
                        .if(counted.overBudgetMinutes > 0, .span(.class("over-tag"), .text(" davon \(counted.overBudgetMinutes) über Budget")))
                    ),
                    .if(mayEdit(e) && e.groupSessionID == nil, .a(.href(SiteURL.editEntry(caseID, e.id).path), .text("Ändern"))),
                ]
            },
            empty: "In diesem Monat ist noch nichts erfasst."
        )
    }

    public static func monthName(_ month: Month) -> String { month.german }
}
