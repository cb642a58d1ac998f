@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    /// The case folder in the browser: `/faelle`, `/faelle/neu`, `/faelle/:id`, `/faelle/:id/vertretungen`.
    /// (Entries, approvals and alerts on the case page are covered by "Case work pages".)
    @Suite("Case pages")
    struct CasePages {
        static func signedIn(_ t: TestApp, _ username: String) async throws -> WebSession {
            let browser = WebSession(t)
            try await browser.login(username)
            return browser
        }

        static func caseLink(_ id: String) -> String { #"href="/faelle/\#(id)""# }

        /// Option values in the page's selects and checkboxes are `UUID.uuidString` (upper case), which
        /// is what a browser sends back; the API answers ids in lower case.
        static func option(_ apiID: String) -> String { apiID.uppercased() }

        @Test("R31 the case list: a caseworker sees her own cases, management and accounting every case")
        func listByRole() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseWorld.make(t)
                try await t.addUser("mara", .management)
                try await t.addUser("vera", .accounting)

                // when
                let fina = try await Self.signedIn(t, "fina").get("/faelle")
                let mara = try await Self.signedIn(t, "mara").get("/faelle")
                let vera = try await Self.signedIn(t, "vera").get("/faelle")

                // then
                #expect(fina.status == .ok)
                #expect(fina.body.string.contains(Self.caseLink(w.lenaCase)))
                #expect(fina.body.string.contains("51.2-2026-0001"))
                #expect(!fina.body.string.contains("Jonas Kern"))
                #expect(!fina.body.string.contains(Self.caseLink(w.jonasCase)))
                #expect(fina.body.string.contains("1 Fall"))
                for page in [mara, vera] {
                    #expect(page.status == .ok)
                    #expect(page.body.string.contains(Self.caseLink(w.lenaCase)))
                    #expect(page.body.string.contains(Self.caseLink(w.jonasCase)))
                    #expect(page.body.string.contains("2 Fälle"))
                }
                // Every cell carries its column name, which a phone shows as the label of a stacked card.
                for (column, value) in [("Aktenzeichen", "51.2-2026-0002"), ("Angebot", "Familienhilfe"), ("Jugendamt", "Jugendamt Nachbarstadt"),
                                        ("Bezugsbetreuung", "Erika Pohl"), ("Status", "laufend"), ("Beginn", "15.09.2026")] {
                    let cell = #"<td data-label="\#(column)">\#(value)</td>"#
                    #expect(mara.body.string.contains(cell), "\(cell)")
                    #expect(!fina.body.string.contains(cell) || column == "Angebot" || column == "Status", "\(cell)")
                }
            }
        }

        @Test("Only team leads and management see „Neuer Fall“ and may open the form")
        func newCaseButton() async throws {
            try await TestApp.run { t in
                // given
                _ = try await CaseWorld.make(t)
                try await t.addUser("mara", .management)
                try await t.addUser("vera", .accounting)
                try await t.addUser("tom", .teamLead)
                try await t.addUser("ada", .admin)
                let newCaseLink = #"href="/faelle/neu""#

                // then
                for name in ["mara", "tom"] {
                    let browser = try await Self.signedIn(t, name)
                    #expect(try await browser.get("/faelle").body.string.contains(newCaseLink), "\(name)")
                    #expect(try await browser.get("/faelle/neu").status == .ok, "\(name)")
                }
                for name in ["fina", "vera"] {
                    let browser = try await Self.signedIn(t, name)
                    let list = try await browser.get("/faelle").body.string
                    #expect(!list.contains(newCaseLink), "\(name)")
                    #expect(list.contains(#"<a href="/faelle" aria-current="page">Fälle</a>"#), "\(name)")
                    #expect(try await browser.get("/faelle/neu").status == .forbidden, "\(name)")
                }
                // Administration sees no case content (SPEC "Roles"): no "Fälle" in its navigation.
                let admin = try await Self.signedIn(t, "ada").get("/").body.string
                #expect(!admin.contains(#"<a href="/faelle">"#))
            }
        }

        @Test("Search by file number or name, filter by status, team, youth office and staff member")
        func searchAndFilters() async throws {
            try await TestApp.run { t in
                // given: a third case that starts after today (22 November 2026), so it is planned.
                let w = try await CaseWorld.make(t)
                let mia = try await t.create("/api/v1/cases", token: w.managementToken, Fixtures.caseBody(
                    youthOfficeId: w.officeID, offerId: w.offerID, leadStaffId: w.finaStaffID, fileNumber: "51.2-2026-0003",
                    startDate: "2026-12-01", firstName: "Mia", lastName: "Berg"))
                try await t.addUser("mara", .management)
                let browser = try await Self.signedIn(t, "mara")

                func found(_ query: String) async throws -> Set<String> {
                    let html = try await browser.get("/faelle?" + query).body.string
                    return Set([w.lenaCase, w.jonasCase, mia].filter { html.contains(Self.caseLink($0)) })
                }

                // then
                #expect(try await found("q=2026-0002") == [w.jonasCase])
                #expect(try await found("q=51.2-2026-000") == [w.lenaCase, w.jonasCase, mia])
                #expect(try await found("q=KERN") == [w.jonasCase])
                #expect(try await found("q=Lena+Sommer") == [w.lenaCase])
                #expect(try await found("q=niemand").isEmpty)
                #expect(try await found("status=planned") == [mia])
                #expect(try await found("status=running") == [w.lenaCase, w.jonasCase])
                #expect(try await found("status=ended").isEmpty)
                #expect(try await found("teamId=\(w.southTeamID)") == [w.jonasCase])
                #expect(try await found("youthOfficeId=\(w.officeID)") == [w.lenaCase, mia])
                #expect(try await found("staffId=\(w.finaStaffID)") == [w.lenaCase, mia])
                #expect(try await found("q=sommer&status=planned").isEmpty)
                let none = try await browser.get("/faelle?q=niemand").body.string
                #expect(none.contains("Keine Fälle gefunden."))

                // The GET form shows the search it answered.
                let kept = try await browser.get("/faelle?q=kern&status=running&teamId=\(Self.option(w.southTeamID))").body.string
                #expect(kept.contains(#"name="q" value="kern""#))
                #expect(kept.contains(#"value="running" selected="selected""#))
                #expect(kept.contains(#"value="\#(Self.option(w.southTeamID))" selected="selected""#))
            }
        }

        @Test("Opening a case through the form: mistakes give 422 with German messages and every typed value; success saves and redirects")
        func createThroughForm() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseWorld.make(t)
                try await t.addUser("mara", .management)
                let browser = try await Self.signedIn(t, "mara")
                _ = try await browser.get("/faelle/neu")
                var fields: [(String, String)] = [
                    ("youthOfficeId", Self.option(w.otherOfficeID)), ("offerId", Self.option(w.offerID)),
                    ("leadStaffId", Self.option(w.paulStaffID)), ("coWorkerIds", Self.option(w.finaStaffID)),
                    ("fileNumber", ""), ("startDate", "2026-11-16"),
                    ("youngPerson.firstName", ""), ("youngPerson.lastName", "Brandt"), ("youngPerson.birthDate", "2011-06-01"),
                    ("guardians[0].firstName", "Sabine"), ("guardians[0].lastName", "Brandt"),
                    ("guardians[0].relation", "Mutter"), ("guardians[0].phone", "0171 555"),
                    ("guardians[1].firstName", "Schule"), ("guardians[1].lastName", ""), ("guardians[1].relation", "Klassenlehrerin"),
                    ("youthOfficeCaseworker", "Herr Roth"), ("youthOfficeCaseworkerPhone", "0391 540-9"),
                ]

                // when: young person's first name, file number and the second person's last name are missing
                let failed = try await browser.post("/faelle/neu", fields)

                // then
                #expect(failed.status == .unprocessableEntity)
                let html = failed.body.string
                #expect(html.contains("Bitte prüfen Sie Ihre Eingaben"))
                #expect(html.contains(##"<a href="#f-youngPerson-firstName">Bitte den Vornamen angeben.</a>"##))
                #expect(html.contains(#"id="f-youngPerson-firstName-error">Bitte den Vornamen angeben."#))
                #expect(html.contains(#"id="f-fileNumber-error">Bitte das Aktenzeichen angeben."#))
                #expect(html.contains(#"id="f-guardians-1--lastName-error">Bitte den Nachnamen angeben."#))
                for (name, value) in [("youngPerson.lastName", "Brandt"), ("youngPerson.birthDate", "2011-06-01"),
                                      ("guardians[0].phone", "0171 555"), ("guardians[1].relation", "Klassenlehrerin"),
                                      ("youthOfficeCaseworker", "Herr Roth"), ("startDate", "2026-11-16")] {
                    #expect(html.contains(#"name="\#(name)" value="\#(value)""#), "\(name)")
                }
                #expect(html.contains(#"value="\#(Self.option(w.otherOfficeID))" selected="selected""#))
                #expect(html.contains(#"value="\#(Self.option(w.paulStaffID))" selected="selected""#))
                #expect(html.contains(#"name="coWorkerIds" value="\#(Self.option(w.finaStaffID))" checked="checked""#))
                let before = try await t.send(.GET, "/api/v1/cases", token: w.managementToken).jsonArray()
                #expect(before.count == 2)

                // when: corrected
                fields[4] = ("fileNumber", "51.2-2026-0042")
                fields[6] = ("youngPerson.firstName", "Jonas")
                fields[14] = ("guardians[1].lastName", "Grundschule Mitte")
                let saved = try await browser.post("/faelle/neu", fields)

                // then
                #expect(saved.status == .seeOther)
                let location = try #require(saved.headers.first(name: .location))
                let id = String(try #require(location.split(separator: "/").last))
                #expect(location == "/faelle/\(id)")
                let page = try await browser.get(location).body.string
                #expect(page.contains("Der Fall ist angelegt."))
                #expect(page.contains("Jonas Brandt"))
                let stored = try await t.send(.GET, "/api/v1/cases/\(id)", token: w.managementToken).json()
                #expect(stored["fileNumber"] as? String == "51.2-2026-0042")
                #expect(stored["teamId"] as? String == w.southTeamID)
                #expect(stored["youthOfficeCaseworker"] as? String == "Herr Roth")
                let guardians = stored["guardians"] as? [[String: Any]] ?? []
                #expect(guardians.compactMap { $0["lastName"] as? String } == ["Brandt", "Grundschule Mitte"])
                let staff = (stored["staff"] as? [[String: Any]] ?? []).map { "\($0["role"] ?? ""):\($0["staffId"] ?? "")" }
                #expect(staff == ["lead:\(w.paulStaffID)", "coWorker:\(w.finaStaffID)"])
            }
        }

        @Test("R31 a case one may not see is 404 on the German error page; reading a case is audited")
        func hiddenCaseAndAudit() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseWorld.make(t)
                let paul = try await Self.signedIn(t, "paul")

                // when
                let hidden = try await paul.get("/faelle/\(w.lenaCase)")
                let unknown = try await paul.get("/faelle/\(UUID().uuidString.lowercased())")

                // then
                for response in [hidden, unknown] {
                    #expect(response.status == .notFound)
                    #expect(response.headers.contentType == .html)
                    #expect(response.body.string.contains("Nicht gefunden"))
                    #expect(response.body.string.contains("Der Datensatz wurde nicht gefunden."))
                    #expect(!response.body.string.contains("Sommer"))
                }
                func reads() async throws -> [AuditRecord] {
                    try await AuditLog.recent(limit: 50, entity: "case", on: t.db).filter { $0.action == "read" && $0.entityID?.lowercased() == w.lenaCase }
                }
                #expect(try await reads().isEmpty)
                // the refused attempt is audited too
                let refused = try await AuditLog.recent(limit: 50, entity: "case", on: t.db).filter { $0.action == "refused" }
                #expect(refused.contains { $0.username == "paul" && $0.entityID?.lowercased() == w.lenaCase })

                // when
                let fina = try await Self.signedIn(t, "fina")
                #expect(try await fina.get("/faelle/\(w.lenaCase)").status == .ok)

                // then
                let read = try await reads().filter { $0.changes["view"]?.to == "faelle/:id" }
                #expect(read.count == 1)
                #expect(read.first?.username == "fina")
                #expect(try await reads().contains { $0.changes["view"]?.to == "/" }, "the start page lists her case: a read too")
            }
        }

        @Test("The case page shows master data, persons and staff; only leads see the substitute form")
        func casePage() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseWorld.make(t)
                try await t.addUser("mara", .management)
                try await t.addUser("vera", .accounting)

                // when
                let fina = try await Self.signedIn(t, "fina").get("/faelle/\(w.lenaCase)")
                let mara = try await Self.signedIn(t, "mara").get("/faelle/\(w.lenaCase)")
                let vera = try await Self.signedIn(t, "vera").get("/faelle/\(w.lenaCase)")

                // then
                #expect(fina.status == .ok)
                let html = fina.body.string
                #expect(html.contains("<h1>Lena Sommer</h1>"))
                #expect(html.contains("51.2-2026-0001 · Familienhilfe · laufend"))
                for text in ["Stammdaten", "Jugendamt Teststadt", "Team Nord", "01.10.2026", "Frau Albers, ", "0391 540-1234",
                             "Personen", "03.04.2012", "Sabine Sommer", "Mutter", "0171 2345678",
                             "Fachkräfte", "Erika Fink", "Bezugsbetreuung"] {
                    #expect(html.contains(text), "\(text)")
                }
                #expect(!html.contains("Vertretung eintragen"))
                #expect(mara.body.string.contains("Vertretung eintragen"))
                #expect(mara.body.string.contains(#"action="/faelle/\#(w.lenaCase)/vertretungen""#))
                // Accounting reads the case's master data (billing) but may not assign staff.
                #expect(vera.status == .ok)
                #expect(vera.body.string.contains("Stammdaten"))
                #expect(!vera.body.string.contains("Vertretung eintragen"))
            }
        }

        @Test("R27 a substitute entered through the form sees the case while the substitution runs")
        func substitute() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseWorld.make(t)
                try await t.addUser("mara", .management)
                let mara = try await Self.signedIn(t, "mara")
                let paul = try await Self.signedIn(t, "paul")
                #expect(try await paul.get("/faelle/\(w.lenaCase)").status == .notFound)
                _ = try await mara.get("/faelle/\(w.lenaCase)")

                // when: no end date
                let failed = try await mara.post("/faelle/\(w.lenaCase)/vertretungen",
                                                 [("staffId", Self.option(w.paulStaffID)), ("from", "2026-11-20"), ("to", "")])

                // then
                #expect(failed.status == .unprocessableEntity)
                #expect(failed.body.string.contains("Bitte das Ende der Vertretung angeben."))
                #expect(failed.body.string.contains(#"value="\#(Self.option(w.paulStaffID))" selected="selected""#))
                #expect(failed.body.string.contains(#"name="from" value="2026-11-20""#))

                // when
                let saved = try await mara.post("/faelle/\(w.lenaCase)/vertretungen",
                                                [("staffId", w.paulStaffID), ("from", "2026-11-20"), ("to", "2026-11-30")])

                // then
                #expect(saved.status == .seeOther)
                #expect(saved.headers.first(name: .location) == "/faelle/\(w.lenaCase)")
                let page = try await mara.get("/faelle/\(w.lenaCase)").body.string
                #expect(page.contains("Die Vertretung ist eingetragen."))
                #expect(page.contains("Erika Pohl"))
                #expect(page.contains("20.11.2026–30.11.2026"))
                // Today is 22 November 2026: inside the range.
                #expect(try await paul.get("/faelle/\(w.lenaCase)").status == .ok)
                #expect(try await paul.get("/faelle").body.string.contains(Self.caseLink(w.lenaCase)))
                let stored = try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken).json()
                let substitutes = (stored["staff"] as? [[String: Any]] ?? []).filter { $0["role"] as? String == "substitute" }
                #expect(substitutes.count == 1)
                #expect(substitutes.first?["from"] as? String == "2026-11-20")
                #expect(substitutes.first?["to"] as? String == "2026-11-30")
            }
        }

        @Test("A caseworker may not enter substitutes, not even on her own case")
        func substituteDenied() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseWorld.make(t)
                let fina = try await Self.signedIn(t, "fina")
                _ = try await fina.get("/faelle/\(w.lenaCase)")

                // when
                let denied = try await fina.post("/faelle/\(w.lenaCase)/vertretungen",
                                                 [("staffId", w.paulStaffID), ("from", "2026-11-20"), ("to", "2026-11-30")])

                // then
                #expect(denied.status == .forbidden)
                let stored = try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken).json()
                #expect((stored["staff"] as? [[String: Any]] ?? []).count == 1)
            }
        }
    }
}
