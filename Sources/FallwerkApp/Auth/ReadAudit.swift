import FallwerkDomain
import FallwerkStore
import Vapor

/// The read audit of every request, written in one place (R31). Stores note the cases a request reads
/// (`CaseReads`: every full case record, invoice and export they load), the case resolver notes the
/// case a route names and the cases it refused; after the handler, this middleware writes one entry:
/// who, when, which cases (`audit_case_refs`) and which view (the route's path, without ids), never
/// content. A view is answered only once its entry is stored. Refused requests of signed-in users
/// (403, or a case they may not see) are written as `refused`.
struct ReadAuditMiddleware: AsyncMiddleware {
    struct LedgerKey: StorageKey { typealias Value = CaseReadLedger }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let ledger = CaseReadLedger()
        request.storage[LedgerKey.self] = ledger
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            let status = ProblemMiddleware.problem(for: error, request: request).status
            try await Self.audit(ledger, request: request, status: status)
            throw error
        }
        try await Self.audit(ledger, request: request, status: response.status)
        return response
    }

    static func audit(_ ledger: CaseReadLedger, request: Request, status: HTTPResponseStatus) async throws {
        let refusedCases = ledger.refusedCaseIDs
        let isView = request.method == .GET || request.method == .HEAD
        let readCases = isView && status.code < 400 ? ledger.caseIDs : []
        let refusedRoute = status == .forbidden && refusedCases.isEmpty
        guard !readCases.isEmpty || !refusedCases.isEmpty || refusedRoute else { return }
        guard let actor = ledger.actor ?? request.currentUser?.auditActor else { return }
        let view = request.route.map(Self.view(of:)) ?? request.url.path
        let batch = request.application.fallwerk.auditBatch
        if !readCases.isEmpty {
            try await AuditLog.record(.read, entity: "case", id: readCases.count == 1 ? readCases[0] : nil,
                                      changes: ["view": AuditChange(from: nil, to: view), "count": AuditChange(from: nil, to: String(readCases.count))],
                                      cases: readCases, by: actor, at: request.now, on: request.db, batch: batch)
        }
        if !refusedCases.isEmpty || refusedRoute {
            try await AuditLog.record(.refused, entity: refusedCases.isEmpty ? "route" : "case", id: refusedCases.count == 1 ? refusedCases[0] : nil,
                                      changes: ["view": AuditChange(from: nil, to: "\(request.method.rawValue) \(view)"),
                                                "status": AuditChange(from: nil, to: String(status.code))],
                                      cases: refusedCases, by: actor, at: request.now, on: request.db, batch: batch)
        }
    }

    /// Makes the request's ledger the task's `CaseReads.ledger` for the route's own middleware and handler.
    /// Bound per route (by `PolicyRoutes`, which every route passes), not in the global middleware: a
    /// future-based middleware in between (sessions) would run the route outside the binding's task.
    struct Binding: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            try await CaseReads.$ledger.withValue(request.storage[LedgerKey.self]) { try await next.respond(to: request) }
        }
    }

    /// "faelle/:id/hilfeplan": which page or operation, without ids.
    static func view(of route: Route) -> String {
        let path = route.path.map { $0.description }.joined(separator: "/")
        return path.isEmpty ? "/" : path
    }
}
