import Fluent
import FluentSQL

/// Issue 13: §8a procedures with append-only steps, and the provider's ISEF list (R21).
struct CreateChildProtection: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IsefExpertModel.schema)
            .id()
            .field("name", .string, .required)
            .field("organisation", .string)
            .field("contact", .string)
            .field("staff_id", .uuid, .references(StaffModel.schema, "id"))
            .field("active", .bool, .required)
            .create()
        try await database.schema(ChildProtectionProcedureModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("noticed_on", .string, .required)
            .field("indications", .string, .required)
            .field("opened_by_name", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("status", .string, .required)
            .field("risk_level", .string)
            .field("report_due_since", .string)
            .create()
        try await database.schema(ChildProtectionStepModel.schema)
            .id()
            .field("procedure_id", .uuid, .required, .references(ChildProtectionProcedureModel.schema, "id"))
            .field("sequence", .int, .required)
            .field("kind", .string, .required)
            .field("date", .string, .required)
            .field("note", .string, .required)
            .field("details", .string, .required)
            .field("corrects_step_id", .uuid)
            .field("recorded_by_name", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .unique(on: "procedure_id", "sequence")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "child_protection_procedures_case").on(ChildProtectionProcedureModel.schema).column("case_id").run()
        try await sql.create(index: "child_protection_procedures_status").on(ChildProtectionProcedureModel.schema).column("status").run()
        try await sql.create(index: "child_protection_steps_procedure").on(ChildProtectionStepModel.schema).column("procedure_id").run()
        // Steps are never changed or deleted, whatever the code path (R21: a correction is a new step).
        if sql.dialect.name == "sqlite" {
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER child_protection_steps_no_\(unsafeRaw: operation.lowercased())
                    BEFORE \(unsafeRaw: operation) ON child_protection_steps
                    BEGIN SELECT RAISE(ABORT, 'child_protection_steps is append-only'); END
                    """).run()
            }
        } else {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION child_protection_steps_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'child_protection_steps is append-only'; END; $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER child_protection_steps_append_only BEFORE UPDATE OR DELETE ON child_protection_steps
                FOR EACH ROW EXECUTE FUNCTION child_protection_steps_append_only()
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" {
            try await sql.raw("DROP FUNCTION IF EXISTS child_protection_steps_append_only() CASCADE").run()
        }
        try await database.schema(ChildProtectionStepModel.schema).delete()
        try await database.schema(ChildProtectionProcedureModel.schema).delete()
        try await database.schema(IsefExpertModel.schema).delete()
    }
}
