import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import HTTPTypes
import OpenAPIRuntime
import Vapor

/// The Vapor request behind the OpenAPI operation being handled (user, database, clock).
enum APIContext {
    @TaskLocal static var request: Request?

    static func current() throws -> Request {
        guard let request else { throw Problem(.internalServerError, "Interner Fehler: Anfragekontext fehlt.") }
        return request
    }
}

/// Makes the Vapor request visible to the generated handlers.
struct APIContextMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await APIContext.$request.withValue(request) {
            try await next.respond(to: request)
        }
    }
}

/// Which policy guards which OpenAPI operation. An operation missing here is refused (fail
/// closed), and a test checks that every operation in openapi.yaml is listed.
enum APIPolicies {
    static let table: [String: Policy] = [
        "createSession": .open,
        "deleteSession": .signedIn,
        "getMe": .signedIn,
        "listYouthOffices": Policies.readMasterData, "getYouthOffice": Policies.readMasterData,
        "createYouthOffice": Policies.editMasterData, "updateYouthOffice": Policies.editMasterData,
        "listOffers": Policies.readMasterData, "getOffer": Policies.readMasterData,
        "createOffer": Policies.editMasterData, "updateOffer": Policies.editMasterData,
        "listAgreements": Policies.readAgreements, "getAgreement": Policies.readAgreements,
        "createAgreement": Policies.editAgreements, "updateAgreement": Policies.editAgreements,
        "listTeams": Policies.readMasterData, "getTeam": Policies.readMasterData,
        "createTeam": Policies.editMasterData, "updateTeam": Policies.editMasterData,
        "listStaff": Policies.readMasterData, "getStaffMember": Policies.readMasterData,
        "createStaffMember": Policies.editMasterData, "updateStaffMember": Policies.editMasterData,
        "listUsers": Policies.manageUsers, "getUser": Policies.manageUsers,
        "createUser": Policies.manageUsers, "updateUser": Policies.manageUsers,
        // Issue 16: accounts that end; everyone changes their own password.
        "deactivateUser": Policies.manageUsers, "activateUser": Policies.manageUsers, "changeOwnPassword": .signedIn,
        "getProvider": Policies.readProvider, "updateProvider": Policies.editProvider,
        "listAuditEntries": Policies.readAuditLog,
        // R33: subject access, management only (the export is audited).
        "exportPerson": Policies.management,
        // Cases: every signed-in user may ask; the store shows only the cases they may see.
        "listCases": .signedIn, "getCase": .signedIn,
        "createCase": Policies.openCases, "updateCase": Policies.openCases, "addSubstitute": Policies.openCases, "updateFamilyAddress": Policies.recordWork,
        // Approvals, entries, budget, alerts: reading follows case visibility (accounting sees hours).
        "listApprovals": .signedIn, "getBudget": .signedIn, "listEntries": .signedIn,
        "listCaseAlerts": .signedIn, "listAlerts": .signedIn,
        "createApproval": Policies.recordWork, "addIncrease": Policies.recordWork,
        "updateApproval": Policies.recordWork, "deleteApproval": Policies.recordWork, "deleteIncrease": Policies.recordWork,
        "createEntry": Policies.recordWork, "updateEntry": Policies.recordWork, "deleteEntry": Policies.recordWork,
        "createGroupSession": Policies.recordWork, "listGroupSessions": Policies.recordWork,
        "updateGroupSession": Policies.recordWork, "deleteGroupSession": Policies.recordWork, "acknowledgeAlert": Policies.recordWork,
        "getServiceRecord": .signedIn, "signServiceRecord": .signedIn,
        "createBillingRun": Policies.billing, "listInvoices": Policies.billing, "exportInvoicesCSV": Policies.billing, "getInvoice": Policies.billing,
        "issueInvoice": Policies.billing, "cancelInvoice": Policies.billing, "exportXRechnung": Policies.billing,
        "issueAllInvoices": Policies.billing, "getBillingRun": Policies.billing,
        // Care plan (R3–R6): reading follows documentation access in the store; writing is case work.
        "getCarePlan": .signedIn, "listCaseDeadlines": .signedIn, "listDeadlines": .signedIn,
        "createCarePlanMeeting": Policies.recordWork, "updateCarePlanMeeting": Policies.recordWork,
        "recordCarePlanDocument": Policies.recordWork, "updateCarePlanDocument": Policies.recordWork, "endCase": Policies.recordWork,
        "renewCalendarFeed": .signedIn,
        // Documentation (R18–R20): never for accounting; the store further needs full access to the case.
        "listGoals": Policies.documentation, "createGoal": Policies.documentation, "updateGoal": Policies.documentation,
        "rateGoal": Policies.documentation, "listNotes": Policies.documentation, "createNote": Policies.documentation,
        "listReports": Policies.documentation, "createReport": Policies.documentation, "getReport": Policies.documentation,
        "updateReportSection": Policies.documentation, "submitReport": Policies.documentation,
        "markReportSent": Policies.documentation, "recordReportDiscussed": Policies.documentation,
        "downloadReportDocx": Policies.documentation,
        "returnReport": Policies.approveReports, "approveReport": Policies.approveReports,
        // Child protection (R21): case staff, team leads and management; the case policy narrows to the case's own.
        "listCaseChildProtection": Policies.childProtection, "openChildProtection": Policies.childProtection,
        "getChildProtection": Policies.childProtection, "addChildProtectionStep": Policies.childProtection,
        "downloadMeldebogen": Policies.childProtection, "listOpenChildProtection": Policies.management,
        "listIsefExperts": Policies.childProtection, "createIsefExpert": Policies.management,
        // Health records (issue 16): like §8a; the case policy narrows to the case's own staff, team lead and management.
        "listHealthRecords": Policies.health, "createHealthRecord": Policies.health,
        "updateHealthRecord": Policies.health, "deleteHealthRecord": Policies.health,
        // Incidents and complaints (R22, R23): recorded by those who work on cases; read and followed by management.
        "createIncident": Policies.childProtection, "createComplaint": Policies.childProtection,
        "getSafeguardingSettings": Policies.childProtection, "updateSafeguardingSettings": Policies.management,
        "listIncidents": Policies.management, "getIncident": Policies.management, "addIncidentStep": Policies.management,
        "listComplaints": Policies.management, "getComplaint": Policies.management, "addComplaintStep": Policies.management,
        "getComplaintStatistics": Policies.management,
        // People and capacity (issue 14): intake, capacity and the rota are planned by team leads and management;
        // standards and absences: the store narrows to the staff a team lead manages, and the person's own.
        "listIntakeRequests": Policies.openCases, "createIntakeRequest": Policies.openCases, "getIntakeRequest": Policies.openCases,
        "getRequestCapacity": Policies.openCases, "acceptIntakeRequest": Policies.openCases, "declineIntakeRequest": Policies.openCases,
        "listCapacity": Policies.openCases, "listStaffStandards": Policies.openCases,
        "getStaffStandards": .signedIn, "addTraining": .signedIn, "addSupervision": .signedIn, "addAcknowledgement": .signedIn,
        "addCertificate": Policies.openCases, "recordInduction": Policies.openCases,
        "listAbsences": .signedIn, "addAbsence": Policies.openCases, "getAbsence": Policies.openCases,
        "chooseSubstitute": Policies.openCases, "agreeReplacement": Policies.openCases,
        "listOnCall": .signedIn, "getOnCallNow": .signedIn, "createOnCallShift": Policies.openCases, "deleteOnCallShift": Policies.openCases,
        "setIndependentLiving": Policies.recordWork,
        // Statistics (R29): the store narrows team leads to their teams and accounting to money figures.
        "getStatistics": Policies.statistics, "exportStatisticsCSV": Policies.statistics,
        // Performance report (R30): drafted by management and team leads (own team), approved by management (in the store).
        "listPerformanceReports": Policies.openCases, "createPerformanceReport": Policies.openCases, "getPerformanceReport": Policies.openCases,
        "updatePerformanceReportSection": Policies.openCases, "refreshPerformanceReportFigures": Policies.openCases,
        "approvePerformanceReport": Policies.management, "submitPerformanceReport": Policies.openCases, "recordProviderMeeting": Policies.openCases,
        "downloadPerformanceReportDocx": Policies.openCases,
        // DATEV: accounting and management, like billing.
        "exportInvoicesDatev": Policies.billing, "getDatevSettings": Policies.billing, "updateDatevSettings": Policies.billing,
    ]
}

struct OperationPolicyMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let policy = APIPolicies.table[operationID] else { throw Problem.forbidden }
        let vaporRequest = try APIContext.current()
        let user = vaporRequest.currentUser
        guard policy.allows(user) else { throw user == nil ? Problem.unauthorized : Problem.forbidden }
        try QueryParameters.check(operationID: operationID, query: vaporRequest.url.query)
        return try await next(request, body, metadata)
    }
}

extension Problem: HTTPResponseConvertible {
    public var httpStatus: HTTPResponse.Status { .init(code: Int(status.code)) }
}

extension ValidationFailure: HTTPResponseConvertible {
    public var httpStatus: HTTPResponse.Status { .unprocessableContent }
}

/// Shared helpers for the handlers.
extension APIHandler {
    func context() throws -> (Request, WriteContext) {
        let req = try APIContext.current()
        let actor = req.currentUser?.auditActor ?? .commandLine
        return (req, WriteContext(actor: actor, now: req.now))
    }

    func uuid(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw Problem.notFound }
        return id
    }
}
