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
        "recordCarePlanDocument": CasePolicies.carePlan, "updateCarePlanDocument": CasePolicies.carePlan, "endCase": CasePolicies.caseLead,
        "listGoals": CasePolicies.documentation, "createGoal": CasePolicies.documentation, "updateGoal": CasePolicies.documentation,
        "rateGoal": CasePolicies.documentation, "listNotes": CasePolicies.documentation, "createNote": CasePolicies.documentation,
        "listReports": CasePolicies.documentation, "createReport": CasePolicies.documentation,
        "listCaseChildProtection": CasePolicies.childProtection, "openChildProtection": CasePolicies.childProtection,
        "setIndependentLiving": CasePolicies.caseLead,
        "listHealthRecords": CasePolicies.health, "createHealthRecord": CasePolicies.health,
        "updateHealthRecord": CasePolicies.health, "deleteHealthRecord": CasePolicies.health,
    ]

    /// Operations on one §8a procedure (`/api/v1/child-protection/{id}/…`): refused, the procedure does
    /// not exist for the viewer (R21 need-to-know).
    static let procedureTable: [String: CasePolicy] = [
        "getChildProtection": CasePolicies.childProtection.hidingCase(), "addChildProtectionStep": CasePolicies.childProtection.hidingCase(),
        "downloadMeldebogen": CasePolicies.childProtection.hidingCase(),
    ]

    /// Operations on one report (`/api/v1/reports/{id}/…`): the report's case is resolved like a case path's.
    static let reportTable: [String: CasePolicy] = [
        "getReport": CasePolicies.documentation, "updateReportSection": CasePolicies.documentation,
        "submitReport": CasePolicies.documentation, "returnReport": CasePolicies.documentation,
        "approveReport": CasePolicies.documentation, "markReportSent": CasePolicies.documentation,
        "recordReportDiscussed": CasePolicies.documentation, "downloadReportDocx": CasePolicies.documentation,
    ]

    /// The case id of a case-scoped API path (`/api/v1/cases/{id}/…`), or nil for other paths.
    static func caseSegment(inPath path: String) -> Substring? {
        segment(inPath: path, collection: "cases")
    }

    /// The report id of a report path (`/api/v1/reports/{id}/…`), or nil for other paths.
    static func reportSegment(inPath path: String) -> Substring? {
        segment(inPath: path, collection: "reports")
    }

    /// The procedure id of a §8a procedure path (`/api/v1/child-protection/{id}/…`), or nil for other paths.
    static func procedureSegment(inPath path: String) -> Substring? {
        segment(inPath: path, collection: "child-protection")
    }

    static func segment(inPath path: String, collection: Substring) -> Substring? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 4, parts[0] == "api", parts[1] == "v1", parts[2] == collection else { return nil }
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
        let path = vaporRequest.url.path
        let view = request.method == .get ? operationID : nil
        if let segment = APICasePolicies.caseSegment(inPath: path) {
            guard let policy = APICasePolicies.table[operationID] else { throw Problem.forbidden }
            guard let caseID = UUID(uuidString: String(segment)) else { throw Problem.notFound }
            try await CaseResolver.resolve(caseID, policy: policy, view: view, on: vaporRequest)
        } else if let segment = APICasePolicies.reportSegment(inPath: path) {
            guard let policy = APICasePolicies.reportTable[operationID] else { throw Problem.forbidden }
            guard let reportID = UUID(uuidString: String(segment)) else { throw Problem.notFound }
            try await CaseResolver.resolve(report: reportID, policy: policy, view: view, on: vaporRequest)
        } else if let segment = APICasePolicies.procedureSegment(inPath: path) {
            guard let policy = APICasePolicies.procedureTable[operationID] else { throw Problem.forbidden }
            guard let procedureID = UUID(uuidString: String(segment)) else { throw Problem.notFound }
            try await CaseResolver.resolve(procedure: procedureID, policy: policy, view: view, on: vaporRequest)
        }
        return try await next(request, body, metadata)
    }
}

extension APIHandler {
    /// The case of this operation, resolved by `CaseOperationMiddleware`.
    func resolvedCase() throws -> ResolvedCase { try APIContext.current().resolvedCase }
}
