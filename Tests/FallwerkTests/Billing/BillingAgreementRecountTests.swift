@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

extension AllTests {
    @Suite("Agreement changes recount the cases they govern")
    struct AgreementRecountTests {
        @Test("R13 R10 changing an agreement's rounding and short-notice percent recounts its cases: case page ledger, billing run and the outdated draft agree")
        func recountR13() async throws {
            try await TestApp.run { t in
                // given: 55 min of work and a 60 min no-show in November, counted without rounding at 50 %
                let admin = try await t.token(.admin, .management, .accounting)
                let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
                let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
                func agreement(_ settings: [String: Any]) -> [String: Any] {
                    ["youthOfficeId": office, "validFrom": "2026-01-01", "rates": [["offerId": offer, "hourlyRate": "60.00"]],
                     "settings": settings.merging(["requireClientSignature": false]) { a, _ in a }]
                }
                let agreementID = try await t.create("/api/v1/agreements", token: admin, agreement([:]))
                let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
                let staff = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team))
                let caseID = try await t.create("/api/v1/cases", token: admin, Fixtures.caseBody(
                    youthOfficeId: office, offerId: offer, leadStaffId: staff, fileNumber: "51.2-2026-0900", firstName: "Ada", lastName: "Test"))
                _ = try await t.create("/api/v1/cases/\(caseID)/approvals", token: admin, ["from": "2026-10-01", "to": "2027-03-31", "hours": "20", "per": "month"])
                for (date, minutes, kind) in [("2026-11-10", 55, "direct"), ("2026-11-12", 60, "noShow")] {
                    _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: admin,
                                           ["staffId": staff, "date": date, "start": "10:00", "minutes": minutes, "kind": kind])
                }
                #expect(try await t.send(.PUT, "/api/v1/provider", token: admin, json: Fixtures.provider()).status == .noContent)
                let before = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                #expect(try before.json()["total"] as? String == "85.00")
                let draft = try #require(try await t.send(.GET, "/api/v1/invoices?month=2026-11", token: admin).jsonArray().first?["id"] as? String)

                // when: the agreement rounds to 15 minutes and bills short notice at 100 %
                func update(_ settings: [String: Any]) async throws -> TestingHTTPResponse {
                    try await t.send(.PUT, "/api/v1/agreements/\(agreementID)", token: admin, json: agreement(settings))
                }
                #expect(try await update(["roundingMinutes": 15, "shortNoticeBillablePercent": 100]).status == .noContent)

                // then: the stored counts follow (55 → 60, no-show 30 → 60) and the ledger with them
                let entries = try await t.send(.GET, "/api/v1/cases/\(caseID)/entries?month=2026-11", token: admin).jsonArray()
                #expect(entries.compactMap { $0["billableMinutes"] as? Int }.sorted() == [60, 60])
                let budget = try await t.send(.GET, "/api/v1/cases/\(caseID)/budget?date=2026-11-20", token: admin).json()
                #expect(budget["usedMinutes"] as? Int == 120)
                let browser = WebSession(t)
                try await t.addUser("mona", .management)
                try await browser.login("mona")
                #expect(try await browser.get("/faelle/\(caseID)").body.string.contains("2 von 20 Std."))
                // the draft of before is outdated: issuing it is refused until the run is repeated
                let stale = try await t.send(.POST, "/api/v1/invoices/\(draft)/issue", token: admin)
                #expect(stale.status == .unprocessableEntity)
                #expect(try stale.problemFields() == ["status"])
                let after = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                #expect(try after.json()["total"] as? String == "120.00")
                let fresh = try #require(try await t.send(.GET, "/api/v1/invoices?month=2026-11", token: admin).jsonArray().first)
                let lines = (fresh["lines"] as? [[String: Any]] ?? []).map { "\($0["kind"]!) \($0["minutes"]!) \($0["amount"]!)" }
                #expect(lines == ["serviceHours 60 60.00", "shortNotice 60 60.00"])
                let issued = try await t.send(.POST, "/api/v1/invoices/\(try #require(fresh["id"] as? String))/issue", token: admin)
                #expect(issued.status == .ok)

                // an invoiced month is not recounted behind the invoice's back: cancel first
                let refused = try await update(["roundingMinutes": 1, "shortNoticeBillablePercent": 100])
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["validFrom"])
                #expect(try await t.send(.GET, "/api/v1/cases/\(caseID)/budget?date=2026-11-20", token: admin).json()["usedMinutes"] as? Int == 120)
            }
        }
    }
}

extension AllTests.AgreementRecountTests {
    @Test("R10 decision 0033: an entry written after its agreement changed counts under the new settings, though the write before kept the old ones")
    func keptSettingsFollowTheAgreementR10() async throws {
        try await TestApp.run { t in
            // given a no-show counted at 50 % (its write kept the youth office's settings, on SQLite)
            let admin = try await t.token(.admin, .management, .accounting)
            let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
            let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
            func agreement(_ percent: Int) -> [String: Any] {
                ["youthOfficeId": office, "validFrom": "2026-01-01", "rates": [["offerId": offer, "hourlyRate": "60.00"]],
                 "settings": ["requireClientSignature": false, "shortNoticeBillablePercent": percent]]
            }
            let agreementID = try await t.create("/api/v1/agreements", token: admin, agreement(50))
            let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
            let staff = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team))
            let caseID = try await t.create("/api/v1/cases", token: admin, Fixtures.caseBody(
                youthOfficeId: office, offerId: offer, leadStaffId: staff, fileNumber: "51.2-2026-0901", firstName: "Ada", lastName: "Test"))
            _ = try await t.create("/api/v1/cases/\(caseID)/approvals", token: admin, ["from": "2026-10-01", "to": "2027-03-31", "hours": "20", "per": "month"])
            func noShow(_ date: String) async throws -> String {
                try await t.create("/api/v1/cases/\(caseID)/entries", token: admin,
                                   ["staffId": staff, "date": date, "start": "10:00", "minutes": 60, "kind": "noShow"])
            }
            let first = try await noShow("2026-11-10")
            func billable(_ id: String) async throws -> Int? {
                try await t.send(.GET, "/api/v1/cases/\(caseID)/entries?month=2026-11", token: admin).jsonArray()
                    .first { $0["id"] as? String == id }?["billableMinutes"] as? Int
            }
            #expect(try await billable(first) == 30)
            // when the agreement bills short notice at 100 %
            #expect(try await t.send(.PUT, "/api/v1/agreements/\(agreementID)", token: admin, json: agreement(100)).status == .noContent)
            // then the next no-show counts in full (a book kept for the old generation would count 30)
            let second = try await noShow("2026-11-12")
            #expect(try await billable(second) == 60)
            #expect(try await billable(first) == 60)
        }
    }

    @Test("R8 issue 12: changing the agreement's balancing re-forms the kept budget windows of a case without any work")
    func balancingWithoutWork() async throws {
        try await TestApp.run { t in
            // given a case with 10 hours a month from October to March and no entry
            let admin = try await t.token(.admin, .management, .accounting)
            let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
            let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
            func agreement(_ balancing: String) -> [String: Any] {
                ["youthOfficeId": office, "validFrom": "2026-01-01", "rates": [["offerId": offer, "hourlyRate": "60.00"]],
                 "settings": ["balancing": balancing]]
            }
            let agreementID = try await t.create("/api/v1/agreements", token: admin, agreement("perUnit"))
            let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
            let staff = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team))
            let caseID = try await t.create("/api/v1/cases", token: admin, Fixtures.caseBody(
                youthOfficeId: office, offerId: offer, leadStaffId: staff, fileNumber: "51.2-2026-0901", firstName: "Ben", lastName: "Test"))
            _ = try await t.create("/api/v1/cases/\(caseID)/approvals", token: admin, ["from": "2026-10-01", "to": "2027-03-31", "hours": "10", "per": "month"])
            let monthly = try await t.send(.GET, "/api/v1/cases/\(caseID)/budget?date=2026-11-20", token: admin).json()
            #expect(monthly["approvedMinutes"] as? Int == 600)
            // when the monthly volume becomes one budget for the whole period (seed 004)
            #expect(try await t.send(.PUT, "/api/v1/agreements/\(agreementID)", token: admin, json: agreement("wholePeriod")).status == .noContent)
            // then the kept window is the whole period, as the ledger counts it
            let whole = try await t.send(.GET, "/api/v1/cases/\(caseID)/budget?date=2026-11-20", token: admin).json()
            #expect(whole["approvedMinutes"] as? Int == 3_600)
            #expect(whole["from"] as? String == "2026-10-01")
        }
    }
}
