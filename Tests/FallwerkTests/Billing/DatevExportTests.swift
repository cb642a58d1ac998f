@testable import FallwerkDomain
import Testing

/// The DATEV Buchungsstapel (EXTF, header version 700, category 21, format version 13) is a pure encoder:
/// checked field by field, byte by byte, and read back by a small CSV parser that shares no code with it.
extension AllTests {
    @Suite("DATEV Buchungsstapel")
    struct DatevExportTests {
        static func day(_ iso: String) -> Day { Day(iso: iso)! }

        static let settings = DatevSettings(consultantNumber: 29098, clientNumber: 55003, fiscalYearStartMonth: 1)
        static let createdAt = (day: day("2026-12-02"), hour: 14, minute: 5, second: 9)

        static func invoice(_ cents: Int64, number: String = "2026-000012", on date: String = "2026-11-05",
                            text: String = "Rechnung 2026-000012 Az 51.2-2026-0151", debit: Bool = true) -> DatevBooking {
            DatevBooking(amount: Cents(cents), debit: debit, account: "10001", contraAccount: "8100",
                         documentDate: day(date), documentNumber: number, bookingText: text)
        }

        static func file(_ bookings: [DatevBooking], settings: DatevSettings = settings,
                         from: String = "2026-11-01", to: String = "2026-11-30") -> [UInt8] {
            DatevExport.buchungsstapel(settings: settings, from: day(from), to: day(to), createdAt: createdAt,
                                       description: "Rechnungsausgang 11/2026", bookings: bookings)
        }

        /// The file's lines, split at CR LF (the last line ends in CR LF too, so the final piece is empty).
        static func lines(_ bytes: [UInt8]) -> [String] {
            let text = DatevExport.decodeWindows1252(bytes)
            var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.last == "")
            lines.removeLast()
            return lines
        }

        /// The raw bytes of line `index` (0-based), without its CR LF.
        static func lineBytes(_ bytes: [UInt8], _ index: Int) -> [UInt8] {
            var lines: [[UInt8]] = [[]]
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                    lines.append([])
                    i += 2
                } else {
                    lines[lines.count - 1].append(bytes[i])
                    i += 1
                }
            }
            return lines[index]
        }

        /// An independent reader for one line of semicolon CSV: fields may be quoted, `""` inside quotes is
        /// one quote. Returns nil for a malformed line (an unclosed quote, text after a closing quote).
        static func parse(_ line: String) -> [String]? {
            var fields: [String] = []
            var field = ""
            var quoted = false
            var afterClosingQuote = false
            let characters = Array(line)
            var i = 0
            while i < characters.count {
                let c = characters[i]
                if quoted {
                    if c == "\"" {
                        if i + 1 < characters.count, characters[i + 1] == "\"" {
                            field.append("\"")
                            i += 1
                        } else {
                            quoted = false
                            afterClosingQuote = true
                        }
                    } else {
                        field.append(c)
                    }
                } else if c == ";" {
                    fields.append(field)
                    field = ""
                    afterClosingQuote = false
                } else if c == "\"", field.isEmpty, !afterClosingQuote {
                    quoted = true
                } else {
                    if afterClosingQuote { return nil }
                    field.append(c)
                }
                i += 1
            }
            if quoted { return nil }
            fields.append(field)
            return fields
        }

        /// `1234,50` → 123450; nil unless digits, a comma and exactly two decimals.
        static func cents(_ text: String) -> Int64? {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].count == 2, !parts[0].isEmpty,
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let whole = Int64(parts[0]), let fraction = Int64(parts[1])
            else { return nil }
            return whole * 100 + fraction
        }

        // MARK: Header

        @Test("DATEV header line: 31 fields, EXTF 700 21 Buchungsstapel 13, numbers, WJ-Beginn, period, EUR")
        func header() throws {
            let lines = Self.lines(Self.file([Self.invoice(123_450)]))
            let fields = try #require(Self.parse(lines[0]))
            #expect(fields.count == 31)
            #expect(fields.count == DatevExport.headerFieldCount)
            #expect(Array(fields.prefix(5)) == ["EXTF", "700", "21", "Buchungsstapel", "13"])
            #expect(fields[5] == "20261202140509000")   // 6 Erzeugt am
            #expect(fields[10] == "29098")              // 11 Beraternummer
            #expect(fields[11] == "55003")              // 12 Mandantennummer
            #expect(fields[12] == "20260101")           // 13 WJ-Beginn
            #expect(fields[13] == "4")                  // 14 Sachkontenlänge
            #expect(fields[14] == "20261101")           // 15 Datum vom
            #expect(fields[15] == "20261130")           // 16 Datum bis
            #expect(fields[16] == "Rechnungsausgang 11/2026") // 17 Bezeichnung
            #expect(fields[18] == "1")                  // 19 Buchungstyp Finanzbuchführung
            #expect(fields[21] == "EUR")                // 22 WKZ
            // Quoting as DATEV's sample: text fields quoted (also when empty), numbers bare.
            #expect(lines[0] == "\"EXTF\";700;21;\"Buchungsstapel\";13;20261202140509000;;\"RE\";\"\";\"\";29098;55003;20260101;4;"
                + "20261101;20261130;\"Rechnungsausgang 11/2026\";\"\";1;0;0;\"EUR\";;\"\";;;\"\";;;\"\";\"\"")
        }

        @Test("DATEV WJ-Beginn: the first day of the start month in the year containing Datum vom, else the year before")
        func fiscalYearStart() throws {
            let july = DatevSettings(consultantNumber: 1001, clientNumber: 1, fiscalYearStartMonth: 7)
            #expect(july.fiscalYearStart(containing: Self.day("2026-03-15")) == Self.day("2025-07-01"))
            #expect(july.fiscalYearStart(containing: Self.day("2026-07-01")) == Self.day("2026-07-01"))
            #expect(july.fiscalYearStart(containing: Self.day("2026-12-31")) == Self.day("2026-07-01"))
            let fields = try #require(Self.parse(Self.lines(Self.file([], settings: july, from: "2027-02-01", to: "2027-02-28"))[0]))
            #expect(fields[12] == "20260701")
            #expect(Self.settings.fiscalYearStart(containing: Self.day("2026-11-01")) == Self.day("2026-01-01"))
        }

        @Test("DATEV Bezeichnung is cut to 30 characters")
        func descriptionLength() throws {
            let bytes = DatevExport.buchungsstapel(settings: Self.settings, from: Self.day("2026-11-01"), to: Self.day("2026-11-30"),
                                                   createdAt: Self.createdAt, description: String(repeating: "x", count: 45), bookings: [])
            let fields = try #require(Self.parse(Self.lines(bytes)[0]))
            #expect(fields[16] == String(repeating: "x", count: 30))
            #expect(fields.count == 31)
        }

        // MARK: Column names

        @Test("DATEV second line: the 125 column names of format version 13, in order")
        func columns() throws {
            let bytes = Self.file([])
            let lines = Self.lines(bytes)
            #expect(lines.count == 2)
            let names = try #require(Self.parse(lines[1]))
            #expect(names.count == 125)
            #expect(Array(names.prefix(14)) == [
                "Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz",
                "WKZ Basis-Umsatz", "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum",
                "Belegfeld 1", "Belegfeld 2", "Skonto", "Buchungstext",
            ])
            #expect(names[19] == "Beleglink")
            #expect(names[20] == "Beleginfo - Art 1" && names[35] == "Beleginfo - Inhalt 8")
            #expect(names[36] == "KOST1 - Kostenstelle" && names[37] == "KOST2 - Kostenstelle")
            #expect(names[47] == "Zusatzinformation - Art 1" && names[48] == "Zusatzinformation- Inhalt 1")
            #expect(names[87] == "Stück")
            #expect(names[113] == "Festschreibung" && names[114] == "Leistungsdatum")
            #expect(names.last == "Abw. Skontokonto")
            #expect(names == DatevExport.columns)
            // As DATEV's sample file: the names bare, separated by semicolons, "ü" as 0xFC.
            #expect(Self.lineBytes(bytes, 1).starts(with: Array("Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;".utf8)))
            #expect(Self.lineBytes(bytes, 1).contains(0xFC))
        }

        // MARK: Booking lines

        @Test("DATEV booking line: 1234,50 S EUR, Konto, Gegenkonto, Belegdatum TTMM, Belegfeld 1, Buchungstext")
        func bookingLine() throws {
            let lines = Self.lines(Self.file([Self.invoice(123_450)]))
            #expect(lines.count == 3)
            #expect(lines[2].hasPrefix("1234,50;\"S\";\"EUR\";;;;10001;8100;;0511;\"2026-000012\";;;\"Rechnung 2026-000012 Az 51.2-2026-0151\";"))
            let fields = try #require(Self.parse(lines[2]))
            #expect(fields.count == 125)
            #expect(fields[0] == "1234,50")
            #expect(fields[1] == "S")
            #expect(fields[2] == "EUR")
            #expect(fields[6] == "10001")
            #expect(fields[7] == "8100")
            #expect(fields[8] == "")
            #expect(fields[9] == "0511")
            #expect(fields[10] == "2026-000012")
            #expect(fields[13] == "Rechnung 2026-000012 Az 51.2-2026-0151")
            #expect(fields[14...].allSatisfy { $0.isEmpty })
        }

        @Test("DATEV a cancellation is H; amounts keep two decimals without thousands separators; negative flips S/H")
        func cancellationAndAmounts() throws {
            let bookings = [
                Self.invoice(5, debit: false),
                Self.invoice(100_000_000),
                Self.invoice(-6_250),
                Self.invoice(7, on: "2026-11-30"),
            ]
            let lines = Self.lines(Self.file(bookings))
            let rows = try lines.dropFirst(2).map { try #require(Self.parse($0)) }
            #expect(rows.map { $0[0] } == ["0,05", "1000000,00", "62,50", "0,07"])
            #expect(rows.map { $0[1] } == ["H", "S", "H", "S"])
            #expect(rows[3][9] == "3011")
            #expect(bookings.map(\.signedAmount) == [Cents(-5), Cents(100_000_000), Cents(-6_250), Cents(7)])
        }

        @Test("DATEV Buchungstext is cut to 60 characters, Belegfeld 1 to 36 allowed characters")
        func lengths() throws {
            let long = String(repeating: "a", count: 58) + "bcdefg"
            let number = "RE 2026.0012/" + String(repeating: "9", count: 40)
            let row = try #require(Self.parse(Self.lines(Self.file([Self.invoice(100, number: number, text: long)]))[2]))
            #expect(row[13] == String(repeating: "a", count: 58) + "bc")
            #expect(row[13].count == 60)
            #expect(row[10] == "RE20260012/" + String(repeating: "9", count: 25))
            #expect(row[10].count == 36)
        }

        // MARK: Bytes

        @Test("DATEV every line ends in CR LF, no bare LF or CR")
        func lineEnds() {
            let bytes = Self.file([Self.invoice(123_450), Self.invoice(99, text: "Zeile 1\nZeile 2\r\nZeile 3\rEnde")])
            #expect(bytes.suffix(2) == [0x0D, 0x0A])
            for (index, byte) in bytes.enumerated() {
                if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)") }
                if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)") }
            }
            #expect(bytes.filter { $0 == 0x0A }.count == 4)
            let lines = Self.lines(bytes)
            #expect(Self.parse(lines[3])?[13] == "Zeile 1 Zeile 2 Zeile 3 Ende")
        }

        @Test("DATEV bytes are Windows-1252: Ö 0xD6, € 0x80, „ 0x84, ı → i, Turkish letters never break the file")
        func windows1252() throws {
            let text = "Öffentliche Jugendhilfe € „Hilfe“ Yıldız Ağaoğlu Şahin İnce"
            let bytes = Self.file([Self.invoice(100, text: text)])
            let line = Self.lineBytes(bytes, 2)
            let expected: [UInt8] = [0x22, 0xD6] + Array("ffentliche Jugendhilfe ".utf8) + [0x80, 0x20, 0x84]
                + Array("Hilfe".utf8) + [0x93] + Array(" Yildiz Agaoglu Sahin Ince".utf8) + [0x22]
            #expect(line.count > expected.count)
            let start = try #require(line.indices.first { line[$0...].starts(with: expected) })
            #expect(start > 0)
            #expect(bytes.allSatisfy { ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains($0) })
            #expect(Self.parse(Self.lines(bytes)[2])?[13] == "Öffentliche Jugendhilfe € „Hilfe“ Yildiz Agaoglu Sahin Ince")

            #expect(Windows1252.encode("Ö€„ı") == [0xD6, 0x80, 0x84, 0x69])
            #expect(Windows1252.encode("O\u{308}") == [0xD6])                   // decomposed Ö
            #expect(Windows1252.encode("s\u{327}") == [0x73])                   // decomposed ş
            #expect(Windows1252.encode("Łódź Ștefan Đorđe") == Array("Lodz Stefan Dorde".utf8).enumerated().map { index, byte in
                index == 1 ? 0xF3 : byte                                         // ó stays 0xF3
            })
            #expect(Windows1252.encode("ẞ😀ǅ") == Array("SS?D".utf8))
            #expect(DatevExport.decodeWindows1252([0x80, 0x84, 0x93, 0x94, 0x96, 0xD6, 0xFC, 0xDF]) == "€„“”–Öüß")
            var all = [UInt8](0x20...0x7E) + [UInt8](0xA0...0xFF)
            all += [0x80, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8E,
                    0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9E, 0x9F]
            #expect(Windows1252.encode(DatevExport.decodeWindows1252(all)) == all)
        }

        @Test("DATEV a quote inside a text field is doubled; the cut counts it once")
        func quotes() throws {
            let bytes = Self.file([Self.invoice(100, text: "Rechnung \"Nachtrag\" 2026")])
            #expect(Self.lines(bytes)[2].contains(";\"Rechnung \"\"Nachtrag\"\" 2026\";"))
            #expect(Self.parse(Self.lines(bytes)[2])?[13] == "Rechnung \"Nachtrag\" 2026")
            let edge = String(repeating: "x", count: 59) + "\"y"
            let row = try #require(Self.parse(Self.lines(Self.file([Self.invoice(100, text: edge)]))[2]))
            #expect(row[13] == String(repeating: "x", count: 59) + "\"")
        }

        // MARK: Parse-back

        @Test("DATEV parse-back: every line reads as CSV, the bookings' count and signed sum match what went in")
        func parseBack() throws {
            let amounts: [(Int64, Bool)] = [(123_450, true), (6_250, true), (99, false), (1_000_001, true), (45_600, false), (1, true)]
            let bookings = amounts.enumerated().map { index, entry in
                Self.invoice(entry.0, number: "2026-00000\(index)", on: "2026-11-0\(index + 1)",
                             text: "Rechnung 2026-00000\(index) \"Fall\"; Ärger € ğ", debit: entry.1)
            }
            let lines = Self.lines(Self.file(bookings))
            #expect(lines.count == 2 + bookings.count)
            let header = try #require(Self.parse(lines[0]))
            let names = try #require(Self.parse(lines[1]))
            #expect(header.count == 31 && names.count == 125)
            let amountColumn = try #require(names.firstIndex(of: "Umsatz (ohne Soll/Haben-Kz)"))
            let flagColumn = try #require(names.firstIndex(of: "Soll/Haben-Kennzeichen"))
            let textColumn = try #require(names.firstIndex(of: "Buchungstext"))
            var sum: Int64 = 0
            var count = 0
            for line in lines.dropFirst(2) {
                let row = try #require(Self.parse(line))
                #expect(row.count == names.count)
                let value = try #require(Self.cents(row[amountColumn]))
                switch row[flagColumn] {
                case "S": sum += value
                case "H": sum -= value
                default: Issue.record("unexpected Soll/Haben flag \(row[flagColumn])")
                }
                #expect(row[textColumn].hasSuffix("\"Fall\"; Ärger € g"))
                count += 1
            }
            #expect(count == bookings.count)
            let expected = bookings.reduce(Cents(0)) { $0 + ($1.debit ? $1.amount : Cents(0) - $1.amount) }
            #expect(sum == expected.value)
            #expect(sum == 123_450 + 6_250 - 99 + 1_000_001 - 45_600 + 1)
        }

        @Test("DATEV file name starts with EXTF_")
        func fileName() {
            #expect(DatevExport.fileName(from: Self.day("2026-11-01"), to: Self.day("2026-11-30")) == "EXTF_Buchungsstapel_20261101-20261130.csv")
        }

        // MARK: Settings

        @Test("DATEV settings: defaults, ranges and German messages")
        func settingsValidation() throws {
            let defaults = try DatevSettings.validated(consultantNumber: 29098, clientNumber: 55003)
            #expect(defaults == DatevSettings(consultantNumber: 29098, clientNumber: 55003, fiscalYearStartMonth: 1,
                                              accountLength: 4, revenueAccount: "8100"))
            let five = try DatevSettings.validated(consultantNumber: 1001, clientNumber: 99_999, fiscalYearStartMonth: 7,
                                                   accountLength: 5, revenueAccount: " 81000 ")
            #expect(five.revenueAccount == "81000" && five.accountLength == 5 && five.fiscalYearStartMonth == 7)
            #expect(five.isDebtorAccount("100001") && !five.isDebtorAccount("10001") && !five.isDebtorAccount("700001"))
            #expect(Self.settings.isDebtorAccount("10001") && Self.settings.isDebtorAccount("69999"))
            #expect(!Self.settings.isDebtorAccount("70000") && !Self.settings.isDebtorAccount("8100") && !Self.settings.isDebtorAccount("1000a"))

            do {
                _ = try DatevSettings.validated(consultantNumber: 1000, clientNumber: nil, fiscalYearStartMonth: 13,
                                               accountLength: 9, revenueAccount: "81A0")
                Issue.record("invalid settings accepted")
            } catch {
                #expect(error.message(for: "consultantNumber") == "Bitte die Beraternummer als ganze Zahl von 1001 bis 9999999 angeben.")
                #expect(error.message(for: "clientNumber") == "Bitte die Mandantennummer angeben.")
                #expect(error.message(for: "fiscalYearStartMonth") == "Bitte den ersten Monat des Wirtschaftsjahres als ganze Zahl von 1 bis 12 angeben.")
                #expect(error.message(for: "accountLength") == "Bitte die Sachkontenlänge als ganze Zahl von 4 bis 8 angeben.")
                #expect(error.message(for: "revenueAccount") == "Bitte das Erlöskonto nur mit Ziffern angeben.")
                #expect(error.errors.count == 5)
            }
            do {
                _ = try DatevSettings.validated(consultantNumber: 29098, clientNumber: 100_000, revenueAccount: "81000")
                Issue.record("invalid settings accepted")
            } catch {
                #expect(error.message(for: "clientNumber") == "Bitte die Mandantennummer als ganze Zahl von 1 bis 99999 angeben.")
                #expect(error.message(for: "revenueAccount") == "Das Erlöskonto muss genau 4 Ziffern haben (Sachkontenlänge).")
            }
        }
    }
}
