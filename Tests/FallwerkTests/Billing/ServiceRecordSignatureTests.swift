@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

/// R15 through the store, the API and the sheet's page: a signature covers what was signed, and
/// "exempt" only a month of crisis interventions (seed 004). Issue 10, defect 8.
extension AllTests {
    @Suite("Service record signature through page and API (R15)")
    struct ServiceRecordSignature {
        typealias Setup = DocumentationAPI.Setup

        static func sheet(_ t: TestApp, _ s: Setup, _ month: String = "2026-11") async throws -> [String: Any] {
            let response = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/service-records/\(month)", token: s.world.fina.token)
            #expect(response.status == .ok, "sheet: \(response.body.string)")
            return try response.json()
        }

        static func sign(_ t: TestApp, _ s: Setup, _ month: String = "2026-11", status: String = "signed",
                         date: String = "2026-11-20") async throws -> TestingHTTPResponse {
            var body: [String: Any] = ["status": status, "date": date]
            if status == "signed" { body["signedBy"] = "Sabine Sommer" }
            return try await t.send(.POST, "/api/v1/cases/\(s.caseID)/service-records/\(month)/signature", token: s.world.fina.token, json: body)
        }

        /// The blocker codes of the case on the month's billing list (`GET /api/v1/billing-runs/{month}`).
        static func blockers(_ t: TestApp, _ s: Setup, token: String, _ month: String = "2026-11") async throws -> [String] {
            let response = try await t.send(.GET, "/api/v1/billing-runs/\(month)", token: token)
            #expect(response.status == .ok, "billing run: \(response.body.string)")
            let cases = try response.json()["cases"] as? [[String: Any]] ?? []
            let row = cases.first { ($0["caseId"] as? String)?.lowercased() == s.caseID.lowercased() }
            return (row?["blockers"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        }

        static func entry(_ t: TestApp, _ s: Setup, _ date: String, kind: String = "direct", minutes: Int = 60) async throws -> String {
            try await t.create("/api/v1/cases/\(s.caseID)/entries", token: s.world.fina.token,
                               ["date": date, "start": "10:00", "minutes": minutes, "kind": kind])
        }

        @Test("R15 an entry changed after signing asks for a new signature on page and API and blocks the invoice until signed again")
        func changeAfterSigningNeedsNewSignature() async throws {
            try await TestApp.run { t in
                // given the family signed November with its one contact
                let s = try await DocumentationAPI.setUp(t)
                #expect(try await Self.sign(t, s).status == .noContent)
                let signed = try await Self.sheet(t, s)
                #expect(signed["allowsInvoice"] as? Bool == true)
                #expect((signed["signature"] as? [String: Any])?["changedAfterSigning"] as? Bool == false)

                // when a contact is added to November afterwards
                _ = try await Self.entry(t, s, "2026-11-10")

                // then the API says the signature no longer covers the sheet
                let changed = try await Self.sheet(t, s)
                #expect(changed["allowsInvoice"] as? Bool == false)
                #expect((changed["signature"] as? [String: Any])?["changedAfterSigning"] as? Bool == true)
                // and the sheet's page asks for a new signature, without the old drawing's place
                let browser = WebSession(t)
                try await browser.login("fina")
                let page = try await browser.get("/faelle/\(s.caseID)/nachweis/2026-11").body.string
                #expect(page.contains("Nach der Unterschrift geändert – bitte neu unterschreiben lassen"))
                #expect(page.contains("1 Leistung neu"))
                // and billing sees the month as unsigned (R15 blocker), on the same list the billing page shows
                let accounting = try await t.token(.accounting)
                #expect(try await Self.blockers(t, s, token: accounting).contains("unsigned"))

                // when signed again
                #expect(try await Self.sign(t, s, date: "2026-11-22").status == .noContent)
                // then it covers the new sheet
                let renewed = try await Self.sheet(t, s)
                #expect(renewed["allowsInvoice"] as? Bool == true)
                #expect((renewed["signature"] as? [String: Any])?["changedAfterSigning"] as? Bool == false)
                #expect(try await !Self.blockers(t, s, token: accounting).contains("unsigned"))
            }
        }

        @Test("R15 seed 004 exempt is refused for a month with other work, in the API and on the page with the typed values kept")
        func exemptOnlyForCrisisMonths() async throws {
            try await TestApp.run { t in
                // given November holds a direct contact
                let s = try await DocumentationAPI.setUp(t)
                // when exempt is sent through the API
                let api = try await Self.sign(t, s, status: "exempt")
                // then it is a field error on status, in German
                #expect(api.status == .unprocessableEntity)
                #expect(try api.problemFields() == ["status"])
                #expect(api.body.string.contains("ausschließlich Kriseninterventionen"))

                // when sent on the page
                let browser = WebSession(t)
                try await browser.login("fina")
                let form = try await browser.get("/faelle/\(s.caseID)/nachweis/2026-11").body.string
                #expect(!form.contains(#"value="exempt""#))  // not offered for this month
                let refused = try await browser.post("/faelle/\(s.caseID)/nachweis/2026-11",
                                                     [("status", "exempt"), ("date", "2026-11-21"), ("signedBy", ""), ("reason", "Kurz notiert")])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("ausschließlich Kriseninterventionen"))
                #expect(refused.body.string.contains(#"value="Kurz notiert""#))
                #expect(try await ServiceRecordSignatureModel.query(on: t.db).count() == 0)

                // given October holds crisis interventions only
                _ = try await Self.entry(t, s, "2026-10-15", kind: "crisis", minutes: 120)
                // then exempt is accepted there
                #expect(try await Self.sign(t, s, "2026-10", status: "exempt", date: "2026-11-02").status == .noContent)
                #expect(try await Self.sheet(t, s, "2026-10")["allowsInvoice"] as? Bool == true)
            }
        }

        @Test("R15 a signature recorded before fingerprints gets the sheet's fingerprint from the migration, equal to the domain's")
        func migrationFillsFingerprint() async throws {
            try await TestApp.run { t in
                // given a signed month whose row lost its fingerprint (as rows written before the migration)
                let s = try await DocumentationAPI.setUp(t)
                _ = try await Self.entry(t, s, "2026-11-12", kind: "crisis", minutes: 45)
                #expect(try await Self.sign(t, s).status == .noContent)
                let row = try #require(try await ServiceRecordSignatureModel.query(on: t.db).first())
                let written = try #require(row.fingerprint)
                row.fingerprint = nil
                try await row.update(on: t.db)
                // when the migration's fill runs
                try await AddSignatureFingerprint.fill(on: t.db)
                // then the fingerprint is the one the sheet computes, so the signature still covers it
                let filled = try #require(try await ServiceRecordSignatureModel.query(on: t.db).first())
                #expect(filled.fingerprint == written)
                #expect(try await Self.sheet(t, s)["allowsInvoice"] as? Bool == true)
            }
        }
    }
}
