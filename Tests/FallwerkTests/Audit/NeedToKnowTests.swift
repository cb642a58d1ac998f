@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Testing
import Vapor

extension AllTests {
    /// R31 need-to-know, tightened (issue 16): accounting sees what billing needs; only the lead worker,
    /// the team lead and management end a case.
    @Suite("Need to know")
    struct NeedToKnowTests {
        static func seeded(_ t: TestApp) async throws {
            #expect(try await DemoData.seed(on: t.db, hash: { try Bcrypt.hash($0, cost: 4) }, now: TestApp.referenceNow))
        }

        static func token(_ t: TestApp, _ username: String) async throws -> String {
            let response = try await t.send(.POST, "/api/v1/session", json: ["username": username, "password": "fallwerk-demo"])
            return try #require(try response.json()["token"] as? String)
        }

        @Test("R31 accounting gets no guardians, phones, address or end reason, and only the alerts billing acts on — API and pages")
        func accountingSeesBillingOnly() async throws {
            try await TestApp.run { t in
                try await Self.seeded(t)
                let guardians = try await CasePersonModel.query(on: t.db).filter(\.$role == "guardian").all()
                #expect(!guardians.isEmpty)
                let phones = guardians.compactMap(\.phone).filter { !$0.isEmpty }
                #expect(!phones.isEmpty)

                let accounting = try await Self.token(t, "verwaltung")
                let list = try await t.send(.GET, "/api/v1/cases?limit=500", token: accounting)
                #expect(list.status == .ok)
                let body = list.body.string
                for phone in phones { #expect(!body.contains(phone), "a guardian's phone in accounting's case list") }
                let items = try? JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [String: Any]
                let array = try list.jsonArray()
                let cases = (items?["items"] as? [[String: Any]]) ?? array
                #expect(!cases.isEmpty)
                #expect(cases.allSatisfy { ($0["guardians"] as? [Any] ?? []).isEmpty })
                // the same case as management sees it has guardians
                let management = try await Self.token(t, "leitung")
                let full = try await t.send(.GET, "/api/v1/cases?limit=500", token: management).body.string
                #expect(phones.contains { full.contains($0) })

                let alerts = try await t.send(.GET, "/api/v1/alerts?limit=500", token: accounting)
                #expect(alerts.status == .ok)
                let kinds = Set(alerts.body.string.matches(of: /"kind" ?: ?"([a-zA-Z]+)"/).map { String($0.output.1) })
                #expect(!kinds.isEmpty)
                #expect(kinds.allSatisfy { AlertKind(rawValue: $0)?.concernsBilling == true }, "\(kinds)")
                let managementKinds = Set(try await t.send(.GET, "/api/v1/alerts?limit=500", token: management).body.string
                    .matches(of: /"kind" ?: ?"([a-zA-Z]+)"/).map { String($0.output.1) })
                #expect(managementKinds.contains("noShowStreak") && managementKinds.contains("crisisConfirmationMissing"))

                // pages: the alert list and a case page
                let page = WebSession(t)
                try await page.login("verwaltung", password: "fallwerk-demo")
                let hinweise = try await page.get("/hinweise")
                #expect(hinweise.status == .ok)
                for phone in phones { #expect(!hinweise.body.string.contains(phone)) }
                // the German titles of case-work alerts (R12 cooperation, R9 crisis) are management's, not accounting's
                let leitung = WebSession(t)
                try await leitung.login("leitung", password: "fallwerk-demo")
                let all = try await leitung.get("/hinweise?seite=1").body.string + (try await leitung.get("/hinweise?seite=2").body.string)
                #expect(all.contains("Termine in Folge ohne Mitwirkung") && all.contains("Krisenintervention über das Budget hinaus"))
                #expect(!hinweise.body.string.contains("Termine in Folge ohne Mitwirkung"))
                #expect(!hinweise.body.string.contains("Krisenintervention über das Budget hinaus"))
                #expect(hinweise.body.string.contains("Budget überschritten") || hinweise.body.string.contains("Bewilligung"))
                let caseID = try #require(guardians.first?.$case.id)
                let casePage = try await page.get("/faelle/\(caseID.uuidString.lowercased())")
                #expect(casePage.status == .ok)
                for guardian in guardians where guardian.$case.id == caseID {
                    #expect(!casePage.body.string.contains("\(guardian.firstName) \(guardian.lastName)"))
                }
            }
        }

        @Test("R31 billing-only access: accounting alone, not accounting that also works on cases")
        func billingOnlyRoles() {
            #expect(CaseAccess.isBillingOnly([.accounting]))
            #expect(CaseAccess.isBillingOnly([.accounting, .admin]))
            #expect(!CaseAccess.isBillingOnly([.accounting, .caseworker]))
            #expect(!CaseAccess.isBillingOnly([.accounting, .management]))
            #expect(!CaseAccess.isBillingOnly([.admin]))
        }

        @Test("R6 R31 a co-worker cannot end a case; the lead worker can — API and page")
        func onlyLeadsEndCases() async throws {
            try await TestApp.run { t in
                try await Self.seeded(t)
                // the demo caseworker "fachkraft" co-works on one case led by a colleague
                let fachkraft = try #require(try await UserModel.find(username: "fachkraft", on: t.db))
                let staff = try #require(try await StaffModel.query(on: t.db).filter(\.$user.$id == fachkraft.id!).first())
                let assignment = try #require(try await CaseAssignmentModel.query(on: t.db).filter(\.$role == "coWorker")
                    .filter(\.$staff.$id == staff.id!).first())
                let username = "fachkraft"
                let token = try await Self.token(t, username)
                let caseID = assignment.$case.id.uuidString.lowercased()
                let refused = try await t.send(.POST, "/api/v1/cases/\(caseID)/end", token: token,
                                               json: ["date": "2026-11-20", "reason": "goalsReached"])
                #expect(refused.status == .forbidden)
                #expect(try await CaseModel.find(assignment.$case.id, on: t.db)?.endDate == nil)
                let page = WebSession(t)
                try await page.login(username, password: "fallwerk-demo")
                _ = try await page.get("/faelle/\(caseID)/hilfeplan")
                let pageRefused = try await page.post("/faelle/\(caseID)/beenden", [("date", "2026-11-20"), ("reason", "goalsReached")])
                #expect(pageRefused.status == .forbidden)
                #expect(try await CaseModel.find(assignment.$case.id, on: t.db)?.endDate == nil)
                // the refusal is in the audit log
                let refusals = try await AuditLog.entries(AuditFilter(action: .refused), limit: 50, on: t.db).filter { $0.username == username }
                #expect(refusals.count >= 2)
            }
        }
    }
}
