@testable import FallwerkApp
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("The benchmarks' load generator (issue 12)")
    struct LeanHTTPClientTests {
        @Test("Issue 12: the benchmarks' lean client sends each request over a socket, reads each whole answer and counts another status as a failure")
        func countsEveryAnswer() async throws {
            try await TestApp.run { t in
                try await t.app.asyncBoot()
                try await t.app.server.start(address: .hostname("127.0.0.1", port: 0))
                let port = try #require(t.app.http.server.shared.localAddress?.port)
                // three clients, four requests each: the API document (a long answer, read in several parts) but
                // for client 2's second request, which asks for a path there is none of
                let run = await LeanHTTPClient.load(port: port, clients: 3, requests: 4, expecting: 200) { client, index in
                    LeanHTTPClient.Request(path: client == 2 && index == 1 ? "/api/v1/nothing-here" : "/openapi.yaml")
                }
                #expect(run.milliseconds.count == 12)
                #expect(run.failures.count == 1)
                #expect(run.failures.first?.hasPrefix("404 ") == true)
                #expect(run.firstFailures.count == 1)
                #expect(run.firstFailures.first?.hasPrefix("client 2, request 1: 404") == true)
                // a request with a body, paced: four refused sign-ins in all (the fifth in a row would be throttled)
                let login = #"{"username":"niemand","password":"falsch"}"#
                let paced = await LeanHTTPClient.load(port: port, clients: 2, requests: 1, expecting: 401, rate: 200) { _, _ in
                    LeanHTTPClient.Request(method: "POST", path: "/api/v1/session", headers: [("Content-Type", "application/json")], body: login)
                }
                #expect(paced.milliseconds.count == 2)
                #expect(paced.failures.isEmpty, "\(paced.firstFailures)")
                await t.app.server.shutdown()
            }
        }
    }
}
