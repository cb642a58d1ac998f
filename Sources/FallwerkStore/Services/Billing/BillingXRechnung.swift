import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

extension BillingStore {
    /// The XRechnung of an issued or cancellation invoice, with the month's service record sheet attached (R17).
    public static func xrechnung(_ id: UUID, today: Day, on db: any Database) async throws -> (filename: String, xml: String) {
        let invoice = try await get(id, on: db)
        guard let number = invoice.number, let issuedAt = invoice.issuedAt else {
            throw ValidationFailure([FieldError("status", "Ein Entwurf hat noch keine XRechnung; bitte die Rechnung zuerst stellen.")])
        }
        let cancelled = try await invoice.cancelsInvoiceID.asyncMap { try await get($0, on: db).number } ?? nil
        var attachments: [XRechnung.Attachment] = []
        if let record = try await CaseStore.find(invoice.caseID, on: db) {
            let work = try await CaseWorkStore.load([record], today: today, on: db)[0]
            let sheet = try await ServiceRecordStore.record(work, month: invoice.month, on: db)
            attachments.append(XRechnung.Attachment(
                id: "Leistungsnachweis-\(invoice.month.iso)", description: "Leistungsnachweis \(invoice.month.iso) mit Unterschriftsstatus",
                mimeCode: "text/csv", filename: "leistungsnachweis-\(invoice.month.iso).csv",
                content: Data(ServiceRecordStore.csv(sheet, initials: invoice.header?.initials ?? "").utf8)))
            if let drawing = sheet.signature?.drawing {
                attachments.append(XRechnung.Attachment(
                    id: "Unterschrift-\(invoice.month.iso)", description: "Unterschrift auf dem Leistungsnachweis \(invoice.month.iso)",
                    mimeCode: "image/png", filename: "unterschrift-\(invoice.month.iso).png", content: drawing))
            }
        }
        do {
            let xml = try XRechnung.document(invoice, issuedOn: BerlinTime.local(issuedAt).day, cancelledNumber: cancelled, attachments: attachments)
            return ("xrechnung-\(number).xml", xml)
        } catch XRechnung.Problem.missing(let parts) {
            throw ValidationFailure([FieldError("header", "Für die XRechnung fehlen: \(parts.joined(separator: ", ")).")])
        }
    }
}

extension BillingStore {
    /// Every XRechnung of the month's issued and cancellation invoices in one ZIP, for uploading to the
    /// youth offices' portals (R17). An invoice whose frozen data lacks a required part is listed in
    /// `nicht-enthalten.txt` with the reason instead of being left out silently.
    public static func xrechnungArchive(month: Month, modified: DosTimestamp, today: Day, on db: any Database) async throws
        -> (filename: String, data: Data, invoices: Int) {
        let invoices = try await list(month: month, on: db).filter { $0.number != nil }.sorted { ($0.number ?? "") < ($1.number ?? "") }
        var entries: [ZipEntry] = []
        var missing: [String] = []
        for invoice in invoices {
            do {
                let (filename, xml) = try await xrechnung(invoice.id, today: today, on: db)
                entries.append(ZipEntry(name: filename, data: Data(xml.utf8)))
            } catch let failure as ValidationFailure {
                missing.append("\(invoice.number ?? ""): \(failure.errors.map(\.message).joined(separator: " "))")
            }
        }
        if !missing.isEmpty {
            entries.append(ZipEntry(name: "nicht-enthalten.txt", data: Data((["Ohne XRechnung:"] + missing).joined(separator: "\r\n").utf8)))
        }
        return ("xrechnungen-\(month.iso).zip", StoredZip.archive(entries, modified: modified), invoices.count)
    }
}
