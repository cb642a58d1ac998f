import FallwerkDomain
import FallwerkStore
import Vapor

/// The signed-in user of a request (page session or API token).
public struct CurrentUser: Authenticatable, Sendable {
    public let id: UUID
    public let username: String
    public let displayName: String
    public let roles: Set<Role>

    init(_ record: UserRecord) {
        id = record.id
        username = record.username
        displayName = record.displayName
        roles = record.roles
    }

    var auditActor: AuditActor { AuditActor(userID: id, username: username) }
}

/// Who may use a route. Small values, attached where routes are registered (see `PolicyRoutes`)
/// and in `APIPolicies` for the OpenAPI operations.
public struct Policy: Sendable {
    public let name: String
    /// nil: no sign-in needed.
    public let roles: Set<Role>?
    public let requiresSignIn: Bool

    public func allows(_ user: CurrentUser?) -> Bool {
        guard requiresSignIn else { return true }
        guard let user else { return false }
        guard let roles else { return true }
        return !roles.isDisjoint(with: user.roles)
    }

    public static let open = Policy(name: "open", roles: nil, requiresSignIn: false)
    public static let signedIn = Policy(name: "signedIn", roles: nil, requiresSignIn: true)
    static func anyOf(_ name: String, _ roles: Role...) -> Policy {
        Policy(name: name, roles: Set(roles), requiresSignIn: true)
    }
}

/// The product's access rules for master data and administration (SPEC "Roles").
public enum Policies {
    /// Youth offices, offers, teams, staff: every signed-in user reads them (cases refer to them).
    public static let readMasterData = Policy.signedIn
    /// Administration maintains master data; management may as well.
    public static let editMasterData = Policy.anyOf("editMasterData", .admin, .management)
    /// Agreements hold rates: read by those who plan or bill, written by admin, management, accounting.
    public static let readAgreements = Policy.anyOf("readAgreements", .admin, .management, .teamLead, .accounting)
    public static let editAgreements = Policy.anyOf("editAgreements", .admin, .management, .accounting)
    public static let readProvider = Policy.anyOf("readProvider", .admin, .management, .accounting)
    public static let editProvider = Policy.anyOf("editProvider", .admin, .management, .accounting)
    public static let manageUsers = Policy.anyOf("manageUsers", .admin)
    /// The audit log names who touched which record: management oversees it (R31).
    public static let readAuditLog = Policy.anyOf("readAuditLog", .management)
    /// Intake and assignment: team leads and management (SPEC "Roles").
    public static let openCases = Policy.anyOf("openCases", .teamLead, .management)
    /// Recording approvals, service entries and group sessions; the store further limits this to
    /// cases the user works on (full access) and caseworkers to their own entries.
    /// Billing runs, issuing and cancelling invoices (R14, R16).
    public static let billing = Policy.anyOf("billing", .accounting, .management)
    public static let recordWork = Policy.anyOf("recordWork", .caseworker, .teamLead, .management)
    /// R21: §8a procedures: those who work on cases; never accounting or admin by their role.
    public static let childProtection = Policy.anyOf("childProtection", .caseworker, .teamLead, .management)
    /// Issue 16, seed 003: health records, like §8a content: never accounting or admin by their role.
    public static let health = Policy.anyOf("health", .caseworker, .teamLead, .management)
    public static let management = Policy.anyOf("management", .management)
    /// R29: statistics for management, team leads (own team) and accounting (money figures only).
    public static let statistics = Policy.anyOf("statistics", .management, .teamLead, .accounting)
}

enum PolicyInfoKey {
    static let name = "fallwerk.policy"
}

/// A routes builder that attaches a policy to every route added through it: the route is tagged
/// (so a test can prove that no route lacks one) and, unless enforcement happens elsewhere,
/// wrapped so that the policy runs before the handler.
struct PolicyRoutes: RoutesBuilder {
    let base: any RoutesBuilder
    let policyName: String
    let middleware: PolicyMiddleware?

    init(_ base: any RoutesBuilder, _ policy: Policy, whenDenied: DeniedAction) {
        self.base = base
        self.policyName = policy.name
        self.middleware = PolicyMiddleware(policy: policy, whenDenied: whenDenied)
    }

    /// Routes whose policy is enforced by another layer (the OpenAPI operation table).
    init(_ base: any RoutesBuilder, enforcedElsewhereAs name: String) {
        self.base = base
        self.policyName = name
        self.middleware = nil
    }

    func add(_ route: Route) {
        route.userInfo[PolicyInfoKey.name] = policyName
        route.responder = InlineChain(middleware: [ReadAuditMiddleware.Binding()] + [middleware].compactMap { $0 }, responder: route.responder)
        base.add(route)
    }
}

enum DeniedAction: Sendable {
    case problem
    case redirectToLogin
}

struct PolicyMiddleware: AsyncMiddleware {
    let policy: Policy
    let whenDenied: DeniedAction

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = request.auth.get(CurrentUser.self)
        if policy.allows(user) { return try await next.respond(to: request) }
        if user == nil {
            if whenDenied == .redirectToLogin {
                let expired = request.storage[SessionExpiredKey.self] == true
                if request.method == .POST {
                    // Signed out while typing (timeout): sign in again without losing the form.
                    let kept = FormData(request: request).pairs.filter { !$0.0.hasPrefix("_") && !FormData.isSecret($0.0) }
                    return WebRoutes.loginPage(request, username: "", message: nil, status: .unauthorized, keep: kept,
                                               next: request.url.string)
                }
                return request.redirect(to: SiteURLPaths.login(next: request.url.string, expired: expired))
            }
            throw Problem.unauthorized
        }
        throw Problem.forbidden
    }
}
