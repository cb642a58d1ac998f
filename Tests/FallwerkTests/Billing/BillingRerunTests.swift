@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Billing reruns")
    struct BillingReruns {
        @Test("R14 a rerun keeps unchanged drafts as they are and recomputes a case whose work changed")
        func rerun() async throws {
            try await TestApp.run { t in
                // given: two cases with work in November
                let admin = try await t.token(.admin, .management, .accounting)
                let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
                let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
                _ = try await t.create("/api/v1/agreements", token: admin, ["youthOfficeId": office, "validFrom": "2026-01-01",
                                                                          "rates": [["offerId": offer, "hourlyRate": "60.00"]]])
                let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
                let staff = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team))
                var cases: [String] = []
                for (number, name) in [("0701", "Ada"), ("0702", "Bo")] {
                    let id = try await t.create("/api/v1/cases", token: admin, Fixtures.caseBody(
                        youthOfficeId: office, offerId: offer, leadStaffId: staff, fileNumber: "51.2-2026-\(number)", firstName: name, lastName: "Test"))
                    _ = try await t.create("/api/v1/cases/\(id)/approvals", token: admin, ["from": "2026-10-01", "to": "2027-03-31", "hours": "20", "per": "month"])
                    _ = try await t.create("/api/v1/cases/\(id)/entries", token: admin,
                                           ["staffId": staff, "date": "2026-11-0\(cases.count + 2)", "start": "10:00", "minutes": 60, "kind": "direct"])
                    cases.append(id)
                }
                func drafts() async throws -> [String: (id: String, total: String)] {
                    let list = try await t.send(.GET, "/api/v1/invoices?month=2026-11", token: admin).jsonArray()
                    return Dictionary(uniqueKeysWithValues: list.map { ($0["caseId"] as? String ?? "", ($0["id"] as? String ?? "", $0["total"] as? String ?? "")) })
                }
                _ = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                let first = try await drafts()
                // when: nothing changed, then one case gets more work
                _ = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                let second = try await drafts()
                _ = try await t.create("/api/v1/cases/\(cases[1])/entries", token: admin,
                                       ["staffId": staff, "date": "2026-11-10", "start": "10:00", "minutes": 30, "kind": "direct"])
                let run = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                let third = try await drafts()
                // then
                #expect(first.count == 2)
                #expect(second.mapValues(\.id) == first.mapValues(\.id))
                #expect(third[cases[0]]?.id == first[cases[0]]?.id)
                #expect(third[cases[1]]?.id != first[cases[1]]?.id)
                #expect(third[cases[1]]?.total == "90.00")
                #expect(try run.json()["total"] as? String == "150.00")
                #expect(try run.json()["invoiceCount"] as? Int == 2)
            }
        }
    }
}
