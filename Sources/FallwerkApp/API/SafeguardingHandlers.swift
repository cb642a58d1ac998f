import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

/// §47 incidents (R22) and complaints (R23) through the API.
extension APIHandler {
    func createIncident(_ input: Operations.CreateIncident.Input) async throws -> Operations.CreateIncident.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await SafeguardingStore.recordIncident(
            IncidentInput(occurredOn: b.occurredOn, occurredAt: b.occurredAt, category: b.category.rawValue, description: b.description,
                          personsInvolved: b.personsInvolved),
            caseID: b.caseId, viewer: try await req.viewer(), context: context, now: req.nowInBerlin, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func listIncidents(_ input: Operations.ListIncidents.Input) async throws -> Operations.ListIncidents.Output {
        let (req, context) = try context()
        let settings = try await SafeguardingStore.settings(on: req.db)
        let now = req.nowInBerlin
        return .ok(.init(body: .json(try await SafeguardingStore.incidents(context: context, on: req.db).map {
            Schemas.Incident($0, now: now, settings: settings)
        })))
    }

    func getIncident(_ input: Operations.GetIncident.Input) async throws -> Operations.GetIncident.Output {
        let (req, context) = try context()
        let incident = try await SafeguardingStore.incident(try uuid(input.path.id), context: context, on: req.db)
        return .ok(.init(body: .json(.init(incident, now: req.nowInBerlin, settings: try await SafeguardingStore.settings(on: req.db)))))
    }

    func addIncidentStep(_ input: Operations.AddIncidentStep.Input) async throws -> Operations.AddIncidentStep.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await SafeguardingStore.addIncidentStep(try uuid(input.path.id),
                                                             SafeguardingStepInput(kind: b.kind.rawValue, date: b.date, recipient: b.recipient, way: b.way, note: b.note),
                                                             viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func createComplaint(_ input: Operations.CreateComplaint.Input) async throws -> Operations.CreateComplaint.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await SafeguardingStore.recordComplaint(
            ComplaintInput(receivedOn: b.receivedOn, source: b.source.rawValue, channel: b.channel.rawValue, category: b.category.rawValue,
                           about: b.about, ombudspersonOffered: b.ombudspersonOffered),
            caseID: b.caseId, viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func listComplaints(_ input: Operations.ListComplaints.Input) async throws -> Operations.ListComplaints.Output {
        let (req, context) = try context()
        let settings = try await SafeguardingStore.settings(on: req.db)
        return .ok(.init(body: .json(try await SafeguardingStore.complaints(context: context, on: req.db).map {
            Schemas.Complaint($0, today: req.today, settings: settings)
        })))
    }

    func getComplaint(_ input: Operations.GetComplaint.Input) async throws -> Operations.GetComplaint.Output {
        let (req, context) = try context()
        let complaint = try await SafeguardingStore.complaint(try uuid(input.path.id), context: context, on: req.db)
        return .ok(.init(body: .json(.init(complaint, today: req.today, settings: try await SafeguardingStore.settings(on: req.db)))))
    }

    func addComplaintStep(_ input: Operations.AddComplaintStep.Input) async throws -> Operations.AddComplaintStep.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await SafeguardingStore.addComplaintStep(try uuid(input.path.id), SafeguardingStepInput(kind: b.kind.rawValue, date: b.date, note: b.note),
                                                              viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getComplaintStatistics(_ input: Operations.GetComplaintStatistics.Input) async throws -> Operations.GetComplaintStatistics.Output {
        let req = try APIContext.current()
        func day(_ text: String?, _ name: String, default value: Day) throws -> Day {
            guard let text, !text.isEmpty else { return value }
            guard let day = Day(iso: text) else {
                throw Problem(.badRequest, "Der Parameter \(name) muss ein Datum (JJJJ-MM-TT) sein.", errors: [FieldError(name, "Kein gültiges Datum.")])
            }
            return day
        }
        let from = try day(input.query.from, "from", default: Day(year: req.today.year, month: 1, day: 1)!)
        let to = try day(input.query.to, "to", default: req.today)
        guard from <= to else {
            throw Problem(.badRequest, "Der Zeitraum beginnt nach seinem Ende.", errors: [FieldError("from", "Liegt nach „to“.")])
        }
        let counts = ComplaintCounts(try await SafeguardingStore.allComplaints(on: req.db), from: from, to: to)
        return .ok(.init(body: .json(.init(
            from: from.iso, to: to.iso, total: counts.total, resolved: counts.resolved,
            byCategory: ComplaintCategory.allCases.map { .init(category: $0.rawValue, name: $0.german, count: counts.byCategory[$0] ?? 0) },
            bySource: ComplaintSource.allCases.map { .init(source: $0.rawValue, name: $0.german, count: counts.bySource[$0] ?? 0) }))))
    }

    func getSafeguardingSettings(_ input: Operations.GetSafeguardingSettings.Input) async throws -> Operations.GetSafeguardingSettings.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await SafeguardingStore.settings(on: req.db)))))
    }

    func updateSafeguardingSettings(_ input: Operations.UpdateSafeguardingSettings.Input) async throws -> Operations.UpdateSafeguardingSettings.Output {
        let (req, context) = try context()
        guard case .json(let b) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        var v = Validator()
        guard let settings = SafeguardingSettings.validated(recipients: b.incidentRecipients.joined(separator: "\n"), reportHours: b.incidentReportHours,
                                                            acknowledgeDays: b.complaintAcknowledgeDays, ombudsperson: b.ombudsperson, into: &v)
        else { throw ValidationFailure(v.errors) }
        try await SafeguardingStore.saveSettings(settings, context: context, on: req.db)
        return .noContent(.init())
    }
}

extension Components.Schemas.SafeguardingStep {
    init(_ s: SafeguardingStep, name: String) {
        self.init(id: s.id.lowercased(), sequence: s.sequence, kind: s.kind, kindName: name, date: s.date.iso, recipient: s.recipient, way: s.way,
                  note: s.note, recordedBy: s.recordedBy)
    }
}

extension Components.Schemas.Incident {
    init(_ i: Incident, now: DayTime, settings: SafeguardingSettings) {
        self.init(id: i.id.lowercased(), occurredOn: i.occurred.day.iso, occurredAt: i.occurred.time.text, category: i.category.rawValue,
                  categoryName: i.category.german, description: i.description, personsInvolved: i.personsInvolved, caseId: i.caseID?.lowercased(),
                  recordedBy: i.recordedBy, status: i.isClosed ? "closed" : "open",
                  externalReportOverdue: i.externalReportOverdue(now: now, settings: settings), nextSteps: i.nextKinds.map(\.rawValue),
                  steps: i.steps.map { .init($0, name: IncidentStepKind(rawValue: $0.kind)?.german ?? $0.kind) })
    }
}

extension Components.Schemas.Complaint {
    init(_ c: Complaint, today: Day, settings: SafeguardingSettings) {
        self.init(id: c.id.lowercased(), receivedOn: c.receivedOn.iso, source: c.source.rawValue, sourceName: c.source.german, channel: c.channel.rawValue,
                  category: c.category.rawValue, categoryName: c.category.german, about: c.about, caseId: c.caseID?.lowercased(),
                  ombudspersonOffered: c.ombudspersonOffered, recordedBy: c.recordedBy, status: c.status,
                  acknowledgementOverdue: c.acknowledgementOverdue(today: today, settings: settings), nextSteps: c.nextKinds.map(\.rawValue),
                  steps: c.steps.map { .init($0, name: ComplaintStepKind(rawValue: $0.kind)?.german ?? $0.kind) })
    }
}

extension Components.Schemas.SafeguardingSettings {
    init(_ s: SafeguardingSettings) {
        self.init(incidentRecipients: s.incidentRecipients, incidentReportHours: s.incidentReportHours,
                  complaintAcknowledgeDays: s.complaintAcknowledgeDays, ombudsperson: s.ombudsperson)
    }
}
