@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Health records of a case (issue 16, seed 003 "Dokumentation gesundheitlicher Daten … Besondere
/// Beachtung des Sozialdatenschutzes"; R31 need-to-know): only the case's staff (lead, co-workers,
/// active substitutes), their team lead and management; never accounting or admin by role. Reads are
/// audited with the view, writes without content. "Today" is 22 November 2026.
extension AllTests {
    @Suite("Health records R31 (issue 16)")
    struct HealthRecordTests {
        /// A case led by fina (Team Nord) with a record on it; kai (Nord, not on the case), tina (team lead Nord),
        /// sven (team lead Süd), udo (substitute on the case until 30 November).
        struct World {
            let w: CaseAPIWorld
            let caseID: String
            let people: CaseAPIWorld.TeamPeople
            let udo: CaseAPIWorld.Member
            let recordID: String

            var tina: CaseAPIWorld.Member { people.tina }

            static let secret = "Asthma bronchiale, Notfallspray im Ranzen"

            static func make(_ t: TestApp) async throws -> World {
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-1660"))
                let people = try await w.teamPeople()
                let udo = try await w.member("udo", [.caseworker], team: w.southTeamID, lastName: "Ufer")
                try await w.addSubstitute(caseID, staffID: udo.staffID, from: "2026-11-20", to: "2026-11-30")
                let recordID = try await t.create("/api/v1/cases/\(caseID)/health-records", token: w.fina.token,
                                                  ["kind": "illness", "description": secret, "from": "2026-11-01"])
                return World(w: w, caseID: caseID, people: people, udo: udo, recordID: recordID)
            }

            var path: String { "/api/v1/cases/\(caseID)/health-records" }
        }

        @Test("R31 health: the case's staff, active substitutes, their team lead and management; accounting and admin 403, others 404", arguments: [
            ("fina", true), ("udo", true), ("tina", true), ("management", true), ("kai", false), ("sven", false),
            ("accounting", false), ("admin", false), ("mixed", false),
        ])
        func R31_healthNeedToKnow(who: String, allowed: Bool) async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let (token, username) = try await s.w.matrixLogin(who, members: [s.udo, s.people.tina, s.people.kai, s.people.sven])
                let body: [String: Any] = ["kind": "illness", "description": World.secret, "from": "2026-11-02"]
                let routes: [(HTTPMethod, String, [String: Any]?)] = [
                    (.GET, s.path, nil), (.POST, s.path, body), (.PUT, s.path + "/\(s.recordID)", body),
                ]
                for (method, path, json) in routes {
                    let response = try await t.send(method, path, token: token, json: json)
                    if allowed {
                        #expect([.ok, .created, .noContent].contains(response.status), "\(who) \(method) \(path): \(response.status)")
                    } else {
                        // Roles without the right: 403 before the case is looked at; staff and team leads off the case:
                        // the case does not exist for them; the mixed login sees the case (billing) but not its health.
                        let expected: HTTPStatus = ["accounting", "admin", "mixed"].contains(who) ? .forbidden : .notFound
                        #expect(response.status == expected, "\(who) \(method) \(path): \(response.status)")
                        #expect(!response.body.string.contains("Asthma"))
                    }
                }
                if !allowed {
                    let deleted = try await t.send(.DELETE, s.path + "/\(s.recordID)", token: token)
                    #expect(deleted.status == .forbidden || deleted.status == .notFound, "\(who) DELETE: \(deleted.status)")
                    #expect(try await HealthRecordModel.query(on: t.db).count() == 1)
                }
                // Pages alike, and the case page links only for those allowed.
                let browser = WebSession(t)
                try await browser.login(username)
                let page = try await browser.get("/faelle/\(s.caseID)/gesundheit")
                if allowed {
                    #expect(page.status == .ok, "\(who) page: \(page.status)")
                    #expect(page.body.string.contains("Asthma"))
                } else {
                    #expect(page.status == .forbidden || page.status == .notFound, "\(who) page: \(page.status)")
                    #expect(!page.body.string.contains("Asthma"))
                }
                let casePage = try await browser.get("/faelle/\(s.caseID)")
                #expect(casePage.body.string.contains("/gesundheit\"") == allowed, "\(who) link on the case page (\(casePage.status))")
            }
        }

        @Test("R31 health: a substitute sees the records only while substituting")
        func R31_substituteOnlyWhileSubstituting() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                #expect(try await t.send(.GET, s.path, token: s.udo.token).status == .ok)
                t.clock.advance(by: 9 * 86_400)  // 1 December: the substitution ended on 30 November
                let token = try await s.w.login("udo")
                #expect(try await t.send(.GET, s.path, token: token).status == .notFound)
            }
        }

        @Test("Health: 3,000 characters with quotes, umlauts and markup are stored and shown exactly, by API and page")
        func longDescriptionReadBack() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let typed = #"Lena sagte: "Bauchweh" – <Klinik> & 'Notaufnahme'. "# + String(repeating: "Übelkeit, Ärztin, Öl ", count: 150) + "Ende."
                #expect(typed.count > 3_000 && typed.count <= 4_000)
                // API
                let id = try await t.create(s.path, token: s.w.fina.token, ["kind": "hospitalStay", "description": typed, "from": "2026-11-10",
                                                                          "to": "2026-11-12", "serious": true,
                                                                          "guardiansNotifiedOn": "2026-11-10", "guardiansNotifiedBy": "Erika Fink"])
                let list = try await t.send(.GET, s.path, token: s.tina.token).jsonArray()
                let stored = try #require(list.first { ($0["id"] as? String)?.lowercased() == id.lowercased() })
                #expect(stored["description"] as? String == typed)
                #expect(stored["kindName"] as? String == "Krankenhausaufenthalt")
                #expect(stored["guardiansToBeNotified"] as? Bool == false)
                #expect(stored["createdByName"] as? String == "Fina")
                #expect(list.map { $0["from"] as? String } == ["2026-11-10", "2026-11-01"])
                // Page, posted as a browser streams a long body
                let browser = WebSession(t, live: true)
                try await browser.login("fina")
                _ = try await browser.get("/faelle/\(s.caseID)/gesundheit")
                let posted = try await browser.post("/faelle/\(s.caseID)/gesundheit", [("kind", "other"), ("description", typed + " (Seite)"),
                                                                                       ("from", "2026-11-15"), ("to", "")])
                #expect(posted.status == .seeOther, "\(posted.status) \(posted.body.string.prefix(300))")
                #expect(try await HealthRecordModel.query(on: t.db).filter(\.$recordDescription == typed + " (Seite)").count() == 1)
                let page = try await browser.get("/faelle/\(s.caseID)/gesundheit")
                #expect(page.body.string.contains(HTMLEscape.text(typed)))
                #expect(page.body.string.contains("Sorgeberechtigte informiert am 10.11.2026 von Erika Fink."))
                // Too long is refused with a field error, and the form keeps what was typed.
                let tooLong = String(repeating: "ä", count: 4_001)
                let refused = try await browser.post("/faelle/\(s.caseID)/gesundheit", [("kind", "illness"), ("description", tooLong),
                                                                                        ("from", "2026-11-15")])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("höchstens 4000 Zeichen"))
                #expect(refused.body.string.contains(tooLong))
            }
        }

        @Test("Health: the guardians' notification belongs to a serious record, not before its start, and names who told them")
        func notificationRules() async throws {
            func fields(_ input: HealthRecordInput) -> [String] {
                StaffingRuleTests.refusedFields { _ = try input.validated(today: Day(iso: "2026-11-22")!) }
            }
            let base = HealthRecordInput(kind: "illness", description: "Lungenentzündung", from: "2026-11-10")
            var notified = base
            notified.serious = true
            notified.guardiansNotifiedOn = "2026-11-10"
            notified.guardiansNotifiedBy = "Erika Fink"
            #expect(fields(base) == [] && fields(notified) == [])
            let changes: [(String, (inout HealthRecordInput) -> Void, [String])] = [
                ("not serious", { $0.serious = false }, ["guardiansNotifiedOn"]),
                ("before the start", { $0.guardiansNotifiedOn = "2026-11-09" }, ["guardiansNotifiedOn"]),
                ("in the future", { $0.guardiansNotifiedOn = "2026-11-23" }, ["guardiansNotifiedOn"]),
                ("by nobody", { $0.guardiansNotifiedBy = "  " }, ["guardiansNotifiedBy"]),
                ("when unknown", { $0.guardiansNotifiedOn = nil }, ["guardiansNotifiedOn"]),
                ("end before start", { $0.to = "2026-11-09" }, ["to"]),
                ("end on the start", { $0.to = "2026-11-10" }, []),
            ]
            for (name, change, expected) in changes {
                var input = notified
                change(&input)
                #expect(fields(input) == expected, "\(name)")
            }
            #expect(fields(HealthRecordInput(kind: "cold", description: " ", from: "10.11.2026")) == ["kind", "description", "from"])
            #expect(fields(HealthRecordInput(kind: "other", description: String(repeating: "x", count: 4_000), from: "2026-11-10")) == [])
            #expect(fields(HealthRecordInput(kind: "other", description: String(repeating: "x", count: 4_001), from: "2026-11-10")) == ["description"])
            // A serious record without notification is flagged until the notification is recorded.
            var open = base
            open.serious = true
            #expect(try open.validated(today: Day(iso: "2026-11-22")!).guardiansToBeNotified)
            #expect(try !notified.validated(today: Day(iso: "2026-11-22")!).guardiansToBeNotified)
            // Through the API: the same field errors, and a correction records the notification.
            try await TestApp.run { t in
                let s = try await World.make(t)
                let refused = try await t.send(.POST, s.path, token: s.w.fina.token,
                                               json: ["kind": "illness", "description": "Grippe", "from": "2026-11-10", "guardiansNotifiedOn": "2026-11-11",
                                                      "guardiansNotifiedBy": "Fina"])
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["guardiansNotifiedOn"])
                let serious = try await t.create(s.path, token: s.w.fina.token,
                                                 ["kind": "illness", "description": "Lungenentzündung", "from": "2026-11-10", "serious": true])
                #expect(try await t.send(.GET, s.path, token: s.w.fina.token).jsonArray().first?["guardiansToBeNotified"] as? Bool == true)
                let corrected = try await t.send(.PUT, s.path + "/\(serious)", token: s.tina.token,
                                                 json: ["kind": "illness", "description": "Lungenentzündung", "from": "2026-11-10", "serious": true,
                                                        "guardiansNotifiedOn": "2026-11-11", "guardiansNotifiedBy": "Tina Thal (Telefon)"])
                #expect(corrected.status == .noContent, "\(corrected.body.string)")
                let after = try #require(try await t.send(.GET, s.path, token: s.w.fina.token).jsonArray().first)
                #expect(after["guardiansNotifiedOn"] as? String == "2026-11-11")
                #expect(after["guardiansToBeNotified"] as? Bool == false)
                #expect(after["updatedByName"] as? String == "Tina")
                // A record of another case is not found under this one.
                let other = try await s.w.openCase(s.w.caseBody(fileNumber: "51.2-2026-1661"))
                #expect(try await t.send(.PUT, "/api/v1/cases/\(other)/health-records/\(serious)", token: s.w.management,
                                         json: ["kind": "illness", "description": "x", "from": "2026-11-10"]).status == .notFound)
                #expect(try await t.send(.DELETE, "/api/v1/cases/\(other)/health-records/\(serious)", token: s.w.management).status == .notFound)
                #expect(try await t.send(.DELETE, s.path + "/\(serious)", token: s.w.fina.token).status == .noContent)
                #expect(try await t.send(.GET, s.path, token: s.w.fina.token).jsonArray().count == 1)
            }
        }


        @Test("R31 health: reads are audited with the view, writes with field names only, never the content")
        func auditWithoutContent() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                #expect(try await t.send(.GET, s.path, token: s.tina.token).status == .ok)
                let browser = WebSession(t)
                try await browser.login("tina")
                #expect(try await browser.get("/faelle/\(s.caseID)/gesundheit").status == .ok)
                #expect(try await t.send(.PUT, s.path + "/\(s.recordID)", token: s.w.fina.token,
                                         json: ["kind": "illness", "description": World.secret + " – gebessert", "from": "2026-11-01", "to": "2026-11-20"]).status == .noContent)
                #expect(try await t.send(.DELETE, s.path + "/\(s.recordID)", token: s.w.fina.token).status == .noContent)
                let entries = try await AuditLog.recent(limit: 200, on: t.db)
                let views = entries.filter { $0.action == "read" && $0.entity == "case" && $0.entityID?.lowercased() == s.caseID.lowercased() }
                    .compactMap { $0.changes["view"]?.to }
                #expect(views.contains("api/v1/cases/:id/health-records"))
                #expect(views.contains("faelle/:id/gesundheit"))
                let writes = entries.filter { $0.entity == "healthRecord" }
                #expect(writes.map(\.action).sorted() == ["create", "delete", "update"])
                let update = try #require(writes.first { $0.action == "update" })
                #expect(Set(update.changes.keys) == ["case", "description", "to"])
                for entry in writes {
                    let text = entry.changes.description
                    #expect(!text.contains("Asthma") && !text.contains("illness") && !text.contains("2026-11-01"), "\(entry.action): \(text)")
                }
            }
        }

        @Test("Health: records go with their case (cascade), nothing of them outlives the file")
        func recordsGoWithTheirCase() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                #expect(try await HealthRecordModel.query(on: t.db).count() == 1)
                // Deleted the way a retention run would remove a whole file (R32).
                try await CaseModel.query(on: t.db).filter(\.$id == UUID(uuidString: s.caseID)!).delete()
                #expect(try await HealthRecordModel.query(on: t.db).count() == 0)
            }
        }

        @Test("Health page: a refused form keeps what was typed, with German messages at the fields")
        func pageKeepsInput() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                _ = try await browser.get("/faelle/\(s.caseID)/gesundheit")
                let refused = try await browser.post("/faelle/\(s.caseID)/gesundheit", [
                    ("kind", "illness"), ("description", "Mittelohrentzündung \"links\" <akut> & 'fiebrig'"), ("from", "2026-11-10"), ("to", ""),
                    ("guardiansNotifiedOn", "2026-11-09"), ("guardiansNotifiedBy", "Müller & Söhne"),
                ])
                #expect(refused.status == .unprocessableEntity)
                let html = refused.body.string
                #expect(html.contains("nur bei einer schweren Erkrankung"))
                #expect(html.contains(HTMLEscape.text("Mittelohrentzündung \"links\" <akut> & 'fiebrig'")))
                #expect(html.contains("value=\"" + HTMLEscape.attribute("Müller & Söhne") + "\""))
                #expect(html.contains("value=\"2026-11-09\""))
                #expect(!html.contains("<akut>"))
                // The edit page of a record holds its values; a refused change keeps the typed ones.
                let edit = try await browser.get("/faelle/\(s.caseID)/gesundheit/\(s.recordID)")
                #expect(edit.status == .ok)
                #expect(edit.body.string.contains(World.secret))
                let change = try await browser.post("/faelle/\(s.caseID)/gesundheit/\(s.recordID)", [
                    ("kind", "illness"), ("description", World.secret), ("from", "2026-11-01"), ("to", "2026-10-01"), ("serious", "true"),
                ])
                #expect(change.status == .unprocessableEntity)
                #expect(change.body.string.contains("Das Ende darf nicht vor dem Beginn liegen."))
                #expect(change.body.string.contains("value=\"2026-10-01\""))
                #expect(change.body.string.contains("checked=\"checked\""))
                let saved = try await browser.post("/faelle/\(s.caseID)/gesundheit/\(s.recordID)", [
                    ("kind", "illness"), ("description", World.secret), ("from", "2026-11-01"), ("to", "2026-11-20"),
                ])
                #expect(saved.status == .seeOther)
                let deleted = try await browser.post("/faelle/\(s.caseID)/gesundheit/\(s.recordID)/loeschen", [])
                #expect(deleted.status == .seeOther)
                #expect(try await HealthRecordModel.query(on: t.db).count() == 0)
            }
        }
    }
}
