@testable import FallwerkApp
import FallwerkAPI
import FallwerkDomain
import Foundation
import Testing
import Vapor

/// What `scripts/api-checks.sh` (schemathesis against the demo server) found, pinned one by one:
/// bad input is a 4xx problem+json naming the field, and every status the API answers is one its
/// document declares for that operation.
extension AllTests {
    @Suite("API robustness (schemathesis findings)")
    struct APIRobustness {
        @Test("A malformed integer or enum query parameter is a 400 naming the parameter, not a nameless 422")
        func typedQueryParameters() async throws {
            try await TestApp.run { t in
                // given
                let management = try await t.token(.management)
                let cases: [(String, String)] = [
                    ("/api/v1/deadlines?weeks=null", "weeks"),
                    ("/api/v1/deadlines?weeks=0", "weeks"),
                    ("/api/v1/deadlines?weeks=53", "weeks"),
                    ("/api/v1/deadlines?scope=foo", "scope"),
                    ("/api/v1/deadlines?scope=all&weeks=8&weeks=x", "weeks"),
                    ("/api/v1/audit-log?offset=null&offset=null", "offset"),
                    ("/api/v1/audit-log?limit=abc", "limit"),
                    ("/api/v1/audit-log?limit=501", "limit"),
                    ("/api/v1/audit-log?offset=-1", "offset"),
                ]
                for (path, field) in cases {
                    // when
                    let response = try await t.send(.GET, path, token: management)
                    // then
                    #expect(response.status == .badRequest, "\(path): \(response.body.string)")
                    #expect(response.isProblemJSON, "\(path)")
                    #expect(try response.problemFields() == [field], "\(path): \(response.body.string)")
                }
                #expect(try await t.send(.GET, "/api/v1/deadlines?scope=all&weeks=52", token: management).status == .ok)
                #expect(try await t.send(.GET, "/api/v1/audit-log?limit=1&offset=0", token: management).status == .ok)
            }
        }

        @Test("A missing required query parameter (invoices' month) is a 400 naming it")
        func requiredQueryParameter() async throws {
            try await TestApp.run { t in
                // given
                let accounting = try await t.token(.accounting)
                for path in ["/api/v1/invoices", "/api/v1/invoices.csv", "/api/v1/invoices?other=1"] {
                    // when
                    let response = try await t.send(.GET, path, token: accounting)
                    // then
                    #expect(response.status == .badRequest, "\(path)")
                    #expect(try response.problemFields() == ["month"], "\(path): \(response.body.string)")
                }
            }
        }

        @Test("A bad query parameter still answers 401 before 400 when not signed in")
        func policyBeforeParameters() async throws {
            try await TestApp.run { t in
                let response = try await t.send(.GET, "/api/v1/deadlines?weeks=x")
                #expect(response.status == .unauthorized)
            }
        }

        @Test("List filters that are no UUID: the 400 they answer is in the document")
        func filterBadRequestDocumented() async throws {
            try await TestApp.run { t in
                // given
                let management = try await t.token(.management)
                for (path, operation) in [("/api/v1/agreements?youthOfficeId=x", ("/api/v1/agreements", "get")),
                                          ("/api/v1/staff?teamId=x", ("/api/v1/staff", "get"))] {
                    // when
                    let response = try await t.send(.GET, path, token: management)
                    // then
                    #expect(response.status == .badRequest)
                    #expect(Self.documentedStatuses(operation.0, operation.1).contains(400), "\(operation)")
                }
            }
        }

        @Test("Issuing all drafts refuses with 422 when the provider data lack e-mail and phone, and the document says so")
        func issueAllUnprocessableDocumented() {
            #expect(Self.documentedStatuses("/api/v1/billing-runs/{month}/issue", "post") == [200, 400, 401, 403, 422])
        }

        /// The response codes openapi.yaml declares for one operation (its layout is the one
        /// scripts/openapi.py writes: paths at two spaces, methods at four, codes at eight).
        static func documentedStatuses(_ path: String, _ method: String) -> Set<Int> {
            var inPath = false, inMethod = false, inResponses = false
            var codes: Set<Int> = []
            for line in APIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
                let indent = line.prefix { $0 == " " }.count
                let text = line.trimmingCharacters(in: .whitespaces)
                if indent == 2 { inPath = text == "\(path):"; inMethod = false; inResponses = false; continue }
                guard inPath else { continue }
                if indent == 4 { inMethod = text == "\(method):"; inResponses = false; continue }
                guard inMethod else { continue }
                if indent == 6 { inResponses = text == "responses:"; continue }
                if inResponses, indent == 8, let code = Int(text.trimmingCharacters(in: CharacterSet(charactersIn: "':"))) {
                    codes.insert(code)
                }
            }
            return codes
        }
    }
}
