import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import OpenAPIRuntime
import Foundation
import Vapor

extension Schemas.Invoice {
    init(_ r: InvoiceRecord) {
        self.init(id: r.id.apiID, caseId: r.caseID.apiID, month: r.month.iso, status: .init(rawValue: r.status.rawValue)!, number: r.number,
                  cancelsInvoiceId: r.cancelsInvoiceID?.apiID,
                  lines: r.lines.map {
                      .init(kind: $0.kind.rawValue, description: $0.description, minutes: $0.minutes, quantity: $0.quantity,
                            unitPrice: $0.unitPrice.decimalString, amount: $0.amount.decimalString)
                  },
                  total: r.total.decimalString,
                  header: r.header.map { h in
                      .init(providerName: h.providerName, providerAddress: h.providerAddress, providerTaxNumber: h.providerTaxNumber,
                            providerIban: h.providerIBAN, youthOfficeName: h.youthOfficeName, youthOfficeAddress: h.youthOfficeAddress,
                            leitwegId: h.leitwegID, fileNumber: h.fileNumber, initials: h.initials, periodFrom: h.periodFrom,
                            periodTo: h.periodTo, vatNote: h.vatNote)
                  })
    }
}

extension APIHandler {
    func month(_ text: String?) throws -> Month {
        guard let text, let month = Month(iso: text) else {
            throw Problem(.unprocessableEntity, "Der Monat muss die Form JJJJ-MM haben.", errors: [FieldError("month", "Bitte den Monat als JJJJ-MM angeben.")])
        }
        return month
    }

    func createBillingRun(_ input: Operations.CreateBillingRun.Input) async throws -> Operations.CreateBillingRun.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        let result = try await BillingStore.run(try month(body.month), context: context, today: req.today, on: req.db)
        return .created(.init(body: .json(.init(month: result.month.iso, invoiceCount: result.invoiceCount, total: result.total.decimalString))))
    }

    func listInvoices(_ input: Operations.ListInvoices.Input) async throws -> Operations.ListInvoices.Output {
        let req = try APIContext.current()
        guard let month = Month(iso: input.query.month) else {
            throw Problem(.badRequest, "Der Monat muss die Form JJJJ-MM haben.", errors: [FieldError("month", "Kein gültiger Monat.")])
        }
        return .ok(.init(body: .json(try await BillingStore.list(month: month, on: req.db).map(Schemas.Invoice.init))))
    }

    func getInvoice(_ input: Operations.GetInvoice.Input) async throws -> Operations.GetInvoice.Output {
        let req = try APIContext.current()
        return .ok(.init(body: .json(.init(try await BillingStore.get(try uuid(input.path.id), on: req.db)))))
    }

    func issueInvoice(_ input: Operations.IssueInvoice.Input) async throws -> Operations.IssueInvoice.Output {
        let (req, context) = try context()
        return .ok(.init(body: .json(.init(try await BillingStore.issue(try uuid(input.path.id), context: context, today: req.today, on: req.db)))))
    }

    func cancelInvoice(_ input: Operations.CancelInvoice.Input) async throws -> Operations.CancelInvoice.Output {
        let (req, context) = try context()
        return .created(.init(body: .json(.init(try await BillingStore.cancel(try uuid(input.path.id), context: context, today: req.today, on: req.db)))))
    }
}

extension APIHandler {
    func getServiceRecord(_ input: Operations.GetServiceRecord.Input) async throws -> Operations.GetServiceRecord.Output {
        let (req, context) = try context()
        guard let month = Month(iso: input.path.month) else { throw Problem.notFound }
        let caseID = try uuid(input.path.id)
        let sheet = try await ServiceRecordStore.get(caseID: caseID, month: month, visibleTo: try await req.viewer(), today: req.today, on: req.db)
        return .ok(.init(body: .json(.init(
            caseId: caseID.apiID, month: month.iso, entries: sheet.entries.map { Schemas.Entry($0, access: .billing) }, billableMinutes: sheet.billableMinutes,
            requiresSignature: sheet.requiresSignature,
            signature: sheet.signature.map {
                .init(status: $0.status.rawValue, date: $0.date.iso, signedBy: $0.signedBy, reason: $0.reason, hasDrawing: $0.drawing != nil,
                      changedAfterSigning: sheet.changedAfterSigning)
            },
            allowsInvoice: sheet.allowsInvoice))))
    }

    func signServiceRecord(_ input: Operations.SignServiceRecord.Input) async throws -> Operations.SignServiceRecord.Output {
        let (req, context) = try context()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        guard let month = Month(iso: input.path.month) else { throw Problem.notFound }
        try await ServiceRecordStore.sign(caseID: try uuid(input.path.id), month: month, status: body.status, date: body.date, signedBy: body.signedBy,
                                          reason: body.reason, drawing: body.drawing, viewer: try await req.viewer(), context: context,
                                          today: req.today, on: req.db)
        return .noContent(.init())
    }
}

extension APIHandler {
    func exportInvoicesCSV(_ input: Operations.ExportInvoicesCSV.Input) async throws -> Operations.ExportInvoicesCSV.Output {
        let req = try APIContext.current()
        guard let month = Month(iso: input.query.month) else {
            throw Problem(.badRequest, "Der Monat muss die Form JJJJ-MM haben.", errors: [FieldError("month", "Kein gültiger Monat.")])
        }
        let text = try await BillingStore.csv(month: month, on: req.db)
        return .ok(.init(body: .csv(HTTPBody(text))))
    }
}

extension APIHandler {
    func exportXRechnung(_ input: Operations.ExportXRechnung.Input) async throws -> Operations.ExportXRechnung.Output {
        let req = try APIContext.current()
        let (_, xml) = try await BillingStore.xrechnung(try uuid(input.path.id), today: req.today, on: req.db)
        return .ok(.init(body: .xml(HTTPBody(xml))))
    }

    func issueAllInvoices(_ input: Operations.IssueAllInvoices.Input) async throws -> Operations.IssueAllInvoices.Output {
        let (req, context) = try context()
        guard let month = Month(iso: input.path.month) else {
            throw Problem(.badRequest, "Der Monat muss die Form JJJJ-MM haben.", errors: [FieldError("month", "Kein gültiger Monat.")])
        }
        let result = try await BillingStore.issueAll(month, context: context, today: req.today, on: req.db)
        return .ok(.init(body: .json(.init(
            issued: result.issued.map(Schemas.Invoice.init),
            blocked: result.blocked.map { .init(invoiceId: $0.0.id.apiID, caseId: $0.0.caseID.apiID, reasons: $0.1.map(\.german)) }))))
    }
}

extension APIHandler {
    /// The billing page's list of the month (R14): the same overview and blockers feed both.
    func getBillingRun(_ input: Operations.GetBillingRun.Input) async throws -> Operations.GetBillingRun.Output {
        let req = try APIContext.current()
        let month = try month(input.path.month)
        let rows = try await BillingStore.overview(month, today: req.today, on: req.db)
        return .ok(.init(body: .json(.init(month: month.iso, cases: rows.map(Schemas.BillingRunCase.init)))))
    }
}

extension Schemas.BillingRunCase {
    init(_ row: BillingRow) {
        self.init(caseId: row.work.record.id.apiID, invoiceId: row.invoice?.id.apiID,
                  status: .init(rawValue: row.invoice?.status.rawValue ?? "none")!, total: (row.invoice?.total ?? .zero).decimalString,
                  blockers: row.blockers.map { .init(code: .init(rawValue: $0.code)!, detail: $0.german) })
    }
}
