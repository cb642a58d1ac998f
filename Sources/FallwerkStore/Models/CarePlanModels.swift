import Fluent
import Foundation

/// A care plan meeting (Hilfeplangespräch, R3–R5): planned or held, with what it decided.
public final class CarePlanMeetingModel: Model, @unchecked Sendable {
    public static let schema = "care_plan_meetings"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "date") public var date: String
    @OptionalField(key: "start_minute") public var startMinute: Int?
    @OptionalField(key: "duration_minutes") public var durationMinutes: Int?
    @Field(key: "kind") public var kind: String
    @Field(key: "state") public var state: String
    @OptionalField(key: "next_review_moved_to") public var nextReviewMovedTo: String?
    @OptionalField(key: "scheduled_on") public var scheduledOn: String?
    @OptionalField(key: "report_missing_reason") public var reportMissingReason: String?
    /// One name per line.
    @Field(key: "participants") public var participants: String
    @OptionalField(key: "outcome") public var outcome: String?
    @Field(key: "created_by") public var createdBy: UUID
    /// Who wrote the current version, when it was corrected.
    @OptionalField(key: "updated_by") public var updatedBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $date, $startMinute, $durationMinutes, $kind, $state, $nextReviewMovedTo, $scheduledOn,
         $reportMissingReason, $participants, $outcome, $createdBy, $updatedBy, $createdAt, $updatedAt]
    }

    public init() {}
}

/// A document that arrived after a meeting: the signed care plan, the cost approval, a written
/// specification (R5). Its arrival completes the matching deadline.
public final class CarePlanDocumentModel: Model, @unchecked Sendable {
    public static let schema = "care_plan_documents"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "kind") public var kind: String
    @Field(key: "received_on") public var receivedOn: String
    @OptionalField(key: "meeting_id") public var meetingID: UUID?
    @Field(key: "created_by") public var createdBy: UUID
    /// Who wrote the current version, when it was corrected.
    @OptionalField(key: "updated_by") public var updatedBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $kind, $receivedOn, $meetingID, $createdBy, $updatedBy, $createdAt, $updatedAt]
    }

    public init() {}
}

/// A user's secret calendar feed. Only the SHA-256 of the token is stored; renewing replaces it,
/// so an old URL stops working at once.
public final class CalendarFeedModel: Model, @unchecked Sendable {
    public static let schema = "calendar_feeds"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "token_hash") public var tokenHash: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $userID, $tokenHash, $createdAt] }

    public init() {}
}

/// An earlier version of a care plan meeting or received document, kept readable when it is
/// corrected (issue 10: "correct a meeting or document by a new version that keeps the old one
/// readable"). The record itself keeps its id, so deadlines, documents and calendar entries that
/// point to it stay valid; this table holds what it said before, append-only.
public final class CarePlanVersionModel: Model, @unchecked Sendable {
    public static let schema = "care_plan_versions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    /// `meeting` or `document`.
    @Field(key: "record_kind") public var recordKind: String
    @Field(key: "record_id") public var recordID: UUID
    /// 1 for the version first recorded, counting up.
    @Field(key: "version") public var version: Int
    /// The record's fields as they were (JSON).
    @Field(key: "snapshot") public var snapshot: String
    @Field(key: "written_by") public var writtenBy: UUID
    @OptionalField(key: "written_at") public var writtenAt: Date?
    @Field(key: "replaced_by") public var replacedBy: UUID
    @Field(key: "replaced_at") public var replacedAt: Date

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $recordKind, $recordID, $version, $snapshot, $writtenBy, $writtenAt, $replacedBy, $replacedAt]
    }

    public init() {}
}
