import Fluent
import FluentSQL

/// Issue 15 (speed of R29): the entries' sums per month, youth office, offer, team and kind, kept by
/// database triggers on `service_entries` (insert, update, delete) and on `cases` (a case that moves to
/// another youth office, offer or team takes its sums along), so that statistics of whole months read a
/// few thousand rows instead of every entry. Filled from the entries once here. Decision 0020.
struct AddEntryMonthTotals: AsyncMigration {
    static let table = "entry_month_totals"

    /// 1 for a short-notice client cancellation that carries budget or bill (R10), else 0; `row` is NEW, OLD or an alias.
    static func shortNotice(_ row: String) -> String {
        "CASE WHEN \(row).kind = 'cancelled' AND \(row).cancelled_by = 'client' AND (\(row).billable_minutes > 0 OR \(row).budget_minutes > 0) THEN 1 ELSE 0 END"
    }

    static let columns = "month, youth_office_id, offer_id, team_id, kind, minutes, budget, entries, short_notice"
    static let key = "month, youth_office_id, offer_id, team_id, kind"

    static func upsert(excluded: String) -> String {
        """
        ON CONFLICT (\(key)) DO UPDATE SET minutes = \(table).minutes + \(excluded).minutes, budget = \(table).budget + \(excluded).budget,
        entries = \(table).entries + \(excluded).entries, short_notice = \(table).short_notice + \(excluded).short_notice
        """
    }

    /// Adds one entry row (`NEW`) to the totals of its case's group.
    static func add(_ row: String, excluded: String) -> String {
        """
        INSERT INTO \(table) (\(columns))
        SELECT substr(\(row).date, 1, 7), c.youth_office_id, c.offer_id, c.team_id, \(row).kind, \(row).minutes, \(row).budget_minutes, 1, \(shortNotice(row))
        FROM cases c WHERE c.id = \(row).case_id
        \(upsert(excluded: excluded))
        """
    }

    /// Takes one entry row (`OLD`) off the totals of its case's group.
    static func subtract(_ row: String) -> String {
        """
        UPDATE \(table) SET minutes = minutes - \(row).minutes, budget = budget - \(row).budget_minutes, entries = entries - 1,
        short_notice = short_notice - (\(shortNotice(row)))
        WHERE month = substr(\(row).date, 1, 7) AND kind = \(row).kind
          AND youth_office_id = (SELECT youth_office_id FROM cases WHERE id = \(row).case_id)
          AND offer_id = (SELECT offer_id FROM cases WHERE id = \(row).case_id)
          AND team_id = (SELECT team_id FROM cases WHERE id = \(row).case_id)
        """
    }

    /// A moved case (`OLD` → `NEW` youth office, offer or team): its entries' sums leave the old group, join the new.
    static func moveOut() -> String {
        """
        UPDATE \(table) SET
          minutes = minutes - (SELECT COALESCE(SUM(e.minutes), 0) FROM service_entries e WHERE e.case_id = NEW.id AND substr(e.date, 1, 7) = \(table).month AND e.kind = \(table).kind),
          budget = budget - (SELECT COALESCE(SUM(e.budget_minutes), 0) FROM service_entries e WHERE e.case_id = NEW.id AND substr(e.date, 1, 7) = \(table).month AND e.kind = \(table).kind),
          entries = entries - (SELECT COUNT(*) FROM service_entries e WHERE e.case_id = NEW.id AND substr(e.date, 1, 7) = \(table).month AND e.kind = \(table).kind),
          short_notice = short_notice - (SELECT COALESCE(SUM(\(shortNotice("e"))), 0) FROM service_entries e WHERE e.case_id = NEW.id AND substr(e.date, 1, 7) = \(table).month AND e.kind = \(table).kind)
        WHERE youth_office_id = OLD.youth_office_id AND offer_id = OLD.offer_id AND team_id = OLD.team_id
        """
    }

    static func moveIn(excluded: String) -> String {
        """
        INSERT INTO \(table) (\(columns))
        SELECT substr(e.date, 1, 7), NEW.youth_office_id, NEW.offer_id, NEW.team_id, e.kind, SUM(e.minutes), SUM(e.budget_minutes), COUNT(*), SUM(\(shortNotice("e")))
        FROM service_entries e WHERE e.case_id = NEW.id GROUP BY substr(e.date, 1, 7), e.kind
        \(upsert(excluded: excluded))
        """
    }

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.table)
            .field("month", .string, .required)
            .field("youth_office_id", .uuid, .required)
            .field("offer_id", .uuid, .required)
            .field("team_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("minutes", .int64, .required)
            .field("budget", .int64, .required)
            .field("entries", .int64, .required)
            .field("short_notice", .int64, .required)
            .unique(on: "month", "youth_office_id", "offer_id", "team_id", "kind")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("""
            INSERT INTO \(unsafeRaw: Self.table) (\(unsafeRaw: Self.columns))
            SELECT substr(e.date, 1, 7), c.youth_office_id, c.offer_id, c.team_id, e.kind, SUM(e.minutes), SUM(e.budget_minutes), COUNT(*),
                   SUM(\(unsafeRaw: Self.shortNotice("e")))
            FROM service_entries e JOIN cases c ON c.id = e.case_id
            GROUP BY substr(e.date, 1, 7), c.youth_office_id, c.offer_id, c.team_id, e.kind
            """).run()
        let watched = "date, case_id, kind, minutes, budget_minutes, cancelled_by, billable_minutes"
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TRIGGER service_entries_totals_insert AFTER INSERT ON service_entries
                BEGIN \(unsafeRaw: Self.add("NEW", excluded: "excluded")); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER service_entries_totals_delete AFTER DELETE ON service_entries
                BEGIN \(unsafeRaw: Self.subtract("OLD")); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER service_entries_totals_update AFTER UPDATE OF \(unsafeRaw: watched) ON service_entries
                BEGIN \(unsafeRaw: Self.subtract("OLD")); \(unsafeRaw: Self.add("NEW", excluded: "excluded")); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER cases_totals_move AFTER UPDATE OF youth_office_id, offer_id, team_id ON cases
                WHEN OLD.youth_office_id IS NOT NEW.youth_office_id OR OLD.offer_id IS NOT NEW.offer_id OR OLD.team_id IS NOT NEW.team_id
                BEGIN \(unsafeRaw: Self.moveOut()); \(unsafeRaw: Self.moveIn(excluded: "excluded")); END
                """).run()
        } else {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION service_entries_totals() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP IN ('UPDATE', 'DELETE') THEN \(unsafeRaw: Self.subtract("OLD")); END IF;
                  IF TG_OP IN ('UPDATE', 'INSERT') THEN \(unsafeRaw: Self.add("NEW", excluded: "EXCLUDED")); END IF;
                  RETURN NULL;
                END; $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER service_entries_totals AFTER INSERT OR DELETE OR UPDATE OF \(unsafeRaw: watched) ON service_entries
                FOR EACH ROW EXECUTE FUNCTION service_entries_totals()
                """).run()
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION cases_totals_move() RETURNS trigger AS $$
                BEGIN
                  \(unsafeRaw: Self.moveOut());
                  \(unsafeRaw: Self.moveIn(excluded: "EXCLUDED"));
                  RETURN NULL;
                END; $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER cases_totals_move AFTER UPDATE OF youth_office_id, offer_id, team_id ON cases FOR EACH ROW
                WHEN (OLD.youth_office_id IS DISTINCT FROM NEW.youth_office_id OR OLD.offer_id IS DISTINCT FROM NEW.offer_id
                      OR OLD.team_id IS DISTINCT FROM NEW.team_id)
                EXECUTE FUNCTION cases_totals_move()
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            if sql.dialect.name == "sqlite" {
                for trigger in ["service_entries_totals_insert", "service_entries_totals_delete", "service_entries_totals_update", "cases_totals_move"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger)").run()
                }
            } else {
                try await sql.raw("DROP FUNCTION IF EXISTS service_entries_totals() CASCADE").run()
                try await sql.raw("DROP FUNCTION IF EXISTS cases_totals_move() CASCADE").run()
            }
        }
        try await database.schema(Self.table).delete()
    }
}
