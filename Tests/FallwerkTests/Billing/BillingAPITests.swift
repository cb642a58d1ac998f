@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Billing through the API")
    struct BillingAPI {
        @Test("R14 R16 a month is billed to the cent, issued with gapless numbers, frozen, and cancelled by a cancellation invoice")
        func billMonth() async throws {
            try await TestApp.run { t in
                let admin = try await t.token(.admin, .management, .accounting)
                let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
                let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
                // The rate changes on 16 November; a flat rate of 6.50 € per home visit.
                for (from, to, rate) in [("2026-01-01", "2026-11-15", "62.40"), ("2026-11-16", nil, "64.00")] {
                    var body: [String: Any] = ["youthOfficeId": office, "validFrom": from, "rates": [["offerId": offer, "hourlyRate": rate]],
                                               "settings": ["travelMode": "perVisit", "travelFlatRate": "6.50"]]
                    if let to { body["validTo"] = to }
                    _ = try await t.create("/api/v1/agreements", token: admin, body)
                }
                let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
                let staff = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team))
                let caseID = try await t.create("/api/v1/cases", token: admin, Fixtures.caseBody(
                    youthOfficeId: office, offerId: offer, leadStaffId: staff, fileNumber: "51.2-2026-0500", firstName: "Lena", lastName: "Sommer"))
                _ = try await t.create("/api/v1/cases/\(caseID)/approvals", token: admin, ["from": "2026-10-01", "to": "2027-03-31", "hours": "20", "per": "month"])
                func record(_ date: String, _ start: String, _ minutes: Int, _ kind: String, extra: [String: Any] = [:]) async throws {
                    var body: [String: Any] = ["staffId": staff, "date": date, "start": start, "minutes": minutes, "kind": kind]
                    body.merge(extra) { $1 }
                    _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: admin, body)
                }
                try await record("2026-11-02", "10:00", 90, "direct", extra: ["homeVisit": true])
                try await record("2026-11-04", "10:00", 90, "direct", extra: ["homeVisit": true])
                try await record("2026-11-05", "10:00", 45, "institution")
                try await record("2026-11-09", "10:00", 200, "report")
                try await record("2026-11-10", "10:00", 90, "noShow")
                try await record("2026-11-11", "10:00", 60, "cancelled", extra: ["cancelledBy": "client", "cancelledAt": "2026-11-10T18:00:00+01:00"])
                try await record("2026-11-12", "10:00", 120, "crisis")
                try await record("2026-11-13", "10:00", 60, "indirect")
                try await record("2026-11-17", "10:00", 60, "direct")
                try await record("2026-10-20", "10:00", 60, "direct")

                let run = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                #expect(run.status == .created)
                #expect(try run.json()["invoiceCount"] as? Int == 1)
                // 90 + 90 + 45 = 225 min service at 62.40 = 234.00; 60 min at 64.00 = 64.00; report 62.40;
                // short notice 45 + 30 = 75 min = 78.00; crisis 124.80; travel 2 × 6.50 = 13.00 → 576.20
                #expect(try run.json()["total"] as? String == "576.20")
                let again = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                #expect(try again.json()["total"] as? String == "576.20")
                let invoices = try await t.send(.GET, "/api/v1/invoices?month=2026-11", token: admin).jsonArray()
                #expect(invoices.count == 1)
                let invoice = try #require(invoices.first)
                let lines = (invoice["lines"] as? [[String: Any]] ?? []).map { "\($0["kind"]!) \($0["quantity"]!) \($0["amount"]!)" }
                #expect(lines == ["serviceHours 3.75 234.00", "serviceHours 1 64.00", "reports 1 62.40", "shortNotice 1.25 78.00",
                                  "crisis 2 124.80", "travel 2 13.00"])
                let id = try #require(invoice["id"] as? String)

                // R15: no invoice while the sheet is unsigned and the agreement requires the signature.
                let unsigned = try await t.send(.POST, "/api/v1/invoices/\(id)/issue", token: admin)
                #expect(unsigned.status == .unprocessableEntity)
                #expect(try unsigned.problemFields() == ["signature"])
                let sheet = try await t.send(.GET, "/api/v1/cases/\(caseID)/service-records/2026-11", token: admin).json()
                #expect(sheet["allowsInvoice"] as? Bool == false)
                #expect((sheet["entries"] as? [Any])?.count == 8)  // every billable entry; indirect work is not on the sheet
                let noReason = try await t.send(.POST, "/api/v1/cases/\(caseID)/service-records/2026-11/signature", token: admin,
                                                json: ["status": "refused", "date": "2026-11-20"])
                #expect(try noReason.problemFields() == ["reason"])
                for month in ["2026-11", "2026-10"] {
                    let signed = try await t.send(.POST, "/api/v1/cases/\(caseID)/service-records/\(month)/signature", token: admin,
                                                  json: ["status": "signed", "date": "2026-11-20", "signedBy": "Sabine Sommer"])
                    #expect(signed.status == .noContent)
                }

                // R16: no invoice without the provider's own data; the header is frozen at issue.
                let noProvider = try await t.send(.POST, "/api/v1/invoices/\(id)/issue", token: admin)
                #expect(try noProvider.problemFields() == ["provider"])
                #expect(try await t.send(.PUT, "/api/v1/provider", token: admin, json: Fixtures.provider()).status == .noContent)

                // R16: gapless yearly numbers; the month's entries are frozen once issued.
                let issued = try await t.send(.POST, "/api/v1/invoices/\(id)/issue", token: admin)
                #expect(issued.status == .ok)
                #expect(try issued.json()["number"] as? String == "2026-000001")
                let header = try #require(try issued.json()["header"] as? [String: Any])
                #expect(header["initials"] as? String == "L. S.")
                #expect(header["fileNumber"] as? String == "51.2-2026-0500")
                #expect(header["leitwegId"] as? String == Fixtures.leitwegID())
                #expect(header["providerName"] as? String == "Testträger gGmbH")
                #expect((header["vatNote"] as? String)?.contains("§ 4 Nr. 25 UStG") == true)
                #expect(!issued.body.string.contains("Sommer"))
                // Master data changed later does not alter the issued invoice.
                var renamed = Fixtures.provider()
                renamed["name"] = "Neuer Name gGmbH"
                _ = try await t.send(.PUT, "/api/v1/provider", token: admin, json: renamed)
                #expect(try await t.send(.GET, "/api/v1/invoices/\(id)", token: admin).json()["header"].flatMap { ($0 as? [String: Any])?["providerName"] as? String } == "Testträger gGmbH")
                let twice = try await t.send(.POST, "/api/v1/invoices/\(id)/issue", token: admin)
                #expect(twice.status == .unprocessableEntity)
                let late = try await t.send(.POST, "/api/v1/cases/\(caseID)/entries", token: admin, json: [
                    "staffId": staff, "date": "2026-11-18", "start": "10:00", "minutes": 60, "kind": "direct"])
                #expect(late.status == .unprocessableEntity)
                #expect(try late.problemFields() == ["date"])
                let october = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-10"])
                #expect(try october.json()["total"] as? String == "62.40")
                let octoberID = try #require(try await t.send(.GET, "/api/v1/invoices?month=2026-10", token: admin).jsonArray().first?["id"] as? String)
                #expect(try await t.send(.POST, "/api/v1/invoices/\(octoberID)/issue", token: admin).json()["number"] as? String == "2026-000002")
                // R17: the month's issued invoices as CSV for the accounting system, initials only.
                let csv = try await t.send(.GET, "/api/v1/invoices.csv?month=2026-11", token: admin)
                #expect(csv.status == .ok)
                #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
                let rows = csv.body.string.split(separator: "\r\n").map(String.init)
                #expect(rows.count == 7)
                #expect(rows[1] == "2026-000001;gestellt;2026-11;51.2-2026-0500;L. S.;Jugendamt Teststadt;\(Fixtures.leitwegID());1;Fachleistungsstunden;Fachleistungsstunden;225;3,75;62,40;234,00;576,20")
                #expect(!csv.body.string.contains("Sommer"))

                // A new run leaves the issued invoice alone.
                let rerun = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                #expect(try rerun.json()["invoiceCount"] as? Int == 0)

                // A correction: a cancellation invoice with its own number and negative amounts, then a new draft.
                let cancel = try await t.send(.POST, "/api/v1/invoices/\(id)/cancel", token: admin)
                #expect(cancel.status == .created)
                #expect(try cancel.json()["number"] as? String == "2026-000003")
                #expect(try cancel.json()["total"] as? String == "-576.20")
                #expect(try await t.send(.GET, "/api/v1/invoices/\(id)", token: admin).json()["status"] as? String == "cancelled")
                let redo = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                #expect(try redo.json()["invoiceCount"] as? Int == 1)

                // Only accounting and management bill.
                let caseworker = try await t.token(.caseworker)
                #expect(try await t.send(.POST, "/api/v1/billing-runs", token: caseworker, json: ["month": "2026-11"]).status == .forbidden)
                let bad = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "November"])
                #expect(bad.status == .unprocessableEntity || bad.status == .badRequest)
            }
        }
    }
}
