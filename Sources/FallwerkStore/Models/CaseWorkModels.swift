import Fluent
import Foundation

/// A cost approval with its hour budget (R8).
public final class ApprovalModel: Model, @unchecked Sendable {
    public static let schema = "approvals"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "from_date") public var fromDate: String
    @Field(key: "to_date") public var toDate: String
    @Field(key: "minutes_per_unit") public var minutesPerUnit: Int
    @Field(key: "unit") public var unit: String
    /// The youth office's reference of the approval (*Bescheid / Kostenzusage*).
    @OptionalField(key: "reference") public var reference: String?
    /// Staff named in the approval (seed 002: "unter Benennung der jeweiligen Fachkräfte"), ids comma-separated.
    @Field(key: "named_staff_ids") public var namedStaffIDs: String
    @Children(for: \.$approval) public var increases: [ApprovalIncreaseModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $fromDate, $toDate, $minutesPerUnit, $unit, $reference, $namedStaffIDs, $increases, $createdAt]
    }

    public init() {}
}

/// Hours added to an approval after the youth office confirmed them (R9).
public final class ApprovalIncreaseModel: Model, @unchecked Sendable {
    public static let schema = "approval_increases"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "approval_id") public var approval: ApprovalModel
    @Field(key: "minutes") public var minutes: Int
    @Field(key: "confirmed_on") public var confirmedOn: String
    @Field(key: "applies_on") public var appliesOn: String
    @OptionalField(key: "note") public var note: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $approval, $minutes, $confirmedOn, $appliesOn, $note, $createdAt] }

    public init() {}
}

/// One piece of work on a case by one staff member (R10, R11). The counted minutes are stored as
/// computed when written (under the agreement valid on the entry's day), so that sums can be taken
/// in SQL. `billed_minutes` is what is left of them after the budget (R9); `BilledMinutes.refresh`
/// keeps it in step whenever the case's entries, approvals or increases change.
public final class ServiceEntryModel: Model, @unchecked Sendable {
    public static let schema = "service_entries"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Parent(key: "staff_id") public var staff: StaffModel
    @Field(key: "date") public var date: String
    @Field(key: "start_minute") public var startMinute: Int
    @Field(key: "minutes") public var minutes: Int
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "cancelled_by") public var cancelledBy: String?
    @OptionalField(key: "cancelled_at") public var cancelledAt: Date?
    @Field(key: "home_visit") public var homeVisit: Bool
    @OptionalField(key: "kilometres") public var kilometres: Int?
    @OptionalField(key: "note") public var note: String?
    /// R7: the guardians were contacted (minors moving to independent living).
    @Field(key: "guardian_contact") public var guardianContact: Bool
    @OptionalParent(key: "group_session_id") public var groupSession: GroupSessionModel?
    @Field(key: "billable_minutes") public var billableMinutes: Int
    @Field(key: "budget_minutes") public var budgetMinutes: Int
    @Field(key: "billed_minutes") public var billedMinutes: Int
    @Field(key: "onboarding_minutes") public var onboardingMinutes: Int
    @Field(key: "travel_cents") public var travelCents: Int64
    /// Travel billed after visits and budget (R10, decision 0015); kept by `BilledMinutes.refresh`.
    @Field(key: "billed_travel_cents") public var billedTravelCents: Int64
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $staff, $date, $startMinute, $minutes, $kind, $cancelledBy, $cancelledAt, $homeVisit, $kilometres, $note, $guardianContact,
         $groupSession, $billableMinutes, $budgetMinutes, $billedMinutes, $onboardingMinutes, $travelCents, $billedTravelCents,
         $createdBy, $createdAt, $updatedAt]
    }

    public init() {}
}

/// A group session whose time is split over the cases present (R10).
public final class GroupSessionModel: Model, @unchecked Sendable {
    public static let schema = "group_sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "date") public var date: String
    @Field(key: "start_minute") public var startMinute: Int
    @Field(key: "minutes") public var minutes: Int
    @Field(key: "staff_count") public var staffCount: Int
    @Field(key: "case_count") public var caseCount: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $date, $startMinute, $minutes, $staffCount, $caseCount, $createdAt] }

    public init() {}
}

/// Someone confirmed acting on an alert that data alone cannot clear (R12: youth office informed).
public final class AlertAcknowledgementModel: Model, @unchecked Sendable {
    public static let schema = "alert_acknowledgements"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "kind") public var kind: String
    @Field(key: "since") public var since: String
    @OptionalField(key: "note") public var note: String?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "at") public var at: Date

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $case, $kind, $since, $note, $userID, $at] }

    public init() {}
}

/// One budget window of a case as the ledger last counted it (R8, R9; issue 12): kept by
/// `BilledMinutes.refresh`, the one write path of the case-work core, so that budget bars, overviews
/// and alert lists read a few rows instead of rebuilding the ledger from every entry.
public final class CaseBudgetWindowModel: Model, @unchecked Sendable {
    public static let schema = "case_budget_windows"

    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @OptionalField(key: "approval_id") public var approvalID: UUID?
    @Field(key: "from_date") public var fromDate: String
    @Field(key: "to_date") public var toDate: String
    @Field(key: "approved_minutes") public var approvedMinutes: Int
    @Field(key: "used_minutes") public var usedMinutes: Int
    @Field(key: "crisis_over_minutes") public var crisisOverMinutes: Int
    @OptionalField(key: "over_since") public var overSince: String?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $caseID, $approvalID, $fromDate, $toDate, $approvedMinutes, $usedMinutes, $crisisOverMinutes, $overSince]
    }

    public init() {}
}
