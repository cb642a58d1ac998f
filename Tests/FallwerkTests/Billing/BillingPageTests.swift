@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Billing pages")
    struct BillingPages_ {
        @Test("R15 accounting runs the month, sees the missing signature, records it on the sheet and issues the invoice")
        func monthPage() async throws {
            try await TestApp.run { t in
                let s = try await AllTests.CaseWorkPages.setUp(t)
                let offices = try await t.send(.GET, "/api/v1/youth-offices", token: s.managementToken).jsonArray()
                let offers = try await t.send(.GET, "/api/v1/offers", token: s.managementToken).jsonArray()
                _ = try await t.create("/api/v1/agreements", token: s.managementToken, [
                    "youthOfficeId": offices[0]["id"]!, "validFrom": "2026-01-01", "rates": [["offerId": offers[0]["id"]!, "hourlyRate": "60.00"]]])
                _ = try await t.create("/api/v1/cases/\(s.caseID)/entries", token: s.managementToken, [
                    "staffId": s.staffID, "date": "2026-10-12", "start": "10:00", "minutes": 90, "kind": "direct"])
                #expect(try await t.send(.PUT, "/api/v1/provider", token: s.managementToken, json: Fixtures.provider()).status == .noContent)
                try await t.addUser("vera", .accounting)
                let browser = WebSession(t)
                try await browser.login("vera")
                #expect(try await browser.post("/abrechnung/2026-10/lauf", []).status == .seeOther)
                let month = try await browser.get("/abrechnung?monat=2026-10").body.string
                #expect(month.contains("Abrechnungslauf Oktober 2026: 1 Rechnungsentwurf über 90,00 €."))
                #expect(month.contains("L. S. · 51.2-2026-0001"))
                #expect(month.contains("Unterschrift fehlt"))
                #expect(!month.contains("Lena Sommer"))  // accounting's list shows initials only

                let missing = try await browser.post("/faelle/\(s.caseID)/nachweis/2026-10", [("status", "signed"), ("date", "2026-11-02"), ("signedBy", "")])
                #expect(missing.status == .unprocessableEntity)
                #expect(missing.body.string.contains("Bitte angeben, wer unterschrieben hat."))
                let signed = try await browser.post("/faelle/\(s.caseID)/nachweis/2026-10", [("status", "signed"), ("date", "2026-11-02"), ("signedBy", "Lena Sommer")])
                #expect(signed.status == .seeOther)
                let sheet = try await browser.get("/faelle/\(s.caseID)/nachweis/2026-10").body.string
                #expect(sheet.contains("Erfasst: unterschrieben am 02.11.2026 von Lena Sommer"))
                #expect(sheet.contains("90 Min."))

                let invoices = try await t.send(.GET, "/api/v1/invoices?month=2026-10", token: s.managementToken).jsonArray()
                let id = try #require(invoices.first?["id"] as? String)
                #expect(try await browser.post("/rechnungen/\(id)/stellen", []).status == .seeOther)
                let after = try await browser.get("/abrechnung?monat=2026-10").body.string
                #expect(after.contains("Rechnung 2026-000001 über 90,00 € ist gestellt."))
                #expect(after.contains("2026-000001 gestellt"))
            }
        }
    }
}
