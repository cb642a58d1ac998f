import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

extension Schemas.HealthRecord {
    init(_ e: HealthRecordEntry) {
        let r = e.record
        self.init(id: e.id.apiID, caseId: e.caseID.apiID, kind: .init(rawValue: r.kind.rawValue)!, kindName: r.kind.german,
                  description: r.description, from: r.from.iso, to: r.to?.iso, serious: r.serious,
                  guardiansNotifiedOn: r.guardiansNotifiedOn?.iso, guardiansNotifiedBy: r.guardiansNotifiedBy,
                  guardiansToBeNotified: r.guardiansToBeNotified, createdAt: e.createdAt, createdByName: e.createdByName,
                  updatedAt: e.updatedAt, updatedByName: e.updatedByName)
    }
}

extension Schemas.HealthRecordInput {
    var input: HealthRecordInput {
        HealthRoutes.input(kind: kind.rawValue, description: description, from: from, to: to, serious: serious ?? false,
                           notifiedOn: guardiansNotifiedOn, notifiedBy: guardiansNotifiedBy)
    }
}

/// Health records (issue 16). The case is resolved by `CaseOperationMiddleware` with `CasePolicies.health`
/// (which audits the read with the operation's name) before a handler runs.
extension APIHandler {
    func listHealthRecords(_ input: Operations.ListHealthRecords.Input) async throws -> Operations.ListHealthRecords.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(try await HealthStore.list(try resolvedCase(), on: req.db).map(Schemas.HealthRecord.init))))
    }

    func createHealthRecord(_ input: Operations.CreateHealthRecord.Input) async throws -> Operations.CreateHealthRecord.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await HealthStore.create(try resolvedCase(), body.input, context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func updateHealthRecord(_ input: Operations.UpdateHealthRecord.Input) async throws -> Operations.UpdateHealthRecord.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await HealthStore.update(try resolvedCase(), recordID: try uuid(input.path.recordId), body.input, context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func deleteHealthRecord(_ input: Operations.DeleteHealthRecord.Input) async throws -> Operations.DeleteHealthRecord.Output {
        let (req, context) = try context()
        try await HealthStore.delete(try resolvedCase(), recordID: try uuid(input.path.recordId), context: context, on: req.db)
        return .noContent(.init())
    }
}
