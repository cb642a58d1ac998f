import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

/// One way from typed parameters to the statistics a viewer may see (page and API alike, R29).
enum StatisticsRequest {
    static func load(from: String?, to: String?, youthOfficeId: String?, offerId: String?, teamId: String?, req: Request) async throws
        -> (CaseStatistics, StatisticsView) {
        let period = try StatisticsPeriod.validated(from: from, to: to, today: req.today)
        let id = QueryParameters.id
        let viewer = try await req.viewer()
        let scope = try StatisticsScope.allowed(for: viewer, youthOfficeID: try id(youthOfficeId, "youthOfficeId"), offerID: try id(offerId, "offerId"),
                                                teamID: try id(teamId, "teamId"))
        return (try await StatisticsStore.compute(period, scope: scope, on: req.db), StatisticsView.of(viewer))
    }
}

extension APIHandler {
    func getStatistics(_ input: Operations.GetStatistics.Input) async throws -> Operations.GetStatistics.Output {
        let req = try APIContext.current()
        let q = input.query
        let (stats, view) = try await StatisticsRequest.load(from: q.from, to: q.to, youthOfficeId: q.youthOfficeId, offerId: q.offerId,
                                                              teamId: q.teamId, req: req)
        return .ok(.init(body: .json(.init(stats, view: view))))
    }

    func exportStatisticsCSV(_ input: Operations.ExportStatisticsCSV.Input) async throws -> Operations.ExportStatisticsCSV.Output {
        let req = try APIContext.current()
        let q = input.query
        let (stats, view) = try await StatisticsRequest.load(from: q.from, to: q.to, youthOfficeId: q.youthOfficeId, offerId: q.offerId,
                                                              teamId: q.teamId, req: req)
        return .ok(.init(body: .csv(HTTPBody(StatisticsCSV.document(stats, view: view)))))
    }
}

extension Components.Schemas.GroupFigures {
    init(_ g: GroupFigures) {
        self.init(id: g.id, name: g.name, cases: g.cases, begun: g.begun, runningAtStart: g.runningAtStart, runningAtEnd: g.runningAtEnd,
                  ended: g.ended, approvedMinutes: g.approvedMinutes, deliveredMinutes: g.deliveredMinutes, billed: g.billed.decimalString)
    }
}

extension Components.Schemas.Statistics {
    init(_ s: CaseStatistics, view: StatisticsView) {
        let full = view == .full
        self.init(
            from: s.period.from.iso, to: s.period.to.iso, begun: s.total.begun, runningAtStart: s.total.runningAtStart,
            runningAtEnd: s.total.runningAtEnd, ended: s.total.ended,
            endReasons: full ? .init(additionalProperties: Dictionary(uniqueKeysWithValues: EndReason.allCases.map { ($0.rawValue, s.endReasons[$0] ?? 0) })) : nil,
            lengthDays: full ? s.length.map { length in
                .init(median: Double(length.medianTenths) / 10, mean: Double(length.meanTenths) / 10, count: length.count,
                      distribution: zip(HelpLength.buckets, length.distribution).map { .init(label: $0.0.label, count: $0.1) })
            } : nil,
            byYouthOffice: s.byYouthOffice.map(Components.Schemas.GroupFigures.init), byOffer: s.byOffer.map(Components.Schemas.GroupFigures.init),
            approvedMinutes: s.total.approvedMinutes, deliveredMinutes: s.total.deliveredMinutes, billed: s.total.billed.decimalString,
            byKind: .init(additionalProperties: Dictionary(uniqueKeysWithValues: s.minutesByKind.map { ($0.key.rawValue, $0.value) })),
            appointments: s.appointments, shortNoticeCancellations: s.shortNoticeCancellations,
            shortNoticeSharePercent: s.shortNoticeShareTenths.map { Double($0) / 10 },
            goalAttainment: full ? .init(additionalProperties: Dictionary(uniqueKeysWithValues: s.goalAttainment.map { (String($0.key.rawValue), $0.value) })) : nil,
            complaints: full ? s.complaints : nil, childProtectionProcedures: full ? s.childProtectionProcedures : nil,
            incidents: full ? s.incidents : nil)
    }
}

/// The performance report (R30) and the DATEV export through the API.
extension APIHandler {
    func listPerformanceReports(_ input: Operations.ListPerformanceReports.Input) async throws -> Operations.ListPerformanceReports.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(try await PerformanceReportStore.list(viewer: try await req.viewer(), on: req.db).map(Schemas.PerformanceReport.init))))
    }

    func createPerformanceReport(_ input: Operations.CreatePerformanceReport.Input) async throws -> Operations.CreatePerformanceReport.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await PerformanceReportStore.create(from: b.from, to: b.to, teamID: b.teamId, viewer: try await req.viewer(), context: context,
                                                         today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getPerformanceReport(_ input: Operations.GetPerformanceReport.Input) async throws -> Operations.GetPerformanceReport.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await PerformanceReportStore.get(try uuid(input.path.id), viewer: try await req.viewer(), on: req.db)))))
    }

    func updatePerformanceReportSection(_ input: Operations.UpdatePerformanceReportSection.Input) async throws -> Operations.UpdatePerformanceReportSection.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await PerformanceReportStore.updateText(try uuid(input.path.id), section: input.path.section, text: b.text, viewer: try await req.viewer(),
                                                    context: context, on: req.db)
        return .noContent(.init())
    }

    func refreshPerformanceReportFigures(_ input: Operations.RefreshPerformanceReportFigures.Input) async throws -> Operations.RefreshPerformanceReportFigures.Output {
        let (req, context) = try context()
        try await PerformanceReportStore.refreshFigures(try uuid(input.path.id), viewer: try await req.viewer(), context: context, on: req.db)
        return .noContent(.init())
    }

    func approvePerformanceReport(_ input: Operations.ApprovePerformanceReport.Input) async throws -> Operations.ApprovePerformanceReport.Output {
        let (req, context) = try context()
        try await PerformanceReportStore.approve(try uuid(input.path.id), viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func submitPerformanceReport(_ input: Operations.SubmitPerformanceReport.Input) async throws -> Operations.SubmitPerformanceReport.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await PerformanceReportStore.submit(try uuid(input.path.id), date: b.date ?? req.today.iso, viewer: try await req.viewer(), context: context,
                                                today: req.today, on: req.db)
        return .noContent(.init())
    }

    func recordProviderMeeting(_ input: Operations.RecordProviderMeeting.Input) async throws -> Operations.RecordProviderMeeting.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await PerformanceReportStore.recordMeeting(try uuid(input.path.id), date: b.date ?? req.today.iso, viewer: try await req.viewer(),
                                                       context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func downloadPerformanceReportDocx(_ input: Operations.DownloadPerformanceReportDocx.Input) async throws -> Operations.DownloadPerformanceReportDocx.Output {
        let req = try APIContext.current()
        let (name, data) = try await PerformanceReportDocument.docx(try uuid(input.path.id), req: req)
        return .ok(.init(headers: .init(contentDisposition: "attachment; filename=\"\(name)\""),
                         body: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(HTTPBody(data))))
    }

    func exportInvoicesDatev(_ input: Operations.ExportInvoicesDatev.Input) async throws -> Operations.ExportInvoicesDatev.Output {
        let (req, context) = try context()
        guard let month = Month(iso: input.query.month) else {
            throw Problem(.badRequest, "Der Monat muss die Form JJJJ-MM haben.", errors: [FieldError("month", "Kein gültiger Monat.")])
        }
        let (name, bytes) = try await DatevStore.export(month: month, context: context, on: req.db)
        return .ok(.init(headers: .init(contentDisposition: "attachment; filename=\"\(name)\""), body: .csv(HTTPBody(bytes))))
    }

    func getDatevSettings(_ input: Operations.GetDatevSettings.Input) async throws -> Operations.GetDatevSettings.Output {
        let req = try APIContext.current()
        let configuration = try await DatevStore.configuration(on: req.db)
        let s = configuration.settings
        return .ok(.init(body: .json(.init(consultantNumber: s?.consultantNumber ?? 0, clientNumber: s?.clientNumber ?? 0,
                                           fiscalYearStartMonth: s?.fiscalYearStartMonth ?? 1, accountLength: s?.accountLength ?? DatevSettings.defaultAccountLength,
                                           revenueAccount: s?.revenueAccount ?? DatevSettings.defaultRevenueAccount,
                                           debtorAccounts: configuration.debtorAccounts.sorted { $0.key.uuidString < $1.key.uuidString }
                                               .map { .init(youthOfficeId: $0.key.apiID, account: $0.value) }))))
    }

    func updateDatevSettings(_ input: Operations.UpdateDatevSettings.Input) async throws -> Operations.UpdateDatevSettings.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        var settings = DatevConfigurationInput()
        settings.consultantNumber = b.consultantNumber
        settings.clientNumber = b.clientNumber
        settings.fiscalYearStartMonth = b.fiscalYearStartMonth
        settings.accountLength = b.accountLength
        settings.revenueAccount = b.revenueAccount
        settings.debtorAccounts = Dictionary(b.debtorAccounts.map { ($0.youthOfficeId, $0.account) }, uniquingKeysWith: { $1 })
        try await DatevStore.save(settings, context: context, on: req.db)
        return .noContent(.init())
    }
}

/// The performance report's DOCX for the API and the page.
enum PerformanceReportDocument {
    static func docx(_ id: UUID, req: Request) async throws -> (String, Data) {
        let report = try await PerformanceReportStore.get(id, viewer: try await req.viewer(), on: req.db)
        let provider = try await ProviderStore.get(on: req.db)?.name ?? "Träger"
        let local = BerlinTime.local(req.now)
        let modified = DosTimestamp(day: local.day, time: local.time)
        return ("Leistungsbericht-\(report.from.iso)-\(report.to.iso).docx", report.document(providerName: provider).data(modified: modified))
    }
}

extension Components.Schemas.PerformanceReport {
    init(_ r: PerformanceReport) {
        self.init(id: r.id.lowercased(), from: r.from.iso, to: r.to.iso, teamName: r.teamName, status: .init(rawValue: r.status.rawValue)!,
                  statusName: r.status.german,
                  texts: .init(additionalProperties: Dictionary(uniqueKeysWithValues: r.texts.map { ($0.key.rawValue, $0.value) })),
                  figures: r.figures.map { .init(section: $0.section, figure: $0.figure, group: $0.group, value: $0.value) },
                  approvedOn: r.approvedOn?.iso, submittedOn: r.submittedOn?.iso, meetingDue: r.meetingDue?.iso, meetingOn: r.meetingOn?.iso)
    }
}
