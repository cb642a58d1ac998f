import FallwerkDomain
import Fluent
import Foundation

public enum AlertStore {
    /// Confirms having acted on an alert data cannot clear (R12: the youth office was informed).
    public static func acknowledge(caseID: UUID, kind: String?, since: String?, note: String?, viewer: Viewer, context: WriteContext,
                                   today: Day, on db: any Database) async throws {
        let (work, access) = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw NotAllowed("Hinweise bestätigen die Fachkräfte des Falls und die Leitung.") }
        var v = Validator()
        let alertKind = kind.flatMap { AlertKind(rawValue: $0.trimmed) }
        if alertKind == nil { v.add("kind", "Bitte einen gültigen Hinweis angeben.") }
        else if alertKind?.isAcknowledgeable == false {
            v.add("kind", "Dieser Hinweis verschwindet von selbst, sobald seine Ursache behoben ist.")
        }
        let sinceDay = v.day(since, "since", label: "den Beginn des Hinweises")
        let text = v.optional(note, "note", label: "die Bemerkung", maxLength: 500)
        if let alertKind, let sinceDay, !v.has("kind"),
           !work.alerts.contains(where: { $0.kind == alertKind && $0.since == sinceDay }) {
            v.add("since", "Dieser Hinweis ist nicht (mehr) offen.")
        }
        try v.finish()
        guard let alertKind, let sinceDay else { throw ValidationFailure(v.errors) }
        let model = AlertAcknowledgementModel()
        model.$case.id = caseID
        model.kind = alertKind.rawValue
        model.since = sinceDay.iso
        model.note = text
        model.userID = viewer.userID
        model.at = context.now
        try await model.create(on: db)
        try await AuditLog.record(.create, entity: "alertAcknowledgement", id: model.id,
                                  changes: ["case": AuditChange(from: nil, to: caseID.uuidString),
                                            "kind": AuditChange(from: nil, to: alertKind.rawValue),
                                            "since": AuditChange(from: nil, to: sinceDay.iso)],
                                  by: context.actor, at: context.now, on: db)
    }

    /// Running cases visible to the viewer that have open alerts, in list order, the page from `offset`
    /// with at most `limit` cases; a fixed number of queries.
    public static func openAlerts(visibleTo viewer: Viewer, today: Day, offset: Int = 0, limit: Int? = nil,
                                  on db: any Database) async throws -> ListPage<CaseWork> {
        try await CaseWorkStore.summaryPage(CaseFilter(status: .running), visibleTo: viewer, today: today, offset: offset, limit: limit,
                                            choose: { $0.filter { !$0.alerts.isEmpty } }, on: db)
    }
}
