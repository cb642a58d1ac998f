@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Billing pages: printed invoice, month page, issuing all, ZIP")
    struct BillingPrint {
        static func accountant(_ t: TestApp) async throws -> WebSession {
            try await t.addUser("vera", .accounting)
            let browser = WebSession(t)
            try await browser.login("vera")
            return browser
        }

        @Test("R16 printed invoice: invoice date, IBAN in groups of four, no line breaks in amounts and ids, a print button")
        func printedInvoice() async throws {
            try await TestApp.run { t in
                // given: an invoice issued on 22 November 2026 (the test clock)
                let w = try await AllTests.BillingExports.world(t)
                let (_, id) = try await AllTests.BillingExports.issuedInvoice(w)
                let browser = try await Self.accountant(t)

                // when
                let page = try await browser.get("/rechnungen/\(id)").body.string

                // then
                #expect(page.contains("<dt>Rechnungsdatum</dt><dd class=\"nowrap\">22.11.2026</dd>"))
                #expect(page.contains("<dd class=\"nowrap\">2026-000001</dd>"))
                #expect(page.contains("<span class=\"nowrap\">IBAN DE02 1203 0000 0000 2020 51</span>"))
                #expect(page.contains("<span class=\"nowrap\">162,50 €</span>") || page.contains("Rechnungsbetrag: 162,50 €"))
                #expect(page.contains("<span class=\"nowrap\">62,40 €</span>"))
                #expect(page.contains("data-print=\"invoice\""))
                #expect(page.contains("<script src=\"/assets/drucken.js\""))
                #expect(!page.contains("onclick"))
                let script = try await browser.get("/assets/drucken.js")
                #expect(script.status == .ok)
                #expect(script.body.string.contains("window.print()"))
                let css = try await browser.get("/assets/fallwerk.css").body.string
                #expect(css.contains(".nowrap { white-space: nowrap; }"))
            }
        }

        @Test("Euro amounts on the billing pages have thousands separators (2.504,00 €)")
        func thousands() async throws {
            try await TestApp.run { t in
                // given: 2.5 h at 999.00 € and one visit at 6.50 €
                let w = try await GoldenWorld.make(t, offer: Fixtures.offer(),
                                                   agreements: [("2026-01-01", nil, "999.00", ["travelMode": "perVisit", "travelFlatRate": "6.50"])])
                let (_, id) = try await AllTests.BillingExports.issuedInvoice(w)
                let browser = try await Self.accountant(t)

                // when
                let month = try await browser.get("/abrechnung?monat=2026-11").body.string
                let invoice = try await browser.get("/rechnungen/\(id)").body.string

                // then
                #expect(month.contains("<span class=\"nowrap\">2.504,00 €</span>"))
                #expect(!month.contains("2504,00"))
                #expect(invoice.contains("Rechnungsbetrag: 2.504,00 €"))
                #expect(invoice.contains("<span class=\"nowrap\">999,00 €</span>"))
            }
        }

        @Test("R14 the notice after a billing run names the month (November 2026), not 2026-11")
        func runNotice() async throws {
            try await TestApp.run { t in
                // given
                let w = try await AllTests.BillingExports.world(t)
                let c = try await w.openCase("51.2-2026-1401", approval: ("2026-10-01", "2027-03-31", "10", "month"))
                try await w.record(c, "2026-11-02", "10:00", 60, "direct")
                let browser = try await Self.accountant(t)
                try await browser.get("/abrechnung?monat=2026-11")

                // when
                let run = try await browser.post("/abrechnung/2026-11/lauf", [])
                let page = try await browser.get("/abrechnung?monat=2026-11").body.string

                // then
                #expect(run.status == .seeOther)
                #expect(page.contains("Abrechnungslauf November 2026: 1 Rechnungsentwurf über 62,40 €."))
                #expect(!page.contains("Abrechnungslauf 2026-11"))
            }
        }

        @Test("R15 the blocker Unterschrift fehlt links to the case's service record sheet")
        func unsignedLinksToSheet() async throws {
            try await TestApp.run { t in
                // given: a draft without the required signature
                let w = try await AllTests.BillingExports.world(t)
                let c = try await w.openCase("51.2-2026-1501", approval: ("2026-10-01", "2027-03-31", "10", "month"))
                try await w.record(c, "2026-11-02", "10:00", 60, "direct")
                _ = try await w.bill("2026-11", caseID: c)
                let browser = try await Self.accountant(t)

                // when
                let page = try await browser.get("/abrechnung?monat=2026-11").body.string

                // then
                #expect(page.contains("<a href=\"/faelle/\(c.lowercased())/nachweis/2026-11\">Unterschrift fehlt</a>"))
            }
        }

        @Test("R16 issue all first shows what happens (count, total, numbers frozen) and issues only on the confirming button")
        func issueAllConfirmation() async throws {
            try await TestApp.run { t in
                // given: two signed drafts
                let w = try await AllTests.BillingExports.world(t)
                var cases: [String] = []
                for (n, start) in ["08:00", "12:00"].enumerated() {
                    let c = try await w.openCase("51.2-2026-160\(n)", approval: ("2026-10-01", "2027-03-31", "10", "month"))
                    try await w.record(c, "2026-11-03", start, 60, "direct")
                    _ = try await t.send(.POST, "/api/v1/cases/\(c)/service-records/2026-11/signature", token: w.admin,
                                         json: ["status": "signed", "date": "2026-11-20", "signedBy": "Sabine Sommer"])
                    cases.append(c)
                }
                _ = try await w.bill("2026-11", caseID: cases[0])
                let browser = try await Self.accountant(t)

                // when: the month page's button only leads to the confirmation
                let month = try await browser.get("/abrechnung?monat=2026-11").body.string
                let confirm = try await browser.get("/abrechnung/2026-11/stellen")
                let stillDrafts = try await t.send(.GET, "/api/v1/invoices?month=2026-11", token: w.admin).jsonArray()

                // then
                #expect(month.contains("<a class=\"button\" href=\"/abrechnung/2026-11/stellen\">Alle 2 freien Rechnungen stellen …</a>"))
                #expect(!month.contains("action=\"/abrechnung/2026-11/stellen\""))
                #expect(confirm.status == .ok)
                let body = confirm.body.string
                #expect(body.contains("2 Rechnungen für November 2026 stellen?"))
                #expect(body.contains("Gestellt werden 2 Rechnungen über zusammen <span class=\"nowrap\">124,80 €</span>."))
                #expect(body.contains("nicht mehr ändern, nur stornieren"))
                #expect(body.contains("51.2-2026-1600") && body.contains("51.2-2026-1601"))
                #expect(body.contains("action=\"/abrechnung/2026-11/stellen\""))
                #expect(body.contains("Jetzt alle 2 Rechnungen ausstellen"))
                #expect(stillDrafts.allSatisfy { $0["status"] as? String == "draft" })

                // when: confirmed
                let issued = try await browser.post("/abrechnung/2026-11/stellen", [])

                // then
                #expect(issued.status == .seeOther)
                #expect(try await browser.get("/abrechnung?monat=2026-11").body.string.contains("2 Rechnungen über 124,80 € gestellt."))
                let after = try await t.send(.GET, "/api/v1/invoices?month=2026-11", token: w.admin).jsonArray()
                #expect(after.allSatisfy { $0["status"] as? String == "issued" })
            }
        }

        @Test("R17 a ZIP of the month's XRechnung files, linked from the month page")
        func xrechnungZip() async throws {
            try await TestApp.run { t in
                // given: one issued invoice and its cancellation
                let w = try await AllTests.BillingExports.world(t)
                let browser = try await Self.accountant(t)
                let empty = try await browser.get("/abrechnung/2026-11/xrechnungen.zip")
                #expect(empty.status == .seeOther)
                let (_, id) = try await AllTests.BillingExports.issuedInvoice(w)
                let cancel = try await t.send(.POST, "/api/v1/invoices/\(id)/cancel", token: w.admin)
                #expect(cancel.status == .ok || cancel.status == .created, "\(cancel.body.string)")

                // when
                let month = try await browser.get("/abrechnung?monat=2026-11").body.string
                let zip = try await browser.get("/abrechnung/2026-11/xrechnungen.zip")

                // then
                #expect(month.contains("href=\"/abrechnung/2026-11/xrechnungen.zip\""))
                #expect(zip.status == .ok)
                #expect(zip.headers.contentType == .zip)
                #expect(zip.headers.first(name: .contentDisposition)?.contains("xrechnungen-2026-11.zip") == true)
                let entries = try StoredZip.read(Data(zip.body.readableBytesView))
                #expect(entries.map(\.name) == ["xrechnung-2026-000001.xml", "xrechnung-2026-000002.xml"])
                let single = try await browser.get("/rechnungen/\(id)/xrechnung.xml").body.string
                #expect(String(decoding: entries[0].data, as: UTF8.self) == single)
                for entry in entries { try XRechnungValidator.validate(String(decoding: entry.data, as: UTF8.self), name: entry.name) }
            }
        }
    }
}
