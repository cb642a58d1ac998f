import Fluent
import Foundation

/// A SMART goal of a case (R18). Dates are ISO days as text, like every `Day` in the store.
public final class GoalModel: Model, @unchecked Sendable {
    public static let schema = "goals"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "title") public var title: String
    @OptionalField(key: "specific") public var specific: String?
    @OptionalField(key: "measurable") public var measurable: String?
    @OptionalField(key: "achievable") public var achievable: String?
    @OptionalField(key: "relevant") public var relevant: String?
    @OptionalField(key: "time_bound") public var timeBound: String?
    @OptionalField(key: "young_person_view") public var youngPersonView: String?
    @Field(key: "status") public var status: String
    @Field(key: "created_on") public var createdOn: String
    @Field(key: "created_by") public var createdBy: UUID
    @Children(for: \.$goal) public var ratings: [GoalRatingModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $title, $specific, $measurable, $achievable, $relevant, $timeBound, $youngPersonView, $status, $createdOn,
         $createdBy, $ratings, $createdAt, $updatedAt]
    }

    public init() {}
}

/// One dated rating of a goal on the fixed 1–5 scale (R18, R29). Ratings are only ever added.
public final class GoalRatingModel: Model, @unchecked Sendable {
    public static let schema = "goal_ratings"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "goal_id") public var goal: GoalModel
    @Field(key: "value") public var value: Int
    @Field(key: "rated_on") public var ratedOn: String
    @Field(key: "reason") public var reason: String
    @OptionalField(key: "young_person_view") public var youngPersonView: String?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $goal, $value, $ratedOn, $reason, $youngPersonView, $createdBy, $createdAt] }

    public init() {}
}

/// A note of the running record: observation and assessment in their own columns (R18), no diary
/// column of any kind (R20).
public final class NoteModel: Model, @unchecked Sendable {
    public static let schema = "notes"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "date") public var date: String
    @Field(key: "observation") public var observation: String
    @OptionalField(key: "assessment") public var assessment: String?
    /// Goals of the same case, ids comma-separated.
    @Field(key: "goal_ids") public var goalIDs: String
    @OptionalField(key: "service_entry_id") public var serviceEntryID: UUID?
    @OptionalField(key: "author_staff_id") public var authorStaffID: UUID?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// The note this one corrects; the corrected note stays as it was, readable as the earlier version.
    @OptionalField(key: "corrects_note_id") public var correctsNoteID: UUID?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $date, $observation, $assessment, $goalIDs, $serviceEntryID, $authorStaffID, $createdBy, $createdAt,
         $correctsNoteID]
    }

    public init() {}
}

/// A report to the youth office (R19). The sections are one JSON text: they are always read and
/// written together with the report, and their keys come from the domain.
public final class ReportModel: Model, @unchecked Sendable {
    public static let schema = "reports"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "kind") public var kind: String
    @Field(key: "period_from") public var periodFrom: String
    @Field(key: "period_to") public var periodTo: String
    @Field(key: "status") public var status: String
    @Field(key: "sections") public var sections: String
    @OptionalField(key: "submitted_on") public var submittedOn: String?
    @OptionalField(key: "approved_on") public var approvedOn: String?
    @OptionalField(key: "approved_by_staff_id") public var approvedByStaffID: String?
    @OptionalField(key: "approved_by") public var approvedBy: UUID?
    @OptionalField(key: "sent_on") public var sentOn: String?
    @OptionalField(key: "discussed_with_family_on") public var discussedWithFamilyOn: String?
    /// The report's service entry (R10), created once when the report is marked sent.
    @OptionalField(key: "service_entry_id") public var serviceEntryID: UUID?
    @OptionalField(key: "author_staff_id") public var authorStaffID: UUID?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $kind, $periodFrom, $periodTo, $status, $sections, $submittedOn, $approvedOn, $approvedByStaffID,
         $approvedBy, $sentOn, $discussedWithFamilyOn, $serviceEntryID, $authorStaffID, $createdBy, $createdAt, $updatedAt]
    }

    public init() {}
}
