import FallwerkDomain
import FallwerkStore
import Vapor

/// The one place that turns a case id in a page path or API path into a `ResolvedCase`: loads the
/// case and the viewer's access once and applies the route's `CasePolicy` (R27). The read audit of a
/// view and of a refusal is written by `ReadAuditMiddleware` from what the request noted (R31).
/// Routes and handlers then read `req.resolvedCase` and check nothing themselves.
enum CaseResolver {
    /// `route.userInfo` key naming the case policy of a case-scoped page route (a test requires one).
    static let policyKey = "casePolicy"

    struct StorageKey: Vapor.StorageKey { typealias Value = ResolvedCase }

    /// Resolves `caseID` for this request and keeps it in the request's storage.
    @discardableResult
    static func resolve(_ caseID: UUID, policy: CasePolicy, view: String?, on req: Request) async throws -> ResolvedCase {
        let viewer = try await req.viewer()
        let resolved: ResolvedCase
        do {
            // R32: management opens a blocked file with a reason (`reason` in the API, `grund` on pages).
            let reason = (try? req.query.get(String.self, at: "reason")) ?? (try? req.query.get(String.self, at: "grund"))
            let unblocking = try BlockedFileReading(reason: reason, actor: req.requireUser().auditActor, now: req.now)
            resolved = try await CaseResolution.resolve(caseID, policy: policy, viewer: viewer, today: req.today, on: req.db,
                                                        unblocking: unblocking)
        } catch let error where error is RecordNotFound || error is NotAllowed {
            CaseReads.ledger?.refused(caseID)
            throw error
        }
        CaseReads.ledger?.resolved(caseID)
        if view != nil { CaseReads.note(caseID) }
        req.storage[StorageKey.self] = resolved
        return resolved
    }

    /// Resolves the case a §8a procedure belongs to; an unknown procedure is "not found" like an invisible case.
    @discardableResult
    static func resolve(procedure procedureID: UUID, policy: CasePolicy, view: String?, on req: Request) async throws -> ResolvedCase {
        guard let caseID = try await ChildProtectionStore.caseID(of: procedureID, on: req.db) else { throw RecordNotFound(entity: "childProtection") }
        do {
            return try await resolve(caseID, policy: policy, view: view, on: req)
        } catch is RecordNotFound {
            throw RecordNotFound(entity: "childProtection")
        }
    }

    /// Resolves the case a report belongs to; an unknown report is "not found" like an invisible case.
    @discardableResult
    static func resolve(report reportID: UUID, policy: CasePolicy, view: String?, on req: Request) async throws -> ResolvedCase {
        guard let caseID = try await ReportStore.caseID(of: reportID, on: req.db) else { throw RecordNotFound(entity: "report") }
        do {
            return try await resolve(caseID, policy: policy, view: view, on: req)
        } catch is RecordNotFound {
            throw RecordNotFound(entity: "report")
        }
    }
}

extension Request {
    /// The case of this request, resolved by `CaseResolver` before the route or handler ran.
    var resolvedCase: ResolvedCase {
        get throws {
            guard let resolved = storage[CaseResolver.StorageKey.self] else {
                throw Problem(.internalServerError, "Interner Fehler: Der Fall dieser Anfrage wurde nicht geprüft.")
            }
            return resolved
        }
    }
}

/// Page routes under `faelle/:id/…`: every route added here resolves its case first.
struct CaseRoutes: RoutesBuilder {
    let base: any RoutesBuilder
    let policy: CasePolicy
    var subject: CaseResolverMiddleware.Subject = .caseID

    init(_ base: any RoutesBuilder, _ policy: CasePolicy, subject: CaseResolverMiddleware.Subject = .caseID) {
        self.base = base
        self.policy = policy
        self.subject = subject
    }

    func add(_ route: Route) {
        route.userInfo[CaseResolver.policyKey] = policy.name
        route.responder = CaseResolverMiddleware(policy: policy, parameter: "id", subject: subject).makeResponder(chainingTo: route.responder)
        base.add(route)
    }
}

struct CaseResolverMiddleware: AsyncMiddleware {
    /// What the path's `:id` names: a case, or a report of a case.
    enum Subject: Sendable { case caseID, report, procedure }

    let policy: CasePolicy
    let parameter: String
    var subject: Subject = .caseID

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A view (GET) is a read of case data; writes are audited by the store with what they changed.
        let view = request.method == .GET ? request.route.map(ReadAuditMiddleware.view(of:)) ?? "case" : nil
        switch subject {
        case .caseID:
            guard let caseID = request.parameters.get(parameter, as: UUID.self) else { throw RecordNotFound(entity: "case") }
            try await CaseResolver.resolve(caseID, policy: policy, view: view, on: request)
        case .report:
            guard let reportID = request.parameters.get(parameter, as: UUID.self) else { throw RecordNotFound(entity: "report") }
            try await CaseResolver.resolve(report: reportID, policy: policy, view: view, on: request)
        case .procedure:
            guard let procedureID = request.parameters.get(parameter, as: UUID.self) else { throw RecordNotFound(entity: "childProtection") }
            try await CaseResolver.resolve(procedure: procedureID, policy: policy, view: view, on: request)
        }
        return try await next.respond(to: request)
    }
}

extension PolicyRoutes {
    /// These routes also resolve the case named in the path under `policy`.
    func cases(_ policy: CasePolicy) -> CaseRoutes { CaseRoutes(self, policy) }

    /// These routes (`berichte/:id/…`) resolve the case of the report named in the path under `policy`.
    func reports(_ policy: CasePolicy) -> CaseRoutes { CaseRoutes(self, policy, subject: .report) }

    /// These routes (`kinderschutz/:id/…`) resolve the case of the §8a procedure named in the path under `policy`.
    func procedures(_ policy: CasePolicy) -> CaseRoutes { CaseRoutes(self, policy, subject: .procedure) }
}
