import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Pages of the §8a procedure (R21). Role: caseworkers, team leads, management; case: the case's
/// staff, their team lead and management (`CasePolicies.childProtection`). A procedure of a case one
/// may not work on does not exist for one (404). Management also sees every open procedure.
enum ChildProtectionRoutes {
    static func register(on pages: any RoutesBuilder) {
        let routes = PolicyRoutes(pages, Policies.childProtection, whenDenied: .redirectToLogin)
        let onCase = routes.cases(CasePolicies.childProtection)
        onCase.get("faelle", ":id", "kinderschutz") { req in try await caseList(req) }
        onCase.post("faelle", ":id", "kinderschutz") { req in try await open(req) }
        let onProcedure = routes.procedures(CasePolicies.childProtection.hidingCase())
        onProcedure.get("kinderschutz", ":id") { req in try await procedure(req) }
        onProcedure.post("kinderschutz", ":id", "schritte") { req in try await addStep(req) }
        onProcedure.get("kinderschutz", ":id", "meldebogen") { req in try await meldebogen(req) }
        onProcedure.get("kinderschutz", ":id", "meldebogen.docx") { req in try await meldebogenDocx(req) }
        let management = PolicyRoutes(pages, Policies.management, whenDenied: .redirectToLogin)
        management.get("kinderschutz") { req in try await overview(req) }
        management.get("kinderschutz", "isef") { req in try await experts(req, state: FormState()) }
        management.post("kinderschutz", "isef") { req in try await addExpert(req) }
    }

    static func write(_ req: Request) throws -> WriteContext { try DocumentationRoutes.write(req) }

    // MARK: A case's procedures

    static func caseList(_ req: Request, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let resolved = try req.resolvedCase
        let procedures = try await ChildProtectionStore.procedures(of: resolved, context: try write(req), on: req.db)
        var shown = state
        if shown.values["noticedOn"] == nil { shown.values["noticedOn"] = req.today.iso }
        return WebContext.html(ChildProtectionPages.caseList(context: WebContext.pageContext(for: req), record: resolved.record,
                                                             procedures: procedures, state: shown), status: status)
    }

    static func open(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        do {
            let id = try await ChildProtectionStore.open(try req.resolvedCase, ChildProtectionOpening(noticedOn: form.optional("noticedOn"),
                                                                                                     indications: form.optional("indications")),
                                                         context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.childProtection(id), notice: "Das Verfahren ist eröffnet. Nächster Schritt: die interne Fallberatung.", on: req)
        } catch let failure as ValidationFailure {
            return try await caseList(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    // MARK: One procedure

    static func procedure(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let resolved = try req.resolvedCase
        let id = try req.uuid("id")
        let procedure = try await ChildProtectionStore.procedure(id, of: resolved, context: try write(req), on: req.db)
        let query = try? req.query.decode([String: String].self)
        let kind = (state?["kind"]).flatMap(ChildProtectionStepKind.init(rawValue:))
            ?? query?["schritt"].flatMap(ChildProtectionStepKind.init(rawValue:))
        let correctingID = (state?["corrects"]).flatMap { $0.isEmpty ? nil : $0 } ?? query?["korrigieren"]
        let correcting = correctingID.flatMap { raw in procedure.current.first { $0.id.lowercased() == raw.lowercased() } }
        var shown = state ?? FormState()
        if shown.values["date"] == nil { shown.values["date"] = req.today.iso }
        if (kind ?? procedure.nextKinds.first) == .reportToYouthOffice, shown.values["recipient"] == nil {
            shown.values["recipient"] = [resolved.record.youthOfficeCaseworker, resolved.record.youthOfficeName].compactMap { $0 }.joined(separator: ", ")
        }
        let staff = try await StaffModel.query(on: req.db).sort(\.$lastName).sort(\.$firstName).all().compactMap { s in
            s.id.map { (id: $0.uuidString, name: "\(s.firstName) \(s.lastName)") }
        }
        let experts = try await ChildProtectionStore.experts(activeOnly: true, on: req.db)
        let model = ChildProtectionPages.Model(record: resolved.record, procedure: procedure, staff: staff, experts: experts, kind: kind,
                                               correcting: correcting, state: shown, today: req.today)
        return WebContext.html(ChildProtectionPages.procedure(context: WebContext.pageContext(for: req), model), status: status)
    }

    static func stepInput(_ form: FormData) -> ChildProtectionStepInput {
        var input = ChildProtectionStepInput(kind: form.optional("kind"), date: form.optional("date"), note: form.optional("note"))
        input.corrects = form.optional("corrects")
        input.participants = form.optional("participants")
        input.professionalStaffIDs = (1...3).compactMap { form.optional("professional\($0)") }
        input.isefExpertID = form.optional("isef")
        for need in BasicNeed.allCases {
            if let rating = form.optional("needs.\(need.rawValue)") { input.needs[need.rawValue] = rating }
        }
        input.riskLevel = form.optional("riskLevel")
        input.guardiansInvolved = form.optional("guardiansInvolved") == "ja"
        input.childInvolved = form.optional("childInvolved") == "ja"
        input.reasonNotInvolved = form.optional("reasonNotInvolved")
        input.measures = (0..<3).map { (what: form.optional("measures[\($0)].what"), who: form.optional("measures[\($0)].who"),
                                       byWhen: form.optional("measures[\($0)].byWhen")) }
        input.howChecked = form.optional("howChecked")
        input.checkDates = (0..<2).compactMap { form.optional("checkDates[\($0)]") }
        input.recipient = form.optional("recipient")
        input.way = form.optional("way")
        input.outcome = form.optional("outcome")
        return input
    }

    /// The domain's field names as the form spells them.
    static func formField(_ field: String) -> String {
        if field == "professionalIds" { return "professional1" }
        if field.hasPrefix("professionalIds["), let index = Int(field.dropFirst("professionalIds[".count).dropLast()) {
            return "professional\(index + 1)"
        }
        if field == "measures" { return "measures[0].what" }
        if field == "checkDates" { return "checkDates[0]" }
        return field
    }

    static func addStep(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let form = FormData(request: req)
        do {
            try await ChildProtectionStore.addStep(id, of: try req.resolvedCase, stepInput(form), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.childProtection(id), notice: "Der Schritt ist eingetragen.", on: req)
        } catch let failure as ValidationFailure {
            let errors = failure.errors.map { FieldError(formField($0.field), $0.message) }
            return try await procedure(req, state: FormState(values: form.values, errors: errors), status: .unprocessableEntity)
        }
    }

    static func meldebogen(_ req: Request) async throws -> Response {
        let resolved = try req.resolvedCase
        let id = try req.uuid("id")
        let procedure = try await ChildProtectionStore.procedure(id, of: resolved, context: try write(req), on: req.db)
        let facts = try await ChildProtectionStore.meldebogenFacts(resolved, on: req.db)
        return WebContext.html(ChildProtectionPages.meldebogen(context: WebContext.pageContext(for: req), record: resolved.record, procedureID: id,
                                                               preamble: Meldebogen.preamble(facts, today: req.today),
                                                               sections: Meldebogen.sections(procedure, facts: facts)))
    }

    static func meldebogenDocx(_ req: Request) async throws -> Response {
        let (name, data) = try await ChildProtectionStore.meldebogenDocx(try req.uuid("id"), of: try req.resolvedCase, context: try write(req),
                                                                         today: req.today, on: req.db)
        return DocumentationRoutes.docxResponse(name: name, data: data)
    }

    // MARK: Management

    static func overview(_ req: Request) async throws -> Response {
        let context = try write(req)
        let open = try await ChildProtectionStore.openProcedures(context: context, on: req.db)
        // Incidents and complaints (R22, R23) on the same page, overdue ones marked.
        let settings = try await SafeguardingStore.settings(on: req.db)
        let complaints = try await SafeguardingStore.complaints(context: context, on: req.db)
        let year = req.today.year
        let counts = ComplaintCounts(complaints, from: Day(year: year, month: 1, day: 1)!, to: Day(year: year, month: 12, day: 31)!)
        let lists = SafeguardingPages.lists(incidents: try await SafeguardingStore.incidents(context: context, on: req.db), complaints: complaints,
                                            now: req.nowInBerlin, settings: settings, counts: counts, year: year)
        return WebContext.html(ChildProtectionPages.overview(context: WebContext.pageContext(for: req), procedures: open, more: lists))
    }

    static func experts(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let experts = try await ChildProtectionStore.experts(on: req.db)
        let staff = try await StaffModel.query(on: req.db).sort(\.$lastName).sort(\.$firstName).all().compactMap { s in
            s.id.map { (id: $0.uuidString, name: "\(s.firstName) \(s.lastName)") }
        }
        return WebContext.html(ChildProtectionPages.experts(context: WebContext.pageContext(for: req), experts: experts, staff: staff, state: state),
                               status: status)
    }

    static func addExpert(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        do {
            try await ChildProtectionStore.addExpert(name: form.optional("name"), organisation: form.optional("organisation"),
                                                     contact: form.optional("contact"), staffID: form.optional("staffId"),
                                                     context: try write(req), on: req.db)
            return WebContext.redirect(.isefExperts, notice: "Die ISEF ist eingetragen.", on: req)
        } catch let failure as ValidationFailure {
            return try await experts(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
