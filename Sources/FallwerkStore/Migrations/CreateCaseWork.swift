import Fluent
import FluentSQL

struct CreateApproval: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApprovalModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("from_date", .string, .required)
            .field("to_date", .string, .required)
            .field("minutes_per_unit", .int, .required)
            .field("unit", .string, .required)
            .field("reference", .string)
            .field("named_staff_ids", .string, .required)
            .field("created_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "approvals_case").on(ApprovalModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ApprovalModel.schema).delete()
    }
}

struct CreateApprovalIncrease: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApprovalIncreaseModel.schema)
            .id()
            .field("approval_id", .uuid, .required, .references(ApprovalModel.schema, "id", onDelete: .cascade))
            .field("minutes", .int, .required)
            .field("confirmed_on", .string, .required)
            .field("applies_on", .string, .required)
            .field("note", .string)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ApprovalIncreaseModel.schema).delete()
    }
}

struct CreateGroupSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupSessionModel.schema)
            .id()
            .field("date", .string, .required)
            .field("start_minute", .int, .required)
            .field("minutes", .int, .required)
            .field("staff_count", .int, .required)
            .field("case_count", .int, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GroupSessionModel.schema).delete()
    }
}

/// Service entries, indexed for a case's month and a staff member's day (overlap check, start page).
struct CreateServiceEntry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, "id"))
            .field("date", .string, .required)
            .field("start_minute", .int, .required)
            .field("minutes", .int, .required)
            .field("kind", .string, .required)
            .field("cancelled_by", .string)
            .field("cancelled_at", .datetime)
            .field("home_visit", .bool, .required)
            .field("kilometres", .int)
            .field("group_session_id", .uuid, .references(GroupSessionModel.schema, "id"))
            .field("billable_minutes", .int, .required)
            .field("budget_minutes", .int, .required)
            .field("onboarding_minutes", .int, .required)
            .field("travel_cents", .int64, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "service_entries_case_date").on(ServiceEntryModel.schema).column("case_id").column("date").run()
            try await sql.create(index: "service_entries_staff_date").on(ServiceEntryModel.schema).column("staff_id").column("date").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema).delete()
    }
}

struct CreateAlertAcknowledgement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AlertAcknowledgementModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("since", .string, .required)
            .field("note", .string)
            .field("user_id", .uuid, .required)
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AlertAcknowledgementModel.schema).delete()
    }
}
