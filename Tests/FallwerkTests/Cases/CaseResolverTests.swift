@testable import FallwerkApp
import FallwerkAPI
import FallwerkDomain
@testable import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Case resolver")
    struct CaseResolverTests {
        /// Page routes naming a case: `faelle/:id/…`.
        static func isCaseScoped(_ route: Route) -> Bool {
            let parts = route.path.map(\.description)
            return parts.count >= 2 && parts[0] == "faelle" && parts[1].hasPrefix(":")
        }

        @Test("R27 R31 every case-scoped page route is registered through the case resolver")
        func everyCasePageRouteResolves() async throws {
            try await TestApp.run { t in
                let caseRoutes = t.app.routes.all.filter(Self.isCaseScoped)
                #expect(caseRoutes.count >= 25)
                let missing = caseRoutes.filter { $0.userInfo[CaseResolver.policyKey] == nil }
                    .map { "\($0.method) /\($0.path.map(\.description).joined(separator: "/"))" }
                #expect(missing.isEmpty, "case routes without the resolver: \(missing)")
            }
        }

        @Test("R27 R31 every case-scoped API operation has a case policy, and the table names no other operation")
        func everyCaseOperationResolves() {
            // Operation ids of paths under /api/v1/cases/{id}, read from the served document.
            var scoped = Set<String>()
            var inCasePath = false
            for line in APIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  /") { inCasePath = line.hasPrefix("  /api/v1/cases/{") }
                let text = line.trimmingCharacters(in: .whitespaces)
                if inCasePath, text.hasPrefix("operationId:") {
                    scoped.insert(text.dropFirst("operationId:".count).trimmingCharacters(in: .whitespaces))
                }
            }
            #expect(scoped.count >= 25)  // the parser found the case paths (29 when written)
            #expect(scoped == Set(APICasePolicies.table.keys))
        }

        @Test("R27 a case path outside the table is refused (fail closed)")
        func caseSegment() {
            #expect(APICasePolicies.caseSegment(inPath: "/api/v1/cases") == nil)
            #expect(APICasePolicies.caseSegment(inPath: "/api/v1/cases/abc/entries") == "abc")
            #expect(APICasePolicies.caseSegment(inPath: "/api/v1/group-sessions") == nil)
        }
    }
}

extension AllTests.CaseResolverTests {
    @Test("R27 adding a substitute: the page and the API give the same answer for the same login")
    func substituteParity() async throws {
        try await TestApp.run { t in
            let w = try await CaseWorld.make(t)
            func member(_ username: String, _ roles: [Role], team: String) async throws -> (token: String, staffID: String) {
                let user = try await UserStore.save(UserInput(username: username, displayName: username, roles: roles.map(\.rawValue), password: TestApp.password),
                                                    hash: { try Bcrypt.hash($0, cost: 4) }, context: t.writeContext, on: t.db)
                var body = Fixtures.staff(teamId: team, lastName: username.capitalized)
                body["userId"] = user.uuidString
                let staffID = try await t.create("/api/v1/staff", token: w.managementToken, body)
                let session = try await t.send(.POST, "/api/v1/session", json: ["username": username, "password": TestApp.password])
                return (try session.json()["token"] as? String ?? "", staffID)
            }
            let tina = try await member("tina", [.teamLead], team: w.northTeamID)
            // Leads team Süd and also does the accounting: sees Lena's case (team Nord) for billing only.
            let sven = try await member("sven", [.teamLead, .accounting], team: w.southTeamID)
            for (team, name, lead) in [(w.northTeamID, "Team Nord", tina.staffID), (w.southTeamID, "Team Süd", sven.staffID)] {
                let response = try await t.send(.PUT, "/api/v1/teams/\(team)", token: w.managementToken, json: ["name": name, "location": "Iserlohn", "leadStaffId": lead])
                #expect(response.status == .noContent)
            }
            let cases: [(String, String)] = [("tina", "allowed"), ("sven", "refused"), ("fina", "refused")]
            for (index, (username, want)) in cases.enumerated() {
                let token = username == "fina"
                    ? try await t.send(.POST, "/api/v1/session", json: ["username": "fina", "password": TestApp.password]).json()["token"] as? String ?? ""
                    : (username == "tina" ? tina.token : sven.token)
                let from = "2027-0\(index + 1)-01", to = "2027-0\(index + 1)-20"
                let api = try await t.send(.POST, "/api/v1/cases/\(w.lenaCase)/substitutes", token: token,
                                           json: ["staffId": w.paulStaffID, "from": from, "to": to])
                let page = WebSession(t)
                try await page.login(username)
                let form = try await page.post("/faelle/\(w.lenaCase)/vertretungen", [("staffId", w.paulStaffID), ("from", from), ("to", to)])
                if want == "allowed" {
                    #expect(api.status == .noContent, "\(username) API: \(api.body.string)")
                    #expect(form.status == .seeOther || form.status == .unprocessableEntity, "\(username) page \(form.status)")
                } else {
                    #expect(api.status == .forbidden, "\(username) API \(api.status)")
                    #expect(form.status == .forbidden, "\(username) page \(form.status)")
                }
            }
        }
    }
}
