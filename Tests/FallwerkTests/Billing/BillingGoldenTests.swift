@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

/// Hand-computed months, one per offer of the seeds, billed through the API and checked to the cent
/// (R10, R13, R14). The arithmetic is written out beside each expectation.
extension AllTests {
    @Suite("Golden billing months")
    struct BillingGolden {
        @Test("R10 R13 R14 Einzelfallhilfe [000]: orientation day of 10 FLS, 15-minute rounding, travel per km")
        func einzelfallhilfe() async throws {
            try await TestApp.run { t in
                let w = try await GoldenWorld.make(t, offer: ["name": "Einzelfallhilfe", "legalBasis": "§ 27 i. V. m. § 30 SGB VIII", "onboardingDayHours": "10"],
                                                   agreements: [("2026-01-01", nil, "58.00", ["roundingMinutes": 15, "travelMode": "perKm", "travelRatePerKm": "0.30"])])
                let c = try await w.openCase("51.2-2026-0601", approval: ("2026-10-01", "2027-03-31", "8", "month"))
                try await w.record(c, "2026-11-02", "08:00", 480, "onboardingDay")
                try await w.record(c, "2026-11-03", "10:00", 50, "direct", ["homeVisit": true, "kilometres": 12])  // → 45 min, 12 km
                try await w.record(c, "2026-11-05", "10:00", 53, "direct", ["homeVisit": true, "kilometres": 8])   // → 60 min, 8 km
                try await w.record(c, "2026-11-10", "10:00", 22, "institution")                                   // → 15 min
                try await w.record(c, "2026-11-12", "10:00", 97, "direct")                                        // → 90 min
                let invoice = try await w.bill("2026-11", caseID: c)
                // 45 + 60 + 15 + 90 = 210 min = 3.5 h × 58.00 = 203.00; orientation day 10 h × 58.00 = 580.00;
                // 20 km × 0.30 = 6.00 → 789.00
                #expect(invoice.lines == ["serviceHours 3.5 58.00 203.00", "onboardingDay 10 58.00 580.00", "travel 20 0.30 6.00"])
                #expect(invoice.total == "789.00")
            }
        }

        @Test("R10 R11 R14 MoPäD [001]: a group session split over three cases, four-eyes home visit, crisis, travel per visit")
        func mobilePaedagogischeDienste() async throws {
            try await TestApp.run { t in
                let w = try await GoldenWorld.make(t, offer: ["name": "MoPäD Familienhilfe", "legalBasis": "§ 27 i. V. m. § 31 SGB VIII"],
                                                   agreements: [("2026-01-01", nil, "61.20", ["travelMode": "perVisit", "travelFlatRate": "5.00"])])
                let second = try await t.create("/api/v1/staff", token: w.admin, Fixtures.staff(teamId: w.team, lastName: "Zweit"))
                let a = try await w.openCase("51.2-2026-0701", approval: ("2026-10-01", "2027-03-31", "20", "month"), coWorkers: [second])
                let b = try await w.openCase("51.2-2026-0702", approval: ("2026-10-01", "2027-03-31", "20", "month"), coWorkers: [second])
                let c = try await w.openCase("51.2-2026-0703", approval: ("2026-10-01", "2027-03-31", "20", "month"), coWorkers: [second])
                // 90 minutes, two staff, three cases: 90 × 2 ÷ 3 = 60 minutes per case.
                let group = try await t.send(.POST, "/api/v1/group-sessions", token: w.admin, json: [
                    "date": "2026-11-06", "start": "14:00", "minutes": 90, "staffIds": [w.staff, second], "caseIds": [a, b, c]])
                #expect(group.status == .created, "\(group.body.string)")
                try await w.record(a, "2026-11-09", "10:00", 60, "direct", ["homeVisit": true])
                try await w.record(a, "2026-11-09", "10:00", 60, "direct", ["homeVisit": true], staff: second)
                try await w.record(a, "2026-11-20", "18:00", 45, "crisis")
                let invoiceA = try await w.bill("2026-11", caseID: a)
                // 60 (group) + 2 × 60 (four eyes) = 180 min = 3 h × 61.20 = 183.60; crisis 0.75 h = 45.90;
                // one home visit by two staff is one trip (decision 0015): 1 × 5.00 → 234.50
                #expect(invoiceA.lines == ["serviceHours 3 61.20 183.60", "crisis 0.75 61.20 45.90", "travel 1 5.00 5.00"])
                #expect(invoiceA.total == "234.50")
                for other in [b, c] {
                    let invoice = try await w.invoice("2026-11", caseID: other)
                    #expect(invoice.lines == ["serviceHours 1 61.20 61.20"])
                }
                #expect(w.lastRunTotal == "356.90")  // 234.50 + 2 × 61.20
            }
        }

        @Test("R9 R10 R14 Alltagstraining [002]: report hours, cancellations either side of 24 hours, over budget without and with an increase")
        func alltagstraining() async throws {
            try await TestApp.run { t in
                let w = try await GoldenWorld.make(t, offer: ["name": "Alltagstraining", "legalBasis": "§ 27 i. V. m. § 31 SGB VIII"],
                                                   agreements: [("2026-01-01", nil, "52.00", ["travelMode": "perVisit", "travelFlatRate": "4.50"])])
                let c = try await w.openCase("51.2-2026-0801", approval: ("2026-11-01", "2027-04-30", "4", "month"))
                try await w.record(c, "2026-11-02", "10:00", 90, "direct", ["homeVisit": true])            // 90, travel 4.50
                try await w.record(c, "2026-11-04", "10:00", 60, "cancelled",
                                   ["cancelledBy": "client", "cancelledAt": "2026-11-03T12:00:00+01:00"])       // 22 h ahead: 30 billed, 60 budget
                try await w.record(c, "2026-11-06", "10:00", 60, "cancelled",
                                   ["cancelledBy": "client", "cancelledAt": "2026-11-05T09:00:00+01:00"])       // 25 h ahead: nothing
                try await w.record(c, "2026-11-09", "10:00", 60, "cancelled",
                                   ["cancelledBy": "provider", "cancelledAt": "2026-11-09T08:00:00+01:00"])     // by the provider: nothing
                try await w.record(c, "2026-11-11", "10:00", 150, "report")                                // 1 FLS = 60
                try await w.record(c, "2026-11-16", "10:00", 60, "direct")                                 // 210 + 60 > 240: 30 over
                try await w.record(c, "2026-11-20", "10:00", 45, "direct")                                 // all 45 over
                let without = try await w.bill("2026-11", caseID: c)
                // service 90 + 30 = 120 min = 2 h × 52.00 = 104.00; report 52.00; short notice 0.5 h = 26.00;
                // travel 4.50; 75 min over budget listed at 0 → 186.50
                #expect(without.lines == ["serviceHours 2 52.00 104.00", "reports 1 52.00 52.00", "shortNotice 0.5 52.00 26.00",
                                          "travel 1 4.50 4.50", "overBudget 1.25 0.00 0.00"])
                #expect(without.total == "186.50")

                let approval = try #require(try await t.send(.GET, "/api/v1/cases/\(c)/approvals", token: w.admin).jsonArray().first?["id"] as? String)
                let increase = try await t.send(.POST, "/api/v1/cases/\(c)/approvals/\(approval)/increases", token: w.admin,
                                                json: ["hours": "2", "confirmedOn": "2026-11-20", "appliesOn": "2026-11-16"])
                #expect(increase.status == .created, "\(increase.body.string)")
                let with = try await w.bill("2026-11", caseID: c)
                // service 90 + 60 + 45 = 195 min = 3.25 h × 52.00 = 169.00; + 52.00 + 26.00 + 4.50 → 251.50
                #expect(with.lines == ["serviceHours 3.25 52.00 169.00", "reports 1 52.00 52.00", "shortNotice 0.5 52.00 26.00", "travel 1 4.50 4.50"])
                #expect(with.total == "251.50")
            }
        }

        @Test("R8 R13 R14 Nachbetreuung [003, 004]: a rate change mid-month gives two lines; the whole period's budget absorbs a busy month")
        func nachbetreuung() async throws {
            try await TestApp.run { t in
                let settings: [String: Any] = ["balancing": "wholePeriod"]
                let w = try await GoldenWorld.make(t, offer: ["name": "Nachbetreuung", "legalBasis": "§ 41 SGB VIII"],
                                                   agreements: [("2026-01-01", "2026-11-15", "60.00", settings), ("2026-11-16", nil, "63.00", settings)])
                let c = try await w.openCase("51.2-2026-0901", approval: ("2026-10-01", "2026-12-31", "2", "month"))
                try await w.record(c, "2026-10-15", "10:00", 60, "direct")
                try await w.record(c, "2026-11-03", "10:00", 120, "direct")
                try await w.record(c, "2026-11-10", "10:00", 60, "noShow")   // 30 billed, 60 budget
                try await w.record(c, "2026-11-18", "10:00", 90, "direct")
                let invoice = try await w.bill("2026-11", caseID: c)
                // Budget: 3 × 2 h = 360 min for the period; used 60 + 120 + 60 + 90 = 330, nothing over.
                // 120 min × 60.00 = 120.00; 90 min × 63.00 = 94.50; no-show 30 min × 60.00 = 30.00 → 244.50
                #expect(invoice.lines == ["serviceHours 2 60.00 120.00", "serviceHours 1.5 63.00 94.50", "shortNotice 0.5 60.00 30.00"])
                #expect(invoice.total == "244.50")
            }
        }
    }
}

/// One youth office, one offer with its agreements, one team and staff member, through the API.
struct GoldenWorld {
    let t: TestApp
    let admin: String
    let office: String
    let offer: String
    let team: String
    let staff: String
    let box = Box()

    final class Box: @unchecked Sendable { var lastRunTotal = "" }

    var lastRunTotal: String { box.lastRunTotal }

    struct Invoice: Sendable {
        /// "kind quantity unitPrice amount" per line.
        let lines: [String]
        let total: String
        let id: String
    }

    static func make(_ t: TestApp, offer: [String: Any], agreements: [(String, String?, String, [String: Any])]) async throws -> GoldenWorld {
        let admin = try await t.token(.admin, .management, .accounting)
        let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
        let offerID = try await t.create("/api/v1/offers", token: admin, offer)
        for (from, to, rate, settings) in agreements {
            var body: [String: Any] = ["youthOfficeId": office, "validFrom": from, "rates": [["offerId": offerID, "hourlyRate": rate]], "settings": settings]
            if let to { body["validTo"] = to }
            _ = try await t.create("/api/v1/agreements", token: admin, body)
        }
        let team = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
        let staff = try await t.create("/api/v1/staff", token: admin, Fixtures.staff(teamId: team))
        #expect(try await t.send(.PUT, "/api/v1/provider", token: admin, json: Fixtures.provider()).status == .noContent)
        return GoldenWorld(t: t, admin: admin, office: office, offer: offerID, team: team, staff: staff)
    }

    func openCase(_ fileNumber: String, approval: (String, String, String, String), coWorkers: [String] = []) async throws -> String {
        var body = Fixtures.caseBody(youthOfficeId: office, offerId: offer, leadStaffId: staff, fileNumber: fileNumber,
                                     firstName: "Lena", lastName: "Sommer")
        body["startDate"] = "2026-10-01"
        if !coWorkers.isEmpty { body["coWorkerIds"] = coWorkers }
        let id = try await t.create("/api/v1/cases", token: admin, body)
        _ = try await t.create("/api/v1/cases/\(id)/approvals", token: admin,
                               ["from": approval.0, "to": approval.1, "hours": approval.2, "per": approval.3])
        return id
    }

    func record(_ caseID: String, _ date: String, _ start: String, _ minutes: Int, _ kind: String, _ extra: [String: Any] = [:],
                staff: String? = nil) async throws {
        var body: [String: Any] = ["staffId": staff ?? self.staff, "date": date, "start": start, "minutes": minutes, "kind": kind]
        body.merge(extra) { $1 }
        _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: admin, body)
    }

    /// Runs the month and returns the case's draft.
    func bill(_ month: String, caseID: String) async throws -> Invoice {
        let run = try await t.send(.POST, "/api/v1/billing-runs", token: admin, json: ["month": month])
        #expect(run.status == .created, "\(run.body.string)")
        box.lastRunTotal = try run.json()["total"] as? String ?? ""
        return try await invoice(month, caseID: caseID)
    }

    func invoice(_ month: String, caseID: String) async throws -> Invoice {
        let invoices = try await t.send(.GET, "/api/v1/invoices?month=\(month)", token: admin).jsonArray()
        let mine = try #require(invoices.first { ($0["caseId"] as? String)?.lowercased() == caseID.lowercased() && $0["status"] as? String == "draft" })
        let lines = (mine["lines"] as? [[String: Any]] ?? []).map { "\($0["kind"]!) \($0["quantity"]!) \($0["unitPrice"]!) \($0["amount"]!)" }
        return Invoice(lines: lines, total: mine["total"] as? String ?? "", id: mine["id"] as? String ?? "")
    }
}
