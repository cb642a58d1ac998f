@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Reports through the API")
    struct ReportAPI {
        typealias Setup = DocumentationAPI.Setup

        /// A progress report of Lena's case, written by fina, with one goal rated 3.
        static func draft(_ t: TestApp) async throws -> (Setup, String) {
            let s = try await DocumentationAPI.setUp(t)
            let goalID = try await DocumentationAPI.goal(t, s)
            _ = try await t.create("/api/v1/cases/\(s.caseID)/goals/\(goalID)/ratings", token: s.world.fina.token,
                                   ["value": 3, "ratedOn": "2026-11-22", "reason": "Fehltage halbiert."])
            _ = try await t.create("/api/v1/cases/\(s.caseID)/notes", token: s.world.fina.token,
                                   ["date": "2026-11-20", "observation": "Lena kam pünktlich.", "assessment": "Routine trägt."])
            let id = try await t.create("/api/v1/cases/\(s.caseID)/reports", token: s.world.fina.token, ["kind": "progress"])
            return (s, id)
        }

        static func report(_ t: TestApp, _ id: String, token: String) async throws -> [String: Any] {
            try await t.send(.GET, "/api/v1/reports/\(id)", token: token).json()
        }

        static func section(_ report: [String: Any], _ key: String) -> String {
            (report["sections"] as? [[String: Any]] ?? []).first { $0["key"] as? String == key }?["text"] as? String ?? ""
        }

        @Test("R19 a draft is generated from the case, edited by section, submitted, approved by the team lead only, then frozen")
        func lifecycle() async throws {
            try await TestApp.run { t in
                // given
                let (s, id) = try await Self.draft(t)
                let fina = s.world.fina.token
                // then: generated from the case (period, hours from the budget ledger, goals with ratings, observations)
                var report = try await Self.report(t, id, token: fina)
                #expect(report["status"] as? String == "draft")
                #expect(report["periodFrom"] as? String == "2026-10-01")
                #expect(report["periodTo"] as? String == "2026-11-22")
                #expect(Self.section(report, "hours").contains("bewilligt: 17,33 Fachleistungsstunden; geleistet: 1,5 Fachleistungsstunden"))
                #expect(Self.section(report, "goals").contains("Ziel: Regelmäßiger Schulbesuch"))
                #expect(Self.section(report, "goals").contains("22.11.2026: 3 – teilweise erreicht – Fehltage halbiert."))
                #expect(Self.section(report, "observations").contains("Lena kam pünktlich."))
                #expect(!Self.section(report, "observations").contains("Routine trägt."))
                #expect(Self.section(report, "assessment").contains("Routine trägt."))

                // when: one section saved on its own
                let saved = try await t.send(.PUT, "/api/v1/reports/\(id)/sections/perspective", token: fina,
                                             json: ["text": "Weiter wie bisher.\n\nZweiter Absatz."])
                #expect(saved.status == .noContent)
                #expect(Self.section(try await Self.report(t, id, token: fina), "perspective") == "Weiter wie bisher.\n\nZweiter Absatz.")
                let unknown = try await t.send(.PUT, "/api/v1/reports/\(id)/sections/diary", token: fina, json: ["text": "x"])
                #expect(try unknown.problemFields() == ["key"])

                // when: submitted; the caseworker cannot approve, nor can a team lead approve their own report
                #expect(try await t.send(.POST, "/api/v1/reports/\(id)/submit", token: fina).json()["status"] as? String == "submitted")
                let byCaseworker = try await t.send(.POST, "/api/v1/reports/\(id)/approve", token: fina)
                #expect(byCaseworker.status == .forbidden)
                let own = try await t.create("/api/v1/cases/\(s.caseID)/reports", token: s.tara.token, ["kind": "short"])
                _ = try await t.send(.POST, "/api/v1/reports/\(own)/submit", token: s.tara.token)
                let ownApproval = try await t.send(.POST, "/api/v1/reports/\(own)/approve", token: s.tara.token)
                #expect(ownApproval.status == .forbidden)
                #expect(ownApproval.body.string.contains("Vier-Augen-Prinzip"))
                let approved = try await t.send(.POST, "/api/v1/reports/\(id)/approve", token: s.tara.token)
                #expect(approved.status == .ok)
                report = try approved.json()
                #expect(report["status"] as? String == "approved")
                #expect(report["approvedOn"] as? String == "2026-11-22")
                #expect(report["editable"] as? Bool == false)

                // then: an approved report is not editable, with a German message on the field
                let frozen = try await t.send(.PUT, "/api/v1/reports/\(id)/sections/perspective", token: fina, json: ["text": "Noch etwas."])
                #expect(frozen.status == .unprocessableEntity)
                #expect(try frozen.problemFields() == ["sections.perspective"])
                #expect(frozen.body.string.contains("freigegeben und kann nicht mehr bearbeitet werden"))
                #expect(Self.section(try await Self.report(t, id, token: fina), "perspective") == "Weiter wie bisher.\n\nZweiter Absatz.")
            }
        }

        @Test("R19 the DOCX download is a zip whose word/document.xml holds the case's goals and hours")
        func docx() async throws {
            try await TestApp.run { t in
                // given
                let (s, id) = try await Self.draft(t)
                // when
                let response = try await t.send(.GET, "/api/v1/reports/\(id)/docx", token: s.world.fina.token)
                // then
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.description.hasPrefix(DocxDocument.contentType) == true)
                #expect(response.headers.first(name: .contentDisposition)?.contains("Entwicklungsbericht-51.2-2026-0100.docx") == true)
                let entries = try StoredZip.read(Data(response.body.readableBytesView))
                let document = try #require(entries.first { $0.name == "word/document.xml" })
                let xml = String(decoding: document.data, as: UTF8.self)
                #expect(xml.contains("Regelmäßiger Schulbesuch"))
                #expect(xml.contains("bewilligt: 17,33 Fachleistungsstunden; geleistet: 1,5 Fachleistungsstunden"))
                #expect(xml.contains("Aktenzeichen: 51.2-2026-0100"))
                let accounting = try await t.token(.accounting)
                #expect(try await t.send(.GET, "/api/v1/reports/\(id)/docx", token: accounting).status == .forbidden)
            }
        }

        @Test("R19 R10 marking a report sent creates exactly one report entry; the family discussion is recorded")
        func sentOnce() async throws {
            try await TestApp.run { t in
                // given
                let (s, id) = try await Self.draft(t)
                let fina = s.world.fina.token
                let early = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: fina, json: [String: Any]())
                #expect(try early.problemFields() == ["status"])
                _ = try await t.send(.POST, "/api/v1/reports/\(id)/submit", token: fina)
                _ = try await t.send(.POST, "/api/v1/reports/\(id)/approve", token: s.tara.token)
                #expect(try await Self.report(t, id, token: fina)["sendWarning"] as? String != nil)
                // when
                let sent = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: fina, json: ["date": "2026-11-22"])
                let again = try await t.send(.POST, "/api/v1/reports/\(id)/sent", token: fina, json: ["date": "2026-11-22"])
                let discussed = try await t.send(.POST, "/api/v1/reports/\(id)/discussed", token: fina, json: ["date": "2026-11-21"])
                let future = try await t.send(.POST, "/api/v1/reports/\(id)/discussed", token: fina, json: ["date": "2026-11-30"])
                // then
                #expect(sent.status == .ok)
                #expect(try sent.json()["sentOn"] as? String == "2026-11-22")
                #expect(again.status == .unprocessableEntity)
                #expect(again.body.string.contains("bereits am 22.11.2026 versandt"))
                #expect(try discussed.json()["discussedWithFamilyOn"] as? String == "2026-11-21")
                #expect(try future.problemFields() == ["discussedWithFamilyOn"])
                let entries = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: fina).jsonArray()
                let reports = entries.filter { $0["kind"] as? String == "report" }
                #expect(reports.count == 1)
                #expect(reports.first?["billableMinutes"] as? Int == 60)
                #expect(reports.first?["date"] as? String == "2026-11-22")
                #expect((reports.first?["id"] as? String) == (try sent.json()["serviceEntryId"] as? String))
                // R10: the report hour counts against the budget: 90 minutes of contact + 60.
                let budget = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/budget?date=2026-11-22", token: fina).json()
                #expect(budget["usedMinutes"] as? Int == 150)
            }
        }
    }
}
