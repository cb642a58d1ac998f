import Fluent
import Foundation

/// One line of the append-only audit log (R31). Never updated or deleted: database triggers
/// refuse both (see `CreateAuditEntry`).
public final class AuditEntryModel: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "action") public var action: String
    @Field(key: "entity") public var entity: String
    @OptionalField(key: "entity_id") public var entityID: String?
    /// JSON object: field → {"from": …, "to": …}. Secret fields are never included.
    @Field(key: "changes") public var changes: String
    /// A read's cases, as `,ID,ID,` (uppercase): with `audit_case_days`, which cases this entry refers to
    /// (R31, issue 12). Nil for entries whose cases are in `audit_case_refs`.
    @OptionalField(key: "case_ids") public var caseIDs: String?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $at, $userID, $username, $action, $entity, $entityID, $changes, $caseIDs] }

    public init() {}
}

extension AuditEntryModel {
    /// The cases a read's entry names (`case_ids`); empty for entries with references of their own.
    public var namedCases: [UUID] { (caseIDs ?? "").split(separator: ",").compactMap { UUID(uuidString: String($0)) } }
}
