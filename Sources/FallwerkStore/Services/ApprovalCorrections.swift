import FallwerkDomain
import Fluent
import Foundation

/// Corrections of approvals and increases (issue 10): a typo in the hours or dates is corrected, an
/// approval recorded on the wrong case is deleted, as long as no issued invoice was counted with it
/// (`ApprovalRules.correctionRefusal`). Every change refreshes the case's billed minutes and is audited.
extension ApprovalStore {
    /// Corrects an approval: the same checks as a new one, its increases kept.
    public static func update(caseID: UUID, approvalID: UUID, _ draft: ApprovalDraft, record: CaseRecord, context: WriteContext,
                              on db: any Database) async throws {
        try await db.writeTransaction { db in
            let model = try await approval(approvalID, of: caseID, on: db)
            let checked = try await validated(draft, record: record, excluding: approvalID, on: db)
            try await refuseIfInvoiced(model, after: checked.span, caseID: caseID, on: db)
            let changes = checked.audit(from: model)
            checked.apply(to: model)
            try await model.update(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            try await AuditLog.record(.update, entity: entity, id: approvalID, changes: changes, by: context.actor, at: context.now, on: db)
        }
    }

    /// Deletes an approval with its increases.
    public static func delete(caseID: UUID, approvalID: UUID, context: WriteContext, on db: any Database) async throws {
        try await db.writeTransaction { db in
            let model = try await approval(approvalID, of: caseID, on: db)
            try await refuseIfInvoiced(model, after: nil, caseID: caseID, on: db)
            try await ApprovalIncreaseModel.query(on: db).filter(\.$approval.$id == approvalID).delete()
            try await model.delete(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            try await AuditLog.record(.delete, entity: entity, id: approvalID,
                                      changes: ["case": AuditChange(from: caseID.uuidString, to: nil),
                                                "from": AuditChange(from: model.fromDate, to: nil), "to": AuditChange(from: model.toDate, to: nil)],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// Deletes an increase recorded by mistake.
    public static func deleteIncrease(caseID: UUID, approvalID: UUID, increaseID: UUID, context: WriteContext, on db: any Database) async throws {
        try await db.writeTransaction { db in
            let model = try await approval(approvalID, of: caseID, on: db)
            guard let increase = try await ApprovalIncreaseModel.find(increaseID, on: db), increase.$approval.id == approvalID else {
                throw RecordNotFound(entity: "approvalIncrease")
            }
            try await refuseIfInvoiced(model, after: nil, caseID: caseID, on: db)
            try await increase.delete(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            try await AuditLog.record(.delete, entity: "approvalIncrease", id: increaseID,
                                      changes: ["approval": AuditChange(from: approvalID.uuidString, to: nil),
                                                "hours": AuditChange(from: Minutes(increase.minutes).hoursString, to: nil)],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    static func approval(_ approvalID: UUID, of caseID: UUID, on db: any Database) async throws -> ApprovalModel {
        guard let model = try await ApprovalModel.find(approvalID, on: db), model.$case.id == caseID else { throw RecordNotFound(entity: entity) }
        return model
    }

    static func refuseIfInvoiced(_ model: ApprovalModel, after: ApprovalRules.Span?, caseID: UUID, on db: any Database) async throws {
        guard let from = Day(iso: model.fromDate), let to = Day(iso: model.toDate) else { return }
        let invoiced = Set((try await AgreementRecount.invoicedMonths(caseIDs: [caseID], on: db)[caseID] ?? []).compactMap { Month(iso: $0) })
        if let reason = ApprovalRules.correctionRefusal(before: ApprovalRules.Span(from: from, to: to), after: after, invoicedMonths: invoiced) {
            throw ValidationFailure([FieldError(after == nil ? "approvalId" : "from", reason)])
        }
    }
}
