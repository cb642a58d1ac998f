import Fluent
import FluentSQL
import Foundation

/// Issue 14: intake requests, staff standards evidence, absences, the on-call rota, guardian contact
/// (R1, R2, R7, R24–R28), and the provider's productive share.
struct CreateStaffing: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IntakeRequestModel.schema)
            .id()
            .field("youth_office_id", .uuid, .required, .references(YouthOfficeModel.schema, "id"))
            .field("offer_id", .uuid, .required, .references(OfferModel.schema, "id"))
            .field("received_on", .string, .required)
            .field("contact", .string)
            .field("minutes_per_unit", .int, .required)
            .field("unit", .string, .required)
            .field("urgency", .string, .required)
            .field("reason", .string, .required)
            .field("initials", .string)
            .field("status", .string, .required)
            .field("decided_on", .string)
            .field("decline_reason", .string)
            .field("case_id", .uuid, .references(CaseModel.schema, "id"))
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(StaffEvidenceModel.schema)
            .id()
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, "id"))
            .field("kind", .string, .required)
            .field("date", .string, .required)
            .field("title", .string)
            .field("minutes", .int)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(StaffAbsenceModel.schema)
            .id()
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, "id"))
            .field("from_date", .string, .required)
            .field("to_date", .string, .required)
            .field("kind", .string, .required)
            .field("replacement_due", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(AbsenceReplacementModel.schema)
            .id()
            .field("absence_id", .uuid, .required, .references(StaffAbsenceModel.schema, "id"))
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("agreed_on", .string, .required)
            .field("created_by", .uuid, .required)
            .unique(on: "absence_id", "case_id")
            .create()
        try await database.schema(OnCallShiftModel.schema)
            .id()
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, "id"))
            .field("from_minute", .int, .required)
            .field("to_minute", .int, .required)
            .field("created_by", .uuid, .required)
            .create()
        try await database.schema(IndependentLivingModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("since", .string, .required)
            .unique(on: "case_id")
            .create()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(ProviderModel.schema).field("productive_percent", .int).update()
        try await database.schema(ProviderModel.schema).field("request_alert_days", .int).update()
        try await database.schema(ServiceEntryModel.schema).field("guardian_contact", .bool, .required, .sql(.default(false))).update()
        try await database.schema(CaseAssignmentModel.schema).field("exception_reason", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "staff_evidence_staff").on(StaffEvidenceModel.schema).column("staff_id").column("kind").run()
        try await sql.create(index: "staff_absences_staff").on(StaffAbsenceModel.schema).column("staff_id").run()
        try await sql.create(index: "staff_absences_replacement").on(StaffAbsenceModel.schema).column("replacement_due").run()
        try await sql.create(index: "on_call_shifts_from").on(OnCallShiftModel.schema).column("from_minute").run()
        try await sql.create(index: "intake_requests_status").on(IntakeRequestModel.schema).column("status").column("received_on").run()
        // The induction recorded as one date so far (R25) counts as both modules on that day.
        let rows = try await sql.select().column("id").column("induction_completed").from(StaffModel.schema)
            .where(SQLIdentifier("induction_completed"), .isNot, SQLLiteral.null).all()
        for row in rows {
            let staffID = try row.decode(column: "id", as: UUID.self)
            let day = try row.decode(column: "induction_completed", as: String.self)
            for kind in ["induction1", "induction2"] {
                let evidence = StaffEvidenceModel()
                (evidence.staffID, evidence.kind, evidence.date, evidence.createdBy) = (staffID, kind, day, UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
                try await evidence.create(on: database)
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseAssignmentModel.schema).deleteField("exception_reason").update()
        try await database.schema(ServiceEntryModel.schema).deleteField("guardian_contact").update()
        try await database.schema(ProviderModel.schema).deleteField("request_alert_days").update()
        try await database.schema(ProviderModel.schema).deleteField("productive_percent").update()
        for schema in [IndependentLivingModel.schema, OnCallShiftModel.schema, AbsenceReplacementModel.schema, StaffAbsenceModel.schema,
                       StaffEvidenceModel.schema, IntakeRequestModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
