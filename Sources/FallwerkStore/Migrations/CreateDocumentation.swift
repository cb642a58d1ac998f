import Fluent
import FluentSQL

/// Goals of a case with their SMART parts (R18); the care plan sets them, the case team keeps them.
struct CreateGoal: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GoalModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("specific", .string)
            .field("measurable", .string)
            .field("achievable", .string)
            .field("relevant", .string)
            .field("time_bound", .string)
            .field("young_person_view", .string)
            .field("status", .string, .required)
            .field("created_on", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "goals_case").on(GoalModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GoalModel.schema).delete()
    }
}

/// Ratings over time, so reports and statistics show how a goal developed (R18, R29).
struct CreateGoalRating: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GoalRatingModel.schema)
            .id()
            .field("goal_id", .uuid, .required, .references(GoalModel.schema, "id", onDelete: .cascade))
            .field("value", .int, .required)
            .field("rated_on", .string, .required)
            .field("reason", .string, .required)
            .field("young_person_view", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "goal_ratings_goal").on(GoalRatingModel.schema).column("goal_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GoalRatingModel.schema).delete()
    }
}

/// Notes with observation and assessment apart (R18) and, on purpose, no diary column (R20).
struct CreateNote: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NoteModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("date", .string, .required)
            .field("observation", .string, .required)
            .field("assessment", .string)
            .field("goal_ids", .string, .required)
            .field("service_entry_id", .uuid, .references(ServiceEntryModel.schema, "id", onDelete: .setNull))
            .field("author_staff_id", .uuid)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "notes_case").on(NoteModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NoteModel.schema).delete()
    }
}

/// Reports to the youth office with their approval, sending and family discussion (R19).
struct CreateReport: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("period_from", .string, .required)
            .field("period_to", .string, .required)
            .field("status", .string, .required)
            .field("sections", .string, .required)
            .field("submitted_on", .string)
            .field("approved_on", .string)
            .field("approved_by_staff_id", .string)
            .field("approved_by", .uuid)
            .field("sent_on", .string)
            .field("discussed_with_family_on", .string)
            .field("service_entry_id", .uuid, .references(ServiceEntryModel.schema, "id", onDelete: .setNull))
            .field("author_staff_id", .uuid)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "reports_case").on(ReportModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportModel.schema).delete()
    }
}
