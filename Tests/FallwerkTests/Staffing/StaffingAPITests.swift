@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

/// People and capacity (issue 14) through the API: requests and free capacity (R1, R2), the lead's
/// induction (R25), the 48-hour load and the offer's qualification (R26), standards (R24, R25),
/// absences and replacements (R27), the on-call rota (R28), guardian contact (R7) and who may plan.
/// "Today" is 22 November 2026, 10:00 in Berlin; every staff member works 39 hours at 75 % (1755
/// productive minutes, 585 indirect) unless a test says otherwise.
extension AllTests {
    @Suite("People and capacity (API)")
    struct StaffingAPITests {
        // MARK: Helpers

        /// A staff member without login, created by management; `inducted: false` leaves out
        /// `inductionCompleted`, so the person has not completed induction (R25).
        static func staff(_ w: CaseAPIWorld, lastName: String, hours: String = "39", qualification: String = "socialWorker",
                          team: String? = nil, inducted: Bool = true) async throws -> String {
            var body = Fixtures.staff(teamId: team ?? w.northTeamID, lastName: lastName)
            body["weeklyHours"] = hours
            body["qualification"] = qualification
            if !inducted { body.removeValue(forKey: "inductionCompleted") }
            return try await w.t.create("/api/v1/staff", token: w.management, body)
        }

        static func requestBody(_ w: CaseAPIWorld, hours: String = "5", per: String = "week", receivedOn: String = "2026-11-20",
                                offer: String? = nil) -> [String: Any] {
            ["youthOfficeId": w.officeID, "offerId": offer ?? w.offerID, "receivedOn": receivedOn, "hours": hours, "per": per,
             "reason": "Schulverweigerung, Mutter überfordert", "initials": "M. B."]
        }

        /// Records a request of the youth office (as management unless `token`) and returns its id.
        static func request(_ w: CaseAPIWorld, hours: String = "5", per: String = "week", receivedOn: String = "2026-11-20",
                            offer: String? = nil, token: String? = nil) async throws -> String {
            try await w.t.create("/api/v1/requests", token: token ?? w.management,
                                 requestBody(w, hours: hours, per: per, receivedOn: receivedOn, offer: offer))
        }

        static func accept(_ w: CaseAPIWorld, _ requestID: String, lead: String, fileNumber: String, coWorkers: [String] = [],
                           exceptionReason: String? = nil) async throws -> TestingHTTPResponse {
            var body: [String: Any] = ["leadStaffId": lead, "fileNumber": fileNumber, "startDate": "2026-11-23",
                                       "youngPerson": ["firstName": "Mia", "lastName": "Berg", "birthDate": "2011-06-01"]]
            if !coWorkers.isEmpty { body["coWorkerIds"] = coWorkers }
            if let exceptionReason { body["exceptionReason"] = exceptionReason }
            return try await w.t.send(.POST, "/api/v1/requests/\(requestID)/accept", token: w.management, json: body)
        }

        /// An approval from 1 October 2026 to 31 March 2027 (covers today).
        static func approve(_ w: CaseAPIWorld, _ caseID: String, hours: String, per: String = "week") async throws {
            _ = try await w.t.create("/api/v1/cases/\(caseID)/approvals", token: w.management,
                                     ["from": "2026-10-01", "to": "2027-03-31", "hours": hours, "per": per])
        }

        /// `GET path`, expecting 200, as a JSON object.
        static func object(_ w: CaseAPIWorld, _ path: String, token: String? = nil) async throws -> [String: Any] {
            let response = try await w.t.send(.GET, path, token: token ?? w.management)
            #expect(response.status == .ok, "\(path): \(response.status) \(response.body.string)")
            return try response.json()
        }

        /// `GET path`, expecting 200, as a JSON array.
        static func array(_ w: CaseAPIWorld, _ path: String, token: String? = nil) async throws -> [[String: Any]] {
            let response = try await w.t.send(.GET, path, token: token ?? w.management)
            #expect(response.status == .ok, "\(path): \(response.status) \(response.body.string)")
            return try response.jsonArray()
        }

        static func id(_ row: [String: Any], _ key: String = "staffId") -> String { ((row[key] as? String) ?? "").lowercased() }

        static func row(_ rows: [[String: Any]], staff staffID: String) -> [String: Any]? {
            rows.first { id($0) == staffID.lowercased() }
        }

        static func post(_ w: CaseAPIWorld, _ path: String, token: String? = nil, _ body: [String: Any]) async throws -> TestingHTTPResponse {
            try await w.t.send(.POST, path, token: token ?? w.management, json: body)
        }

        // MARK: R1, R2 intake and capacity

        @Test func R2_requestCapacityIsSortedByFreeTimeAndAnApprovalTakesItsWeeklyMinutes() async throws {
            try await TestApp.run { t in
                // given: fina (39 h), cleo (39 h, leads a case), bert (20 h = 900 productive minutes)
                let w = try await CaseAPIWorld.make(t)
                let cleo = try await Self.staff(w, lastName: "Clemens")
                let bert = try await Self.staff(w, lastName: "Brandt", hours: "20", team: w.southTeamID)
                let cleoCase = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0200", lead: cleo))
                let requestID = try await Self.request(w)
                let request = try await Self.object(w, "/api/v1/requests/\(requestID)")
                #expect(request["weeklyMinutes"] as? Int == 300)
                #expect(request["status"] as? String == "open")
                #expect(request["overdue"] as? Bool == false)
                let before = try await Self.array(w, "/api/v1/requests/\(requestID)/capacity")
                #expect(before.count == 3)
                #expect(Self.row(before, staff: cleo)?["freeWeeklyMinutes"] as? Int == 1_755)
                // when: cleo's case gets 10 hours a week
                try await Self.approve(w, cleoCase, hours: "10")
                let after = try await Self.array(w, "/api/v1/requests/\(requestID)/capacity")
                // then: most room first, with the arithmetic
                #expect(after.map { Self.id($0) } == [w.fina.staffID, cleo, bert].map { $0.lowercased() })
                let free = after.compactMap { $0["freeWeeklyMinutes"] as? Int }
                #expect(free == [1_755, 1_155, 900])
                #expect(free == free.sorted(by: >))
                let fina = try #require(Self.row(after, staff: w.fina.staffID))
                #expect(fina["contractMinutes"] as? Int == 2_340)
                #expect(fina["budgetMinutes"] as? Int == 0)
                #expect(fina["plannedWeeklyMinutes"] as? Int == 585)
                #expect(fina["qualified"] as? Bool == true)
                let cleoRow = try #require(Self.row(after, staff: cleo))
                #expect(cleoRow["budgetMinutes"] as? Int == 600)
                #expect(cleoRow["plannedWeeklyMinutes"] as? Int == 1_185)
                let bertRow = try #require(Self.row(after, staff: bert))
                #expect(bertRow["contractMinutes"] as? Int == 1_200)
                #expect(bertRow["plannedWeeklyMinutes"] as? Int == 300)
                // The drop is exactly the approved 600 minutes.
                let cleoBefore = Self.row(before, staff: cleo)?["freeWeeklyMinutes"] as? Int ?? 0
                #expect(cleoBefore - (cleoRow["freeWeeklyMinutes"] as? Int ?? 0) == 600)
            }
        }

        @Test func R1_acceptingARequestOpensTheCaseOnceAndDecliningNeedsAReason() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let requestID = try await Self.request(w)
                // Accepting opens the case with the request's youth office and offer.
                let accepted = try await Self.accept(w, requestID, lead: w.fina.staffID, fileNumber: "51.2-2026-0300")
                #expect(accepted.status == .created, "\(accepted.body.string)")
                let caseID = try #require(try accepted.json()["caseId"] as? String)
                let opened = try await Self.object(w, "/api/v1/cases/\(caseID)")
                #expect((opened["youthOfficeId"] as? String)?.lowercased() == w.officeID.lowercased())
                #expect((opened["offerId"] as? String)?.lowercased() == w.offerID.lowercased())
                #expect(opened["fileNumber"] as? String == "51.2-2026-0300")
                #expect(opened["startDate"] as? String == "2026-11-23")
                let staff = opened["staff"] as? [[String: Any]] ?? []
                #expect(staff.contains { Self.id($0) == w.fina.staffID.lowercased() && $0["role"] as? String == "lead" })
                let decided = try await Self.object(w, "/api/v1/requests/\(requestID)")
                #expect(decided["status"] as? String == "accepted")
                #expect((decided["caseId"] as? String)?.lowercased() == caseID.lowercased())
                #expect(decided["decidedOn"] as? String == "2026-11-22")
                // A request is decided once.
                let again = try await Self.accept(w, requestID, lead: w.fina.staffID, fileNumber: "51.2-2026-0301")
                #expect(again.status == .unprocessableEntity)
                #expect(try again.problemFields() == ["status"])
                let declineAccepted = try await Self.post(w, "/api/v1/requests/\(requestID)/decline", ["reason": "Doch keine Kapazität."])
                #expect(declineAccepted.status == .unprocessableEntity)
                #expect(try declineAccepted.problemFields() == ["status"])
                // Declining needs a reason of a sentence.
                let other = try await Self.request(w)
                let empty = try await Self.post(w, "/api/v1/requests/\(other)/decline", ["reason": ""])
                #expect(empty.status == .unprocessableEntity)
                #expect(try empty.problemFields() == ["reason"])
                let short = try await Self.post(w, "/api/v1/requests/\(other)/decline", ["reason": "nein"])
                #expect(try short.problemFields() == ["reason"])
                let declined = try await Self.post(w, "/api/v1/requests/\(other)/decline", ["reason": "Kein Platz im Team Nord vor Februar."])
                #expect(declined.status == .noContent, "\(declined.body.string)")
                let closed = try await Self.object(w, "/api/v1/requests/\(other)")
                #expect(closed["status"] as? String == "declined")
                #expect(closed["declineReason"] as? String == "Kein Platz im Team Nord vor Februar.")
                #expect(try await Self.array(w, "/api/v1/requests?status=open").isEmpty)
                #expect(try await Self.array(w, "/api/v1/requests?status=declined").map { Self.id($0, "id") } == [other.lowercased()])
            }
        }

        @Test func R1_requestsRefuseNamesAndFutureDaysAndAreOverdueAfterSevenDays() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                var bad = Self.requestBody(w, hours: "0", receivedOn: "2026-11-23")
                bad["initials"] = "Lena Sommer"
                let refused = try await Self.post(w, "/api/v1/requests", bad)
                #expect(refused.status == .unprocessableEntity)
                #expect(Set(try refused.problemFields()) == ["hours", "receivedOn", "initials"])
                #expect(try await Self.array(w, "/api/v1/requests").isEmpty)
                // 7 days old: not yet overdue; 8 days: overdue (default 7 days).
                let sevenDays = try await Self.request(w, receivedOn: "2026-11-15")
                let eightDays = try await Self.request(w, receivedOn: "2026-11-14")
                #expect(try await Self.object(w, "/api/v1/requests/\(sevenDays)")["overdue"] as? Bool == false)
                #expect(try await Self.object(w, "/api/v1/requests/\(eightDays)")["overdue"] as? Bool == true)
                // 20 hours a month are 277 minutes a week (R2).
                let monthly = try await Self.request(w, hours: "20", per: "month")
                #expect(try await Self.object(w, "/api/v1/requests/\(monthly)")["weeklyMinutes"] as? Int == 277)
                // Open ones oldest first.
                let open = try await Self.array(w, "/api/v1/requests").map { Self.id($0, "id") }
                #expect(open == [eightDays, sevenDays, monthly].map { $0.lowercased() })
            }
        }

        // MARK: R25 induction

        @Test func R25_aStaffMemberLeadsCasesOnlyAfterBothInductionModules() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let nina = try await Self.staff(w, lastName: "Neumann", inducted: false)
                let asLead = w.caseBody(fileNumber: "51.2-2026-0400", lead: nina)
                // Not yet inducted: no lead …
                let refused = try await Self.post(w, "/api/v1/cases", asLead)
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["leadStaffId"])
                #expect(refused.body.string.contains("Einarbeitung"))
                // … but a co-worker.
                var asCoWorker = w.caseBody(fileNumber: "51.2-2026-0401")
                asCoWorker["coWorkerIds"] = [nina]
                #expect(try await Self.post(w, "/api/v1/cases", asCoWorker).status == .created)
                // Module 1 alone is not enough; a module in the future is refused.
                #expect(try await Self.post(w, "/api/v1/staff/\(nina)/induction", ["module": 1, "date": "2026-11-01"]).status == .created)
                #expect(try await Self.post(w, "/api/v1/cases", asLead).status == .unprocessableEntity)
                let future = try await Self.post(w, "/api/v1/staff/\(nina)/induction", ["module": 2, "date": "2026-11-23"])
                #expect(future.status == .unprocessableEntity)
                #expect(try future.problemFields() == ["date"])
                let midway = try await Self.object(w, "/api/v1/staff/\(nina)/standards")
                #expect(midway["inductionComplete"] as? Bool == false)
                #expect((midway["missing"] as? [String])?.contains("induction") == true)
                // Both modules: she may lead.
                #expect(try await Self.post(w, "/api/v1/staff/\(nina)/induction", ["module": 2, "date": "2026-11-10"]).status == .created)
                let done = try await Self.object(w, "/api/v1/staff/\(nina)/standards")
                #expect(done["inductionComplete"] as? Bool == true)
                #expect((done["states"] as? [String: Any])?["induction"] as? String == "met")
                #expect(try await Self.object(w, "/api/v1/staff/\(nina)")["inductionCompleted"] as? String == "2026-11-10")
                let led = try await Self.post(w, "/api/v1/cases", asLead)
                #expect(led.status == .created, "\(led.body.string)")
            }
        }

        // MARK: R26 load and qualification

        @Test func R26_aLeadBeyond48HoursIsRefusedUnlessAReasonIsGiven() async throws {
            try await TestApp.run { t in
                // given: hanna (39 h) leads a case of 28 h a week: load 1680 + 585 = 2265 minutes
                let w = try await CaseAPIWorld.make(t)
                let hanna = try await Self.staff(w, lastName: "Hoch")
                let running = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0500", lead: hanna))
                try await Self.approve(w, running, hours: "28")
                let capacity = try await Self.array(w, "/api/v1/capacity")
                #expect(Self.row(capacity, staff: hanna)?["plannedWeeklyMinutes"] as? Int == 2_265)
                #expect(Self.row(capacity, staff: hanna)?["freeWeeklyMinutes"] as? Int == 75)
                // when: 10.25 h a week (615 minutes) bring her to exactly 48 hours: allowed
                let exact = try await Self.request(w, hours: "10.25")
                let atLimit = try await Self.accept(w, exact, lead: hanna, fileNumber: "51.2-2026-0501")
                #expect(atLimit.status == .created, "\(atLimit.body.string)")
                // 10.3 h a week (618 minutes) would be 2883 minutes: refused on the lead
                let beyond = try await Self.request(w, hours: "10.3")
                let refused = try await Self.accept(w, beyond, lead: hanna, fileNumber: "51.2-2026-0502")
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["leadStaffId"])
                #expect(refused.body.string.contains("48 Stunden"))
                #expect(try await Self.object(w, "/api/v1/requests/\(beyond)")["status"] as? String == "open")
                // A reason must be a sentence.
                let tooShort = try await Self.accept(w, beyond, lead: hanna, fileNumber: "51.2-2026-0502", exceptionReason: "krank")
                #expect(try tooShort.problemFields() == ["exceptionReason"])
                // then: with the reason recorded, allowed
                let excepted = try await Self.accept(w, beyond, lead: hanna, fileNumber: "51.2-2026-0502",
                                                     exceptionReason: "Vertretung für längere Krankheit im Team")
                #expect(excepted.status == .created, "\(excepted.body.string)")
            }
        }

        @Test func R26_aLeadWithoutTheOffersQualificationNeedsAReason() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                var offer = Fixtures.offer(name: "Erziehungsbeistandschaft")
                offer["requiredQualification"] = "socialWorker"
                let socialWork = try await t.create("/api/v1/offers", token: w.management, offer)
                let eda = try await Self.staff(w, lastName: "Engel", qualification: "educator")
                // The capacity list marks who has the qualification.
                let requestID = try await Self.request(w, offer: socialWork)
                let rows = try await Self.array(w, "/api/v1/requests/\(requestID)/capacity")
                #expect(Self.row(rows, staff: eda)?["qualified"] as? Bool == false)
                #expect(Self.row(rows, staff: w.fina.staffID)?["qualified"] as? Bool == true)
                // An educator as lead: refused without a reason, allowed with one.
                var body = w.caseBody(fileNumber: "51.2-2026-0550", lead: eda)
                body["offerId"] = socialWork
                let refused = try await Self.post(w, "/api/v1/cases", body)
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["leadStaffId"])
                body["exceptionReason"] = "Langjährige Erfahrung in der Erziehungsbeistandschaft"
                let excepted = try await Self.post(w, "/api/v1/cases", body)
                #expect(excepted.status == .created, "\(excepted.body.string)")
                // Without a required qualification anyone may lead.
                #expect(try await Self.post(w, "/api/v1/cases", w.caseBody(fileNumber: "51.2-2026-0551", lead: eda)).status == .created)
            }
        }

        // MARK: R24, R25 standards

        @Test func R24_R25_standardsCountTheEvidenceOfTheYear() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let sina = try await Self.staff(w, lastName: "Sander")
                let path = "/api/v1/staff/\(sina)"
                #expect(try await Self.post(w, path + "/certificates", ["issuedOn": "2022-03-01"]).status == .created)
                for (date, hours) in [("2026-03-10", "8"), ("2025-11-20", "4")] {
                    #expect(try await Self.post(w, path + "/trainings", ["date": date, "title": "Traumapädagogik", "hours": hours]).status == .created)
                }
                for month in 1...8 {
                    #expect(try await Self.post(w, path + "/supervisions", ["date": "2026-0\(month)-15", "minutes": 120]).status == .created)
                }
                // Too short to count.
                #expect(try await Self.post(w, path + "/supervisions", ["date": "2026-09-15", "minutes": 90]).status == .created)
                #expect(try await Self.post(w, path + "/acknowledgements", ["date": "2026-02-01"]).status == .created)
                // 480 of 936 training minutes: open
                let partly = try await Self.object(w, path + "/standards?year=2026")
                #expect(partly["trainingMinutes"] as? Int == 480)
                #expect(partly["met"] as? Bool == false)
                #expect(partly["missing"] as? [String] == ["training"])
                #expect((partly["states"] as? [String: Any])?["training"] as? String == "open")
                // 7.6 h more: 936 minutes, everything met
                #expect(try await Self.post(w, path + "/trainings", ["date": "2026-09-15", "title": "Kinderschutz", "hours": "7.6"]).status == .created)
                let met = try await Self.object(w, path + "/standards?year=2026")
                #expect(met["year"] as? Int == 2026)
                #expect(met["trainingMinutes"] as? Int == 936)
                #expect(met["supervisionsCounted"] as? Int == 8)
                #expect(met["certificateValidUntil"] as? String == "2027-02-28")
                #expect(met["acknowledged"] as? Bool == true)
                #expect(met["inductionComplete"] as? Bool == true)
                #expect(met["plannedWeeklyMinutes"] as? Int == 585)
                #expect(met["met"] as? Bool == true)
                #expect(met["missing"] as? [String] == [])
                // The past year counts its own evidence only, judged on 31 December.
                let lastYear = try await Self.object(w, path + "/standards?year=2025")
                #expect(lastYear["trainingMinutes"] as? Int == 240)
                #expect(lastYear["supervisionsCounted"] as? Int == 0)
                #expect(lastYear["acknowledged"] as? Bool == false)
                #expect((lastYear["states"] as? [String: Any])?["training"] as? String == "missing")
                #expect(lastYear["met"] as? Bool == false)
                // Without a year: this year.
                #expect(try await Self.object(w, path + "/standards")["trainingMinutes"] as? Int == 936)
                // R24: a certificate running out today is due soon; one that ran out yesterday is missing.
                let olga = try await Self.staff(w, lastName: "Olt")
                #expect(try await Self.post(w, "/api/v1/staff/\(olga)/certificates", ["issuedOn": "2021-11-23"]).status == .created)
                let lastDay = try await Self.object(w, "/api/v1/staff/\(olga)/standards")
                #expect(lastDay["certificateValidUntil"] as? String == "2026-11-22")
                #expect((lastDay["states"] as? [String: Any])?["certificate"] as? String == "open")
                // One that ran out yesterday is refused as bad input: it proves nothing any more.
                let piet = try await Self.staff(w, lastName: "Pohl")
                let outdated = try await Self.post(w, "/api/v1/staff/\(piet)/certificates", ["issuedOn": "2021-11-22"])
                #expect(outdated.status == .unprocessableEntity)
                #expect(try outdated.problemFields() == ["issuedOn"])
                let expired = try await Self.object(w, "/api/v1/staff/\(piet)/standards")
                #expect((expired["states"] as? [String: Any])?["certificate"] as? String == "missing")
            }
        }

        @Test func R24_R25_standardsRefuseBadInput() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let path = "/api/v1/staff/\(w.fina.staffID)"
                for hours in ["100", "0"] {
                    let training = try await Self.post(w, path + "/trainings", ["date": "2026-11-20", "title": "Traumapädagogik", "hours": hours])
                    #expect(training.status == .unprocessableEntity, "\(hours)")
                    #expect(try training.problemFields() == ["hours"], "\(hours)")
                }
                let future = try await Self.post(w, path + "/certificates", ["issuedOn": "2026-11-23"])
                #expect(future.status == .unprocessableEntity)
                #expect(try future.problemFields() == ["issuedOn"])
                let noMinutes = try await Self.post(w, path + "/supervisions", ["date": "2026-11-20", "minutes": 0])
                #expect(noMinutes.status == .unprocessableEntity)
                #expect(try noMinutes.problemFields() == ["minutes"])
                let lateAck = try await Self.post(w, path + "/acknowledgements", ["date": "2026-11-30"])
                #expect(try lateAck.problemFields() == ["date"])
                for year in ["abc", "1999"] {
                    let response = try await t.send(.GET, path + "/standards?year=\(year)", token: w.management)
                    #expect(response.status == .badRequest, "year=\(year)")
                    #expect(try response.problemFields() == ["year"], "year=\(year)")
                }
                // Nothing was stored.
                let standards = try await Self.object(w, path + "/standards")
                #expect(standards["trainingMinutes"] as? Int == 0)
                #expect(standards["certificateValidUntil"] == nil)
                #expect(try await t.send(.GET, "/api/v1/staff/\(UUID().uuidString.lowercased())/standards", token: w.management).status == .notFound)
            }
        }

        @Test func R25_aCaseworkerSeesAndRecordsOwnStandardsOnly() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let kai = try await Self.staff(w, lastName: "Kaiser")
                let fina = w.fina.token
                let own = try await Self.object(w, "/api/v1/staff/\(w.fina.staffID)/standards", token: fina)
                #expect(Self.id(own) == w.fina.staffID.lowercased())
                #expect(try await t.send(.GET, "/api/v1/staff/\(kai)/standards", token: fina).status == .notFound)
                // Trainings and supervisions a person records themselves; the certificate the team lead.
                let training = try await Self.post(w, "/api/v1/staff/\(w.fina.staffID)/trainings", token: fina,
                                                   ["date": "2026-11-20", "title": "Gesprächsführung", "hours": "3"])
                #expect(training.status == .created, "\(training.body.string)")
                #expect(try await Self.post(w, "/api/v1/staff/\(w.fina.staffID)/supervisions", token: fina,
                                            ["date": "2026-11-20", "minutes": 120]).status == .created)
                #expect(try await Self.post(w, "/api/v1/staff/\(w.fina.staffID)/certificates", token: fina,
                                            ["issuedOn": "2026-11-01"]).status == .forbidden)
                #expect(try await Self.post(w, "/api/v1/staff/\(w.fina.staffID)/induction", token: fina,
                                            ["module": 1, "date": "2026-11-01"]).status == .forbidden)
                // Not for a colleague.
                #expect(try await Self.post(w, "/api/v1/staff/\(kai)/trainings", token: fina,
                                            ["date": "2026-11-20", "title": "Gesprächsführung", "hours": "3"]).status == .notFound)
                let after = try await Self.object(w, "/api/v1/staff/\(w.fina.staffID)/standards", token: fina)
                #expect(after["trainingMinutes"] as? Int == 180)
                #expect(after["supervisionsCounted"] as? Int == 1)
                #expect(after["certificateValidUntil"] == nil)
                #expect(try await Self.object(w, "/api/v1/staff/\(kai)/standards")["trainingMinutes"] as? Int == 0)
            }
        }

        // MARK: R27 absences

        static func absence(_ w: CaseAPIWorld, _ staffID: String, _ from: String, _ to: String, kind: String = "illness",
                            token: String? = nil) async throws -> TestingHTTPResponse {
            try await Self.post(w, "/api/v1/staff/\(staffID)/absences", token: token, ["from": from, "to": to, "kind": kind])
        }

        @Test func R27_overlappingAbsencesAreRefused() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let olaf = try await Self.staff(w, lastName: "Ost")
                #expect(try await Self.absence(w, olaf, "2026-12-01", "2026-12-10").status == .created)
                let overlap = try await Self.absence(w, olaf, "2026-12-10", "2026-12-20", kind: "vacation")
                #expect(overlap.status == .unprocessableEntity)
                #expect(try overlap.problemFields() == ["from"])
                let backwards = try await Self.absence(w, olaf, "2026-12-20", "2026-12-15")
                #expect(try backwards.problemFields() == ["to"])
                #expect(try await Self.absence(w, olaf, "2026-12-11", "2026-12-12", kind: "training").status == .created)
                let list = try await Self.array(w, "/api/v1/staff/\(olaf)/absences")
                #expect(list.map { $0["from"] as? String } == ["2026-12-11", "2026-12-01"])
                #expect(list.map { $0["days"] as? Int } == [2, 10])
                #expect(list.allSatisfy { $0["replacementDue"] == nil })
            }
        }

        @Test func R27_aLongAbsenceOfTheLeadNeedsAReplacementAndProposesEquallyQualifiedSubstitutes() async throws {
            try await TestApp.run { t in
                // given: fina leads a case; kai (Nord), sven (Süd) are social workers, eda an educator, olaf away in December
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0700"))
                let kai = try await Self.staff(w, lastName: "Kaiser")
                let sven = try await Self.staff(w, lastName: "Sommer", team: w.southTeamID)
                _ = try await Self.staff(w, lastName: "Engel", qualification: "educator")
                let olaf = try await Self.staff(w, lastName: "Ost")
                #expect(try await Self.absence(w, olaf, "2026-12-01", "2026-12-10", kind: "vacation").status == .created)
                // when: fina is ill for 70 days from 23 November
                let long = try await Self.absence(w, w.fina.staffID, "2026-11-23", "2027-01-31")
                #expect(long.status == .created, "\(long.body.string)")
                let absenceID = try #require(try long.json()["id"] as? String)
                // then: six weeks after the start, a replacement is due on her case
                let listed = try await Self.array(w, "/api/v1/staff/\(w.fina.staffID)/absences")
                #expect(listed.first?["days"] as? Int == 70)
                #expect(listed.first?["replacementDue"] as? String == "2027-01-04")
                let deadlines = try await Self.array(w, "/api/v1/cases/\(caseID)/deadlines")
                let replacement = try #require(deadlines.first { $0["kind"] as? String == "replacement" })
                #expect(replacement["due"] as? String == "2027-01-04")
                #expect(replacement["status"] as? String == "open")
                // The absence lists the case and proposes colleagues of equal qualification, own team first.
                let detail = try await Self.object(w, "/api/v1/absences/\(absenceID)")
                let cases = detail["cases"] as? [[String: Any]] ?? []
                #expect(cases.map { Self.id($0, "caseId") } == [caseID.lowercased()])
                #expect(cases.first?["fileNumber"] as? String == "51.2-2026-0700")
                #expect((cases.first?["substitutes"] as? [String])?.isEmpty == true)
                let proposals = (detail["proposals"] as? [[String: Any]] ?? []).map { Self.id($0) }
                #expect(proposals == [kai, sven].map { $0.lowercased() })
                // Choosing kai makes him the substitute for the whole absence.
                let chosen = try await Self.post(w, "/api/v1/absences/\(absenceID)/substitutes", ["caseId": caseID, "staffId": kai])
                #expect(chosen.status == .noContent, "\(chosen.body.string)")
                let afterChoice = try await Self.object(w, "/api/v1/absences/\(absenceID)")
                #expect(((afterChoice["cases"] as? [[String: Any]])?.first?["substitutes"] as? [String])?.count == 1)
                let staff = try await Self.object(w, "/api/v1/cases/\(caseID)")["staff"] as? [[String: Any]] ?? []
                let substitute = try #require(staff.first { Self.id($0) == kai.lowercased() })
                #expect(substitute["role"] as? String == "substitute")
                #expect(substitute["from"] as? String == "2026-11-23")
                #expect(substitute["to"] as? String == "2027-01-31")
                // Recording the agreed replacement marks the deadline done.
                let agreed = try await Self.post(w, "/api/v1/absences/\(absenceID)/replacements", ["caseId": caseID, "date": "2026-11-22"])
                #expect(agreed.status == .noContent, "\(agreed.body.string)")
                let done = try await Self.array(w, "/api/v1/cases/\(caseID)/deadlines").first { $0["kind"] as? String == "replacement" }
                #expect(done?["status"] as? String == "done")
                #expect(done?["doneOn"] as? String == "2026-11-22")
            }
        }

        @Test func R27_anAbsenceOfExactlySixWeeksNeedsNoReplacement() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0710"))
                // 23 November 2026 to 3 January 2027: 42 days.
                #expect(try await Self.absence(w, w.fina.staffID, "2026-11-23", "2027-01-03").status == .created)
                let listed = try await Self.array(w, "/api/v1/staff/\(w.fina.staffID)/absences")
                #expect(listed.first?["days"] as? Int == 42)
                #expect(listed.first?["replacementDue"] == nil)
                let deadlines = try await Self.array(w, "/api/v1/cases/\(caseID)/deadlines")
                #expect(!deadlines.contains { $0["kind"] as? String == "replacement" })
            }
        }

        // MARK: R28 on-call

        static func shift(_ w: CaseAPIWorld, _ staffID: String, _ from: String, _ to: String, token: String? = nil) async throws -> TestingHTTPResponse {
            try await Self.post(w, "/api/v1/on-call", token: token, ["staffId": staffID, "from": from, "to": to])
        }

        @Test func R28_theRotaShowsItsGapsRefusesOverlapsAndKnowsWhoIsOnCallNow() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let kai = try await Self.staff(w, lastName: "Kaiser")
                let fina = w.fina.staffID
                // Nobody yet; a shift ending at 10:00 does not cover 10:00, one starting then does.
                #expect(try await Self.object(w, "/api/v1/on-call/now")["onCall"] as? Bool == false)
                #expect(try await Self.shift(w, kai, "2026-11-21T10:00", "2026-11-22T10:00").status == .created)
                #expect(try await Self.object(w, "/api/v1/on-call/now")["onCall"] as? Bool == false)
                #expect(try await Self.shift(w, fina, "2026-11-22T10:00", "2026-11-23T10:00").status == .created)
                let now = try await Self.object(w, "/api/v1/on-call/now", token: w.fina.token)
                #expect(now["onCall"] as? Bool == true)
                #expect(Self.id(now) == fina.lowercased())
                #expect(now["from"] as? String == "2026-11-22T10:00")
                #expect(now["to"] as? String == "2026-11-23T10:00")
                // December, covered except 14 December 08:00–20:00.
                let plan = [(kai, "2026-11-30T08:00", "2026-12-07T08:00"), (fina, "2026-12-07T08:00", "2026-12-14T08:00"),
                            (kai, "2026-12-14T20:00", "2026-12-21T08:00"), (fina, "2026-12-21T08:00", "2026-12-28T08:00"),
                            (kai, "2026-12-28T08:00", "2027-01-04T08:00")]
                for (who, from, to) in plan {
                    let response = try await Self.shift(w, who, from, to)
                    #expect(response.status == .created, "\(from): \(response.body.string)")
                }
                let overlap = try await Self.shift(w, fina, "2026-12-05T12:00", "2026-12-06T12:00")
                #expect(overlap.status == .unprocessableEntity)
                #expect(try overlap.problemFields() == ["from"])
                let backwards = try await Self.shift(w, fina, "2026-12-14T12:00", "2026-12-14T09:00")
                #expect(try backwards.problemFields() == ["to"])
                let december = try await Self.object(w, "/api/v1/on-call?month=2026-12", token: w.fina.token)
                #expect(december["month"] as? String == "2026-12")
                #expect((december["shifts"] as? [[String: Any]])?.count == 5)
                let gaps = december["gaps"] as? [[String: Any]] ?? []
                #expect(gaps.count == 1)
                #expect(gaps.first?["from"] as? String == "2026-12-14T08:00")
                #expect(gaps.first?["to"] as? String == "2026-12-14T20:00")
                // Closing the gap leaves none.
                #expect(try await Self.shift(w, fina, "2026-12-14T08:00", "2026-12-14T20:00").status == .created)
                #expect((try await Self.object(w, "/api/v1/on-call?month=2026-12")["gaps"] as? [[String: Any]])?.isEmpty == true)
                let badMonth = try await t.send(.GET, "/api/v1/on-call?month=2026-13", token: w.management)
                #expect(badMonth.status == .badRequest)
                #expect(try badMonth.problemFields() == ["month"])
            }
        }

        // MARK: R7 guardian contact

        static func alertKinds(_ w: CaseAPIWorld, _ caseID: String) async throws -> [String] {
            try await Self.array(w, "/api/v1/cases/\(caseID)/alerts", token: w.fina.token).compactMap { $0["kind"] as? String }
        }

        @Test func R7_aMonthWithoutGuardianContactInIndependentLivingIsAnAlert() async throws {
            try await TestApp.run { t in
                // given: fina's case since 1 October 2026, no guardian contact in October
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0900"))
                let path = "/api/v1/cases/\(caseID)/independent-living"
                #expect(!(try await Self.alertKinds(w, caseID).contains("guardianContactMissing")))
                let early = try await t.send(.PUT, path, token: w.fina.token, json: ["since": "2026-09-30"])
                #expect(early.status == .unprocessableEntity)
                #expect(try early.problemFields() == ["since"])
                // when: marked from 1 October
                let marked = try await t.send(.PUT, path, token: w.fina.token, json: ["since": "2026-10-01"])
                #expect(marked.status == .noContent, "\(marked.body.string)")
                // then: October is over without contact
                let alerts = try await Self.array(w, "/api/v1/cases/\(caseID)/alerts", token: w.fina.token)
                let alert = try #require(alerts.first { $0["kind"] as? String == "guardianContactMissing" })
                #expect(alert["since"] as? String == "2026-11-01")
                // A contact with the young person alone does not count …
                _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: w.fina.token,
                                       ["date": "2026-10-08", "start": "10:00", "minutes": 60, "kind": "direct"])
                #expect(try await Self.alertKinds(w, caseID).contains("guardianContactMissing"))
                // … one with the guardians in October does.
                _ = try await t.create("/api/v1/cases/\(caseID)/entries", token: w.fina.token,
                                       ["date": "2026-10-15", "start": "10:00", "minutes": 60, "kind": "direct", "guardianContact": true])
                #expect(!(try await Self.alertKinds(w, caseID).contains("guardianContactMissing")))
            }
        }

        @Test func R7_unmarkedCasesHaveNoGuardianContactAlert() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0910"))
                let path = "/api/v1/cases/\(caseID)/independent-living"
                #expect(try await t.send(.PUT, path, token: w.fina.token, json: ["since": "2026-10-01"]).status == .noContent)
                #expect(try await Self.alertKinds(w, caseID).contains("guardianContactMissing"))
                // No since: no longer marked.
                #expect(try await t.send(.PUT, path, token: w.fina.token, json: [String: Any]()).status == .noContent)
                #expect(!(try await Self.alertKinds(w, caseID).contains("guardianContactMissing")))
            }
        }

        // MARK: Review additions

        @Test func R2_anAcceptedRequestTakesItsRoomUntilTheApprovalIsRecorded() async throws {
            try await TestApp.run { t in
                // given: kai (39 h) accepts a request of 10 hours a week
                let w = try await CaseAPIWorld.make(t)
                let kai = try await Self.staff(w, lastName: "Kaiser")
                let first = try await Self.request(w, hours: "10")
                let accepted = try await Self.accept(w, first, lead: kai, fileNumber: "51.2-2026-0900")
                #expect(accepted.status == .created, "\(accepted.body.string)")
                let caseID = try #require(try accepted.json()["caseId"] as? String)
                // then: before the approval arrives, the 600 minutes are taken already
                let second = try await Self.request(w, hours: "2")
                let waiting = try #require(Self.row(try await Self.array(w, "/api/v1/requests/\(second)/capacity"), staff: kai))
                #expect(waiting["budgetMinutes"] as? Int == 600)
                #expect(waiting["freeWeeklyMinutes"] as? Int == 1_155)
                // when: the approval is recorded with 8 hours, it counts instead of the request
                try await Self.approve(w, caseID, hours: "8")
                let approved = try #require(Self.row(try await Self.array(w, "/api/v1/requests/\(second)/capacity"), staff: kai))
                #expect(approved["budgetMinutes"] as? Int == 480)
            }
        }

        @Test func R27_aSubstituteNeedsEqualQualificationAndMustNotBeAwayOrTheAbsentPerson() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0950"))
                let eda = try await Self.staff(w, lastName: "Engel", qualification: "educator")
                let olaf = try await Self.staff(w, lastName: "Ost")
                #expect(try await Self.absence(w, olaf, "2026-12-01", "2026-12-10", kind: "vacation").status == .created)
                let absence = try await Self.absence(w, w.fina.staffID, "2026-11-23", "2026-12-20")
                let absenceID = try #require(try absence.json()["id"] as? String)
                for staffID in [eda, olaf, w.fina.staffID] {
                    let refused = try await Self.post(w, "/api/v1/absences/\(absenceID)/substitutes", ["caseId": caseID, "staffId": staffID])
                    #expect(refused.status == .unprocessableEntity, "\(staffID): \(refused.status)")
                    #expect(try refused.problemFields() == ["staffId"])
                }
            }
        }

        // MARK: Who plans

        @Test func caseworkersDoNotPlanIntakeOnCallOrAbsences() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let fina = w.fina.token
                let kai = try await Self.staff(w, lastName: "Kaiser")
                let request = try await t.send(.POST, "/api/v1/requests", token: fina, json: Self.requestBody(w))
                #expect(request.status == .forbidden)
                let shift = try await Self.shift(w, w.fina.staffID, "2026-12-01T08:00", "2026-12-02T08:00", token: fina)
                #expect(shift.status == .forbidden)
                #expect(try await Self.absence(w, w.fina.staffID, "2026-12-01", "2026-12-05", token: fina).status == .forbidden)
                #expect(try await t.send(.GET, "/api/v1/capacity", token: fina).status == .forbidden)
                // Everyone sees the rota.
                #expect(try await t.send(.GET, "/api/v1/on-call", token: fina).status == .ok)
                // A team lead records requests and sees the standards of the own team only.
                let tara = try await w.member("tara", [.teamLead, .caseworker], team: w.northTeamID, lastName: "Tamm")
                try await w.setTeamLead(w.northTeamID, name: "Team Nord", staffID: tara.staffID)
                let taraToken = try await w.login("tara")
                #expect(try await t.send(.POST, "/api/v1/requests", token: taraToken, json: Self.requestBody(w)).status == .created)
                #expect(try await t.send(.GET, "/api/v1/staff/\(kai)/standards", token: taraToken).status == .ok)
                let south = try await Self.staff(w, lastName: "Süd", team: w.southTeamID)
                #expect(try await t.send(.GET, "/api/v1/staff/\(south)/standards", token: taraToken).status == .notFound)
                #expect(try await Self.absence(w, kai, "2026-12-01", "2026-12-05", token: taraToken).status == .created)
                #expect(try await Self.absence(w, south, "2026-12-01", "2026-12-05", token: taraToken).status == .notFound)
            }
        }
    }
}
