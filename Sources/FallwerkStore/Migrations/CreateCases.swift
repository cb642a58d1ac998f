import Fluent
import FluentSQL

/// Cases with their youth office, offer and team.
struct CreateCase: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseModel.schema)
            .id()
            .field("file_number", .string, .required)
            .field("youth_office_id", .uuid, .required, .references(YouthOfficeModel.schema, "id"))
            .field("offer_id", .uuid, .required, .references(OfferModel.schema, "id"))
            .field("team_id", .uuid, .required, .references(TeamModel.schema, "id"))
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .field("end_reason", .string)
            .field("youth_office_caseworker", .string)
            .field("youth_office_caseworker_phone", .string)
            .field("created_at", .datetime)
            .unique(on: "youth_office_id", "file_number")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "cases_team").on(CaseModel.schema).column("team_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseModel.schema).delete()
    }
}

/// Persons of a case (young person, guardians).
struct CreateCasePerson: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CasePersonModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("position", .int, .required)
            .field("first_name", .string, .required)
            .field("last_name", .string, .required)
            .field("birth_date", .string)
            .field("relation", .string)
            .field("phone", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "case_persons_case").on(CasePersonModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CasePersonModel.schema).delete()
    }
}

/// Staff on a case; the index serves "my cases".
struct CreateCaseAssignment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseAssignmentModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, "id"))
            .field("role", .string, .required)
            .field("from_date", .string)
            .field("to_date", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "case_assignments_staff").on(CaseAssignmentModel.schema).column("staff_id").run()
            try await sql.create(index: "case_assignments_case").on(CaseAssignmentModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseAssignmentModel.schema).delete()
    }
}
