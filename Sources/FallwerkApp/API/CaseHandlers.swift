import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import Vapor

extension Request {
    /// The signed-in user as a case viewer (roles, staff record, led teams).
    /// Who is looking, loaded once per request (the case resolver and the handler both ask).
    func viewer() async throws -> Viewer {
        if let viewer = storage[ViewerKey.self] { return viewer }
        let user = try requireUser()
        let viewer = try await Viewer.load(userID: user.id, roles: user.roles, on: db)
        storage[ViewerKey.self] = viewer
        return viewer
    }
}

/// The request's viewer: set with the user when a bearer token signs in (one query), else loaded on first use.
struct ViewerKey: StorageKey {
    typealias Value = Viewer
}

extension Schemas.Case {
    /// The family's address only with full access (accounting sees the case, not where the family lives).
    init(_ r: CaseRecord, access: CaseAccess, today: Day) {
        func person(_ p: Person) -> Schemas.Person {
            .init(id: p.id, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate?.iso, relation: p.relation, phone: p.phone)
        }
        self.init(
            id: r.id.apiID, fileNumber: r.fileNumber, status: .init(rawValue: r.status(on: today).rawValue)!,
            youngPerson: person(r.youngPerson), guardians: r.guardians.map(person),
            youthOfficeId: r.youthOfficeID.apiID, youthOfficeName: r.youthOfficeName,
            offerId: r.offerID.apiID, offerName: r.offerName, teamId: r.teamID.apiID, teamName: r.teamName,
            startDate: r.startDate.iso, endDate: r.endDate?.iso, endReason: r.endReason.flatMap { .init(rawValue: $0.rawValue) },
            youthOfficeCaseworker: r.youthOfficeCaseworker, youthOfficeCaseworkerPhone: r.youthOfficeCaseworkerPhone,
            familyAddress: access == .full ? r.familyAddress.map(Schemas.Address.init) : nil,
            staff: r.assignments.map {
                .init(staffId: $0.staffID.apiID, name: $0.staffName, role: .init(rawValue: $0.role.rawValue)!, from: $0.from?.iso, to: $0.to?.iso)
            })
    }
}

extension Schemas.CaseInput {
    var draft: CaseDraft {
        var draft = CaseDraft()
        draft.youthOfficeId = youthOfficeId
        draft.offerId = offerId
        draft.leadStaffId = leadStaffId
        draft.coWorkerIds = coWorkerIds ?? []
        draft.input.fileNumber = fileNumber
        draft.input.startDate = startDate
        draft.input.youngPerson = youngPerson.input
        draft.input.guardians = (guardians ?? []).map(\.input)
        draft.exceptionReason = exceptionReason
        draft.input.youthOfficeCaseworker = youthOfficeCaseworker
        draft.input.youthOfficeCaseworkerPhone = youthOfficeCaseworkerPhone
        draft.input.familyAddress = familyAddress?.input ?? AddressInput()
        return draft
    }
}

extension Schemas.PersonInput {
    var input: PersonInput {
        PersonInput(firstName: firstName, lastName: lastName, birthDate: birthDate, relation: relation, phone: phone)
    }
}

extension APIHandler {
    func listCases(_ input: Operations.ListCases.Input) async throws -> Operations.ListCases.Output {
        let req = try APIContext.current()
        let q = input.query
        func id(_ text: String?, _ name: String) throws -> UUID? {
            guard let text, !text.isEmpty else { return nil }
            guard let id = UUID(uuidString: text) else {
                throw Problem(.badRequest, "Der Parameter \(name) ist keine gültige Id.", errors: [FieldError(name, "Keine gültige Id.")])
            }
            return id
        }
        var status: CaseStatus?
        if let text = q.status, !text.isEmpty {
            guard let value = CaseStatus(rawValue: text) else {
                throw Problem(.badRequest, "Der Status muss planned, running oder ended sein.", errors: [FieldError("status", "Unbekannter Status.")])
            }
            status = value
        }
        let filter = CaseFilter(text: q.q, teamID: try id(q.teamId, "teamId"), staffID: try id(q.staffId, "staffId"),
                                youthOfficeID: try id(q.youthOfficeId, "youthOfficeId"), status: status)
        let limit = q.limit ?? 100  // 1 to 500, checked with the other query parameters (QueryParameters)
        var cursor: CaseSearch.Cursor?
        if let text = q.cursor, !text.isEmpty {
            guard let value = CaseSearch.Cursor(text), UUID(uuidString: value.id) != nil else {
                throw Problem(.badRequest, "Der Parameter cursor ist ungültig; bitte den Wert aus X-Next-Cursor übernehmen.",
                              errors: [FieldError("cursor", "Ungültig.")])
            }
            cursor = value
        }
        let today = req.today
        let viewer = try await req.viewer()
        let page = try await CaseStore.page(filter, limit: limit, after: cursor, visibleTo: viewer, today: today, on: req.db)
        let next = page.next?.token
        return .ok(.init(headers: .init(xNextCursor: next),
                         body: .json(page.records.map { Schemas.Case($0, access: $0.access(for: viewer, today: today), today: today) })))

    }

    func createCase(_ input: Operations.CreateCase.Input) async throws -> Operations.CreateCase.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try await CaseStore.create(body.draft, context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(id: id.apiID))))
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        let (req, context) = try context()
        let id = try uuid(input.path.id)
        let resolved = try resolvedCase()
        return .ok(.init(body: .json(.init(resolved.record, access: resolved.access, today: req.today))))
    }

    func updateCase(_ input: Operations.UpdateCase.Input) async throws -> Operations.UpdateCase.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await CaseStore.update(caseID: try resolvedCase().record.id, body.draft, context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func updateFamilyAddress(_ input: Operations.UpdateFamilyAddress.Input) async throws -> Operations.UpdateFamilyAddress.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await CaseStore.updateFamilyAddress(caseID: try uuid(input.path.id), AddressInput(street: body.street, postalCode: body.postalCode, city: body.city),
                                                viewer: try await req.viewer(), context: context, today: req.today, on: req.db)
        return .noContent(.init())
    }

    func addSubstitute(_ input: Operations.AddSubstitute.Input) async throws -> Operations.AddSubstitute.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let id = try resolvedCase().record.id
        try await CaseStore.addSubstitute(caseID: id, staffID: body.staffId, from: body.from, to: body.to, context: context, on: req.db)
        return .noContent(.init())
    }
}
