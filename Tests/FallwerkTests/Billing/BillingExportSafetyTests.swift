@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Foundation
import Testing
import Vapor
#if canImport(FoundationXML)
import FoundationXML
#endif

extension AllTests {
    @Suite("Billing: CSV and XRechnung that other software reads safely")
    struct BillingExportSafety {
        /// A frozen header as an issued invoice carries it, with `change` applied to its JSON.
        static func header(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> InvoiceHeader {
            var json: [String: Any] = [
                "providerName": "Testträger gGmbH", "providerAddress": "Lindenweg 1, 58636 Iserlohn", "providerTaxNumber": "332/5790/0815",
                "providerIBAN": "DE02120300000000202051", "youthOfficeName": "Jugendamt Teststadt", "youthOfficeAddress": "Rathausplatz 1, 39104 Teststadt",
                "leitwegID": Fixtures.leitwegID(), "fileNumber": "51.2-2026-1001", "initials": "L. S.", "periodFrom": "2026-11-01", "periodTo": "2026-11-30",
                "vatNote": InvoiceHeader.vatExemption, "providerStreet": "Lindenweg 1", "providerPostalCode": "58636", "providerCity": "Iserlohn",
                "providerEmail": "abrechnung@testtraeger.example", "providerPhone": "02371 000 100", "youthOfficeStreet": "Rathausplatz 1",
                "youthOfficePostalCode": "39104", "youthOfficeCity": "Teststadt", "offerName": "Familienhilfe",
            ]
            change(&json)
            return try JSONDecoder().decode(InvoiceHeader.self, from: JSONSerialization.data(withJSONObject: json))
        }

        static func line(_ kind: InvoiceLineKind, _ description: String? = nil, minutes: Int = 90, quantity: String = "1.5",
                         price: Int64 = 6240, amount: Int64 = 9360, unit: InvoiceLineUnit = .minutes) -> InvoiceLineRecord {
            InvoiceLineRecord(kind: kind, description: description ?? kind.german, minutes: minutes, quantity: quantity,
                              unitPrice: Cents(price), amount: Cents(amount), unit: unit)
        }

        static func invoice(_ lines: [InvoiceLineRecord], header: InvoiceHeader, status: InvoiceStatus = .issued,
                            number: String = "2026-000001") -> InvoiceRecord {
            InvoiceRecord(id: UUID(), caseID: UUID(), month: Month(iso: "2026-11")!, status: status, number: number, lines: lines,
                          total: lines.reduce(Cents.zero) { $0 + $1.amount }, cancelsInvoiceID: nil, header: header,
                          issuedAt: Date(timeIntervalSince1970: 1_795_000_000))
        }

        /// Reads CSV as a spreadsheet does (RFC 4180 with `;`): quoted fields may hold separators and line breaks.
        static func parse(_ text: String) -> [[String]] {
            var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
            var scalars = Array(text.unicodeScalars)[...]
            if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
            var i = scalars.startIndex
            while i < scalars.endIndex {
                let c = scalars[i]
                if quoted {
                    if c == "\"" {
                        if i + 1 < scalars.endIndex, scalars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { quoted = false }
                    } else { field.unicodeScalars.append(c) }
                } else if c == "\"" { quoted = true
                } else if c == ";" { row.append(field); field = ""
                } else if c == "\r", i + 1 < scalars.endIndex, scalars[i + 1] == "\n" { row.append(field); rows.append(row); row = []; field = ""; i += 1
                } else { field.unicodeScalars.append(c) }
                i += 1
            }
            return rows
        }

        @Test("R17 CSV starts with a BOM, quotes CRLF, neutralises formulas")
        func csvForExcel() throws {
            // given: text an attacker or a pasted report could put into a youth office's spreadsheet
            let header = try Self.header {
                $0["youthOfficeName"] = "=HYPERLINK(\"http://evil.example\";\"Klick\")"
                $0["initials"] = "-L. S."
                $0["fileNumber"] = "@51.2-2026-1001"
                $0["leitwegID"] = "+49"
            }
            let lines = [Self.line(.reports, "Bericht\r\nTeil 2"), Self.line(.serviceHours, "\tFachleistung\rnach Plan")]
            let cancellation = Self.invoice(lines.map { Self.line($0.kind, $0.description, amount: -$0.amount.value) }, header: header,
                                            status: .cancellation, number: "2026-000002")

            // when
            let csv = InvoiceCSV.document([Self.invoice(lines, header: header), cancellation])

            // then: Excel sees UTF-8, every row has its 15 columns, no cell starts a formula, amounts stay numbers
            #expect(Array(Data(csv.utf8).prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(csv.contains("\"Bericht\r\nTeil 2\""))
            let rows = Self.parse(csv)
            #expect(rows.count == 5)
            #expect(rows.allSatisfy { $0.count == 15 })
            #expect(rows[0] == InvoiceCSV.columns)
            let first = rows[1]
            #expect(first[5] == "'=HYPERLINK(\"http://evil.example\";\"Klick\")")
            #expect(first[4] == "'-L. S.")
            #expect(first[3] == "'@51.2-2026-1001")
            #expect(first[6] == "'+49")
            #expect(first[9] == "Bericht\r\nTeil 2")
            #expect(rows[2][9] == "'\tFachleistung\rnach Plan")
            let textColumns = [0, 1, 2, 3, 4, 5, 6, 8, 9]
            for row in rows.dropFirst() {
                for cell in textColumns.map({ row[$0] }) where cell.unicodeScalars.first.map({ "=+-@\t\r".unicodeScalars.contains($0) }) == true {
                    Issue.record("text cell starts a formula: \(cell)")
                }
            }
            // The cancellation's negative amounts are numbers, not neutralised text.
            #expect(rows[3][13] == "-93,60")
            #expect(rows[3][14] == "-187,20")
            #expect(rows[1][10...12] == ["90", "1,5", "62,40"])
        }

        @Test("R17 CSV shows the kind of a line in German (Art), not the code serviceHours")
        func csvGermanKinds() async throws {
            try await TestApp.run { t in
                // given: an issued invoice with hours, a report and a visit flat rate
                let w = try await AllTests.BillingExports.world(t)
                _ = try await AllTests.BillingExports.issuedInvoice(w)
                try await t.addUser("vera", .accounting)
                let browser = WebSession(t)
                try await browser.login("vera")

                // when
                let response = try await browser.get("/abrechnung/2026-11/rechnungen.csv")

                // then
                let bytes = Array(response.body.readableBytesView)
                #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let rows = Self.parse(String(decoding: bytes, as: UTF8.self))
                #expect(rows.first?.first == "Rechnungsnummer")
                let kinds = rows.dropFirst().map { $0[8] }
                #expect(kinds == ["Fachleistungsstunden", "Berichte an das Jugendamt", "Fahrtkosten"])
                for code in InvoiceLineKind.allCases { #expect(!response.body.string.contains(";\(code.rawValue);")) }
                #expect(rows.dropFirst().allSatisfy { $0[14] == "162,50" })
            }
        }

        @Test("R17 XRechnung escapes & before a combining mark")
        func xmlCombiningMarks() throws {
            // given: "&" and "<" followed by U+0301, one Character each in Swift
            let name = "Müller &\u{301} Söhne <\u{301}b> \"x\" 'y'"
            #expect(XMLWriter.escape("&\u{301}") == "&amp;\u{301}")
            #expect(XMLWriter.escape("<\u{301}") == "&lt;\u{301}")

            // when
            let xml = try XRechnung.document(Self.invoice([Self.line(.serviceHours)], header: try Self.header { $0["providerName"] = name }),
                                             issuedOn: Day(iso: "2026-11-22")!, cancelledNumber: nil, attachments: [])

            // then: well-formed, and the name reads back as it was
            #expect(xml.contains("Müller &amp;\u{301} Söhne &lt;\u{301}b&gt; &quot;x&quot; &apos;y&apos;"))
            let names = try Self.texts(of: "cbc:RegistrationName", in: xml)
            #expect(names.first == name)
        }

        @Test("R17 XRechnung drops XML-forbidden control characters (below U+0020 but tab, LF, CR; U+FFFE, U+FFFF)")
        func xmlControlCharacters() throws {
            // given
            let forbidden = (0..<0x20).filter { ![0x09, 0x0A, 0x0D].contains($0) }.map { Unicode.Scalar(UInt8($0)) } + ["\u{FFFE}", "\u{FFFF}"]
            var text = "Fach"
            for scalar in forbidden { text.unicodeScalars.append(scalar) }
            text += "leistung\t1\n2\r3"

            // when
            let escaped = XMLWriter.escape(text)
            let xml = try XRechnung.document(Self.invoice([Self.line(.serviceHours, text)], header: try Self.header()),
                                             issuedOn: Day(iso: "2026-11-22")!, cancelledNumber: nil, attachments: [])

            // then
            #expect(escaped == "Fachleistung\t1\n2\r3")
            #expect(!xml.unicodeScalars.contains { forbidden.contains($0) })
            _ = try Self.texts(of: "cbc:Name", in: xml)
            try XRechnungValidator.validate(xml, name: "control-characters")
        }

        @Test("R16 XRechnung exemption code is vatex-eu-132-1h (§ 4 Nr. 25 UStG = Art. 132(1)(h) 2006/112/EC)")
        func exemptionCode() async throws {
            try await TestApp.run { t in
                // given
                let w = try await AllTests.BillingExports.world(t)
                let (_, id) = try await AllTests.BillingExports.issuedInvoice(w)

                // when
                let xml = try await t.send(.GET, "/api/v1/invoices/\(id)/xrechnung", token: w.admin).body.string

                // then
                #expect(xml.contains("<cbc:TaxExemptionReasonCode>vatex-eu-132-1h</cbc:TaxExemptionReasonCode>"))
                #expect(!xml.contains("vatex-eu-132-1i"))
                #expect(xml.contains("<cbc:TaxExemptionReason>Umsatzsteuerfrei nach § 4 Nr. 25 UStG"))
                try XRechnungValidator.validate(xml, name: "exemption")
            }
        }

        @Test("R17 XRechnung unit codes by the line's kind: time in MIN per 60, visits C62, kilometres KMT")
        func unitCodes() async throws {
            // given / when / then: the billing rules decide each line's unit, whatever its description says
            let day = Day(iso: "2026-11-02")!
            let lines = BillingRules.lines([
                BillableEntry(date: day, kind: .direct, countedMinutes: 90, billableMinutes: 90, hourlyRate: Cents(6240),
                              travelUnitPrice: Cents(30), travelQuantity: 20, travelPerKm: true),
                BillableEntry(date: day, kind: .crisis, countedMinutes: 60, billableMinutes: 60, hourlyRate: Cents(6240),
                              travelUnitPrice: Cents(500), travelQuantity: 1, travelPerKm: false),
            ])
            #expect(lines.filter { $0.kind != .travel }.allSatisfy { $0.unit == .minutes })
            #expect(lines.filter { $0.kind == .travel }.map(\.unit).sorted { $0.rawValue < $1.rawValue } == [.kilometres, .visits])
            // the export takes the stored unit, not the text: a time line described "(km)" stays in minutes
            #expect(XRechnung.measure(Self.line(.serviceHours, "Fachleistungsstunden (km)")).unit == "MIN")
            #expect(XRechnung.measure(Self.line(.travel, "Fahrtkosten", minutes: 0, quantity: "20", unit: .kilometres)).unit == "KMT")
            #expect(InvoiceLineUnit.allCases.map(\.code) == ["MIN", "C62", "KMT"])

            try await TestApp.run { t in
                // given: travel per kilometre
                let w = try await AllTests.BillingExports.world(t, settings: ["travelMode": "perKm", "travelRatePerKm": "0.30"])
                let c = try await w.openCase("51.2-2026-1301", approval: ("2026-10-01", "2027-03-31", "10", "month"))
                try await w.record(c, "2026-11-02", "10:00", 90, "direct", ["homeVisit": true, "kilometres": 20])
                _ = try await t.send(.POST, "/api/v1/cases/\(c)/service-records/2026-11/signature", token: w.admin,
                                     json: ["status": "signed", "date": "2026-11-20", "signedBy": "Sabine Sommer"])
                let draft = try await w.bill("2026-11", caseID: c)
                _ = try await t.send(.POST, "/api/v1/invoices/\(draft.id)/issue", token: w.admin)

                // when
                let xml = try await t.send(.GET, "/api/v1/invoices/\(draft.id)/xrechnung", token: w.admin).body.string

                // then
                #expect(xml.contains("<cbc:InvoicedQuantity unitCode=\"MIN\">90</cbc:InvoicedQuantity>"))
                #expect(xml.contains("<cbc:InvoicedQuantity unitCode=\"KMT\">20</cbc:InvoicedQuantity>"))
                try XRechnungValidator.validate(xml, name: "kilometres")
                let stored = try await InvoiceLineModel.query(on: t.db).all().map { ($0.kind, $0.unit) }
                #expect(stored.contains { $0 == ("travel", "kilometres") })
                #expect(stored.contains { $0 == ("serviceHours", "minutes") })
            }
        }

        /// The texts of every `element` in `xml`, read by an XML parser (which refuses malformed documents).
        static func texts(of element: String, in xml: String) throws -> [String] {
            final class Collector: NSObject, XMLParserDelegate {
                let element: String
                var texts: [String] = []
                var current: String?
                init(_ element: String) { self.element = element }
                func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                            attributes: [String: String] = [:]) {
                    if (qualifiedName ?? name) == element { current = "" }
                }
                func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }
                func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                    if (qualifiedName ?? name) == element, let text = current { texts.append(text); current = nil }
                }
            }
            let parser = XMLParser(data: Data(xml.utf8))
            parser.shouldProcessNamespaces = false
            let collector = Collector(element)
            parser.delegate = collector
            guard parser.parse() else {
                throw XRechnungValidator.Failed(description: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")")
            }
            return collector.texts
        }
    }
}
