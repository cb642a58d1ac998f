import Fluent
import FluentSQL

/// Issue 16 (R31, R32): which cases each audit entry refers to, append-only like the log itself, so that
/// "who saw this file" is one indexed query; and the blocking and deletion days of a case file.
struct CreateDataProtection: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditLog.caseRefsTable)
            .field("audit_id", .uuid, .required)
            .field("case_id", .uuid, .required)
            .field("at", .datetime, .required)
            .create()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(CaseModel.schema).field("blocked_on", .string).update()
        try await database.schema(CaseModel.schema).field("erased_on", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_case_refs_case").on(AuditLog.caseRefsTable).column("case_id").column("at").run()
        try await sql.create(index: "audit_case_refs_audit").on(AuditLog.caseRefsTable).column("audit_id").run()
        try await sql.create(index: "audit_log_user").on(AuditEntryModel.schema).column("user_id").column("at").run()
        try await AuditTables.refuseChanges(of: "audit_case_refs", on: sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseModel.schema).deleteField("erased_on").update()
        try await database.schema(CaseModel.schema).deleteField("blocked_on").update()
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "audit_log_user").run() }
        try await database.schema(AuditLog.caseRefsTable).delete()
    }
}

/// Issue 12 (R31): reads refer to their cases by day (`AuditLog.caseDaysTable`) and keep their case list in
/// the entry (`audit_log.case_ids`), instead of one reference per entry and case. Entries written before
/// keep their references; the search by case reads both.
struct AddAuditCaseDays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntryModel.schema).field("case_ids", .string).update()
        try await database.schema(AuditLog.caseDaysTable)
            .field("case_id", .uuid, .required)
            .field("user_id", .uuid, .required)
            .field("from_at", .datetime, .required)
            .field("until_at", .datetime, .required)
            .unique(on: "case_id", "user_id", "from_at")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await AuditTables.refuseChanges(of: AuditLog.caseDaysTable, on: sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditLog.caseDaysTable).delete()
        try await database.schema(AuditEntryModel.schema).deleteField("case_ids").update()
    }
}

/// The audit's side tables are append-only like the log itself (R31).
enum AuditTables {
    /// Triggers that refuse every update and delete of `table`: on SQLite with "`table` is append-only", on
    /// PostgreSQL through the function of `CreateAuditEntry` (its message; the table's name is in the trigger).
    static func refuseChanges(of table: String, on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: operation.lowercased())
                    BEFORE \(unsafeRaw: operation) ON \(unsafeRaw: table)
                    BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                    """).run()
            }
        } else {
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """).run()
        }
    }
}
