@testable import FallwerkApp
import FallwerkAPI
import FallwerkDomain
@testable import FallwerkStore
import Fluent
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Case resolver")
    struct CaseResolverTests {
        /// Page routes naming a case or a case's report: `faelle/:id/…`, `berichte/:id/…`.
        static func isCaseScoped(_ route: Route) -> Bool {
            let parts = route.path.map(\.description)
            return parts.count >= 2 && ["faelle", "berichte"].contains(parts[0]) && parts[1].hasPrefix(":")
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

        /// Operation ids of the paths under `prefix` (e.g. `/api/v1/cases/{`), read from the served document.
        static func operations(under prefix: String) -> Set<String> {
            var scoped = Set<String>()
            var inPath = false
            for line in APIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  /") { inPath = line.hasPrefix("  " + prefix) }
                let text = line.trimmingCharacters(in: .whitespaces)
                if inPath, text.hasPrefix("operationId:") {
                    scoped.insert(text.dropFirst("operationId:".count).trimmingCharacters(in: .whitespaces))
                }
            }
            return scoped
        }

        @Test("R27 R31 every case-scoped API operation has a case policy, and the table names no other operation")
        func everyCaseOperationResolves() {
            let scoped = Self.operations(under: "/api/v1/cases/{")
            #expect(scoped.count >= 25)  // the parser found the case paths (33 when written)
            #expect(scoped == Set(APICasePolicies.table.keys))
            // a report's operations resolve the report's case
            let reports = Self.operations(under: "/api/v1/reports/{")
            #expect(reports.count >= 8)
            #expect(reports == Set(APICasePolicies.reportTable.keys))
        }

        @Test("R31 a report of a case one may not see answers like a missing report, on the page and in the API")
        func reportOfHiddenCase() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let report = try await t.create("/api/v1/cases/\(s.caseID)/reports", token: s.world.fina.token,
                                                ["kind": "progress"])
                let paul = try await s.world.member("paul2", [.caseworker], team: s.world.southTeamID)
                let hidden = try await t.send(.GET, "/api/v1/reports/\(report)", token: paul.token)
                let missing = try await t.send(.GET, "/api/v1/reports/\(UUID().uuidString)", token: paul.token)
                #expect(hidden.status == .notFound)
                #expect(missing.status == .notFound)
                #expect(try hidden.json()["detail"] as? String == (try missing.json()["detail"] as? String))
                let page = WebSession(t)
                try await page.login("paul2")
                #expect(try await page.get("/berichte/\(report.lowercased())").status == .notFound)
                // the author reads it; the read is audited against the case
                #expect(try await t.send(.GET, "/api/v1/reports/\(report)", token: s.world.fina.token).status == .ok)
                let reads = try await AuditEntryModel.query(on: t.db).filter(\.$entity == "case").filter(\.$action == "read").all()
                #expect(reads.contains { $0.changes.contains("api/v1/reports/:id") && $0.entityID?.lowercased() == s.caseID.lowercased() }, "\(reads.map(\.changes))")
            }
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
