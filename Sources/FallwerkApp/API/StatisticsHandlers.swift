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
        func id(_ text: String?, _ name: String) throws -> UUID? {
            guard let text, !text.isEmpty else { return nil }
            guard let id = UUID(uuidString: text) else {
                throw Problem(.badRequest, "Der Parameter \(name) muss eine Id sein.", errors: [FieldError(name, "Keine gültige Id.")])
            }
            return id
        }
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
