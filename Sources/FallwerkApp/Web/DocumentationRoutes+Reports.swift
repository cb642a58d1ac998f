import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Report pages (R19): list and generate, edit section by section, the steps, DOCX and print view.
extension DocumentationRoutes {
    static func reports(_ req: Request, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let caseID = try req.uuid("id")
        let viewer = try await req.viewer()
        let reports = try await ReportStore.list(caseID: caseID, viewer: viewer, context: try write(req), today: req.today, on: req.db)
        let (record, _) = try await CaseStore.get(caseID, visibleTo: viewer, today: req.today, on: req.db)
        return WebContext.html(ReportPages.list(context: WebContext.pageContext(for: req), record: record, reports: reports, state: state),
                               status: status)
    }

    static func generateReport(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        let request = ReportRequest(kind: form.optional("kind"), periodFrom: form.optional("periodFrom"), periodTo: form.optional("periodTo"))
        do {
            let id = try await ReportStore.generate(caseID: caseID, request, viewer: try await req.viewer(), context: try write(req),
                                                    today: req.today, on: req.db)
            return WebContext.redirect(.report(id), notice: "Der Entwurf ist erstellt. Bitte die Abschnitte prüfen und ergänzen.", on: req)
        } catch let failure as ValidationFailure {
            return try await reports(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func report(_ req: Request, sectionState: FormState = FormState(), stepState: FormState = FormState(),
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let viewer = try await req.viewer()
        let (report, record) = try await ReportStore.get(try req.uuid("id"), viewer: viewer, context: try write(req), today: req.today, on: req.db)
        let canApprove = Policies.approveReports.allows(req.currentUser)
            && (viewer.roles.contains(.management) || viewer.ledTeamIDs.contains(record.teamID))
            && report.createdBy != viewer.userID && (viewer.staffID == nil || report.authorStaffID != viewer.staffID)
        let model = ReportPages.Model(record: record, report: report, canApprove: canApprove, sectionState: sectionState,
                                      stepState: stepState, today: req.today)
        return WebContext.html(ReportPages.show(context: WebContext.pageContext(for: req), model), status: status)
    }

    /// The editor sends every section; all are saved together, and a failed save shows every typed text again (422).
    static func saveSections(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let form = FormData(request: req)
        let texts = ReportSectionKey.allCases.compactMap { key in
            form["sections.\(key.rawValue)"].map { (key: key.rawValue, text: $0) }
        }
        let typed = Dictionary(uniqueKeysWithValues: texts.map { ("sections.\($0.key)", $0.text) })
        do {
            try await ReportStore.editSections(id, texts: texts, viewer: try await req.viewer(), context: try write(req),
                                               today: req.today, on: req.db)
            let back = form.optional("nach").flatMap(ReportSectionKey.init(rawValue:))
            return WebContext.redirect(.report(id), fragment: back.map { "abschnitt-\($0.rawValue)" },
                                       notice: "Der Bericht ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await report(req, sectionState: FormState(values: typed, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func reportStep(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        guard let step = ReportStep(rawValue: req.parameters.get("step") ?? "") else { throw RecordNotFound(entity: "report") }
        let form = FormData(request: req)
        let viewer = try await req.viewer()
        let context = try write(req)
        let notice: String
        do {
            switch step {
            case .submit:
                try await ReportStore.submit(id, viewer: viewer, context: context, today: req.today, on: req.db)
                notice = "Der Bericht ist der Teamleitung zur Freigabe vorgelegt."
            case .returnForRevision:
                try await ReportStore.returnForRevision(id, viewer: viewer, context: context, today: req.today, on: req.db)
                notice = "Der Bericht ist zur Überarbeitung zurückgegeben."
            case .approve:
                try await ReportStore.approve(id, viewer: viewer, context: context, today: req.today, on: req.db)
                notice = "Der Bericht ist freigegeben."
            case .sent:
                try await ReportStore.markSent(id, on: form.optional("sentOn"), viewer: viewer, context: context, today: req.today, on: req.db)
                notice = "Der Versand ist gespeichert; die Berichtsstunde ist im Fall gebucht (einmal je Bericht)."
            case .discussed:
                try await ReportStore.recordDiscussed(id, on: form.optional("discussedWithFamilyOn"), viewer: viewer, context: context,
                                                      today: req.today, on: req.db)
                notice = "Das Gespräch mit der Familie ist gespeichert."
            }
        } catch let failure as ValidationFailure {
            return try await report(req, stepState: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
        return WebContext.redirect(.report(id), notice: notice, on: req)
    }

    static func docx(_ req: Request) async throws -> Response {
        let (name, data) = try await ReportStore.docx(try req.uuid("id"), viewer: try await req.viewer(), context: try write(req),
                                                      today: req.today, on: req.db)
        return docxResponse(name: name, data: data)
    }

    /// A Word document as a download (reports, the Meldebogen).
    static func docxResponse(name: String, data: Data) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: DocxDocument.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func printView(_ req: Request) async throws -> Response {
        let (report, record) = try await ReportStore.get(try req.uuid("id"), viewer: try await req.viewer(), context: try write(req),
                                                         today: req.today, on: req.db)
        return WebContext.html(ReportPages.print(context: WebContext.pageContext(for: req), record: record, report: report.report))
    }
}
