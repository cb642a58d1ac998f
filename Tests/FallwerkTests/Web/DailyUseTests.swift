@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import FallwerkWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// Issue #11, daily use: what the walkthrough on a phone, a tablet and an office screen asked for.
extension AllTests {
    @Suite("Pages for a working day (#11)")
    struct DailyUse {
        @Test("#11 R6 ending a case asks first and says what follows; only the confirmed post ends it")
        func endCaseAsksFirst() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("tara")
                try await browser.get("/faelle/\(s.caseID)/hilfeplan")
                // when the form is sent
                let asked = try await browser.post("/faelle/\(s.caseID)/beenden", [("date", "2026-11-30"), ("reason", "changeOfHelpType")])
                let stillRunning = try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db)
                // then nothing is saved yet; the page names the day, the reason and the reports that become due
                #expect(asked.status == .ok)
                let page = asked.body.string
                #expect(page.contains("zum 30.11.2026 beenden?"))
                #expect(page.contains("Wechsel der Hilfeart"))
                #expect(page.contains("Sachstandsbericht und Abschlussbericht"))
                #expect(page.contains(#"name="bestaetigt" value="ja""#))
                #expect(stillRunning?.endDate == nil)

                // when confirmed
                let confirmed = try await browser.post("/faelle/\(s.caseID)/beenden",
                                                       [("date", "2026-11-30"), ("reason", "changeOfHelpType"), ("bestaetigt", "ja")])
                let ended = try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db)
                // then
                #expect(confirmed.status == .seeOther)
                #expect(ended?.endDate == "2026-11-30")
                #expect(ended?.endReason == "changeOfHelpType")
            }
        }

        @Test("#11 R6 a wrong end day is refused on the first post with the typed values kept; nothing is saved")
        func endCaseRefusedKeepsValues() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("tara")
                try await browser.get("/faelle/\(s.caseID)/hilfeplan")
                let refused = try await browser.post("/faelle/\(s.caseID)/beenden", [("date", "2020-01-01"), ("reason", "goalsReached")])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains(#"value="2020-01-01""#))
                #expect(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db)?.endDate == nil)
            }
        }

        @Test("#11 phone numbers on the case page can be dialled from a phone")
        func phoneLinks() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let page = try await browser.get("/faelle/\(world.lenaCase)").body.string
                #expect(page.contains(#"href="tel:01712345678""#))
                #expect(page.contains(#"href="tel:03915401234""#))
                #expect(page.contains("Frau Albers"))
            }
        }

        @Test("#11 R5 management and team leads start with what is due and overdue, most urgent first; Fristen names its scope")
        func startPageShowsDue() async throws {
            try await TestApp.run { t in
                // given a case whose first care plan meeting was held on 1 October without a signed plan since
                let s = try await DocumentationAPI.setUp(t)
                _ = try await t.create("/api/v1/cases/\(s.caseID)/care-plan-meetings", token: s.world.fina.token,
                                       ["date": "2026-10-01", "kind": "initial", "state": "held"])
                let lead = WebSession(t)
                try await lead.login("tara")
                // when
                let home = try await lead.get("/").body.string
                let deadlines = try await lead.get("/fristen?bereich=team").body.string
                // then
                #expect(home.contains("Fällig und überfällig: Mein Team"))
                #expect(home.contains("51.2-2026-0100"))
                #expect(home.contains("überfällig"))
                #expect(home.contains(#"href="/fristen?bereich=team""#))
                #expect(deadlines.contains("Fristen der nächsten 8 Wochen: Mein Team"))
                #expect(deadlines.contains("Angezeigt: Mein Team."))
                #expect(deadlines.contains("Lena Sommer · 51.2-2026-0100"), "names, not only initials, for cases the viewer may see")
                // when the case ends, the final report is due and links to writing it
                try await lead.get("/faelle/\(s.caseID)/hilfeplan")
                _ = try await lead.post("/faelle/\(s.caseID)/beenden", [("date", "2026-11-22"), ("reason", "goalsReached"), ("bestaetigt", "ja")])
                let afterEnd = try await lead.get("/fristen?bereich=team").body.string
                #expect(afterEnd.contains("Abschlussbericht"))
                #expect(afterEnd.contains(#"href="/faelle/\#(s.caseID.lowercased())/berichte">Bericht schreiben"#))
            }
        }

        @Test("#11 the overview filters by team, staff, youth office, text and alerts and lists the most urgent cases first")
        func overviewFiltersAndSorts() async throws {
            try await TestApp.run { t in
                // given two running cases; Lena's has a budget, Jonas's none
                let world = try await CaseWorld.make(t)
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/approvals", token: world.managementToken,
                                       ["from": "2026-10-01", "to": "2027-03-31", "hours": "10", "per": "month"])
                try await t.addUser("mara", .management)
                let browser = WebSession(t)
                try await browser.login("mara")
                // when
                let all = try await browser.get("/uebersicht").body.string
                let byStaff = try await browser.get("/uebersicht?staffId=\(world.finaStaffID)").body.string
                let byText = try await browser.get("/uebersicht?q=Kern").body.string
                let byTeam = try await browser.get("/uebersicht?teamId=\(world.southTeamID)").body.string
                // then
                #expect(all.contains("Lena Sommer") && all.contains("Jonas Kern"))
                #expect(all.contains("die dringendsten zuerst"))
                #expect(byStaff.contains("Lena Sommer") && !byStaff.contains("Jonas Kern"))
                #expect(byText.contains("Jonas Kern") && !byText.contains("Lena Sommer"))
                #expect(byTeam.contains("Jonas Kern") && !byTeam.contains("Lena Sommer"))
                #expect(byStaff.contains(#"<option value="\#(UUID(uuidString: world.finaStaffID)!.uuidString)" selected="selected">"#))
                // the case with more alerts comes first
                let rows = all.components(separatedBy: "<tr>").dropFirst(2)
                let counts = rows.map { $0.components(separatedBy: "<li>").count - 1 }
                #expect(counts.count == 2)
                #expect(Set(counts).count == 2, "the two cases differ in alerts, so the order is tested: \(counts)")
                #expect(counts == counts.sorted(by: >), "\(counts)")
            }
        }

        @Test("#11 an entry keeps a short note; it shows on the case page with full access, never to accounting, and a too long one is refused with the text kept")
        func entryNote() async throws {
            try await TestApp.run { t in
                // given
                let s = try await CaseWorkPages.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                try await browser.get("/faelle/\(s.caseID)/leistungen/neu")
                let note = #"Schulgespräch mit Frau "Özdemir" & Klassenlehrer <Mathe>"#
                // when
                let saved = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", CaseWorkPages.entryFields("60") + [("note", note)])
                let tooLong = String(repeating: "ä", count: EntryInput.maxNoteLength + 1)
                try await browser.get("/faelle/\(s.caseID)/leistungen/neu")
                let refused = try await browser.post("/faelle/\(s.caseID)/leistungen/neu",
                                                     CaseWorkPages.entryFields("30", start: "14:00") + [("note", tooLong)])
                // then
                #expect(saved.status == .seeOther)
                #expect(try await ServiceEntryModel.query(on: t.db).all().compactMap(\.note) == [note])
                let page = try await browser.get("/faelle/\(s.caseID)").body.string
                #expect(page.contains(HTMLEscape.text(note)))
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Bitte die Kurznotiz mit höchstens 500 Zeichen angeben."))
                #expect(refused.body.string.contains(tooLong))
                // the edit form shows it again
                let entryID = try #require(try await ServiceEntryModel.query(on: t.db).first()?.id)
                let edit = try await browser.get("/faelle/\(s.caseID)/leistungen/\(entryID.uuidString.lowercased())").body.string
                #expect(edit.contains(HTMLEscape.text(note)))

                try await t.addUser("vera", .accounting)
                let accounting = WebSession(t)
                try await accounting.login("vera")
                let seen = try await accounting.get("/faelle/\(s.caseID)").body.string
                #expect(seen.contains("60 Min."))
                #expect(!seen.contains("Özdemir"))
            }
        }

        @Test("#11 the family's address is kept on the case for home visits; a half address is refused with the typed values kept")
        func familyAddress() async throws {
            try await TestApp.run { t in
                // given
                let s = try await CaseWorkPages.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let before = try await browser.get("/faelle/\(s.caseID)").body.string
                try await browser.get("/faelle/\(s.caseID)/anschrift")
                // when
                let half = try await browser.post("/faelle/\(s.caseID)/anschrift", [("familyAddress.street", #"Am "Grünen" Weg 3"#)])
                let saved = try await browser.post("/faelle/\(s.caseID)/anschrift",
                                                   [("familyAddress.street", #"Am "Grünen" Weg 3"#), ("familyAddress.postalCode", "44137"),
                                                    ("familyAddress.city", "Dortmund")])
                let after = try await browser.get("/faelle/\(s.caseID)").body.string
                // then
                #expect(before.contains("Anschrift eintragen"))
                #expect(half.status == .unprocessableEntity)
                #expect(half.body.string.contains("Bitte die Postleitzahl angeben."))
                #expect(half.body.string.contains(#"value="Am &quot;Grünen&quot; Weg 3""#))
                #expect(saved.status == .seeOther)
                #expect(after.contains(#"Am "Grünen" Weg 3, 44137 Dortmund"#))
                let model = try #require(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db))
                #expect(model.familyCity == "Dortmund")

                // accounting sees no address
                try await t.addUser("vera", .accounting)
                let accounting = WebSession(t)
                try await accounting.login("vera")
                #expect(!(try await accounting.get("/faelle/\(s.caseID)").body.string.contains("Dortmund")))
                #expect(try await accounting.get("/faelle/\(s.caseID)/anschrift").status != .ok)
                // opening the address page is an audited read (R31)
                func reads() async throws -> Int {
                    try await AuditEntryModel.query(on: t.db).all().filter { $0.action == "read" && $0.entityID?.lowercased() == s.caseID.lowercased() }.count
                }
                let readsBefore = try await reads()
                #expect(try await browser.get("/faelle/\(s.caseID)/anschrift").status == .ok)
                #expect(try await reads() == readsBefore + 1)
            }
        }

        @Test("#11 the API keeps an entry's note and the family's address, and shows neither to accounting")
        func noteAndAddressThroughTheAPI() async throws {
            try await TestApp.run { t in
                // given
                let s = try await CaseWorkPages.setUp(t)
                let login = try await t.send(.POST, "/api/v1/session", json: ["username": "fina", "password": TestApp.password])
                let fina = try login.json()["token"] as? String ?? ""
                let accounting = try await t.token(.accounting)
                // when
                _ = try await t.create("/api/v1/cases/\(s.caseID)/entries", token: fina,
                                       ["date": "2026-11-20", "start": "10:00", "minutes": 60, "kind": "direct", "note": "Elterngespräch"])
                let tooLong = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/entries", token: fina,
                                               json: ["date": "2026-11-20", "start": "14:00", "minutes": 60, "kind": "direct",
                                                      "note": String(repeating: "x", count: 501)])
                let put = try await t.send(.PUT, "/api/v1/cases/\(s.caseID)/family-address", token: fina,
                                           json: ["street": "Lindenweg 4", "postalCode": "44137", "city": "Dortmund"])
                let half = try await t.send(.PUT, "/api/v1/cases/\(s.caseID)/family-address", token: fina, json: ["city": "Dortmund"])
                let entries = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: fina).body.string
                let entriesForAccounting = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: accounting).body.string
                let caseJSON = try await t.send(.GET, "/api/v1/cases/\(s.caseID)", token: fina).body.string
                let caseForAccounting = try await t.send(.GET, "/api/v1/cases/\(s.caseID)", token: accounting).body.string
                let byAccounting = try await t.send(.PUT, "/api/v1/cases/\(s.caseID)/family-address", token: accounting, json: ["city": "X"])
                // then
                #expect(tooLong.status == .unprocessableEntity)
                #expect(try tooLong.problemFields() == ["note"])
                #expect(put.status == .noContent)
                #expect(half.status == .unprocessableEntity)
                #expect(try half.problemFields().sorted() == ["familyAddress.postalCode", "familyAddress.street"])
                #expect(entries.contains("Elterngespräch"))
                #expect(!entriesForAccounting.contains("Elterngespräch"))
                #expect(caseJSON.contains("Lindenweg 4"))
                #expect(!caseForAccounting.contains("Lindenweg"))
                #expect(byAccounting.status == .forbidden)
            }
        }

        @Test("#11 the care plan page shows no internal rule codes")
        func noRuleCodes() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let page = try await browser.get("/faelle/\(s.caseID)/hilfeplan").body.string
                #expect(page.contains("Hilfe"))
                #expect(page.range(of: #"\(R[0-9]+\)"#, options: .regularExpression) == nil)
            }
        }
    }
}
