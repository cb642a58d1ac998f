import Fluent
import FluentSQL

/// Issue 15: the performance report (R30), the DATEV settings, and the index the statistics read
/// entries by (date, then the columns they sum, so the period's rows are read from the index alone).
struct CreateStatistics: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PerformanceReportModel.schema)
            .id()
            .field("from_date", .string, .required)
            .field("to_date", .string, .required)
            .field("team_id", .uuid, .references(TeamModel.schema, "id"))
            .field("status", .string, .required)
            .field("texts", .string, .required)
            .field("figures", .string, .required)
            .field("approved_on", .string)
            .field("approved_by", .uuid)
            .field("submitted_on", .string)
            .field("meeting_on", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(DatevSettingsModel.schema)
            .id()
            .field("settings", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "service_entries_date_kind").on(ServiceEntryModel.schema)
            .column("date").column("case_id").column("kind").column("minutes").column("budget_minutes").run()
        // The short-notice count reads cancellations only (a twentieth of the entries).
        try await sql.raw("CREATE INDEX service_entries_cancelled ON service_entries (date) WHERE kind = 'cancelled'").run()
        try await sql.create(index: "cases_end_date").on(CaseModel.schema).column("end_date").run()
        try await sql.create(index: "case_budget_windows_from").on(CaseBudgetWindowModel.schema).column("from_date").run()
        try await sql.create(index: "goal_ratings_rated").on(GoalRatingModel.schema).column("rated_on").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in ["service_entries_date_kind", "service_entries_cancelled", "cases_end_date", "case_budget_windows_from", "goal_ratings_rated"] {
                try await sql.drop(index: index).run()
            }
        }
        try await database.schema(DatevSettingsModel.schema).delete()
        try await database.schema(PerformanceReportModel.schema).delete()
    }
}
