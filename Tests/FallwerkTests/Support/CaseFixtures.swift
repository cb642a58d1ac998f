import FallwerkDomain
import Foundation
import Testing

extension Fixtures {
    /// A valid `POST /api/v1/cases` body.
    static func caseBody(youthOfficeId: String, offerId: String, leadStaffId: String, fileNumber: String,
                         startDate: String = "2026-10-01", firstName: String, lastName: String,
                         birthDate: String = "2012-04-03") -> [String: Any] {
        ["youthOfficeId": youthOfficeId, "offerId": offerId, "leadStaffId": leadStaffId, "fileNumber": fileNumber,
         "startDate": startDate, "youngPerson": ["firstName": firstName, "lastName": lastName, "birthDate": birthDate]]
    }
}

/// Two teams, each with one caseworker who has a login, and one running case per team:
///
/// | case | young person | file number | team | youth office | lead |
/// |---|---|---|---|---|---|
/// | `lenaCase` | Lena Sommer | 51.2-2026-0001 | Nord | Jugendamt Teststadt | Erika Fink (`fina`) |
/// | `jonasCase` | Jonas Kern | 51.2-2026-0002 | Süd | Jugendamt Nachbarstadt | Erika Pohl (`paul`) |
///
/// Lena's case also has a guardian and a youth office caseworker. `managementToken` is an API
/// token of a user with administration and management roles.
struct CaseWorld {
    let managementToken: String
    let officeID: String
    let otherOfficeID: String
    let offerID: String
    let northTeamID: String
    let southTeamID: String
    let finaStaffID: String
    let paulStaffID: String
    let lenaCase: String
    let jonasCase: String

    static func make(_ t: TestApp) async throws -> CaseWorld {
        let admin = try await t.token(.admin, .management)
        let office = try await t.create("/api/v1/youth-offices", token: admin, Fixtures.youthOffice())
        var neighbour = Fixtures.youthOffice(name: "Jugendamt Nachbarstadt")
        neighbour["leitwegId"] = Fixtures.leitwegID("15003001", fine: "JA52")
        let otherOffice = try await t.create("/api/v1/youth-offices", token: admin, neighbour)
        let offer = try await t.create("/api/v1/offers", token: admin, Fixtures.offer())
        let north = try await t.create("/api/v1/teams", token: admin, Fixtures.team())
        let south = try await t.create("/api/v1/teams", token: admin, Fixtures.team(name: "Team Süd"))

        func caseworker(_ username: String, lastName: String, team: String) async throws -> String {
            let user = try await t.addUser(username, .caseworker)
            var staff = Fixtures.staff(teamId: team, lastName: lastName)
            staff["userId"] = user.uuidString
            return try await t.create("/api/v1/staff", token: admin, staff)
        }
        let fina = try await caseworker("fina", lastName: "Fink", team: north)
        let paul = try await caseworker("paul", lastName: "Pohl", team: south)

        var lena = Fixtures.caseBody(youthOfficeId: office, offerId: offer, leadStaffId: fina, fileNumber: "51.2-2026-0001",
                                     firstName: "Lena", lastName: "Sommer")
        lena["guardians"] = [["firstName": "Sabine", "lastName": "Sommer", "relation": "Mutter", "phone": "0171 2345678"]]
        lena["youthOfficeCaseworker"] = "Frau Albers"
        lena["youthOfficeCaseworkerPhone"] = "0391 540-1234"
        let lenaCase = try await t.create("/api/v1/cases", token: admin, lena)
        let jonasCase = try await t.create("/api/v1/cases", token: admin, Fixtures.caseBody(
            youthOfficeId: otherOffice, offerId: offer, leadStaffId: paul, fileNumber: "51.2-2026-0002",
            startDate: "2026-09-15", firstName: "Jonas", lastName: "Kern", birthDate: "2010-01-20"))
        return CaseWorld(managementToken: admin, officeID: office, otherOfficeID: otherOffice, offerID: offer,
                         northTeamID: north, southTeamID: south, finaStaffID: fina, paulStaffID: paul,
                         lenaCase: lenaCase, jonasCase: jonasCase)
    }
}
