import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Plot
import Vapor

/// The case page's work sections, built for a request (also after a failed approval or increase form).
enum CaseWorkPages {
    static func sections(_ req: Request, context: PageContext, work: CaseWork, access: CaseAccess, viewer: Viewer,
                         approvalState: FormState = FormState(), increaseState: FormState = FormState()) async throws -> [Node<HTML.BodyContext>] {
        var month = Month(containing: req.today)
        if let text = req.query[String.self, at: "monat"], let parsed = Month(iso: text) { month = parsed }
        let user = req.currentUser
        let isLead = viewer.roles.contains(.teamLead) || viewer.roles.contains(.management)
        let model = CaseWorkSections.Model(
            work: work, access: access, month: month, today: req.today,
            canRecord: Policies.recordWork.allows(user), viewerUserID: viewer.userID, viewerStaffID: viewer.staffID, isLead: isLead,
            staffOptions: WorkRoutes.staffOptions(work, viewer: viewer, today: req.today),
            approvalState: approvalState, increaseState: increaseState,
            sheet: try await ServiceRecordStore.sheet(work, month: month, on: req.db))
        return CaseWorkSections.render(context: context, model)
    }

    /// The case page again, after a failed approval or increase form (values and messages kept).
    static func render(_ req: Request, caseID: UUID, approvalState: FormState = FormState(), increaseState: FormState = FormState()) async throws -> Response {
        try await CasePageRoutes.detail(req, approvalState: approvalState, increaseState: increaseState)
    }
}
