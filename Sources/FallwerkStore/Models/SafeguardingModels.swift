import Fluent
import Foundation

/// An incident under §47 SGB VIII (R22).
public final class IncidentModel: Model, @unchecked Sendable {
    public static let schema = "incidents"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "case_id") public var caseID: UUID?
    @Field(key: "occurred_on") public var occurredOn: String
    @Field(key: "occurred_minute") public var occurredMinute: Int
    @Field(key: "category") public var category: String
    @Field(key: "description") public var incidentDescription: String
    @Field(key: "persons_involved") public var personsInvolved: String
    @Field(key: "recorded_by_name") public var recordedByName: String
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// "open" or "closed", kept by the step writes for lists.
    @Field(key: "status") public var status: String

    public var properties: [any AnyProperty] {
        [$id, $caseID, $occurredOn, $occurredMinute, $category, $incidentDescription, $personsInvolved, $recordedByName, $createdBy, $createdAt, $status]
    }

    public init() {}
}

/// A complaint (R23).
public final class ComplaintModel: Model, @unchecked Sendable {
    public static let schema = "complaints"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "case_id") public var caseID: UUID?
    @Field(key: "received_on") public var receivedOn: String
    @Field(key: "source") public var source: String
    @Field(key: "channel") public var channel: String
    @Field(key: "category") public var category: String
    @Field(key: "about") public var about: String
    @Field(key: "ombudsperson_offered") public var ombudspersonOffered: Bool
    @Field(key: "recorded_by_name") public var recordedByName: String
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// received, acknowledged, handled or resolved, kept by the step writes for lists.
    @Field(key: "status") public var status: String

    public var properties: [any AnyProperty] {
        [$id, $caseID, $receivedOn, $source, $channel, $category, $about, $ombudspersonOffered, $recordedByName, $createdBy, $createdAt, $status]
    }

    public init() {}
}

/// A step of an incident or a complaint (`parent_id`). Append-only: the database refuses UPDATE and DELETE.
public final class SafeguardingStepModel: Model, @unchecked Sendable {
    public static let schema = "safeguarding_steps"

    @ID(key: .id) public var id: UUID?
    @Field(key: "parent_id") public var parentID: UUID
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "kind") public var kind: String
    @Field(key: "date") public var date: String
    @OptionalField(key: "recipient") public var recipient: String?
    @OptionalField(key: "way") public var way: String?
    @Field(key: "note") public var note: String
    @Field(key: "recorded_by_name") public var recordedByName: String
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public var properties: [any AnyProperty] {
        [$id, $parentID, $sequence, $kind, $date, $recipient, $way, $note, $recordedByName, $createdBy, $createdAt]
    }

    public init() {}
}

/// The provider's settings for incidents and complaints, one row as JSON.
public final class SafeguardingSettingsModel: Model, @unchecked Sendable {
    public static let schema = "safeguarding_settings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "settings") public var settings: String

    public var properties: [any AnyProperty] { [$id, $settings] }

    public init() {}
}
