@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

/// R10 travel as billed: once per home visit, for a no-show at the door, none while over budget
/// (issue 10, defect 10; decision 0015). The ledger decides, `BilledMinutes.refresh` stores it, the
/// billing run sums the stored value.
extension AllTests {
    @Suite("R10 travel in the billing run")
    struct BillingTravel {
        @Test("R10 one visit by two staff is one flat rate, a no-show at the door earns one, over-budget visits none until an increase")
        func R10_travelBilledPerVisit() async throws {
            try await TestApp.run { t in
                // given: a flat rate of 6.50 € per home visit, 62.40 € an hour, 3 hours a month
                let admin = try await t.token(.admin, .management, .accounting)
                let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
                let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
                _ = try await t.create("/api/v1/agreements", token: admin, [
                    "youthOfficeId": office, "validFrom": "2026-01-01", "rates": [["offerId": offer, "hourlyRate": "62.40"]],
                    "settings": ["travelMode": "perVisit", "travelFlatRate": "6.50", "requireClientSignature": false],
                ])
                let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
                let anna = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team, lastName: "Adler"))
                let ben = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team, lastName: "Berg"))
                var body = Fixtures.caseBody(youthOfficeId: office, offerId: offer, leadStaffId: anna, fileNumber: "51.2-2026-0700",
                                             firstName: "Lena", lastName: "Sommer")
                body["coWorkerIds"] = [ben]
                let caseID = try await t.create("/api/v1/cases", token: admin, body)
                let approval = try await t.create("/api/v1/cases/\(caseID)/approvals", token: admin,
                                                  ["from": "2026-10-01", "to": "2027-03-31", "hours": "3", "per": "month"])
                func record(_ staff: String, _ date: String, _ start: String, _ minutes: Int, _ kind: String = "direct") async throws {
                    _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: admin, [
                        "staffId": staff, "date": date, "start": start, "minutes": minutes, "kind": kind, "homeVisit": true,
                    ])
                }
                func total() async throws -> String? {
                    let run = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": "2026-11"])
                    return try run.json()["total"] as? String
                }
                // when: Anna and Ben visit together (one visit), Anna finds no one at the door on the 4th,
                // and a third visit on the 9th lies entirely beyond the 180 minutes
                try await record(anna, "2026-11-02", "10:00", 60)
                try await record(ben, "2026-11-02", "10:00", 60)
                try await record(anna, "2026-11-04", "10:00", 60, "noShow")
                try await record(anna, "2026-11-09", "10:00", 30)

                // then: 120 + 30 (no-show at 50 %) = 150 min = 156.00 €; two trips = 13.00 € (before: three
                // flat rates, none for the no-show); the visit on the 9th is over budget, its trip too
                #expect(try await total() == "169.00")

                // when: the youth office confirms 30 more minutes for November
                _ = try await t.create("/api/v1/cases/\(caseID)/approvals/\(approval)/increases", token: admin,
                                       ["hours": "0.5", "confirmedOn": "2026-11-20", "appliesOn": "2026-11-20"])
                // then: the visit on the 9th and its trip are billed: + 31.20 € + 6.50 €
                #expect(try await total() == "206.70")
            }
        }
    }
}
