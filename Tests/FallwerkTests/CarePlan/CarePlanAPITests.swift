@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    /// The care plan cycle through the API and the pages. Today is 2026-11-22 (TestApp.referenceNow);
    /// Lena's case started on 2026-10-01 under the default settings (SPEC: first review after 6 months).
    @Suite("Care plan cycle")
    struct CarePlanCycle {
        /// An API token for a login that exists already (the case world's caseworkers).
        static func login(_ t: TestApp, _ username: String) async throws -> String {
            let response = try await t.send(.POST, "/api/v1/session", json: ["username": username, "password": TestApp.password])
            return try response.json()["token"] as? String ?? ""
        }

        static func deadlines(_ t: TestApp, _ caseID: String, token: String) async throws -> [String: [String: Any]] {
            let list = try await t.send(.GET, "/api/v1/cases/\(caseID)/deadlines", token: token).jsonArray()
            var byKind: [String: [String: Any]] = [:]
            for item in list where byKind[item["kind"] as? String ?? ""] == nil { byKind[item["kind"] as? String ?? ""] = item }
            return byKind
        }

        @Test("R3 R5 the first plan sets every due date; documents received close theirs; overdue items become alerts")
        func firstPlan() async throws {
            try await TestApp.run { t in
                // given
                let world = try await CaseWorld.make(t)
                let fina = try await Self.login(t, "fina")
                // when
                let meeting = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                               json: ["date": "2026-10-01", "kind": "initial", "state": "held", "participants": ["Frau Albers", "Lena"]])
                #expect(meeting.status == .created)
                // then
                var due = try await Self.deadlines(t, world.lenaCase, token: fina)
                #expect(due["signedCarePlan"]?["due"] as? String == "2026-10-15")
                #expect(due["signedCarePlan"]?["status"] as? String == "overdue")
                #expect(due["costApproval"]?["due"] as? String == "2026-10-15")
                #expect(due["specification"]?["windowStart"] as? String == "2026-11-12")
                #expect(due["specification"]?["due"] as? String == "2026-11-26")
                #expect(due["review"]?["due"] as? String == "2027-04-01")
                #expect(due["progressReport"]?["due"] as? String == "2027-03-18")
                let alerts = try await t.send(.GET, "/api/v1/cases/\(world.lenaCase)/alerts", token: fina).jsonArray()
                #expect(alerts.contains { $0["kind"] as? String == "deadlineOverdue" })
                #expect(alerts.contains { $0["kind"] as? String == "deadlineDue" && ($0["title"] as? String ?? "").lowercased().contains("konkretisierung") })

                // when the signed plan arrives
                let document = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/care-plan-documents", token: fina,
                                                json: ["kind": "signedCarePlan", "receivedOn": "2026-10-20"])
                #expect(document.status == .created)
                due = try await Self.deadlines(t, world.lenaCase, token: fina)
                #expect(due["signedCarePlan"]?["status"] as? String == "done")
                #expect(due["signedCarePlan"]?["doneOn"] as? String == "2026-10-20")
                // a document from the future is refused with its field
                let future = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/care-plan-documents", token: fina,
                                              json: ["kind": "costApproval", "receivedOn": "2026-12-20"])
                #expect(future.status == .unprocessableEntity)
                #expect(try future.problemFields() == ["receivedOn"])
            }
        }

        @Test("R3 a review moved earlier moves its progress report; a review before the first plan is refused")
        func movedReview() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let fina = try await Self.login(t, "fina")
                let early = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                             json: ["date": "2026-10-05", "kind": "review"])
                #expect(early.status == .unprocessableEntity)
                #expect(try early.problemFields() == ["kind"])
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                       ["date": "2026-10-01", "kind": "initial", "state": "held", "nextReviewMovedTo": "2027-01-15"])
                let due = try await Self.deadlines(t, world.lenaCase, token: fina)
                #expect(due["review"]?["due"] as? String == "2027-01-15")
                #expect(due["review"]?["regularDue"] as? String == "2027-04-01")
                #expect(due["progressReport"]?["due"] as? String == "2027-01-01")
            }
        }

        @Test("R4 a review recorded as held without its progress report needs a reason; with one, the report is waived")
        func reviewWithoutReport() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let fina = try await Self.login(t, "fina")
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                       ["date": "2026-10-01", "kind": "initial", "state": "held"])
                let review: [String: Any] = ["date": "2026-11-20", "kind": "review", "state": "held", "outcome": "Weiter wie bisher"]
                let refused = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina, json: review)
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["reportMissingReason"])
                #expect(refused.body.string.contains("Entwicklungsbericht"))
                var explained = review
                explained["reportMissingReason"] = "Krisengespräch kurzfristig angesetzt"
                let saved = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina, json: explained)
                #expect(saved.status == .created)
                let plan = try await t.send(.GET, "/api/v1/cases/\(world.lenaCase)/care-plan", token: fina).json()
                let deadlines = plan["deadlines"] as? [[String: Any]] ?? []
                #expect(deadlines.contains { $0["kind"] as? String == "progressReport" && $0["status"] as? String == "waived" })
                // the next review follows six months after the one held
                #expect(deadlines.contains { $0["kind"] as? String == "review" && $0["due"] as? String == "2027-05-20" })
            }
        }

        @Test("R6 ending a case makes its report due and removes future reviews; bad ends are field errors")
        func endCase() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let fina = try await Self.login(t, "fina")
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                       ["date": "2026-10-01", "kind": "initial", "state": "held"])
                let before = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/end", token: fina,
                                              json: ["date": "2026-09-01", "reason": "lackOfCooperation"])
                #expect(before.status == .unprocessableEntity)
                #expect(Set(try before.problemFields()) == ["date"])
                let ended = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/end", token: fina,
                                             json: ["date": "2026-11-20", "reason": "lackOfCooperation"])
                #expect(ended.status == .noContent)
                let due = try await Self.deadlines(t, world.lenaCase, token: fina)
                #expect(due["shortReport"]?["status"] as? String == "open")
                #expect(due["review"] == nil)
                #expect(due["progressReport"] == nil)
                let record = try await t.send(.GET, "/api/v1/cases/\(world.lenaCase)", token: fina).json()
                #expect(record["endReason"] as? String == "lackOfCooperation")
            }
        }

        @Test("R31 accounting sees no care planning; other caseworkers do not see the case's deadlines")
        func visibility() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let accounting = try await t.token(.accounting)
                let paul = try await Self.login(t, "paul")
                #expect(try await t.send(.GET, "/api/v1/cases/\(world.lenaCase)/care-plan", token: accounting).status == .notFound)
                #expect(try await t.send(.GET, "/api/v1/cases/\(world.lenaCase)/deadlines", token: paul).status == .notFound)
                let write = try await t.send(.POST, "/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: accounting,
                                             json: ["date": "2026-10-01", "kind": "initial"])
                #expect(write.status == .forbidden)
                let mine = try await t.send(.GET, "/api/v1/deadlines?scope=all", token: paul)
                #expect(mine.status == .forbidden)
            }
        }

        @Test("The calendar feed is valid iCalendar with the user's deadlines; renewing the URL revokes the old one")
        func calendarFeed() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let fina = try await Self.login(t, "fina")
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                       ["date": "2026-10-01", "kind": "initial", "state": "held"])
                let first = try await t.send(.POST, "/api/v1/me/calendar-feed", token: fina)
                #expect(first.status == .created)
                let url = try #require(try first.json()["url"] as? String)
                let range = try #require(url.range(of: "/kalender/"))
                let path = String(url[range.lowerBound...])
                let feed = try await t.send(.GET, path)
                #expect(feed.status == .ok)
                #expect(feed.headers.contentType?.subType == "calendar")
                let text = feed.body.string
                #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n"))
                #expect(text.hasSuffix("END:VCALENDAR\r\n"))
                #expect(text.components(separatedBy: "BEGIN:VEVENT").count == text.components(separatedBy: "END:VEVENT").count)
                #expect(text.contains("DTSTART;VALUE=DATE:20261126"))  // end of the specification window
                #expect(text.contains("L. S. · 51.2-2026-0001"))
                #expect(!text.contains("Sommer"))
                #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
                _ = try await t.send(.POST, "/api/v1/me/calendar-feed", token: fina)
                #expect(try await t.send(.GET, path).status == .notFound)
            }
        }

        @Test("Pages: a review without report asks for the reason and keeps what was typed; the deadlines page lists overdue first")
        func pages() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let web = WebSession(t)
                try await web.login("fina")
                let page = try await web.get("/faelle/\(world.lenaCase)/hilfeplan")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Hilfeplan und Fristen"))
                let initial = try await web.post("/faelle/\(world.lenaCase)/hilfeplan/gespraeche",
                                                 [("date", "2026-10-01"), ("kind", "initial"), ("state", "held")])
                #expect(initial.status == .seeOther)
                try await web.get("/faelle/\(world.lenaCase)/hilfeplan")
                let review = try await web.post("/faelle/\(world.lenaCase)/hilfeplan/gespraeche",
                                                [("date", "2026-11-20"), ("kind", "review"), ("state", "held"), ("outcome", "Ziele angepasst")])
                #expect(review.status == .unprocessableEntity)
                let html = review.body.string
                #expect(html.contains("Grund, warum der Entwicklungsbericht fehlt"))
                #expect(html.contains("Ziele angepasst"))
                // A planned meeting is changed in place, not recorded a second time.
                let fina = try await Self.login(t, "fina")
                let planned = try await t.create("/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                                 ["date": "2026-12-20", "kind": "review"])
                let edit = try await web.get("/faelle/\(world.lenaCase)/hilfeplan?gespraech=\(planned)")
                #expect(edit.body.string.contains("Gespräch ändern"))
                #expect(edit.body.string.contains("value=\"2026-12-20\""))
                let moved = try await web.post("/faelle/\(world.lenaCase)/hilfeplan/gespraeche",
                                               [("meetingId", planned), ("date", "2027-01-10"), ("kind", "review"), ("state", "planned")])
                #expect(moved.status == .seeOther)
                let meetings = try await t.send(.GET, "/api/v1/cases/\(world.lenaCase)/care-plan", token: fina).json()["meetings"] as? [[String: Any]] ?? []
                #expect(meetings.filter { $0["kind"] as? String == "review" }.map { $0["date"] as? String } == ["2027-01-10"])
                let overview = try await web.get("/fristen")
                #expect(overview.status == .ok)
                let body = overview.body.string
                let overdue = try #require(body.range(of: "überfällig</span>"))
                let open = try #require(body.range(of: "offen</span>"))
                #expect(overdue.lowerBound < open.lowerBound)
                #expect(body.contains("Unterschriebener Hilfeplan"))
                let caseworkPage = try await web.get("/faelle/\(world.lenaCase)")
                #expect(caseworkPage.body.string.contains("Hilfeplan öffnen"))
            }
        }
    }
}
