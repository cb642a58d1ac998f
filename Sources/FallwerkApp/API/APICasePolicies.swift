import FallwerkStore
import HTTPTypes
import OpenAPIRuntime
import Vapor

/// Which case policy guards which case-scoped operation (`/api/v1/cases/{id}/…`), the same ones the
/// pages use (`CasePolicies`), so that page and API answer alike. A case-scoped operation missing here
/// is refused (fail closed), and a test checks that every such operation in openapi.yaml is listed.
enum APICasePolicies {
    static let table: [String: CasePolicy] = [
        "getCase": .visible, "updateCase": CasePolicies.caseLead,
        "addSubstitute": CasePolicies.substitutes, "updateFamilyAddress": CasePolicies.familyAddress,
        "listApprovals": .visible, "getBudget": .visible, "listEntries": .visible, "listCaseAlerts": .visible,
        "createApproval": CasePolicies.approvals, "updateApproval": CasePolicies.approvals, "deleteApproval": CasePolicies.approvals,
        "deleteIncrease": CasePolicies.approvals,
        "addIncrease": CasePolicies.approvals,
        "createEntry": CasePolicies.entries, "updateEntry": CasePolicies.entries, "deleteEntry": CasePolicies.entries,
        "acknowledgeAlert": CasePolicy.caseWork.refusing("Hinweise bestätigen die Fachkräfte des Falls und die Leitung."),
        "getServiceRecord": .visible, "signServiceRecord": CasePolicies.signature,
        "getCarePlan": CasePolicies.carePlan, "listCaseDeadlines": CasePolicies.carePlan,
        "createCarePlanMeeting": CasePolicies.carePlan, "updateCarePlanMeeting": CasePolicies.carePlan,
        "recordCarePlanDocument": CasePolicies.carePlan, "endCase": CasePolicies.caseLead,
        "listGoals": CasePolicies.documentation, "createGoal": CasePolicies.documentation, "updateGoal": CasePolicies.documentation,
        "rateGoal": CasePolicies.documentation, "listNotes": CasePolicies.documentation, "createNote": CasePolicies.documentation,
        "listReports": CasePolicies.documentation, "createReport": CasePolicies.documentation,
    ]

    /// The case id of a case-scoped API path (`/api/v1/cases/{id}/…`), or nil for other paths.
    static func caseSegment(inPath path: String) -> Substring? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 4, parts[0] == "api", parts[1] == "v1", parts[2] == "cases" else { return nil }
        return parts[3]
    }
}

/// Resolves the case of a case-scoped operation before its handler runs (after the role policy).
struct CaseOperationMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let vaporRequest = try APIContext.current()
        guard let segment = APICasePolicies.caseSegment(inPath: vaporRequest.url.path) else {
            return try await next(request, body, metadata)
        }
        guard let policy = APICasePolicies.table[operationID] else { throw Problem.forbidden }
        guard let caseID = UUID(uuidString: String(segment)) else { throw Problem.notFound }
        try await CaseResolver.resolve(caseID, policy: policy, view: request.method == .get ? operationID : nil, on: vaporRequest)
        return try await next(request, body, metadata)
    }
}

extension APIHandler {
    /// The case of this operation, resolved by `CaseOperationMiddleware`.
    func resolvedCase() throws -> ResolvedCase { try APIContext.current().resolvedCase }
}
