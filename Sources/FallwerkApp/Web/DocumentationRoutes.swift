import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Pages of a case's documentation: goals with ratings, the running record, reports (R18–R20).
/// Never for accounting (policy), and only on cases with full access (store).
enum DocumentationRoutes {
    static func register(on pages: any RoutesBuilder) {
        let docs = PolicyRoutes(pages, Policies.documentation, whenDenied: .redirectToLogin)
        let caseDocs = docs.cases(CasePolicies.documentation)
        caseDocs.get("faelle", ":id", "ziele") { req in try await goals(req) }
        caseDocs.post("faelle", ":id", "ziele") { req in try await createGoal(req) }
        caseDocs.get("faelle", ":id", "ziele", ":goal") { req in try await editGoal(req, state: nil) }
        caseDocs.post("faelle", ":id", "ziele", ":goal") { req in try await saveGoal(req) }
        caseDocs.post("faelle", ":id", "ziele", ":goal", "bewertungen") { req in try await rateGoal(req) }
        caseDocs.get("faelle", ":id", "verlauf") { req in try await notes(req) }
        caseDocs.post("faelle", ":id", "verlauf") { req in try await createNote(req) }
        caseDocs.get("faelle", ":id", "berichte") { req in try await reports(req) }
        caseDocs.post("faelle", ":id", "berichte") { req in try await generateReport(req) }
        let reportDocs = docs.reports(CasePolicies.documentation)
        reportDocs.get("berichte", ":id") { req in try await report(req) }
        reportDocs.post("berichte", ":id", "abschnitte") { req in try await saveSections(req) }
        reportDocs.post("berichte", ":id", ":step") { req in try await reportStep(req) }
        reportDocs.get("berichte", ":id", "bericht.docx") { req in try await docx(req) }
        reportDocs.get("berichte", ":id", "druck") { req in try await printView(req) }
    }

    static func write(_ req: Request) throws -> WriteContext {
        WriteContext(actor: try req.requireUser().auditActor, now: req.now)
    }

    // MARK: - Goals

    static func goals(_ req: Request, newGoal: FormState = FormState(), ratingState: FormState = FormState(), ratingGoalID: UUID? = nil,
                      status: HTTPResponseStatus = .ok) async throws -> Response {
        let caseID = try req.uuid("id")
        let viewer = try await req.viewer()
        let goals = try await GoalStore.list(caseID: caseID, viewer: viewer, context: try write(req), today: req.today, on: req.db)
        let (record, _) = try await CaseStore.get(caseID, visibleTo: viewer, today: req.today, on: req.db)
        let model = GoalPages.Model(record: record, goals: goals, newGoal: newGoal, ratingState: ratingState, ratingGoalID: ratingGoalID, today: req.today)
        return WebContext.html(GoalPages.list(context: WebContext.pageContext(for: req), model), status: status)
    }

    static func goalInput(_ form: FormData) -> GoalInput {
        GoalInput(title: form.optional("title"), specific: form.optional("specific"), measurable: form.optional("measurable"),
                  achievable: form.optional("achievable"), relevant: form.optional("relevant"), timeBound: form.optional("timeBound"),
                  youngPersonView: form.optional("youngPersonView"), status: form.optional("status"))
    }

    static func createGoal(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        do {
            try await GoalStore.create(caseID: caseID, goalInput(form), viewer: try await req.viewer(), context: try write(req),
                                       today: req.today, on: req.db)
            return WebContext.redirect(.goals(caseID), notice: "Das Ziel ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await goals(req, newGoal: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func editGoal(_ req: Request, state: FormState?) async throws -> Response {
        let caseID = try req.uuid("id"), goalID = try req.uuid("goal")
        let viewer = try await req.viewer()
        let goals = try await GoalStore.list(caseID: caseID, viewer: viewer, context: try write(req), today: req.today, on: req.db)
        guard let goal = goals.first(where: { $0.id == goalID }) else { throw RecordNotFound(entity: "goal") }
        let (record, _) = try await CaseStore.get(caseID, visibleTo: viewer, today: req.today, on: req.db)
        return WebContext.html(GoalPages.edit(context: WebContext.pageContext(for: req), record: record, goal: goal,
                                              state: state ?? FormState(values: GoalPages.values(of: goal.goal))),
                               status: state == nil ? .ok : .unprocessableEntity)
    }

    static func saveGoal(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id"), goalID = try req.uuid("goal")
        let form = FormData(request: req)
        do {
            try await GoalStore.update(caseID: caseID, goalID: goalID, goalInput(form), viewer: try await req.viewer(), context: try write(req),
                                       today: req.today, on: req.db)
            return WebContext.redirect(.goals(caseID), notice: "Das Ziel ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await editGoal(req, state: FormState(values: form.values, errors: failure.errors))
        }
    }

    static func rateGoal(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id"), goalID = try req.uuid("goal")
        let form = FormData(request: req)
        let rating = GoalRatingInput(value: form.optional("value").flatMap { Int($0) } ?? (form.optional("value") == nil ? nil : -1),
                                     ratedOn: form.optional("ratedOn"), reason: form.optional("reason"),
                                     youngPersonView: form.optional("youngPersonView"))
        do {
            try await GoalStore.rate(caseID: caseID, goalID: goalID, rating, viewer: try await req.viewer(), context: try write(req),
                                     today: req.today, on: req.db)
            return WebContext.redirect(.goals(caseID), notice: "Die Bewertung ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await goals(req, ratingState: FormState(values: form.values, errors: failure.errors), ratingGoalID: goalID,
                                   status: .unprocessableEntity)
        }
    }

    // MARK: - Notes

    static func notes(_ req: Request, state: FormState? = nil) async throws -> Response {
        let caseID = try req.uuid("id")
        let viewer = try await req.viewer()
        let query = (req.query[String.self, at: "q"] ?? "").trimmed
        let context = try write(req)
        let notes = try await NoteStore.list(caseID: caseID, query: query, viewer: viewer, context: context, today: req.today, on: req.db)
        let goals = try await GoalStore.list(caseID: caseID, viewer: viewer, context: context, today: req.today, on: req.db)
        let (record, _) = try await CaseStore.get(caseID, visibleTo: viewer, today: req.today, on: req.db)
        // "Korrigieren": the new-note form filled with the version to correct.
        var initial = FormState(values: ["date": req.today.iso])
        let correctable = Set(notes.filter { NoteStore.mayCorrect(createdBy: $0.createdBy, viewer: viewer) }.map(\.id))
        if let raw = req.query[String.self, at: "korrigieren"],
           let old = notes.first(where: { $0.id.uuidString.lowercased() == raw.lowercased() && $0.isCurrent && correctable.contains($0.id) }) {
            initial = FormState(values: ["date": old.note.date.iso, "observation": old.note.observation, "assessment": old.note.assessment ?? "",
                                         "correctsNoteId": old.id.uuidString.lowercased()],
                                multiValues: ["goalIds": old.note.goalIDs])
        }
        var model = NotePages.Model(record: record, notes: notes, goals: goals, query: query, state: state ?? initial)
        model.correctable = correctable
        return WebContext.html(NotePages.render(context: WebContext.pageContext(for: req), model),
                               status: state == nil ? .ok : .unprocessableEntity)
    }

    static func createNote(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        let goalIDs = form.all("goalIds").filter { !$0.isEmpty }
        let input = NoteInput(date: form.optional("date"), observation: form.optional("observation"), assessment: form.optional("assessment"),
                              goalIDs: goalIDs)
        let correcting = form.optional("correctsNoteId")
        do {
            try await NoteStore.create(caseID: caseID, input, correcting: correcting, viewer: try await req.viewer(), context: try write(req),
                                       today: req.today, on: req.db)
            return WebContext.redirect(.notes(caseID), notice: correcting == nil ? "Die Notiz ist gespeichert." : "Die Korrektur ist gespeichert; die frühere Fassung bleibt lesbar.", on: req)
        } catch let failure as ValidationFailure {
            return try await notes(req, state: FormState(values: form.values, multiValues: ["goalIds": goalIDs], errors: failure.errors))
        }
    }
}
