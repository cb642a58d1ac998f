import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Accounting's month (billing run, issuing) and the service record sheet with its signature.
enum BillingRoutes {
    static func register(on pages: any RoutesBuilder) {
        let billing = PolicyRoutes(pages, Policies.billing, whenDenied: .redirectToLogin)
        billing.get("abrechnung") { req in try await month(req) }
        billing.post("abrechnung", ":month", "lauf") { req in try await run(req) }
        billing.post("rechnungen", ":id", "stellen") { req in try await issue(req) }
        let signedIn = PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin)
        signedIn.get("faelle", ":id", "nachweis", ":month") { req in try await sheet(req, state: FormState()) }
        signedIn.post("faelle", ":id", "nachweis", ":month") { req in try await sign(req) }
    }

    static func month(_ req: Request) async throws -> Response {
        let month = req.query[String.self, at: "monat"].flatMap(Month.init(iso:)) ?? Month(containing: req.today.adding(days: -req.today.day))
        let rows = try await BillingStore.overview(month, today: req.today, on: req.db)
            .map { BillingPages.Row(record: $0.0.record, invoice: $0.1, sheet: $0.2) }
        return WebContext.html(BillingPages.month(context: WebContext.pageContext(for: req), month: month, rows: rows))
    }

    static func run(_ req: Request) async throws -> Response {
        guard let month = req.parameters.get("month").flatMap(Month.init(iso:)) else { throw RecordNotFound(entity: "month") }
        let result = try await BillingStore.run(month, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
        return WebContext.redirect(.billing(month), notice: "Abrechnungslauf \(month.iso): \(result.invoiceCount) Rechnungsentwürfe über \(result.total.german).", on: req)
    }

    static func issue(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let draft = try await BillingStore.get(id, on: req.db)
        do {
            let invoice = try await BillingStore.issue(id, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
            return WebContext.redirect(.billing(draft.month), notice: "Rechnung \(invoice.number ?? "") über \(invoice.total.german) ist gestellt.", on: req)
        } catch let failure as ValidationFailure {
            return WebContext.redirect(.billing(draft.month), notice: failure.errors.map(\.message).joined(separator: " "), on: req)
        }
    }

    static func sheet(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        guard let month = req.parameters.get("month").flatMap(Month.init(iso:)) else { throw RecordNotFound(entity: "month") }
        let caseID = try req.uuid("id")
        let viewer = try await req.viewer()
        let sheet = try await ServiceRecordStore.get(caseID: caseID, month: month, visibleTo: viewer, today: req.today, on: req.db)
        try await AuditLog.record(.read, entity: "case", id: caseID, by: try req.requireUser().auditActor, at: req.now, on: req.db)
        var values = state.values
        if values.isEmpty { values = ["status": "signed", "date": req.today.iso] }
        let canSign = Policies.recordWork.allows(req.currentUser) || Policies.billing.allows(req.currentUser)
        return WebContext.html(BillingPages.serviceRecord(context: WebContext.pageContext(for: req), sheet: sheet,
                                                          state: FormState(values: values, errors: state.errors), canSign: canSign), status: status)
    }

    static func sign(_ req: Request) async throws -> Response {
        guard let month = req.parameters.get("month").flatMap(Month.init(iso:)) else { throw RecordNotFound(entity: "month") }
        let caseID = try req.uuid("id")
        let form = FormData(request: req)
        do {
            try await ServiceRecordStore.sign(caseID: caseID, month: month, status: form.optional("status"), date: form.optional("date"),
                                              signedBy: form.optional("signedBy"), reason: form.optional("reason"), viewer: try await req.viewer(),
                                              context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
            return WebContext.redirect(.serviceRecord(caseID, month), notice: "Die Unterschrift ist erfasst.", on: req)
        } catch let failure as ValidationFailure {
            return try await sheet(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
