@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Case work pages")
    struct CaseWorkPages {
        /// A youth office, an offer, a team with one caseworker ("fina", with a login), a case she
        /// leads since 1 October 2026 and a monthly approval of 10 hours.
        struct Setup {
            let caseID: String
            let staffID: String
            let managementToken: String
        }

        static func setUp(_ t: TestApp) async throws -> Setup {
            let admin = try await t.token(.admin, .management)
            let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
            let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
            let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
            let user = try await t.addUser("fina", .caseworker)
            var staff = Fixtures.staff(teamId: team, lastName: "Fink")
            staff["userId"] = user.uuidString
            let staffID = try await t.create("/api/v1/staff", token: admin, staff)
            let caseID = try await t.create("/api/v1/cases", token: admin, [
                "youthOfficeId": office, "offerId": offer, "fileNumber": "51.2-2026-0001", "startDate": "2026-10-01",
                "youngPerson": ["firstName": "Lena", "lastName": "Sommer", "birthDate": "2012-04-03"], "leadStaffId": staffID,
            ])
            _ = try await t.create("/api/v1/cases/\(caseID)/approvals", token: admin,
                                   ["from": "2026-10-01", "to": "2027-03-31", "hours": "10", "per": "month"])
            return Setup(caseID: caseID, staffID: staffID, managementToken: admin)
        }

        static func entryFields(_ minutes: String, kind: String = "direct", date: String = "2026-11-20", start: String = "10:00") -> [(String, String)] {
            [("kind", kind), ("date", date), ("start", start), ("minutes", minutes), ("staffId", "")]
        }

        @Test("The start page lists my cases with budget bar and a one-tap entry button")
        func startPage() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let html = try await browser.get("/").body.string
                #expect(html.contains("Meine Fälle"))
                #expect(html.contains("Lena Sommer"))
                #expect(html.contains("0 von 10 Std."))
                #expect(html.contains("/faelle/\(s.caseID)/leistungen/neu?zurueck=start"))
            }
        }

        @Test("The entry form presets today, the signed-in staff member, the usual kind and length")
        func presets() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                _ = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("90", kind: "institution"))
                let form = try await browser.get("/faelle/\(s.caseID)/leistungen/neu").body.string
                #expect(form.contains(#"name="date" value="2026-11-22""#))
                #expect(form.contains(#"value="institution" checked="checked""#))
                #expect(form.contains(#"name="minutes" value="90""#))
                #expect(form.contains("Zählt: 90 Min. abrechenbar · 90 Min. Budget"))
            }
        }

        @Test("R10 saving an entry from the form shows what it counted and moves the budget")
        func saveEntry() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                var fields = Self.entryFields("45")
                fields.append(("back", "start"))
                let saved = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", fields)
                #expect(saved.status == .seeOther)
                #expect(saved.headers.first(name: .location) == "/")
                let start = try await browser.get("/").body.string
                #expect(start.contains("Gespeichert: Kontakt mit Klient:in am 20.11.2026, 45 Min. – zählt 45 Min. abrechenbar, 45 Min. Budget."))
                #expect(start.contains("0,75 von 10 Std."))
                let api = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/budget?date=2026-11-20", token: s.managementToken)
                #expect(try api.json()["usedMinutes"] as? Int == 45)
            }
        }

        @Test("Bad input on the entry form: German message per field, typed values kept, nothing saved")
        func badInput() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                for (fields, message) in [
                    (Self.entryFields("0"), "Die Dauer muss mindestens eine Minute betragen."),
                    (Self.entryFields("1441"), "Ein Eintrag kann höchstens 24 Stunden (1440 Minuten) umfassen."),
                    (Self.entryFields("zwanzig"), "Bitte die Dauer als ganze Zahl von Minuten angeben."),
                    (Self.entryFields("60", date: "2026-09-30"), "Die Hilfe beginnt erst am 01.10.2026."),
                ] {
                    let response = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", fields)
                    #expect(response.status == .unprocessableEntity)
                    #expect(response.body.string.contains(message))
                    #expect(response.body.string.contains(#"name="start" value="10:00""#))
                }
                let overlapFirst = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("60"))
                #expect(overlapFirst.status == .seeOther)
                let overlap = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("30", start: "10:30"))
                #expect(overlap.status == .unprocessableEntity)
                #expect(overlap.body.string.contains("Zu dieser Zeit ist schon ein Eintrag dieser Fachkraft erfasst"))
                let entries = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: s.managementToken)
                #expect(try entries.jsonArray().count == 1)
            }
        }

        @Test("R9 the form warns before going over budget and saves only when confirmed")
        func overBudgetWarning() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let first = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("540", start: "08:00"))
                #expect(first.status == .seeOther)
                let warned = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("90", date: "2026-11-21"))
                #expect(warned.status == .ok)
                #expect(warned.body.string.contains("Dieser Eintrag geht 30 Min. über das bewilligte Budget."))
                var before = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: s.managementToken)
                #expect(try before.jsonArray().count == 1)
                var confirmed = Self.entryFields("90", date: "2026-11-21")
                confirmed.append(("confirmOverBudget", "true"))
                let saved = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", confirmed)
                #expect(saved.status == .seeOther)
                before = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: s.managementToken)
                let over = try before.jsonArray().first { $0["date"] as? String == "2026-11-21" }
                #expect(over?["overBudgetMinutes"] as? Int == 30)
                #expect(over?["billableMinutes"] as? Int == 60)
                let page = try await browser.get("/faelle/\(s.caseID)/leistungen/neu").body.string
                #expect(page.contains("über dem Budget"))
            }
        }

        @Test("R12 the youth-office-informed button clears the no-cooperation alert")
        func acknowledgeAlert() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                for day in ["2026-11-17", "2026-11-18", "2026-11-19"] {
                    let response = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("60", kind: "noShow", date: day))
                    #expect(response.status == .seeOther)
                }
                let alerts = try await browser.get("/hinweise").body.string
                #expect(alerts.contains("3 Termine in Folge ohne Mitwirkung"))
                let done = try await browser.post("/faelle/\(s.caseID)/hinweise", [("kind", "noShowStreak"), ("since", "2026-11-19")])
                #expect(done.status == .seeOther)
                let after = try await browser.get("/hinweise").body.string
                #expect(!after.contains("Termine in Folge ohne Mitwirkung"))
            }
        }

        @Test("Caseworkers change and delete their own entries; accounting may not record")
        func editAndDelete() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                _ = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("60"))
                let entries = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: s.managementToken)
                let entryID = try #require(try entries.jsonArray().first?["id"] as? String)
                let form = try await browser.get("/faelle/\(s.caseID)/leistungen/\(entryID)")
                #expect(form.body.string.contains(#"name="minutes" value="60""#))
                let changed = try await browser.post("/faelle/\(s.caseID)/leistungen/\(entryID)", Self.entryFields("75"))
                #expect(changed.status == .seeOther)
                let after = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: s.managementToken)
                #expect(try after.jsonArray().first?["minutes"] as? Int == 75)
                let deleted = try await browser.post("/faelle/\(s.caseID)/leistungen/\(entryID)/loeschen", [])
                #expect(deleted.status == .seeOther)
                let none = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: s.managementToken)
                #expect(try none.jsonArray().isEmpty)

                try await t.addUser("vera", .accounting)
                let accounting = WebSession(t)
                try await accounting.login("vera")
                let denied = try await accounting.post("/faelle/\(s.caseID)/leistungen/neu", Self.entryFields("60"))
                #expect(denied.status == .forbidden)
            }
        }

        @Test("The team overview shows running cases with budget and alerts")
        func teamOverview() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                try await t.addUser("mara", .management)
                let browser = WebSession(t)
                try await browser.login("mara")
                let html = try await browser.get("/uebersicht").body.string
                #expect(html.contains("Lena Sommer · 51.2-2026-0001"))
                #expect(html.contains("0 von 10 Std."))
                // No contact since the start on 1 October (R7a).
                #expect(html.contains("Noch kein Kontakt seit Beginn der Hilfe"))
                _ = s
            }
        }

        @Test("R31 the case list shows only visible cases and finds them by name or file number")
        func caseList() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                try await t.addUser("otto", .caseworker)
                let other = WebSession(t)
                try await other.login("otto")
                let hidden = try await other.get("/faelle").body.string
                #expect(!hidden.contains("Lena Sommer"))
                #expect(try await other.get("/faelle/\(s.caseID)").status == .notFound)

                let browser = WebSession(t)
                try await browser.login("fina")
                #expect(try await browser.get("/faelle?q=2026-0001").body.string.contains("Lena Sommer"))
                #expect(try await browser.get("/faelle?q=sommer").body.string.contains("51.2-2026-0001"))
                #expect(!(try await browser.get("/faelle?q=niemand").body.string.contains("Lena Sommer")))
                let page = try await browser.get("/faelle/\(s.caseID)")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Bewilligungen"))
                #expect(page.body.string.contains("Leistung erfassen"))
            }
        }

        @Test("A team lead opens a case through the form; mistakes keep every typed value")
        func createCaseForm() async throws {
            try await TestApp.run { t in
                let s = try await Self.setUp(t)
                let offices = try await t.send(.GET, "/api/v1/youth-offices", token: s.managementToken).jsonArray()
                let offers = try await t.send(.GET, "/api/v1/offers", token: s.managementToken).jsonArray()
                // Tara leads the team of the case's lead worker.
                let taraUser = try await t.addUser("tara", .teamLead)
                let teams = try await t.send(.GET, "/api/v1/teams", token: s.managementToken).jsonArray()
                let teamID = try #require(teams.first?["id"] as? String)
                var tara = Fixtures.staff(teamId: teamID, lastName: "Thal")
                tara["userId"] = taraUser.uuidString
                let taraStaff = try await t.create("/api/v1/staff", token: s.managementToken, tara)
                let lead = try await t.send(.PUT, "/api/v1/teams/\(teamID)", token: s.managementToken,
                                            json: ["name": teams[0]["name"]!, "location": teams[0]["location"]!, "leadStaffId": taraStaff])
                #expect(lead.status == .noContent)
                let browser = WebSession(t)
                try await browser.login("tara")
                var fields: [(String, String)] = [
                    ("youthOfficeId", offices[0]["id"] as! String), ("offerId", offers[0]["id"] as! String),
                    ("fileNumber", "51.2-2026-0099"), ("startDate", "2026-11-02"),
                    ("youngPerson.firstName", ""), ("youngPerson.lastName", "Brandt"), ("youngPerson.birthDate", "2011-06-01"),
                    ("guardians[0].firstName", "Sabine"), ("guardians[0].lastName", "Brandt"), ("guardians[0].relation", "Mutter"),
                    ("leadStaffId", s.staffID),
                ]
                let failed = try await browser.post("/faelle/neu", fields)
                #expect(failed.status == .unprocessableEntity)
                #expect(failed.body.string.contains("Bitte den Vornamen angeben."))
                #expect(failed.body.string.contains(#"value="Sabine""#))
                #expect(failed.body.string.contains(#"value="51.2-2026-0099""#))
                fields[4] = ("youngPerson.firstName", "Jonas")
                let saved = try await browser.post("/faelle/neu", fields)
                #expect(saved.status == .seeOther)
                let location = try #require(saved.headers.first(name: .location))
                let page = try await browser.get(location).body.string
                #expect(page.contains("Der Fall ist angelegt."))
                #expect(page.contains("Jonas Brandt"))
                #expect(page.contains("Sabine Brandt"))

                // R27: a substitute with a date range.
                let caseID = String(location.split(separator: "/").last!)
                let sub = try await browser.post("/faelle/\(caseID)/vertretungen", [("staffId", s.staffID), ("from", "2026-12-01"), ("to", "2026-11-30")])
                #expect(sub.status == .unprocessableEntity)
                #expect(sub.body.string.contains("Das Ende der Vertretung darf nicht vor ihrem Beginn liegen."))
                let ok = try await browser.post("/faelle/\(caseID)/vertretungen", [("staffId", s.staffID), ("from", "2026-12-01"), ("to", "2026-12-31")])
                #expect(ok.status == .seeOther)
                #expect(try await browser.get("/faelle/\(caseID)").body.string.contains("01.12.2026–31.12.2026"))
            }
        }
    }
}
