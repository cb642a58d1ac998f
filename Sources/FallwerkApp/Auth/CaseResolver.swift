import FallwerkDomain
import FallwerkStore
import Vapor

/// The one place that turns a case id in a page path or API path into a `ResolvedCase`: loads the
/// case and the viewer's access once, applies the route's `CasePolicy`, and writes the read audit
/// of a view (R27, R31). Routes and handlers then read `req.resolvedCase` and check nothing themselves.
enum CaseResolver {
    /// `route.userInfo` key naming the case policy of a case-scoped page route (a test requires one).
    static let policyKey = "casePolicy"

    struct StorageKey: Vapor.StorageKey { typealias Value = ResolvedCase }

    /// Resolves `caseID` for this request and keeps it in the request's storage.
    @discardableResult
    static func resolve(_ caseID: UUID, policy: CasePolicy, view: String?, on req: Request) async throws -> ResolvedCase {
        let viewer = try await req.viewer()
        let resolved = try await CaseResolution.resolve(caseID, policy: policy, viewer: viewer, today: req.today, on: req.db)
        if let view {
            try await CaseResolution.auditRead(resolved, view: view, by: try req.requireUser().auditActor, at: req.now, on: req.db)
        }
        req.storage[StorageKey.self] = resolved
        return resolved
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

    init(_ base: any RoutesBuilder, _ policy: CasePolicy) {
        self.base = base
        self.policy = policy
    }

    func add(_ route: Route) {
        route.userInfo[CaseResolver.policyKey] = policy.name
        route.responder = CaseResolverMiddleware(policy: policy, parameter: "id").makeResponder(chainingTo: route.responder)
        base.add(route)
    }
}

struct CaseResolverMiddleware: AsyncMiddleware {
    let policy: CasePolicy
    let parameter: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let caseID = request.parameters.get(parameter, as: UUID.self) else { throw RecordNotFound(entity: "case") }
        // A view (GET) is a read of case data; writes are audited by the store with what they changed.
        let view = request.method == .GET ? request.route.map(Self.view(of:)) ?? "case" : nil
        try await CaseResolver.resolve(caseID, policy: policy, view: view, on: request)
        return try await next.respond(to: request)
    }

    /// "faelle/:id/hilfeplan": which page, without ids.
    static func view(of route: Route) -> String {
        route.path.map { $0.description }.joined(separator: "/")
    }
}

extension PolicyRoutes {
    /// These routes also resolve the case named in the path under `policy`.
    func cases(_ policy: CasePolicy) -> CaseRoutes { CaseRoutes(self, policy) }
}
