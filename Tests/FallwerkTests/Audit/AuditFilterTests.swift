@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

extension AllTests {
    /// R31: the audit log is searched by case, person, user and period; management prints who saw one file;
    /// the log holds no case content.
    @Suite("Audit log filters")
    struct AuditFilterTests {
        @Test("R31 the audit log filters by case, user and period (API), by file number or name (page), and prints who saw one file")
        func filters() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let lena = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0001"))
                let other = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0002", firstName: "Jonas", lastName: "Özdemir"))
                // fina reads Lena's case; the list of her cases names both
                #expect(try await t.send(.GET, "/api/v1/cases/\(lena)", token: w.fina.token).status == .ok)
                #expect(try await t.send(.GET, "/api/v1/cases", token: w.fina.token).status == .ok)
                let finaID = try #require(try await UserModel.find(username: "fina", on: t.db)?.id).uuidString

                func entries(_ query: String) async throws -> [[String: Any]] {
                    let response = try await t.send(.GET, "/api/v1/audit-log?limit=500&\(query)", token: w.management)
                    #expect(response.status == .ok, "\(query): \(response.body.string)")
                    return try response.jsonArray()
                }
                let lenaEntries = try await entries("caseId=\(lena)&userId=\(finaID)")
                let views = lenaEntries.compactMap { ($0["changes"] as? [String: Any])?["view"] as? [String: Any] }.compactMap { $0["to"] as? String }
                #expect(views.contains("api/v1/cases/:id"))
                #expect(views.contains("api/v1/cases"), "the list view names Lena's case too")
                let otherEntries = try await entries("caseId=\(other)&userId=\(finaID)")
                #expect(otherEntries.count == 1, "only the list named Jonas's case")
                // the period: today (the test clock) has them, the day before has none
                let today = BerlinTime.local(TestApp.referenceNow).day
                #expect(try await entries("caseId=\(lena)&from=\(today.iso)&to=\(today.iso)").count >= 2)
                #expect(try await entries("caseId=\(lena)&from=\(today.adding(days: -3).iso)&to=\(today.adding(days: -1).iso)").isEmpty)
                // bad input: a precise field error, no 500
                let bad = try await t.send(.GET, "/api/v1/audit-log?from=2026-13-01", token: w.management)
                #expect(bad.status == .unprocessableEntity)
                #expect(try bad.problemFields() == ["from"])
                #expect(try await t.send(.GET, "/api/v1/audit-log?caseId=kein-fall", token: w.management).status == .unprocessableEntity)
                #expect(try await t.send(.GET, "/api/v1/audit-log", token: w.fina.token).status == .forbidden)

                // page: by name (umlaut) and by user; a bad period keeps what was typed
                try await t.addUser("lea", .management)
                let page = WebSession(t)
                try await page.login("lea")
                let byName = try await page.get("/protokoll?fall=%C3%96zdemir&benutzer=fina")
                #expect(byName.status == .ok)
                #expect(byName.body.string.contains("fina"))
                #expect(byName.body.string.contains("api/v1/cases") && !byName.body.string.contains("api/v1/cases/:id"))
                let unknown = try await page.get("/protokoll?fall=Niemand&bis=2026-01-01&von=2026-02-01")
                #expect(unknown.status == .unprocessableEntity)
                #expect(unknown.body.string.contains("Kein Fall mit diesem Aktenzeichen oder Namen."))
                #expect(unknown.body.string.contains("Der letzte Tag liegt vor dem ersten."))
                #expect(unknown.body.string.contains("value=\"Niemand\""))
                // who saw this file, printable; opening it is itself audited
                let access = try await page.get("/faelle/\(lena)/zugriffe")
                #expect(access.status == .ok)
                #expect(access.body.string.contains("Zugriffe auf die Akte 51.2-2026-0001"))
                #expect(access.body.string.contains("fina"))
                #expect(access.body.string.contains("data-print"))
                let leaReads = try await AuditLog.entries(AuditFilter(caseIDs: [UUID(uuidString: lena)!], action: .read), limit: 50, on: t.db)
                #expect(leaReads.contains { $0.username == "lea" && $0.changes["view"]?.to == "faelle/:id/zugriffe" })
                // a caseworker may not
                let finaPage = WebSession(t)
                try await finaPage.login("fina")
                #expect(try await finaPage.get("/faelle/\(lena)/zugriffe").status == .forbidden)
            }
        }

        @Test("R31 R32 the audit log holds no case content: names, note words and dates of case records stay out; append-only refs")
        func noContent() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let lena = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0003", firstName: "Zoë", lastName: "Quirin-Ängstlich"))
                #expect(try await t.send(.POST, "/api/v1/cases/\(lena)/notes", token: w.fina.token,
                                         json: ["date": "2026-11-20", "observation": "Zoë erzählt vom \"Streit\" <daheim> & weint."]).status == .created)
                #expect(try await t.send(.GET, "/api/v1/cases/\(lena)/notes", token: w.fina.token).status == .ok)
                let all = try await AuditEntryModel.query(on: t.db).all().map(\.changes).joined(separator: "\n")
                for word in ["Zoë", "Quirin", "Streit", "weint", "2012-04-03"] { #expect(!all.contains(word), "\(word) in the audit log") }
                #expect(all.contains(AuditLog.withheld))
                // the case references are append-only like the log
                guard let sql = t.db as? any SQLDatabase else { return }
                await #expect(throws: (any Error).self) {
                    try await sql.raw("DELETE FROM audit_case_refs").run()
                }
            }
        }

        @Test("R31 R32 R33 the data protection pages are management's: every other role is refused", arguments: [Role.admin, .teamLead, .caseworker, .accounting])
        func pagesByRole(role: Role) async throws {
            try await TestApp.run { t in
                try await t.addUser("nina", role)
                try await t.addUser("lea", .management)
                let person = UUID().uuidString.lowercased()
                let other = WebSession(t)
                try await other.login("nina")
                let leitung = WebSession(t)
                try await leitung.login("lea")
                for path in ["/protokoll", "/aufbewahrung", "/personen/\(person)/auskunft", "/personen/\(person)/auskunft.json"] {
                    #expect(try await other.get(path).status == .forbidden, "\(role) \(path)")
                }
                #expect(try await leitung.get("/protokoll").status == .ok)
                #expect(try await leitung.get("/aufbewahrung").status == .ok)
                let unknown = try await leitung.get("/personen/\(person)/auskunft")
                #expect(unknown.status == .notFound)
                #expect(unknown.body.string.contains("Der Datensatz wurde nicht gefunden."))
                // the refusals are audited
                let refused = try await AuditLog.entries(AuditFilter(action: .refused), limit: 50, on: t.db)
                #expect(refused.filter { $0.username == "nina" }.count == 4)
            }
        }
    }
}
