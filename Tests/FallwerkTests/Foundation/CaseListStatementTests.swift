import FallwerkDomain
@testable import FallwerkStore
import FluentKit
import FluentPostgresDriver
import FluentSQL
import Foundation
import Testing

extension AllTests {
    @Suite("Case lists and repeated statements, written out and planned once (issue 12)")
    struct CaseListStatementTests {
        @Test("Issue 12 R27: case lists run statements kept per shape, and every viewer and filter reads the cases the built query selects")
        func caseListsKeptPerShape() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let db = t.app.db
                let today = try #require(Day(iso: "2026-12-01"))
                let lena = try #require(UUID(uuidString: world.lenaCase)), jonas = try #require(UUID(uuidString: world.jonasCase))
                let north = try #require(UUID(uuidString: world.northTeamID)), south = try #require(UUID(uuidString: world.southTeamID))
                let office = try #require(UUID(uuidString: world.officeID))
                func caseworker(_ username: String) async throws -> Viewer {
                    let user = try #require(try await UserModel.query(on: db).filter(\.$username == username).first()?.id)
                    return try await Viewer.load(userID: user, roles: [.caseworker], on: db)
                }
                let fina = try await caseworker("fina"), paul = try await caseworker("paul")
                let northLead = Viewer(userID: UUID(), roles: [.teamLead], staffID: nil, ledTeamIDs: [north])
                let bothLead = Viewer(userID: UUID(), roles: [.teamLead], staffID: nil, ledTeamIDs: [north, south])
                let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
                let filters = [CaseFilter(), CaseFilter(status: .running), CaseFilter(status: .planned), CaseFilter(text: "Sommer"),
                               CaseFilter(text: "kern", status: .running), CaseFilter(youthOfficeID: office), CaseFilter(teamID: south)]
                // when the same shapes run again for other viewers (the second round reads kept statements only)
                for _ in 0..<2 {
                    for viewer in [fina, paul, northLead, bothLead, management, fina] {
                        for filter in filters {
                            // then each reads what the query built for its own values selects, page by page
                            let built = try await CaseStore.pageQuery(filter, limit: nil, after: nil, visibleTo: viewer, today: today, on: db)?
                                .all().compactMap(\.id) ?? []
                            #expect(try await CaseStore.heads(filter, visibleTo: viewer, today: today, on: db).map(\.id) == built)
                            let first = try await CaseStore.page(filter, limit: 1, visibleTo: viewer, today: today, on: db)
                            #expect(first.records.map(\.id) == Array(built.prefix(1)))
                            #expect((first.next != nil) == (built.count > 1))
                            if let next = first.next {
                                let second = try await CaseStore.page(filter, limit: 1, after: next, visibleTo: viewer, today: today, on: db)
                                #expect(second.records.map(\.id) == Array(built.dropFirst().prefix(1)))
                            }
                        }
                    }
                }
                // and the lists are what each viewer may see (R27): their own case, their team's, all
                #expect(try await CaseStore.heads(visibleTo: fina, today: today, on: db).map(\.id) == [lena])
                #expect(try await CaseStore.heads(visibleTo: paul, today: today, on: db).map(\.id) == [jonas])
                #expect(try await CaseStore.heads(visibleTo: northLead, today: today, on: db).map(\.id) == [lena])
                #expect(Set(try await CaseStore.heads(visibleTo: bothLead, today: today, on: db).map(\.id)) == [lena, jonas])
                #expect(try await CaseStore.heads(visibleTo: management, today: today, on: db).count == 2)
                #expect(try await CaseStore.heads(CaseFilter(text: "Sommer"), visibleTo: paul, today: today, on: db).isEmpty)
                // and the statements are in fact kept, not built every time
                let stamped = CaseWorkCache.serving(db) != nil
                for viewer in [fina, bothLead, management] {
                    let shape = try #require(CaseSelection(CaseFilter(status: .running), visibleTo: viewer, today: today)).shape
                    #expect(KeptStatement.isKept((stamped ? "caseHeadsStamped|" : "caseHeads|") + shape, on: db), "\(shape)")
                    if stamped { #expect(KeptStatement.isKept("casePage|first|1|" + shape, on: db), "\(shape)") }
                }
            }
        }

        @Test("Issue 12: a statement run again reads its own values each time, NULL or not (prepared on PostgreSQL)")
        func repeatedStatementsReadTheirOwnValues() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let sql = try #require(t.app.db as? any SQLDatabase)
                let office = try #require(UUID(uuidString: world.officeID)), other = try #require(UUID(uuidString: world.otherOfficeID))
                func fileNumbers(_ office: UUID?) async throws -> [String] {
                    try await sql.plainRows("""
                        SELECT file_number FROM cases WHERE youth_office_id = COALESCE(\(bind: office), youth_office_id) ORDER BY file_number
                        """ as SQLQueryString).map { try $0.decode(column: "file_number", as: String.self) }
                }
                // when the same text runs again and again, with a value, with NULL, with another value
                for _ in 0..<3 {
                    #expect(try await fileNumbers(office) == ["51.2-2026-0001"])
                    #expect(try await fileNumbers(nil) == ["51.2-2026-0001", "51.2-2026-0002"])
                    #expect(try await fileNumbers(other) == ["51.2-2026-0002"])
                    #expect(try await fileNumbers(UUID()) == [])
                }
                // then on PostgreSQL it runs as a named statement, one for each kind of values
                if sql.dialect.name == "postgresql" {
                    let text = VerbatimIdentifiers.serialize(SQLQueryString("SELECT file_number FROM cases WHERE youth_office_id = COALESCE(\(bind: office), youth_office_id) ORDER BY file_number"), for: sql).sql
                    #expect(PostgresStatementNames.shared.isNamed(text, types: [.uuid]))
                    #expect(PostgresStatementNames.shared.isNamed(text, types: [.null]))
                }
            }
        }

        @Test("Issue 12: statement names go to texts seen twice, per kind of values, never to schema changes, and up to a limit")
        func statementNames() {
            let names = PostgresStatementNames(limit: 2, counted: 3)
            let read = "SELECT 1 FROM cases WHERE id = $1"
            #expect(names.name(for: read, types: [.uuid]) == nil)
            let first = names.name(for: read, types: [.uuid])
            #expect(first != nil)
            #expect(names.name(for: read, types: [.uuid]) == first)
            #expect(names.name(for: read, types: [.null]) == nil)
            let second = names.name(for: read, types: [.null])
            #expect(second != nil && second != first)
            // no third name: the limit is two
            let update = "UPDATE cases SET sort_name = $1"
            #expect(names.name(for: update, types: [.text]) == nil)
            #expect(names.name(for: update, types: [.text]) == nil)
            // schema changes and transactions are never prepared
            let fresh = PostgresStatementNames(limit: 10, counted: 10)
            for text in ["CREATE TABLE x (id UUID)", "BEGIN", "COMMIT", "ALTER TABLE cases ADD x TEXT"] {
                #expect(fresh.name(for: text, types: []) == nil)
                #expect(fresh.name(for: text, types: []) == nil)
            }
            for text in ["SELECT 1", "WITH a AS (SELECT 1) SELECT * FROM a", "INSERT INTO t VALUES ($1)", "DELETE FROM t"] {
                _ = fresh.name(for: text, types: [])
                #expect(fresh.name(for: text, types: []) != nil, "\(text)")
            }
        }
    }
}
