/// DATEV export of invoices and cancellations as a "Buchungsstapel" (DATEV-Format, EXTF).
///
/// Layout as published by DATEV (developer.datev.de, "DATEV-Format": Einstieg, Header, Buchungsstapel):
/// - line 1: the header ("Kopfzeile"), 31 fields: `"EXTF";700;21;"Buchungsstapel";13;…`;
/// - line 2: the column names of the booking format (125 columns in format version 13);
/// - one line per booking.
/// Fields are separated by semicolons, every line ends in CR LF, text fields are enclosed in double quotes
/// with inner quotes doubled, amounts are positive with a decimal comma (the sign is the Soll/Haben flag),
/// and the file is ANSI (Windows-1252).
///
/// Pure: the creation time is passed in, the result is the file's bytes.

/// The DATEV connection of the provider: who the tax advisor is and how the books are laid out.
public struct DatevSettings: Sendable, Hashable {
    /// Beraternummer (1001…9999999).
    public var consultantNumber: Int
    /// Mandantennummer (1…99999).
    public var clientNumber: Int
    /// The month the fiscal year begins (1 = calendar year).
    public var fiscalYearStartMonth: Int
    /// Sachkontenlänge (4…8). Debtor accounts (Personenkonten) are one digit longer.
    public var accountLength: Int
    /// The revenue account of the invoices: SKR03 8100 "steuerfreie Umsätze § 4 Nr. 8 ff. UStG", where the
    /// VAT-exempt youth welfare services (§ 4 Nr. 25 UStG) are booked.
    public var revenueAccount: String

    public static let defaultAccountLength = 4
    public static let defaultRevenueAccount = "8100"
    public static let consultantNumbers = 1001...9_999_999
    public static let clientNumbers = 1...99_999
    public static let accountLengths = 4...8

    public init(consultantNumber: Int, clientNumber: Int, fiscalYearStartMonth: Int = 1,
                accountLength: Int = DatevSettings.defaultAccountLength,
                revenueAccount: String = DatevSettings.defaultRevenueAccount) {
        self.consultantNumber = consultantNumber
        self.clientNumber = clientNumber
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.accountLength = accountLength
        self.revenueAccount = revenueAccount
    }

    /// Checks settings as they arrive from a form or the API. An omitted (nil) fiscal year start is
    /// January, an omitted account length 4, an omitted or blank revenue account 8100.
    public static func validated(consultantNumber: Int?, clientNumber: Int?, fiscalYearStartMonth: Int? = nil,
                                 accountLength: Int? = nil, revenueAccount: String? = nil) throws(ValidationFailure) -> DatevSettings {
        var v = Validator()
        if consultantNumber == nil { v.add("consultantNumber", "Bitte die Beraternummer angeben.") }
        let consultant = v.integer(consultantNumber, "consultantNumber", label: "die Beraternummer", range: consultantNumbers)
        if clientNumber == nil { v.add("clientNumber", "Bitte die Mandantennummer angeben.") }
        let client = v.integer(clientNumber, "clientNumber", label: "die Mandantennummer", range: clientNumbers)
        let month = fiscalYearStartMonth == nil ? 1
            : v.integer(fiscalYearStartMonth, "fiscalYearStartMonth", label: "den ersten Monat des Wirtschaftsjahres", range: 1...12)
        let length = accountLength == nil ? defaultAccountLength
            : v.integer(accountLength, "accountLength", label: "die Sachkontenlänge", range: accountLengths)
        let account = revenueAccount?.trimmed ?? ""
        let revenue = account.isEmpty ? defaultRevenueAccount : account
        if !revenue.allSatisfy({ $0.isASCII && $0.isNumber }) {
            v.add("revenueAccount", "Bitte das Erlöskonto nur mit Ziffern angeben.")
        } else if revenue.allSatisfy({ $0 == "0" }) {
            v.add("revenueAccount", "Das Erlöskonto darf nicht 0 sein.")
        } else if let length, revenue.count != length {
            v.add("revenueAccount", "Das Erlöskonto muss genau \(length) Ziffern haben (Sachkontenlänge).")
        }
        try v.finish()
        return DatevSettings(consultantNumber: consultant!, clientNumber: client!, fiscalYearStartMonth: month!,
                             accountLength: length!, revenueAccount: revenue)
    }

    /// The first day of the fiscal year that contains `day` (WJ-Beginn).
    public func fiscalYearStart(containing day: Day) -> Day {
        let month = min(max(fiscalYearStartMonth, 1), 12)
        return Day(year: month <= day.month ? day.year : day.year - 1, month: month, day: 1)!
    }

    /// Whether `account` is a debtor account (Debitor) for this account length: one digit longer than a
    /// general ledger account and in the debtor range (10000–69999 at length 4).
    public func isDebtorAccount(_ account: String) -> Bool {
        guard account.count == accountLength + 1, account.allSatisfy({ $0.isASCII && $0.isNumber }),
              let first = account.first
        else { return false }
        return first >= "1" && first <= "6"
    }
}

/// One booking line of the Buchungsstapel.
public struct DatevBooking: Sendable, Hashable {
    /// The amount, positive (a negative amount is written as its magnitude with the opposite flag).
    public var amount: Cents
    /// "S" (Soll): `account` is debited, as by an invoice to the youth office; "H" (Haben): credited, as by a
    /// cancellation.
    public var debit: Bool
    /// Konto: the youth office's debtor account (digits).
    public var account: String
    /// Gegenkonto: the revenue account (digits).
    public var contraAccount: String
    /// Belegdatum; the file keeps day and month only (TTMM), the year comes from the header's period.
    public var documentDate: Day
    /// Belegfeld 1: the invoice number (at most 36 characters of letters, digits and `$ % - /`).
    public var documentNumber: String
    /// Buchungstext, cut to 60 characters.
    public var bookingText: String

    public init(amount: Cents, debit: Bool, account: String, contraAccount: String, documentDate: Day,
                documentNumber: String, bookingText: String) {
        self.amount = amount
        self.debit = debit
        self.account = account
        self.contraAccount = contraAccount
        self.documentDate = documentDate
        self.documentNumber = documentNumber
        self.bookingText = bookingText
    }

    /// The amount as it affects `account`: positive for Soll, negative for Haben.
    public var signedAmount: Cents { debit ? amount : Cents(0) - amount }
}

public enum DatevExport {
    public static let headerVersion = 700
    public static let dataCategory = 21
    public static let formatName = "Buchungsstapel"
    public static let formatVersion = 13
    /// Number of fields of the header line (header version 700).
    public static let headerFieldCount = 31
    /// Herkunft (header field 8): two characters naming the origin; DATEV replaces it on import.
    public static let origin = "RE"
    public static let currency = "EUR"
    public static let bookingTextMaxLength = 60
    public static let documentNumberMaxLength = 36
    /// Bezeichnung of the batch (header field 17).
    public static let descriptionMaxLength = 30

    /// The column names of the second line, in the order of the booking format (version 13).
    public static let columns: [String] = {
        var names = [
            "Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz",
            "WKZ Basis-Umsatz", "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum",
            "Belegfeld 1", "Belegfeld 2", "Skonto", "Buchungstext", "Postensperre", "Diverse Adressnummer",
            "Geschäftspartnerbank", "Sachverhalt", "Zinssperre", "Beleglink",
        ]
        for n in 1...8 { names += ["Beleginfo - Art \(n)", "Beleginfo - Inhalt \(n)"] }
        names += [
            "KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "Kost-Menge", "EU-Land u. UStID (Bestimmung)",
            "EU-Steuersatz (Bestimmung)", "Abw. Versteuerungsart", "Sachverhalt L+L", "Funktionsergänzung L+L",
            "BU 49 Hauptfunktionstyp", "BU 49 Hauptfunktionsnummer", "BU 49 Funktionsergänzung",
        ]
        // Sic: DATEV writes "Zusatzinformation- Inhalt" without the space before the hyphen.
        for n in 1...20 { names += ["Zusatzinformation - Art \(n)", "Zusatzinformation- Inhalt \(n)"] }
        names += [
            "Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr", "Zugeordnete Fälligkeit",
            "Skontotyp", "Auftragsnummer", "Buchungstyp", "USt-Schlüssel (Anzahlungen)", "EU-Land (Anzahlungen)",
            "Sachverhalt L+L (Anzahlungen)", "EU-Steuersatz (Anzahlungen)", "Erlöskonto (Anzahlungen)",
            "Herkunft-Kz", "Buchungs GUID", "KOST-Datum", "SEPA-Mandatsreferenz", "Skontosperre",
            "Gesellschaftername", "Beteiligtennummer", "Identifikationsnummer", "Zeichnernummer",
            "Postensperre bis", "Bezeichnung SoBil-Sachverhalt", "Kennzeichen SoBil-Buchung", "Festschreibung",
            "Leistungsdatum", "Datum Zuord. Steuerperiode", "Fälligkeit", "Generalumkehr (GU)", "Steuersatz",
            "Land", "Abrechnungsreferenz", "BVV-Position", "EU-Land u. UStID (Ursprung)",
            "EU-Steuersatz (Ursprung)", "Abw. Skontokonto",
        ]
        return names
    }()

    /// The file name DATEV's import expects: prefix `EXTF_`, e.g. `EXTF_Buchungsstapel_20261101-20261130.csv`.
    public static func fileName(from: Day, to: Day) -> String {
        "EXTF_Buchungsstapel_\(compact(from))-\(compact(to)).csv"
    }

    /// The Buchungsstapel file for the bookings of `from`…`to` (both days included), as Windows-1252 bytes.
    ///
    /// The caller keeps to DATEV's rules the file cannot repair: `from`…`to` lies within one fiscal year and
    /// contains every booking's document date (the lines carry day and month only), and amounts are not zero.
    /// - Parameters:
    ///   - createdAt: the export's local time (Europe/Berlin), "Erzeugt am".
    ///   - description: Bezeichnung of the batch, e.g. "Rechnungsausgang 11/2026" (cut to 30 characters).
    public static func buchungsstapel(settings: DatevSettings, from: Day, to: Day,
                                      createdAt: (day: Day, hour: Int, minute: Int, second: Int),
                                      description: String, bookings: [DatevBooking]) -> [UInt8] {
        var file: [UInt8] = []
        appendLine(header(settings: settings, from: from, to: to, createdAt: createdAt, description: description), to: &file)
        appendLine(columns.map { Windows1252.encode($0) }, to: &file)
        for booking in bookings {
            appendLine(line(booking), to: &file)
        }
        return file
    }

    /// Text from Windows-1252 bytes (the five bytes the code page leaves undefined become U+FFFD).
    public static func decodeWindows1252(_ bytes: [UInt8]) -> String {
        Windows1252.decode(bytes)
    }

    // MARK: Lines

    static func header(settings: DatevSettings, from: Day, to: Day,
                       createdAt: (day: Day, hour: Int, minute: Int, second: Int), description: String) -> [[UInt8]] {
        let stamp = compact(createdAt.day) + Day.pad(createdAt.hour, 2) + Day.pad(createdAt.minute, 2)
            + Day.pad(createdAt.second, 2) + "000"
        let fields: [[UInt8]] = [
            text("EXTF"),                                   // 1 Kennzeichen
            number(String(headerVersion)),                  // 2 Versionsnummer
            number(String(dataCategory)),                   // 3 Formatkategorie (Datenkategorie)
            text(formatName),                               // 4 Formatname
            number(String(formatVersion)),                  // 5 Formatversion
            number(stamp),                                  // 6 Erzeugt am (JJJJMMTTHHMMSSFFF)
            [],                                             // 7 Importiert (filled by DATEV)
            text(origin),                                   // 8 Herkunft
            text(""),                                       // 9 Exportiert von
            text(""),                                       // 10 Importiert von
            number(String(settings.consultantNumber)),      // 11 Beraternummer
            number(String(settings.clientNumber)),          // 12 Mandantennummer
            number(compact(settings.fiscalYearStart(containing: from))), // 13 WJ-Beginn
            number(String(settings.accountLength)),         // 14 Sachkontenlänge
            number(compact(from)),                          // 15 Datum vom
            number(compact(to)),                            // 16 Datum bis
            text(description, maxLength: descriptionMaxLength), // 17 Bezeichnung
            text(""),                                       // 18 Diktatkürzel
            number("1"),                                    // 19 Buchungstyp: 1 = Finanzbuchführung
            number("0"),                                    // 20 Rechnungslegungszweck: 0 = unabhängig
            number("0"),                                    // 21 Festschreibung: 0 = the advisor commits the batch
            text(currency),                                 // 22 WKZ
            [],                                             // 23 reserviert
            text(""),                                       // 24 Derivatskennzeichen
            [],                                             // 25 reserviert
            [],                                             // 26 reserviert
            text(""),                                       // 27 Sachkontenrahmen (the client's, known to DATEV)
            [],                                             // 28 ID der Branchenlösung
            [],                                             // 29 reserviert
            text(""),                                       // 30 reserviert
            text(""),                                       // 31 Anwendungsinformation
        ]
        assert(fields.count == headerFieldCount)
        return fields
    }

    static func line(_ booking: DatevBooking) -> [[UInt8]] {
        // A negative amount is the opposite booking of its magnitude: DATEV takes positive amounts only.
        let negative = booking.amount.value < 0
        let debit = negative ? !booking.debit : booking.debit
        let date = booking.documentDate
        var fields = [[UInt8]](repeating: [], count: columns.count)
        fields[0] = number(amount(booking.amount.value.magnitude))        // Umsatz (ohne Soll/Haben-Kz)
        fields[1] = text(debit ? "S" : "H")                               // Soll/Haben-Kennzeichen
        fields[2] = text(currency)                                        // WKZ Umsatz
        fields[6] = number(digits(booking.account))                       // Konto
        fields[7] = number(digits(booking.contraAccount))                 // Gegenkonto (ohne BU-Schlüssel)
        fields[9] = number(Day.pad(date.day, 2) + Day.pad(date.month, 2)) // Belegdatum (TTMM)
        fields[10] = text(documentNumber(booking.documentNumber), maxLength: documentNumberMaxLength) // Belegfeld 1
        fields[13] = text(booking.bookingText, maxLength: bookingTextMaxLength) // Buchungstext
        return fields
    }

    static func appendLine(_ fields: [[UInt8]], to file: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { file.append(0x3B) }  // ;
            file += field
        }
        file += [0x0D, 0x0A]
    }

    // MARK: Fields

    /// `123450` → `1234,50`: no sign, no thousands separator, two decimals.
    static func amount(_ cents: UInt64) -> String {
        let fraction = String(cents % 100)
        return "\(cents / 100)," + (fraction.count == 1 ? "0" + fraction : fraction)
    }

    static func compact(_ day: Day) -> String {
        Day.pad(day.year, 4) + Day.pad(day.month, 2) + Day.pad(day.day, 2)
    }

    static func number(_ value: String) -> [UInt8] { Array(value.utf8) }

    static func digits(_ value: String) -> String {
        String(value.filter { $0.isASCII && $0.isNumber })
    }

    /// Belegfeld 1 takes letters, digits and `$ % - /` only (it is DATEV's key for matching open items);
    /// anything else is left out.
    static func documentNumber(_ value: String) -> String {
        String(value.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "$%-/".contains($0)) })
    }

    /// A text field: trimmed, control characters and line breaks as spaces, encoded, cut to `maxLength`
    /// characters, in double quotes with inner quotes doubled.
    static func text(_ value: String, maxLength: Int = .max) -> [UInt8] {
        var content: [UInt8] = []
        for character in value.trimmed {
            let breaksLine = character.unicodeScalars.contains { scalar -> Bool in
                switch scalar.properties.generalCategory {
                case .control, .lineSeparator, .paragraphSeparator: return true
                default: return false
                }
            }
            if breaksLine { content.append(0x20) } else { Windows1252.append(character, to: &content) }
        }
        if content.count > maxLength {
            content.removeSubrange(maxLength...)
            while content.last == 0x20 { content.removeLast() }
        }
        var field: [UInt8] = [0x22]
        for byte in content {
            field.append(byte)
            if byte == 0x22 { field.append(0x22) }
        }
        field.append(0x22)
        return field
    }
}

/// Windows-1252, the "ANSI" code page DATEV reads. Characters it lacks get a plain ASCII stand-in
/// (`ı` → `i`, `ğ` → `g`, `ş` → `s`, `ł` → `l`), `?` when there is none, so no name breaks a file.
public enum Windows1252 {
    /// What the bytes 0x80…0x9F stand for (0 where the code page leaves the byte undefined).
    static let upperControlBlock: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    static let upperControlBytes: [UInt32: UInt8] = {
        var bytes: [UInt32: UInt8] = [:]
        for (offset, value) in upperControlBlock.enumerated() where value != 0 {
            bytes[value] = 0x80 + UInt8(offset)
        }
        return bytes
    }()

    /// Every non-ASCII character the code page has, for characters written decomposed (`O` + U+0308 = `Ö`).
    static let precomposed: [(character: Character, byte: UInt8)] = {
        var list: [(character: Character, byte: UInt8)] = []
        for (offset, value) in upperControlBlock.enumerated() where value != 0 {
            list.append((Character(Unicode.Scalar(value)!), 0x80 + UInt8(offset)))
        }
        for value in UInt8(0xA0)...UInt8(0xFF) {
            list.append((Character(Unicode.Scalar(value)), value))
        }
        return list
    }()

    /// ASCII stand-ins for Latin Extended-A (U+0100…U+017F), one per code point.
    static let latinExtendedA = Array("AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs")

    /// Stand-ins for further characters that occur in names and pasted text.
    static let standIns: [UInt32: String] = {
        var map: [UInt32: String] = [
            0x0218: "S", 0x0219: "s", 0x021A: "T", 0x021B: "t",  // Romanian comma below
            0x01CD: "A", 0x01CE: "a", 0x01CF: "I", 0x01D0: "i", 0x01D1: "O", 0x01D2: "o", 0x01D3: "U", 0x01D4: "u",
            0x1E9E: "SS",                                          // capital sharp s
            0x201B: "'", 0x2032: "'", 0x02B9: "'", 0x02BC: "'",
            0x201F: "\"", 0x2033: "\"", 0x02BA: "\"",
            0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2015: "-", 0x2043: "-", 0x2212: "-",
            0x2044: "/", 0x2215: "/", 0x2024: ".",
            0x202F: " ", 0x205F: " ", 0x3000: " ",
            0x200B: "", 0x200C: "", 0x200D: "", 0x2060: "", 0xFEFF: "",
        ]
        for space in UInt32(0x2000)...UInt32(0x200A) { map[space] = " " }
        return map
    }()

    /// The byte for `scalar`, or nil when the code page has none.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 0x80 || (0xA0...0xFF).contains(value) { return UInt8(value) }
        return upperControlBytes[value]
    }

    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for character in text { append(character, to: &bytes) }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte < 0x80 || byte >= 0xA0 {
                scalars.append(Unicode.Scalar(byte))
            } else {
                let value = upperControlBlock[Int(byte - 0x80)]
                scalars.append(value == 0 ? "\u{FFFD}" : Unicode.Scalar(value)!)
            }
        }
        return String(scalars)
    }

    static func append(_ character: Character, to bytes: inout [UInt8]) {
        let scalars = character.unicodeScalars
        if scalars.count > 1 {
            if character == "\r\n" {
                bytes += [0x0D, 0x0A]
                return
            }
            // Character equality is canonical equivalence: "O" + U+0308 matches "Ö".
            if let match = precomposed.first(where: { $0.character == character }) {
                bytes.append(match.byte)
                return
            }
        }
        // One scalar, or a base with marks the code page cannot compose: the base stands for the whole.
        guard let first = scalars.first else { return }
        if let byte = byte(for: first) {
            bytes.append(byte)
        } else {
            bytes += Array(standIn(for: first).utf8)
        }
    }

    /// An ASCII stand-in for a character the code page lacks.
    static func standIn(for scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        if (0x100...0x17F).contains(value) { return String(latinExtendedA[Int(value - 0x100)]) }
        if let text = standIns[value] { return text }
        if let letter = baseLetter(scalar) { return letter }
        return "?"
    }

    /// The base letter by the character's Unicode name: "LATIN SMALL LETTER A WITH DOT BELOW" → `a`.
    static func baseLetter(_ scalar: Unicode.Scalar) -> String? {
        guard let name = scalar.properties.name else { return nil }
        let forms: [(prefix: String, small: Bool, maxLetters: Int)] = [
            ("LATIN SMALL LETTER ", true, 1), ("LATIN CAPITAL LETTER ", false, 1),
            ("LATIN SMALL LIGATURE ", true, 3), ("LATIN CAPITAL LIGATURE ", false, 3),
        ]
        for form in forms where name.hasPrefix(form.prefix) {
            var rest = name.dropFirst(form.prefix.count)
            if rest.hasPrefix("DOTLESS ") { rest = rest.dropFirst("DOTLESS ".count) }
            let word = rest.prefix { $0 != " " }
            guard (1...form.maxLetters).contains(word.count), word.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                return nil
            }
            return form.small ? word.lowercased() : String(word)
        }
        return nil
    }
}
