import FallwerkDomain
import Fluent
import Foundation

/// The provider's own data (one row), printed on invoices.
public final class ProviderModel: Model, @unchecked Sendable {
    public static let schema = "provider_profile"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "street") public var street: String
    @Field(key: "postal_code") public var postalCode: String
    @Field(key: "city") public var city: String
    @Field(key: "tax_number") public var taxNumber: String
    @Field(key: "iban") public var iban: String
    @OptionalField(key: "bic") public var bic: String?
    @OptionalField(key: "bank_name") public var bankName: String?
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "phone") public var phone: String?
    /// R2: the share of contract hours that is client work (default 75).
    @OptionalField(key: "productive_percent") public var productivePercent: Int?
    /// R1: open requests older than this many days are an alert (default 7).
    @OptionalField(key: "request_alert_days") public var requestAlertDays: Int?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $name, $street, $postalCode, $city, $taxNumber, $iban, $bic, $bankName, $email, $phone, $productivePercent, $requestAlertDays]
    }

    public init() {}
}

public final class YouthOfficeModel: Model, @unchecked Sendable {
    public static let schema = "youth_offices"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "street") public var street: String
    @Field(key: "postal_code") public var postalCode: String
    @Field(key: "city") public var city: String
    @Field(key: "leitweg_id") public var leitwegId: String
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "phone") public var phone: String?
    @Children(for: \.$youthOffice) public var contacts: [YouthOfficeContactModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $name, $street, $postalCode, $city, $leitwegId, $email, $phone, $contacts, $createdAt, $updatedAt]
    }

    public init() {}
}

public final class YouthOfficeContactModel: Model, @unchecked Sendable {
    public static let schema = "youth_office_contacts"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "youth_office_id") public var youthOffice: YouthOfficeModel
    @Field(key: "position") public var position: Int
    @Field(key: "name") public var name: String
    @OptionalField(key: "phone") public var phone: String?
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "deputy_name") public var deputyName: String?
    @OptionalField(key: "deputy_phone") public var deputyPhone: String?
    @OptionalField(key: "deputy_email") public var deputyEmail: String?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $youthOffice, $position, $name, $phone, $email, $deputyName, $deputyPhone, $deputyEmail]
    }

    public init() {}
}

public final class OfferModel: Model, @unchecked Sendable {
    public static let schema = "offers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "legal_basis") public var legalBasis: String
    @OptionalField(key: "description") public var offerDescription: String?
    @OptionalField(key: "first_review_months") public var firstReviewMonths: Int?
    @OptionalField(key: "onboarding_day_minutes") public var onboardingDayMinutes: Int?
    @OptionalField(key: "required_qualification") public var requiredQualification: String?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $name, $legalBasis, $offerDescription, $firstReviewMonths, $onboardingDayMinutes, $requiredQualification]
    }

    public init() {}
}

/// Days are stored as ISO text (`YYYY-MM-DD`): sortable, comparable in SQL and identical on
/// SQLite and PostgreSQL.
public final class AgreementModel: Model, @unchecked Sendable {
    public static let schema = "agreements"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "youth_office_id") public var youthOffice: YouthOfficeModel
    @Field(key: "valid_from") public var validFrom: String
    @OptionalField(key: "valid_to") public var validTo: String?
    /// `AgreementSettings` as JSON; a setting added later decodes with its default.
    @Field(key: "settings") public var settingsJSON: String
    @Children(for: \.$agreement) public var rates: [AgreementRateModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $youthOffice, $validFrom, $validTo, $settingsJSON, $rates, $createdAt, $updatedAt]
    }

    public init() {}
}

public final class AgreementRateModel: Model, @unchecked Sendable {
    public static let schema = "agreement_rates"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "agreement_id") public var agreement: AgreementModel
    @Parent(key: "offer_id") public var offer: OfferModel
    @Field(key: "hourly_rate_cents") public var hourlyRateCents: Int64

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $agreement, $offer, $hourlyRateCents] }

    public init() {}
}

public final class TeamModel: Model, @unchecked Sendable {
    public static let schema = "teams"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "location") public var location: String
    /// No foreign key: staff belong to a team, so team → lead is checked by the service instead.
    @OptionalField(key: "lead_staff_id") public var leadStaffID: UUID?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $name, $location, $leadStaffID] }

    public init() {}
}

public final class StaffModel: Model, @unchecked Sendable {
    public static let schema = "staff"

    @ID(key: .id) public var id: UUID?
    @Field(key: "first_name") public var firstName: String
    @Field(key: "last_name") public var lastName: String
    @Field(key: "qualification") public var qualification: String
    @Field(key: "weekly_minutes") public var weeklyMinutes: Int
    @Parent(key: "team_id") public var team: TeamModel
    @OptionalParent(key: "user_id") public var user: UserModel?
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "induction_completed") public var inductionCompleted: String?
    /// The last working day (issue 16); ISO day.
    @OptionalField(key: "leaving_date") public var leavingDate: String?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $firstName, $lastName, $qualification, $weeklyMinutes, $team, $user, $email, $inductionCompleted, $leavingDate]
    }

    public init() {}
}
