import Fluent
import FluentSQL
import Foundation

/// Versions of what the lists compute from, kept by the database itself (decision 0028; PostgreSQL since
/// 0031): triggers count every change of a case's own rows in `cases.work_version` and every other change in
/// `work_generation.value`. A list that read a case's version and the generation can reuse what it
/// computed from the same two numbers before (`CaseWorkCache`), because no write, from this server, the
/// command line or any other process, can change a list's input without changing one of them.
///
/// Which table counts how is decided from the schema, not from a list kept by hand: a table with a
/// `case_id` column counts for its case, `cases` for itself, every other table for everything, except
/// the few a read itself writes (the read audit, sign-in tokens, sessions), which decide no list. A
/// table added later without its triggers fails `WorkVersionTests` (R31 core: one source of truth).
///
/// A case's record (its row, persons and staff: what `CaseStore.find` reads for every request about a case)
/// has a version of its own, `cases.record_version`, moved only by the case's own row and the tables of
/// `recordTables` (decision 0036): an entry moves the case's work version but keeps its record's, so the
/// record read before it is reused by the next write.
public enum WorkVersions {
    /// Tables a read writes, or that no list reads: their changes count for nothing. `entry_month_totals`
    /// is kept by triggers from the entries and their cases, whose own changes count already; counted, every
    /// entry write moved the generation of all cases (decision 0030).
    static let uncounted: Set<String> = [
        "audit_log", "audit_case_refs", "audit_case_days", "user_tokens", "web_sessions", "_fluent_sessions", "_fluent_migrations",
        "login_throttles", "work_generation", AddEntryMonthTotals.table,
    ]

    /// The one row of the generation table.
    static let generationTable = "work_generation"

    /// The tables of a case whose rows are part of its record (`CaseStore.people`); their changes move the
    /// case's record version beside its work version. The record's other columns are the case's own row and
    /// names outside the cases (youth office, offer, team, staff), which move the generation.
    static let recordTables: Set<String> = ["case_persons", "case_assignments"]

    /// The column of a case's record version (`AddRecordVersions`).
    static let recordColumn = "record_version"

    /// The name of trigger `kind` (insert, update, delete) of `table`.
    static func trigger(_ table: String, _ kind: String) -> String { "fw_work_\(table)_\(kind)" }

    /// The names of the three triggers (insert, update, delete) SQLite gives `table`.
    static func sqliteTriggers(of table: String) -> [String] { ["insert", "update", "delete"].map { trigger(table, $0) } }

    /// Creates the triggers of every table there is, on SQLite and PostgreSQL; tables that already have
    /// theirs keep them. Runs in the migration that adds the versions, again whenever a later migration
    /// adds a table (`AddWorkVersions.install`), and in `CountWorkOnPostgres`.
    public static func install(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        // Databases migrated up to `AddRecordVersions` have no record column yet: their triggers move none.
        let records = try await columns(of: "cases", on: sql).contains(recordColumn)
        switch sql.dialect.name {
        case "sqlite":
            for table in try await tables(on: sql) where !uncounted.contains(table) {
                for statement in try await statements(for: table, records: records, on: sql) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
            }
        case "postgresql":
            for statement in Postgres.functions(records: records) { try await sql.raw(SQLQueryString(statement)).run() }
            for table in try await tables(on: sql) where !uncounted.contains(table) {
                let trigger = Postgres.trigger(for: table, columns: try await columns(of: table, on: sql), records: records)
                try await sql.raw(SQLQueryString(trigger)).run()
                if table == "cases" { try await sql.raw(SQLQueryString(Postgres.casesDeleted)).run() }
            }
        default:
            return
        }
    }

    /// The tables of the schema (SQLite), or of the first schema on the search path (PostgreSQL).
    static func tables(on sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString = sql.dialect.name == "postgresql"
            ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// The columns of `table`.
    static func columns(of table: String, on sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString = sql.dialect.name == "postgresql"
            ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)"
            : "SELECT name FROM pragma_table_info(\(bind: table))"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// The triggers `table` needs, as `CREATE TRIGGER IF NOT EXISTS` statements; with `records`, those of the
    /// case's row and of `recordTables` move the record version too.
    static func statements(for table: String, records: Bool, on sql: any SQLDatabase) async throws -> [String] {
        let columns = try await columns(of: table, on: sql)
        let quoted = "\"\(table)\""
        let everything = "UPDATE \(generationTable) SET value = value + 1 WHERE id = 1;"
        func create(_ kind: String, _ event: String, when: String = "", _ body: String) -> String {
            "CREATE TRIGGER IF NOT EXISTS \(trigger(table, kind)) AFTER \(event) ON \(quoted) FOR EACH ROW \(when)BEGIN \(body) END"
        }
        if table == "cases" {
            // A case's own columns: its versions move unless the statement moved them (the triggers below do).
            let record = records ? ", \(recordColumn) = OLD.\(recordColumn) + 1" : ""
            return [create("update", "UPDATE", when: "WHEN NEW.work_version = OLD.work_version ",
                           "UPDATE cases SET work_version = OLD.work_version + 1\(record) WHERE id = NEW.id;"),
                    create("delete", "DELETE", everything)]
        }
        guard columns.contains("case_id") else {
            return [create("insert", "INSERT", everything), create("update", "UPDATE", everything), create("delete", "DELETE", everything)]
        }
        let record = records && recordTables.contains(table) ? ", \(recordColumn) = \(recordColumn) + 1" : ""
        let bump = "UPDATE cases SET work_version = work_version + 1\(record) WHERE id ="
        return [create("insert", "INSERT", "\(bump) NEW.case_id;"),
                create("update", "UPDATE", "\(bump) NEW.case_id; \(bump) OLD.case_id AND OLD.case_id IS NOT NEW.case_id;"),
                create("delete", "DELETE", "\(bump) OLD.case_id;")]
    }

    /// The same counting on PostgreSQL: three trigger functions in the schema, and one trigger a table.
    /// A case's own row moves its version before it is written (unless the statement moves it); a row of a
    /// case's table moves its case's version (the old and the new case when it moves); a statement on any
    /// other table moves the generation once. The rows a trigger updates stay locked until the commit, so
    /// two writes of one case, or two writes outside the cases' tables, wait for each other; two writes that
    /// wait for each other the other way round are a deadlock that PostgreSQL ends and `writeTransaction`
    /// runs again.
    enum Postgres {
        /// The trigger functions; with `records`, the case's own row and the tables of `recordTables`
        /// (`fw_work_record`) move the record version too.
        static func functions(records: Bool) -> [String] {
            /// The body of a function that moves the versions `set` names of the case of the changed row.
            func caseFunction(_ name: String, set: String) -> String {
                """
                CREATE OR REPLACE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP <> 'INSERT' THEN UPDATE cases SET \(set) WHERE id = OLD.case_id; END IF;
                  IF TG_OP = 'INSERT' THEN UPDATE cases SET \(set) WHERE id = NEW.case_id;
                  ELSIF TG_OP = 'UPDATE' THEN
                    IF NEW.case_id IS DISTINCT FROM OLD.case_id THEN
                      UPDATE cases SET \(set) WHERE id = NEW.case_id;
                    END IF;
                  END IF;
                  RETURN NULL;
                END $$
                """
            }
            let work = "work_version = work_version + 1", record = "\(recordColumn) = \(recordColumn) + 1"
            return [
                """
                CREATE OR REPLACE FUNCTION fw_work_everything() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE work_generation SET value = value + 1 WHERE id = 1; RETURN NULL; END $$
                """,
                caseFunction("fw_work_case", set: work),
                """
                CREATE OR REPLACE FUNCTION fw_work_own() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.work_version = OLD.work_version THEN
                    NEW.work_version := OLD.work_version + 1;\(records ? " NEW.\(recordColumn) := OLD.\(recordColumn) + 1;" : "")
                  END IF;
                  RETURN NEW;
                END $$
                """,
            ] + (records ? [caseFunction(recordFunction, set: "\(work), \(record)")] : [])
        }

        /// The trigger functions, dropped with every trigger that calls them.
        static let dropping = ["fw_work_everything", "fw_work_case", "fw_work_own", recordFunction].map(drop)

        /// The function the tables of `recordTables` call (`AddRecordVersions`).
        static let recordFunction = "fw_work_record"

        /// The statement that drops trigger function `name` with every trigger that calls it.
        static func drop(_ name: String) -> String { "DROP FUNCTION IF EXISTS \(name)() CASCADE" }

        /// The statement that creates (or replaces) the trigger of `table` with these columns; for `cases`,
        /// the one of its own row (its deletion is counted by `casesDeleted`).
        static func trigger(for table: String, columns: [String], records: Bool) -> String {
            let quoted = "\"\(table)\""
            if table == "cases" {
                return "CREATE OR REPLACE TRIGGER \(WorkVersions.trigger(table, "update")) BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION fw_work_own()"
            }
            guard columns.contains("case_id") else {
                return "CREATE OR REPLACE TRIGGER \(WorkVersions.trigger(table, "change")) AFTER INSERT OR UPDATE OR DELETE ON \(quoted) "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION fw_work_everything()"
            }
            let function = records && recordTables.contains(table) ? recordFunction : "fw_work_case"
            return "CREATE OR REPLACE TRIGGER \(WorkVersions.trigger(table, "change")) AFTER INSERT OR UPDATE OR DELETE ON \(quoted) "
                + "FOR EACH ROW EXECUTE FUNCTION \(function)()"
        }

        /// A case's deletion moves the generation (as on SQLite).
        static let casesDeleted = "CREATE OR REPLACE TRIGGER \(WorkVersions.trigger("cases", "delete")) AFTER DELETE ON cases "
            + "FOR EACH STATEMENT EXECUTE FUNCTION fw_work_everything()"
    }

    /// The columns a list selects beside its cases to stamp what it computes: each case's version and the
    /// generation (`generationColumn`), read in the same statement as the cases, so what is computed from
    /// later reads is never older than either (one statement less per list than reading the generation first).
    static let listFields: [DatabaseQuery.Field] = [
        CaseStore.workVersionField,
        .extendedPath([.string(recordColumn)], schema: CaseModel.schema, space: nil),
        .custom(SQLRaw("(SELECT value FROM \(generationTable) WHERE id = 1) AS \(generationColumn)")),
    ]

    /// The name of the generation's column in `listFields`.
    static let generationColumn = "fw_generation"

    /// The case's version in a row that selected `listFields`.
    static func version(in row: any SQLRow) -> Int? { try? row.value("cases_work_version", as: Int.self) }

    /// The case's record version in a row that selected `listFields`.
    static func recordVersion(in row: any SQLRow) -> Int? { try? row.value("cases_\(recordColumn)", as: Int.self) }

    /// The generation in a row that selected `listFields`.
    static func generation(in row: any SQLRow) -> Int? { try? row.value(generationColumn, as: Int.self) }

    /// The generation every change outside the cases' own rows moves; nil where the database keeps none.
    static func generation(on db: any Database) async throws -> Int? {
        guard let sql = db as? any SQLDatabase, ["sqlite", "postgresql"].contains(sql.dialect.name) else { return nil }
        return try await sql.plainRows("SELECT value FROM work_generation WHERE id = 1" as SQLQueryString).first?
            .value("value", as: Int.self)
    }
}

/// Adds `cases.work_version`, the table `work_generation` and, on SQLite, the triggers that keep them
/// (decision 0028). Must stay after every migration that creates a table; a later one that adds a table
/// calls `WorkVersions.install` at its end (`WorkVersionTests` checks every table has its triggers).
struct AddWorkVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseModel.schema).field("work_version", .int64, .required, .sql(.default(0))).update()
        try await database.schema(WorkVersions.generationTable)
            .field("id", .int, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("INSERT INTO work_generation (id, value) VALUES (1, 0)").run()
        }
        try await WorkVersions.install(on: database)
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" {
            for table in try await WorkVersions.tables(on: sql) {
                for trigger in WorkVersions.sqliteTriggers(of: table) {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(trigger)")).run()
                }
            }
        } else if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            for statement in WorkVersions.Postgres.dropping { try await sql.raw(SQLQueryString(statement)).run() }
        }
        try await database.schema(WorkVersions.generationTable).delete()
        try await database.schema(CaseModel.schema).deleteField("work_version").update()
    }
}

/// Takes the work-version triggers off the tables `WorkVersions.uncounted` names that had them before
/// (`entry_month_totals`, decision 0030): their changes move no version any more.
struct UncountDerivedTables: AsyncMigration {
    static let tables = [AddEntryMonthTotals.table]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        for table in Self.tables {
            for trigger in WorkVersions.sqliteTriggers(of: table) {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(trigger)")).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        for table in Self.tables {
            for statement in try await WorkVersions.statements(for: table, records: false, on: sql) {
                try await sql.raw(SQLQueryString(statement)).run()
            }
        }
    }
}

/// Counts work versions on PostgreSQL too (decision 0031): databases migrated before have the version
/// column and the generation row but no triggers there, and their lists reused nothing.
struct CountWorkOnPostgres: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await WorkVersions.install(on: database)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        for statement in WorkVersions.Postgres.dropping { try await sql.raw(SQLQueryString(statement)).run() }
    }
}

/// Adds `cases.record_version`, moved by a case's own row and the tables of its record
/// (`WorkVersions.recordTables`), and installs the triggers again so that they move it (decision 0036).
struct AddRecordVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseModel.schema).field(.string(WorkVersions.recordColumn), .int64, .required, .sql(.default(0))).update()
        try await reinstall(on: database)
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" { try await dropTriggers(on: sql) }
        try await database.schema(CaseModel.schema).deleteField(.string(WorkVersions.recordColumn)).update()
        try await reinstall(on: database)
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw(SQLQueryString(WorkVersions.Postgres.drop(WorkVersions.Postgres.recordFunction))).run()
        }
    }

    /// The triggers of the case's row and its record's tables, as the schema has the column or not: SQLite
    /// keeps a trigger that exists, so those are dropped first; PostgreSQL's are replaced.
    private func reinstall(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" { try await dropTriggers(on: sql) }
        try await WorkVersions.install(on: database)
    }

    private func dropTriggers(on sql: any SQLDatabase) async throws {
        let triggers = [WorkVersions.trigger("cases", "update")]
            + WorkVersions.recordTables.sorted().flatMap(WorkVersions.sqliteTriggers)
        for trigger in triggers { try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(trigger)")).run() }
    }
}
