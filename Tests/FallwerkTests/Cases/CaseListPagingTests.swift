@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import FallwerkWeb
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

/// Case lists sort, search and page in SQL (issue 12): the API pages with limit and cursor, the page
/// with "Weitere Fälle", and the query plan uses the list's index on SQLite and PostgreSQL.
extension AllTests {
    @Suite("Case list paging")
    struct CaseListPagingTests {
        @Test("Issue 12: sort names file umlauts as German phone books do; search patterns take % and _ literally; cursors round-trip")
        func domain() {
            #expect(CaseSearch.sortName(lastName: "Müller", firstName: "Jörg") == "mueller joerg")
            #expect(CaseSearch.sortName(lastName: "Großmann", firstName: "Ärne") == "grossmann aerne")
            // "Mueller" files before "Muff" as "Müller" does in a phone book (DIN 5007-2)
            #expect(CaseSearch.sortName(lastName: "Müller", firstName: "A") < CaseSearch.sortName(lastName: "Muff", firstName: "A"))
            #expect(CaseSearch.likePattern("  Ärger_100% ") == #"%ärger\_100\%%"#)
            #expect(CaseSearch.likePattern(#"a\b"#) == #"%a\\b%"#)
            #expect(CaseSearch.likePattern("   ") == nil)
            #expect(CaseSearch.text(fileNumber: "51.2-AB", names: ["Lena Sommer", "Sabine Sommer"]) == "51.2-ab\nlena sommer\nsabine sommer")
            let cursor = CaseSearch.Cursor(sortName: "öztürk ayşe \"x\"", id: "ABC-1")
            #expect(CaseSearch.Cursor(cursor.token) == CaseSearch.Cursor(sortName: "öztürk ayşe \"x\"", id: "abc-1"))
            #expect(!cursor.token.contains("ö"))
            for bad in ["", "zz.abc", "6162", "616.abc", "6162."] { #expect(CaseSearch.Cursor(bad) == nil, "\(bad)") }
        }

        /// Seven more cases besides Lena's and Jonas's, one with a search-hostile name.
        static func addCases(_ t: TestApp, _ world: CaseWorld) async throws {
            let names = [("Ömer", "Özdemir"), ("Anna", "Albers"), ("Ben", "Müller"), ("Carla", "Muff"), ("Dana", "Zander"),
                         ("Emil", "100%_Test"), ("Fritz", "Albers")]
            for (index, (first, last)) in names.enumerated() {
                _ = try await t.create("/api/v1/cases", token: world.managementToken, Fixtures.caseBody(
                    youthOfficeId: world.officeID, offerId: world.offerID, leadStaffId: world.finaStaffID,
                    fileNumber: "51.2-2026-01\(index)", firstName: first, lastName: last))
            }
        }

        @Test("Issue 12: the API pages through every case once, in name order, with X-Next-Cursor; search and bad parameters")
        func apiPaging() async throws {
            try await TestApp.run { t in
                // given nine cases
                let world = try await CaseWorld.make(t)
                try await Self.addCases(t, world)
                let admin = world.managementToken
                // when management pages through them three at a time
                var names: [String] = []
                var path = "/api/v1/cases?limit=3"
                var pages = 0
                while pages < 10 {
                    let response = try await t.send(.GET, path, token: admin)
                    #expect(response.status == .ok)
                    let page = try response.jsonArray()
                    #expect(page.count <= 3)
                    names += page.compactMap { ($0["youngPerson"] as? [String: Any])?["lastName"] as? String }
                    pages += 1
                    guard let next = response.headers.first(name: "X-Next-Cursor") else { break }
                    path = "/api/v1/cases?limit=3&cursor=\(next)"
                }
                // then every case comes exactly once, in phone-book order of the name
                #expect(pages == 3)
                #expect(names == ["100%_Test", "Albers", "Albers", "Kern", "Müller", "Muff", "Özdemir", "Sommer", "Zander"])
                // search happens in SQL: umlauts, guardians' names, and % or _ meaning themselves
                func search(_ q: String) async throws -> [String] {
                    let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
                    return try await t.send(.GET, "/api/v1/cases?q=\(encoded)", token: admin).jsonArray()
                        .compactMap { $0["fileNumber"] as? String }
                }
                #expect(try await search("ÖZDEM") == ["51.2-2026-010"])
                #expect(try await search("sabine") == ["51.2-2026-0001"])
                #expect(try await search("100%_") == ["51.2-2026-015"])
                #expect(try await search("%") == ["51.2-2026-015"])
                #expect(try await search("_") == ["51.2-2026-015"])
                // bad paging parameters are a 400 naming the parameter
                for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("limit=null", "limit"), ("cursor=kaputt", "cursor"), ("cursor=6162.kaputt", "cursor")] {
                    let bad = try await t.send(.GET, "/api/v1/cases?\(query)", token: admin)
                    #expect(bad.status == .badRequest, "\(query)")
                    #expect(try bad.problemFields() == [field], "\(query)")
                }
                // a caseworker pages only through her own cases
                let fina = try await CarePlanCycle.login(t, "fina")
                let own = try await t.send(.GET, "/api/v1/cases?limit=100", token: fina).jsonArray()
                #expect(own.count == 8)
                #expect(!own.contains { $0["fileNumber"] as? String == "51.2-2026-0002" })
            }
        }

        @Test("Issue 12: the Fälle page shows 50 at a time with the total and 'Weitere Fälle', keeping the search")
        func pagePaging() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                for index in 0..<50 {
                    _ = try await t.create("/api/v1/cases", token: world.managementToken, Fixtures.caseBody(
                        youthOfficeId: world.officeID, offerId: world.offerID, leadStaffId: world.finaStaffID,
                        fileNumber: "51.2-2026-2\(String(format: "%02d", index))", firstName: "Kind \(index)", lastName: "Sommer"))
                }
                try await t.addUser("leitung", .management)
                let page = WebSession(t)
                try await page.login("leitung")
                // when the search for "sommer" matches 51 cases
                let first = try await page.get("/faelle?q=sommer").body.string
                #expect(first.contains("51 Fälle, davon 50 auf dieser Seite"))
                let link = try #require(first.range(of: #"href="/faelle?q=sommer&amp;ab="#))
                let href = String(first[link.lowerBound...].dropFirst(6).prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
                // then the next page has the one left, and a way back to the start
                let second = try await page.get(href).body.string
                #expect(second.contains("51 Fälle, davon 1 auf dieser Seite (fortgesetzt)"))
                #expect(second.contains("‹ Zum Anfang"))
                #expect(!second.contains("Weitere Fälle"))
            }
        }

        struct PlanDelegate: SQLConverterDelegate {
            func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
        }

        /// The database's plan for `query`: SQLite's `EXPLAIN QUERY PLAN`, or PostgreSQL's `EXPLAIN` with whole-table
        /// scans forbidden (a test table is tiny, so the planner would rightly scan it; with real data it chooses
        /// the index by itself).
        static func plan(of query: DatabaseQuery, on db: any Database) async throws -> String {
            let sql = try #require(db as? any SQLDatabase)
            let converted = SQLQueryConverter(delegate: PlanDelegate()).convert(query)
            if sql.dialect.name == "sqlite" {
                return try await sql.raw("EXPLAIN QUERY PLAN \(converted)").all()
                    .compactMap { try? $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
            }
            return try await db.transaction { db in
                let sql = db as! any SQLDatabase
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
                return try await sql.raw("EXPLAIN \(converted)").all()
                    .compactMap { try? $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            }
        }

        @Test("Issue 12: management's lists read each table for all their cases at once through its index on the case (SQLite and PostgreSQL)")
        func casesAtOnceUseTheCaseIndex() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.db as? any SQLDatabase)
                let ids = (0..<300).map { _ in UUID() }
                // the tables a list of case summaries reads, each by `filter(_:_:inIDs:)`, and the index it must use
                let queries: [(index: String, query: DatabaseQuery)] = [
                    ("approvals_case", ApprovalModel.query(on: t.db).filter(ApprovalModel.schema, "case_id", inIDs: ids).fields(for: ApprovalModel.self).query),
                    ("case_budget_windows_case", CaseBudgetWindowModel.query(on: t.db).filter(CaseBudgetWindowModel.schema, "case_id", inIDs: ids).fields(for: CaseBudgetWindowModel.self).query),
                    ("alert_acknowledgements_case",
                     AlertAcknowledgementModel.query(on: t.db).filter(AlertAcknowledgementModel.schema, "case_id", inIDs: ids).fields(for: AlertAcknowledgementModel.self).query),
                    ("care_plan_meetings_case", CarePlanMeetingModel.query(on: t.db).filter(CarePlanMeetingModel.schema, "case_id", inIDs: ids).fields(for: CarePlanMeetingModel.self).query),
                    ("care_plan_documents_case",
                     CarePlanDocumentModel.query(on: t.db).filter(CarePlanDocumentModel.schema, "case_id", inIDs: ids).fields(for: CarePlanDocumentModel.self).query),
                    ("reports_case", ReportModel.query(on: t.db).filter(ReportModel.schema, "case_id", inIDs: ids).fields(for: ReportModel.self).query),
                    ("child_protection_procedures_case",
                     ChildProtectionProcedureModel.query(on: t.db).filter(ChildProtectionProcedureModel.schema, "case_id", inIDs: ids).fields(for: ChildProtectionProcedureModel.self).query),
                ]
                for (index, query) in queries {
                    let plan = try await Self.plan(of: query, on: t.db)
                    #expect(plan.contains(sql.dialect.name == "sqlite" ? "USING INDEX \(index)" : index), "\(plan)")
                }
            }
        }

        @Test("Issue 12 decision 0033: a caseworker's list finds their cases through the assignments' index on the staff member, in the list's own statement (SQLite and PostgreSQL)")
        func caseworkerListUsesTheStaffIndex() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let fina = Viewer(userID: UUID(), roles: [.caseworker], staffID: try #require(UUID(uuidString: world.finaStaffID)), ledTeamIDs: [])
                let today = Day(iso: "2026-11-22")!
                let query = try #require(try await CaseStore.pageQuery(CaseFilter(status: .running), limit: 100, after: nil, visibleTo: fina,
                                                                       today: today, on: t.db)).fields(for: CaseModel.self)
                let plan = try await Self.plan(of: query.query, on: t.db)
                #expect(plan.contains("case_assignments_staff"), "\(plan)")
                // and the list is the one her assignments give
                let page = try await CaseStore.page(CaseFilter(status: .running), limit: 100, after: nil, visibleTo: fina, today: today, on: t.db)
                #expect(page.records.map { $0.id.uuidString.lowercased() } == [world.lenaCase.lowercased()])
            }
        }

        @Test("Issue 12: the query plan of a list page reads the list index in order, without sorting all cases (SQLite and PostgreSQL)")
        func queryPlan() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                try await Self.addCases(t, world)
                let sql = try #require(t.db as? any SQLDatabase)
                let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
                let today = Day(iso: "2026-11-22")!
                let cursor = CaseSearch.Cursor(sortName: "kern jonas", id: UUID().uuidString)
                for (filter, after) in [(CaseFilter(status: .running), nil), (CaseFilter(status: .running), cursor), (CaseFilter(), nil)] {
                    // the columns Fluent selects when it runs the query
                    let query = try #require(try await CaseStore.pageQuery(filter, limit: 100, after: after, visibleTo: management, today: today, on: t.db))
                        .fields(for: CaseModel.self)
                    let converted = SQLQueryConverter(delegate: PlanDelegate()).convert(query.query)
                    if sql.dialect.name == "sqlite" {
                        let plan = try await sql.raw("EXPLAIN QUERY PLAN \(converted)").all()
                            .compactMap { try? $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
                        #expect(plan.contains("USING INDEX cases_sort"), "\(plan)")
                        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
                    } else {
                        // A test table is tiny, so the planner would rightly scan and sort it; forbid whole-table and bitmap
                        // scans to see that the index can serve the order (with real data the planner chooses it by itself).
                        let plan = try await t.db.transaction { db in
                            let sql = db as! any SQLDatabase
                            try await sql.raw("SET LOCAL enable_seqscan = off").run()
                            try await sql.raw("SET LOCAL enable_bitmapscan = off").run()
                            return try await sql.raw("EXPLAIN \(converted)").all()
                                .compactMap { try? $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
                        }
                        #expect(plan.contains("cases_sort"), "\(plan)")
                        #expect(!plan.contains("Sort Key"), "\(plan)")
                    }
                }
            }
        }
    }
}
