import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

extension Policies {
    /// Notes, goals and reports: the people working on cases; never accounting (SPEC "Roles").
    /// The store further limits this to cases with full access.
    static let documentation = Policy.anyOf("documentation", .caseworker, .teamLead, .management)
    /// Approving or returning a report (R19): the team lead or management.
    static let approveReports = Policy.anyOf("approveReports", .teamLead, .management)
}

extension Schemas.Goal {
    init(_ r: GoalRecord) {
        let g = r.goal
        self.init(id: r.id.apiID, caseId: r.caseID.apiID, title: g.title, specific: g.specific, measurable: g.measurable,
                  achievable: g.achievable, relevant: g.relevant, timeBound: g.timeBound?.iso, youngPersonView: g.youngPersonView,
                  status: g.status.rawValue, statusName: g.status.german, createdOn: g.createdOn.iso, missingSmartParts: g.missingSmartParts,
                  ratings: g.ratingHistory.map {
                      .init(value: $0.attainment.rawValue, label: $0.attainment.label, ratedOn: $0.ratedOn.iso, reason: $0.reason,
                            youngPersonView: $0.youngPersonView)
                  })
    }
}

extension Schemas.GoalInput {
    var input: GoalInput {
        GoalInput(title: title, specific: specific, measurable: measurable, achievable: achievable, relevant: relevant,
                  timeBound: timeBound, youngPersonView: youngPersonView, status: status)
    }
}

extension Schemas.Note {
    init(_ r: NoteRecord) {
        let n = r.note
        self.init(id: r.id.apiID, caseId: r.caseID.apiID, date: n.date.iso, observation: n.observation, assessment: n.assessment,
                  goalIds: n.goalIDs.map { $0.lowercased() }, serviceEntryId: n.serviceEntryID?.lowercased(),
                  authorStaffId: n.authorStaffID?.lowercased(), authorName: r.authorName,
                  correctsNoteId: r.corrects?.apiID, correctedByNoteId: r.correctedBy?.apiID)
    }
}

extension Schemas.Report {
    init(_ r: ReportRecord) {
        let report = r.report
        self.init(id: r.id.apiID, caseId: r.caseID.apiID, kind: report.kind.rawValue, kindName: report.kind.german, title: report.title,
                  periodFrom: report.periodFrom.iso, periodTo: report.periodTo.iso, status: report.status.rawValue,
                  statusName: report.status.german, editable: report.isEditable,
                  sections: report.sections.map { .init(key: $0.key.rawValue, heading: $0.heading, text: $0.text) },
                  submittedOn: report.submittedOn?.iso, approvedOn: report.approvedOn?.iso,
                  approvedByStaffId: report.approvedByStaffID?.lowercased(), sentOn: report.sentOn?.iso,
                  discussedWithFamilyOn: report.discussedWithFamilyOn?.iso, serviceEntryId: r.serviceEntryID?.apiID,
                  sendWarning: report.status == .approved ? report.sendWarning : nil)
    }
}

extension APIHandler {
    func listGoals(_ input: Operations.ListGoals.Input) async throws -> Operations.ListGoals.Output {
        let (req, context) = try context()
        let goals = try await GoalStore.list(caseID: try uuid(input.path.id), viewer: try await req.viewer(), context: context,
                                             today: req.today, on: req.db)
        return .ok(.init(body: .json(goals.map(Schemas.Goal.init))))
    }

    func createGoal(_ input: Operations.CreateGoal.Input) async throws -> Operations.CreateGoal.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await GoalStore.create(caseID: try uuid(input.path.id), body.input, viewer: try await req.viewer(),
                                            context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func updateGoal(_ input: Operations.UpdateGoal.Input) async throws -> Operations.UpdateGoal.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await GoalStore.update(caseID: try uuid(input.path.id), goalID: try uuid(input.path.goalId), body.input,
                                   viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func rateGoal(_ input: Operations.RateGoal.Input) async throws -> Operations.RateGoal.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let rating = GoalRatingInput(value: body.value, ratedOn: body.ratedOn, reason: body.reason, youngPersonView: body.youngPersonView)
        let id = try await GoalStore.rate(caseID: try uuid(input.path.id), goalID: try uuid(input.path.goalId), rating,
                                          viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func listNotes(_ input: Operations.ListNotes.Input) async throws -> Operations.ListNotes.Output {
        let (req, context) = try context()
        let notes = try await NoteStore.list(caseID: try uuid(input.path.id), query: input.query.q, viewer: try await req.viewer(),
                                             context: context, today: req.today, on: req.db)
        return .ok(.init(body: .json(notes.map(Schemas.Note.init))))
    }

    func createNote(_ input: Operations.CreateNote.Input) async throws -> Operations.CreateNote.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let note = NoteInput(date: body.date, observation: body.observation, assessment: body.assessment, goalIDs: body.goalIds ?? [],
                             serviceEntryID: body.serviceEntryId)
        let id = try await NoteStore.create(caseID: try uuid(input.path.id), note, correcting: body.correctsNoteId, viewer: try await req.viewer(),
                                            context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func listReports(_ input: Operations.ListReports.Input) async throws -> Operations.ListReports.Output {
        let (req, context) = try context()
        let reports = try await ReportStore.list(caseID: try uuid(input.path.id), viewer: try await req.viewer(), context: context,
                                                 today: req.today, on: req.db)
        return .ok(.init(body: .json(reports.map(Schemas.Report.init))))
    }

    func createReport(_ input: Operations.CreateReport.Input) async throws -> Operations.CreateReport.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await ReportStore.generate(caseID: try uuid(input.path.id),
                                                ReportRequest(kind: body.kind, periodFrom: body.periodFrom, periodTo: body.periodTo),
                                                viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        .ok(.init(body: .json(try await report(input.path.id))))
    }

    func updateReportSection(_ input: Operations.UpdateReportSection.Input) async throws -> Operations.UpdateReportSection.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await ReportStore.editSection(try uuid(input.path.id), key: input.path.key, text: body.text, viewer: try await req.viewer(),
                                          context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func submitReport(_ input: Operations.SubmitReport.Input) async throws -> Operations.SubmitReport.Output {
        let (req, context) = try context()
        try await ReportStore.submit(try uuid(input.path.id), viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .ok(.init(body: .json(try await report(input.path.id))))
    }

    func returnReport(_ input: Operations.ReturnReport.Input) async throws -> Operations.ReturnReport.Output {
        let (req, context) = try context()
        try await ReportStore.returnForRevision(try uuid(input.path.id), viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .ok(.init(body: .json(try await report(input.path.id))))
    }

    func approveReport(_ input: Operations.ApproveReport.Input) async throws -> Operations.ApproveReport.Output {
        let (req, context) = try context()
        try await ReportStore.approve(try uuid(input.path.id), viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .ok(.init(body: .json(try await report(input.path.id))))
    }

    func markReportSent(_ input: Operations.MarkReportSent.Input) async throws -> Operations.MarkReportSent.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await ReportStore.markSent(try uuid(input.path.id), on: body.date, viewer: try await req.viewer(), context: context,
                                       today: req.today, on: req.db)
        return .ok(.init(body: .json(try await report(input.path.id))))
    }

    func recordReportDiscussed(_ input: Operations.RecordReportDiscussed.Input) async throws -> Operations.RecordReportDiscussed.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await ReportStore.recordDiscussed(try uuid(input.path.id), on: body.date, viewer: try await req.viewer(), context: context,
                                              today: req.today, on: req.db)
        return .ok(.init(body: .json(try await report(input.path.id))))
    }

    func downloadReportDocx(_ input: Operations.DownloadReportDocx.Input) async throws -> Operations.DownloadReportDocx.Output {
        let (req, context) = try context()
        let (name, data) = try await ReportStore.docx(try uuid(input.path.id), viewer: try await req.viewer(), context: context,
                                                      today: req.today, on: req.db)
        return .ok(.init(headers: .init(contentDisposition: "attachment; filename=\"\(name)\""),
                         body: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(HTTPBody(data))))
    }

    /// The report as the API shows it (the read is audited by the store).
    private func report(_ rawID: String) async throws -> Schemas.Report {
        let (req, context) = try context()
        let (record, _) = try await ReportStore.get(try uuid(rawID), viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return Schemas.Report(record)
    }
}
