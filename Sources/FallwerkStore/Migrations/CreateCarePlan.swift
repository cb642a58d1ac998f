import Fluent
import FluentSQL

/// Care plan meetings: the deadlines of R3–R5 are computed from them (never stored).
struct CreateCarePlanMeeting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CarePlanMeetingModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("date", .string, .required)
            .field("start_minute", .int)
            .field("duration_minutes", .int)
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("next_review_moved_to", .string)
            .field("scheduled_on", .string)
            .field("report_missing_reason", .string)
            .field("participants", .string, .required)
            .field("outcome", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "care_plan_meetings_case").on(CarePlanMeetingModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CarePlanMeetingModel.schema).delete()
    }
}

/// Documents that complete R5's deadlines (signed plan, cost approval, specification).
struct CreateCarePlanDocument: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CarePlanDocumentModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("received_on", .string, .required)
            .field("meeting_id", .uuid, .references(CarePlanMeetingModel.schema, "id", onDelete: .setNull))
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "care_plan_documents_case").on(CarePlanDocumentModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CarePlanDocumentModel.schema).delete()
    }
}

/// Per-user secret calendar feeds (iCalendar subscription of deadlines and meetings).
struct CreateCalendarFeed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CalendarFeedModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id")
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarFeedModel.schema).delete()
    }
}
