import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Pages for the daily work on cases: the entry form, approvals, increases, alerts, overviews.
enum WorkRoutes {
    static func register(on pages: any RoutesBuilder) {
        PolicyRoutes(pages, .open, whenDenied: .problem).get("assets", "leistung.js") { _ in script() }

        let work = PolicyRoutes(pages, Policies.recordWork, whenDenied: .redirectToLogin)
        let record = work.cases(CasePolicies.entries)
        record.get("faelle", ":id", "leistungen", "neu") { req in try await entryForm(req, entryID: nil) }
        record.post("faelle", ":id", "leistungen", "neu") { req in try await saveEntry(req, entryID: nil) }
        record.get("faelle", ":id", "leistungen", ":entry") { req in try await entryForm(req, entryID: try req.uuid("entry")) }
        record.post("faelle", ":id", "leistungen", ":entry") { req in try await saveEntry(req, entryID: try req.uuid("entry")) }
        record.post("faelle", ":id", "leistungen", ":entry", "loeschen") { req in try await deleteEntry(req) }
        record.get("faelle", ":id", "leistungen", "vorschau") { req in try await entryPreview(req) }
        let approvals = work.cases(CasePolicies.approvals)
        approvals.post("faelle", ":id", "bewilligungen") { req in try await saveApproval(req) }
        approvals.post("faelle", ":id", "bewilligungen", ":approval", "erhoehungen") { req in try await saveIncrease(req) }
        approvals.post("faelle", ":id", "bewilligungen", ":approval") { req in try await correctApproval(req) }
        approvals.post("faelle", ":id", "bewilligungen", ":approval", "loeschen") { req in try await deleteApproval(req) }
        approvals.post("faelle", ":id", "bewilligungen", ":approval", "erhoehungen", ":increase", "loeschen") { req in try await deleteIncrease(req) }
        work.cases(CasePolicy.caseWork.refusing("Hinweise bestätigen die Fachkräfte des Falls und die Leitung."))
            .post("faelle", ":id", "hinweise") { req in try await acknowledge(req) }

        let signedIn = PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin)
        signedIn.get("uebersicht") { req in try await teamOverview(req) }
        signedIn.get("hinweise") { req in try await alertsOverview(req) }
    }

    static func script() -> Response { WebContext.script(Assets.entryScript) }

    // MARK: - Entry form

    static func entryForm(_ req: Request, entryID: UUID?) async throws -> Response {
        let resolved = try req.resolvedCase
        let viewer = resolved.viewer
        let work = try await CaseWorkStore.load(resolved, today: req.today, on: req.db)
        var values: [String: String]
        if let entryID {
            guard let entry = work.entries.first(where: { $0.id == entryID }) else { throw RecordNotFound(entity: "serviceEntry") }
            values = Self.values(of: entry)
        } else {
            values = presets(work: work, viewer: viewer, now: req.now, today: req.today)
            if let kind = req.query[String.self, at: "art"], EntryKind(rawValue: kind) != nil { values["kind"] = kind }
        }
        if req.query[String.self, at: "zurueck"] == "start" { values["back"] = "start" }
        values["preview"] = previewText(values, work: work, today: req.today, entryID: entryID)
        return WebContext.html(EntryFormPage.render(
            context: WebContext.pageContext(for: req),
            .init(work: work, entryID: entryID, state: FormState(values: values), staffOptions: staffOptions(work, viewer: viewer, today: req.today),
                  overBudgetWarning: nil, today: req.today)))
    }

    static func saveEntry(_ req: Request, entryID: UUID?) async throws -> Response {
        let resolved = try req.resolvedCase
        let viewer = resolved.viewer
        let caseID = resolved.record.id
        let work = try await CaseWorkStore.load(resolved, today: req.today, on: req.db)
        let form = FormData(request: req)
        var values = form.values
        var extra: [FieldError] = []
        let draft = entryDraft(form, extra: &extra)

        func render(errors: [FieldError], warning: String?) -> Response {
            values["preview"] = previewText(values, work: work, today: req.today, entryID: entryID)
            let page = EntryFormPage.render(
                context: WebContext.pageContext(for: req),
                .init(work: work, entryID: entryID, state: FormState(values: values, errors: errors),
                      staffOptions: staffOptions(work, viewer: viewer, today: req.today), overBudgetWarning: warning, today: req.today))
            return WebContext.html(page, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }

        var v = Validator()
        let facts = draft.input.validated(into: &v, today: req.today)
        if !extra.isEmpty { return render(errors: extra + v.errors.filter { e in !extra.contains { $0.field == e.field } }, warning: nil) }
        let context = WriteContext(actor: try req.requireUser().auditActor, now: req.now)
        do {
            if let facts, form["confirmOverBudget"] != "true" {
                let preview = work.preview(facts, replacing: entryID)
                if preview.overBudgetMinutes > 0 {
                    // Warn only about an entry that could be saved as it is.
                    try await EntryStore.validate(in: resolved, draft, replacing: entryID, today: req.today, on: req.db)
                    let warning = preview.window == nil
                        ? "Für den \(facts.date.german) gibt es keine Bewilligung. Arbeit ohne Bewilligung ist nicht abrechenbar, bis eine eingetragen ist."
                        : "Dieser Eintrag geht \(preview.overBudgetMinutes) Min. über das bewilligte Budget. "
                            + "Mehrarbeit braucht die Bestätigung des Jugendamts (Erhöhung) und ist bis dahin nicht abrechenbar."
                    return render(errors: [], warning: warning)
                }
            }
            if let entryID {
                try await EntryStore.update(in: resolved, entryID: entryID, draft, context: context, today: req.today, on: req.db)
            } else {
                try await EntryStore.create(in: resolved, draft, context: context, today: req.today, on: req.db)
            }
        } catch let failure as ValidationFailure {
            return render(errors: failure.errors, warning: nil)
        }
        var notice = entryID == nil ? "Gespeichert" : "Geändert"
        if let facts {
            let preview = work.preview(facts, replacing: entryID)
            notice += ": \(facts.kind.german) am \(facts.date.german), \(facts.minutes) Min. – zählt \(preview.billableMinutes) Min. "
                + "abrechenbar, \(preview.count.budgetMinutes) Min. Budget."
            if let window = preview.window { notice += " " + WorkViews.budgetText(window) + "." }
        }
        return WebContext.redirect(values["back"] == "start" ? .home : .caseWork(caseID), notice: notice, on: req)
    }

    static func deleteEntry(_ req: Request) async throws -> Response {
        let resolved = try req.resolvedCase
        let caseID = resolved.record.id
        try await EntryStore.delete(in: resolved, entryID: try req.uuid("entry"),
                                    context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
        return WebContext.redirect(.caseWork(caseID), notice: "Der Eintrag ist gelöscht.", on: req)
    }

    static func entryDraft(_ form: FormData, extra: inout [FieldError]) -> EntryDraft {
        var minutes: Int?
        switch form.int("minutes") {
        case .some(let value): minutes = value
        case .none: extra.append(FieldError("minutes", "Bitte die Dauer als ganze Zahl von Minuten angeben."))
        }
        var kilometres: Int?
        switch form.int("kilometres") {
        case .some(let value): kilometres = value
        case .none: extra.append(FieldError("kilometres", "Bitte die Kilometer als ganze Zahl angeben."))
        }
        let kind = form.optional("kind")
        let isCancellation = kind == EntryKind.cancelled.rawValue
        return EntryDraft(staffId: form.optional("staffId"), input: EntryInput(
            date: form.optional("date"), start: form.optional("start"), end: form.optional("end"), minutes: minutes, kind: kind,
            cancelledBy: isCancellation ? form.optional("cancelledBy") : nil,
            cancelledAt: isCancellation ? form.optional("cancelledAt") : nil,
            homeVisit: form["homeVisit"] == "true", kilometres: kilometres, note: form["note"]),
            guardianContact: form["guardianContact"] == "true")
    }

    /// Today, the signed-in staff member, the last kind they used on this case, their usual length,
    /// and a start time that ends about now.
    static func presets(work: CaseWork, viewer: Viewer, now: Date, today: Day) -> [String: String] {
        let staffID = viewer.staffID.flatMap { id in work.record.assignments.contains { $0.staffID == id } ? id : nil }
            ?? work.record.lead?.staffID
        let usual: Set<EntryKind> = [.direct, .institution, .planningMeeting, .crisis, .indirect]
        let mine = work.entries.filter { $0.staffID == staffID && usual.contains($0.facts.kind) }
            .sorted { ($0.facts.date, $0.facts.start) > ($1.facts.date, $1.facts.start) }
        let kind = mine.first?.facts.kind ?? .direct
        let recent = mine.filter { $0.facts.kind == kind }.prefix(10).map(\.facts.minutes)
        let counts = Dictionary(recent.map { ($0, 1) }, uniquingKeysWith: +)
        let minutes = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 60
        let local = BerlinTime.local(now)
        var startMinute = local.day == today ? local.time.minuteOfDay - minutes : 9 * 60
        startMinute = max(0, startMinute / 5 * 5)
        return [
            "kind": kind.rawValue, "date": today.iso, "start": TimeOfDay(minuteOfDay: startMinute)!.text,
            "minutes": String(minutes), "staffId": staffID?.uuidString.lowercased() ?? "",
        ]
    }

    static func values(of entry: EntryRecord) -> [String: String] {
        var values = [
            "kind": entry.facts.kind.rawValue, "date": entry.facts.date.iso, "start": entry.facts.start.text,
            "minutes": String(entry.facts.minutes), "staffId": entry.staffID.uuidString.lowercased(),
            "homeVisit": entry.facts.homeVisit ? "true" : "",
            "guardianContact": entry.guardianContact ? "true" : "",
        ]
        if let by = entry.facts.cancelledBy { values["cancelledBy"] = by.rawValue }
        if let at = entry.facts.cancelledAt {
            let local = BerlinTime.local(at)
            values["cancelledAt"] = "\(local.day.iso)T\(local.time.text)"
        }
        if let km = entry.facts.kilometres { values["kilometres"] = String(km) }
        if let note = entry.note { values["note"] = note }
        return values
    }

    static func staffOptions(_ work: CaseWork, viewer: Viewer, today: Day) -> [(value: String, label: String)] {
        let isLead = viewer.roles.contains(.teamLead) || viewer.roles.contains(.management)
        var seen = Set<UUID>()
        return work.record.assignments.filter { assignment in
            (isLead || assignment.staffID == viewer.staffID) && seen.insert(assignment.staffID).inserted
        }.map { (value: $0.staffID.uuidString.lowercased(), label: "\($0.staffName) (\($0.role.german))") }
    }

    // MARK: - Approvals, increases, alerts

    static func saveApproval(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        let draft = ApprovalDraft(from: form.optional("from"), to: form.optional("to"), hours: form.optional("hours"),
                                  per: form.optional("per"), reference: form.optional("reference"), staffIds: form.all("staffIds"))
        do {
            try await ApprovalStore.create(caseID: caseID, draft, viewer: try await req.viewer(),
                                           context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
            return WebContext.redirect(.caseWork(caseID), notice: "Die Bewilligung ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await CaseWorkPages.render(req, caseID: caseID, approvalState: FormState(values: form.values, errors: failure.errors))
        }
    }

    static func correctApproval(_ req: Request) async throws -> Response {
        let resolved = try req.resolvedCase
        let caseID = resolved.record.id
        let approvalID = try req.uuid("approval")
        let form = FormData(request: req)
        let draft = ApprovalDraft(from: form.optional("from"), to: form.optional("to"), hours: form.optional("hours"),
                                  per: form.optional("per"), reference: form.optional("reference"), staffIds: form.all("staffIds"))
        do {
            try await ApprovalStore.update(caseID: caseID, approvalID: approvalID, draft, record: resolved.record,
                                           context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
            return WebContext.redirect(.caseWork(caseID), fragment: "bewilligungen", notice: "Die Bewilligung ist korrigiert.", on: req)
        } catch let failure as ValidationFailure {
            var values = form.values
            values["approvalId"] = approvalID.uuidString.lowercased()
            return try await CaseWorkPages.render(req, caseID: caseID,
                                                  approvalState: FormState(values: values, multiValues: ["staffIds": form.all("staffIds")],
                                                                           errors: failure.errors))
        }
    }

    static func deleteApproval(_ req: Request) async throws -> Response {
        let caseID = try req.resolvedCase.record.id
        do {
            try await ApprovalStore.delete(caseID: caseID, approvalID: try req.uuid("approval"),
                                           context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
            return WebContext.redirect(.caseWork(caseID), fragment: "bewilligungen", notice: "Die Bewilligung ist gelöscht.", on: req)
        } catch let failure as ValidationFailure {
            return WebContext.redirect(.caseWork(caseID), fragment: "bewilligungen", notice: failure.errors.map(\.message).joined(separator: " "), on: req)
        }
    }

    static func deleteIncrease(_ req: Request) async throws -> Response {
        let caseID = try req.resolvedCase.record.id
        do {
            try await ApprovalStore.deleteIncrease(caseID: caseID, approvalID: try req.uuid("approval"), increaseID: try req.uuid("increase"),
                                                   context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
            return WebContext.redirect(.caseWork(caseID), fragment: "bewilligungen", notice: "Die Erhöhung ist gelöscht.", on: req)
        } catch let failure as ValidationFailure {
            return WebContext.redirect(.caseWork(caseID), fragment: "bewilligungen", notice: failure.errors.map(\.message).joined(separator: " "), on: req)
        }
    }

    static func saveIncrease(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let approvalID = try req.uuid("approval")
        let form = FormData(request: req)
        let draft = IncreaseDraft(hours: form.optional("hours"), confirmedOn: form.optional("confirmedOn"),
                                  appliesOn: form.optional("appliesOn"), note: form.optional("note"))
        do {
            try await ApprovalStore.addIncrease(caseID: caseID, approvalID: approvalID, draft, viewer: try await req.viewer(),
                                                context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
            return WebContext.redirect(.caseWork(caseID), notice: "Die Erhöhung ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            var values = form.values
            values["approvalId"] = approvalID.uuidString.lowercased()
            return try await CaseWorkPages.render(req, caseID: caseID, increaseState: FormState(values: values, errors: failure.errors))
        }
    }

    static func acknowledge(_ req: Request) async throws -> Response {
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        try await AlertStore.acknowledge(caseID: caseID, kind: form.optional("kind"), since: form.optional("since"), note: form.optional("note"),
                                         viewer: try await req.viewer(), context: WriteContext(actor: try req.requireUser().auditActor, now: req.now),
                                         today: req.today, on: req.db)
        return WebContext.redirect(.caseWork(caseID), notice: "Vermerkt: Das Jugendamt ist informiert.", on: req)
    }

    // MARK: - Overviews

    static func teamOverview(_ req: Request) async throws -> Response {
        let viewer = try await req.viewer()
        let (filter, query, filters) = try await CasePageRoutes.listFilter(req, status: .running)
        let onlyAlerts = query["nur"] == "hinweise"
        let page = try await CaseWorkStore.summaryPage(filter, visibleTo: viewer, today: req.today, offset: req.listOffset, limit: OverviewPages.pageSize,
                                                       choose: { works in
            OverviewPages.byUrgency(onlyAlerts ? works.filter { !$0.alerts.isEmpty } : works, today: req.today)
        }, on: req.db)
        return WebContext.html(OverviewPages.team(context: WebContext.pageContext(for: req), page: page, pager: req.pager(page, nextLabel: "Weitere Fälle"),
                                                  filters: filters, query: query, today: req.today))
    }

    static func alertsOverview(_ req: Request) async throws -> Response {
        let page = try await AlertStore.openAlerts(visibleTo: try await req.viewer(), today: req.today, offset: req.listOffset,
                                                   limit: OverviewPages.pageSize, on: req.db)
        return WebContext.html(OverviewPages.alerts(context: WebContext.pageContext(for: req), page: page,
                                                    pager: req.pager(page, nextLabel: "Weitere Fälle")))
    }
}

extension Request {
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw RecordNotFound(entity: name) }
        return id
    }
}
