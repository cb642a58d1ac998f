import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

/// §8a procedures (R21). The case (or the procedure's case) is resolved by `CaseOperationMiddleware`
/// with `CasePolicies.childProtection` before a handler runs; the store audits every read.
extension APIHandler {
    func listCaseChildProtection(_ input: Operations.ListCaseChildProtection.Input) async throws -> Operations.ListCaseChildProtection.Output {
        let (req, context) = try context()
        let procedures = try await ChildProtectionStore.procedures(of: try resolvedCase(), context: context, on: req.db)
        return .ok(.init(body: .json(procedures.map(Schemas.ChildProtectionSummary.init))))
    }

    func openChildProtection(_ input: Operations.OpenChildProtection.Input) async throws -> Operations.OpenChildProtection.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await ChildProtectionStore.open(try resolvedCase(), ChildProtectionOpening(noticedOn: body.noticedOn, indications: body.indications),
                                                     context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func listOpenChildProtection(_ input: Operations.ListOpenChildProtection.Input) async throws -> Operations.ListOpenChildProtection.Output {
        let (req, context) = try context()
        let open = try await ChildProtectionStore.openProcedures(context: context, on: req.db)
        return .ok(.init(body: .json(open.map { o in
            Schemas.OpenChildProtection(id: o.id.apiID, caseId: o.caseID.apiID, fileNumber: o.fileNumber, teamName: o.teamName, leadName: o.leadName,
                                        noticedOn: o.noticedOn.iso, riskLevel: o.riskLevel?.rawValue, reportDueSince: o.reportDueSince?.iso,
                                        lastActivity: o.lastActivity.iso, lastStep: o.lastStep?.rawValue)
        })))
    }

    func getChildProtection(_ input: Operations.GetChildProtection.Input) async throws -> Operations.GetChildProtection.Output {
        let (req, context) = try context()
        let procedure = try await ChildProtectionStore.procedure(try uuid(input.path.id), of: try resolvedCase(), context: context, on: req.db)
        return .ok(.init(body: .json(.init(procedure))))
    }

    func addChildProtectionStep(_ input: Operations.AddChildProtectionStep.Input) async throws -> Operations.AddChildProtectionStep.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        var step = ChildProtectionStepInput(kind: body.kind.rawValue, date: body.date, note: body.note)
        step.corrects = body.correctsStepId
        step.participants = body.participants
        step.professionalStaffIDs = body.professionalIds ?? []
        step.isefExpertID = body.isef?.expertId
        step.needs = Dictionary((body.needs ?? []).map { ($0.need.rawValue, $0.rating.rawValue) }, uniquingKeysWith: { _, last in last })
        step.riskLevel = body.riskLevel?.rawValue
        step.guardiansInvolved = body.guardiansInvolved
        step.childInvolved = body.childInvolved
        step.reasonNotInvolved = body.reasonNotInvolved
        step.measures = (body.measures ?? []).map { (what: $0.what, who: $0.who, byWhen: $0.byWhen) }
        step.howChecked = body.howChecked
        step.checkDates = body.checkDates ?? []
        step.recipient = body.recipient
        step.way = body.way
        step.outcome = body.outcome
        do {
            let id = try await ChildProtectionStore.addStep(try uuid(input.path.id), of: try resolvedCase(), step, context: context,
                                                            today: req.today, on: req.db)
            return .created(.init(body: .json(.init(id: id.apiID))))
        } catch let failure as ValidationFailure {
            // The API spells the ISEF and the correction as in its body.
            throw ValidationFailure(failure.errors.map { error in
                FieldError(error.field == "corrects" ? "correctsStepId" : error.field == "isef" ? "isef.expertId" : error.field, error.message)
            })
        }
    }

    func downloadMeldebogen(_ input: Operations.DownloadMeldebogen.Input) async throws -> Operations.DownloadMeldebogen.Output {
        let (req, context) = try context()
        let (name, data) = try await ChildProtectionStore.meldebogenDocx(try uuid(input.path.id), of: try resolvedCase(), context: context,
                                                                         today: req.today, on: req.db)
        return .ok(.init(headers: .init(contentDisposition: "attachment; filename=\"\(name)\""),
                         body: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(HTTPBody(data))))
    }

    func listIsefExperts(_ input: Operations.ListIsefExperts.Input) async throws -> Operations.ListIsefExperts.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(try await ChildProtectionStore.experts(on: req.db).map(Schemas.IsefExpert.init))))
    }

    func createIsefExpert(_ input: Operations.CreateIsefExpert.Input) async throws -> Operations.CreateIsefExpert.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await ChildProtectionStore.addExpert(name: body.name, organisation: body.organisation, contact: body.contact,
                                                          staffID: body.staffId, context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }
}

extension Components.Schemas.IsefExpert {
    init(_ e: IsefExpert) {
        self.init(id: e.id.lowercased(), name: e.name, organisation: e.organisation, contact: e.contact, staffId: e.staffID?.lowercased())
    }
}

extension Components.Schemas.ChildProtectionSummary {
    init(_ p: ChildProtectionProcedure) {
        self.init(id: p.id.lowercased(), caseId: p.caseID.lowercased(), status: p.isClosed ? "closed" : "open", noticedOn: p.noticedOn.iso,
                  riskLevel: p.riskLevel?.rawValue, reportDueSince: p.reportDueSince?.iso, lastActivity: p.lastActivity.iso)
    }
}

extension Components.Schemas.ChildProtection {
    init(_ p: ChildProtectionProcedure) {
        let correctedBy = Dictionary(p.steps.compactMap { step in step.corrects.map { ($0, step.id) } }, uniquingKeysWith: { first, _ in first })
        self.init(id: p.id.lowercased(), caseId: p.caseID.lowercased(), status: p.isClosed ? "closed" : "open", noticedOn: p.noticedOn.iso,
                  indications: p.indications, openedBy: p.openedBy, riskLevel: p.riskLevel?.rawValue, reportDueSince: p.reportDueSince?.iso,
                  nextSteps: p.nextKinds.map(\.rawValue),
                  steps: p.steps.map { Components.Schemas.ChildProtectionStep($0, correctedBy: correctedBy[$0.id]) })
    }
}

extension Components.Schemas.ChildProtectionStep {
    init(_ s: ChildProtectionStep, correctedBy: String?) {
        self.init(id: s.id.lowercased(), sequence: s.sequence, kind: s.kind.rawValue, kindName: s.kind.german, date: s.date.iso, note: s.note,
                  recordedBy: s.recordedBy, correctsStepId: s.corrects?.lowercased(), correctedByStepId: correctedBy?.lowercased())
        switch s.details {
        case .consultation(let participants):
            self.participants = participants
        case .riskAssessment(let professionals, let isef, let needs, let level):
            professionalIds = professionals.map { $0.lowercased() }
            self.isef = .init(isef)
            self.needs = BasicNeed.allCases.compactMap { need in
                needs[need].map { .init(need: need.rawValue, needName: need.german, rating: $0.rawValue, ratingName: $0.german) }
            }
            riskLevel = level.rawValue
            riskLevelName = level.german
        case .guardiansInvolved(let guardians, let child, let reason):
            (guardiansInvolved, childInvolved, reasonNotInvolved) = (guardians, child, reason)
        case .protectionPlan(let planned, let how, let dates):
            measures = planned.map { .init(what: $0.what, who: $0.who, byWhen: $0.byWhen?.iso) }
            howChecked = how
            checkDates = dates.map(\.iso)
        case .reportToYouthOffice(let recipient, let way):
            (self.recipient, self.way) = (recipient, way)
        case .followUp:
            break
        case .closed(let outcome):
            self.outcome = outcome
        }
    }
}
