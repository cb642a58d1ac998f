@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Audit log")
    struct AuditLogRules {
        @Test("R31 every write is logged with who, when, what and the changed fields")
        func writesAreLogged() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin, username: "ada")
                let id = try await t.create("/api/v1/teams", token: token, Fixtures.team(name: "Team Nord"))
                t.clock.advance(by: 60)
                _ = try await t.send(.PUT, "/api/v1/teams/\(id)", token: token, json: Fixtures.team(name: "Team Süd"))
                let entries = try await AuditLog.recent(limit: 10, entity: "team", on: t.db)
                #expect(entries.count == 2)
                let update = try #require(entries.first)
                #expect(update.action == "update" && update.username == "ada")
                #expect(update.entityID?.lowercased() == id.lowercased())
                #expect(update.changes["name"] == AuditChange(from: "Team Nord", to: "Team Süd"))
                #expect(update.changes["location"] == nil)
                #expect(update.at == TestApp.referenceNow.addingTimeInterval(60))
            }
        }

        @Test("R31 passwords never appear in the audit log")
        func secretsMasked() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let entry = try #require(try await AuditLog.recent(limit: 10, entity: "user", on: t.db).first)
                let text = entry.changes.values.map { "\($0.from ?? "") \($0.to ?? "")" }.joined()
                #expect(!text.contains(TestApp.password))
                #expect(entry.changes["password"]?.to == "•••")
            }
        }

        @Test("R31 the audit log is append-only: the database refuses UPDATE and DELETE")
        func appendOnly() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let sql = try #require(t.db as? any SQLDatabase)
                await #expect(throws: (any Error).self) {
                    try await sql.raw("UPDATE audit_log SET username = 'someone else'").run()
                }
                await #expect(throws: (any Error).self) {
                    try await sql.raw("DELETE FROM audit_log").run()
                }
                #expect(try await AuditEntryModel.query(on: t.db).count() == 1)
            }
        }

        @Test("R31 management reads the audit log in the API and on a page; others may not")
        func managementReads() async throws {
            try await TestApp.run { t in
                let admin = try await t.token(.admin)
                _ = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
                let management = try await t.token(.management)
                let entries = try await t.send(.GET, "/api/v1/audit-log?entity=offer", token: management).jsonArray()
                #expect(entries.count == 1)
                #expect(entries.first?["action"] as? String == "create")
                #expect(try await t.send(.GET, "/api/v1/audit-log", token: admin).status == .forbidden)

                try await t.addUser("lena", .management)
                let browser = WebSession(t)
                try await browser.login("lena")
                let page = try await browser.get("/protokoll")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Angebot"))
            }
        }
    }
}
