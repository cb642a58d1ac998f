import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// The entry form's preview (R9, R10, R13), for the page and for the browser's live preview alike:
/// the domain counts (`CaseWork.preview`, `EntryPreview`), the browser only shows the answer.
extension WorkRoutes {
    struct PreviewAnswer: Content {
        let text: String
        /// Whether the text warns (work beyond the budget or without an approval).
        let warning: Bool
    }

    /// `GET /faelle/:id/leistungen/vorschau?kind=…&date=…&start=…&minutes=…[&eintrag=<entry>]`: what the
    /// typed entry would count. Registered beside the form with the same policy.
    static func entryPreview(_ req: Request) async throws -> Response {
        let resolved = try req.resolvedCase
        let work = try await CaseWorkStore.load(resolved, today: req.today, on: req.db)
        var values: [String: String] = [:]
        for name in ["kind", "date", "start", "end", "minutes", "cancelledBy", "cancelledAt", "homeVisit", "kilometres"] {
            if let value = req.query[String.self, at: name] { values[name] = value }
        }
        let entryID = req.query[String.self, at: "eintrag"].flatMap(UUID.init(uuidString:))
            .flatMap { id in work.entries.contains { $0.id == id } ? id : nil }
        let answer = preview(values, work: work, today: req.today, entryID: entryID)
        let response = Response(status: .ok)
        try response.content.encode(answer, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func previewText(_ values: [String: String], work: CaseWork, today: Day, entryID: UUID?) -> String {
        preview(values, work: work, today: today, entryID: entryID).text
    }

    static func preview(_ values: [String: String], work: CaseWork, today: Day, entryID: UUID?) -> PreviewAnswer {
        var v = Validator()
        let isCancellation = values["kind"] == EntryKind.cancelled.rawValue
        let input = EntryInput(date: values["date"], start: values["start"], end: values["end"], minutes: values["minutes"].flatMap { Int($0) },
                               kind: values["kind"], cancelledBy: isCancellation ? values["cancelledBy"] : nil,
                               cancelledAt: isCancellation ? values["cancelledAt"] : nil,
                               homeVisit: values["homeVisit"] == "true", kilometres: values["kilometres"].flatMap { Int($0) })
        guard let facts = input.validated(into: &v, today: today) else {
            // The form's own check, so the preview never counts what saving would refuse (R10: a
            // cancellation after the start is no short-notice cancellation but "nicht angetroffen").
            guard let first = v.errors.first else { return PreviewAnswer(text: "", warning: false) }
            return PreviewAnswer(text: "Noch nicht zu berechnen: \(first.message)", warning: false)
        }
        let preview = work.preview(facts, replacing: entryID)
        return PreviewAnswer(text: EntryFormPage.previewText(preview, date: facts.date), warning: EntryFormPage.previewWarns(preview))
    }
}
