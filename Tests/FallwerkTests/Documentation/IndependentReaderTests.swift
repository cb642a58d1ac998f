@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor

extension AllTests {
    /// What Fallwerk writes, read back by independent software (python-docx, icalendar), so that "it
    /// opens in Word / the calendar" is checked by someone else's parser, not ours. Runs where
    /// FALLWERK_DOC_PYTHON names a Python with both (`bash scripts/doc-tools.sh`; CI sets it).
    @Suite("Independent readers", .enabled(if: ProcessInfo.processInfo.environment["FALLWERK_DOC_PYTHON"] != nil))
    struct IndependentReaders {
        /// Runs a Python snippet on a file; returns what it printed, and fails the test on a non-zero exit.
        static func python(_ script: String, file data: Data, suffix: String) throws -> String {
            let python = ProcessInfo.processInfo.environment["FALLWERK_DOC_PYTHON"] ?? "python3"
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("fallwerk-\(UUID().uuidString).\(suffix)")
            try data.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", script, file.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
            return text
        }

        @Test("R19 a report's DOCX opens in python-docx with the case's goals and hours")
        func docx() async throws {
            try await TestApp.run { t in
                // given
                let (s, id) = try await ReportAPI.draft(t)
                // when
                let response = try await t.send(.GET, "/api/v1/reports/\(id)/docx", token: s.world.fina.token)
                #expect(response.status == .ok)
                let text = try Self.python("""
                    import sys, docx
                    document = docx.Document(sys.argv[1])
                    for p in document.paragraphs: print(p.style.name, '|', p.text)
                    """, file: Data(response.body.readableBytesView), suffix: "docx")
                // then
                #expect(text.contains("Regelmäßiger Schulbesuch"))
                #expect(text.contains("bewilligt: 17,33 Fachleistungsstunden; geleistet: 1,5 Fachleistungsstunden"))
                #expect(text.contains("Heading"))
            }
        }

        @Test("R3 R5 the calendar feed parses with icalendar and holds the case's deadlines as all-day events")
        func calendar() async throws {
            try await TestApp.run { t in
                // given
                let world = try await CaseWorld.make(t)
                let fina = try await CarePlanCycle.login(t, "fina")
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/care-plan-meetings", token: fina,
                                       ["date": "2026-10-01", "kind": "initial", "state": "held"])
                let url = try #require(try await t.send(.POST, "/api/v1/me/calendar-feed", token: fina).json()["url"] as? String)
                let range = try #require(url.range(of: "/kalender/"))
                // when
                let feed = try await t.send(.GET, String(url[range.lowerBound...]))
                let text = try Self.python("""
                    import sys, icalendar
                    calendar = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
                    assert calendar['VERSION'] == '2.0'
                    for event in calendar.walk('VEVENT'):
                        print(event['DTSTART'].dt.isoformat(), '|', str(event['SUMMARY']), '|', str(event['UID']))
                    """, file: Data(feed.body.readableBytesView), suffix: "ics")
                // then
                #expect(text.contains("2026-11-26 |"))   // specification due (R5)
                #expect(text.contains("2027-04-01 |"))   // first review (R3)
                #expect(text.contains("L. S. · 51.2-2026-0001"))
            }
        }

        @Test("R21 the Meldebogen DOCX opens in python-docx with the file number and the risk assessment")
        func meldebogen() async throws {
            try await TestApp.run { t in
                // given: a procedure with weighty indications, as in ChildProtectionAPITests
                let s = try await ChildProtectionAPITests.World.make(t)
                _ = try await s.step(["kind": "consultation", "date": "2026-11-21", "participants": "Team Nord", "note": "Beraten"])
                #expect(try await s.step(s.assessment).status == .created)
                // when
                let response = try await t.send(.GET, "/api/v1/child-protection/\(s.procedureID)/meldebogen.docx", token: s.w.fina.token)
                #expect(response.status == .ok)
                let text = try Self.python("""
                    import sys, docx
                    document = docx.Document(sys.argv[1])
                    for p in document.paragraphs: print(p.style.name, '|', p.text)
                    """, file: Data(response.body.readableBytesView), suffix: "docx")
                // then
                #expect(text.contains("Aktenzeichen: 51.2-2026-0815"))
                #expect(text.contains("Schutz vor Gewalt: unzureichend"))
                #expect(text.contains("Gesamteinschätzung: hoch: gewichtige Anhaltspunkte"))
                #expect(text.contains("Dr. Karin Vogt (Kinderschutzzentrum)"))
                #expect(text.contains("Heading"))
            }
        }

        @Test("R30 the Leistungsbericht DOCX opens in python-docx with its figures in tables and its texts")
        func performanceReport() async throws {
            try await TestApp.run { t in
                let d = try await StatisticsTests.make(t)
                let id = try await t.create("/api/v1/performance-reports", token: d.w.management, ["from": "2024-11-01", "to": "2026-10-31"])
                _ = try await t.send(.PUT, "/api/v1/performance-reports/\(id)/sections/quality", token: d.w.management,
                                     json: ["text": "Beschwerden werden „zeitnah“ bearbeitet & ausgewertet."])
                let response = try await t.send(.GET, "/api/v1/performance-reports/\(id)/docx", token: d.w.management)
                let text = try Self.python("""
                    import sys, docx
                    document = docx.Document(sys.argv[1])
                    for p in document.paragraphs: print(p.style.name, '|', p.text)
                    for table in document.tables:
                        for row in table.rows: print('ROW', ' | '.join(cell.text for cell in row.cells))
                    """, file: Data(response.body.readableBytesView), suffix: "docx")
                #expect(text.contains("Title | Leistungsbericht"))
                #expect(text.contains("ROW Kennzahl | Wert"))
                #expect(text.contains("ROW beendet | 3"))
                #expect(text.contains("ROW Median | 150,5") || text.contains("Median"))
                #expect(text.contains("Beschwerden werden „zeitnah“ bearbeitet & ausgewertet."))
                #expect(text.contains("Heading 1 | Qualitätsentwicklung") || text.contains("Qualitätsentwicklung"))
            }
        }

        @Test("DATEV the Buchungsstapel parses with Python's csv module in cp1252, CRLF, sums equal to the month's invoices")
        func datev() async throws {
            try await TestApp.run { t in
                let d = try await StatisticsTests.make(t)
                _ = try await t.send(.PUT, "/api/v1/datev-settings", token: d.w.management, json: [
                    "consultantNumber": 29098, "clientNumber": 55003, "debtorAccounts": [["youthOfficeId": d.w.officeID, "account": "10001"]]])
                let response = try await t.send(.GET, "/api/v1/invoices.datev?month=2026-11", token: d.w.management)
                #expect(response.status == .ok)
                let reader = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent("scripts/datev_reader.py").path
                let output = try Self.python("import runpy, sys; sys.argv = [sys.argv[0], sys.argv[1]]; runpy.run_path('\(reader)', run_name='__main__')",
                                             file: Data(response.body.readableBytesView), suffix: "csv")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
                let invoices = try await t.send(.GET, "/api/v1/invoices?month=2026-02", token: d.w.management).jsonArray()
                let total = invoices.compactMap { Cents(decimal: $0["total"] as? String ?? "")?.value }.reduce(0, +)
                #expect(json["bookings"] as? Int == invoices.count)
                #expect((json["sumCents"] as? Int).map(Int64.init) == total)
                #expect(json["lineEndings"] as? String == "CRLF")
                #expect((json["header"] as? [String])?.first == "EXTF")
                #expect((json["columns"] as? [String])?.first == "Umsatz (ohne Soll/Haben-Kz)")
            }
        }
    }
}
