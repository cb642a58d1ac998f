@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    /// R10 [002: "Erstellung des Berichtes zum Hilfeplan (1 FLS je Bericht)"]: one report, one report entry.
    @Suite("Report entries")
    struct ReportEntries {
        typealias Setup = DocumentationAPI.Setup

        /// A report of Lena's case written by fina, submitted and approved by tara.
        static func approved(_ t: TestApp, _ s: Setup, kind: String = "progress", to: String? = nil) async throws -> String {
            var body: [String: Any] = ["kind": kind]
            if let to { body["periodTo"] = to }
            let id = try await t.create("/api/v1/cases/\(s.caseID)/reports", token: s.world.fina.token, body)
            #expect(try await t.send(.POST, "/api/v1/reports/\(id)/submit", token: s.world.fina.token).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/reports/\(id)/approve", token: s.tara.token).status == .ok)
            return id
        }

        static func reportEntries(_ t: TestApp, _ s: Setup, month: String = "2026-11") async throws -> [[String: Any]] {
            try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=\(month)", token: s.world.management).jsonArray()
                .filter { $0["kind"] as? String == "report" }
        }

        @Test("R11 an entry that overlaps one of the same worker's entries is refused through the API with a German field error; back to back and a cancelled one are not")
        func R11_overlapThroughTheAPI() async throws {
            try await TestApp.run { t in
                // given fina's contact from 14:00 to 15:00 and a cancelled appointment at 16:00
                let s = try await DocumentationAPI.setUp(t)
                let path = "/api/v1/cases/\(s.caseID)/entries"
                _ = try await t.create(path, token: s.world.fina.token, ["date": "2026-11-20", "start": "14:00", "minutes": 60, "kind": "direct"])
                _ = try await t.create(path, token: s.world.fina.token, ["date": "2026-11-20", "start": "16:00", "minutes": 60, "kind": "cancelled",
                                                                         "cancelledBy": "provider"])
                // when she records another one at 14:30
                let clash = try await t.send(.POST, path, token: s.world.fina.token,
                                             json: ["date": "2026-11-20", "start": "14:30", "minutes": 30, "kind": "indirect"])
                // then it is refused on the start time, in German, and nothing is saved
                #expect(clash.status == .unprocessableEntity)
                #expect(try clash.problemFields() == ["start"])
                #expect(clash.body.string.contains("Zu dieser Zeit ist schon ein Eintrag dieser Fachkraft erfasst (20.11.2026, 14:00 Uhr, 60 Min.)"))
                // and right after it, or at the cancelled appointment's time, it is saved
                _ = try await t.create(path, token: s.world.fina.token, ["date": "2026-11-20", "start": "15:00", "minutes": 30, "kind": "indirect"])
                _ = try await t.create(path, token: s.world.fina.token, ["date": "2026-11-20", "start": "16:00", "minutes": 30, "kind": "indirect"])
                let saved = try await t.send(.GET, "\(path)?month=2026-11", token: s.world.fina.token).jsonArray()
                #expect(saved.filter { $0["date"] as? String == "2026-11-20" }.count == 4)
            }
        }

        @Test("R10 R19 a report entry recorded by hand in the report's period becomes the report's entry: counted once")
        func manualEntryCountsOnce() async throws {
            try await TestApp.run { t in
                // given: fina books the writing of the report by hand, then the report is sent
                let s = try await DocumentationAPI.setUp(t)
                let manual = try await t.create("/api/v1/cases/\(s.caseID)/entries", token: s.world.fina.token,
                                                ["date": "2026-11-20", "start": "14:00", "minutes": 120, "kind": "report"])
                let id = try await Self.approved(t, s)
                // when
                let sent = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: s.world.fina.token, json: ["date": "2026-11-22"])
                // then: one report entry, the one typed, linked to the report; 90 contact + 60 report
                #expect(sent.status == .ok, "\(sent.body.string)")
                let entries = try await Self.reportEntries(t, s)
                #expect(entries.count == 1)
                #expect((entries.first?["id"] as? String)?.lowercased() == manual.lowercased())
                #expect((try sent.json()["serviceEntryId"] as? String)?.lowercased() == manual.lowercased())
                let budget = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/budget?date=2026-11-22", token: s.world.fina.token).json()
                #expect(budget["usedMinutes"] as? Int == 150)
            }
        }

        @Test("R10 R19 a second report does not take over the entry of the first")
        func entryBelongsToOneReport() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let first = try await Self.approved(t, s, to: "2026-11-10")
                let firstSent = try await t.send(.POST, "/api/v1/reports/\(first)/sent", token: s.world.fina.token, json: ["date": "2026-11-22"])
                #expect(firstSent.status == .ok, "\(firstSent.body.string)")
                let second = try await Self.approved(t, s, kind: "status")
                let sent = try await t.send(.POST, "/api/v1/reports/\(second)/sent", token: s.world.fina.token, json: ["date": "2026-11-22"])
                #expect(sent.status == .ok, "\(sent.body.string)")
                #expect(try await Self.reportEntries(t, s).count == 2)
            }
        }

        @Test("R19 R10 management marks a report sent; the report entry is booked to the report's author")
        func managementMarksSent() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let id = try await Self.approved(t, s)
                // when
                let sent = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: s.world.management, json: ["date": "2026-11-22"])
                // then
                #expect(sent.status == .ok, "\(sent.body.string)")
                let entries = try await Self.reportEntries(t, s)
                #expect(entries.count == 1)
                #expect((entries.first?["staffId"] as? String)?.lowercased() == s.world.fina.staffID.lowercased())
            }
        }

        @Test("R19 R10 a team lead marks a report sent: the entry is the author's, not the team lead's")
        func teamLeadMarksSent() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let id = try await Self.approved(t, s)
                let sent = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: s.tara.token, json: ["date": "2026-11-22"])
                #expect(sent.status == .ok, "\(sent.body.string)")
                #expect((try await Self.reportEntries(t, s).first?["staffId"] as? String)?.lowercased() == s.world.fina.staffID.lowercased())
            }
        }

        @Test("R19 R6 a final report sent after the case ended gets its report entry on the day it was sent")
        func finalReportAfterEnd() async throws {
            try await TestApp.run { t in
                // given: the case ended on 13 November; the final report goes out on 22 November
                let s = try await DocumentationAPI.setUp(t)
                let ended = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/end", token: s.world.management,
                                             json: ["date": "2026-11-13", "reason": "goalsReached"])
                #expect(ended.status == .noContent, "\(ended.body.string)")
                let id = try await Self.approved(t, s, kind: "final")
                // when
                let sent = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: s.world.fina.token, json: ["date": "2026-11-22"])
                // then
                #expect(sent.status == .ok, "\(sent.body.string)")
                let entries = try await Self.reportEntries(t, s)
                #expect(entries.map { $0["date"] as? String } == ["2026-11-22"])
                #expect(entries.first?["billableMinutes"] as? Int == 60)
            }
        }

        @Test("R19 R6 after the end only the reports an end asks for are booked; a progress report is refused in German")
        func progressReportAfterEnd() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let id = try await Self.approved(t, s, to: "2026-11-10")
                _ = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/end", token: s.world.management,
                                     json: ["date": "2026-11-13", "reason": "goalsReached"])
                let sent = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: s.world.fina.token, json: ["date": "2026-11-22"])
                #expect(sent.status == .unprocessableEntity)
                #expect(try sent.problemFields() == ["sentOn"])
                #expect(sent.body.string.contains("13.11.2026"))
            }
        }

        @Test("R10 R19 the report entry rule in the domain: the day, the end of the case and invoiced months")
        func rule() {
            let start = Day(iso: "2026-10-01")!, end = Day(iso: "2026-11-13")!
            #expect(ReportEntryRule.refusal(kind: .progress, day: Day(iso: "2026-11-12")!, caseStart: start, caseEnd: end, invoiced: false) == nil)
            #expect(ReportEntryRule.refusal(kind: .final, day: Day(iso: "2026-12-02")!, caseStart: start, caseEnd: end, invoiced: false) == nil)
            #expect(ReportEntryRule.refusal(kind: .short, day: Day(iso: "2026-12-02")!, caseStart: start, caseEnd: end, invoiced: false) == nil)
            #expect(ReportEntryRule.refusal(kind: .progress, day: Day(iso: "2026-12-02")!, caseStart: start, caseEnd: end, invoiced: false) != nil)
            #expect(ReportEntryRule.refusal(kind: .final, day: Day(iso: "2026-09-30")!, caseStart: start, caseEnd: end, invoiced: false) != nil)
            let invoiced = ReportEntryRule.refusal(kind: .final, day: Day(iso: "2026-11-12")!, caseStart: start, caseEnd: end, invoiced: true)
            #expect(invoiced?.contains("2026-11") == true)
        }
    }
}
