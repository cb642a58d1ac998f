import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

/// The master data the case API tests build on, made through the API by a management login:
///
/// | what | value |
/// |---|---|
/// | youth offices | `officeID` Jugendamt Teststadt, `otherOfficeID` Jugendamt Nachbarstadt |
/// | offer | `offerID` Familienhilfe |
/// | teams | `northTeamID` Team Nord, `southTeamID` Team Süd (no team lead yet) |
/// | caseworker | `fina` (Erika Fink, team Nord) with a login: the default lead of new cases |
struct CaseAPIWorld {
    let t: TestApp
    let management: String
    let officeID: String
    let otherOfficeID: String
    let offerID: String
    let northTeamID: String
    let southTeamID: String
    let fina: Member

    /// A login that is also a staff member.
    struct Member {
        let token: String
        let staffID: String
        let username: String
    }

    static func make(_ t: TestApp) async throws -> CaseAPIWorld {
        let management = try await t.token(.management)
        let office = try await t.create("/api/v1/youth-offices", token: management, Fixtures.youthOffice())
        var neighbour = Fixtures.youthOffice(name: "Jugendamt Nachbarstadt")
        neighbour["leitwegId"] = Fixtures.leitwegID("15003001", fine: "JA52")
        let otherOffice = try await t.create("/api/v1/youth-offices", token: management, neighbour)
        let offer = try await t.create("/api/v1/offers", token: management, Fixtures.offer())
        let north = try await t.create("/api/v1/teams", token: management, Fixtures.team())
        let south = try await t.create("/api/v1/teams", token: management, Fixtures.team(name: "Team Süd"))
        let partial = CaseAPIWorld(t: t, management: management, officeID: office, otherOfficeID: otherOffice, offerID: offer,
                                   northTeamID: north, southTeamID: south, fina: Member(token: "", staffID: "", username: ""))
        let fina = try await partial.member("fina", [.caseworker], team: north, lastName: "Fink")
        return CaseAPIWorld(t: t, management: management, officeID: office, otherOfficeID: otherOffice, offerID: offer,
                            northTeamID: north, southTeamID: south, fina: fina)
    }

    /// A new user with these roles, a staff record in `team` and a bearer token.
    func member(_ username: String, _ roles: [Role], team: String, lastName: String? = nil) async throws -> Member {
        let user = try await UserStore.save(
            UserInput(username: username, displayName: username.capitalized, roles: roles.map(\.rawValue), password: TestApp.password),
            hash: { try Bcrypt.hash($0, cost: 4) }, context: t.writeContext, on: t.db)
        var body = Fixtures.staff(teamId: team, lastName: lastName ?? username.capitalized)
        body["userId"] = user.uuidString
        let staffID = try await t.create("/api/v1/staff", token: management, body)
        return Member(token: try await login(username), staffID: staffID, username: username)
    }

    /// A fresh bearer token (tokens expire after 8 hours of test clock).
    func login(_ username: String) async throws -> String {
        let response = try await t.send(.POST, "/api/v1/session", json: ["username": username, "password": TestApp.password])
        #expect(response.status == .created, "login \(username)")
        return try response.json()["token"] as? String ?? ""
    }

    /// The minimum body of `POST /api/v1/cases`.
    func caseBody(fileNumber: String, lead: String? = nil, office: String? = nil, startDate: String = "2026-10-01",
                  firstName: String = "Lena", lastName: String = "Sommer", birthDate: String = "2012-04-03") -> [String: Any] {
        ["youthOfficeId": office ?? officeID, "offerId": offerID, "fileNumber": fileNumber, "startDate": startDate,
         "youngPerson": ["firstName": firstName, "lastName": lastName, "birthDate": birthDate],
         "leadStaffId": lead ?? fina.staffID]
    }

    /// Opens a case as management and returns its id.
    func openCase(_ body: [String: Any]) async throws -> String {
        try await t.create("/api/v1/cases", token: management, body)
    }

    func addSubstitute(_ caseID: String, staffID: String, from: String, to: String) async throws {
        let response = try await t.send(.POST, "/api/v1/cases/\(caseID)/substitutes", token: management,
                                        json: ["staffId": staffID, "from": from, "to": to])
        #expect(response.status == .noContent, "substitute: \(response.body.string)")
    }

    /// Makes `staffID` the team lead of `team`.
    func setTeamLead(_ team: String, name: String, staffID: String) async throws {
        let response = try await t.send(.PUT, "/api/v1/teams/\(team)", token: management,
                                        json: ["name": name, "location": "Iserlohn", "leadStaffId": staffID])
        #expect(response.status == .noContent, "team lead: \(response.body.string)")
    }

    /// The ids (lower case) of `GET /api/v1/cases` with this query, in the order returned.
    func listIDs(token: String, query: String = "") async throws -> [String] {
        let response = try await t.send(.GET, "/api/v1/cases" + (query.isEmpty ? "" : "?" + query), token: token)
        #expect(response.status == .ok, "list ?\(query): \(response.status) \(response.body.string)")
        return try response.jsonArray().compactMap { ($0["id"] as? String)?.lowercased() }
    }
}

extension CaseAPIWorld {
    /// The login of one row of a need-to-know matrix (`who`): a member by username, management, or a new
    /// login for "accounting", "admin" or "mixed" (caseworker and accounting, on no case); with its token
    /// and the username a page signs in with.
    func matrixLogin(_ who: String, members: [Member]) async throws -> (token: String, username: String) {
        if let member = members.first(where: { $0.username == who }) ?? (who == fina.username ? fina : nil) { return (member.token, who) }
        let token: String
        switch who {
        case "management": token = management
        case "accounting": token = try await t.token(.accounting)
        case "mixed": token = try await t.token(.caseworker, .accounting, username: "mixed")
        default: token = try await t.token(.admin)
        }
        return (token, try await t.send(.GET, "/api/v1/me", token: token).json()["username"] as? String ?? "")
    }
}

extension CaseAPIWorld {
    /// The people a need-to-know matrix checks a case of fina's against: kai (Team Nord, on no case), tina
    /// (team lead of Team Nord), sven (team lead of Team Süd).
    struct TeamPeople {
        let kai: Member
        let tina: Member
        let sven: Member
    }

    func teamPeople() async throws -> TeamPeople {
        let kai = try await member("kai", [.caseworker], team: northTeamID, lastName: "Kaiser")
        let tina = try await member("tina", [.teamLead, .caseworker], team: northTeamID, lastName: "Thal")
        try await setTeamLead(northTeamID, name: "Team Nord", staffID: tina.staffID)
        let sven = try await member("sven", [.teamLead, .caseworker], team: southTeamID, lastName: "Sonne")
        try await setTeamLead(southTeamID, name: "Team Süd", staffID: sven.staffID)
        return TeamPeople(kai: kai, tina: tina, sven: sven)
    }
}
