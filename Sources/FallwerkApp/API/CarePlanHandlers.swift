import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Vapor

extension Schemas.Deadline {
    init(_ d: Deadline) {
        self.init(key: d.key, kind: .init(rawValue: d.kind.rawValue)!, title: d.title, due: d.due.iso, windowStart: d.windowStart?.iso,
                  regularDue: d.regularDue?.iso, status: .init(rawValue: d.status.rawValue)!, doneOn: d.doneOn?.iso, note: d.note)
    }
}

extension Schemas.CarePlanMeeting {
    init(_ r: MeetingRecord) {
        let m = r.meeting
        self.init(id: r.id.apiID, date: m.date.iso, time: m.time?.text, durationMinutes: m.durationMinutes, kind: m.kind.rawValue,
                  kindName: m.kind.german, state: m.state.rawValue, nextReviewMovedTo: m.nextReviewMovedTo?.iso, scheduledOn: m.scheduledOn?.iso,
                  reportMissingReason: m.reportMissingReason, participants: m.participants, outcome: m.outcome,
                  version: r.version, earlierVersions: r.earlierVersions.map(Schemas.CarePlanMeetingVersion.init))
    }
}

extension Schemas.CarePlanMeetingVersion {
    init(_ v: EarlierVersion<CarePlanMeeting>) {
        let m = v.value
        self.init(version: v.version, writtenAt: v.writtenAt, replacedAt: v.replacedAt, date: m.date.iso, time: m.time?.text,
                  durationMinutes: m.durationMinutes, kind: m.kind.rawValue, kindName: m.kind.german, state: m.state.rawValue,
                  nextReviewMovedTo: m.nextReviewMovedTo?.iso, scheduledOn: m.scheduledOn?.iso, reportMissingReason: m.reportMissingReason,
                  participants: m.participants, outcome: m.outcome)
    }
}

extension Schemas.CarePlanDocument {
    init(_ r: CarePlanDocumentRecord) {
        self.init(id: r.id.apiID, kind: r.kind.rawValue, receivedOn: r.receivedOn.iso, meetingId: r.meetingID?.apiID, version: r.version,
                  earlierVersions: r.earlierVersions.map {
                      .init(version: $0.version, writtenAt: $0.writtenAt, replacedAt: $0.replacedAt, kind: $0.value.kind.rawValue,
                            receivedOn: $0.value.receivedOn.iso, meetingId: $0.value.meetingID?.apiID)
                  })
    }
}

extension Schemas.CarePlanMeetingInput {
    var input: CarePlanMeetingInput {
        var i = CarePlanMeetingInput()
        i.date = date
        i.time = time
        i.durationMinutes = durationMinutes
        i.kind = kind.rawValue
        i.state = state?.rawValue
        i.nextReviewMovedTo = nextReviewMovedTo
        i.scheduledOn = scheduledOn
        i.reportMissingReason = reportMissingReason
        i.participants = participants ?? []
        i.outcome = outcome
        return i
    }
}

extension APIHandler {
    func getCarePlan(_ input: Operations.GetCarePlan.Input) async throws -> Operations.GetCarePlan.Output {
        let req = try APIContext.current()
        let plan = try await CarePlanStore.load(try uuid(input.path.id), visibleTo: try await req.viewer(), today: req.today, on: req.db)
        return .ok(.init(body: .json(.init(
            caseId: plan.record.id.apiID, meetings: plan.meetings.map(Schemas.CarePlanMeeting.init),
            documents: plan.documents.map(Schemas.CarePlanDocument.init),
            deadlines: plan.deadlines.map(Schemas.Deadline.init)))))
    }

    func createCarePlanMeeting(_ input: Operations.CreateCarePlanMeeting.Input) async throws -> Operations.CreateCarePlanMeeting.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await CarePlanStore.saveMeeting(caseID: try uuid(input.path.id), body.input, viewer: try await req.viewer(),
                                                     context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func updateCarePlanMeeting(_ input: Operations.UpdateCarePlanMeeting.Input) async throws -> Operations.UpdateCarePlanMeeting.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await CarePlanStore.saveMeeting(caseID: try uuid(input.path.id), meetingID: try uuid(input.path.meetingId), body.input,
                                            viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func recordCarePlanDocument(_ input: Operations.RecordCarePlanDocument.Input) async throws -> Operations.RecordCarePlanDocument.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await CarePlanStore.recordDocument(
            caseID: try uuid(input.path.id), CarePlanDocumentDraft(kind: body.kind.rawValue, receivedOn: body.receivedOn, meetingId: body.meetingId),
            viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func updateCarePlanDocument(_ input: Operations.UpdateCarePlanDocument.Input) async throws -> Operations.UpdateCarePlanDocument.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await CarePlanStore.recordDocument(
            caseID: try uuid(input.path.id), documentID: try uuid(input.path.documentId),
            CarePlanDocumentDraft(kind: body.kind.rawValue, receivedOn: body.receivedOn, meetingId: body.meetingId),
            viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func listCaseDeadlines(_ input: Operations.ListCaseDeadlines.Input) async throws -> Operations.ListCaseDeadlines.Output {
        let req = try APIContext.current()
        let plan = try await CarePlanStore.load(try uuid(input.path.id), visibleTo: try await req.viewer(), today: req.today, on: req.db)
        return .ok(.init(body: .json(plan.deadlines.map(Schemas.Deadline.init))))
    }

    func endCase(_ input: Operations.EndCase.Input) async throws -> Operations.EndCase.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await CarePlanStore.endCase(caseID: try uuid(input.path.id), date: body.date, reason: body.reason.rawValue,
                                        viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func listDeadlines(_ input: Operations.ListDeadlines.Input) async throws -> Operations.ListDeadlines.Output {
        let req = try APIContext.current()
        let scope = DeadlineScope(rawValue: input.query.scope?.rawValue ?? "mine") ?? .mine
        let page = try await DeadlineStore.upcoming(scope, weeks: input.query.weeks ?? 8, offset: input.query.offset ?? 0,
                                                    limit: input.query.limit ?? 100, viewer: try await req.viewer(), today: req.today, on: req.db)
        return .ok(.init(headers: .init(xTotalCount: page.list.total, xNextOffset: page.list.nextOffset), body: .json(page.items.map {
            .init(caseId: $0.record.id.apiID, fileNumber: $0.record.fileNumber, caseName: $0.record.youngPerson.initials,
                  deadline: .init($0.deadline))
        })))
    }

    func renewCalendarFeed(_ input: Operations.RenewCalendarFeed.Input) async throws -> Operations.RenewCalendarFeed.Output {
        let (req, context) = try context()
        let path = try await CalendarFeeds.renew(for: try req.requireUser().id, context: context, on: req.db)
        return .created(.init(body: .json(.init(url: CalendarFeeds.absolute(path, on: req)))))
    }
}

/// Secret calendar URLs: a random token in the URL, only its SHA-256 in the database.
enum CalendarFeeds {
    static func renew(for userID: UUID, context: WriteContext, on db: any Database) async throws -> String {
        let token = APITokens.newSecret()
        try await CalendarFeedStore.renew(userID: userID, tokenHash: APITokens.hash(token), context: context, on: db)
        return "/kalender/\(token).ics"
    }

    static func absolute(_ path: String, on req: Request) -> String {
        guard let host = req.headers.first(name: .host) else { return path }
        let scheme = req.headers.first(name: "X-Forwarded-Proto") ?? (req.application.fallwerk.configuration.secureCookies ? "https" : "http")
        return "\(scheme)://\(host)\(path)"
    }

    /// The feed for a token, or nil when no user has it (renewed or never issued).
    static func feed(token: String, on req: Request) async throws -> String? {
        guard token.count >= 20, let userID = try await CalendarFeedStore.userID(forTokenHash: APITokens.hash(token), on: req.db) else { return nil }
        let user = try await UserStore.get(userID, on: req.db)
        guard user.isActive else { return nil }
        let viewer = try await Viewer.load(userID: userID, roles: user.roles, on: req.db)
        // The feed is read without a sign-in: its cases' read audit names the feed's owner (R31).
        CaseReads.ledger?.readBy(AuditActor(userID: user.id, username: user.username))
        let events = try await DeadlineStore.calendar(viewer: viewer, today: req.today, on: req.db)
        return ICalendar(name: "Fallwerk – Fristen \(user.displayName)", events: events).render(stamp: req.now)
    }
}
