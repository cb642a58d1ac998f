import FallwerkDomain
import FluentKit
import Foundation

extension BillingStore {
    /// The month's issued and cancellation invoices with their lines, for the accounting system (R17).
    public static func csv(month: Month, on db: any Database) async throws -> String {
        let invoices = try await list(month: month, on: db).filter { $0.number != nil }.sorted { ($0.number ?? "") < ($1.number ?? "") }
        return InvoiceCSV.document(invoices)
    }
}

/// The invoices as CSV for German spreadsheet programs and accounting systems (R17): UTF-8 with BOM,
/// semicolons, CRLF, decimal commas, one row per line. Text columns are German and cannot start a formula;
/// amounts, minutes and quantities are plain numbers.
public enum InvoiceCSV {
    public static let columns = ["Rechnungsnummer", "Status", "Monat", "Aktenzeichen", "Initialen", "Jugendamt", "Leitweg-ID", "Position", "Art",
                                 "Beschreibung", "Minuten", "Menge", "Einzelpreis", "Betrag", "Rechnungsbetrag"]

    public static func document(_ invoices: [InvoiceRecord]) -> String {
        var rows = [columns.csvRow]
        for invoice in invoices {
            let h = invoice.header
            for (position, line) in invoice.lines.enumerated() {
                let text: [String] = [invoice.number ?? "", invoice.status.german, invoice.month.iso, h?.fileNumber ?? "", h?.initials ?? "",
                                      h?.youthOfficeName ?? "", h?.leitwegID ?? ""]
                let numbers: [String] = [String(position + 1)]
                let kind: [String] = [line.kind.german, line.description]
                let amounts: [String] = [String(line.minutes), line.quantity.replacingOccurrences(of: ".", with: ","),
                                         CSVText.euro(line.unitPrice), CSVText.euro(line.amount), CSVText.euro(invoice.total)]
                rows.append((text.map(CSVText.field) + numbers.map(CSVText.number) + kind.map(CSVText.field) + amounts.map(CSVText.number))
                    .joined(separator: ";"))
            }
        }
        return CSVText.document(rows)
    }
}

/// Semicolon-separated text as German spreadsheet programs and accounting systems read it.
enum CSVText {
    /// Byte order mark: without it Excel reads UTF-8 as Windows-1252 and breaks every umlaut.
    static let byteOrderMark = "\u{FEFF}"

    /// A text cell: neutralised against formulas (a leading `'`), quoted when it holds a separator,
    /// a quote or a line break. Looks at unicode scalars: the Character "\r\n" is neither "\r" nor "\n".
    static func field(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, formulaStarts.contains(first) { value = "'" + value }
        let needsQuotes = value.unicodeScalars.contains { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// What makes a spreadsheet read a cell as formula (OWASP: CSV injection).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A number cell (`-162,50`, `90`): written as it is, so the spreadsheet keeps it a number;
    /// anything that is not a plain number is treated as text.
    static func number(_ text: String) -> String {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = digits.split(separator: ",", omittingEmptySubsequences: false)
        let plain = (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        return plain ? text : field(text)
    }

    static func euro(_ cents: Cents) -> String { cents.decimalString.replacingOccurrences(of: ".", with: ",") }

    static func document(_ rows: [String]) -> String { byteOrderMark + rows.joined(separator: "\r\n") + "\r\n" }
}

extension Array where Element == String {
    /// A row of text cells.
    var csvRow: String { map(CSVText.field).joined(separator: ";") }
}
