import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

/// Pages of data protection (issue 16): the audit log with its filters and who saw one file (R31).
enum DataProtectionRoutes {
    static func register(_ pages: any RoutesBuilder) {
        let management = PolicyRoutes(pages, Policies.readAuditLog, whenDenied: .redirectToLogin)
        management.get("protokoll") { req in try await auditLog(req) }
        management.cases(.visible).get("faelle", ":id", "zugriffe") { req in try await caseAccess(req) }
        let retention = PolicyRoutes(pages, Policies.management, whenDenied: .redirectToLogin)
        retention.get("personen", ":id", "auskunft") { req in
            let (id, export) = try await subjectAccess(req, view: "personen/:id/auskunft")
            return WebContext.html(SubjectAccessPage.render(context: WebContext.pageContext(for: req), export: export, personID: id))
        }
        retention.get("personen", ":id", "auskunft.json") { req in
            let (id, export) = try await subjectAccess(req, view: "personen/:id/auskunft.json")
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"auskunft-\(id.uuidString.lowercased()).json\"")
            return Response(status: .ok, headers: headers, body: .init(data: try export.json()))
        }
        retention.get("aufbewahrung") { req in try await retentionPage(req, done: nil) }
        retention.post("aufbewahrung") { req in
            let done = try await RetentionStore.apply(today: req.today, dryRun: false,
                                                      context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
            return try await retentionPage(req, done: done)
        }
    }

    /// R33: the export of the person in the path (unknown: the German "not found" page).
    static func subjectAccess(_ req: Request, view: String) async throws -> (UUID, SubjectAccessExport) {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw RecordNotFound(entity: "person") }
        let export = try await SubjectAccessStore.export(personID: id, view: view,
                                                         context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
        return (id, export)
    }

    /// R32: what a run would do today, and the result of the one just done.
    static func retentionPage(_ req: Request, done: RetentionReport?) async throws -> Response {
        let preview = try await RetentionStore.apply(today: req.today, dryRun: true,
                                                     context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
        return WebContext.html(RetentionPage.render(context: WebContext.pageContext(for: req), csrf: PageSessions.csrfToken(for: req),
                                                    preview: preview, done: done))
    }

    static func auditLog(_ req: Request) async throws -> Response {
        let pageSize = 50
        let page = max(1, (try? req.query.get(Int.self, at: "seite")) ?? 1)
        let names = ["fall", "benutzer", "von", "bis"]
        var values: [String: String] = [:]
        for name in names { values[name] = (try? req.query.get(String.self, at: name))?.trimmed }
        let context = WebContext.pageContext(for: req)
        let queryString = names.compactMap { name in values[name].flatMap { $0.isEmpty ? nil : $0 }.map { (name, $0) } }
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        do {
            let filter = try await AuditFilter.parse(caseText: values["fall"], caseID: nil, user: values["benutzer"], userID: nil,
                                                     from: values["von"], to: values["bis"],
                                                     fields: ("fall", "fall", "benutzer", "benutzer", "von", "bis"), on: req.db)
            let entries = try await AuditLog.entries(filter, limit: pageSize + 1, offset: (page - 1) * pageSize, on: req.db)
            return WebContext.html(AuditLogPage.render(context: context, entries: Array(entries.prefix(pageSize)), page: page,
                                                       hasMore: entries.count > pageSize, query: FormState(values: values.compactMapValues { $0 }),
                                                       queryString: queryString))
        } catch let failure as ValidationFailure {
            return WebContext.html(AuditLogPage.render(context: context, entries: [], page: 1, hasMore: false,
                                                       query: FormState(values: values.compactMapValues { $0 }, errors: failure.errors),
                                                       queryString: queryString), status: .unprocessableEntity)
        }
    }

    /// "Wer hat diese Akte gesehen" for management, printable (R31); reading it is itself a read of the case.
    static func caseAccess(_ req: Request) async throws -> Response {
        let resolved = try req.resolvedCase
        let limit = 1_000
        let entries = try await AuditLog.entries(AuditFilter(caseIDs: [resolved.record.id]), limit: limit + 1, on: req.db)
        return WebContext.html(AuditLogPage.caseAccess(context: WebContext.pageContext(for: req), fileNumber: resolved.record.fileNumber,
                                                       caseURL: .caseWork(resolved.record.id), entries: Array(entries.prefix(limit)),
                                                       truncated: entries.count > limit))
    }
}
