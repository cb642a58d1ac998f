import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

/// Care plan pages (R3–R6): a case's meetings, documents and deadlines; the deadlines page; the
/// calendar feed.
enum CarePlanRoutes {
    static let feedKey = "calendarFeedURL"

    static func register(on pages: any RoutesBuilder, open app: any RoutesBuilder) {
        let signedIn = PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin)
        signedIn.cases(CasePolicies.carePlan).get("faelle", ":id", "hilfeplan") { req in
            try await page(req, forms: .init(), editing: req.query[String.self, at: "gespraech"], editingDocument: req.query[String.self, at: "dokument"])
        }
        signedIn.get("fristen") { req in try await overview(req) }
        signedIn.post("fristen", "kalender") { req in try await renewFeed(req) }
        let work = PolicyRoutes(pages, Policies.recordWork, whenDenied: .redirectToLogin)
        work.cases(CasePolicies.carePlan).post("faelle", ":id", "hilfeplan", "gespraeche") { req in try await saveMeeting(req) }
        work.cases(CasePolicies.carePlan).post("faelle", ":id", "hilfeplan", "dokumente") { req in try await recordDocument(req) }
        work.cases(CasePolicies.caseLead).post("faelle", ":id", "beenden") { req in try await endCase(req) }
        // The feed is read by calendar programs without a session: the secret token is the key.
        PolicyRoutes(app, .open, whenDenied: .problem).get("kalender", ":feed") { req in try await feed(req) }
    }

    static func page(_ req: Request, forms: CarePlanPages.Forms_, editing: String? = nil, editingDocument: String? = nil,
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let plan = try await CarePlanStore.load(try req.uuid("id"), visibleTo: try await req.viewer(), today: req.today, on: req.db)
        var forms = forms
        if let editing, let meeting = plan.meetings.first(where: { $0.id.uuidString.lowercased() == editing.lowercased() }) {
            forms.meeting = FormState(values: CarePlanPages.values(of: meeting, today: req.today))
        }
        if let editingDocument, let document = plan.documents.first(where: { $0.id.uuidString.lowercased() == editingDocument.lowercased() }) {
            forms.document = FormState(values: CarePlanPages.values(of: document))
        }
        let html = CarePlanPages.page(context: WebContext.pageContext(for: req), plan: plan,
                                      mayWrite: Policies.recordWork.allows(req.currentUser),
                                      mayEnd: try req.resolvedCase.allows(CasePolicies.caseLead), forms: forms, today: req.today)
        return WebContext.html(html, status: status)
    }

    static func writeContext(_ req: Request) throws -> WriteContext {
        WriteContext(actor: try req.requireUser().auditActor, now: req.now)
    }

    static func saveMeeting(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        var input = CarePlanMeetingInput()
        input.date = form.optional("date")
        input.time = form.optional("time")
        input.kind = form.optional("kind")
        input.state = form.optional("state")
        input.nextReviewMovedTo = form.optional("nextReviewMovedTo")
        input.scheduledOn = form.optional("scheduledOn")
        input.reportMissingReason = form.optional("reportMissingReason")
        input.participants = (form["participants"] ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        input.outcome = form.optional("outcome")
        do {
            try await CarePlanStore.saveMeeting(caseID: caseID, meetingID: form.optional("meetingId").flatMap(UUID.init(uuidString:)), input,
                                                viewer: try await req.viewer(), context: try writeContext(req), today: req.today, on: req.db)
            return WebContext.redirect(.carePlan(caseID), notice: "Das Hilfeplangespräch ist gespeichert; die Fristen sind neu berechnet.", on: req)
        } catch let failure as ValidationFailure {
            // Everything typed stays; a missing progress report (R4) opens the reason field.
            let state = FormState(values: form.values, errors: failure.errors)
            return try await page(req, forms: .init(meeting: state, askReason: failure.message(for: "reportMissingReason") != nil),
                                  status: .unprocessableEntity)
        }
    }

    static func recordDocument(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        do {
            try await CarePlanStore.recordDocument(
                caseID: caseID, documentID: form.optional("documentId").flatMap(UUID.init(uuidString:)), CarePlanDocumentDraft(kind: form.optional("kind"), receivedOn: form.optional("receivedOn"), meetingId: form.optional("meetingId")),
                viewer: try await req.viewer(), context: try writeContext(req), today: req.today, on: req.db)
            return WebContext.redirect(.carePlan(caseID), notice: "Der Eingang ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await page(req, forms: .init(document: FormState(values: form.values, errors: failure.errors)), status: .unprocessableEntity)
        }
    }

    static func endCase(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        do {
            // Ending is not undone on a page: the first post shows what happens, the confirmed one saves.
            guard form.optional("bestaetigt") == "ja" else {
                let check = try await CarePlanStore.checkCaseEnd(caseID: caseID, date: form.optional("date"), reason: form.optional("reason"),
                                                                 viewer: try await req.viewer(), today: req.today, on: req.db)
                // Entries after the end are listed with links to correct them; no confirm button until then (R6, R8).
                return WebContext.html(CarePlanPages.confirmEnd(context: WebContext.pageContext(for: req), record: check.record, day: check.day,
                                                                reason: check.reason, reports: check.reason.requiredReports,
                                                                entriesAfterEnd: check.entriesAfterEnd, today: req.today),
                                       status: check.entriesAfterEnd.isEmpty ? .ok : .unprocessableEntity)
            }
            try await CarePlanStore.endCase(caseID: caseID, date: form.optional("date"), reason: form.optional("reason"),
                                            viewer: try await req.viewer(), context: try writeContext(req), today: req.today, on: req.db)
            return WebContext.redirect(.carePlan(caseID), notice: "Die Hilfe ist beendet. Der nötige Bericht steht bei den Fristen.", on: req)
        } catch let failure as ValidationFailure {
            return try await page(req, forms: .init(end: FormState(values: form.values, errors: failure.errors)), status: .unprocessableEntity)
        }
    }

    static func scopes(for viewer: Viewer) -> [DeadlineScope] {
        var result: [DeadlineScope] = [.mine]
        if viewer.roles.contains(.teamLead) { result.append(.team) }
        if viewer.roles.contains(.management) { result.append(.all) }
        return result
    }

    static func overview(_ req: Request) async throws -> Response {
        let viewer = try await req.viewer()
        let allowed = scopes(for: viewer)
        let asked = req.query[String.self, at: "bereich"].flatMap(DeadlineScope.init(rawValue:))
        let scope = asked.flatMap { allowed.contains($0) ? $0 : nil } ?? (viewer.staffID == nil ? allowed.last! : .mine)
        let page = try await DeadlineStore.upcoming(scope, offset: req.listOffset, limit: CarePlanPages.pageSize, viewer: viewer,
                                                    today: req.today, on: req.db)
        let feed = req.session.data[feedKey]
        return WebContext.html(CarePlanPages.overview(context: WebContext.pageContext(for: req), scope: scope, scopes: allowed, page: page,
                                                      pager: req.pager(page.list, nextLabel: "Weitere Fristen"), feedURL: feed, today: req.today))
    }

    static func renewFeed(_ req: Request) async throws -> Response {
        let path = try await CalendarFeeds.renew(for: try req.requireUser().id, context: try writeContext(req), on: req.db)
        // Shown once, in this session only; the database keeps just its hash.
        req.session.data[feedKey] = CalendarFeeds.absolute(path, on: req)
        return WebContext.redirect(.deadlines(nil), notice: "Die Kalender-Adresse ist erstellt; eine frühere ist ab jetzt ungültig.", on: req)
    }

    static func feed(_ req: Request) async throws -> Response {
        let name = req.parameters.get("feed") ?? ""
        guard name.hasSuffix(".ics"), let text = try await CalendarFeeds.feed(token: String(name.dropLast(4)), on: req) else {
            throw Problem(.notFound, "Diese Kalender-Adresse gibt es nicht (mehr). Bitte in Fallwerk unter „Fristen“ eine neue erzeugen.")
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=900")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
