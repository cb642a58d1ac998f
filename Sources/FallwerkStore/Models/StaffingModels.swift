import Fluent
import Foundation

/// A youth office's request to take a family (R1).
public final class IntakeRequestModel: Model, @unchecked Sendable {
    public static let schema = "intake_requests"

    @ID(key: .id) public var id: UUID?
    @Field(key: "youth_office_id") public var youthOfficeID: UUID
    @Field(key: "offer_id") public var offerID: UUID
    @Field(key: "received_on") public var receivedOn: String
    @OptionalField(key: "contact") public var contact: String?
    @Field(key: "minutes_per_unit") public var minutesPerUnit: Int
    @Field(key: "unit") public var unit: String
    @Field(key: "urgency") public var urgency: String
    @Field(key: "reason") public var reason: String
    @OptionalField(key: "initials") public var initials: String?
    /// open, accepted or declined.
    @Field(key: "status") public var status: String
    @OptionalField(key: "decided_on") public var decidedOn: String?
    @OptionalField(key: "decline_reason") public var declineReason: String?
    @OptionalField(key: "case_id") public var caseID: UUID?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public var properties: [any AnyProperty] {
        [$id, $youthOfficeID, $offerID, $receivedOn, $contact, $minutesPerUnit, $unit, $urgency, $reason, $initials, $status, $decidedOn,
         $declineReason, $caseID, $createdBy, $createdAt]
    }

    public init() {}
}

/// One piece of evidence of a staff member's standards (R24, R25): a certificate, a training, a
/// supervision, the yearly §8a acknowledgement, an induction module.
public final class StaffEvidenceModel: Model, @unchecked Sendable {
    public static let schema = "staff_evidence"

    @ID(key: .id) public var id: UUID?
    @Field(key: "staff_id") public var staffID: UUID
    /// certificate, training, supervision, acknowledgement, induction1, induction2.
    @Field(key: "kind") public var kind: String
    @Field(key: "date") public var date: String
    @OptionalField(key: "title") public var title: String?
    @OptionalField(key: "minutes") public var minutes: Int?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public var properties: [any AnyProperty] { [$id, $staffID, $kind, $date, $title, $minutes, $createdBy, $createdAt] }

    public init() {}
}

/// A staff member's absence (R27).
public final class StaffAbsenceModel: Model, @unchecked Sendable {
    public static let schema = "staff_absences"

    @ID(key: .id) public var id: UUID?
    @Field(key: "staff_id") public var staffID: UUID
    @Field(key: "from_date") public var fromDate: String
    @Field(key: "to_date") public var toDate: String
    @Field(key: "kind") public var kind: String
    /// R27: when a replacement is due (absences beyond six weeks only), so lists read only those.
    @OptionalField(key: "replacement_due") public var replacementDue: String?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public var properties: [any AnyProperty] { [$id, $staffID, $fromDate, $toDate, $kind, $replacementDue, $createdBy, $createdAt] }

    public init() {}
}

/// R27: the replacement for a long absence, agreed with the youth office and the family, per case.
public final class AbsenceReplacementModel: Model, @unchecked Sendable {
    public static let schema = "absence_replacements"

    @ID(key: .id) public var id: UUID?
    @Field(key: "absence_id") public var absenceID: UUID
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "agreed_on") public var agreedOn: String
    @Field(key: "created_by") public var createdBy: UUID

    public var properties: [any AnyProperty] { [$id, $absenceID, $caseID, $agreedOn, $createdBy] }

    public init() {}
}

/// A shift of the on-call rota (R28), in minutes since 1970-01-01 00:00 Berlin local time.
public final class OnCallShiftModel: Model, @unchecked Sendable {
    public static let schema = "on_call_shifts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "staff_id") public var staffID: UUID
    @Field(key: "from_minute") public var fromMinute: Int
    @Field(key: "to_minute") public var toMinute: Int
    @Field(key: "created_by") public var createdBy: UUID

    public var properties: [any AnyProperty] { [$id, $staffID, $fromMinute, $toMinute, $createdBy] }

    public init() {}
}

/// R7: a minor moving to independent living, from `since`: one contact with the guardians a month.
public final class IndependentLivingModel: Model, @unchecked Sendable {
    public static let schema = "independent_living"

    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "since") public var since: String

    public var properties: [any AnyProperty] { [$id, $caseID, $since] }

    public init() {}
}

/// The provider's performance report (R30): texts and frozen figures as JSON.
public final class PerformanceReportModel: Model, @unchecked Sendable {
    public static let schema = "performance_reports"

    @ID(key: .id) public var id: UUID?
    @Field(key: "from_date") public var fromDate: String
    @Field(key: "to_date") public var toDate: String
    @OptionalField(key: "team_id") public var teamID: UUID?
    @Field(key: "status") public var status: String
    /// `{"offer": "…", …}`
    @Field(key: "texts") public var texts: String
    /// `[StatisticsRow]`, computed when created and refreshed until approved.
    @Field(key: "figures") public var figures: String
    @OptionalField(key: "approved_on") public var approvedOn: String?
    @OptionalField(key: "approved_by") public var approvedBy: UUID?
    @OptionalField(key: "submitted_on") public var submittedOn: String?
    @OptionalField(key: "meeting_on") public var meetingOn: String?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public var properties: [any AnyProperty] {
        [$id, $fromDate, $toDate, $teamID, $status, $texts, $figures, $approvedOn, $approvedBy, $submittedOn, $meetingOn, $createdBy, $createdAt]
    }

    public init() {}
}

/// The provider's DATEV settings (one row, JSON): consultant and client number, fiscal year, accounts.
public final class DatevSettingsModel: Model, @unchecked Sendable {
    public static let schema = "datev_settings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "settings") public var settings: String

    public var properties: [any AnyProperty] { [$id, $settings] }

    public init() {}
}
