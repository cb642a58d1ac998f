@testable import FallwerkApp
@testable import FallwerkStore
import FallwerkWeb
import Fluent
import Foundation
import Testing
import Vapor

/// Care plan meetings and received documents are corrected by a new version; the earlier one stays
/// readable (issue 10, "corrections users need daily"), and the deadlines follow the current version (R3, R5).
extension AllTests {
    @Suite("Care plan corrections")
    struct CarePlanVersionTests {
        static func carePlan(_ t: TestApp, _ caseID: String, token: String) async throws -> [String: Any] {
            try await t.send(.GET, "/api/v1/cases/\(caseID)/care-plan", token: token).json()
        }

        @Test("R3 R5 a corrected meeting keeps its id and its earlier version; the deadlines follow the correction; the log keeps no words")
        func meetingCorrection() async throws {
            try await TestApp.run { t in
                // given a held first meeting
                let world = try await CaseWorld.make(t)
                let fina = try await CarePlanCycle.login(t, "fina")
                let base = "/api/v1/cases/\(world.lenaCase)"
                let outcome = #"Mutter: "Wir schaffen das" – Lena möchte <mehr> Zeit & 'Ruhe'."#
                let id = try await t.create(base + "/care-plan-meetings", token: fina,
                                            ["date": "2026-10-01", "kind": "initial", "state": "held", "participants": ["Frau Albers"], "outcome": outcome])
                // when the date was typed wrong and is corrected
                let corrected = try await t.send(.PUT, base + "/care-plan-meetings/\(id)", token: fina,
                                                 json: ["date": "2026-10-02", "kind": "initial", "state": "held",
                                                        "participants": ["Frau Albers", "Lena"], "outcome": outcome + " Ergänzt."])
                #expect(corrected.status == .noContent)
                // then the meeting is version 2 with the same id, and version 1 is readable as it was
                let plan = try await Self.carePlan(t, world.lenaCase, token: fina)
                let meetings = try #require(plan["meetings"] as? [[String: Any]])
                #expect(meetings.count == 1)
                let meeting = try #require(meetings.first)
                #expect(meeting["id"] as? String == id.lowercased())
                #expect(meeting["version"] as? Int == 2)
                #expect(meeting["date"] as? String == "2026-10-02")
                let earlier = try #require(meeting["earlierVersions"] as? [[String: Any]])
                #expect(earlier.count == 1)
                #expect(earlier.first?["version"] as? Int == 1)
                #expect(earlier.first?["date"] as? String == "2026-10-01")
                #expect(earlier.first?["outcome"] as? String == outcome)
                #expect(earlier.first?["participants"] as? [String] == ["Frau Albers"])
                #expect(earlier.first?["replacedAt"] as? String != nil)
                // and the deadlines count from the corrected day (R5: signed plan 14 days after the meeting)
                let due = try await CarePlanCycle.deadlines(t, world.lenaCase, token: fina)
                #expect(due["signedCarePlan"]?["due"] as? String == "2026-10-16")
                // saving the same again adds no version
                _ = try await t.send(.PUT, base + "/care-plan-meetings/\(id)", token: fina,
                                     json: ["date": "2026-10-02", "kind": "initial", "state": "held",
                                            "participants": ["Frau Albers", "Lena"], "outcome": outcome + " Ergänzt."])
                let again = try #require((try await Self.carePlan(t, world.lenaCase, token: fina)["meetings"] as? [[String: Any]])?.first)
                #expect(again["version"] as? Int == 2)
                // the audit names the changed fields, never their values: neither the outcome's words nor the date (R31, R32)
                let audit = try await AuditEntryModel.query(on: t.db).filter(\.$entity == "carePlanMeeting").all()
                #expect(audit.contains { $0.action == "update" && $0.changes.contains("\"date\"") })
                #expect(!audit.contains { $0.changes.contains("2026-10-02") })
                #expect(!audit.contains { $0.changes.contains("schaffen") || $0.changes.contains("Lena") })
            }
        }

        @Test("R5 a received document is corrected by a new version: the deadline follows, the earlier version stays; another case's document is not found")
        func documentCorrection() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let fina = try await CarePlanCycle.login(t, "fina")
                let base = "/api/v1/cases/\(world.lenaCase)"
                _ = try await t.create(base + "/care-plan-meetings", token: fina, ["date": "2026-10-01", "kind": "initial", "state": "held"])
                let document = try await t.create(base + "/care-plan-documents", token: fina, ["kind": "signedCarePlan", "receivedOn": "2026-10-20"])
                // when the day of arrival is corrected
                let put = try await t.send(.PUT, base + "/care-plan-documents/\(document)", token: fina,
                                           json: ["kind": "signedCarePlan", "receivedOn": "2026-10-12"])
                #expect(put.status == .noContent)
                // then the deadline is done on the corrected day, and the first version is kept
                let due = try await CarePlanCycle.deadlines(t, world.lenaCase, token: fina)
                #expect(due["signedCarePlan"]?["doneOn"] as? String == "2026-10-12")
                let documents = try #require(try await Self.carePlan(t, world.lenaCase, token: fina)["documents"] as? [[String: Any]])
                #expect(documents.count == 1)
                #expect(documents.first?["version"] as? Int == 2)
                let earlier = try #require(documents.first?["earlierVersions"] as? [[String: Any]])
                #expect(earlier.first?["receivedOn"] as? String == "2026-10-20")
                // a bad day is refused on its field and changes nothing
                let future = try await t.send(.PUT, base + "/care-plan-documents/\(document)", token: fina,
                                              json: ["kind": "signedCarePlan", "receivedOn": "2027-01-01"])
                #expect(future.status == .unprocessableEntity)
                #expect(try future.problemFields() == ["receivedOn"])
                // a document id of this case under another case is not found
                let elsewhere = try await t.send(.PUT, "/api/v1/cases/\(world.jonasCase)/care-plan-documents/\(document)", token: world.managementToken,
                                                 json: ["kind": "signedCarePlan", "receivedOn": "2026-10-12"])
                #expect(elsewhere.status == .notFound)
                let versions = try await CarePlanVersionModel.query(on: t.db).count()
                #expect(versions == 1)
            }
        }

        @Test("R5 on the page 'korrigieren' fills the document form; the meeting's earlier version shows with quotes and umlauts escaped")
        func pageCorrection() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let fina = try await CarePlanCycle.login(t, "fina")
                let base = "/api/v1/cases/\(world.lenaCase)"
                let outcome = #"Vater: "Nicht <jetzt>" & 'später' – Überprüfung."#
                let meeting = try await t.create(base + "/care-plan-meetings", token: fina,
                                                 ["date": "2026-10-01", "kind": "initial", "state": "held", "outcome": outcome])
                let document = try await t.create(base + "/care-plan-documents", token: fina, ["kind": "costApproval", "receivedOn": "2026-10-20"])
                let page = WebSession(t, live: true)
                try await page.login("fina")
                let path = "/faelle/\(world.lenaCase.lowercased())/hilfeplan"
                // the meeting is corrected on the page
                let saved = try await page.post(path + "/gespraeche", [("meetingId", meeting.lowercased()), ("date", "2026-10-01"), ("kind", "initial"),
                                                                       ("state", "held"), ("outcome", "Neu gefasst.")])
                #expect(saved.status == .seeOther)
                // the document form opens filled for a correction
                let form = try await page.get(path + "?dokument=\(document.lowercased())").body.string
                #expect(form.contains("Eingang korrigieren"))
                #expect(form.contains(#"name="documentId" value="\#(document.lowercased())""#))
                #expect(form.contains(#"value="2026-10-20""#))
                let corrected = try await page.post(path + "/dokumente", [("documentId", document.lowercased()), ("kind", "costApproval"),
                                                                          ("receivedOn", "2026-10-14")])
                #expect(corrected.status == .seeOther)
                // then both earlier versions are readable on the page, escaped
                let html = try await page.get(path).body.string
                #expect(html.contains("Fassung 2 · frühere Fassungen"))
                #expect(html.contains(HTMLEscape.text(outcome)))
                #expect(!html.contains(outcome))
                #expect(html.contains("Fassung 1: Kostenzusage, eingegangen am 20.10.2026"))
                #expect(html.contains("14.10.2026"))
            }
        }
    }
}
