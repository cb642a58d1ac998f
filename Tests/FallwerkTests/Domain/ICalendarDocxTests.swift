@testable import FallwerkDomain
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The calendar feed (RFC 5545) and the DOCX download (R19) are pure renderers: checked byte by byte.
extension AllTests {
    @Suite("Calendar feed and DOCX")
    struct ICalendarDocxTests {
        typealias F = DomainFixtures

        /// 2027-01-10 08:30:00 UTC, passed in as DTSTAMP.
        static let stamp = Date(timeIntervalSince1970: TimeInterval(F.day("2027-01-10").ordinal * 86_400 + 8 * 3600 + 30 * 60))

        static func deadlines(meetings: [CarePlanMeeting]) -> [Deadline] {
            Deadlines.compute(startDate: F.day("2026-08-31"), meetings: meetings, settings: .defaults, today: F.day("2026-09-01"))
        }

        static func unfold(_ text: String) -> String { text.replacingOccurrences(of: "\r\n ", with: "") }

        // MARK: iCalendar

        @Test("ICS calendar header and an all-day deadline: DTSTART;VALUE=DATE, DTEND the next day, DTSTAMP as passed in")
        func header() throws {
            let review = try #require(Self.deadlines(meetings: [CarePlanMeeting(date: F.day("2026-08-31"), kind: .initial, state: .held)])
                .first { $0.key == "review:1" })
            let ics = ICalendar(name: "Fristen – M. Muster", events: [CalendarEvent(deadline: review, caseLabel: "AZ 51-2026-17", uidScope: "case-7")])
                .render(stamp: Self.stamp)
            let lines = Self.unfold(ics).components(separatedBy: "\r\n")
            #expect(Array(lines.prefix(6)) == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Fallwerk//Fallwerk Fristen//DE",
                                               "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Fristen – M. Muster"])
            #expect(lines.contains("UID:case-7-review:1@fallwerk"))
            #expect(lines.contains("DTSTAMP:20270110T083000Z"))
            #expect(lines.contains("DTSTART;VALUE=DATE:20270228"))
            #expect(lines.contains("DTEND;VALUE=DATE:20270301"))
            #expect(lines.contains("SUMMARY:Frist: Hilfeplanfortschreibung – AZ 51-2026-17"))
            #expect(lines.suffix(2) == ["END:VCALENDAR", ""])
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1 && lines.filter { $0 == "END:VEVENT" }.count == 1)
        }

        @Test("ICS a meeting with a time is a timed event in UTC, across summer time; without a time it is all-day")
        func timedMeeting() {
            let winter = CarePlanMeeting(id: "m1", date: F.day("2027-03-01"), time: TimeOfDay(text: "10:00"), durationMinutes: 90, kind: .review, state: .planned)
            let summer = CarePlanMeeting(id: "m2", date: F.day("2027-07-01"), time: TimeOfDay(text: "10:00"), kind: .review, state: .planned)
            let allDay = CarePlanMeeting(id: "m3", date: F.day("2027-09-01"), kind: .review, state: .planned)
            let ics = ICalendar(name: "x", events: [winter, summer, allDay].map { CalendarEvent(meeting: $0, caseLabel: "AZ 1", uidScope: "c") })
                .render(stamp: Self.stamp)
            #expect(ics.contains("DTSTART:20270301T090000Z\r\nDTEND:20270301T103000Z\r\n"))
            #expect(ics.contains("DTSTART:20270701T080000Z\r\nDTEND:20270701T093000Z\r\n"))
            #expect(ics.contains("DTSTART;VALUE=DATE:20270901\r\nDTEND;VALUE=DATE:20270902\r\n"))
            #expect(ics.contains("UID:c-meeting-m1@fallwerk"))
        }

        @Test("ICS text escaping: backslash, semicolon, comma and line breaks")
        func escaping() {
            #expect(ICalendar.escape(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
            #expect(ICalendar.escape("eins\nzwei\r\ndrei\rvier") == #"eins\nzwei\ndrei\nvier"#)
            #expect(ICalendar.escape("Größe: 5\u{07}") == "Größe: 5")
            let ics = ICalendar(name: "a;b", events: [CalendarEvent(uid: "u", summary: "Bericht, Teil 1; Entwurf", description: "Zeile 1\nZeile 2", day: F.day("2027-01-01"))])
                .render(stamp: Self.stamp)
            #expect(ics.contains("X-WR-CALNAME:a\\;b\r\n"))
            #expect(ics.contains("SUMMARY:Bericht\\, Teil 1\\; Entwurf\r\n"))
            #expect(ics.contains("DESCRIPTION:Zeile 1\\nZeile 2\r\n"))
        }

        @Test("ICS lines end in CRLF and fold at 75 octets without splitting a UTF-8 character")
        func folding() throws {
            let summary = String(repeating: "Überprüfung größerer Fälle ä ö ü ß – ", count: 8)
            let ics = ICalendar(name: "Fristen", events: [CalendarEvent(uid: "u", summary: summary, day: F.day("2027-01-01"))]).render(stamp: Self.stamp)
            let bytes = [UInt8](ics.utf8)
            // every line is CRLF-terminated: no bare LF, no bare CR
            for (index, byte) in bytes.enumerated() where byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D) }
            for (index, byte) in bytes.enumerated() where byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A) }
            var folded = 0
            for line in bytes.split(separator: 0x0A).map({ Array($0.dropLast()) }) {
                #expect(line.count <= 75)
                #expect(String(bytes: line, encoding: .utf8) != nil, "a line ends inside a UTF-8 character")
                if line.first == 0x20 { folded += 1 }
            }
            #expect(folded >= 4)
            #expect(Self.unfold(ics).contains("SUMMARY:\(summary)\r\n"))
            #expect(ICalendar.fold(String(repeating: "a", count: 75)) == String(repeating: "a", count: 75))
            #expect(ICalendar.fold(String(repeating: "a", count: 76)) == String(repeating: "a", count: 75) + "\r\n a")
            #expect(ICalendar.fold(String(repeating: "a", count: 74) + "ä") == String(repeating: "a", count: 74) + "\r\n ä")
        }

        @Test("ICS the UID of a deadline stays the same when its review is moved earlier")
        func stableUID() throws {
            let initial = CarePlanMeeting(date: F.day("2026-08-31"), kind: .initial, state: .held)
            var crisis = initial
            crisis.nextReviewMovedTo = F.day("2026-12-15")
            let before = try #require(Self.deadlines(meetings: [initial]).first { $0.kind == .review })
            let after = try #require(Self.deadlines(meetings: [crisis]).first { $0.kind == .review })
            #expect(before.due != after.due)
            #expect(CalendarEvent(deadline: before, caseLabel: "AZ", uidScope: "c").uid == CalendarEvent(deadline: after, caseLabel: "AZ", uidScope: "c").uid)
        }

        // MARK: ZIP and DOCX

        static let document = DocxDocument(
            title: "Entwicklungsbericht",
            preamble: ["Aktenzeichen: 51 <2026> & \"17\""],
            sections: [DocxSection(heading: "Ziele mit Bewertungsverlauf", paragraphs: ["Ziel: Schulbesuch\n15.01.2027: 3 – teilweise erreicht", "Größe & Gewicht"]),
                       DocxSection(heading: "Unterpunkt", paragraphs: ["Text"], level: 2)])
        static let modified = DosTimestamp(day: F.day("2027-02-05"), time: TimeOfDay(text: "14:30")!)

        @Test("CRC-32 matches the standard check value")
        func crc() {
            #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
            #expect(CRC32.checksum([UInt8]()) == 0)
            #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        }

        @Test("DOCX is a stored ZIP: the parts, local headers, central directory, end record and CRC-32 check out")
        func zipStructure() throws {
            let data = Self.document.data(modified: Self.modified)
            let bytes = [UInt8](data)
            // the end record: 5 entries, the central directory right before it
            let end = bytes.count - 22
            #expect(StoredZip.le32(bytes, end) == 0x0605_4B50)
            #expect(StoredZip.le16(bytes, end + 10) == 5)
            let centralSize = Int(StoredZip.le32(bytes, end + 12)), centralOffset = Int(StoredZip.le32(bytes, end + 16))
            #expect(centralOffset + centralSize == end)
            #expect(StoredZip.le32(bytes, 0) == 0x0403_4B50)
            #expect(StoredZip.le16(bytes, 8) == 0, "stored, no compression")
            #expect(StoredZip.le16(bytes, 10) == Self.modified.time && StoredZip.le16(bytes, 12) == Self.modified.date)
            // read back through the central directory; every CRC is recomputed
            let entries = try StoredZip.read(data)
            #expect(entries.map(\.name) == ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml"])
            for entry in entries {
                let central = try #require(Self.centralCRC(bytes, name: entry.name))
                #expect(central == CRC32.checksum(entry.data), "\(entry.name)")
            }
            // the same input gives the same bytes (no clock inside)
            #expect(Self.document.data(modified: Self.modified) == data)
        }

        /// The CRC stored in the central directory for `name`, found by walking the directory.
        static func centralCRC(_ bytes: [UInt8], name: String) -> UInt32? {
            let end = bytes.count - 22
            var at = Int(StoredZip.le32(bytes, end + 16))
            while at < end, StoredZip.le32(bytes, at) == 0x0201_4B50 {
                let length = Int(StoredZip.le16(bytes, at + 28))
                let entryName = String(decoding: bytes[(at + 46)..<(at + 46 + length)], as: UTF8.self)
                if entryName == name { return StoredZip.le32(bytes, at + 16) }
                at += 46 + length + Int(StoredZip.le16(bytes, at + 30)) + Int(StoredZip.le16(bytes, at + 32))
            }
            return nil
        }

        @Test("ZIP reader refuses a damaged entry (the CRC check is real)")
        func corrupted() throws {
            var bytes = [UInt8](Self.document.data(modified: Self.modified))
            let entries = try StoredZip.read(Data(bytes))
            let offset = try #require(Data(bytes).range(of: Data("Entwicklungsbericht".utf8)))
            bytes[offset.lowerBound] ^= 0x01
            #expect(entries.count == 5)
            #expect(throws: ZipError.crcMismatch(name: "word/document.xml")) { try StoredZip.read(Data(bytes)) }
        }

        @Test("DOCX XML is well-formed, escaped, and uses the Title and Heading styles")
        func documentXML() throws {
            let entries = try StoredZip.read(Self.document.data(modified: Self.modified))
            for entry in entries {
                let parser = XMLParser(data: entry.data)
                #expect(parser.parse(), "\(entry.name) is not well-formed")
            }
            let xml = String(decoding: try #require(entries.first { $0.name == "word/document.xml" }).data, as: UTF8.self)
            #expect(xml.contains("Aktenzeichen: 51 &lt;2026&gt; &amp; &quot;17&quot;"))
            #expect(xml.contains("<w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Entwicklungsbericht</w:t>"))
            #expect(xml.contains("<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Ziele mit Bewertungsverlauf</w:t>"))
            #expect(xml.contains("<w:pStyle w:val=\"Heading2\"/>"))
            #expect(xml.contains("Ziel: Schulbesuch</w:t><w:br/><w:t xml:space=\"preserve\">15.01.2027"))
            let styles = String(decoding: try #require(entries.first { $0.name == "word/styles.xml" }).data, as: UTF8.self)
            for id in ["Title", "Heading1", "Heading2"] { #expect(styles.contains("w:styleId=\"\(id)\"")) }
            #expect(DocxDocument.escape("a\u{01}b<") == "ab&lt;")
        }

        @Test("R19 a report becomes a DOCX with its sections and opens in LibreOffice",
              .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")))
        func libreOffice() throws {
            let report = ReportDraft.generate(ReportDraftInput(
                kind: .progress, periodFrom: F.day("2026-09-01"), periodTo: F.day("2027-02-14"),
                approvedMinutes: Minutes(3120), deliveredMinutes: Minutes(2910),
                goals: [Goal(id: "g", title: "Regelmäßiger Schulbesuch", createdOn: F.day("2026-09-01"),
                             ratings: [GoalRating(attainment: .partly, ratedOn: F.day("2027-01-15"), reason: "Fehltage halbiert")])],
                notes: []))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fallwerk-docx-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("bericht.docx")
            try DocxDocument(report: report, preamble: ["Aktenzeichen: 51-2026-17"]).data(modified: Self.modified).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
            process.arguments = ["-env:UserInstallation=file://\(directory.path)/profile", "--headless",
                                 "--convert-to", "txt:Text (encoded):UTF8", "--outdir", directory.path, file.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let text = try String(contentsOf: directory.appendingPathComponent("bericht.txt"), encoding: .utf8)
            #expect(text.contains("Entwicklungsbericht"))
            #expect(text.contains("Ziele mit Bewertungsverlauf"))
            #expect(text.contains("Regelmäßiger Schulbesuch"))
            #expect(text.contains("15.01.2027: 3 – teilweise erreicht – Fehltage halbiert"))
            #expect(text.contains("geleistet: 48,5 Fachleistungsstunden"))
        }
    }
}
