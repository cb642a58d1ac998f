@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Case visibility matrix")
    struct CaseVisibilityMatrix {
        /// Who is asking, relative to one case of team Nord led by fina.
        enum Relation: String, CaseIterable {
            case management, accounting, adminOnly, teamLeadOfTeam, teamLeadOfOtherTeam
            case lead, coWorker, unassigned, substituteNow, substituteExpired, substituteFuture
        }

        /// Expected outcome per action: list membership, then HTTP status of get case, list entries,
        /// record an entry, record an approval, add a substitute.
        static let expected: [Relation: (inList: Bool, get: Int, entries: Int, record: Int, approval: Int, substitute: Int)] = [
            .management: (true, 200, 200, 201, 201, 204),
            .accounting: (true, 200, 200, 403, 403, 403),
            .adminOnly: (false, 404, 404, 403, 403, 403),
            .teamLeadOfTeam: (true, 200, 200, 201, 201, 204),
            .teamLeadOfOtherTeam: (false, 404, 404, 404, 404, 404),
            .lead: (true, 200, 200, 201, 201, 403),
            .coWorker: (true, 200, 200, 201, 201, 403),
            .unassigned: (false, 404, 404, 404, 404, 403),
            .substituteNow: (true, 200, 200, 201, 201, 403),
            .substituteExpired: (false, 404, 404, 404, 404, 403),
            .substituteFuture: (false, 404, 404, 404, 404, 403),
        ]

        @Test("R31 and R27: every role and relation × list, read, entries, record, approve, substitute")
        func matrix() async throws {
            try await TestApp.run { t in
                let w = try await CaseWorld.make(t)
                let admin = w.managementToken
                func staff(_ username: String, _ roles: [Role], team: String) async throws -> (token: String, staffID: String) {
                    let user = try await UserStore.save(UserInput(username: username, displayName: username, roles: roles.map(\.rawValue), password: TestApp.password),
                                                        hash: { try Bcrypt.hash($0, cost: 4) }, context: t.writeContext, on: t.db)
                    var body = Fixtures.staff(teamId: team, lastName: username.capitalized)
                    body["userId"] = user.uuidString
                    let staffID = try await t.create("/api/v1/staff", token: admin, body)
                    let session = try await t.send(.POST, "/api/v1/session", json: ["username": username, "password": TestApp.password])
                    return (try session.json()["token"] as? String ?? "", staffID)
                }
                let cora = try await staff("cora", [.caseworker], team: w.northTeamID)
                let sina = try await staff("sina", [.caseworker], team: w.southTeamID)
                let exa = try await staff("exa", [.caseworker], team: w.southTeamID)
                let futa = try await staff("futa", [.caseworker], team: w.southTeamID)
                let tina = try await staff("tina", [.teamLead], team: w.northTeamID)
                let sven = try await staff("sven", [.teamLead], team: w.southTeamID)
                for (team, name, lead) in [(w.northTeamID, "Team Nord", tina.staffID), (w.southTeamID, "Team Süd", sven.staffID)] {
                    let response = try await t.send(.PUT, "/api/v1/teams/\(team)", token: admin, json: ["name": name, "location": "Iserlohn", "leadStaffId": lead])
                    #expect(response.status == .noContent)
                }
                var body = Fixtures.caseBody(youthOfficeId: w.officeID, offerId: w.offerID, leadStaffId: w.finaStaffID,
                                             fileNumber: "51.2-2026-0777", startDate: "2026-09-01", firstName: "Mila", lastName: "Matrix")
                body["coWorkerIds"] = [cora.staffID]
                let caseID = try await t.create("/api/v1/cases", token: admin, body)
                for (who, from, to) in [(sina, "2026-11-01", "2026-11-30"), (exa, "2026-10-01", "2026-10-31"), (futa, "2026-12-01", "2026-12-31")] {
                    let response = try await t.send(.POST, "/api/v1/cases/\(caseID)/substitutes", token: admin, json: ["staffId": who.staffID, "from": from, "to": to])
                    #expect(response.status == .noContent)
                }
                let fina = try await t.send(.POST, "/api/v1/session", json: ["username": "fina", "password": TestApp.password]).json()["token"] as? String ?? ""
                let paul = try await t.send(.POST, "/api/v1/session", json: ["username": "paul", "password": TestApp.password]).json()["token"] as? String ?? ""
                let actors: [Relation: (token: String, staffID: String)] = [
                    .management: (try await t.token(.management), w.finaStaffID),
                    .accounting: (try await t.token(.accounting), w.finaStaffID),
                    .adminOnly: (try await t.token(.admin), w.finaStaffID),
                    .teamLeadOfTeam: tina, .teamLeadOfOtherTeam: sven,
                    .lead: (fina, w.finaStaffID), .coWorker: cora, .unassigned: (paul, w.paulStaffID),
                    .substituteNow: sina, .substituteExpired: exa, .substituteFuture: futa,
                ]
                for (index, relation) in Relation.allCases.enumerated() {
                    let actor = actors[relation]!
                    let want = Self.expected[relation]!
                    let list = try await t.send(.GET, "/api/v1/cases", token: actor.token)
                    let ids = (try? list.jsonArray().compactMap { $0["id"] as? String }) ?? []
                    #expect(ids.contains(caseID) == want.inList, "\(relation) list")
                    #expect(try await t.send(.GET, "/api/v1/cases/\(caseID)", token: actor.token).status.code == want.get, "\(relation) get")
                    #expect(try await t.send(.GET, "/api/v1/cases/\(caseID)/entries?month=2026-11", token: actor.token).status.code == want.entries, "\(relation) entries")
                    // Lead roles record for the lead worker; caseworkers for themselves. Each at its own hour.
                    let recordFor = [.management, .accounting, .adminOnly, .teamLeadOfTeam].contains(relation) ? w.finaStaffID : actor.staffID
                    let entry = try await t.send(.POST, "/api/v1/cases/\(caseID)/entries", token: actor.token, json: [
                        "staffId": recordFor, "date": "2026-11-20", "start": String(format: "%02d:00", 7 + index), "minutes": 30, "kind": "direct"])
                    #expect(entry.status.code == want.record, "\(relation) record: \(entry.body.string)")
                    let approval = try await t.send(.POST, "/api/v1/cases/\(caseID)/approvals", token: actor.token, json: [
                        "from": "20\(30 + index)-01-01", "to": "20\(30 + index)-06-30", "hours": "10", "per": "month"])
                    #expect(approval.status.code == want.approval, "\(relation) approval: \(approval.body.string)")
                    let substitute = try await t.send(.POST, "/api/v1/cases/\(caseID)/substitutes", token: actor.token, json: [
                        "staffId": w.paulStaffID, "from": "2027-01-01", "to": "2027-01-31"])
                    #expect(substitute.status.code == want.substitute, "\(relation) substitute: \(substitute.body.string)")
                }
            }
        }
    }
}
