@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Billing run overview, missing rates, cancelling from the page")
    struct BillingRunOverview {
        struct World {
            let admin: String
            let office: String
            let offers: [String]
            let staff: String
            let cases: [String]
        }

        /// Two offers; the agreement until 15 Nov prices both, the one from 16 Nov only the first
        /// ("Familienhilfe") and names a rate for a third offer nobody works on.
        static func world(_ t: TestApp) async throws -> World {
            let admin = try await t.token(.admin, .management, .accounting)
            let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
            var offers: [String] = []
            for name in ["Familienhilfe", "Erziehungsbeistandschaft", "Soziale Gruppenarbeit"] {
                offers.append(try await t.create("/api/v1/offers", token: admin, Fixtures.offer(name: name)))
            }
            _ = try await t.create("/api/v1/agreements", token: admin, [
                "youthOfficeId": office, "validFrom": "2026-01-01", "validTo": "2026-11-15",
                "rates": [["offerId": offers[0], "hourlyRate": "60.00"], ["offerId": offers[2], "hourlyRate": "55.00"]]])
            _ = try await t.create("/api/v1/agreements", token: admin, [
                "youthOfficeId": office, "validFrom": "2026-11-16", "rates": [["offerId": offers[2], "hourlyRate": "55.00"]]])
            let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
            let staff = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team))
            var cases: [String] = []
            for (index, offer) in [offers[0], offers[1]].enumerated() {
                let id = try await t.create("/api/v1/cases", token: admin, Fixtures.caseBody(
                    youthOfficeId: office, offerId: offer, leadStaffId: staff, fileNumber: "51.2-2026-080\(index)",
                    firstName: ["Ada", "Bo"][index], lastName: "Test"))
                _ = try await t.create("/api/v1/cases/\(id)/approvals", token: admin, ["from": "2026-10-01", "to": "2027-03-31", "hours": "20", "per": "month"])
                cases.append(id)
            }
            return World(admin: admin, office: office, offers: offers, staff: staff, cases: cases)
        }

        static func entry(_ t: TestApp, _ w: World, _ caseID: String, _ date: String, _ minutes: Int, kind: String = "direct") async throws {
            _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: w.admin,
                                   ["staffId": w.staff, "date": date, "start": "10:00", "minutes": minutes, "kind": kind])
        }

        @Test("R14 work whose offer has no hourly rate is a blocker 'Stundensatz fehlt' on the billing page and in GET /billing-runs/{month}, never a silent 0")
        func missingRateR14() async throws {
            try await TestApp.run { t in
                // given: case 0 has a rate until 15 Nov only; case 1's offer has no rate at all
                let w = try await Self.world(t)
                try await Self.entry(t, w, w.cases[0], "2026-11-10", 60)
                try await Self.entry(t, w, w.cases[0], "2026-11-20", 90)
                try await Self.entry(t, w, w.cases[1], "2026-11-12", 45)
                #expect(try await t.send(.PUT, "/api/v1/provider", token: w.admin, json: Fixtures.provider()).status == .noContent)
                for caseID in w.cases {
                    _ = try await t.send(.POST, "/api/v1/cases/\(caseID)/service-records/2026-11/signature", token: w.admin,
                                         json: ["status": "signed", "date": "2026-11-21", "signedBy": "Sabine Test"])
                }
                // when
                let run = try await t.send(.POST, "/api/v1/billing-runs", token: w.admin, json: ["month": "2026-11"])
                let overview = try await t.send(.GET, "/api/v1/billing-runs/2026-11", token: w.admin)
                // then: the API lists both cases with what blocks them
                #expect(try run.json()["invoiceCount"] as? Int == 1)
                #expect(overview.status == .ok)
                let body = try overview.json()
                #expect(body["month"] as? String == "2026-11")
                let cases = try #require(body["cases"] as? [[String: Any]])
                let byCase = Dictionary(uniqueKeysWithValues: cases.map { ($0["caseId"] as? String ?? "", $0) })
                let partly = try #require(byCase[w.cases[0]]), unpriced = try #require(byCase[w.cases[1]])
                #expect(partly["status"] as? String == "draft")
                #expect(partly["total"] as? String == "60.00")
                #expect(partly["invoiceId"] is String)
                let partlyBlockers = partly["blockers"] as? [[String: Any]] ?? []
                #expect(partlyBlockers.map { $0["code"] as? String } == ["missingRate"])
                #expect(partlyBlockers.first?["detail"] as? String
                        == "Stundensatz fehlt: 1,5 Std. „Familienhilfe“ ab dem 20.11.2026 – die Vereinbarung ab 16.11.2026 nennt für dieses Angebot keinen Stundensatz")
                #expect(unpriced["status"] as? String == "none")
                #expect(unpriced["invoiceId"] == nil)
                #expect(unpriced["total"] as? String == "0.00")
                let unpricedDetails = (unpriced["blockers"] as? [[String: Any]] ?? []).compactMap { $0["detail"] as? String }
                #expect(unpricedDetails.count == 1)
                #expect(unpricedDetails.first?.hasPrefix("Stundensatz fehlt: 0,75 Std. „Erziehungsbeistandschaft“ ab dem 12.11.2026") == true)

                // the page shows the same list
                try await t.addUser("vera", .accounting)
                let browser = WebSession(t)
                try await browser.login("vera")
                let page = try await browser.get("/abrechnung?monat=2026-11").body.string
                #expect(page.contains("Stundensatz fehlt: 1,5 Std. „Familienhilfe“ ab dem 20.11.2026"))
                #expect(page.contains("Stundensatz fehlt: 0,75 Std. „Erziehungsbeistandschaft“ ab dem 12.11.2026"))
                #expect(!page.contains("Rechnung stellen"))  // a missing rate refuses issuing

                // issuing the partly priced draft is refused, naming the rate
                let draftID = try #require(partly["invoiceId"] as? String)
                let issue = try await t.send(.POST, "/api/v1/invoices/\(draftID)/issue", token: w.admin)
                #expect(issue.status == .unprocessableEntity)
                #expect(try issue.problemFields() == ["rate"])
                let all = try await t.send(.POST, "/api/v1/billing-runs/2026-11/issue", token: w.admin).json()
                #expect((all["issued"] as? [Any])?.isEmpty == true)
            }
        }

        @Test("R14 GET /billing-runs/{month}: a month that is no YYYY-MM is a 422 on the field month; only billing roles read it")
        func overviewInputR14() async throws {
            try await TestApp.run { t in
                let admin = try await t.token(.admin, .management, .accounting)
                let bad = try await t.send(.GET, "/api/v1/billing-runs/November", token: admin)
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                #expect(try bad.problemFields() == ["month"])
                let empty = try await t.send(.GET, "/api/v1/billing-runs/2026-11", token: admin)
                #expect(try (empty.json()["cases"] as? [Any])?.isEmpty == true)
                let caseworker = try await t.token(.caseworker)
                #expect(try await t.send(.GET, "/api/v1/billing-runs/2026-11", token: caseworker).status == .forbidden)
            }
        }

        @Test("R16 an issued invoice is cancelled from the billing page after a confirmation, audited, and the month opens again")
        func cancelFromPageR16() async throws {
            try await TestApp.run { t in
                // given: an issued October invoice
                let w = try await Self.world(t)
                try await Self.entry(t, w, w.cases[0], "2026-10-12", 90)
                #expect(try await t.send(.PUT, "/api/v1/provider", token: w.admin, json: Fixtures.provider()).status == .noContent)
                _ = try await t.send(.POST, "/api/v1/cases/\(w.cases[0])/service-records/2026-10/signature", token: w.admin,
                                     json: ["status": "signed", "date": "2026-11-02", "signedBy": "Sabine Test"])
                try await t.addUser("vera", .accounting)
                let browser = WebSession(t)
                try await browser.login("vera")
                #expect(try await browser.post("/abrechnung/2026-10/lauf", []).status == .seeOther)
                let id = try #require(try await t.send(.GET, "/api/v1/invoices?month=2026-10", token: w.admin).jsonArray().first?["id"] as? String)
                #expect(try await browser.post("/rechnungen/\(id)/stellen", []).status == .seeOther)
                let month = try await browser.get("/abrechnung?monat=2026-10").body.string
                #expect(month.contains("/rechnungen/\(id)/stornieren"))
                // when: the confirmation, then the cancellation
                let confirm = try await browser.get("/rechnungen/\(id)/stornieren")
                #expect(confirm.status == .ok)
                #expect(confirm.body.string.contains("Rechnung 2026-000001 stornieren?"))
                #expect(confirm.body.string.contains("Stornorechnung mit der nächsten fortlaufenden Nummer"))
                #expect(try await browser.post("/rechnungen/\(id)/stornieren", [], csrf: "falsch").status != .seeOther)
                let cancelled = try await browser.post("/rechnungen/\(id)/stornieren", [])
                // then
                #expect(cancelled.status == .seeOther)
                let after = try await browser.get("/abrechnung?monat=2026-10").body.string
                #expect(after.contains("Rechnung 2026-000001 ist storniert; Stornorechnung 2026-000002 über -90,00 €."))
                #expect(!after.contains("/rechnungen/\(id)/stornieren"))
                #expect(try await t.send(.GET, "/api/v1/invoices/\(id)", token: w.admin).json()["status"] as? String == "cancelled")
                let audit = try await t.send(.GET, "/api/v1/audit-log?entity=invoice", token: w.admin).jsonArray()
                #expect(audit.contains { ($0["changes"] as? [String: Any])?["cancels"] != nil })
                // a second cancellation is refused calmly
                let again = try await browser.get("/rechnungen/\(id)/stornieren")
                #expect(again.status == .seeOther)
            }
        }
    }
}
