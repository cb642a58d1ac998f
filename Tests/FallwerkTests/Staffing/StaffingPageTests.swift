@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// People and capacity (issue 14) through the pages: every new route × role, and the forms as a
/// team lead and a caseworker use them.
extension AllTests {
    @Suite("People and capacity (pages)")
    struct StaffingPageTests {
        /// The world of a page test: fina leads a case; a request, an absence of fina and a shift exist;
        /// `probe` signs in with `role`, has a staff record in team Nord and leads it when a team lead.
        struct World {
            let w: CaseAPIWorld
            let caseID: String
            let requestID: String
            let absenceID: String
            let shiftID: String
            let probe: CaseAPIWorld.Member
            let browser: WebSession

            static func make(_ t: TestApp, role: Role) async throws -> World {
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-1000"))
                let requestID = try await t.create("/api/v1/requests", token: w.management,
                                                   ["youthOfficeId": w.officeID, "offerId": w.offerID, "receivedOn": "2026-11-20", "hours": "5",
                                                    "per": "week", "reason": "Anlass"])
                let absenceID = try await t.create("/api/v1/staff/\(w.fina.staffID)/absences", token: w.management,
                                                   ["from": "2026-12-01", "to": "2026-12-10", "kind": "vacation"])
                let shiftID = try await t.create("/api/v1/on-call", token: w.management,
                                                 ["staffId": w.fina.staffID, "from": "2026-11-22T08:00", "to": "2026-11-23T08:00"])
                let probe = try await w.member("probe", [role], team: w.northTeamID, lastName: "Probe")
                if role == .teamLead { try await w.setTeamLead(w.northTeamID, name: "Team Nord", staffID: probe.staffID) }
                let browser = WebSession(t)
                try await browser.login("probe")
                return World(w: w, caseID: caseID, requestID: requestID, absenceID: absenceID, shiftID: shiftID, probe: probe, browser: browser)
            }
        }

        @Test("R31 issue 14: every new page × role; standards of others only for management and the own team lead", arguments: Role.allCases)
        func pagesByRole(role: Role) async throws {
            try await TestApp.run { t in
                let s = try await World.make(t, role: role)
                let planner = role == .teamLead || role == .management
                // What a role may not open answers 403; a record it may not know answers 404.
                let gets: [(String, HTTPStatus)] = [
                    ("/anfragen", planner ? .ok : .forbidden),
                    ("/anfragen/\(s.requestID)", planner ? .ok : .forbidden),
                    ("/personalstandards", planner ? .ok : .forbidden),
                    ("/mitarbeitende/\(s.w.fina.staffID)/standards", planner ? .ok : .notFound),
                    ("/mitarbeitende/\(s.probe.staffID)/standards", .ok),
                    ("/abwesenheiten/\(s.absenceID)", planner ? .ok : .forbidden),
                    ("/rufbereitschaft", .ok),
                    ("/faelle/\(s.caseID)/verselbstaendigung", planner ? .ok : [.caseworker].contains(role) ? .notFound : .forbidden),
                ]
                for (path, expected) in gets {
                    let page = try await s.browser.get(path)
                    #expect(page.status == expected, "\(role) GET \(path): \(page.status)")
                    if page.status == .ok { #expect(!page.body.string.contains("Error"), "\(role) \(path)") }
                }
                _ = try await s.browser.get("/")
                let posts: [(String, [(String, String)], HTTPStatus)] = [
                    ("/anfragen", [("receivedOn", "2026-11-21"), ("youthOfficeId", s.w.officeID), ("offerId", s.w.offerID), ("hours", "4"),
                                   ("per", "week"), ("urgency", "normal"), ("reason", "Anlass")], planner ? .seeOther : .forbidden),
                    ("/mitarbeitende/\(s.w.fina.staffID)/abwesenheiten", [("from", "2027-01-04"), ("to", "2027-01-08"), ("kind", "training")],
                     planner ? .seeOther : .forbidden),
                    ("/mitarbeitende/\(s.probe.staffID)/nachweise", [("kind", "training"), ("date", "2026-11-20"), ("title", "Kinderrechte"),
                                                                     ("hours", "3")], .seeOther),
                    ("/mitarbeitende/\(s.w.fina.staffID)/nachweise", [("kind", "training"), ("date", "2026-11-20"), ("title", "Kinderrechte"),
                                                                      ("hours", "3")], planner ? .seeOther : .notFound),
                    ("/mitarbeitende/\(s.probe.staffID)/nachweise", [("kind", "certificate"), ("date", "2026-11-20")],
                     planner ? .seeOther : .forbidden),
                    ("/rufbereitschaft", [("staffId", s.w.fina.staffID), ("from", "2026-11-25T08:00"), ("to", "2026-11-26T08:00")],
                     planner ? .seeOther : .forbidden),
                    ("/rufbereitschaft/\(s.shiftID)/entfernen", [], planner ? .seeOther : .forbidden),
                    ("/anfragen/\(s.requestID)/ablehnen", [("reason", "Kein Team frei in diesem Stadtteil.")], planner ? .seeOther : .forbidden),
                ]
                for (path, fields, expected) in posts {
                    let response = try await s.browser.post(path, fields)
                    #expect(response.status == expected, "\(role) POST \(path): \(response.status) \(response.body.string.prefix(300))")
                }
            }
        }

        @Test("R31 issue 14: the navigation offers intake and standards to planners and the rota to all who work on cases")
        func navigation() {
            for role in [Role.teamLead, .management] {
                #expect(Layout.navigationTitles(for: [role]).contains("Anfragen"), "\(role)")
                #expect(Layout.navigationTitles(for: [role]).contains("Personal"), "\(role)")
            }
            for role in [Role.caseworker, .accounting, .admin] {
                #expect(!Layout.navigationTitles(for: [role]).contains("Anfragen"), "\(role)")
                #expect(!Layout.navigationTitles(for: [role]).contains("Personal"), "\(role)")
            }
            #expect(Layout.navigationTitles(for: [.caseworker]).contains("Rufbereitschaft"))
            // Issue 15: statistics for management, team leads and accounting.
            for role in Role.allCases {
                #expect(Layout.navigationTitles(for: [role]).contains("Statistik") == [.management, .teamLead, .accounting].contains(role), "\(role)")
            }
        }

        @Test("R1 R2 a team lead records a request with quotes and umlauts, picks from the capacity list and accepts it once")
        func teamLeadAcceptsFromTheCapacityList() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t, role: .teamLead)
                let reason = #"Mutter sagt: "Ich schaffe das nicht" – Schulabsentismus <seit> Oktober & Umzug; Überforderung, Sohn ’Ömer’"#
                let created = try await s.browser.post("/anfragen", [("receivedOn", "2026-11-21"), ("youthOfficeId", s.w.officeID),
                                                                     ("offerId", s.w.offerID), ("contact", "Frau Schäfer"), ("hours", "6,5"),
                                                                     ("per", "week"), ("urgency", "urgent"), ("reason", reason), ("initials", "Ö. K.")])
                #expect(created.status == .seeOther)
                let location = try #require(created.headers.first(name: .location))
                let page = try await s.browser.get(location)
                #expect(page.status == .ok)
                let html = page.body.string
                // The reason comes back as typed, escaped.
                #expect(html.contains("Mutter sagt: &quot;Ich schaffe das nicht&quot; – Schulabsentismus &lt;seit&gt; Oktober &amp; Umzug") ||
                        html.contains("Mutter sagt: \"Ich schaffe das nicht\" – Schulabsentismus &lt;seit&gt; Oktober &amp; Umzug"))
                #expect(html.contains("6,5 Std. pro Woche"))
                #expect(html.contains("Freie Kapazität"))
                #expect(html.contains("Fink"))
                // "auswählen" pre-selects the lead in the accept form.
                let picked = try await s.browser.get(location + "?lead=\(s.probe.staffID.lowercased())")
                #expect(picked.body.string.contains(#"value="\#(s.probe.staffID.lowercased())" selected"#))
                let requestPath = String(location.split(separator: "?")[0])
                let fields = [("leadStaffId", s.probe.staffID.lowercased()), ("fileNumber", "51.2-2026-1111"), ("startDate", "2026-11-23"),
                              ("youngPerson.firstName", "Ömer"), ("youngPerson.lastName", "Kılıç"), ("youngPerson.birthDate", "2012-03-04")]
                let accepted = try await s.browser.post(requestPath + "/annehmen", fields)
                #expect(accepted.status == .seeOther, "\(accepted.body.string.prefix(500))")
                #expect(accepted.headers.first(name: .location)?.hasPrefix("/faelle/") == true)
                let again = try await s.browser.post(requestPath + "/annehmen", fields)
                #expect(again.status == .unprocessableEntity)
                #expect(again.body.string.contains("schon entschieden"))
            }
        }

        @Test("R1 R30 3,000 characters with quotes, <, >, & and umlauts, posted as a browser streams them, come back exactly")
        func longInputReadBack() async throws {
            try await TestApp.run { t in
                _ = try await World.make(t, role: .management)
                let browser = WebSession(t, live: true)
                try await browser.login("probe")
                let line = #"Mutter: "Wir schaffen das nicht" – Schulweg <unsicher> & Übergänge schwierig; Großvater ’Jürgen’ hilft. "#
                let text = String(String(repeating: line, count: 40).prefix(3_000))
                let offices = try await t.send(.GET, "/api/v1/youth-offices", token: try await t.token(.management)).jsonArray()
                let offers = try await t.send(.GET, "/api/v1/offers", token: try await t.token(.management)).jsonArray()
                _ = try await browser.get("/anfragen")
                let created = try await browser.post("/anfragen", [("receivedOn", "2026-11-21"), ("youthOfficeId", offices[0]["id"] as! String),
                                                                   ("offerId", offers[0]["id"] as! String), ("hours", "5"), ("per", "week"),
                                                                   ("urgency", "normal"), ("reason", text)])
                #expect(created.status == .seeOther, "\(created.body.string.prefix(500))")
                let requests = try await t.send(.GET, "/api/v1/requests", token: try await t.token(.management)).jsonArray()
                #expect(requests.contains { $0["reason"] as? String == text.trimmingCharacters(in: .whitespaces) })
                // Too long: refused in German, the typed text kept in the form.
                let tooLong = try await browser.post("/anfragen", [("receivedOn", "2026-11-21"), ("reason", text + text)])
                #expect(tooLong.status == .unprocessableEntity)
                #expect(tooLong.body.string.contains("höchstens 4000 Zeichen"))
                #expect(tooLong.body.string.contains("Großvater ’Jürgen’ hilft."))
                // The Leistungsbericht's text section.
                let report = try await t.create("/api/v1/performance-reports", token: try await t.token(.management), ["from": "2025-01-01", "to": "2026-10-31"])
                _ = try await browser.get("/leistungsberichte/\(report)")
                let saved = try await browser.post("/leistungsberichte/\(report)/abschnitte/quality", [("text", text)])
                #expect(saved.status == .seeOther, "\(saved.body.string.prefix(500))")
                let stored = try await t.send(.GET, "/api/v1/performance-reports/\(report)", token: try await t.token(.management)).json()
                #expect((stored["texts"] as? [String: String])?["quality"] == text.trimmingCharacters(in: .whitespaces))
            }
        }

        @Test("R24 R25 the standards page shows each person's state and prints; a caseworker records a training on the own page")
        func standardsPageAndOwnRecord() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t, role: .management)
                _ = try await t.create("/api/v1/staff/\(s.w.fina.staffID)/certificates", token: s.w.management, ["issuedOn": "2021-12-20"])
                let page = try await s.browser.get("/personalstandards?jahr=2026")
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("Personalstandards 2026"))
                #expect(html.contains("gültig bis 19.12.2026"))
                #expect(html.contains("bald fällig"))
                #expect(html.contains(#"data-print="true""#))
                #expect(html.contains("/assets/drucken.js"))
                // fina records her own training and sees it.
                let fina = WebSession(t)
                try await fina.login("fina")
                _ = try await fina.get("/mitarbeitende/\(s.w.fina.staffID)/standards")
                let saved = try await fina.post("/mitarbeitende/\(s.w.fina.staffID)/nachweise",
                                                [("kind", "training"), ("date", "2026-11-20"), ("title", "Traumapädagogik „Grundlagen“"), ("hours", "7,5")])
                #expect(saved.status == .seeOther)
                let own = try await fina.get("/mitarbeitende/\(s.w.fina.staffID)/standards")
                #expect(own.body.string.contains("Traumapädagogik „Grundlagen“"))
                #expect(own.body.string.contains("7,5 von 15,6 Std."))
                // Bad input keeps what was typed and says what is wrong in German.
                let bad = try await fina.post("/mitarbeitende/\(s.w.fina.staffID)/nachweise",
                                              [("kind", "training"), ("date", "2026-11-20"), ("title", "Langer Kurs"), ("hours", "100")])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("höchstens 40 Stunden"))
                #expect(bad.body.string.contains(#"value="Langer Kurs""#))
            }
        }

        @Test("R1 R24 R28 start pages: who is on call for everyone; overdue requests, certificates and next month's rota gaps for planners")
        func startPages() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t, role: .teamLead)
                // A request received 8 days ago is overdue with the default of 7 days (R1).
                _ = try await t.create("/api/v1/requests", token: s.w.management,
                                       ["youthOfficeId": s.w.officeID, "offerId": s.w.offerID, "receivedOn": "2026-11-14", "hours": "5",
                                        "per": "week", "reason": "Anlass"])
                // fina's certificate runs out on 19 December 2026 (R24); December's rota is empty (R28, 9 days ahead).
                _ = try await t.create("/api/v1/staff/\(s.w.fina.staffID)/certificates", token: s.w.management, ["issuedOn": "2021-12-20"])
                let lead = try await s.browser.get("/").body.string
                #expect(lead.contains("Rufbereitschaft jetzt: "))
                #expect(lead.contains("Fink (bis 23.11.2026, 08:00 Uhr)"))
                #expect(lead.contains("1 Anfrage(n) warten zu lange auf eine Antwort."))
                #expect(lead.contains("Führungszeugnis von Erika Fink läuft am 19.12.2026 ab."))
                #expect(lead.contains("Rufbereitschaft Dezember 2026: 1 Lücke(n) im Plan."))
                #expect(lead.contains("Meine Personalstandards"))
                // fina sees who is on call and her own certificate, not the planners' notices.
                let fina = WebSession(t)
                try await fina.login("fina")
                let own = try await fina.get("/").body.string
                #expect(own.contains("Rufbereitschaft jetzt: "))
                #expect(own.contains("Führungszeugnis von Erika Fink läuft am 19.12.2026 ab."))
                #expect(!own.contains("warten zu lange"))
                #expect(!own.contains("Lücke(n) im Plan"))
            }
        }

        @Test("R7 a case marked as independent living alerts a month without guardian contact; an entry with the box ticked clears it")
        func independentLivingThroughThePages() async throws {
            try await TestApp.run { t in
                let s = try await World.make(t, role: .management)
                let marked = try await s.browser.post("/faelle/\(s.caseID)/verselbstaendigung", [("since", "2026-10-01")])
                #expect(marked.status == .seeOther)
                _ = try await t.create("/api/v1/cases/\(s.caseID)/approvals", token: s.w.management,
                                       ["from": "2026-10-01", "to": "2027-03-31", "hours": "5", "per": "week"])
                let before = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/alerts", token: s.w.management).jsonArray()
                #expect(before.contains { $0["kind"] as? String == "guardianContactMissing" })
                let casePage = try await s.browser.get("/faelle/\(s.caseID)")
                #expect(casePage.body.string.contains("Kein Kontakt zu den Sorgeberechtigten im Oktober 2026"))
                _ = try await s.browser.get("/faelle/\(s.caseID)/leistungen/neu")
                let entry = try await s.browser.post("/faelle/\(s.caseID)/leistungen/neu", [
                    ("staffId", s.w.fina.staffID.lowercased()), ("kind", "direct"), ("date", "2026-10-14"), ("start", "10:00"), ("minutes", "60"),
                    ("guardianContact", "true"),
                ])
                #expect(entry.status == .seeOther, "\(entry.body.string.prefix(600))")
                let after = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/alerts", token: s.w.management).jsonArray()
                #expect(!after.contains { $0["kind"] as? String == "guardianContactMissing" })
            }
        }
    }
}
