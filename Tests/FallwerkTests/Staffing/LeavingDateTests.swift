@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

/// Issue 16: a staff member's leaving date is their last working day. After it they are not offered for
/// cases: not in the capacity list (R2), not proposed or accepted as a substitute (R27), and no
/// assignment may start after it. "Today" is 22 November 2026.
extension AllTests {
    @Suite("Leaving date (issue 16)")
    struct LeavingDateTests {
        typealias S = StaffingAPITests

        static func day(_ iso: String) -> Day { Day(iso: iso)! }

        @Test func issue16_theLeavingDayIsTheLastWorkingDay() {
            // given: leaving on 31 January 2027
            let leaving = Self.day("2027-01-31")
            // then: works on the day itself, not on the day after; nobody without a date ever stops
            #expect(Leaving.works(on: Self.day("2027-01-31"), leavingDate: leaving))
            #expect(!Leaving.works(on: Self.day("2027-02-01"), leavingDate: leaving))
            #expect(Leaving.works(on: Self.day("2099-12-31"), leavingDate: nil))
            // An assignment starting on the last day is allowed, one starting the day after is refused.
            #expect(Leaving.refusal(name: "Kai Kaiser", leavingDate: leaving, from: Self.day("2027-01-31")) == nil)
            let refused = try? #require(Leaving.refusal(name: "Kai Kaiser", leavingDate: leaving, from: Self.day("2027-02-01")))
            #expect(refused?.contains("31.01.2027") == true)
            #expect(refused?.contains("Kai Kaiser") == true)
            // A substitution must be covered to its end.
            #expect(Leaving.refusal(name: "Kai Kaiser", leavingDate: leaving, from: Self.day("2027-01-10"), to: Self.day("2027-01-31")) == nil)
            #expect(Leaving.refusal(name: "Kai Kaiser", leavingDate: leaving, from: Self.day("2027-01-10"), to: Self.day("2027-02-01")) != nil)
            #expect(Leaving.refusal(name: "Kai Kaiser", leavingDate: nil, from: Self.day("2099-01-01"), to: Self.day("2099-12-31")) == nil)
        }

        @Test func issue16_theStaffRecordKeepsTheLeavingDateOnPageAndAPI() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let kai = try await S.staff(w, lastName: "Kaiser")
                try await Self.setLeaving(w, kai, lastName: "Kaiser", "2027-01-31")
                #expect(try await S.object(w, "/api/v1/staff/\(kai)")["leavingDate"] as? String == "2027-01-31")
                var body = Fixtures.staff(teamId: w.northTeamID, lastName: "Kaiser")
                body["leavingDate"] = "31.01."
                let bad = try await t.send(.PUT, "/api/v1/staff/\(kai)", token: w.management, json: body)
                #expect(bad.status == .unprocessableEntity || bad.status == .badRequest)
                // The master data page shows and keeps it.
                let browser = WebSession(t)
                try await browser.login(try await Self.managementName(t))
                let page = try await browser.get("/mitarbeitende/\(kai)")
                #expect(page.body.string.contains("Letzter Arbeitstag"))
                #expect(page.body.string.contains("value=\"2027-01-31\""))
                let cleared = try await browser.post("/mitarbeitende/\(kai)", [
                    ("firstName", "Erika"), ("lastName", "Kaiser"), ("qualification", "socialWorker"), ("weeklyHours", "39"),
                    ("teamId", w.northTeamID), ("leavingDate", "")])
                #expect(cleared.status == .seeOther)
                #expect(try await S.object(w, "/api/v1/staff/\(kai)")["leavingDate"] == nil)
            }
        }

        /// Sets a staff member's leaving date through the API (`nil` clears it).
        static func setLeaving(_ w: CaseAPIWorld, _ staffID: String, lastName: String, _ day: String?) async throws {
            var body = Fixtures.staff(teamId: w.northTeamID, lastName: lastName)
            body["leavingDate"] = day
            let response = try await w.t.send(.PUT, "/api/v1/staff/\(staffID)", token: w.management, json: body)
            #expect(response.status == .noContent, "\(response.body.string)")
        }

        /// The username of the management login `CaseAPIWorld` made.
        static func managementName(_ t: TestApp) async throws -> String {
            try #require(try await UserStore.list(on: t.db).first { $0.roles == [.management] }).username
        }

        @Test func issue16_R2_whoHasLeftIsNotInTheCapacityLists() async throws {
            try await TestApp.run { t in
                // given: kai left yesterday, lea leaves today, olaf next year
                let w = try await CaseAPIWorld.make(t)
                let kai = try await S.staff(w, lastName: "Kaiser")
                let lea = try await S.staff(w, lastName: "Lang")
                let olaf = try await S.staff(w, lastName: "Ost")
                for (id, name, day) in [(kai, "Kaiser", "2026-11-21"), (lea, "Lang", "2026-11-22"), (olaf, "Ost", "2027-06-30")] {
                    try await Self.setLeaving(w, id, lastName: name, day)
                }
                // then: neither the capacity list nor a request's list offers kai; lea and olaf still work
                let capacity = try await S.array(w, "/api/v1/capacity").map { S.id($0) }
                #expect(!capacity.contains(kai.lowercased()))
                #expect(capacity.contains(lea.lowercased()) && capacity.contains(olaf.lowercased()))
                let requestID = try await S.request(w)
                let offered = try await S.array(w, "/api/v1/requests/\(requestID)/capacity").map { S.id($0) }
                #expect(!offered.contains(kai.lowercased()))
                #expect(offered.contains(lea.lowercased()))
                // The person's own standards page still opens (they work until their last day, and the record stays).
                #expect(try await t.send(.GET, "/api/v1/staff/\(kai)/standards", token: w.management).status == .ok)
            }
        }

        @Test func issue16_R27_whoLeavesBeforeTheAbsenceEndsIsNoSubstitute() async throws {
            try await TestApp.run { t in
                // given: fina is ill from 23 November 2026 to 31 January 2027; kai leaves on 31 December, sven on 31 January
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-1601"))
                let kai = try await S.staff(w, lastName: "Kaiser")
                let sven = try await S.staff(w, lastName: "Sommer")
                for (id, name, day) in [(kai, "Kaiser", "2026-12-31"), (sven, "Sommer", "2027-01-31")] {
                    try await Self.setLeaving(w, id, lastName: name, day)
                }
                let absence = try await S.absence(w, w.fina.staffID, "2026-11-23", "2027-01-31")
                let absenceID = try #require(try absence.json()["id"] as? String)
                // then: only sven is proposed, and kai is refused when chosen anyway
                let detail = try await S.object(w, "/api/v1/absences/\(absenceID)")
                let proposals = (detail["proposals"] as? [[String: Any]] ?? []).map { S.id($0) }
                #expect(proposals == [sven.lowercased()])
                let refused = try await S.post(w, "/api/v1/absences/\(absenceID)/substitutes", ["caseId": caseID, "staffId": kai])
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["staffId"])
                #expect(refused.body.string.contains("31.12.2026"))
                let chosen = try await S.post(w, "/api/v1/absences/\(absenceID)/substitutes", ["caseId": caseID, "staffId": sven])
                #expect(chosen.status == .noContent, "\(chosen.body.string)")
                // A substitution entered on the case that starts after kai's last day is refused too.
                let late = try await t.send(.POST, "/api/v1/cases/\(caseID)/substitutes", token: w.management,
                                            json: ["staffId": kai, "from": "2027-01-02", "to": "2027-01-10"])
                #expect(late.status == .unprocessableEntity)
                #expect(try late.problemFields() == ["staffId"])
            }
        }

        @Test func issue16_anAssignmentStartingAfterTheLeavingDateIsRefused() async throws {
            try await TestApp.run { t in
                // given: kai's last day is 31 January 2027
                let w = try await CaseAPIWorld.make(t)
                let kai = try await S.staff(w, lastName: "Kaiser")
                try await Self.setLeaving(w, kai, lastName: "Kaiser", "2027-01-31")
                // then: a case starting on 1 February cannot have him as lead or co-worker …
                let asLead = try await S.post(w, "/api/v1/cases", w.caseBody(fileNumber: "51.2-2027-0001", lead: kai, startDate: "2027-02-01"))
                #expect(asLead.status == .unprocessableEntity)
                #expect(try asLead.problemFields() == ["leadStaffId"])
                #expect(asLead.body.string.contains("31.01.2027"))
                var withCoWorker = w.caseBody(fileNumber: "51.2-2027-0002", startDate: "2027-02-01")
                withCoWorker["coWorkerIds"] = [kai]
                let asCoWorker = try await S.post(w, "/api/v1/cases", withCoWorker)
                #expect(asCoWorker.status == .unprocessableEntity)
                #expect(try asCoWorker.problemFields() == ["coWorkerIds[0]"])
                // … while one starting on his last day can.
                let lastDay = try await S.post(w, "/api/v1/cases", w.caseBody(fileNumber: "51.2-2027-0003", lead: kai, startDate: "2027-01-31"))
                #expect(lastDay.status == .created, "\(lastDay.body.string)")
                // Once the day has passed, he cannot be added to a running case either.
                try await Self.setLeaving(w, kai, lastName: "Kaiser", "2026-11-21")
                let running = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-1602"))
                var correction = w.caseBody(fileNumber: "51.2-2026-1602")
                correction["coWorkerIds"] = [kai]
                let added = try await t.send(.PUT, "/api/v1/cases/\(running)", token: w.management, json: correction)
                #expect(added.status == .unprocessableEntity)
                #expect(try added.problemFields() == ["coWorkerIds[0]"])
            }
        }
    }
}
