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
        billing.get("rechnungen", ":id", "stornieren") { req in try await confirmCancel(req) }
        billing.post("rechnungen", ":id", "stornieren") { req in try await cancel(req) }
        billing.get("abrechnung", ":month", "stellen") { req in try await confirmIssueAll(req) }
        billing.post("abrechnung", ":month", "stellen") { req in try await issueAll(req) }
        billing.get("abrechnung", ":month", "xrechnungen.zip") { req in try await xrechnungArchive(req) }
        billing.get("abrechnung", ":month", "rechnungen.csv") { req in try await csv(req) }
        billing.get("rechnungen", ":id") { req in try await invoice(req) }
        billing.get("rechnungen", ":id", "xrechnung.xml") { req in try await xrechnung(req) }
        let signedIn = PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin)
        signedIn.cases(.visible).get("faelle", ":id", "nachweis", ":month") { req in try await sheet(req, state: FormState()) }
        signedIn.cases(CasePolicies.signature).post("faelle", ":id", "nachweis", ":month") { req in try await sign(req) }
        signedIn.cases(.visible).get("faelle", ":id", "nachweis", ":month", "unterschrift.png") { req in try await drawing(req) }
        PolicyRoutes(pages, .open, whenDenied: .problem).get("assets", "unterschrift.js") { _ in
            WebContext.script(Assets.signatureScript)
        }
        PolicyRoutes(pages, .open, whenDenied: .problem).get("assets", "drucken.js") { _ in
            WebContext.script(Assets.printScript)
        }
    }

    static func month(in req: Request) throws -> Month {
        guard let month = req.parameters.get("month").flatMap(Month.init(iso:)) else { throw RecordNotFound(entity: "month") }
        return month
    }

    /// Says what "issue all" does (how many, which, what total) before anything is numbered.
    static func confirmIssueAll(_ req: Request) async throws -> Response {
        let month = try month(in: req)
        let rows = try await BillingStore.overview(month, today: req.today, on: req.db)
        return WebContext.html(BillingPages.confirmIssueAll(context: WebContext.pageContext(for: req), month: month, rows: rows))
    }

    static func xrechnungArchive(_ req: Request) async throws -> Response {
        let month = try month(in: req)
        let local = BerlinTime.local(req.now)
        let archive = try await BillingStore.xrechnungArchive(month: month, modified: DosTimestamp(day: local.day, time: local.time),
                                                             today: req.today, on: req.db)
        guard archive.invoices > 0 else {
            return WebContext.redirect(.billing(month), notice: "Für \(WorkViews.monthName(month)) gibt es noch keine gestellten Rechnungen.", on: req)
        }
        var headers = HTTPHeaders()
        headers.contentType = .zip
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(archive.filename)\"")
        return Response(status: .ok, headers: headers, body: .init(data: archive.data))
    }

    static func issueAll(_ req: Request) async throws -> Response {
        let month = try month(in: req)
        let result = try await BillingStore.issueAll(month, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
        let issued = result.issued.reduce(Cents.zero) { $0 + $1.total }
        return WebContext.redirect(.billing(month), notice: "\(result.issued.count) \(result.issued.count == 1 ? "Rechnung" : "Rechnungen") über \(issued.german) gestellt"
            + (result.blocked.isEmpty ? "." : "; \(result.blocked.count) Entwürfe warten auf Klärung."), on: req)
    }

    static func csv(_ req: Request) async throws -> Response {
        let month = try month(in: req)
        return download(try await BillingStore.csv(month: month, on: req.db), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
                        filename: "rechnungen-\(month.iso).csv")
    }

    static func invoice(_ req: Request) async throws -> Response {
        let invoice = try await BillingStore.get(try req.uuid("id"), on: req.db)
        return WebContext.html(BillingPages.invoice(context: WebContext.pageContext(for: req), invoice: invoice,
                                                    draftHeader: invoice.header == nil ? "Anschriften und Nummer kommen beim Stellen hinzu." : nil))
    }

    static func xrechnung(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        do {
            let (filename, xml) = try await BillingStore.xrechnung(id, today: req.today, on: req.db)
            return download(xml, type: HTTPMediaType(type: "application", subType: "xml", parameters: ["charset": "utf-8"]), filename: filename)
        } catch let failure as ValidationFailure {
            let invoice = try await BillingStore.get(id, on: req.db)
            return WebContext.redirect(.billing(invoice.month), notice: failure.errors.map(\.message).joined(separator: " "), on: req)
        }
    }

    static func download(_ text: String, type: HTTPMediaType, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func drawing(_ req: Request) async throws -> Response {
        let data = try await ServiceRecordStore.drawing(caseID: try req.uuid("id"), month: try month(in: req), visibleTo: try await req.viewer(),
                                                        today: req.today, on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = .png
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func month(_ req: Request) async throws -> Response {
        let month = req.query[String.self, at: "monat"].flatMap(Month.init(iso:)) ?? Month(containing: req.today.adding(days: -req.today.day))
        let rows = try await BillingStore.overview(month, today: req.today, on: req.db)
        return WebContext.html(BillingPages.month(context: WebContext.pageContext(for: req), month: month, rows: rows))
    }

    static func run(_ req: Request) async throws -> Response {
        guard let month = req.parameters.get("month").flatMap(Month.init(iso:)) else { throw RecordNotFound(entity: "month") }
        let result = try await BillingStore.run(month, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
        return WebContext.redirect(.billing(month), notice: "Abrechnungslauf \(WorkViews.monthName(month)): \(result.invoiceCount) "
            + "\(result.invoiceCount == 1 ? "Rechnungsentwurf" : "Rechnungsentwürfe") über \(result.total.german).", on: req)
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

    /// Says what cancelling does before the cancellation invoice gets its number (R16).
    static func confirmCancel(_ req: Request) async throws -> Response {
        let invoice = try await BillingStore.get(try req.uuid("id"), on: req.db)
        guard invoice.status == .issued else {
            return WebContext.redirect(.billing(invoice.month), notice: "Nur gestellte Rechnungen können storniert werden.", on: req)
        }
        return WebContext.html(BillingPages.confirmCancel(context: WebContext.pageContext(for: req), invoice: invoice))
    }

    static func cancel(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let invoice = try await BillingStore.get(id, on: req.db)
        do {
            let reversal = try await BillingStore.cancel(id, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now),
                                                         today: req.today, on: req.db)
            return WebContext.redirect(.billing(invoice.month), notice: "Rechnung \(invoice.number ?? "") ist storniert; Stornorechnung \(reversal.number ?? "") über \(reversal.total.german).", on: req)
        } catch let failure as ValidationFailure {
            return WebContext.redirect(.billing(invoice.month), notice: failure.errors.map(\.message).joined(separator: " "), on: req)
        }
    }

    static func sheet(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        guard let month = req.parameters.get("month").flatMap(Month.init(iso:)) else { throw RecordNotFound(entity: "month") }
        let caseID = try req.uuid("id")
        let viewer = try await req.viewer()
        let sheet = try await ServiceRecordStore.get(caseID: caseID, month: month, visibleTo: viewer, today: req.today, on: req.db)
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
                                              signedBy: form.optional("signedBy"), reason: form.optional("reason"), drawing: form.optional("drawing"),
                                              viewer: try await req.viewer(),
                                              context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), today: req.today, on: req.db)
            return WebContext.redirect(.serviceRecord(caseID, month), notice: "Die Unterschrift ist erfasst.", on: req)
        } catch let failure as ValidationFailure {
            return try await sheet(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
