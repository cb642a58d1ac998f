@testable import FallwerkApp
@testable import FallwerkStore
import Fluent
import FallwerkWeb
import Foundation
import Testing
import Vapor

/// A note is corrected by a new version; the earlier one stays readable (R18, issue 10 "corrections
/// users need daily").
extension AllTests {
    @Suite("Note corrections")
    struct NoteCorrectionTests {
        @Test("R18 a correction is a new version: both stay readable and linked; only the current version of one's own note is corrected")
        func apiCorrection() async throws {
            try await TestApp.run { t in
                // given fina's note and a substitute colleague on the case
                let s = try await DocumentationAPI.setUp(t)
                let fina = s.world.fina.token
                let first = try await t.create("/api/v1/cases/\(s.caseID)/notes", token: fina,
                                               ["date": "2026-11-20", "observation": "Lena kam zu spät.", "assessment": "Müde."])
                let cora = try await s.world.member("cora", [.caseworker], team: s.world.northTeamID)
                try await s.world.addSubstitute(s.caseID, staffID: cora.staffID, from: "2026-11-01", to: "2026-12-31")
                // when fina corrects it
                let second = try await t.create("/api/v1/cases/\(s.caseID)/notes", token: fina,
                                                ["date": "2026-11-20", "observation": "Lena kam pünktlich.", "correctsNoteId": first])
                // then both are there, linked both ways, the earlier one unchanged
                let all = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/notes", token: fina).jsonArray()
                #expect(all.count == 2)
                let old = try #require(all.first { ($0["id"] as? String) == first.lowercased() })
                let new = try #require(all.first { ($0["id"] as? String) == second.lowercased() })
                #expect(old["observation"] as? String == "Lena kam zu spät.")
                #expect(old["correctedByNoteId"] as? String == second.lowercased())
                #expect(new["correctsNoteId"] as? String == first.lowercased())
                #expect(new["correctedByNoteId"] == nil)
                // an earlier version is not corrected again; a colleague does not correct fina's note; the team lead does
                let again = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/notes", token: fina,
                                             json: ["date": "2026-11-20", "observation": "x", "correctsNoteId": first])
                #expect(again.status == .unprocessableEntity)
                #expect(try again.problemFields() == ["correctsNoteId"])
                let colleague = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/notes", token: cora.token,
                                                 json: ["date": "2026-11-20", "observation": "x", "correctsNoteId": second])
                #expect(colleague.status == .forbidden)
                let lead = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/notes", token: s.tara.token,
                                            json: ["date": "2026-11-20", "observation": "Lena kam pünktlich (Schule bestätigt).", "correctsNoteId": second])
                #expect(lead.status == .created)
                #expect(try await t.send(.GET, "/api/v1/cases/\(s.caseID)/notes", token: fina).jsonArray().count == 3)
                // the audit names the corrected note, never the words
                let audit = try await AuditEntryModel.query(on: t.db).filter(\.$entity == "note").filter(\.$action == "create").all()
                #expect(audit.contains { $0.changes.contains(first.lowercased()) || $0.changes.contains(first.uppercased()) })
                #expect(!audit.contains { $0.changes.contains("pünktlich") })
            }
        }

        @Test("R18 on the page 'Korrigieren' fills the form with the note, keeps quotes and umlauts, and shows the earlier version as such")
        func pageCorrection() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let typed = #"Mutter sagte: "Wir schaffen das" – <nicht> & 'sicher'. "# + String(repeating: "Ärger über Öl ", count: 200) + "Ende."
                let first = try await t.create("/api/v1/cases/\(s.caseID)/notes", token: s.world.fina.token,
                                               ["date": "2026-11-20", "observation": typed])
                let page = WebSession(t, live: true)
                try await page.login("fina")
                let path = "/faelle/\(s.caseID.lowercased())/verlauf"
                // when fina opens the correction
                let form = try await page.get(path + "?korrigieren=\(first.lowercased())")
                #expect(form.status == .ok)
                #expect(form.body.string.contains("Notiz korrigieren"))
                #expect(form.body.string.contains(HTMLEscape.text(typed)))
                #expect(form.body.string.contains(#"name="correctsNoteId" value="\#(first.lowercased())""#))
                // and saves the corrected text (a streamed form post of over 3,000 characters)
                let corrected = typed + " Nachtrag: am Abend telefonisch bestätigt."
                let saved = try await page.post(path, [("correctsNoteId", first.lowercased()), ("date", "2026-11-20"), ("observation", corrected)])
                #expect(saved.status == .seeOther)
                // then the list shows the new version and the earlier one, marked
                let list = try await page.get(path).body.string
                #expect(list.contains("Frühere Fassung, korrigiert durch die Fassung vom 20.11.2026"))
                #expect(list.contains(HTMLEscape.text("Nachtrag: am Abend telefonisch bestätigt.")))
                let notes = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/notes", token: s.world.fina.token).jsonArray()
                #expect(notes.contains { $0["observation"] as? String == corrected })
                #expect(notes.contains { $0["observation"] as? String == typed })
            }
        }
    }
}
