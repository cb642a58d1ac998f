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
