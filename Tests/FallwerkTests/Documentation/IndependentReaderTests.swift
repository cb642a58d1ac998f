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
    }
}
