@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

extension AllTests {
    /// R33: everything stored about one person, machine-readable and as a print view, for management; audited.
    @Suite("Subject access")
    struct SubjectAccessTests {
        /// The tables that have a `case_id` column, from the database itself.
        static func tablesReferringToCases(on db: any Database) async throws -> Set<String> {
            guard let sql = db as? any SQLDatabase else { return [] }
            if sql.dialect.name == "sqlite" {
                let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all()
                    .compactMap { try? $0.decode(column: "name", as: String.self) }
                var found: Set<String> = []
                for table in tables {
                    let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                        .compactMap { try? $0.decode(column: "name", as: String.self) }
                    if columns.contains("case_id") { found.insert(table) }
                }
                return found
            }
            return Set(try await sql.raw("""
                SELECT table_name FROM information_schema.columns WHERE column_name = 'case_id' AND table_schema = current_schema()
                """).all().compactMap { try? $0.decode(column: "table_name", as: String.self) })
        }

        @Test("R33 the export knows every table that refers to a case (a new table must be added to it)")
        func everyTableKnown() async throws {
            try await TestApp.run { t in
                let known = Set(SubjectAccessStore.caseTables.map(\.table)).union(SubjectAccessStore.notExported)
                let found = try await Self.tablesReferringToCases(on: t.db)
                #expect(found == known)
            }
        }

        @Test("R33 each stored record of a person's cases is in the export, every kind the demo holds; API, print view, access rules, audit")
        func exportHoldsEverything() async throws {
            try await TestApp.run { t in
                #expect(try await DemoData.seed(on: t.db, hash: { try Bcrypt.hash($0, cost: 4) }, now: TestApp.referenceNow))
                // a health record and a guardian contact of the richest case, so that those kinds are in too
                let management = try await t.send(.POST, "/api/v1/session", json: ["username": "leitung", "password": "fallwerk-demo"])
                let token = try #require(try management.json()["token"] as? String)
                let procedure = try #require(try await ChildProtectionProcedureModel.query(on: t.db).first())
                let caseID = procedure.$case.id
                #expect(try await t.send(.POST, "/api/v1/cases/\(caseID.uuidString)/health-records", token: token,
                                         json: ["kind": "illness", "description": "Asthma \"seit\" <2020> & Ärger", "from": "2026-01-10"]).status == .created)
                guard let sql = t.db as? any SQLDatabase else { return }
                var covered: Set<String> = []
                let persons = try await CasePersonModel.query(on: t.db).filter(\.$role == "youngPerson").all()
                for person in persons {
                    let export = try await SubjectAccessStore.export(personID: person.id!, view: "test",
                                                                     context: WriteContext(actor: .commandLine, now: TestApp.referenceNow), on: t.db)
                    #expect(export.caseIDs.contains(person.$case.id))
                    let json = try #require(try JSONSerialization.jsonObject(with: try export.json()) as? [String: Any])
                    let cases = try #require(json["cases"] as? [[String: Any]])
                    for item in cases {
                        let records = try #require(item["records"] as? [String: [[String: Any]]])
                        let id = try #require((item["caseId"] as? String).flatMap(UUID.init(uuidString:)))
                        for (table, _) in SubjectAccessStore.caseTables {
                            let stored = try await sql.raw("SELECT id FROM \(ident: table) WHERE case_id = \(bind: id)").all()
                                .compactMap { try? $0.decode(column: "id", as: UUID.self) }
                            let exported = Set((records[table] ?? []).compactMap { ($0["id"] as? String).flatMap(UUID.init(uuidString:)) })
                            #expect(Set(stored) == exported, "\(table) of \(id)")
                            if !stored.isEmpty { covered.insert(table) }
                        }
                        for child in SubjectAccessStore.childTables {
                            let stored = try await sql.raw("""
                                SELECT id FROM \(ident: child.table) WHERE \(ident: child.key) IN (SELECT id FROM \(ident: child.parent) WHERE case_id = \(bind: id))
                                """).all().count
                            #expect(stored == (records[child.table] ?? []).count, "\(child.table) of \(id)")
                            if stored > 0 { covered.insert(child.table) }
                        }
                    }
                }
                // The demo and the added records cover most kinds; the rest are checked by the table test above.
                #expect(covered.count >= 16, "\(covered.sorted())")
                for kind in ["case_persons", "service_entries", "notes", "goals", "goal_ratings", "reports", "health_records",
                             "child_protection_procedures", "child_protection_steps", "care_plan_meetings", "independent_living"] {
                    #expect(covered.contains(kind), "\(kind) not in any export")
                }

                // API: the person's id is in the case's JSON; management exports, others may not; unknown ids are a German 404
                let caseJSON = try await t.send(.GET, "/api/v1/cases/\(caseID.uuidString)", token: token).json()
                let personID = try #require((caseJSON["youngPerson"] as? [String: Any])?["id"] as? String)
                let exported = try await t.send(.GET, "/api/v1/persons/\(personID)/export", token: token)
                #expect(exported.status == .ok)
                #expect(exported.body.string.contains("Asthma \\\"seit\\\" <2020> & Ärger"))
                #expect(exported.body.string.contains("\"accessLog\""))
                let caseworker = try await t.send(.POST, "/api/v1/session", json: ["username": "fachkraft", "password": "fallwerk-demo"])
                let caseworkerToken = try #require(try caseworker.json()["token"] as? String)
                #expect(try await t.send(.GET, "/api/v1/persons/\(personID)/export", token: caseworkerToken).status == .forbidden)
                let unknown = try await t.send(.GET, "/api/v1/persons/\(UUID().uuidString)/export", token: token)
                #expect(unknown.status == .notFound)
                #expect(try unknown.json()["detail"] as? String == "Der Datensatz wurde nicht gefunden.")
                #expect(try await t.send(.GET, "/api/v1/persons/kein-mensch/export", token: token).status == .notFound)
                let audited = try await AuditLog.entries(AuditFilter(entity: "subjectAccess"), limit: 500, on: t.db)
                #expect(audited.contains { $0.entityID?.lowercased() == personID.lowercased() && $0.username == "leitung" })

                // the print view and the download for management
                let page = WebSession(t)
                try await page.login("leitung", password: "fallwerk-demo")
                let view = try await page.get("/personen/\(personID)/auskunft")
                #expect(view.status == .ok)
                #expect(view.body.string.contains("Auskunft nach Art. 15 DSGVO"))
                #expect(view.body.string.contains("Asthma &quot;seit&quot; &lt;2020&gt; &amp; Ärger") || view.body.string.contains("Asthma \"seit\" &lt;2020&gt; &amp; Ärger"))
                #expect(try await page.get("/personen/\(personID)/auskunft.json").status == .ok)
                #expect(try await page.get("/faelle/\(caseID.uuidString.lowercased())").body.string.contains("/personen/\(personID)/auskunft"))
            }
        }
    }
}
