import FallwerkDomain
import Fluent
import Foundation

/// The reports that complete report deadlines (R4, R6): a report counts as finished on the day it
/// was sent to the youth office.
enum ReportDeadlineSource {
    static func finished(caseIDs: [UUID], on db: any Database) async throws -> [UUID: [FinishedReport]] {
        guard !caseIDs.isEmpty else { return [:] }
        let models = try await ReportModel.query(on: db).filter(ReportModel.schema, "case_id", inIDs: caseIDs).filter(\.$sentOn != nil)
            .field(\.$case.$id).field(\.$kind).field(\.$sentOn).allFromRows()
        var result: [UUID: [FinishedReport]] = [:]
        for model in models {
            guard let kind = ReportKind(rawValue: model.kind), let sent = model.sentOn.flatMap(Day.init(iso:)) else { continue }
            result[model.$case.id, default: []].append(FinishedReport(kind: kind, finishedOn: sent))
        }
        return result
    }
}
