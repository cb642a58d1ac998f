import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import Vapor

extension Schemas.Approval {
    init(_ r: ApprovalRecord) {
        self.init(id: r.id.apiID, from: r.from.iso, to: r.to.iso, hours: Minutes(r.minutesPerUnit).hoursString,
                  per: .init(rawValue: r.unit.rawValue)!, reference: r.reference, staffIds: r.namedStaffIDs.map(\.apiID),
                  balancing: .init(rawValue: r.balancing.rawValue)!,
                  increases: r.increases.map {
                      .init(id: $0.id.apiID, hours: Minutes($0.minutes).hoursString, confirmedOn: $0.confirmedOn.iso,
                            appliesOn: $0.appliesOn.iso, note: $0.note)
                  })
    }
}

extension Schemas.Entry {
    /// The short note only with full access (accounting sees hours, no content).
    init(_ c: CountedEntry, access: CaseAccess) {
        let e = c.entry
        self.init(id: e.id.apiID, caseId: e.caseID.apiID, staffId: e.staffID.apiID, staffName: e.staffName, date: e.facts.date.iso,
                  start: e.facts.start.text, minutes: e.facts.minutes, kind: e.facts.kind.rawValue, kindName: e.facts.kind.german,
                  cancelledBy: e.facts.cancelledBy?.rawValue, cancelledAt: e.facts.cancelledAt.map(DateTimeText.format),
                  homeVisit: e.facts.homeVisit, kilometres: e.facts.kilometres, groupSessionId: e.groupSessionID?.apiID,
                  guardianContact: e.guardianContact,
                  note: access == .full ? e.note : nil,
                  billableMinutes: c.billableMinutes, budgetMinutes: c.budgetMinutes, overBudgetMinutes: c.overBudgetMinutes,
                  travel: e.count.travel.decimalString)
    }
}

extension Schemas.BudgetStatus {
    init(_ s: BudgetStatus) {
        self.init(approvalId: s.approvalID.flatMap(UUID.init(uuidString:))?.apiID, from: s.from.iso, to: s.to.iso,
                  approvedMinutes: s.approvedMinutes, usedMinutes: s.usedMinutes,
                  remainingMinutes: s.remainingMinutes, overBudgetMinutes: s.overBudgetMinutes)
    }
}

extension Schemas.Alert {
    init(_ alert: CaseAlert, of record: CaseRecord) {
        self.init(caseId: record.id.apiID, fileNumber: record.fileNumber, caseName: record.youngPerson.fullName,
                  kind: .init(rawValue: alert.kind.rawValue)!, since: alert.since.iso, title: alert.title, action: alert.action)
    }
}

extension Schemas.EntryInput {
    var draft: EntryDraft {
        EntryDraft(staffId: staffId, input: EntryInput(date: date, start: start, end: end, minutes: minutes, kind: kind,
                                                       cancelledBy: cancelledBy, cancelledAt: cancelledAt,
                                                       homeVisit: homeVisit, kilometres: kilometres, note: note),
                   guardianContact: guardianContact ?? false)
    }
}

extension Schemas.GroupSessionInput {
    var draft: GroupSessionDraft {
        GroupSessionDraft(date: date, start: start, minutes: minutes, staffIds: staffIds, caseIds: caseIds)
    }
}

extension APIHandler {
    func listApprovals(_ input: Operations.ListApprovals.Input) async throws -> Operations.ListApprovals.Output {
        let (work, _) = try await caseWork(input.path.id)
        return .ok(.init(body: .json(work.approvals.map(Schemas.Approval.init))))
    }

    func createApproval(_ input: Operations.CreateApproval.Input) async throws -> Operations.CreateApproval.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let draft = ApprovalDraft(from: body.from, to: body.to, hours: body.hours, per: body.per, reference: body.reference,
                                  staffIds: body.staffIds ?? [])
        let id = try await ApprovalStore.create(caseID: try uuid(input.path.id), draft, viewer: try await req.viewer(),
                                                context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func updateApproval(_ input: Operations.UpdateApproval.Input) async throws -> Operations.UpdateApproval.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let draft = ApprovalDraft(from: body.from, to: body.to, hours: body.hours, per: body.per, reference: body.reference,
                                  staffIds: body.staffIds ?? [])
        try await ApprovalStore.update(caseID: try resolvedCase().record.id, approvalID: try uuid(input.path.approvalId), draft,
                                       record: try resolvedCase().record, context: context, on: req.db)
        return .noContent(.init())
    }

    func deleteApproval(_ input: Operations.DeleteApproval.Input) async throws -> Operations.DeleteApproval.Output {
        let (req, context) = try context()
        try await ApprovalStore.delete(caseID: try resolvedCase().record.id, approvalID: try uuid(input.path.approvalId), context: context, on: req.db)
        return .noContent(.init())
    }

    func deleteIncrease(_ input: Operations.DeleteIncrease.Input) async throws -> Operations.DeleteIncrease.Output {
        let (req, context) = try context()
        try await ApprovalStore.deleteIncrease(caseID: try resolvedCase().record.id, approvalID: try uuid(input.path.approvalId),
                                               increaseID: try uuid(input.path.increaseId), context: context, on: req.db)
        return .noContent(.init())
    }

    func addIncrease(_ input: Operations.AddIncrease.Input) async throws -> Operations.AddIncrease.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let draft = IncreaseDraft(hours: body.hours, confirmedOn: body.confirmedOn, appliesOn: body.appliesOn, note: body.note)
        let id = try await ApprovalStore.addIncrease(caseID: try uuid(input.path.id), approvalID: try uuid(input.path.approvalId), draft,
                                                     viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getBudget(_ input: Operations.GetBudget.Input) async throws -> Operations.GetBudget.Output {
        let req = try APIContext.current()
        var day = req.today
        if let text = input.query.date, !text.isEmpty {
            guard let parsed = Day(iso: text) else {
                throw Problem(.badRequest, "Das Datum muss die Form JJJJ-MM-TT haben.", errors: [FieldError("date", "Kein gültiges Datum.")])
            }
            day = parsed
        }
        // The budget windows as the case-work core keeps them (issue 12), not the ledger rebuilt from every entry.
        guard let status = try await CaseWorkStore.budgetStatus(of: try resolvedCase().record.id, on: day, on: req.db) else {
            throw Problem(.notFound, "Für den \(day.german) gibt es in diesem Fall keine Bewilligung.")
        }
        return .ok(.init(body: .json(.init(status))))
    }

    func listEntries(_ input: Operations.ListEntries.Input) async throws -> Operations.ListEntries.Output {
        let req = try APIContext.current()
        var month = Month(containing: req.today)
        if let text = input.query.month, !text.isEmpty {
            guard let parsed = Month(iso: text) else {
                throw Problem(.badRequest, "Der Monat muss die Form JJJJ-MM haben.", errors: [FieldError("month", "Kein gültiger Monat.")])
            }
            month = parsed
        }
        let (work, access) = try await caseWork(input.path.id)
        return .ok(.init(body: .json(work.entries(in: month).map { Schemas.Entry($0, access: access) })))
    }

    func createEntry(_ input: Operations.CreateEntry.Input) async throws -> Operations.CreateEntry.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await EntryStore.create(in: try resolvedCase(), body.draft, context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func updateEntry(_ input: Operations.UpdateEntry.Input) async throws -> Operations.UpdateEntry.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await EntryStore.update(in: try resolvedCase(), entryID: try uuid(input.path.entryId), body.draft, context: context,
                                    today: req.today, on: req.db)
        return .noContent(.init())
    }

    func deleteEntry(_ input: Operations.DeleteEntry.Input) async throws -> Operations.DeleteEntry.Output {
        let (req, context) = try context()
        try await EntryStore.delete(in: try resolvedCase(), entryID: try uuid(input.path.entryId), context: context,
                                    today: req.today, on: req.db)
        return .noContent(.init())
    }

    func createGroupSession(_ input: Operations.CreateGroupSession.Input) async throws -> Operations.CreateGroupSession.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await GroupSessionStore.create(body.draft, viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func listGroupSessions(_ input: Operations.ListGroupSessions.Input) async throws -> Operations.ListGroupSessions.Output {
        let req = try APIContext.current()
        let sessions = try await GroupSessionStore.recent(viewer: try await req.viewer(), today: req.today, on: req.db)
        return .ok(.init(body: .json(sessions.map { s in
            Schemas.GroupSession(id: s.id.apiID, date: s.date.iso, start: s.start.text, minutes: s.minutes, staffIds: s.staff.map(\.id.apiID),
                                 cases: s.cases.map { .init(caseId: $0.id.apiID, fileNumber: $0.fileNumber, minutes: $0.minutes) },
                                 otherCaseCount: s.otherCaseCount)
        })))
    }

    func updateGroupSession(_ input: Operations.UpdateGroupSession.Input) async throws -> Operations.UpdateGroupSession.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await GroupSessionStore.update(try uuid(input.path.id), body.draft, viewer: try await req.viewer(), context: context,
                                           today: req.today, on: req.db)
        return .noContent(.init())
    }

    func deleteGroupSession(_ input: Operations.DeleteGroupSession.Input) async throws -> Operations.DeleteGroupSession.Output {
        let (req, context) = try context()
        try await GroupSessionStore.delete(try uuid(input.path.id), viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func listCaseAlerts(_ input: Operations.ListCaseAlerts.Input) async throws -> Operations.ListCaseAlerts.Output {
        let (work, _) = try await caseWork(input.path.id)
        return .ok(.init(body: .json(work.alerts.map { Schemas.Alert($0, of: work.record) })))
    }

    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await AlertStore.acknowledge(caseID: try uuid(input.path.id), kind: body.kind, since: body.since, note: body.note,
                                         viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output {
        let req = try APIContext.current()
        let page = try await AlertStore.openAlerts(visibleTo: try await req.viewer(), today: req.today, offset: input.query.offset ?? 0,
                                                   limit: input.query.limit ?? 100, on: req.db)
        return .ok(.init(headers: .init(xTotalCount: page.total, xNextOffset: page.nextOffset),
                         body: .json(page.items.flatMap { work in work.alerts.map { Schemas.Alert($0, of: work.record) } })))
    }

    /// The work of the case `CaseOperationMiddleware` resolved (access checked, read audited, R31).
    private func caseWork(_ rawID: String) async throws -> (CaseWork, CaseAccess) {
        let req = try APIContext.current()
        let resolved = try resolvedCase()
        return (try await CaseWorkStore.load(resolved, today: req.today, on: req.db), resolved.access)
    }
}
