@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Documentation pages")
    struct DocumentationPages {
        @Test("R18 R20 the note form sets observation apart from assessment, warns about diaries and keeps what was typed after a failed save")
        func noteForm() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                // when
                let page = try await browser.get("/faelle/\(s.caseID)/verlauf")
                let failed = try await browser.post("/faelle/\(s.caseID)/verlauf",
                                                    [("date", "2026-11-20"), ("observation", ""), ("assessment", "Nur meine Deutung")])
                let saved = try await browser.post("/faelle/\(s.caseID)/verlauf",
                                                   [("date", "2026-11-20"), ("observation", "Lena sagte: „Heute war gut.“"),
                                                    ("assessment", "Stimmung stabil")])
                let found = try await browser.get("/faelle/\(s.caseID)/verlauf?q=heute")
                let missed = try await browser.get("/faelle/\(s.caseID)/verlauf?q=streit")
                // then
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Beobachtung: was ist passiert, was wurde gesagt?"))
                #expect(page.body.string.contains("Einschätzung: wie bewerte ich das fachlich?"))
                #expect(page.body.string.contains("Tagebuch"))
                #expect(failed.status == .unprocessableEntity)
                #expect(failed.body.string.contains("Nur meine Deutung"))
                #expect(failed.body.string.contains("Bitte die Beobachtung (was geschehen ist) angeben."))
                #expect(saved.status == .seeOther)
                #expect(found.body.string.contains("Lena sagte: „Heute war gut.“"))
                #expect(found.body.string.contains("Stimmung stabil"))
                #expect(!missed.body.string.contains("Heute war gut"))
            }
        }

        @Test("R18 goals page: a SMART goal and a rating; a rating without reason comes back with the message")
        func goalPage() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                try await browser.get("/faelle/\(s.caseID)/ziele")
                // when
                let created = try await browser.post("/faelle/\(s.caseID)/ziele", [
                    ("title", "Schulbesuch"), ("specific", "An allen Schultagen"), ("measurable", "Klassenbuch"),
                    ("timeBound", "2027-03-31"), ("status", "inProgress"),
                ])
                let goals = try await GoalStore.records(caseID: UUID(uuidString: s.caseID)!, on: t.db)
                let goalID = try #require(goals.first?.id)
                let page = try await browser.get("/faelle/\(s.caseID)/ziele")
                let failed = try await browser.post("/faelle/\(s.caseID)/ziele/\(goalID.uuidString.lowercased())/bewertungen",
                                                    [("value", "4"), ("ratedOn", "2026-11-22"), ("reason", "")])
                let rated = try await browser.post("/faelle/\(s.caseID)/ziele/\(goalID.uuidString.lowercased())/bewertungen",
                                                   [("value", "4"), ("ratedOn", "2026-11-22"), ("reason", "Ein Fehltag")])
                let after = try await browser.get("/faelle/\(s.caseID)/ziele")
                // then
                #expect(created.status == .seeOther)
                #expect(page.body.string.contains("Was genau?"))
                #expect(page.body.string.contains("An allen Schultagen"))
                #expect(failed.status == .unprocessableEntity)
                #expect(failed.body.string.contains("Bitte eine kurze Begründung der Bewertung angeben."))
                #expect(rated.status == .seeOther)
                #expect(after.body.string.contains("22.11.2026: 4 – überwiegend erreicht"))
            }
        }

        @Test("R19 a report draft survives a failed section save, every saved section persists, approved reports show no form; print view and DOCX")
        func reportPage() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let casePage = try await browser.get("/faelle/\(s.caseID)")
                #expect(casePage.body.string.contains("/faelle/\(s.caseID)/ziele"))
                #expect(casePage.body.string.contains("/faelle/\(s.caseID)/verlauf"))
                #expect(casePage.body.string.contains("/faelle/\(s.caseID)/berichte"))
                try await browser.get("/faelle/\(s.caseID)/berichte")
                // when
                let generated = try await browser.post("/faelle/\(s.caseID)/berichte", [("kind", "progress"), ("periodFrom", ""), ("periodTo", "")])
                let location = try #require(generated.headers.first(name: .location))
                let reportID = String(location.split(separator: "/").last ?? "")
                try await browser.get(location)
                let tooLong = "MEIN-ENTWURF " + String(repeating: "x", count: Report.maxSectionLength)
                let failed = try await browser.post("/berichte/\(reportID)/abschnitte",
                                                    [("sections.perspective", tooLong), ("sections.goals", "ZIELE-GETIPPT"), ("nach", "perspective")])
                let saved = try await browser.post("/berichte/\(reportID)/abschnitte",
                                                   [("sections.perspective", "Neue Perspektive"), ("sections.goals", "Ziele neu"), ("nach", "goals")])
                let reloaded = try await browser.get(location)
                // then
                #expect(generated.status == .seeOther)
                #expect(failed.status == .unprocessableEntity)
                #expect(failed.body.string.contains("MEIN-ENTWURF"))
                #expect(failed.body.string.contains("höchstens 20000 Zeichen"))
                #expect(failed.body.string.contains("ZIELE-GETIPPT"), "the other section's typed text is kept (#11)")
                #expect(saved.status == .seeOther)
                #expect(saved.headers.first(name: .location)?.hasSuffix("#abschnitt-goals") == true)
                #expect(reloaded.body.string.contains("Neue Perspektive"))
                #expect(reloaded.body.string.contains("Ziele neu"), "every section is saved by one button (#11)")
                #expect(reloaded.body.string.contains("Zur Freigabe vorlegen"))

                // when: submitted and approved by the team lead
                #expect(try await browser.post("/berichte/\(reportID)/vorlegen", []).status == .seeOther)
                let lead = WebSession(t)
                try await lead.login("tara")
                try await lead.get(location)
                #expect(try await lead.post("/berichte/\(reportID)/freigeben", []).status == .seeOther)
                let approved = try await browser.get(location).body.string
                let print = try await browser.get("/berichte/\(reportID)/druck")
                let docx = try await browser.get("/berichte/\(reportID)/bericht.docx")
                // then
                #expect(approved.contains("freigegeben"))
                #expect(!approved.contains("/berichte/\(reportID)/abschnitte"))
                #expect(approved.contains("An das Jugendamt versandt am"))
                #expect(print.status == .ok)
                #expect(print.body.string.contains("Entwicklungsbericht"))
                #expect(print.body.string.contains("Neue Perspektive"))
                #expect(docx.headers.first(name: .contentType) == DocxDocument.contentType)
                #expect(try StoredZip.read(Data(docx.body.readableBytesView)).contains { $0.name == "word/document.xml" })
            }
        }

        @Test("R31 accounting gets no documentation pages and no links to them")
        func accountingPages() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                try await t.addUser("vera", .accounting)
                let browser = WebSession(t)
                try await browser.login("vera")
                let casePage = try await browser.get("/faelle/\(s.caseID)")
                #expect(casePage.status == .ok)
                #expect(!casePage.body.string.contains("/verlauf"))
                #expect(try await browser.get("/faelle/\(s.caseID)/verlauf").status == .forbidden)
                #expect(try await browser.get("/faelle/\(s.caseID)/berichte").status == .forbidden)
            }
        }
    }
}
