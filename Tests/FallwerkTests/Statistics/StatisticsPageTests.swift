@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// Statistics, performance report and DATEV through the pages: every route × role, and the forms.
extension AllTests {
    @Suite("Statistics pages")
    struct StatisticsPageTests {
        @Test("R31 issue 15: statistics for management, team leads and accounting; reports for management and team leads; DATEV for accounting and management",
              arguments: Role.allCases)
        func pagesByRole(role: Role) async throws {
            try await TestApp.run { t in
                let d = try await StatisticsTests.make(t)
                let report = try await t.create("/api/v1/performance-reports", token: d.w.management, ["from": "2024-11-01", "to": "2026-10-31"])
                let probe = try await d.w.member("probe", [role], team: d.w.northTeamID, lastName: "Probe")
                if role == .teamLead { try await d.w.setTeamLead(d.w.northTeamID, name: "Team Nord", staffID: probe.staffID) }
                let browser = WebSession(t)
                try await browser.login("probe")
                let statistics = [Role.management, .teamLead, .accounting].contains(role)
                let reports = [Role.management, .teamLead].contains(role)
                let datev = [Role.management, .accounting].contains(role)
                // The report was drafted by management for all teams: a team lead does not see it (404).
                let gets: [(String, HTTPStatus)] = [
                    ("/statistik?from=2026-01-01&to=2026-06-30", statistics ? .ok : .forbidden),
                    ("/statistik.csv?from=2026-01-01&to=2026-06-30", statistics ? .ok : .forbidden),
                    ("/leistungsberichte", reports ? .ok : .forbidden),
                    ("/leistungsberichte/\(report)", role == .management ? .ok : reports ? .notFound : .forbidden),
                    ("/leistungsberichte/\(report)/leistungsbericht.docx", role == .management ? .ok : reports ? .notFound : .forbidden),
                    ("/abrechnung/datev", datev ? .ok : .forbidden),
                ]
                for (path, expected) in gets {
                    let page = try await browser.get(path)
                    #expect(page.status == expected, "\(role) GET \(path): \(page.status)")
                }
                _ = try await browser.get("/leistungsberichte")
                let posts: [(String, [(String, String)], HTTPStatus)] = [
                    ("/leistungsberichte", [("from", "2024-11-01"), ("to", "2026-10-31")], reports ? .seeOther : .forbidden),
                    ("/leistungsberichte/\(report)/freigeben", [], role == .management ? .seeOther : reports ? .notFound : .forbidden),
                    ("/abrechnung/datev", [("consultantNumber", "29098"), ("clientNumber", "55003"), ("fiscalYearStartMonth", "1"),
                                           ("accountLength", "4"), ("revenueAccount", "8100")], datev ? .seeOther : .forbidden),
                ]
                for (path, fields, expected) in posts {
                    let response = try await browser.post(path, fields)
                    #expect(response.status == expected, "\(role) POST \(path): \(response.status) \(response.body.string.prefix(300))")
                }
            }
        }

        @Test("R29 the statistics page shows the figures with bars drawn as SVG, names no person, and hides outcomes from accounting")
        func statisticsPage() async throws {
            try await TestApp.run { t in
                let d = try await StatisticsTests.make(t)
                _ = try await t.addUser("lena", .management)
                let browser = WebSession(t)
                try await browser.login("lena")
                let html = try await browser.get("/statistik?from=2026-01-01&to=2026-06-30").body.string
                #expect(html.contains("Statistik 01.01.2026 – 30.06.2026"))
                #expect(html.contains("<svg class=\"bar\""))
                #expect(html.contains("Beendigungsgründe"))
                #expect(html.contains("Median 150,5 Tage"))
                #expect(html.contains("/statistik.csv?from=2026-01-01&amp;to=2026-06-30") || html.contains("/statistik.csv?from=2026-01-01&to=2026-06-30"))
                for name in ["KindA", "Sommer", "Fink"] { #expect(!html.contains(name), "\(name)") }
                // A period that cannot be: this year's figures with a German message.
                let reversed = try await browser.get("/statistik?from=2026-06-30&to=2026-01-01")
                #expect(reversed.status == .unprocessableEntity)
                #expect(reversed.body.string.contains("Das Ende des Zeitraums darf nicht vor seinem Beginn liegen."))
                _ = try await t.addUser("jonas", .accounting)
                let accounting = WebSession(t)
                try await accounting.login("jonas")
                let money = try await accounting.get("/statistik?from=2026-01-01&to=2026-06-30").body.string
                #expect(money.contains("Abgerechnet"))
                #expect(!money.contains("Beendigungsgründe"))
                #expect(!money.contains("§ 8a-Verfahren"))
                _ = d
            }
        }

        @Test("R30 management writes, approves and submits a Leistungsbericht through the pages; typed text survives quotes and umlauts")
        func performanceReportPages() async throws {
            try await TestApp.run { t in
                _ = try await StatisticsTests.make(t)
                _ = try await t.addUser("lena", .management)
                let browser = WebSession(t)
                try await browser.login("lena")
                _ = try await browser.get("/leistungsberichte")
                let created = try await browser.post("/leistungsberichte", [("from", "2024-11-01"), ("to", "2026-10-31")])
                #expect(created.status == .seeOther)
                let path = try #require(created.headers.first(name: .location))
                let text = #"Wir begleiten Familien "nah dran" – Überblick <2025 & 2026>."#
                _ = try await browser.get(path)
                #expect(try await browser.post(path + "/abschnitte/offer", [("text", text)]).status == .seeOther)
                let page = try await browser.get(path).body.string
                #expect(page.contains("Wir begleiten Familien &quot;nah dran&quot; – Überblick &lt;2025 &amp; 2026&gt;.")
                        || page.contains("Wir begleiten Familien \"nah dran\" – Überblick &lt;2025 &amp; 2026&gt;."))
                #expect(try await browser.post(path + "/freigeben", []).status == .seeOther)
                let early = try await browser.post(path + "/gespraech", [("date", "2026-11-22")])
                #expect(early.status == .unprocessableEntity)
                #expect(try await browser.post(path + "/vorlegen", [("date", "2026-11-22")]).status == .seeOther)
                let submitted = try await browser.get(path).body.string
                #expect(submitted.contains("Trägergespräch fällig bis 14.02.2027."))
                let docx = try await browser.get(path + "/leistungsbericht.docx")
                #expect(docx.status == .ok)
                #expect(docx.headers.first(name: .contentType) == DocxDocument.contentType)
            }
        }

        @Test("DATEV the billing month links the export; without settings it sends the accountant to them with a German message")
        func datevPages() async throws {
            try await TestApp.run { t in
                let d = try await StatisticsTests.make(t)
                _ = try await t.addUser("jonas", .accounting)
                let browser = WebSession(t)
                try await browser.login("jonas")
                #expect(try await browser.get("/abrechnung?monat=2026-02").body.string.contains("/abrechnung/2026-02/datev.csv"))
                let unset = try await browser.get("/abrechnung/2026-11/datev.csv")
                #expect(unset.status == .seeOther)
                #expect(unset.headers.first(name: .location) == "/abrechnung/datev")
                _ = try await browser.get("/abrechnung/datev")
                let bad = try await browser.post("/abrechnung/datev", [("consultantNumber", "12"), ("clientNumber", "x"), ("fiscalYearStartMonth", "1"),
                                                                       ("accountLength", "4"), ("revenueAccount", "8100")])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains(#"value="12""#))
                let office = d.w.officeID.lowercased()
                #expect(try await browser.post("/abrechnung/datev", [("consultantNumber", "29098"), ("clientNumber", "55003"),
                                                                     ("fiscalYearStartMonth", "1"), ("accountLength", "4"), ("revenueAccount", "8100"),
                                                                     ("debtorAccounts.\(office)", "10001")]).status == .seeOther)
                let file = try await browser.get("/abrechnung/2026-11/datev.csv")
                #expect(file.status == .ok)
                #expect(file.headers.first(name: .contentType)?.contains("windows-1252") == true)
                #expect(Array(file.body.readableBytesView.prefix(6)) == Array("\"EXTF\"".utf8))
            }
        }
    }
}
