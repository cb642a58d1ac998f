@testable import FallwerkApp
import FallwerkAPI
import FallwerkDomain
import Foundation
import Testing
import Vapor
import FallwerkWeb

extension AllTests {
    @Suite("Authorization policies")
    struct Authorization {
        @Test("R31 every registered route carries a policy")
        func everyRouteHasPolicy() async throws {
            try await TestApp.run { t in
                let routes = t.app.routes.all
                #expect(routes.count > 40)
                let missing = routes.filter { $0.userInfo[PolicyInfoKey.name] == nil }
                    .map { "\($0.method) /\($0.path.map(\.description).joined(separator: "/"))" }
                #expect(missing.isEmpty, "routes without policy: \(missing)")
            }
        }

        @Test("R31 every OpenAPI operation has a policy, and the table names no unknown operation")
        func everyOperationHasPolicy() {
            let ids = Set(APIDocument.yaml.split(separator: "\n").compactMap { line -> String? in
                let text = line.trimmingCharacters(in: .whitespaces)
                guard text.hasPrefix("operationId:") else { return nil }
                return text.dropFirst("operationId:".count).trimmingCharacters(in: .whitespaces)
            })
            #expect(ids.count >= 30)
            #expect(ids == Set(APIPolicies.table.keys))
        }

        /// Expected answer per role: true = allowed.
        static let matrix: [(method: HTTPMethod, path: String, allowed: Set<Role>)] = [
            (.GET, "/api/v1/youth-offices", Set(Role.allCases)),
            (.POST, "/api/v1/youth-offices", [.admin, .management]),
            (.GET, "/api/v1/offers", Set(Role.allCases)),
            (.POST, "/api/v1/offers", [.admin, .management]),
            (.GET, "/api/v1/agreements", [.admin, .management, .teamLead, .accounting]),
            (.POST, "/api/v1/agreements", [.admin, .management, .accounting]),
            (.GET, "/api/v1/teams", Set(Role.allCases)),
            (.POST, "/api/v1/teams", [.admin, .management]),
            (.GET, "/api/v1/staff", Set(Role.allCases)),
            (.GET, "/api/v1/users", [.admin]),
            (.POST, "/api/v1/users", [.admin]),
            (.GET, "/api/v1/provider", [.admin, .management, .accounting]),
            (.PUT, "/api/v1/provider", [.admin, .management, .accounting]),
            (.GET, "/api/v1/audit-log", [.management]),
            (.GET, "/api/v1/audit-log?caseId=00000000-0000-0000-0000-000000000001", [.management]),
            // R33: subject access is management's (an unknown person: 404 for management, 403 for the others)
            (.GET, "/api/v1/persons/00000000-0000-0000-0000-000000000001/export", [.management]),
            // R21: §8a procedures (the case-scoped routes × roles: ChildProtectionAPITests.needToKnow)
            (.GET, "/api/v1/child-protection", [.management]),
            (.GET, "/api/v1/isef-experts", [.caseworker, .teamLead, .management]),
            (.POST, "/api/v1/isef-experts", [.management]),
            // Issue 16: deactivating logins is administration; everyone changes their own password.
            (.POST, "/api/v1/users/00000000-0000-0000-0000-000000000001/deactivate", [.admin]),
            (.POST, "/api/v1/users/00000000-0000-0000-0000-000000000001/activate", [.admin]),
            (.PUT, "/api/v1/me/password", Set(Role.allCases)),
            // Health records (the case-scoped routes × roles: HealthRecordTests.R31_healthNeedToKnow)
            (.GET, "/api/v1/cases/00000000-0000-0000-0000-000000000001/health-records", [.caseworker, .teamLead, .management]),
        ]

        @Test("R31 role × action matrix for master data and administration", arguments: Role.allCases)
        func roleMatrix(role: Role) async throws {
            try await TestApp.run { t in
                let token = try await t.token(role)
                for entry in Self.matrix {
                    // An empty JSON body: allowed roles get past the policy and fail validation (422),
                    // refused roles never reach it (403).
                    let response = try await t.send(entry.method, entry.path, token: token,
                                                    json: entry.method == .GET ? nil : [String: Any]())
                    let allowed = entry.allowed.contains(role)
                    if allowed {
                        #expect(response.status != .forbidden, "\(role) \(entry.method) \(entry.path)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) \(entry.method) \(entry.path): \(response.status)")
                    }
                }
            }
        }

        @Test("R31 navigation shows each role only what it may open")
        func navigationByRole() {
            #expect(Layout.navigationTitles(for: [.admin]).contains("Benutzer"))
            #expect(!Layout.navigationTitles(for: [.caseworker]).contains("Benutzer"))
            #expect(!Layout.navigationTitles(for: [.caseworker]).contains("Vereinbarungen"))
            #expect(Layout.navigationTitles(for: [.accounting]).contains("Vereinbarungen"))
            #expect(Layout.navigationTitles(for: [.management]).contains("Protokoll"))
            #expect(!Layout.navigationTitles(for: [.admin]).contains("Protokoll"))
            #expect(Layout.navigationTitles(for: [.management]).contains("Kinderschutz"))
            for role in [Role.admin, .accounting, .caseworker, .teamLead] {
                #expect(!Layout.navigationTitles(for: [role]).contains("Kinderschutz"), "R21 \(role)")
            }
        }

        @Test("R31 pages refuse roles without the right and send strangers to the login")
        func pagePolicies() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let stranger = WebSession(t)
                let redirect = try await stranger.get("/benutzer")
                #expect(redirect.status == .seeOther)
                #expect(redirect.headers.first(name: .location) == "/anmelden?weiter=/benutzer")

                let browser = WebSession(t)
                try await browser.login("mara")
                let refused = try await browser.get("/benutzer")
                #expect(refused.status == .forbidden)
                #expect(refused.body.string.contains("Keine Berechtigung"))
                #expect(try await browser.get("/jugendaemter/neu").status == .forbidden)
                #expect(try await browser.get("/jugendaemter").status == .ok)
            }
        }
    }
}
