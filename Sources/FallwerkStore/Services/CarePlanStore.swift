import FallwerkDomain
import Fluent
import Foundation

/// A care plan meeting as the pages and the API see it.
public struct MeetingRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let meeting: CarePlanMeeting
    /// What the meeting said before its corrections, oldest first (loaded with one case's care plan).
    public var earlierVersions: [EarlierVersion<CarePlanMeeting>] = []

    /// 1 until the meeting is corrected.
    public var version: Int { earlierVersions.count + 1 }
}

/// A document that arrived for the care plan (R5).
public struct CarePlanDocumentRecord: Sendable, Hashable {
    public let id: UUID
    public let kind: CarePlanDocumentKind
    public let receivedOn: Day
    public let meetingID: UUID?
    /// What the record said before its corrections, oldest first (loaded with one case's care plan).
    public var earlierVersions: [EarlierVersion<DocumentVersion>] = []

    /// 1 until the record is corrected.
    public var version: Int { earlierVersions.count + 1 }
}

/// A document as typed.
public struct CarePlanDocumentDraft: Sendable, Equatable {
    public var kind: String?
    public var receivedOn: String?
    public var meetingId: String?

    public init(kind: String? = nil, receivedOn: String? = nil, meetingId: String? = nil) {
        self.kind = kind
        self.receivedOn = receivedOn
        self.meetingId = meetingId
    }
}

/// The care plan of one case: meetings, documents and what is due (R3–R6).
public struct CarePlanRecord: Sendable {
    public let record: CaseRecord
    public let meetings: [MeetingRecord]
    public let documents: [CarePlanDocumentRecord]
    public let deadlines: [Deadline]
}

public enum CarePlanStore {
    static let entity = "carePlanMeeting"
    static let documentEntity = "carePlanDocument"

    /// The care plan of a case; documentation access only (accounting sees no care planning).
    public static func load(_ caseID: UUID, visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> CarePlanRecord {
        let (record, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw RecordNotFound(entity: CaseStore.entity) }
        let books = try await SettingsBook.load(youthOfficeIDs: [record.youthOfficeID], on: db)
        let versions = try await CarePlanVersions.load(caseID: caseID, on: db)
        let meetings = (try await meetingRecords([caseID], on: db)[caseID] ?? []).map { meeting in
            var meeting = meeting
            meeting.earlierVersions = versions.meetings[meeting.id] ?? []
            return meeting
        }
        let documents = (try await documentRecords([caseID], on: db)[caseID] ?? []).map { document in
            var document = document
            document.earlierVersions = versions.documents[document.id] ?? []
            return document
        }
        // Full access: the case's §8a protection checks belong to its deadlines too (R21).
        let procedures = try await ChildProtectionStore.open(caseIDs: [caseID], on: db)
        let deadlines = try await deadlines([record], books: books, today: today, childProtection: procedures, on: db)[caseID] ?? []
        return CarePlanRecord(record: record, meetings: meetings, documents: documents, deadlines: deadlines)
    }

    /// Deadlines of many cases in three queries (R3–R6), computed by the domain, never stored.
    /// With `childProtection`, the open §8a procedures' protection checks too (R21; only for viewers
    /// who may know of them: `ChildProtectionStore.knownCases`).
    public static func deadlines(_ records: [CaseRecord], books: [UUID: SettingsBook], today: Day,
                                 childProtection: [UUID: [ChildProtectionProcedure]] = [:],
                                 on db: any Database) async throws -> [UUID: [Deadline]] {
        guard !records.isEmpty else { return [:] }
        let ids = records.map(\.id)
        // Side by side: every list of cases waits for these.
        async let meetingLists = meetingRecords(ids, on: db)
        async let documentLists = documentRecords(ids, on: db)
        async let reportLists = ReportDeadlineSource.finished(caseIDs: ids, on: db)
        async let replacementLists = AbsenceStore.replacementDeadlines(records, today: today, on: db)
        let meetings = try await meetingLists, documents = try await documentLists
        let reports = try await reportLists, replacements = try await replacementLists
        var result: [UUID: [Deadline]] = [:]
        for record in records {
            let settings = (books[record.youthOfficeID] ?? SettingsBook(agreements: [], offerOnboardingMinutes: [:]))
                .settings(on: min(record.endDate ?? today, max(today, record.startDate)), offerID: record.offerID)
            let caseMeetings = meetings[record.id] ?? []
            let keys = Dictionary(uniqueKeysWithValues: caseMeetings.map { ($0.id, $0.meeting.key) })
            let facts = DeadlineFacts(
                startDate: record.startDate, endDate: record.endDate, endReason: record.endReason,
                meetings: caseMeetings.map(\.meeting), reports: reports[record.id] ?? [],
                documents: (documents[record.id] ?? []).map {
                    ReceivedDocument(kind: $0.kind, receivedOn: $0.receivedOn, meetingKey: $0.meetingID.flatMap { keys[$0] })
                },
                settings: settings)
            result[record.id] = Deadlines.compute(facts, today: today)
                + (childProtection[record.id] ?? []).flatMap { $0.deadlines(today: today) }
                + (replacements[record.id] ?? [])
        }
        return result
    }

    static func meetingRecords(_ caseIDs: [UUID], on db: any Database) async throws -> [UUID: [MeetingRecord]] {
        let models = try await CarePlanMeetingModel.query(on: db).filter(CarePlanMeetingModel.schema, "case_id", inIDs: caseIDs).allFromRows()
        let records = models.compactMap { model -> MeetingRecord? in
            guard let id = model.id, let date = Day(iso: model.date), let kind = CarePlanMeetingKind(rawValue: model.kind),
                  let state = MeetingState(rawValue: model.state) else { return nil }
            let meeting = CarePlanMeeting(
                id: id.uuidString.lowercased(), date: date, time: model.startMinute.flatMap(TimeOfDay.init(minuteOfDay:)),
                durationMinutes: model.durationMinutes, kind: kind, state: state,
                nextReviewMovedTo: model.nextReviewMovedTo.flatMap(Day.init(iso:)), scheduledOn: model.scheduledOn.flatMap(Day.init(iso:)),
                reportMissingReason: model.reportMissingReason,
                participants: model.participants.split(separator: "\n").map(String.init), outcome: model.outcome)
            return MeetingRecord(id: id, caseID: model.$case.id, meeting: meeting)
        }
        return Dictionary(grouping: records, by: \.caseID).mapValues { $0.sorted { $0.meeting.date < $1.meeting.date } }
    }

    static func documentRecords(_ caseIDs: [UUID], on db: any Database) async throws -> [UUID: [CarePlanDocumentRecord]] {
        let models = try await CarePlanDocumentModel.query(on: db).filter(CarePlanDocumentModel.schema, "case_id", inIDs: caseIDs).allFromRows()
        var result: [UUID: [CarePlanDocumentRecord]] = [:]
        for model in models {
            guard let id = model.id, let kind = CarePlanDocumentKind(rawValue: model.kind), let day = Day(iso: model.receivedOn) else { continue }
            result[model.$case.id, default: []].append(CarePlanDocumentRecord(id: id, kind: kind, receivedOn: day, meetingID: model.meetingID))
        }
        return result.mapValues { $0.sorted { $0.receivedOn < $1.receivedOn } }
    }

    /// Records or changes a meeting (R3–R5). A review recorded as held while its progress report is
    /// missing needs a reason (R4): the first save answers with the warning as a field error.
    @discardableResult
    public static func saveMeeting(caseID: UUID, meetingID: UUID? = nil, _ input: CarePlanMeetingInput, viewer: Viewer,
                                   context: WriteContext, today: Day, on db: any Database) async throws -> UUID {
        let plan = try await load(caseID, visibleTo: viewer, today: today, on: db)
        if let meetingID, !plan.meetings.contains(where: { $0.id == meetingID }) { throw RecordNotFound(entity: entity) }
        var v = Validator()
        let others = plan.meetings.filter { $0.id != meetingID }.map(\.meeting)
        let finished = try await ReportDeadlineSource.finished(caseIDs: [caseID], on: db)[caseID] ?? []
        let meeting = input.validated(into: &v, startDate: plan.record.startDate, endDate: plan.record.endDate, others: others,
                                      reports: finished, today: today, id: meetingID?.uuidString.lowercased())
        try v.finish()
        guard let meeting else { throw ValidationFailure(v.errors) }
        return try await db.writeTransaction { db in
            let model: CarePlanMeetingModel
            if let meetingID, let existing = try await CarePlanMeetingModel.find(meetingID, on: db) {
                model = existing
            } else {
                model = CarePlanMeetingModel()
                model.$case.id = caseID
                model.createdBy = viewer.userID
            }
            let old = meetingID.map { _ in fields(model) } ?? [:]
            let before = meetingID.map { _ in CarePlanVersions.MeetingSnapshot(model) }
            model.date = meeting.date.iso
            model.startMinute = meeting.time?.minuteOfDay
            model.durationMinutes = meeting.durationMinutes
            model.kind = meeting.kind.rawValue
            model.state = meeting.state.rawValue
            model.nextReviewMovedTo = meeting.nextReviewMovedTo?.iso
            model.scheduledOn = meeting.scheduledOn?.iso
            model.reportMissingReason = meeting.reportMissingReason
            model.participants = meeting.participants.joined(separator: "\n")
            model.outcome = meeting.outcome
            // A correction is a new version: the one it replaces stays readable (issue 10).
            if let before, let id = model.id, before != CarePlanVersions.MeetingSnapshot(model) {
                try await CarePlanVersions.keep(before, kind: .meeting, recordID: id, caseID: caseID,
                                                writtenBy: model.updatedBy ?? model.createdBy, writtenAt: model.updatedAt ?? model.createdAt,
                                                replacedBy: viewer.userID, at: context.now, on: db)
                model.updatedBy = viewer.userID
            }
            try await model.save(on: db)
            let id = try model.requireID()
            // Names of participants and the outcome are case content: the log keeps only what kind of change it was.
            var changes: [String: AuditChange] = ["case": AuditChange(from: nil, to: caseID.uuidString)]
            for (key, value) in fields(model) where old[key] != value { changes[key] = AuditChange(from: old[key], to: value) }
            try await AuditLog.record(meetingID == nil ? .create : .update, entity: entity, id: id, changes: changes,
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    static func fields(_ model: CarePlanMeetingModel) -> [String: String] {
        var result = ["date": model.date, "kind": model.kind, "state": model.state]
        if let moved = model.nextReviewMovedTo { result["nextReviewMovedTo"] = moved }
        if model.reportMissingReason != nil { result["reportMissingReason"] = "erfasst" }
        return result
    }

    /// Records that the signed plan, the cost approval or a written specification arrived (R5). With
    /// `documentID`, corrects that record by a new version; the one it replaces stays readable (issue 10).
    @discardableResult
    public static func recordDocument(caseID: UUID, documentID: UUID? = nil, _ draft: CarePlanDocumentDraft, viewer: Viewer,
                                      context: WriteContext, today: Day, on db: any Database) async throws -> UUID {
        let plan = try await load(caseID, visibleTo: viewer, today: today, on: db)
        if let documentID, !plan.documents.contains(where: { $0.id == documentID }) { throw RecordNotFound(entity: documentEntity) }
        var v = Validator()
        var kind: CarePlanDocumentKind?
        if let raw = v.required(draft.kind, "kind", label: "die Art des Dokuments") {
            kind = CarePlanDocumentKind(rawValue: raw)
            if kind == nil { v.add("kind", "Bitte signedCarePlan, costApproval oder specification angeben.") }
        }
        let received = v.day(draft.receivedOn, "receivedOn", label: "den Eingangstag")
        if let received, received > today { v.add("receivedOn", "Der Eingangstag kann nicht in der Zukunft liegen.") }
        if let received, received < plan.record.startDate {
            v.add("receivedOn", "Der Eingangstag liegt vor dem Beginn der Hilfe (\(plan.record.startDate.german)).")
        }
        var meetingID: UUID?
        if let raw = draft.meetingId?.trimmed, !raw.isEmpty {
            meetingID = UUID(uuidString: raw)
            if meetingID == nil || !plan.meetings.contains(where: { $0.id == meetingID }) {
                v.add("meetingId", "Dieses Hilfeplangespräch gehört nicht zu diesem Fall.")
            }
        }
        try v.finish()
        guard let kind, let received else { throw ValidationFailure(v.errors) }
        return try await db.writeTransaction { [meetingID] db in
            let model: CarePlanDocumentModel
            if let documentID, let existing = try await CarePlanDocumentModel.find(documentID, on: db), existing.$case.id == caseID {
                model = existing
            } else if documentID != nil {
                throw RecordNotFound(entity: documentEntity)
            } else {
                model = CarePlanDocumentModel()
                model.$case.id = caseID
                model.createdBy = viewer.userID
            }
            let before = documentID.map { _ in CarePlanVersions.DocumentSnapshot(model) }
            model.kind = kind.rawValue
            model.receivedOn = received.iso
            model.meetingID = meetingID
            var changes = ["case": AuditChange(from: nil, to: caseID.uuidString)]
            if let before, let id = model.id {
                let after = CarePlanVersions.DocumentSnapshot(model)
                guard before != after else { return id }
                try await CarePlanVersions.keep(before, kind: .document, recordID: id, caseID: caseID,
                                                writtenBy: model.updatedBy ?? model.createdBy, writtenAt: model.updatedAt ?? model.createdAt,
                                                replacedBy: viewer.userID, at: context.now, on: db)
                model.updatedBy = viewer.userID
                if before.kind != after.kind { changes["kind"] = AuditChange(from: before.kind, to: after.kind) }
                if before.receivedOn != after.receivedOn { changes["receivedOn"] = AuditChange(from: before.receivedOn, to: after.receivedOn) }
                if before.meetingID != after.meetingID {
                    changes["meeting"] = AuditChange(from: before.meetingID?.uuidString, to: after.meetingID?.uuidString)
                }
            } else {
                changes["kind"] = AuditChange(from: nil, to: kind.rawValue)
                changes["receivedOn"] = AuditChange(from: nil, to: received.iso)
            }
            try await model.save(on: db)
            let id = try model.requireID()
            try await AuditLog.record(documentID == nil ? .create : .update, entity: documentEntity, id: id, changes: changes,
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// What ending a case on a day would do, checked without saving (R6), for the confirmation page:
    /// the day, the reason, and the entries after that day that must be corrected first (R6, R8).
    public struct CaseEndCheck: Sendable {
        public let record: CaseRecord
        public let day: Day
        public let reason: EndReason
        public let entriesAfterEnd: [EntryAfterEnd]
    }

    /// Checks an end without saving it (R6). Field errors for the day and the reason; entries after
    /// the day are returned, not thrown, so the confirmation can list them with links to correct them.
    public static func checkCaseEnd(caseID: UUID, date: String?, reason: String?, viewer: Viewer, today: Day,
                                    on db: any Database) async throws -> CaseEndCheck {
        let plan = try await load(caseID, visibleTo: viewer, today: today, on: db)
        var v = Validator()
        let checked = CaseEndInput(date: date, reason: reason)
            .validated(into: &v, startDate: plan.record.startDate, meetings: plan.meetings.map(\.meeting), today: today)
        try v.finish()
        guard let (end, endReason) = checked else { throw ValidationFailure(v.errors) }
        let after = CaseEnd.entriesAfter(end, in: try await entries(of: caseID, after: end, on: db))
        return CaseEndCheck(record: plan.record, day: end, reason: endReason, entriesAfterEnd: after)
    }

    /// Ends a case with a reason (R6): the required report becomes due, future reviews disappear.
    /// Refused while entries lie after the end (R6, R8): they would stay billable for days without help.
    public static func endCase(caseID: UUID, date: String?, reason: String?, viewer: Viewer, context: WriteContext,
                               today: Day, on db: any Database) async throws {
        let check = try await checkCaseEnd(caseID: caseID, date: date, reason: reason, viewer: viewer, today: today, on: db)
        let end = check.day
        try await db.writeTransaction { db in
            // Checked again inside the write: an entry saved since the check counts too.
            var v = Validator()
            CaseEnd.check(end, entries: try await entries(of: caseID, after: end, on: db), into: &v)
            try v.finish()
            guard let model = try await CaseModel.find(caseID, on: db) else { throw RecordNotFound(entity: CaseStore.entity) }
            let old = (model.endDate, model.endReason)
            model.endDate = end.iso
            model.endReason = check.reason.rawValue
            try await model.update(on: db)
            try await AuditLog.record(.update, entity: CaseStore.entity, id: caseID,
                                      changes: ["endDate": AuditChange(from: old.0, to: end.iso),
                                                "endReason": AuditChange(from: old.1, to: check.reason.rawValue)],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// The case's entries dated after `day`, group session shares included, with their staff's names.
    static func entries(of caseID: UUID, after day: Day, on db: any Database) async throws -> [EntryAfterEnd] {
        let models = try await ServiceEntryModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$date > day.iso).with(\.$staff).all()
        return models.compactMap { model in
            guard let id = model.id, let date = Day(iso: model.date), let start = TimeOfDay(minuteOfDay: model.startMinute),
                  let kind = EntryKind(rawValue: model.kind) else { return nil }
            return EntryAfterEnd(entryID: id.uuidString.lowercased(), date: date, start: start, kind: kind,
                                 staffName: "\(model.staff.firstName) \(model.staff.lastName)",
                                 groupSessionID: model.$groupSession.id?.uuidString.lowercased())
        }
    }
}
