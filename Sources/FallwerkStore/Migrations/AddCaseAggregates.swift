import Fluent
import FluentSQL

/// Budget windows, last contact and the no-show streak kept beside each case (issue 12), filled for
/// the cases there are through the one write path that keeps them current afterwards.
struct AddCaseAggregates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseBudgetWindowModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("approval_id", .uuid)
            .field("from_date", .string, .required)
            .field("to_date", .string, .required)
            .field("approved_minutes", .int, .required)
            .field("used_minutes", .int, .required)
            .field("crisis_over_minutes", .int, .required)
            .field("over_since", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "case_budget_windows_case").on(CaseBudgetWindowModel.schema).column("case_id").run()
        }
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(CaseModel.schema).field("last_contact", .string).update()
        try await database.schema(CaseModel.schema).field("no_show_streak", .string).update()
        let caseIDs = try await CaseModel.query(on: database).all(\.$id)
        for start in stride(from: 0, to: caseIDs.count, by: 200) {
            try await BilledMinutes.refresh(caseIDs: Set(caseIDs[start..<min(start + 200, caseIDs.count)]), on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseModel.schema).deleteField("no_show_streak").update()
        try await database.schema(CaseModel.schema).deleteField("last_contact").update()
        try await database.schema(CaseBudgetWindowModel.schema).delete()
    }
}
