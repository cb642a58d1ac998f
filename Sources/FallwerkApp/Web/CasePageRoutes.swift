import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Case list, new case, case page and substitutes.
enum CasePageRoutes {
    static func register(on pages: any RoutesBuilder) {
        let signedIn = PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin)
        signedIn.get("faelle") { req in try await list(req) }
        let open = PolicyRoutes(pages, Policies.openCases, whenDenied: .redirectToLogin)
        open.get("faelle", "neu") { req in try await newCase(req, state: FormState(), status: .ok) }
        open.post("faelle", "neu") { req in try await createCase(req) }
        let substitutes = open.cases(CasePolicies.substitutes)
        substitutes.post("faelle", ":id", "vertretungen") { req in try await addSubstitute(req) }
        substitutes.post("faelle", ":id", "vertretungen", ":assignment", "beenden") { req in try await endSubstitute(req) }
        let correct = open.cases(CasePolicies.caseLead)
        correct.get("faelle", ":id", "bearbeiten") { req in try await editCase(req, state: nil) }
        correct.post("faelle", ":id", "bearbeiten") { req in try await updateCase(req) }
        signedIn.cases(.visible).get("faelle", ":id") { req in try await detail(req) }
        let work = PolicyRoutes(pages, Policies.recordWork, whenDenied: .redirectToLogin).cases(CasePolicies.familyAddress)
        work.get("faelle", ":id", "anschrift") { req in try await addressPage(req, state: nil) }
        work.post("faelle", ":id", "anschrift") { req in try await saveAddress(req) }
    }

    static func list(_ req: Request) async throws -> Response {
        let (filter, query, filters) = try await listFilter(req)
        let viewer = try await req.viewer()
        // A long list comes in pages; "ab" is where this one starts (an opaque cursor, no names in the URL).
        // A damaged cursor starts the list from the beginning rather than showing nothing.
        let cursor = req.query[String.self, at: "ab"].flatMap(CaseSearch.Cursor.init).flatMap { UUID(uuidString: $0.id) == nil ? nil : $0 }
        let page = try await CaseStore.page(filter, limit: CaseFolderPages.pageSize, after: cursor, visibleTo: viewer, today: req.today, on: req.db)
        let total = try await CaseStore.count(filter, visibleTo: viewer, today: req.today, on: req.db)
        return WebContext.html(CaseFolderPages.list(context: WebContext.pageContext(for: req), cases: page.records, total: total,
                                                   continued: cursor != nil, next: page.next.map { req.url(replacingQuery: "ab", with: $0.token) },
                                                   filters: filters, query: query, today: req.today,
                                                   canOpen: Policies.openCases.allows(req.currentUser)))
    }

    /// The case filter from a list page's query (search, status, team, staff, youth office), the values
    /// to show in its form and the options of its selects.
    static func listFilter(_ req: Request, status fixed: CaseStatus? = nil) async throws -> (CaseFilter, FormState, CaseFolderPages.Filters) {
        func id(_ name: String) -> UUID? { req.query[String.self, at: name].flatMap(UUID.init(uuidString:)) }
        let statusText = req.query[String.self, at: "status"] ?? ""
        let filter = CaseFilter(text: req.query[String.self, at: "q"], teamID: id("teamId"), staffID: id("staffId"),
                                youthOfficeID: id("youthOfficeId"), status: fixed ?? CaseStatus(rawValue: statusText))
        var values: [String: String] = [:]
        for name in ["q", "status", "nur"] { values[name] = req.query[String.self, at: name] ?? "" }
        // Ids in links may be lower case (as in the API); the selects use UUID.uuidString.
        for name in ["teamId", "staffId", "youthOfficeId"] { values[name] = id(name)?.uuidString ?? "" }
        let filters = CaseFolderPages.Filters(
            teams: try await TeamStore.list(on: req.db).map { ($0.id.uuidString, $0.name) },
            staff: try await StaffStore.list(on: req.db).map { ($0.id.uuidString, $0.fullName) },
            youthOffices: try await YouthOfficeStore.list(on: req.db).map { ($0.id.uuidString, $0.office.name) })
        return (filter, FormState(values: values), filters)
    }

    static func newCase(_ req: Request, state: FormState, status: HTTPResponseStatus) async throws -> Response {
        return WebContext.html(CaseFolderPages.newCase(context: WebContext.pageContext(for: req), state: state, options: try await caseOptions(req)),
                               status: status)
    }

    static func caseOptions(_ req: Request) async throws -> CaseFolderPages.NewCaseOptions {
        CaseFolderPages.NewCaseOptions(
            youthOffices: try await YouthOfficeStore.list(on: req.db).map { ($0.id.uuidString, $0.office.name) },
            offers: try await OfferStore.list(on: req.db).map { ($0.id.uuidString, $0.offer.name) },
            staff: try await StaffStore.list(on: req.db).map { ($0.id.uuidString, "\($0.fullName) (\($0.teamName))") })
    }

    static func editCase(_ req: Request, state: FormState?) async throws -> Response {
        let record = try req.resolvedCase.record
        let stored = CaseFolderPages.caseValues(record)
        let shown = state ?? FormState(values: stored.values, multiValues: ["coWorkerIds": stored.coWorkers])
        return WebContext.html(CaseFolderPages.editCase(context: WebContext.pageContext(for: req), record: record, state: shown,
                                                        options: try await caseOptions(req)),
                               status: shown.hasErrors ? .unprocessableEntity : .ok)
    }

    static func updateCase(_ req: Request) async throws -> Response {
        let caseID = try req.resolvedCase.record.id
        let form = FormData(request: req)
        do {
            try await CaseStore.update(caseID: caseID, caseDraft(form), context: WriteContext(actor: try req.requireUser().auditActor, now: req.now),
                                       today: req.today, on: req.db)
            return WebContext.redirect(.caseWork(caseID), notice: "Die Änderungen am Fall sind gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await editCase(req, state: FormState(values: form.values, multiValues: ["coWorkerIds": form.all("coWorkerIds")],
                                                            errors: failure.errors))
        }
    }

    static func endSubstitute(_ req: Request) async throws -> Response {
        let caseID = try req.resolvedCase.record.id
        let form = FormData(request: req)
        do {
            try await CaseStore.endSubstitute(caseID: caseID, assignmentID: try req.uuid("assignment"), lastDay: form.optional("lastDay"),
                                              context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
            return WebContext.redirect(.caseWork(caseID), notice: "Die Vertretung ist beendet.", on: req)
        } catch let failure as ValidationFailure {
            return WebContext.redirect(.caseWork(caseID), notice: failure.errors.map(\.message).joined(separator: " "), on: req)
        }
    }

    static func caseDraft(_ form: FormData) -> CaseDraft {
        var draft = CaseDraft()
        draft.youthOfficeId = form.optional("youthOfficeId")
        draft.offerId = form.optional("offerId")
        draft.leadStaffId = form.optional("leadStaffId")
        draft.coWorkerIds = form.all("coWorkerIds").filter { !$0.isEmpty }
        draft.input.fileNumber = form.optional("fileNumber")
        draft.input.startDate = form.optional("startDate")
        draft.input.youngPerson = person(form, "youngPerson.")
        draft.input.guardians = [person(form, "guardians[0]."), person(form, "guardians[1].")]
        draft.input.youthOfficeCaseworker = form.optional("youthOfficeCaseworker")
        draft.input.youthOfficeCaseworkerPhone = form.optional("youthOfficeCaseworkerPhone")
        draft.input.familyAddress = address(form)
        return draft
    }

    static func createCase(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let draft = caseDraft(form)
        do {
            let id = try await CaseStore.create(draft, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now),
                                                today: req.today, on: req.db)
            // Someone who opens a case for another team does not see it afterwards (need-to-know).
            let visible = (try? await CaseStore.get(id, visibleTo: try await req.viewer(), today: req.today, on: req.db)) != nil
            return visible
                ? WebContext.redirect(.caseWork(id), notice: "Der Fall ist angelegt.", on: req)
                : WebContext.redirect(.cases, notice: "Der Fall ist angelegt. Sie sehen ihn nicht, weil Sie weder sein Team leiten noch in ihm mitarbeiten.", on: req)
        } catch let failure as ValidationFailure {
            let state = FormState(values: form.values, multiValues: ["coWorkerIds": form.all("coWorkerIds")], errors: failure.errors)
            return try await newCase(req, state: state, status: .unprocessableEntity)
        }
    }

    static func address(_ form: FormData) -> AddressInput {
        AddressInput(street: form.optional("familyAddress.street"), postalCode: form.optional("familyAddress.postalCode"),
                     city: form.optional("familyAddress.city"))
    }

    static func addressPage(_ req: Request, state: FormState?) async throws -> Response {
        let record = try req.resolvedCase.record
        let shown = state ?? FormState(values: CaseFolderPages.addressValues(record.familyAddress))
        return WebContext.html(CaseFolderPages.addressForm(context: WebContext.pageContext(for: req), record: record, state: shown),
                               status: shown.hasErrors ? .unprocessableEntity : .ok)
    }

    static func saveAddress(_ req: Request) async throws -> Response {
        let resolved = try req.resolvedCase
        let caseID = resolved.record.id
        let form = FormData(request: req)
        do {
            try await CaseStore.updateFamilyAddress(caseID: caseID, address(form), viewer: resolved.viewer,
                                                    context: WriteContext(actor: try req.requireUser().auditActor, now: req.now),
                                                    today: req.today, on: req.db)
            return WebContext.redirect(.caseWork(caseID), notice: "Die Anschrift der Familie ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await addressPage(req, state: FormState(values: form.values, errors: failure.errors))
        }
    }

    static func person(_ form: FormData, _ prefix: String) -> PersonInput {
        PersonInput(firstName: form.optional(prefix + "firstName"), lastName: form.optional(prefix + "lastName"),
                    birthDate: form.optional(prefix + "birthDate"), relation: form.optional(prefix + "relation"),
                    phone: form.optional(prefix + "phone"))
    }

    static func detail(_ req: Request, substituteState: FormState = FormState(), approvalState: FormState = FormState(),
                       increaseState: FormState = FormState()) async throws -> Response {
        let resolved = try req.resolvedCase
        let viewer = resolved.viewer, access = resolved.access
        let work = try await CaseWorkStore.load(resolved, today: req.today, on: req.db)
        let context = WebContext.pageContext(for: req)
        let sections = try await CaseWorkPages.sections(req, context: context, work: work, access: access, viewer: viewer,
                                              approvalState: approvalState, increaseState: increaseState)
        let canManage = Policies.openCases.allows(req.currentUser) && resolved.allows(CasePolicies.substitutes)
        let staff = canManage ? try await StaffStore.list(on: req.db).map { ($0.id.uuidString, "\($0.fullName) (\($0.teamName))") } : []
        let failed = substituteState.hasErrors || approvalState.hasErrors || increaseState.hasErrors
        return WebContext.html(CaseFolderPages.detail(context: context, record: work.record, access: access,
                                                     today: req.today, canManageStaff: canManage,
                                                     canEditAddress: resolved.allows(CasePolicies.familyAddress) && Policies.recordWork.allows(req.currentUser),
                                                     canEditCase: Policies.openCases.allows(req.currentUser) && resolved.allows(CasePolicies.caseLead),
                                                     staffOptions: staff,
                                                     substituteState: substituteState, sections: sections),
                               status: failed ? .unprocessableEntity : .ok)
    }

    static func addSubstitute(_ req: Request) async throws -> Response {
        let caseID = try req.resolvedCase.record.id
        let form = FormData(request: req)
        do {
            try await CaseStore.addSubstitute(caseID: caseID, staffID: form.optional("staffId"), from: form.optional("from"), to: form.optional("to"),
                                              context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
            return WebContext.redirect(.caseWork(caseID), notice: "Die Vertretung ist eingetragen.", on: req)
        } catch let failure as ValidationFailure {
            return try await detail(req, substituteState: FormState(values: form.values, errors: failure.errors))
        }
    }
}
