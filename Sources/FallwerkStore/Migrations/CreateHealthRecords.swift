import Fluent
import FluentSQL

/// Issue 16: health records of a case (seed 003). They go with their case (cascade): nothing of
/// them outlives the file.
struct CreateHealthRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HealthRecordModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("description", .string, .required)
            .field("from_date", .string, .required)
            .field("to_date", .string)
            .field("serious", .bool, .required)
            .field("guardians_notified_on", .string)
            .field("guardians_notified_by", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "health_records_case").on(HealthRecordModel.schema).column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HealthRecordModel.schema).delete()
    }
}
