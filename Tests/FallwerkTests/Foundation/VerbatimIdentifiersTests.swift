@testable import FallwerkStore
import FluentKit
import FluentSQL
import Foundation
import Testing

extension AllTests {
    @Suite("Statements the stores serialize themselves (issue 12: identifiers without SQLKit's search for quotes)")
    struct VerbatimIdentifiersTests {
        @Test("Issue 12: a statement reads exactly as SQLKit writes it, with the same bound values")
        func sameTextAsSQLKit() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                // a read as the stores build them: joins, fields of two tables, a filter, an id list, an order
                let read = CaseModel.query(on: t.app.db)
                    .join(TeamModel.self, on: \CaseModel.$team.$id == \TeamModel.$id)
                    .filter(\.$fileNumber == "AZ \"1\" ' & <2>")
                    .filter("cases", "id", inIDs: [UUID(), UUID()])
                    .field(\.$id).field(\.$sortName).field(TeamModel.self, \.$name)
                    .sort(\.$sortName).limit(5)
                    .plainStatement
                // and one written with SQLKit's builders: aliases, a function, a group
                let count = SQLSelect.counting(table: "service_entries", by: "case_id")
                for statement in [read, count] {
                    let own = sql.serialize(statement)
                    let verbatim = VerbatimIdentifiers.serialize(statement, for: sql)
                    #expect(verbatim.sql == own.sql)
                    #expect(verbatim.binds.count == own.binds.count)
                }
                #expect(VerbatimIdentifiers.serialize(read, for: sql).sql.contains(#""cases"."file_number""#))
                // the statement runs and reads the same rows as SQLKit's own serialization
                #expect(try await sql.plainRows(read).count == 0)
            }
        }

        @Test("Issue 12: on PostgreSQL a plain row reads every common column type as PostgresKit's own row does",
              .enabled(if: TestApp.postgresURL != nil))
        func postgresRowsReadAsPostgresKit() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                let id = UUID()
                let at = Date(timeIntervalSince1970: 1_700_000_000)
                let statement: SQLQueryString = """
                    SELECT \(bind: "Grüße \" ' <&>") AS text, \(bind: id) AS id, CAST(\(bind: id) AS text) AS id_text,
                    CAST(\(bind: 42) AS bigint) AS number, CAST(7 AS integer) AS small, \(bind: true) AS flag,
                    CAST(\(bind: at) AS timestamptz) AS at, CAST(NULL AS text) AS nothing, CAST(NULL AS uuid) AS no_id
                    """
                // when the same statement is read as a plain row and as PostgresKit's row
                let plain = try #require(try await sql.plainRows(statement).first)
                let kit = try #require(try await sql.raw(statement).first())
                // then the plain row is read from the cells, and every value is the same
                #expect(plain is PlainPostgresRow)
                #expect(try plain.decode(column: "text", as: String.self) == kit.decode(column: "text", as: String.self))
                #expect(try plain.decode(column: "text", as: String.self) == "Grüße \" ' <&>")
                #expect(try plain.decode(column: "id", as: UUID.self) == id)
                #expect(try plain.decode(column: "id", as: UUID?.self) == id)
                #expect(try plain.decode(column: "id_text", as: String.self) == kit.decode(column: "id_text", as: String.self))
                #expect(try plain.decode(column: "number", as: Int.self) == 42)
                #expect(try plain.decode(column: "small", as: Int.self) == kit.decode(column: "small", as: Int.self))
                #expect(try plain.decode(column: "flag", as: Bool.self) == true)
                #expect(try plain.decode(column: "at", as: Date.self) == kit.decode(column: "at", as: Date.self))
                #expect(try plain.decode(column: "nothing", as: String?.self) == nil)
                #expect(try plain.decode(column: "no_id", as: UUID?.self) == nil)
                #expect(try plain.decodeNil(column: "nothing") && !plain.decodeNil(column: "text"))
                #expect(Set(plain.allColumns) == Set(kit.allColumns))
                #expect(throws: (any Error).self) { try plain.decode(column: "missing", as: String.self) }
            }
        }

        @Test("Issue 12: NULL reads as nil for the optional types plain rows read directly, and leaves every other type to the driver")
        func nullOfThePlainTypes() {
            #expect(PlainNull.value(String?.self) == .some(nil))
            #expect(PlainNull.value(UUID?.self) == .some(nil))
            #expect(PlainNull.value(Date?.self) == .some(nil))
            #expect(PlainNull.value(String.self) == nil)
            #expect(PlainNull.value(Double?.self) == nil)
        }

        @Test("Issue 12: no table or column of the schema has a quote in its name (names are written as they are)")
        func noQuoteInAnyName() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                let names: [String] = if sql.dialect.name == "sqlite" {
                    try await sql.raw("""
                        SELECT m.name || '.' || p.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                        WHERE m.type = 'table'
                        """).all().map { try $0.decode(column: "name", as: String.self) }
                } else {
                    try await sql.raw("""
                        SELECT table_name || '.' || column_name AS name FROM information_schema.columns
                        WHERE table_schema = current_schema()
                        """).all().map { try $0.decode(column: "name", as: String.self) }
                }
                #expect(names.count > 100)
                #expect(names.filter { $0.contains("\"") }.isEmpty)
            }
        }
    }
}

private extension SQLSelect {
    /// `SELECT table.column AS key, COUNT(*) AS n FROM table GROUP BY table.column`.
    static func counting(table: String, by column: String) -> SQLSelect {
        var select = SQLSelect()
        select.columns = [SQLAlias(SQLColumn(column, table: table), as: "key"), SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")]
        select.tables = [SQLIdentifier(table)]
        select.groupBy = [SQLColumn(column, table: table)]
        return select
    }
}
