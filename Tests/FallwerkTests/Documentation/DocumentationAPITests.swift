@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Documentation through the API")
    struct DocumentationAPI {
        /// Lena's case (team Nord, led by `fina`) since 1 October 2026 with 10 hours a month and one
        /// 90-minute contact; `tara` leads team Nord; "today" is 22 November 2026.
        struct Setup {
            let world: CaseAPIWorld
            let caseID: String
            let tara: CaseAPIWorld.Member
        }

        static func setUp(_ t: TestApp) async throws -> Setup {
            let world = try await CaseAPIWorld.make(t)
            let tara = try await world.member("tara", [.teamLead, .caseworker], team: world.northTeamID, lastName: "Tamm")
            try await world.setTeamLead(world.northTeamID, name: "Team Nord", staffID: tara.staffID)
            let caseID = try await world.openCase(world.caseBody(fileNumber: "51.2-2026-0100"))
            _ = try await t.create("/api/v1/cases/\(caseID)/approvals", token: world.management,
                                   ["from": "2026-10-01", "to": "2027-03-31", "hours": "10", "per": "month"])
            _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: world.fina.token,
                                   ["date": "2026-11-02", "start": "10:00", "minutes": 90, "kind": "direct"])
            return Setup(world: world, caseID: caseID, tara: tara)
        }

        static func goal(_ t: TestApp, _ s: Setup, title: String = "Regelmäßiger Schulbesuch") async throws -> String {
            try await t.create("/api/v1/cases/\(s.caseID)/goals", token: s.world.fina.token, [
                "title": title, "specific": "Lena geht an allen Schultagen zur Schule.",
                "measurable": "Höchstens zwei Fehltage im Monat", "timeBound": "2027-03-31", "youngPersonView": "Ich will den Abschluss.",
            ])
        }

        @Test("R18 a SMART goal is rated over time; a rating outside the scale and an achieved goal without SMART parts are refused")
        func goalRatings() async throws {
            try await TestApp.run { t in
                // given
                let s = try await Self.setUp(t)
                let token = s.world.fina.token
                let goalID = try await Self.goal(t, s)
                // when
                for (value, reason) in [(2, "Noch häufige Fehltage."), (3, "Fehltage halbiert.")] {
                    _ = try await t.create("/api/v1/cases/\(s.caseID)/goals/\(goalID)/ratings", token: token,
                                           ["value": value, "ratedOn": "2026-11-22", "reason": reason])
                }
                let outside = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/goals/\(goalID)/ratings", token: token,
                                               json: ["value": 7, "ratedOn": "2026-11-22", "reason": "zu gut"])
                let achieved = try await t.send(.PUT, "/api/v1/cases/\(s.caseID)/goals/\(goalID)", token: token,
                                                json: ["title": "Regelmäßiger Schulbesuch", "status": "achieved"])
                // then
                #expect(outside.status == .unprocessableEntity)
                #expect(outside.isProblemJSON)
                #expect(try outside.problemFields() == ["value"])
                #expect(outside.body.string.contains("1 (nicht erreicht) bis 5"))
                #expect(achieved.status == .unprocessableEntity)
                #expect(Set(try achieved.problemFields()) == ["specific", "measurable", "timeBound"])
                let goals = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/goals", token: token).jsonArray()
                #expect(goals.count == 1)
                let ratings = goals.first?["ratings"] as? [[String: Any]] ?? []
                #expect(ratings.map { $0["label"] as? String } == ["2 – ansatzweise erreicht", "3 – teilweise erreicht"])
                #expect(goals.first?["youngPersonView"] as? String == "Ich will den Abschluss.")
                #expect(goals.first?["status"] as? String == "open")
            }
        }

        @Test("R18 R20 notes keep observation and assessment apart, link goals of the case only, and are found by search")
        func notes() async throws {
            try await TestApp.run { t in
                // given
                let s = try await Self.setUp(t)
                let token = s.world.fina.token
                let goalID = try await Self.goal(t, s)
                // when
                _ = try await t.create("/api/v1/cases/\(s.caseID)/notes", token: token, [
                    "date": "2026-11-20", "observation": "Lena kam pünktlich zur Schule.", "assessment": "Die Weckroutine wirkt.",
                    "goalIds": [goalID.uppercased()],
                ])
                _ = try await t.create("/api/v1/cases/\(s.caseID)/notes", token: token,
                                       ["date": "2026-11-21", "observation": "Streit über die Handyzeit am Abend."])
                let future = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/notes", token: token,
                                              json: ["date": "2026-11-23", "observation": "morgen"])
                let foreign = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/notes", token: token,
                                               json: ["date": "2026-11-20", "observation": "x", "goalIds": [UUID().uuidString]])
                // then
                #expect(try future.problemFields() == ["date"])
                let foreignBody = foreign.body.string
                #expect(try foreign.problemFields() == ["goalIds[0]"], "\(foreignBody)")
                let all = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/notes", token: token).jsonArray()
                #expect(all.map { $0["date"] as? String } == ["2026-11-21", "2026-11-20"])
                let found = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/notes?q=WECKROUTINE%20wirkt", token: token).jsonArray()
                #expect(found.count == 1)
                #expect(found.first?["observation"] as? String == "Lena kam pünktlich zur Schule.")
                #expect(found.first?["assessment"] as? String == "Die Weckroutine wirkt.")
                #expect(found.first?["goalIds"] as? [String] == [goalID.lowercased()])
                // R20: a note has no place for diary content.
                #expect(!(found.first ?? [:]).keys.contains { $0.lowercased().contains("diary") })
                #expect(try await t.send(.GET, "/api/v1/cases/\(s.caseID)/notes?q=handy", token: token).jsonArray().count == 1)
                #expect(try await t.send(.GET, "/api/v1/cases/\(s.caseID)/notes?q=tagebuch", token: token).jsonArray().isEmpty)
                // R31: reads and writes are in the audit log, with ids and field names but never the note's words.
                let log = try await AuditLog.recent(limit: 500, on: t.db)
                #expect(log.contains { $0.entity == "case" && $0.action == "read" && $0.changes["view"]?.to == "api/v1/cases/:id/notes" })
                #expect(log.contains { $0.entity == "note" && $0.action == "create" })
                let logged = log.map { "\($0.changes)" }.joined()
                #expect(!logged.contains("pünktlich") && !logged.contains("Weckroutine") && !logged.contains("Handyzeit"))
            }
        }

        @Test("R31 accounting sees the case's hours but no documentation; an unassigned caseworker does not see the case")
        func accountingSeesNoDocumentation() async throws {
            try await TestApp.run { t in
                // given
                let s = try await Self.setUp(t)
                _ = try await t.create("/api/v1/cases/\(s.caseID)/notes", token: s.world.fina.token,
                                       ["date": "2026-11-20", "observation": "Beobachtung"])
                let accounting = try await t.token(.accounting)
                let paul = try await s.world.member("paul", [.caseworker], team: s.world.southTeamID)
                // then
                #expect(try await t.send(.GET, "/api/v1/cases/\(s.caseID)/budget", token: accounting).status == .ok)
                for path in ["notes", "notes?q=Beobachtung", "goals", "reports"] {
                    let response = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/\(path)", token: accounting)
                    #expect(response.status == .forbidden, "\(path)")
                    #expect(!response.body.string.contains("Beobachtung"))
                    #expect(try await t.send(.GET, "/api/v1/cases/\(s.caseID)/\(path)", token: paul.token).status == .notFound, "\(path)")
                }
                let write = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/notes", token: accounting,
                                             json: ["date": "2026-11-20", "observation": "x"])
                #expect(write.status == .forbidden)
            }
        }
    }
}
