@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

/// R21 through the API and the pages: a procedure walked from noticed to report, need-to-know for
/// every role on every new route, append-only steps, audited reads, the alert and the deadlines.
extension AllTests {
    @Suite("Child protection R21 (API and pages)")
    struct ChildProtectionAPITests {
        /// A case led by fina (Team Nord) with kai (Team Nord, not on the case), a team lead of Team Nord
        /// (tina) and of Team Süd (sven), an ISEF on the list, and a procedure fina opened.
        struct World {
            let w: CaseAPIWorld
            let caseID: String
            let kai: CaseAPIWorld.Member
            let tina: CaseAPIWorld.Member
            let sven: CaseAPIWorld.Member
            let isef: String
            let procedureID: String

            static func make(_ t: TestApp) async throws -> World {
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0815"))
                let kai = try await w.member("kai", [.caseworker], team: w.northTeamID, lastName: "Kaiser")
                let tina = try await w.member("tina", [.teamLead, .caseworker], team: w.northTeamID, lastName: "Thal")
                try await w.setTeamLead(w.northTeamID, name: "Team Nord", staffID: tina.staffID)
                let sven = try await w.member("sven", [.teamLead, .caseworker], team: w.southTeamID, lastName: "Sonne")
                try await w.setTeamLead(w.southTeamID, name: "Team Süd", staffID: sven.staffID)
                let isef = try await t.create("/api/v1/isef-experts", token: w.management,
                                              ["name": "Dr. Karin Vogt", "organisation": "Kinderschutzzentrum", "contact": "02371 123456"])
                let procedureID = try await t.create("/api/v1/cases/\(caseID)/child-protection", token: w.fina.token,
                                                     ["noticedOn": "2026-11-20", "indications": "Hämatome am Arm; Lena: „Mama war wütend.“"])
                return World(w: w, caseID: caseID, kai: kai, tina: tina, sven: sven, isef: isef, procedureID: procedureID)
            }

            func step(_ body: [String: Any], token: String? = nil) async throws -> TestingHTTPResponse {
                try await w.t.send(.POST, "/api/v1/child-protection/\(procedureID)/steps", token: token ?? w.fina.token, json: body)
            }

            var assessment: [String: Any] {
                ["kind": "riskAssessment", "date": "2026-11-21", "professionalIds": [w.fina.staffID, kai.staffID], "isef": ["expertId": isef],
                 "needs": BasicNeed.allCases.map { ["need": $0.rawValue, "rating": $0 == .protectionFromViolence ? "insufficient" : "sufficient"] },
                 "riskLevel": "high", "note": "Gewichtige Anhaltspunkte."]
            }
        }

        static func alertKinds(_ t: TestApp, token: String) async throws -> [(kind: String, caseID: String)] {
            let response = try await t.send(.GET, "/api/v1/alerts", token: token)
            #expect(response.status == .ok)
            return try response.jsonArray().map { (($0["kind"] as? String) ?? "", (($0["caseId"] as? String) ?? "").lowercased()) }
        }

        @Test("R21 a procedure walks from noticed to report: four eyes and ISEF, Meldebogen due at once until reported, then closed")
        func walk() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                // Out of order: no assessment before the consultation.
                let early = try await s.step(s.assessment)
                #expect(early.status == .unprocessableEntity)
                #expect(early.body.string.contains("Fallberatung"))
                #expect(try await s.step(["kind": "consultation", "date": "2026-11-21", "participants": "Team Nord", "note": "Beraten"]).status == .created)
                // Four eyes and ISEF.
                var alone = s.assessment
                alone["professionalIds"] = [s.w.fina.staffID]
                let refused = try await s.step(alone)
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.json().description.contains("professionalIds"))
                var noISEF = s.assessment
                noISEF.removeValue(forKey: "isef")
                #expect(try await s.step(noISEF).body.string.contains("isef.expertId"))
                #expect(try await s.step(s.assessment).status == .created)
                // The Meldebogen is due at once: an alert for the lead worker, the team lead and management.
                for token in [s.w.fina.token, s.tina.token, s.w.management] {
                    #expect(try await Self.alertKinds(t, token: token).contains { $0.kind == "childProtectionReport" && $0.caseID == s.caseID.lowercased() })
                }
                let got = try await t.send(.GET, "/api/v1/child-protection/\(s.procedureID)", token: s.w.fina.token)
                #expect(got.status == .ok)
                let body = try got.json()
                #expect(body["reportDueSince"] as? String == "2026-11-21")
                #expect(body["riskLevel"] as? String == "high")
                // Closing waits for the report.
                let early2 = try await s.step(["kind": "closed", "date": "2026-11-22", "outcome": "erledigt"])
                #expect(early2.status == .unprocessableEntity)
                #expect(early2.body.string.contains("Meldung an das Jugendamt"))
                // The Meldebogen, then the report.
                let docx = try await t.send(.GET, "/api/v1/child-protection/\(s.procedureID)/meldebogen.docx", token: s.w.fina.token)
                #expect(docx.status == .ok)
                #expect(docx.headers.contentType?.description.contains("wordprocessingml") == true)
                #expect(try await s.step(["kind": "reportToYouthOffice", "date": "2026-11-22", "recipient": "Jugendamt, Frau Schubert", "way": "Fax"]).status == .created)
                #expect(!(try await Self.alertKinds(t, token: s.w.fina.token).contains { $0.kind == "childProtectionReport" }))
                #expect(try await s.step(["kind": "closed", "date": "2026-11-22", "outcome": "An das Jugendamt übergeben"]).status == .created)
                let closed = try await t.send(.GET, "/api/v1/child-protection/\(s.procedureID)", token: s.w.fina.token).json()
                #expect(closed["status"] as? String == "closed")
                #expect((closed["steps"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["consultation", "riskAssessment", "reportToYouthOffice", "closed"])
                #expect((closed["nextSteps"] as? [String]) == [])
            }
        }

        @Test("R21 steps are append-only: no PUT or DELETE, and the database refuses to change or delete one")
        func appendOnly() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                #expect(try await s.step(["kind": "consultation", "date": "2026-11-21", "participants": "Team", "note": "Beraten"]).status == .created)
                for method in [HTTPMethod.PUT, .DELETE, .PATCH] {
                    let response = try await t.send(method, "/api/v1/child-protection/\(s.procedureID)", token: s.w.management, json: [String: Any]())
                    #expect(response.status == .methodNotAllowed || response.status == .notFound, "\(method): \(response.status)")
                }
                let sql = try #require(t.db as? any SQLDatabase)
                await #expect(throws: (any Error).self) { try await sql.raw("UPDATE child_protection_steps SET note = 'anders'").run() }
                await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM child_protection_steps").run() }
                #expect(try await ChildProtectionStepModel.query(on: t.db).count() == 1)
            }
        }

        @Test("R21 need-to-know: only the case's staff, their team lead and management; accounting and admin never", arguments: [
            ("fina", true), ("tina", true), ("management", true), ("kai", false), ("sven", false), ("accounting", false), ("admin", false),
            // Sees the case through accounting, may write case work by role, but is not on the case: only the case policy refuses.
            ("mixed", false),
        ])
        func needToKnow(who: String, allowed: Bool) async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let token: String
                switch who {
                case "fina": token = s.w.fina.token
                case "tina": token = s.tina.token
                case "kai": token = s.kai.token
                case "sven": token = s.sven.token
                case "management": token = s.w.management
                case "accounting": token = try await t.token(.accounting)
                case "mixed": token = try await t.token(.caseworker, .accounting, username: "mixed")
                default: token = try await t.token(.admin)
                }
                let routes: [(HTTPMethod, String, [String: Any]?)] = [
                    (.GET, "/api/v1/cases/\(s.caseID)/child-protection", nil),
                    (.POST, "/api/v1/cases/\(s.caseID)/child-protection", ["noticedOn": "2026-11-21", "indications": "x"]),
                    (.GET, "/api/v1/child-protection/\(s.procedureID)", nil),
                    (.POST, "/api/v1/child-protection/\(s.procedureID)/steps", ["kind": "consultation", "date": "2026-11-21", "participants": "T", "note": "n"]),
                    (.GET, "/api/v1/child-protection/\(s.procedureID)/meldebogen.docx", nil),
                ]
                for (method, path, body) in routes {
                    let response = try await t.send(method, path, token: token, json: body)
                    if allowed {
                        #expect(response.status == .ok || response.status == .created, "\(who) \(method) \(path): \(response.status)")
                    } else {
                        // Roles without the right: 403; staff and team leads off the case: the case (and procedure) do not exist.
                        // The mixed login sees the case (billing), so the case's own paths say "not allowed", while a
                        // procedure stays hidden.
                        let expected: HTTPStatus = ["accounting", "admin"].contains(who) || (who == "mixed" && path.contains("/cases/"))
                            ? .forbidden : .notFound
                        #expect(response.status == expected, "\(who) \(method) \(path): \(response.status)")
                        #expect(!response.body.string.contains("Hämatome"))
                    }
                }
                // Management's list and the ISEF list.
                let list = try await t.send(.GET, "/api/v1/child-protection", token: token)
                #expect(list.status == (who == "management" ? .ok : .forbidden), "\(who) list")
                let isefAdd = try await t.send(.POST, "/api/v1/isef-experts", token: token, json: ["name": "Extern"])
                #expect(isefAdd.status == (who == "management" ? .created : .forbidden), "\(who) add ISEF")
                // Pages alike.
                let browser = WebSession(t)
                try await browser.login(who == "management" || who == "accounting" || who == "admin" ? try await Self.username(t, token: token) : who)
                for path in ["/faelle/\(s.caseID)/kinderschutz", "/kinderschutz/\(s.procedureID)", "/kinderschutz/\(s.procedureID)/meldebogen",
                             "/kinderschutz/\(s.procedureID)/meldebogen.docx"] {
                    let page = try await browser.get(path)
                    if allowed {
                        #expect(page.status == .ok, "\(who) page \(path): \(page.status)")
                    } else {
                        #expect(page.status == .forbidden || page.status == .notFound, "\(who) page \(path): \(page.status)")
                        #expect(!page.body.string.contains("Hämatome"))
                    }
                }
                #expect(try await browser.get("/kinderschutz").status == (who == "management" ? .ok : .forbidden), "\(who) overview page")
            }
        }

        static func username(_ t: TestApp, token: String) async throws -> String {
            try await t.send(.GET, "/api/v1/me", token: token).json()["username"] as? String ?? ""
        }

        @Test("R21 accounting sees the case it bills but not the Meldebogen alert or the procedure's deadlines")
        func accountingSeesNoAlert() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                _ = try await s.step(["kind": "consultation", "date": "2026-11-21", "participants": "Team", "note": "Beraten"])
                #expect(try await s.step(s.assessment).status == .created)
                let accounting = try await t.token(.accounting)
                #expect(try await t.send(.GET, "/api/v1/cases/\(s.caseID)", token: accounting).status == .ok)
                #expect(!(try await Self.alertKinds(t, token: accounting).contains { $0.kind == "childProtectionReport" }))
                let caseAlerts = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/alerts", token: accounting)
                #expect(!caseAlerts.body.string.contains("childProtectionReport"))
                #expect(!caseAlerts.body.string.contains("Meldebogen"))
                // Off the case: kai neither.
                #expect(!(try await Self.alertKinds(t, token: s.kai.token).contains { $0.kind == "childProtectionReport" }))
            }
        }

        @Test("R22 R23 an incident or complaint names only a case the reporter works on")
        func reportedCaseIsOwn() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let incident: [String: Any] = ["occurredOn": "2026-11-21", "occurredAt": "10:00", "category": "accident", "description": "Sturz",
                                               "personsInvolved": "Lena", "caseId": s.caseID]
                let foreign = try await t.send(.POST, "/api/v1/incidents", token: s.kai.token, json: incident)
                #expect(foreign.status == .unprocessableEntity)
                #expect(foreign.body.string.contains("caseId"))
                #expect(try await t.send(.POST, "/api/v1/incidents", token: s.w.fina.token, json: incident).status == .created)
                var complaint: [String: Any] = ["receivedOn": "2026-11-21", "source": "guardian", "channel": "phone", "category": "other",
                                                "about": "Termine", "ombudspersonOffered": true, "caseId": s.caseID]
                #expect(try await t.send(.POST, "/api/v1/complaints", token: s.sven.token, json: complaint).status == .unprocessableEntity)
                complaint["caseId"] = "kein-fall"
                #expect(try await t.send(.POST, "/api/v1/complaints", token: s.w.fina.token, json: complaint).status == .unprocessableEntity)
            }
        }

        @Test("R21 every read of a procedure is audited without its content")
        func readsAudited() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                #expect(try await t.send(.GET, "/api/v1/child-protection/\(s.procedureID)", token: s.tina.token).status == .ok)
                let entries = try await AuditLog.recent(limit: 50, entity: "case", on: t.db)
                let reads = entries.filter { $0.action == "read" && $0.username == "tina" }
                #expect(reads.count == 1)
                #expect(reads.first?.entityID?.lowercased() == s.caseID.lowercased())
                #expect(reads.first?.changes["view"]?.to == "api/v1/child-protection/:id")
                let everything = try await AuditLog.recent(limit: 200, on: t.db)
                #expect(!everything.contains { entry in entry.changes.values.contains { ($0.to ?? "").contains("Hämatome") } })
            }
        }

        @Test("R21 a protection plan's check dates are deadlines on the deadlines list and in the case's deadlines")
        func planDeadlines() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                var low = s.assessment
                low["riskLevel"] = "low"
                for body: [String: Any] in [
                    ["kind": "consultation", "date": "2026-11-21", "participants": "Team", "note": "Beraten"], low,
                    ["kind": "guardiansInvolved", "date": "2026-11-21", "guardiansInvolved": true, "childInvolved": true],
                    ["kind": "protectionPlan", "date": "2026-11-22", "measures": [["what": "Kita täglich", "who": "Mutter", "byWhen": "2026-12-01"]],
                     "howChecked": "Rückfrage bei der Kita", "checkDates": ["2026-12-01"]],
                ] {
                    let response = try await s.step(body)
                    #expect(response.status == .created, "\(body["kind"] ?? ""): \(response.body.string)")
                }
                let mine = try await t.send(.GET, "/api/v1/deadlines?scope=mine", token: s.w.fina.token)
                #expect(mine.body.string.contains("protectionCheck"), "\(mine.body.string)")
                let ofCase = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/deadlines", token: s.w.fina.token)
                #expect(ofCase.body.string.contains("protectionCheck"))
            }
        }

        @Test("R21 bad input: a future date, an unknown staff member, an unknown procedure or case, broken JSON: German, never a 500")
        func badInput() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let future = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/child-protection", token: s.w.fina.token,
                                              json: ["noticedOn": "2026-12-24", "indications": "x"])
                #expect(future.status == .unprocessableEntity)
                #expect(future.body.string.contains("Zukunft"))
                _ = try await s.step(["kind": "consultation", "date": "2026-11-21", "participants": "Team", "note": "Beraten"])
                var stranger = s.assessment
                stranger["professionalIds"] = [s.w.fina.staffID, UUID().uuidString]
                let unknown = try await s.step(stranger)
                #expect(unknown.status == .unprocessableEntity)
                #expect(unknown.body.string.contains("professionalIds[1]"))
                #expect(try await t.send(.GET, "/api/v1/child-protection/\(UUID().uuidString)", token: s.w.fina.token).status == .notFound)
                #expect(try await t.send(.GET, "/api/v1/child-protection/kein-id", token: s.w.fina.token).status == .notFound)
                #expect(try await t.send(.POST, "/api/v1/cases/\(UUID().uuidString)/child-protection", token: s.w.fina.token,
                                         json: ["noticedOn": "2026-11-21", "indications": "x"]).status == .notFound)
                let broken = try await t.send(.POST, "/api/v1/child-protection/\(s.procedureID)/steps", token: s.w.fina.token, rawBody: "{\"kind\": ")
                #expect(broken.status == .badRequest)
                let badKind = try await s.step(["kind": "telefonat", "date": "2026-11-21"])
                #expect(badKind.status == .badRequest || badKind.status == .unprocessableEntity)
            }
        }

        @Test("R21 a 3,000-character account with quotes and umlauts, posted as a browser streams it, is stored and shown exactly")
        func longInput() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let typed = #"Lena sagte: "Mama schreit" – <laut> & 'oft'. "# + String(repeating: "Ärger über Öl und Übermut ", count: 115) + "Ende."
                #expect(typed.count > 3_000)
                let browser = WebSession(t, live: true)
                try await browser.login("fina")
                _ = try await browser.get("/faelle/\(s.caseID)/kinderschutz")
                let opened = try await browser.post("/faelle/\(s.caseID)/kinderschutz", [("noticedOn", "2026-11-21"), ("indications", typed)])
                #expect(opened.status == .seeOther)
                let stored = try await ChildProtectionProcedureModel.query(on: t.db).filter(\.$indications == typed).count()
                #expect(stored == 1)
                let location = try #require(opened.headers.first(name: .location))
                let page = try await browser.get(location)
                #expect(page.body.string.contains(HTMLEscape.text(typed)))
                // A step with the same text, refused for its date, keeps it in the form.
                let refused = try await browser.post(location.components(separatedBy: "?")[0] + "/schritte",
                                                     [("kind", "consultation"), ("date", "2026-12-24"), ("participants", "Team"), ("note", typed)])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains(HTMLEscape.text(typed)))
            }
        }

        @Test("R21 pages: the form keeps what was typed when refused, and the step lands on the time line")
        func pages() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let casePage = try await browser.get("/faelle/\(s.caseID)")
                #expect(casePage.body.string.contains("Kinderschutz (§ 8a)"))
                let page = try await browser.get("/kinderschutz/\(s.procedureID)")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Interne Fallberatung"))
                let typed = "Team Nord mit \"Zitat\" <b> & Ärger"
                let refused = try await browser.post("/kinderschutz/\(s.procedureID)/schritte",
                                                     [("kind", "consultation"), ("date", "2026-12-24"), ("participants", typed), ("note", "Beraten")])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Zukunft"))
                #expect(refused.body.string.contains("Team Nord mit &quot;Zitat&quot; &lt;b&gt; &amp; Ärger"))
                let saved = try await browser.post("/kinderschutz/\(s.procedureID)/schritte",
                                                   [("kind", "consultation"), ("date", "2026-11-21"), ("participants", typed), ("note", "Beraten")])
                #expect(saved.status == .seeOther)
                let after = try await browser.get("/kinderschutz/\(s.procedureID)")
                #expect(after.body.string.contains("Team Nord mit &quot;Zitat&quot; &lt;b&gt; &amp; Ärger") || after.body.string.contains("Team Nord mit \"Zitat\" &lt;b&gt; &amp; Ärger"))
                #expect(after.body.string.contains("Gefährdungseinschätzung mit ISEF"))
                // The assessment form: the grid of basic needs as radio groups.
                let form = try await browser.get("/kinderschutz/\(s.procedureID)?schritt=riskAssessment")
                for need in BasicNeed.allCases { #expect(form.body.string.contains("name=\"needs.\(need.rawValue)\"")) }
                // Accounting's case page shows no link.
                let accounting = WebSession(t)
                _ = try await t.token(.accounting, username: "vera")
                try await accounting.login("vera")
                #expect(!(try await accounting.get("/faelle/\(s.caseID)").body.string.contains("Kinderschutz")))
            }
        }
    }
}
