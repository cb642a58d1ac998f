import Fluent
import Foundation

/// A §8a procedure on a case (R21): what was noticed and when. Its course is in its steps.
public final class ChildProtectionProcedureModel: Model, @unchecked Sendable {
    public static let schema = "child_protection_procedures"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "noticed_on") public var noticedOn: String
    @Field(key: "indications") public var indications: String
    /// Name of who opened it, as shown in the procedure.
    @Field(key: "opened_by_name") public var openedByName: String
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Kept by the step writes so lists and alerts need no steps: "open" or "closed", the latest risk
    /// level, and since when a Meldebogen is due (R21).
    @Field(key: "status") public var status: String
    @OptionalField(key: "risk_level") public var riskLevel: String?
    @OptionalField(key: "report_due_since") public var reportDueSince: String?

    public var properties: [any AnyProperty] {
        [$id, $case, $noticedOn, $indications, $openedByName, $createdBy, $createdAt, $status, $riskLevel, $reportDueSince]
    }

    public init() {}
}

/// One step of a procedure. Append-only: the database refuses UPDATE and DELETE (R21).
public final class ChildProtectionStepModel: Model, @unchecked Sendable {
    public static let schema = "child_protection_steps"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "procedure_id") public var procedure: ChildProtectionProcedureModel
    /// The order steps were recorded in, per procedure.
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "kind") public var kind: String
    @Field(key: "date") public var date: String
    @Field(key: "note") public var note: String
    /// The kind's own fields as JSON (`ChildProtectionCoding`).
    @Field(key: "details") public var details: String
    @OptionalField(key: "corrects_step_id") public var correctsStepID: UUID?
    @Field(key: "recorded_by_name") public var recordedByName: String
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public var properties: [any AnyProperty] {
        [$id, $procedure, $sequence, $kind, $date, $note, $details, $correctsStepID, $recordedByName, $createdBy, $createdAt]
    }

    public init() {}
}

/// The provider's list of *insoweit erfahrene Fachkräfte*: external ones, or staff trained as ISEF.
public final class IsefExpertModel: Model, @unchecked Sendable {
    public static let schema = "isef_experts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @OptionalField(key: "organisation") public var organisation: String?
    @OptionalField(key: "contact") public var contact: String?
    @OptionalField(key: "staff_id") public var staffID: UUID?
    @Field(key: "active") public var active: Bool

    public var properties: [any AnyProperty] { [$id, $name, $organisation, $contact, $staffID, $active] }

    public init() {}
}
