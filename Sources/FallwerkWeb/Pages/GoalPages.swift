import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// The small navigation on every documentation page: back to the case, and its three parts.
enum DocumentationNav {
    static func header(_ record: CaseRecord, title: String) -> Node<HTML.BodyContext> {
        .group(
            .p(.class("back"), .a(.href(SiteURL.caseWork(record.id).path), .text("← \(record.youngPerson.fullName) (\(record.fileNumber))"))),
            .h1(.text(title)),
            .nav(.class("doc-nav"), .attribute(named: "aria-label", value: "Dokumentation"),
                 .ul(.forEach([("Ziele", SiteURL.goals(record.id)), ("Verlauf (Notizen)", SiteURL.notes(record.id)),
                               ("Berichte", SiteURL.reports(record.id))]) { item in
                     .li(.a(.href(item.1.path), .if(item.0 == title, .attribute(named: "aria-current", value: "page")), .text(item.0)))
                 }))
        )
    }
}

/// Goals with their SMART parts and rating history (R18).
public enum GoalPages {
    public struct Model: Sendable {
        public let record: CaseRecord
        public let goals: [GoalRecord]
        public let newGoal: FormState
        /// The rating form that failed, with its goal.
        public let ratingState: FormState
        public let ratingGoalID: UUID?
        public let today: Day

        public init(record: CaseRecord, goals: [GoalRecord], newGoal: FormState = FormState(), ratingState: FormState = FormState(),
                    ratingGoalID: UUID? = nil, today: Day) {
            self.record = record
            self.goals = goals
            self.newGoal = newGoal
            self.ratingState = ratingState
            self.ratingGoalID = ratingGoalID
            self.today = today
        }
    }

    public static func list(context: PageContext, _ m: Model) -> String {
        Layout.page(
            title: "Ziele – \(m.record.youngPerson.fullName)", context: context, current: .cases,
            DocumentationNav.header(m.record, title: "Ziele"),
            .p(.class("lead"), .text("Ziele aus dem Hilfeplan, SMART formuliert, mit ihrer Bewertung im Verlauf (1 = nicht erreicht bis 5 = vollständig erreicht).")),
            .if(m.goals.isEmpty, .p(.class("empty"), .text("Für diese Hilfe sind noch keine Ziele erfasst."))),
            .forEach(m.goals) { goal in card(goal, m: m, context: context) },
            .element(named: "details", nodes: [
                .class("card"),
                .if(m.newGoal.hasErrors || m.goals.isEmpty, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Neues Ziel erfassen")]),
                .form(.method(.post), .action(SiteURL.goals(m.record.id).path),
                      Forms.csrf(context.csrfToken), Forms.errorSummary(m.newGoal),
                      .group(fields(m.newGoal)),
                      Forms.submit("Ziel speichern")),
            ])
        )
    }

    public static func edit(context: PageContext, record: CaseRecord, goal: GoalRecord, state: FormState) -> String {
        Layout.page(
            title: "Ziel bearbeiten", context: context, current: .cases,
            DocumentationNav.header(record, title: "Ziel bearbeiten"),
            .form(.method(.post), .action(SiteURL.goal(record.id, goal.id).path),
                  Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                  .group(fields(state)),
                  Forms.submit("Ziel speichern", cancel: .goals(record.id)))
        )
    }

    static func card(_ record: GoalRecord, m: Model, context: PageContext) -> Node<HTML.BodyContext> {
        let goal = record.goal
        let failed = m.ratingGoalID == record.id
        var ratingState = failed ? m.ratingState : FormState(values: ["ratedOn": m.today.iso])
        if ratingState["ratedOn"].isEmpty { ratingState.values["ratedOn"] = m.today.iso }
        let parts: [(String, String?)] = [("Was genau?", goal.specific), ("Woran gemessen?", goal.measurable), ("Erreichbar?", goal.achievable),
                                          ("Bedeutsam?", goal.relevant), ("Bis wann?", goal.timeBound?.german),
                                          ("In eigenen Worten", goal.youngPersonView.map { "„\($0)“" })]
        return .article(
            .class("card goal"), .id("ziel-\(record.id.uuidString.lowercased())"),
            .h2(.text(goal.title), .span(.class("goal-status"), .text(" · " + goal.status.german))),
            .dl(.class("facts"), .forEach(parts.filter { $0.1 != nil }) { .group(.dt(.text($0.0)), .dd(.text($0.1!))) }),
            .if(!goal.missingSmartParts.isEmpty, .p(.class("hint"), .text("Noch offen: " + goal.missingSmartParts.joined(separator: ", ") + "."))),
            .h3(.text("Bewertungsverlauf")),
            goal.ratings.isEmpty
                ? .p(.class("empty"), .text("Noch keine Bewertung."))
                : .ol(.class("ratings"), .forEach(goal.ratingHistory) { r in
                    .li(.strong(.text("\(r.ratedOn.german): \(r.attainment.label)")), .text(" – \(r.reason)"),
                        .unwrap(r.youngPersonView) { .span(.class("meta"), .text(" (Sicht des jungen Menschen: „\($0)“)")) })
                }),
            .if(goal.status != .dropped, .element(named: "details", nodes: [
                .if(failed, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Bewertung eintragen")]),
                .form(.method(.post), .action(SiteURL.goalRatings(m.record.id, record.id).path),
                      Forms.csrf(context.csrfToken), Forms.errorSummary(ratingState),
                      Forms.select("value", "Bewertung", ratingState, options: GoalAttainment.allCases.map { (String($0.rawValue), $0.label) }, required: true),
                      Forms.text("ratedOn", "Datum der Bewertung", ratingState, .init(type: .date, required: true)),
                      Forms.text("reason", "Kurze Begründung", ratingState, .init(required: true)),
                      Forms.textArea("youngPersonView", "Sicht des jungen Menschen", ratingState, hint: "Wie sieht der junge Mensch selbst den Stand?"),
                      Forms.submit("Bewertung speichern")),
            ])),
            .p(.a(.class("button secondary"), .href(SiteURL.goal(m.record.id, record.id).path), .text("Ziel bearbeiten")))
        )
    }

    static func fields<C: HTML.BodyContext>(_ state: FormState) -> [Node<C>] {
        [
            Forms.text("title", "Ziel in wenigen Worten", state, .init(required: true)),
            Forms.textArea("specific", "Was genau? (spezifisch)", state, hint: "Was soll sich konkret verändern?"),
            Forms.textArea("measurable", "Woran gemessen? (messbar)", state, hint: "Woran merken alle, dass das Ziel erreicht ist?"),
            Forms.textArea("achievable", "Erreichbar? (realistisch)", state),
            Forms.textArea("relevant", "Bedeutsam? (relevant)", state),
            Forms.text("timeBound", "Bis wann? (terminiert)", state, .init(type: .date)),
            Forms.textArea("youngPersonView", "Das Ziel in den Worten des jungen Menschen", state),
            Forms.select("status", "Stand", state, options: GoalStatus.allCases.map { ($0.rawValue, $0.german) }, emptyLabel: nil,
                         hint: "Ein erreichtes Ziel braucht „Was genau?“, „Woran gemessen?“ und „Bis wann?“."),
        ]
    }

    /// The form values of a stored goal.
    public static func values(of goal: Goal) -> [String: String] {
        ["title": goal.title, "specific": goal.specific ?? "", "measurable": goal.measurable ?? "", "achievable": goal.achievable ?? "",
         "relevant": goal.relevant ?? "", "timeBound": goal.timeBound?.iso ?? "", "youngPersonView": goal.youngPersonView ?? "",
         "status": goal.status.rawValue]
    }
}
