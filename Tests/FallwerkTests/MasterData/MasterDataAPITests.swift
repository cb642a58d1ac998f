@testable import FallwerkApp
import FallwerkAPI
import FallwerkDomain
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Master data through the API")
    struct MasterDataAPI {
        @Test("Youth offices: create, list, read, replace, with contact persons and deputies")
        func youthOffices() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin)
                var body = Fixtures.youthOffice()
                body["contacts"] = [["name": "Frau Schubert", "phone": "0391 1", "deputyName": "Herr Albrecht"]]
                let id = try await t.create("/api/v1/youth-offices", token: token, body)

                let read = try await t.send(.GET, "/api/v1/youth-offices/\(id)", token: token).json()
                #expect(read["name"] as? String == "Jugendamt Teststadt")
                #expect(read["leitwegId"] as? String == Fixtures.leitwegID())
                let contacts = read["contacts"] as? [[String: Any]] ?? []
                #expect(contacts.first?["deputyName"] as? String == "Herr Albrecht")

                body["name"] = "Jugendamt Neustadt"
                #expect(try await t.send(.PUT, "/api/v1/youth-offices/\(id)", token: token, json: body).status == .noContent)
                let list = try await t.send(.GET, "/api/v1/youth-offices", token: token).jsonArray()
                #expect(list.map { $0["name"] as? String } == ["Jugendamt Neustadt"])
            }
        }

        @Test("Youth offices: every bad field gets its own German message")
        func youthOfficeValidation() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin)
                let response = try await t.send(.POST, "/api/v1/youth-offices", token: token, json: [
                    "name": " ", "leitwegId": "04011000-1234512345-07",
                    "address": ["street": "", "postalCode": "3910", "city": "X"],
                    "contacts": [["name": "", "email": "kein-at"]],
                ])
                #expect(response.status == .unprocessableEntity)
                #expect(response.isProblemJSON)
                #expect(Set(try response.problemFields()) == ["name", "leitwegId", "address.street", "address.postalCode",
                                                              "contacts[0].name", "contacts[0].email"])
                #expect(try await t.send(.GET, "/api/v1/youth-offices", token: token).jsonArray().isEmpty)
            }
        }

        @Test("Offers keep their own first review and orientation-day hours")
        func offers() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.management)
                var body = Fixtures.offer(name: "Einzelfallhilfe")
                body["onboardingDayHours"] = "10"
                body["firstReviewMonths"] = 3
                body["requiredQualification"] = "socialWorker"
                let id = try await t.create("/api/v1/offers", token: token, body)
                let read = try await t.send(.GET, "/api/v1/offers/\(id)", token: token).json()
                #expect(read["onboardingDayHours"] as? String == "10")
                #expect(read["firstReviewMonths"] as? Int == 3)

                body["onboardingDayHours"] = "zehn"
                body["legalBasis"] = "SGB VIII"
                let bad = try await t.send(.PUT, "/api/v1/offers/\(id)", token: token, json: body)
                #expect(bad.status == .unprocessableEntity)
                #expect(Set(try bad.problemFields()) == ["onboardingDayHours", "legalBasis"])
            }
        }

        @Test("Agreements: omitted settings take the defaults of SPEC.md, given ones are kept")
        func agreementDefaults() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.accounting, .admin)
                let office = try await t.create("/api/v1/youth-offices", token: token, Fixtures.youthOffice())
                let offer = try await t.create("/api/v1/offers", token: token, Fixtures.offer())
                let id = try await t.create("/api/v1/agreements", token: token, [
                    "youthOfficeId": office, "validFrom": "2026-01-01",
                    "rates": [["offerId": offer, "hourlyRate": "58.40"]],
                    "settings": ["roundingMinutes": 15, "requireClientSignature": false, "travelMode": "perKm", "travelRatePerKm": "0.30"],
                ])
                let read = try await t.send(.GET, "/api/v1/agreements/\(id)", token: token).json()
                let settings = try #require(read["settings"] as? [String: Any])
                #expect(settings["roundingMinutes"] as? Int == 15)
                #expect(settings["requireClientSignature"] as? Bool == false)
                #expect(settings["travelRatePerKm"] as? String == "0.30")
                #expect(settings["firstReviewMonths"] as? Int == 6)
                #expect(settings["reportHours"] as? String == "1")
                #expect(settings["shortNoticeBillablePercent"] as? Int == 50)
                #expect(settings["balancing"] as? String == "perUnit")
                #expect(settings["deleteAfterAge"] as? Int == 100)
                #expect(settings.count == 23)
                let rates = read["rates"] as? [[String: Any]] ?? []
                #expect(rates.first?["hourlyRate"] as? String == "58.40")
            }
        }

        @Test("Agreements: overlapping periods, unknown offers and bad rates are refused per field")
        func agreementValidation() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin)
                let office = try await t.create("/api/v1/youth-offices", token: token, Fixtures.youthOffice())
                let offer = try await t.create("/api/v1/offers", token: token, Fixtures.offer())
                _ = try await t.create("/api/v1/agreements", token: token, [
                    "youthOfficeId": office, "validFrom": "2026-01-01", "validTo": "2026-12-31",
                    "rates": [["offerId": offer, "hourlyRate": "58.40"]],
                ])
                let overlap = try await t.send(.POST, "/api/v1/agreements", token: token, json: [
                    "youthOfficeId": office, "validFrom": "2026-06-01",
                    "rates": [["offerId": offer, "hourlyRate": "60.00"]],
                ])
                #expect(overlap.status == .unprocessableEntity)
                #expect(try overlap.problemFields() == ["validFrom"])

                let bad = try await t.send(.POST, "/api/v1/agreements", token: token, json: [
                    "youthOfficeId": UUID().uuidString, "validFrom": "2027-02-30", "validTo": "2026-01-01",
                    "rates": [["offerId": UUID().uuidString, "hourlyRate": "58.405"]],
                    "settings": ["roundingMinutes": 7],
                ])
                #expect(bad.status == .unprocessableEntity)
                #expect(Set(try bad.problemFields()) == ["youthOfficeId", "validFrom", "rates[0].offerId", "rates[0].hourlyRate", "settings.roundingMinutes"])

                let next = try await t.send(.POST, "/api/v1/agreements", token: token, json: [
                    "youthOfficeId": office, "validFrom": "2027-01-01",
                    "rates": [["offerId": offer, "hourlyRate": "60.00"]],
                ])
                #expect(next.status == .created)
            }
        }

        @Test("Teams and staff: team lead, contract hours, qualification")
        func teamsAndStaff() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin)
                let team = try await t.create("/api/v1/teams", token: token, Fixtures.team())
                let staff = try await t.create("/api/v1/staff", token: token, Fixtures.staff(teamId: team))
                var teamBody = Fixtures.team()
                teamBody["leadStaffId"] = staff
                #expect(try await t.send(.PUT, "/api/v1/teams/\(team)", token: token, json: teamBody).status == .noContent)
                let read = try await t.send(.GET, "/api/v1/teams/\(team)", token: token).json()
                #expect(read["leadName"] as? String == "Erika Muster")
                #expect(read["memberCount"] as? Int == 1)

                var bad = Fixtures.staff(teamId: UUID().uuidString)
                bad["weeklyHours"] = "49"
                bad["qualification"] = "wizard"
                let response = try await t.send(.POST, "/api/v1/staff", token: token, json: bad)
                #expect(response.status == .unprocessableEntity)
                #expect(try response.problemFields() == ["qualification"])  // an unknown enum value fails first, while decoding

                bad["qualification"] = "educator"
                let second = try await t.send(.POST, "/api/v1/staff", token: token, json: bad)
                #expect(Set(try second.problemFields()) == ["weeklyHours", "teamId"])

                let member = try await t.send(.GET, "/api/v1/staff/\(staff)", token: token).json()
                #expect(member["weeklyHours"] as? String == "39")
                #expect(member["teamName"] as? String == "Team Nord")
            }
        }

        @Test("The provider's invoice data: absent at first, then saved with a checked IBAN")
        func provider() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.accounting)
                #expect(try await t.send(.GET, "/api/v1/provider", token: token).status == .notFound)
                var body = Fixtures.provider()
                body["iban"] = "DE03120300000000202051"
                let bad = try await t.send(.PUT, "/api/v1/provider", token: token, json: body)
                #expect(try bad.problemFields() == ["iban"])
                body["iban"] = "de02 1203 0000 0000 2020 51"
                #expect(try await t.send(.PUT, "/api/v1/provider", token: token, json: body).status == .noContent)
                #expect(try await t.send(.GET, "/api/v1/provider", token: token).json()["iban"] as? String == "DE02120300000000202051")
            }
        }

        @Test("Users: unique usernames, minimum password length, known roles")
        func users() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin, username: "chefin")
                let id = try await t.create("/api/v1/users", token: token, ["username": "neu", "roles": ["caseworker"], "password": "lang-genug-123"])
                let dup = try await t.send(.POST, "/api/v1/users", token: token, json: ["username": "NEU", "roles": ["admin"], "password": "lang-genug-123"])
                #expect(try dup.problemFields() == ["username"])
                let short = try await t.send(.PUT, "/api/v1/users/\(id)", token: token, json: ["username": "neu", "roles": ["caseworker"], "password": "kurz"])
                #expect(try short.problemFields() == ["password"])
                let keep = try await t.send(.PUT, "/api/v1/users/\(id)", token: token, json: ["username": "neu", "roles": ["caseworker", "teamLead"]])
                #expect(keep.status == .noContent)
                let login = try await t.send(.POST, "/api/v1/session", json: ["username": "neu", "password": "lang-genug-123"])
                #expect(login.status == .created)
            }
        }
    }

    @Suite("API conventions")
    struct APIConventions {
        @Test("Unknown routes 404, wrong methods 405, malformed JSON 400, wrong types 422 – never 500")
        func errorStatuses() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin)
                let unknown = try await t.send(.GET, "/api/v1/gibt-es-nicht", token: token)
                #expect(unknown.status == .notFound && unknown.isProblemJSON)
                let method = try await t.send(.PATCH, "/api/v1/youth-offices", token: token)
                #expect(method.status == .methodNotAllowed && method.isProblemJSON)
                let malformed = try await t.send(.POST, "/api/v1/youth-offices", token: token, rawBody: "{\"name\": ")
                #expect(malformed.status == .badRequest && malformed.isProblemJSON)
                let wrongType = try await t.send(.POST, "/api/v1/teams", token: token, json: ["name": 5, "location": "X"])
                #expect(wrongType.status == .unprocessableEntity)
                #expect(try wrongType.problemFields() == ["name"])
                let missing = try await t.send(.GET, "/api/v1/offers/\(UUID().uuidString)", token: token)
                #expect(missing.status == .notFound)
                let garbage = try await t.send(.GET, "/api/v1/offers/keine-id", token: token)
                #expect(garbage.status == .notFound)
                let text = try await t.send(.POST, "/api/v1/teams", token: token, rawBody: "name=x", contentType: "text/plain")
                #expect(text.status == .unsupportedMediaType)
                #expect((try text.json()["detail"] as? String)?.contains("JSON") == true)
            }
        }

        @Test("The served OpenAPI document is the one the server types are generated from")
        func openAPIDocument() async throws {
            try await TestApp.run { t in
                let response = try await t.send(.GET, "/openapi.yaml")
                #expect(response.status == .ok)
                #expect(response.body.string == APIDocument.yaml)
                #expect(response.body.string.hasPrefix("openapi: 3.1.0"))
            }
        }
    }
}
