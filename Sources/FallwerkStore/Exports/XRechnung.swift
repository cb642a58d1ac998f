import FallwerkDomain
import Foundation

/// An issued invoice as XRechnung 3.0 in the UBL 2.1 invoice syntax (R17), for the youth office's
/// e-invoicing portal. Built only from what the invoice froze at issue (R16), so the same invoice
/// gives the same document for ever.
///
/// Hour lines are given in minutes with the hourly rate per 60 minutes (`BaseQuantity`), so that
/// quantity × price is exactly the line amount the invoice states (R13: each line rounded once).
public enum XRechnung {
    public static let customizationID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    public static let profileID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    /// Days until payment is due, stated as due date (BT-9) and in the payment terms (BT-20).
    public static let paymentDays = 30
    /// VATEX code of the exemption (BT-121): § 4 Nr. 25 UStG (youth welfare) implements Art. 132(1)(h)
    /// of Directive 2006/112/EC ("protection of children and young persons"); 1(i) would be education.
    public static let exemptionReasonCode = "vatex-eu-132-1h"

    /// A document that travels with the invoice (BG-24), e.g. the service record sheet.
    public struct Attachment: Sendable {
        public let id: String
        public let description: String
        public let mimeCode: String
        public let filename: String
        public let content: Data

        public init(id: String, description: String, mimeCode: String, filename: String, content: Data) {
            self.id = id
            self.description = description
            self.mimeCode = mimeCode
            self.filename = filename
            self.content = content
        }
    }

    public enum Problem: Error, Equatable {
        /// The invoice has no number yet: drafts are not invoices.
        case notIssued
        /// Data XRechnung requires that the frozen header lacks (German labels).
        case missing([String])
    }

    /// The XML document; throws when the invoice is a draft or the frozen data lacks a required part.
    public static func document(_ invoice: InvoiceRecord, issuedOn: Day, cancelledNumber: String?, attachments: [Attachment]) throws -> String {
        guard let number = invoice.number else { throw Problem.notIssued }
        guard let h = invoice.header else { throw Problem.missing(["Rechnungskopf"]) }
        let seller = PostalAddress(street: h.providerStreet, postalCode: h.providerPostalCode, city: h.providerCity, joined: h.providerAddress)
        let buyer = PostalAddress(street: h.youthOfficeStreet, postalCode: h.youthOfficePostalCode, city: h.youthOfficeCity, joined: h.youthOfficeAddress)
        var missing: [String] = []
        if (h.providerEmail ?? "").trimmed.isEmpty { missing.append("E-Mail-Adresse des Trägers") }
        if (h.providerPhone ?? "").trimmed.isEmpty { missing.append("Telefonnummer des Trägers") }
        if h.leitwegID.trimmed.isEmpty { missing.append("Leitweg-ID des Jugendamts") }
        if h.providerTaxNumber.trimmed.isEmpty { missing.append("Steuernummer des Trägers") }
        if seller.city.isEmpty || seller.postalCode.isEmpty { missing.append("Anschrift des Trägers") }
        if buyer.city.isEmpty || buyer.postalCode.isEmpty { missing.append("Anschrift des Jugendamts") }
        guard missing.isEmpty else { throw Problem.missing(missing) }

        let lines = invoice.lines.filter { $0.kind != .overBudget }
        let overBudget = invoice.lines.filter { $0.kind == .overBudget }
        let total = lines.reduce(Cents.zero) { $0 + $1.amount }
        let isCancellation = invoice.status == .cancellation
        var x = XMLWriter()
        x.raw(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        x.open("ubl:Invoice", attributes: [
            ("xmlns:ubl", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
            ("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"),
            ("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
        ])
        x.leaf("cbc:CustomizationID", customizationID)
        x.leaf("cbc:ProfileID", profileID)
        x.leaf("cbc:ID", number)
        x.leaf("cbc:IssueDate", issuedOn.iso)
        if total > .zero { x.leaf("cbc:DueDate", issuedOn.adding(days: paymentDays).iso) }
        // 380 commercial invoice; 384 corrected invoice for the cancellation (negative amounts, BT-25 below).
        x.leaf("cbc:InvoiceTypeCode", isCancellation ? "384" : "380")
        x.leaf("cbc:Note", "\(h.offerName.map { "\($0), " } ?? "")Aktenzeichen \(h.fileNumber), junger Mensch \(h.initials)")
        if !overBudget.isEmpty {
            let minutes = overBudget.reduce(0) { $0 + $1.minutes }
            x.leaf("cbc:Note", "Nicht abgerechnet: \(Minutes(minutes).hoursString) Stunden über dem bewilligten Budget ohne bestätigte Erhöhung.")
        }
        x.leaf("cbc:Note", h.vatNote)
        x.leaf("cbc:DocumentCurrencyCode", "EUR")
        x.leaf("cbc:BuyerReference", h.leitwegID)
        x.open("cac:InvoicePeriod")
        x.leaf("cbc:StartDate", h.periodFrom)
        x.leaf("cbc:EndDate", h.periodTo)
        x.close("cac:InvoicePeriod")
        if let cancelledNumber {
            x.open("cac:BillingReference")
            x.open("cac:InvoiceDocumentReference")
            x.leaf("cbc:ID", cancelledNumber)
            x.close("cac:InvoiceDocumentReference")
            x.close("cac:BillingReference")
        }
        for attachment in attachments {
            x.open("cac:AdditionalDocumentReference")
            x.leaf("cbc:ID", attachment.id)
            x.leaf("cbc:DocumentDescription", attachment.description)
            x.open("cac:Attachment")
            x.leaf("cbc:EmbeddedDocumentBinaryObject", attachment.content.base64EncodedString(),
                   attributes: [("mimeCode", attachment.mimeCode), ("filename", attachment.filename)])
            x.close("cac:Attachment")
            x.close("cac:AdditionalDocumentReference")
        }

        x.open("cac:AccountingSupplierParty")
        x.open("cac:Party")
        x.leaf("cbc:EndpointID", h.providerEmail!.trimmed, attributes: [("schemeID", "EM")])
        // BT-29 (BR-CO-26): a tax-exempt provider has no VAT id; its tax number identifies it.
        x.open("cac:PartyIdentification")
        x.leaf("cbc:ID", h.providerTaxNumber)
        x.close("cac:PartyIdentification")
        x.open("cac:PartyName")
        x.leaf("cbc:Name", h.providerName)
        x.close("cac:PartyName")
        address(seller, into: &x)
        x.open("cac:PartyTaxScheme")
        x.leaf("cbc:CompanyID", h.providerTaxNumber)
        x.open("cac:TaxScheme")
        x.leaf("cbc:ID", "FC")
        x.close("cac:TaxScheme")
        x.close("cac:PartyTaxScheme")
        x.open("cac:PartyLegalEntity")
        x.leaf("cbc:RegistrationName", h.providerName)
        x.close("cac:PartyLegalEntity")
        x.open("cac:Contact")
        x.leaf("cbc:Name", "Abrechnung")
        x.leaf("cbc:Telephone", h.providerPhone!.trimmed)
        x.leaf("cbc:ElectronicMail", h.providerEmail!.trimmed)
        x.close("cac:Contact")
        x.close("cac:Party")
        x.close("cac:AccountingSupplierParty")

        x.open("cac:AccountingCustomerParty")
        x.open("cac:Party")
        // 0204: the Leitweg-ID of German public administration as routing address (BT-49).
        x.leaf("cbc:EndpointID", h.leitwegID, attributes: [("schemeID", "0204")])
        x.open("cac:PartyName")
        x.leaf("cbc:Name", h.youthOfficeName)
        x.close("cac:PartyName")
        address(buyer, into: &x)
        x.open("cac:PartyLegalEntity")
        x.leaf("cbc:RegistrationName", h.youthOfficeName)
        x.close("cac:PartyLegalEntity")
        x.close("cac:Party")
        x.close("cac:AccountingCustomerParty")

        x.open("cac:PaymentMeans")
        x.leaf("cbc:PaymentMeansCode", "58")
        x.leaf("cbc:PaymentID", number)
        x.open("cac:PayeeFinancialAccount")
        x.leaf("cbc:ID", h.providerIBAN.filter { !$0.isWhitespace })
        x.leaf("cbc:Name", h.providerName)
        if let bic = h.providerBIC?.trimmed, !bic.isEmpty {
            x.open("cac:FinancialInstitutionBranch")
            x.leaf("cbc:ID", bic)
            x.close("cac:FinancialInstitutionBranch")
        }
        x.close("cac:PayeeFinancialAccount")
        x.close("cac:PaymentMeans")
        x.open("cac:PaymentTerms")
        x.leaf("cbc:Note", isCancellation ? "Gutschrift aus Stornierung der Rechnung \(cancelledNumber ?? "")." : "Zahlbar innerhalb von \(paymentDays) Tagen ohne Abzug.")
        x.close("cac:PaymentTerms")

        x.open("cac:TaxTotal")
        x.leaf("cbc:TaxAmount", "0.00", attributes: [("currencyID", "EUR")])
        x.open("cac:TaxSubtotal")
        x.leaf("cbc:TaxableAmount", total.decimalString, attributes: [("currencyID", "EUR")])
        x.leaf("cbc:TaxAmount", "0.00", attributes: [("currencyID", "EUR")])
        taxCategory("cac:TaxCategory", exemption: h.vatNote, into: &x)
        x.close("cac:TaxSubtotal")
        x.close("cac:TaxTotal")

        x.open("cac:LegalMonetaryTotal")
        for element in ["cbc:LineExtensionAmount", "cbc:TaxExclusiveAmount", "cbc:TaxInclusiveAmount", "cbc:PayableAmount"] {
            x.leaf(element, total.decimalString, attributes: [("currencyID", "EUR")])
        }
        x.close("cac:LegalMonetaryTotal")

        for (index, line) in lines.enumerated() {
            let (quantity, unit, base) = measure(line)
            x.open("cac:InvoiceLine")
            x.leaf("cbc:ID", String(index + 1))
            x.leaf("cbc:InvoicedQuantity", quantity, attributes: [("unitCode", unit)])
            x.leaf("cbc:LineExtensionAmount", line.amount.decimalString, attributes: [("currencyID", "EUR")])
            x.open("cac:Item")
            x.leaf("cbc:Name", line.description)
            taxCategory("cac:ClassifiedTaxCategory", exemption: nil, into: &x)
            x.close("cac:Item")
            x.open("cac:Price")
            x.leaf("cbc:PriceAmount", line.unitPrice.decimalString, attributes: [("currencyID", "EUR")])
            if let base { x.leaf("cbc:BaseQuantity", base, attributes: [("unitCode", unit)]) }
            x.close("cac:Price")
            x.close("cac:InvoiceLine")
        }
        x.close("ubl:Invoice")
        return x.text
    }

    /// Quantity, UN/ECE unit code and the price's base quantity of a line: minutes priced per 60,
    /// visits per piece, kilometres per km.
    static func measure(_ line: InvoiceLineRecord) -> (quantity: String, unit: String, base: String?) {
        switch line.unit {
        case .minutes: (String(line.minutes), line.unit.code, "60")
        case .visits, .kilometres: (line.quantity, line.unit.code, nil)
        }
    }

    static func taxCategory(_ element: String, exemption: String?, into x: inout XMLWriter) {
        x.open(element)
        x.leaf("cbc:ID", "E")
        x.leaf("cbc:Percent", "0")
        if let exemption {
            x.leaf("cbc:TaxExemptionReasonCode", exemptionReasonCode)
            x.leaf("cbc:TaxExemptionReason", exemption)
        }
        x.open("cac:TaxScheme")
        x.leaf("cbc:ID", "VAT")
        x.close("cac:TaxScheme")
        x.close(element)
    }

    struct PostalAddress {
        let street: String
        let postalCode: String
        let city: String

        /// Structured parts where the header has them, else read back from "Street 1, 12345 City".
        init(street: String?, postalCode: String?, city: String?, joined: String) {
            if let postalCode, let city, !city.trimmed.isEmpty {
                self.street = street ?? ""
                self.postalCode = postalCode
                self.city = city
                return
            }
            let parts = joined.split(separator: ",", maxSplits: 1).map { String($0).trimmed }
            let place = (parts.last ?? "").split(separator: " ", maxSplits: 1).map(String.init)
            self.street = parts.count > 1 ? parts[0] : ""
            self.postalCode = place.count > 1 ? place[0] : ""
            self.city = place.count > 1 ? place[1] : ""
        }
    }

    static func address(_ a: PostalAddress, into x: inout XMLWriter) {
        x.open("cac:PostalAddress")
        if !a.street.isEmpty { x.leaf("cbc:StreetName", a.street) }
        x.leaf("cbc:CityName", a.city)
        x.leaf("cbc:PostalZone", a.postalCode)
        x.open("cac:Country")
        x.leaf("cbc:IdentificationCode", "DE")
        x.close("cac:Country")
        x.close("cac:PostalAddress")
    }
}

/// What the quantity of an invoice line counts, with its UN/ECE Recommendation 20 code (BT-130).


/// A small indenting XML writer that escapes every text and attribute value.
struct XMLWriter {
    private(set) var text = ""
    private var depth = 0

    mutating func raw(_ line: String) { text += line + "\n" }

    mutating func open(_ name: String, attributes: [(String, String)] = []) {
        text += indent + "<" + name + Self.attributes(attributes) + ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        text += indent + "</" + name + ">\n"
    }

    mutating func leaf(_ name: String, _ value: String, attributes: [(String, String)] = []) {
        text += indent + "<" + name + Self.attributes(attributes) + ">" + Self.escape(value) + "</" + name + ">\n"
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// Escapes markup characters and drops the characters XML 1.0 forbids. Works on unicode scalars: as a Character,
    /// `&` followed by a combining mark ("&\u{301}") is not "&" and would be written raw.
    static func escape(_ value: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where !allowed(scalar): continue  // e.g. a form feed pasted from a word processor
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF (surrogates never
    /// reach a Swift string). Control characters and the non-characters U+FFFE / U+FFFF are not allowed.
    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
