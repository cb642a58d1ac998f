import Fluent
import Foundation

/// One help for one young person or family (Hilfe / Fall).
public final class CaseModel: Model, @unchecked Sendable {
    public static let schema = "cases"

    @ID(key: .id) public var id: UUID?
    @Field(key: "file_number") public var fileNumber: String
    @Parent(key: "youth_office_id") public var youthOffice: YouthOfficeModel
    @Parent(key: "offer_id") public var offer: OfferModel
    /// The team responsible: the lead worker's team when the case was opened.
    @Parent(key: "team_id") public var team: TeamModel
    @Field(key: "start_date") public var startDate: String
    @OptionalField(key: "end_date") public var endDate: String?
    @OptionalField(key: "end_reason") public var endReason: String?
    @OptionalField(key: "youth_office_caseworker") public var youthOfficeCaseworker: String?
    @OptionalField(key: "youth_office_caseworker_phone") public var youthOfficeCaseworkerPhone: String?
    @OptionalField(key: "family_street") public var familyStreet: String?
    @OptionalField(key: "family_postal_code") public var familyPostalCode: String?
    @OptionalField(key: "family_city") public var familyCity: String?
    /// The young person's name as lists sort it (`CaseSearch.sortName`); kept with the persons.
    @Field(key: "sort_name") public var sortName: String
    /// File number and names in lower case for searching (`CaseSearch.text`); kept with the persons.
    @Field(key: "search_text") public var searchText: String
    /// The day of the latest client contact (R7a), kept by `BilledMinutes.refresh`.
    @OptionalField(key: "last_contact") public var lastContact: String?
    /// The trailing failed appointments (R12, `Alerts.noShowStreak`), ISO days separated by commas,
    /// kept by `BilledMinutes.refresh`.
    @OptionalField(key: "no_show_streak") public var noShowStreak: String?
    /// R32: the day the file was blocked (§84 SGB X): gone from lists and search, read by management with a reason.
    @OptionalField(key: "blocked_on") public var blockedOn: String?
    /// R32: the day the file's content was deleted; only what billing must keep is left.
    @OptionalField(key: "erased_on") public var erasedOn: String?
    @Children(for: \.$case) public var persons: [CasePersonModel]
    @Children(for: \.$case) public var assignments: [CaseAssignmentModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $fileNumber, $youthOffice, $offer, $team, $startDate, $endDate, $endReason, $youthOfficeCaseworker,
         $youthOfficeCaseworkerPhone, $familyStreet, $familyPostalCode, $familyCity, $sortName, $searchText, $lastContact,
         $noShowStreak, $blockedOn, $erasedOn, $persons, $assignments, $createdAt]
    }

    public init() {}
}

/// The young person, guardians and other persons of a case. Sorted by `position`.
public final class CasePersonModel: Model, @unchecked Sendable {
    public static let schema = "case_persons"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "role") public var role: String
    @Field(key: "position") public var position: Int
    @Field(key: "first_name") public var firstName: String
    @Field(key: "last_name") public var lastName: String
    @OptionalField(key: "birth_date") public var birthDate: String?
    @OptionalField(key: "relation") public var relation: String?
    @OptionalField(key: "phone") public var phone: String?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $role, $position, $firstName, $lastName, $birthDate, $relation, $phone]
    }

    public init() {}
}

/// A staff member on a case: lead, co-worker, or substitute for a date range (R27).
public final class CaseAssignmentModel: Model, @unchecked Sendable {
    public static let schema = "case_assignments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Parent(key: "staff_id") public var staff: StaffModel
    @Field(key: "role") public var role: String
    @OptionalField(key: "from_date") public var fromDate: String?
    @OptionalField(key: "to_date") public var toDate: String?
    /// R26: why this person was assigned beyond 48 hours or without the offer's qualification.
    @OptionalField(key: "exception_reason") public var exceptionReason: String?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $case, $staff, $role, $fromDate, $toDate, $exceptionReason] }

    public init() {}
}
