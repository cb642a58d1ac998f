import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

/// The generated `APIProtocol`: each operation maps its typed input to the domain, calls the store,
/// and maps the result back. Authorization already ran (`OperationPolicyMiddleware`).
struct APIHandler: APIProtocol {
    // MARK: Session

    func createSession(_ input: Operations.CreateSession.Input) async throws -> Operations.CreateSession.Output {
        let req = try APIContext.current()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let user = try await LoginService.authenticate(username: body.username, password: body.password, on: req)
        let (token, expiresAt) = try await APITokens.issue(for: user, on: req)
        return .created(.init(body: .json(.init(token: token, expiresAt: expiresAt))))
    }

    func deleteSession(_ input: Operations.DeleteSession.Input) async throws -> Operations.DeleteSession.Output {
        let (req, context) = try context()
        if let bearer = req.headers.bearerAuthorization {
            try await TokenStore.revoke(tokenHash: APITokens.hash(bearer.token), on: req.db)
            try await AuditLog.record(.logout, entity: "session", id: context.actor.userID, by: context.actor, at: context.now, on: req.db)
        }
        return .noContent(.init())
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let req = try APIContext.current()
        let user = try req.requireUser()
        let staff = try await StaffStore.forUser(user.id, on: req.db)
        return .ok(.init(body: .json(.init(id: user.id.apiID, username: user.username, displayName: user.displayName,
                                           roles: user.roles.sorted().map { .init(rawValue: $0.rawValue)! },
                                           staffId: staff?.id.apiID))))
    }

    // MARK: Youth offices

    func listYouthOffices(_ input: Operations.ListYouthOffices.Input) async throws -> Operations.ListYouthOffices.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(try await YouthOfficeStore.list(on: req.db).map(Schemas.YouthOffice.init))))
    }

    func createYouthOffice(_ input: Operations.CreateYouthOffice.Input) async throws -> Operations.CreateYouthOffice.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await YouthOfficeStore.save(body.input, context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getYouthOffice(_ input: Operations.GetYouthOffice.Input) async throws -> Operations.GetYouthOffice.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await YouthOfficeStore.get(try uuid(input.path.id), on: req.db)))))
    }

    func updateYouthOffice(_ input: Operations.UpdateYouthOffice.Input) async throws -> Operations.UpdateYouthOffice.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await YouthOfficeStore.save(body.input, id: try uuid(input.path.id), context: context, on: req.db)
        return .noContent(.init())
    }

    // MARK: Offers

    func listOffers(_ input: Operations.ListOffers.Input) async throws -> Operations.ListOffers.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(try await OfferStore.list(on: req.db).map(Schemas.Offer.init))))
    }

    func createOffer(_ input: Operations.CreateOffer.Input) async throws -> Operations.CreateOffer.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await OfferStore.save(body.input, context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getOffer(_ input: Operations.GetOffer.Input) async throws -> Operations.GetOffer.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await OfferStore.get(try uuid(input.path.id), on: req.db)))))
    }

    func updateOffer(_ input: Operations.UpdateOffer.Input) async throws -> Operations.UpdateOffer.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await OfferStore.save(body.input, id: try uuid(input.path.id), context: context, on: req.db)
        return .noContent(.init())
    }

    // MARK: Agreements

    func listAgreements(_ input: Operations.ListAgreements.Input) async throws -> Operations.ListAgreements.Output {
        let req = try APIContext.current()
        var officeID: UUID?
        if let text = input.query.youthOfficeId {
            guard let id = UUID(uuidString: text) else {
                throw Problem(.badRequest, "Der Parameter youthOfficeId ist keine gültige Id.", errors: [FieldError("youthOfficeId", "Keine gültige Id.")])
            }
            officeID = id
        }
        return .ok(.init(body: .json(try await AgreementStore.list(youthOfficeID: officeID, on: req.db).map(Schemas.Agreement.init))))
    }

    func createAgreement(_ input: Operations.CreateAgreement.Input) async throws -> Operations.CreateAgreement.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await AgreementStore.save(body.draft, context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getAgreement(_ input: Operations.GetAgreement.Input) async throws -> Operations.GetAgreement.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await AgreementStore.get(try uuid(input.path.id), on: req.db)))))
    }

    func updateAgreement(_ input: Operations.UpdateAgreement.Input) async throws -> Operations.UpdateAgreement.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await AgreementStore.save(body.draft, id: try uuid(input.path.id), context: context, on: req.db)
        return .noContent(.init())
    }

    // MARK: Teams and staff

    func listTeams(_ input: Operations.ListTeams.Input) async throws -> Operations.ListTeams.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(try await TeamStore.list(on: req.db).map(Schemas.Team.init))))
    }

    func createTeam(_ input: Operations.CreateTeam.Input) async throws -> Operations.CreateTeam.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await TeamStore.save(body.draft, context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getTeam(_ input: Operations.GetTeam.Input) async throws -> Operations.GetTeam.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await TeamStore.get(try uuid(input.path.id), on: req.db)))))
    }

    func updateTeam(_ input: Operations.UpdateTeam.Input) async throws -> Operations.UpdateTeam.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await TeamStore.save(body.draft, id: try uuid(input.path.id), context: context, on: req.db)
        return .noContent(.init())
    }

    func listStaff(_ input: Operations.ListStaff.Input) async throws -> Operations.ListStaff.Output {
        let req = try APIContext.current()
        var teamID: UUID?
        if let text = input.query.teamId {
            guard let id = UUID(uuidString: text) else {
                throw Problem(.badRequest, "Der Parameter teamId ist keine gültige Id.", errors: [FieldError("teamId", "Keine gültige Id.")])
            }
            teamID = id
        }
        return .ok(.init(body: .json(try await StaffStore.list(teamID: teamID, on: req.db).map(Schemas.StaffMember.init))))
    }

    func createStaffMember(_ input: Operations.CreateStaffMember.Input) async throws -> Operations.CreateStaffMember.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await StaffStore.save(body.draft, context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getStaffMember(_ input: Operations.GetStaffMember.Input) async throws -> Operations.GetStaffMember.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await StaffStore.get(try uuid(input.path.id), on: req.db)))))
    }

    func updateStaffMember(_ input: Operations.UpdateStaffMember.Input) async throws -> Operations.UpdateStaffMember.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await StaffStore.save(body.draft, id: try uuid(input.path.id), context: context, on: req.db)
        return .noContent(.init())
    }

    // MARK: Users, provider, audit log

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(try await UserStore.list(on: req.db).map(Schemas.User.init))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await UserStore.save(userInput(body), hash: PasswordHashing.hasher(for: req.application), context: context, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await UserStore.get(try uuid(input.path.id), on: req.db)))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await UserStore.save(userInput(body), id: try uuid(input.path.id), hash: PasswordHashing.hasher(for: req.application),
                                 context: context, on: req.db)
        return .noContent(.init())
    }

    private func userInput(_ body: Schemas.UserInput) -> UserInput {
        UserInput(username: body.username, displayName: body.displayName, roles: body.roles.map(\.rawValue), password: body.password)
    }

    func getProvider(_ input: Operations.GetProvider.Input) async throws -> Operations.GetProvider.Output {
        let req = try APIContext.current()
        guard let profile = try await ProviderStore.get(on: req.db) else {
            throw Problem(.notFound, "Die Angaben des Trägers wurden noch nicht erfasst.")
        }
        return .ok(.init(body: .json(.init(profile))))
    }

    func updateProvider(_ input: Operations.UpdateProvider.Input) async throws -> Operations.UpdateProvider.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await ProviderStore.save(body.input, context: context, on: req.db)
        return .noContent(.init())
    }

    func listAuditEntries(_ input: Operations.ListAuditEntries.Input) async throws -> Operations.ListAuditEntries.Output {
        let req = try APIContext.current()
        let limit = min(max(input.query.limit ?? 100, 1), 500)
        let offset = max(input.query.offset ?? 0, 0)
        var filter = try await AuditFilter.parse(caseText: nil, caseID: input.query.caseId, user: nil, userID: input.query.userId,
                                                 from: input.query.from, to: input.query.to,
                                                 fields: ("caseId", "caseId", "userId", "userId", "from", "to"), on: req.db)
        filter.entity = input.query.entity
        let entries = try await AuditLog.entries(filter, limit: limit, offset: offset, on: req.db)
        return .ok(.init(body: .json(entries.map(Schemas.AuditEntry.init))))
    }
}

extension APIHandler {
    /// R33: everything stored about one person as JSON; an unknown person is a German 404.
    func exportPerson(_ input: Operations.ExportPerson.Input) async throws -> Operations.ExportPerson.Output {
        let (req, context) = try context()
        guard let id = UUID(uuidString: input.path.id) else { throw RecordNotFound(entity: "person") }
        let export = try await SubjectAccessStore.export(personID: id, view: "api/v1/persons/:id/export", context: context, on: req.db)
        return .ok(.init(body: .json(try JSONDecoder().decode(OpenAPIObjectContainer.self, from: try export.json()))))
    }
}
