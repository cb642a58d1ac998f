import FallwerkDomain
import Fluent
import Foundation

/// An earlier version of a care plan meeting or received document: what it said, and when it was
/// written and replaced (issue 10). Who wrote it is kept in the table, not shown: the audit log
/// answers that question for those allowed to ask it.
public struct EarlierVersion<Value: Sendable & Hashable>: Sendable, Hashable {
    public let version: Int
    public let value: Value
    public let writtenAt: Date?
    public let replacedAt: Date
}

/// Keeps earlier versions of meetings and documents. A correction changes the record in place, so
/// its id (and everything pointing to it: documents, deadline keys, calendar UIDs) stays; the
/// version it replaces is copied here first, in the same transaction.
enum CarePlanVersions {
    enum Kind: String {
        case meeting, document
    }

    /// A meeting's stored fields.
    struct MeetingSnapshot: Codable, Equatable {
        var date: String
        var startMinute: Int?
        var durationMinutes: Int?
        var kind: String
        var state: String
        var nextReviewMovedTo: String?
        var scheduledOn: String?
        var reportMissingReason: String?
        var participants: String
        var outcome: String?

        init(_ model: CarePlanMeetingModel) {
            date = model.date
            startMinute = model.startMinute
            durationMinutes = model.durationMinutes
            kind = model.kind
            state = model.state
            nextReviewMovedTo = model.nextReviewMovedTo
            scheduledOn = model.scheduledOn
            reportMissingReason = model.reportMissingReason
            participants = model.participants
            outcome = model.outcome
        }

        var meeting: CarePlanMeeting? {
            guard let day = Day(iso: date), let kind = CarePlanMeetingKind(rawValue: kind), let state = MeetingState(rawValue: state) else { return nil }
            return CarePlanMeeting(
                date: day, time: startMinute.flatMap(TimeOfDay.init(minuteOfDay:)), durationMinutes: durationMinutes, kind: kind, state: state,
                nextReviewMovedTo: nextReviewMovedTo.flatMap(Day.init(iso:)), scheduledOn: scheduledOn.flatMap(Day.init(iso:)),
                reportMissingReason: reportMissingReason, participants: participants.split(separator: "\n").map(String.init), outcome: outcome)
        }
    }

    /// A received document's stored fields.
    struct DocumentSnapshot: Codable, Equatable {
        var kind: String
        var receivedOn: String
        var meetingID: UUID?

        init(_ model: CarePlanDocumentModel) {
            kind = model.kind
            receivedOn = model.receivedOn
            meetingID = model.meetingID
        }

        var document: DocumentVersion? {
            guard let kind = CarePlanDocumentKind(rawValue: kind), let day = Day(iso: receivedOn) else { return nil }
            return DocumentVersion(kind: kind, receivedOn: day, meetingID: meetingID)
        }
    }

    /// Copies the version a correction replaces; call inside the correction's transaction, before saving.
    static func keep<Snapshot: Encodable>(_ snapshot: Snapshot, kind: Kind, recordID: UUID, caseID: UUID, writtenBy: UUID,
                                          writtenAt: Date?, replacedBy: UUID, at now: Date, on db: any Database) async throws {
        let earlier = try await CarePlanVersionModel.query(on: db).filter(\.$recordID == recordID).count()
        let model = CarePlanVersionModel()
        model.$case.id = caseID
        model.recordKind = kind.rawValue
        model.recordID = recordID
        model.version = earlier + 1
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        model.snapshot = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
        model.writtenBy = writtenBy
        model.writtenAt = writtenAt
        model.replacedBy = replacedBy
        model.replacedAt = now
        try await model.create(on: db)
    }

    /// Earlier versions of one case's meetings and documents, oldest first, by record id.
    static func load(caseID: UUID, on db: any Database) async throws
        -> (meetings: [UUID: [EarlierVersion<CarePlanMeeting>]], documents: [UUID: [EarlierVersion<DocumentVersion>]]) {
        let models = try await CarePlanVersionModel.query(on: db).filter(\.$case.$id == caseID).sort(\.$version).all()
        let decoder = JSONDecoder()
        var meetings: [UUID: [EarlierVersion<CarePlanMeeting>]] = [:]
        var documents: [UUID: [EarlierVersion<DocumentVersion>]] = [:]
        for model in models {
            let data = Data(model.snapshot.utf8)
            switch Kind(rawValue: model.recordKind) {
            case .meeting:
                guard var meeting = try? decoder.decode(MeetingSnapshot.self, from: data).meeting else { continue }
                meeting.id = model.recordID.uuidString.lowercased()
                meetings[model.recordID, default: []].append(
                    EarlierVersion(version: model.version, value: meeting, writtenAt: model.writtenAt, replacedAt: model.replacedAt))
            case .document:
                guard let document = try? decoder.decode(DocumentSnapshot.self, from: data).document else { continue }
                documents[model.recordID, default: []].append(
                    EarlierVersion(version: model.version, value: document, writtenAt: model.writtenAt, replacedAt: model.replacedAt))
            case nil:
                continue
            }
        }
        return (meetings, documents)
    }
}

/// What a received document said in one version.
public struct DocumentVersion: Sendable, Hashable {
    public let kind: CarePlanDocumentKind
    public let receivedOn: Day
    public let meetingID: UUID?
}
