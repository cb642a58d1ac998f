import Fluent
import Foundation

/// A monthly invoice for one case (R14, R16). Drafts are replaced by the next billing run; an issued
/// invoice never changes again: its lines and its header (provider, youth office, case) are frozen.
public final class InvoiceModel: Model, @unchecked Sendable {
    public static let schema = "invoices"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "month") public var month: String
    /// draft, issued, cancelled (an issued invoice later cancelled), cancellation (the cancelling invoice)
    @Field(key: "status") public var status: String
    @OptionalField(key: "number") public var number: String?
    @OptionalField(key: "issued_at") public var issuedAt: Date?
    @OptionalField(key: "cancels_invoice_id") public var cancelsInvoiceID: UUID?
    @Field(key: "total_cents") public var totalCents: Int64
    /// Frozen at issue: who bills whom for what (JSON).
    @OptionalField(key: "header") public var header: String?
    @Children(for: \.$invoice) public var lines: [InvoiceLineModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $month, $status, $number, $issuedAt, $cancelsInvoiceID, $totalCents, $header, $lines, $createdAt]
    }

    public init() {}
}

public final class InvoiceLineModel: Model, @unchecked Sendable {
    public static let schema = "invoice_lines"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "invoice_id") public var invoice: InvoiceModel
    @Field(key: "position") public var position: Int
    @Field(key: "kind") public var kind: String
    @Field(key: "description") public var lineDescription: String
    @Field(key: "minutes") public var minutes: Int
    @Field(key: "quantity") public var quantity: String
    @Field(key: "unit_price_cents") public var unitPriceCents: Int64
    @Field(key: "amount_cents") public var amountCents: Int64
    /// `InvoiceLineUnit` (R17).
    @Field(key: "unit") public var unit: String

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $invoice, $position, $kind, $lineDescription, $minutes, $quantity, $unitPriceCents, $amountCents, $unit]
    }

    public init() {}
}
