import Fluent
import FluentSQL

/// Issue 13: §47 incidents and complaints with append-only steps, and their settings (R22, R23).
struct CreateSafeguarding: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentModel.schema)
            .id()
            .field("case_id", .uuid, .references(CaseModel.schema, "id"))
            .field("occurred_on", .string, .required)
            .field("occurred_minute", .int, .required)
            .field("category", .string, .required)
            .field("description", .string, .required)
            .field("persons_involved", .string, .required)
            .field("recorded_by_name", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("status", .string, .required)
            .create()
        try await database.schema(ComplaintModel.schema)
            .id()
            .field("case_id", .uuid, .references(CaseModel.schema, "id"))
            .field("received_on", .string, .required)
            .field("source", .string, .required)
            .field("channel", .string, .required)
            .field("category", .string, .required)
            .field("about", .string, .required)
            .field("ombudsperson_offered", .bool, .required)
            .field("recorded_by_name", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("status", .string, .required)
            .create()
        try await database.schema(SafeguardingStepModel.schema)
            .id()
            .field("parent_id", .uuid, .required)
            .field("sequence", .int, .required)
            .field("kind", .string, .required)
            .field("date", .string, .required)
            .field("recipient", .string)
            .field("way", .string)
            .field("note", .string, .required)
            .field("recorded_by_name", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .unique(on: "parent_id", "sequence")
            .create()
        try await database.schema(SafeguardingSettingsModel.schema)
            .id()
            .field("settings", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "safeguarding_steps_parent").on(SafeguardingStepModel.schema).column("parent_id").run()
        try await sql.create(index: "complaints_received").on(ComplaintModel.schema).column("received_on").run()
        if sql.dialect.name == "sqlite" {
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER safeguarding_steps_no_\(unsafeRaw: operation.lowercased())
                    BEFORE \(unsafeRaw: operation) ON safeguarding_steps
                    BEGIN SELECT RAISE(ABORT, 'safeguarding_steps is append-only'); END
                    """).run()
            }
        } else {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION safeguarding_steps_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'safeguarding_steps is append-only'; END; $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER safeguarding_steps_append_only BEFORE UPDATE OR DELETE ON safeguarding_steps
                FOR EACH ROW EXECUTE FUNCTION safeguarding_steps_append_only()
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" {
            try await sql.raw("DROP FUNCTION IF EXISTS safeguarding_steps_append_only() CASCADE").run()
        }
        for schema in [SafeguardingSettingsModel.schema, SafeguardingStepModel.schema, ComplaintModel.schema, IncidentModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
