@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Cases through the API")
    struct CaseAPI {
        // MARK: Creating and reading

        @Test("A case opened with the minimum body is read back with status, staff and persons")
        func createAndRead() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseAPIWorld.make(t)
                // when
                let created = try await t.send(.POST, "/api/v1/cases", token: w.management, json: w.caseBody(fileNumber: "51.2-2026-0001"))
                // then
                #expect(created.status == .created, "\(created.body.string)")
                let createdBody = try created.json()
                #expect(Array(createdBody.keys) == ["id"])
                let id = try #require(createdBody["id"] as? String)
                #expect(UUID(uuidString: id) != nil)

                let read = try await t.send(.GET, "/api/v1/cases/\(id)", token: w.management)
                #expect(read.status == .ok)
                let c = try read.json()
                #expect((c["id"] as? String)?.lowercased() == id.lowercased())
                #expect(c["fileNumber"] as? String == "51.2-2026-0001")
                #expect(c["status"] as? String == "running")
                #expect(c["startDate"] as? String == "2026-10-01")
                #expect(c["endDate"] == nil)
                let young = try #require(c["youngPerson"] as? [String: Any])
                #expect(young["firstName"] as? String == "Lena")
                #expect(young["lastName"] as? String == "Sommer")
                #expect(young["birthDate"] as? String == "2012-04-03")
                #expect((c["guardians"] as? [Any])?.isEmpty == true)
                #expect((c["youthOfficeId"] as? String)?.lowercased() == w.officeID.lowercased())
                #expect(c["youthOfficeName"] as? String == "Jugendamt Teststadt")
                #expect(c["offerName"] as? String == "Familienhilfe")
                // The case belongs to the team of its lead.
                #expect((c["teamId"] as? String)?.lowercased() == w.northTeamID.lowercased())
                #expect(c["teamName"] as? String == "Team Nord")
                let staff = try #require(c["staff"] as? [[String: Any]])
                #expect(staff.count == 1)
                #expect((staff.first?["staffId"] as? String)?.lowercased() == w.fina.staffID.lowercased())
                #expect(staff.first?["role"] as? String == "lead")
                #expect(staff.first?["name"] as? String == "Erika Fink")
            }
        }

        @Test("Status follows the start date; co-workers and guardians are kept, the lead is not doubled as co-worker")
        func plannedCaseWithCoWorkersAndGuardians() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseAPIWorld.make(t)
                let cora = try await w.member("cora", [.caseworker], team: w.southTeamID, lastName: "Conrad")
                var body = w.caseBody(fileNumber: "51.2-2026-0002", startDate: "2026-12-01")
                body["coWorkerIds"] = [cora.staffID, w.fina.staffID, cora.staffID]
                body["guardians"] = [["firstName": "Sabine", "lastName": "Sommer", "relation": "Mutter", "phone": "0171 2345678"]]
                // when
                let id = try await w.openCase(body)
                let c = try await t.send(.GET, "/api/v1/cases/\(id)", token: w.management).json()
                // then
                #expect(c["status"] as? String == "planned")
                let staff = c["staff"] as? [[String: Any]] ?? []
                #expect(staff.map { $0["role"] as? String } == ["lead", "coWorker"])
                #expect((staff.last?["staffId"] as? String)?.lowercased() == cora.staffID.lowercased())
                let guardians = c["guardians"] as? [[String: Any]] ?? []
                #expect(guardians.count == 1)
                #expect(guardians.first?["relation"] as? String == "Mutter")
                #expect(guardians.first?["phone"] as? String == "0171 2345678")
                // Team Nord, although a co-worker is from Süd: the lead decides.
                #expect((c["teamId"] as? String)?.lowercased() == w.northTeamID.lowercased())
            }
        }

        @Test("The same file number is fine at another youth office")
        func fileNumberPerYouthOffice() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                _ = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0001"))
                let other = try await t.send(.POST, "/api/v1/cases", token: w.management,
                                             json: w.caseBody(fileNumber: "51.2-2026-0001", office: w.otherOfficeID, firstName: "Jonas"))
                #expect(other.status == .created, "\(other.body.string)")
                #expect(try await w.listIDs(token: w.management).count == 2)
            }
        }

        // MARK: Bad input

        /// One thing wrong with an otherwise valid body, and the answer it must get.
        enum BadCaseInput: String, CaseIterable, Sendable {
            case missingFirstName, blankFirstName, youngPersonNotAnObject, unknownOffer, offerNotAnID
            case invalidStartDate, invalidBirthDate, duplicateFileNumber, startBeforeBirth, birthInFuture

            static let validationDetail = "Einige Angaben sind ungültig. Bitte prüfen Sie die genannten Felder."

            func apply(to body: inout [String: Any]) {
                var young = body["youngPerson"] as! [String: Any]
                switch self {
                case .missingFirstName: young["firstName"] = nil
                case .blankFirstName: young["firstName"] = "  "
                case .youngPersonNotAnObject: body["youngPerson"] = "Lena Sommer"; return
                case .unknownOffer: body["offerId"] = UUID().uuidString
                case .offerNotAnID: body["offerId"] = "familienhilfe"
                case .invalidStartDate: body["startDate"] = "2026-02-30"
                case .invalidBirthDate: young["birthDate"] = "03.04.2012"
                case .duplicateFileNumber: body["fileNumber"] = "51.2-2026-0001"
                case .startBeforeBirth: body["startDate"] = "2012-01-01"
                case .birthInFuture: young["birthDate"] = "2026-11-23"; body["startDate"] = "2026-12-01"
                }
                body["youngPerson"] = young
            }

            /// field, its German message, the problem's German detail
            var expected: (field: String, message: String, detail: String) {
                switch self {
                case .missingFirstName: ("youngPerson.firstName", "Das Feld „youngPerson.firstName“ fehlt.", "Ein Pflichtfeld fehlt.")
                case .blankFirstName: ("youngPerson.firstName", "Bitte den Vornamen angeben.", Self.validationDetail)
                case .youngPersonNotAnObject: ("youngPerson", "Das Feld „youngPerson“ hat den falschen Typ.", "Ein Feld hat den falschen Typ.")
                case .unknownOffer: ("offerId", "Dieses Angebot ist unbekannt.", Self.validationDetail)
                case .offerNotAnID: ("offerId", "Bitte das Angebot aus der Liste wählen; diese Angabe ist unbekannt.", Self.validationDetail)
                case .invalidStartDate: ("startDate", "Bitte den Beginn der Hilfe als gültiges Datum angeben (JJJJ-MM-TT).", Self.validationDetail)
                case .invalidBirthDate: ("youngPerson.birthDate", "Bitte das Geburtsdatum als gültiges Datum angeben (JJJJ-MM-TT).", Self.validationDetail)
                case .duplicateFileNumber: ("fileNumber", "Dieses Aktenzeichen gibt es bei diesem Jugendamt schon.", Self.validationDetail)
                case .startBeforeBirth: ("startDate", "Die Hilfe kann nicht vor der Geburt des jungen Menschen beginnen.", Self.validationDetail)
                case .birthInFuture: ("youngPerson.birthDate", "Das Geburtsdatum liegt in der Zukunft.", Self.validationDetail)
                }
            }
        }

        @Test("Bad input is a 422 problem naming the one bad field in German, never a 500, and stores nothing",
              arguments: BadCaseInput.allCases)
        func badInput(_ bad: BadCaseInput) async throws {
            try await TestApp.run { t in
                // given: one case already at the youth office
                let w = try await CaseAPIWorld.make(t)
                _ = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0001", firstName: "Jonas", lastName: "Kern"))
                var body = w.caseBody(fileNumber: "51.2-2026-0099")
                bad.apply(to: &body)
                // when
                let response = try await t.send(.POST, "/api/v1/cases", token: w.management, json: body)
                // then
                #expect(response.status == .unprocessableEntity, "\(bad): \(response.status) \(response.body.string)")
                #expect(response.isProblemJSON)
                let problem = try response.json()
                #expect(problem["status"] as? Int == 422)
                #expect(problem["detail"] as? String == bad.expected.detail)
                let errors = problem["errors"] as? [[String: Any]] ?? []
                #expect(errors.map { $0["field"] as? String } == [bad.expected.field])
                #expect(errors.first?["detail"] as? String == bad.expected.message)
                #expect(try await w.listIDs(token: w.management).count == 1)
            }
        }

        @Test("Several bad fields are reported together; unreadable JSON is a 400, not a 500")
        func severalBadFieldsAndBrokenJSON() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                var body = w.caseBody(fileNumber: " ", startDate: "morgen")
                body["offerId"] = UUID().uuidString
                body["leadStaffId"] = UUID().uuidString
                body["youngPerson"] = ["firstName": "Lena", "lastName": "", "birthDate": "2012-04-03"]
                let response = try await t.send(.POST, "/api/v1/cases", token: w.management, json: body)
                #expect(response.status == .unprocessableEntity)
                #expect(Set(try response.problemFields()) == ["fileNumber", "startDate", "offerId", "leadStaffId", "youngPerson.lastName"])

                let broken = try await t.send(.POST, "/api/v1/cases", token: w.management, rawBody: #"{"fileNumber": "#)
                #expect(broken.status == .badRequest)
                #expect(broken.isProblemJSON)
                #expect(try await w.listIDs(token: w.management).isEmpty)
            }
        }

        // MARK: Who sees what (R31, R27)

        /// Who asks: a login with these roles and a staff record in team Nord.
        enum Actor: String, CaseIterable, Sendable {
            case admin, adminAndCaseworker, management, accounting, teamLeadOfTeam, teamLeadOfOtherTeam, caseworker

            var roles: [Role] {
                switch self {
                case .admin: [.admin]
                case .adminAndCaseworker: [.admin, .caseworker]
                case .management: [.management]
                case .accounting: [.accounting]
                case .teamLeadOfTeam, .teamLeadOfOtherTeam: [.teamLead]
                case .caseworker: [.caseworker]
                }
            }
        }

        /// How the actor's staff record stands to the case. Substitutes relative to today, 22 Nov 2026:
        /// now = 15–22 Nov (ends today), expired = 1–21 Nov (ended yesterday), future = from 23 Nov.
        enum Relation: String, CaseIterable, Sendable {
            case lead, coWorker, unassigned, substituteNow, substituteExpired, substituteFuture
        }

        struct Outcome: Sendable {
            let inList: Bool
            let get: Int
            let create: Int
            let substitute: Int
        }

        /// Visible: in the list, 200 on read. Hidden: not listed, 404 on read (never 403: an invisible
        /// case does not exist for the asker).
        static func V(_ create: Int, _ substitute: Int) -> Outcome { Outcome(inList: true, get: 200, create: create, substitute: substitute) }
        static func H(_ create: Int, _ substitute: Int) -> Outcome { Outcome(inList: false, get: 404, create: create, substitute: substitute) }

        /// Columns in `Relation` order: lead, coWorker, unassigned, substituteNow, substituteExpired, substituteFuture.
        static let expected: [Actor: [Outcome]] = [
            // SPEC "Roles": administration sees no case content — even when its staff record is on the case.
            .admin: [H(403, 403), H(403, 403), H(403, 403), H(403, 403), H(403, 403), H(403, 403)],
            // … unless it also holds another role.
            .adminAndCaseworker: [V(403, 403), V(403, 403), H(403, 403), V(403, 403), H(403, 403), H(403, 403)],
            .management: [V(201, 204), V(201, 204), V(201, 204), V(201, 204), V(201, 204), V(201, 204)],
            // Billing-level access to every case; no intake, no assignment.
            .accounting: [V(403, 403), V(403, 403), V(403, 403), V(403, 403), V(403, 403), V(403, 403)],
            .teamLeadOfTeam: [V(201, 204), V(201, 204), V(201, 204), V(201, 204), V(201, 204), V(201, 204)],
            // Another team's case only through an own, active assignment; a hidden case is 404 for substitutes too.
            .teamLeadOfOtherTeam: [V(201, 204), V(201, 204), H(201, 404), V(201, 204), H(201, 404), H(201, 404)],
            .caseworker: [V(403, 403), V(403, 403), H(403, 403), V(403, 403), H(403, 403), H(403, 403)],
        ]

        @Test("R31 case visibility matrix: role × relation × list, read, create, add substitute (R27 substitutes see the case only from…to)",
              arguments: Actor.allCases, Relation.allCases)
        func visibilityMatrix(_ actor: Actor, _ relation: Relation) async throws {
            let want = try #require(Self.expected[actor]?[Relation.allCases.firstIndex(of: relation)!])
            try await TestApp.run { t in
                // given: a case of team Nord (led by fina unless the actor leads it)
                let w = try await CaseAPIWorld.make(t)
                let me = try await w.member("akteur", actor.roles, team: w.northTeamID)
                let vera = try await w.member("vera", [.caseworker], team: w.northTeamID)
                if actor == .teamLeadOfTeam { try await w.setTeamLead(w.northTeamID, name: "Team Nord", staffID: me.staffID) }
                // A team lead need not be a member of the team they lead.
                if actor == .teamLeadOfOtherTeam { try await w.setTeamLead(w.southTeamID, name: "Team Süd", staffID: me.staffID) }
                var body = w.caseBody(fileNumber: "51.2-2026-0777", lead: relation == .lead ? me.staffID : w.fina.staffID,
                                      firstName: "Mila", lastName: "Matrix")
                if relation == .coWorker { body["coWorkerIds"] = [me.staffID] }
                let caseID = try await w.openCase(body)
                switch relation {
                case .substituteNow: try await w.addSubstitute(caseID, staffID: me.staffID, from: "2026-11-15", to: "2026-11-22")
                case .substituteExpired: try await w.addSubstitute(caseID, staffID: me.staffID, from: "2026-11-01", to: "2026-11-21")
                case .substituteFuture: try await w.addSubstitute(caseID, staffID: me.staffID, from: "2026-11-23", to: "2026-12-31")
                default: break
                }
                let premise = try await t.send(.GET, "/api/v1/cases/\(caseID)", token: w.management).json()
                #expect((premise["teamId"] as? String)?.lowercased() == w.northTeamID.lowercased())
                func staffCount() async throws -> Int {
                    (try await t.send(.GET, "/api/v1/cases/\(caseID)", token: w.management).json()["staff"] as? [Any])?.count ?? -1
                }
                let staffBefore = try await staffCount()

                // when / then: list
                let listed = try await w.listIDs(token: me.token)
                #expect(listed.contains(caseID.lowercased()) == want.inList, "\(actor) × \(relation): list")
                if !want.inList { #expect(!listed.contains(caseID.lowercased())) }

                // read
                let read = try await t.send(.GET, "/api/v1/cases/\(caseID)", token: me.token)
                #expect(Int(read.status.code) == want.get, "\(actor) × \(relation): get \(read.status)")
                if want.get == 200 {
                    #expect(try read.json()["fileNumber"] as? String == "51.2-2026-0777")
                } else {
                    #expect(read.isProblemJSON)
                    #expect(!read.body.string.contains("Matrix"))
                }

                // create (intake)
                let created = try await t.send(.POST, "/api/v1/cases", token: me.token, json: w.caseBody(fileNumber: "51.2-2026-0900", firstName: "Neo"))
                #expect(Int(created.status.code) == want.create, "\(actor) × \(relation): create \(created.status) \(created.body.string)")
                #expect(try await w.listIDs(token: w.management).count == (want.create == 201 ? 2 : 1))

                // add a substitute (R27 assignment)
                let substitute = try await t.send(.POST, "/api/v1/cases/\(caseID)/substitutes", token: me.token,
                                                  json: ["staffId": vera.staffID, "from": "2027-01-01", "to": "2027-01-31"])
                #expect(Int(substitute.status.code) == want.substitute, "\(actor) × \(relation): substitute \(substitute.status) \(substitute.body.string)")
                #expect(try await staffCount() == staffBefore + (want.substitute == 204 ? 1 : 0))
            }
        }

        @Test("R31 an invisible case answers exactly like a missing one; no token is a 401")
        func invisibleLooksMissing() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let paul = try await w.member("paul", [.caseworker], team: w.southTeamID)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0001"))
                let hidden = try await t.send(.GET, "/api/v1/cases/\(caseID)", token: paul.token)
                let missing = try await t.send(.GET, "/api/v1/cases/\(UUID().uuidString)", token: paul.token)
                let garbage = try await t.send(.GET, "/api/v1/cases/kein-fall", token: paul.token)
                for response in [hidden, missing, garbage] {
                    #expect(response.status == .notFound)
                    #expect(response.isProblemJSON)
                    #expect(try response.json()["detail"] as? String == "Der Datensatz wurde nicht gefunden.")
                }
                #expect(try await t.send(.GET, "/api/v1/cases", token: nil).status == .unauthorized)
                #expect(try await t.send(.GET, "/api/v1/cases/\(caseID)", token: nil).status == .unauthorized)
            }
        }

        @Test("R27 a substitute sees the case from the first to the last day of the range, not a day longer")
        func substituteRangeFollowsTheClock() async throws {
            try await TestApp.run { t in
                // given: kim substitutes on 23 Nov only; today is 22 Nov
                let w = try await CaseAPIWorld.make(t)
                let kim = try await w.member("kim", [.caseworker], team: w.southTeamID)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0001"))
                try await w.addSubstitute(caseID, staffID: kim.staffID, from: "2026-11-23", to: "2026-11-23")
                func visible() async throws -> (listed: Bool, status: HTTPStatus) {
                    let token = try await w.login("kim")
                    return (try await w.listIDs(token: token).contains(caseID.lowercased()),
                            try await t.send(.GET, "/api/v1/cases/\(caseID)", token: token).status)
                }
                // then
                var now = try await visible()
                #expect(!now.listed && now.status == .notFound, "the day before")
                t.clock.advance(by: 24 * 3600)
                now = try await visible()
                #expect(now.listed && now.status == .ok, "the day itself")
                t.clock.advance(by: 24 * 3600)
                now = try await visible()
                #expect(!now.listed && now.status == .notFound, "the day after")
            }
        }

        @Test("R27 a substitute is listed with their range; bad ranges and unknown staff are 422 with fields")
        func substituteInput() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let kim = try await w.member("kim", [.caseworker], team: w.northTeamID, lastName: "Kurz")
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0001"))
                try await w.addSubstitute(caseID, staffID: kim.staffID, from: "2026-11-20", to: "2026-12-04")
                let staff = try await t.send(.GET, "/api/v1/cases/\(caseID)", token: w.management).json()["staff"] as? [[String: Any]] ?? []
                let substitute = try #require(staff.first { $0["role"] as? String == "substitute" })
                #expect((substitute["staffId"] as? String)?.lowercased() == kim.staffID.lowercased())
                #expect(substitute["name"] as? String == "Erika Kurz")
                #expect(substitute["from"] as? String == "2026-11-20")
                #expect(substitute["to"] as? String == "2026-12-04")

                let cases: [([String: Any], [String])] = [
                    (["staffId": kim.staffID, "from": "2026-12-04", "to": "2026-11-20"], ["to"]),
                    (["staffId": UUID().uuidString, "from": "2026-11-20", "to": "2026-12-04"], ["staffId"]),
                    (["staffId": kim.staffID, "from": "20.11.2026", "to": "2026-12-04"], ["from"]),
                ]
                for (body, fields) in cases {
                    let response = try await t.send(.POST, "/api/v1/cases/\(caseID)/substitutes", token: w.management, json: body)
                    #expect(response.status == .unprocessableEntity, "\(body)")
                    #expect(response.isProblemJSON)
                    #expect(try response.problemFields() == fields)
                }
                let missing = try await t.send(.POST, "/api/v1/cases/\(UUID().uuidString)/substitutes", token: w.management,
                                                json: ["staffId": kim.staffID, "from": "2026-11-20", "to": "2026-12-04"])
                #expect(missing.status == .notFound)
                let after = try await t.send(.GET, "/api/v1/cases/\(caseID)", token: w.management).json()["staff"] as? [Any] ?? []
                #expect(after.count == 2)
            }
        }

        // MARK: Filters

        @Test("Case list filters: q, teamId, staffId, youthOfficeId, status, combined; filters never widen visibility")
        func filters() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseAPIWorld.make(t)
                let paul = try await w.member("paul", [.caseworker], team: w.southTeamID)
                let kim = try await w.member("kim", [.caseworker], team: w.southTeamID)
                let exa = try await w.member("exa", [.caseworker], team: w.southTeamID)
                var lenaBody = w.caseBody(fileNumber: "51.2-2026-0001")
                lenaBody["guardians"] = [["firstName": "Sabine", "lastName": "Sommer"]]
                let lena = try await w.openCase(lenaBody)                                      // Nord, office A, running
                let jonas = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0002", lead: paul.staffID, office: w.otherOfficeID,
                                                            startDate: "2026-09-15", firstName: "Jonas", lastName: "Kern", birthDate: "2010-01-20"))
                let mia = try await w.openCase(w.caseBody(fileNumber: "51.2-2027-0003", lead: paul.staffID, startDate: "2026-12-01",
                                                          firstName: "Mia", lastName: "Kern", birthDate: "2015-06-01"))   // Süd, A, planned
                let tim = try await w.openCase(w.caseBody(fileNumber: "51.2-2025-0099", office: w.otherOfficeID, startDate: "2025-03-01",
                                                          firstName: "Tim", lastName: "Ende", birthDate: "2009-02-02"))   // Nord, B
                let ended = try #require(try await CaseModel.find(UUID(uuidString: tim), on: t.db))
                ended.endDate = "2026-11-01"
                ended.endReason = EndReason.goalsReached.rawValue
                try await ended.save(on: t.db)
                try await w.addSubstitute(lena, staffID: kim.staffID, from: "2026-11-01", to: "2026-11-30")
                try await w.addSubstitute(jonas, staffID: exa.staffID, from: "2026-10-01", to: "2026-10-31")
                let (lenaID, jonasID, miaID, timID) = (lena.lowercased(), jonas.lowercased(), mia.lowercased(), tim.lowercased())
                func list(_ query: String, token: String? = nil) async throws -> [String] {
                    try await w.listIDs(token: token ?? w.management, query: query)
                }

                // then: sorted by last name, first name
                #expect(try await list("") == [timID, jonasID, miaID, lenaID])
                #expect(try await list("q=kern") == [jonasID, miaID])
                #expect(try await list("q=SOMMER") == [lenaID])
                #expect(try await list("q=Lena%20Sommer") == [lenaID])
                #expect(try await list("q=sabine") == [lenaID])
                #expect(try await list("q=2026-0002") == [jonasID])
                #expect(try await list("q=niemand").isEmpty)
                #expect(try await list("teamId=\(w.southTeamID)") == [jonasID, miaID])
                #expect(try await list("teamId=\(w.southTeamID.uppercased())") == [jonasID, miaID])
                #expect(try await list("youthOfficeId=\(w.otherOfficeID)") == [timID, jonasID])
                #expect(try await list("staffId=\(paul.staffID)") == [jonasID, miaID])
                #expect(try await list("staffId=\(kim.staffID)") == [lenaID], "R27 an active substitute works on the case")
                #expect(try await list("staffId=\(exa.staffID)").isEmpty, "R27 an expired substitute does not")
                #expect(try await list("status=planned") == [miaID])
                #expect(try await list("status=running") == [jonasID, lenaID])
                #expect(try await list("status=ended") == [timID])
                #expect(try await list("teamId=\(w.southTeamID)&status=running") == [jonasID])
                #expect(try await list("q=kern&youthOfficeId=\(w.officeID)") == [miaID])
                #expect(try await list("teamId=&status=&q=") == [timID, jonasID, miaID, lenaID])
                // R31: fina leads Lena's and Tim's cases; a filter only narrows what she sees.
                #expect(try await list("", token: w.fina.token) == [timID, lenaID])
                #expect(try await list("teamId=\(w.southTeamID)", token: w.fina.token).isEmpty)
                #expect(try await list("q=kern", token: w.fina.token).isEmpty)

                for (query, field) in [("teamId=nord", "teamId"), ("staffId=123", "staffId"),
                                       ("youthOfficeId=\(w.officeID)x", "youthOfficeId"), ("status=offen", "status")] {
                    let response = try await t.send(.GET, "/api/v1/cases?\(query)", token: w.management)
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.isProblemJSON)
                    #expect(try response.problemFields() == [field], "\(query)")
                    #expect((try response.json()["detail"] as? String)?.isEmpty == false)
                }
            }
        }

        // MARK: Audit

        @Test("R31 reads at the same moment are each audited before their answer, though committed together")
        func concurrentReadsAreAudited() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-0001"))
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 0..<24 {
                        group.addTask { try await t.send(.GET, "/api/v1/cases/\(caseID)", token: w.fina.token).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: .ok, count: 24))
                let reads = try await AuditLog.recent(limit: 100, entity: "case", on: t.db).filter { $0.action == "read" }
                #expect(reads.count == 24)
                #expect(reads.allSatisfy { $0.username == "fina" && $0.entityID?.lowercased() == caseID.lowercased() })
            }
        }

        @Test("R31 reading a case writes a read entry naming who and which case, never the young person")
        func readIsAudited() async throws {
            try await TestApp.run { t in
                // given
                let w = try await CaseAPIWorld.make(t)
                var body = w.caseBody(fileNumber: "51.2-2026-0001")
                body["guardians"] = [["firstName": "Sabine", "lastName": "Sommer", "phone": "0171 2345678"]]
                let caseID = try await w.openCase(body)
                #expect(try await AuditLog.recent(limit: 10, entity: "case", on: t.db).filter { $0.action == "read" }.isEmpty)
                // when
                t.clock.advance(by: 60)
                #expect(try await t.send(.GET, "/api/v1/cases/\(caseID)", token: w.fina.token).status == .ok)
                // then
                let entries = try await AuditLog.recent(limit: 10, entity: "case", on: t.db)
                let reads = entries.filter { $0.action == "read" }
                #expect(reads.count == 1)
                let read = try #require(reads.first)
                #expect(read.username == "fina")
                #expect(read.entityID?.lowercased() == caseID.lowercased())
                #expect(read.at == TestApp.referenceNow.addingTimeInterval(60))
                for entry in entries {
                    let text = ([entry.username, entry.action, entry.entity, entry.entityID ?? ""]
                        + entry.changes.flatMap { [$0.key, $0.value.from ?? "", $0.value.to ?? ""] }).joined(separator: " ")
                    for secret in ["Lena", "Sommer", "2012-04-03", "Sabine", "0171"] {
                        #expect(!text.contains(secret), "\(entry.action) entry contains \(secret)")
                    }
                }
                // The audit log as management reads it through the API is just as free of names.
                let api = try await t.send(.GET, "/api/v1/audit-log?entity=case", token: w.management)
                #expect(api.status == .ok)
                #expect(api.body.string.lowercased().contains(caseID.lowercased()))
                #expect(!api.body.string.contains("Sommer") && !api.body.string.contains("Lena"))
            }
        }
    }
}
