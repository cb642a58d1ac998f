import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

public struct InvoiceLineRecord: Sendable, Hashable {
    public let kind: InvoiceLineKind
    public let description: String
    public let minutes: Int
    public let quantity: String
    public let unitPrice: Cents
    public let amount: Cents
    /// Stored with the line by the billing run (R17); never guessed from its description.
    public var unit: InvoiceLineUnit = .minutes
}

public enum InvoiceStatus: String, Sendable, CaseIterable {
    case draft, issued, cancelled, cancellation

    public var german: String {
        switch self {
        case .draft: "Entwurf"
        case .issued: "gestellt"
        case .cancelled: "storniert"
        case .cancellation: "Stornorechnung"
        }
    }
}

/// Who bills whom for what, frozen when the invoice is issued (R16): later changes of master data
/// never alter an issued invoice. The young person appears by initials only.
public struct InvoiceHeader: Codable, Sendable, Hashable {
    public var providerName: String
    public var providerAddress: String
    public var providerTaxNumber: String
    public var providerIBAN: String
    public var youthOfficeName: String
    public var youthOfficeAddress: String
    public var leitwegID: String
    public var fileNumber: String
    public var initials: String
    public var periodFrom: String
    public var periodTo: String
    public var vatNote: String
    // Added for XRechnung (R17); headers frozen before carry only the lines above.
    public var providerStreet: String?
    public var providerPostalCode: String?
    public var providerCity: String?
    public var providerEmail: String?
    public var providerPhone: String?
    public var providerBIC: String?
    public var youthOfficeStreet: String?
    public var youthOfficePostalCode: String?
    public var youthOfficeCity: String?
    public var offerName: String?

    public static let vatExemption = "Umsatzsteuerfrei nach § 4 Nr. 25 UStG (Leistungen der Kinder- und Jugendhilfe)."
}

public struct InvoiceRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let month: Month
    public let status: InvoiceStatus
    public let number: String?
    public let lines: [InvoiceLineRecord]
    public let total: Cents
    public let cancelsInvoiceID: UUID?
    public let header: InvoiceHeader?
    public let issuedAt: Date?
}

public struct BillingRunResult: Sendable, Hashable {
    public let month: Month
    public let invoiceCount: Int
    public let total: Cents
}

/// Monthly billing (R14, R16): drafts from the month's work, then numbered invoices that never change.
public enum BillingStore {
    static let entity = "invoice"

    public static func list(month: Month, on db: any Database) async throws -> [InvoiceRecord] {
        try await InvoiceModel.query(on: db).filter(\.$month == month.iso).with(\.$lines).sort(\.$createdAt).all().compactMap(record)
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> InvoiceRecord {
        guard let model = try await InvoiceModel.query(on: db).filter(\.$id == id).with(\.$lines).first(), let record = record(model)
        else { throw RecordNotFound(entity: entity) }
        return record
    }

    /// Whether a case's month is invoiced (issued and not cancelled): its entries are then frozen.
    public static func isInvoiced(caseID: UUID, month: Month, on db: any Database) async throws -> Bool {
        // Kept: every entry write asks (issue 12).
        try await !KeptStatement.rows("isInvoiced", [.id(caseID), .text(month.iso), .text(InvoiceStatus.issued.rawValue)], on: db) { values in
            InvoiceModel.query(on: db).filter(\.$case.$id == values[0].id).filter(\.$month == values[1].text)
                .filter(\.$status == values[2].text).field(\.$id).limit(1).plainStatement
        }.isEmpty
    }

    static func record(_ model: InvoiceModel) -> InvoiceRecord? {
        guard let id = model.id, let month = Month(iso: model.month), let status = InvoiceStatus(rawValue: model.status) else { return nil }
        return InvoiceRecord(
            id: id, caseID: model.$case.id, month: month, status: status, number: model.number,
            lines: model.lines.sorted { $0.position < $1.position }.compactMap { line in
                InvoiceLineKind(rawValue: line.kind).map {
                    InvoiceLineRecord(kind: $0, description: line.lineDescription, minutes: line.minutes, quantity: line.quantity,
                                      unitPrice: Cents(line.unitPriceCents), amount: Cents(line.amountCents),
                                      unit: InvoiceLineUnit(rawValue: line.unit) ?? .minutes)
                }
            },
            total: Cents(model.totalCents), cancelsInvoiceID: model.cancelsInvoiceID,
            header: model.header.flatMap { try? JSONDecoder().decode(InvoiceHeader.self, from: Data($0.utf8)) },
            issuedAt: model.issuedAt)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size` elements (multi-row inserts stay under bind limits).
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
