import Fluent
import Foundation

/// One health record of a case (issue 16): illness, hospital stay, therapy or other. Dates as ISO
/// days; who wrote and changed it, at the moments the request gave (never the wall clock).
public final class HealthRecordModel: Model, @unchecked Sendable {
    public static let schema = "health_records"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "kind") public var kind: String
    @Field(key: "description") public var recordDescription: String
    @Field(key: "from_date") public var fromDate: String
    @OptionalField(key: "to_date") public var toDate: String?
    @Field(key: "serious") public var serious: Bool
    @OptionalField(key: "guardians_notified_on") public var guardiansNotifiedOn: String?
    @OptionalField(key: "guardians_notified_by") public var guardiansNotifiedBy: String?
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "updated_by") public var updatedBy: UUID?
    @OptionalField(key: "updated_at") public var updatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $kind, $recordDescription, $fromDate, $toDate, $serious, $guardiansNotifiedOn, $guardiansNotifiedBy,
         $createdBy, $createdAt, $updatedBy, $updatedAt]
    }

    public init() {}
}
