@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// Statistics (R29), the performance report (R30) and the DATEV export on a small data set whose every
/// figure is counted by hand below. Period: 1 January to 30 June 2026.
///
/// | case | office | start | end | in the period |
/// |---|---|---|---|---|
/// | A | Teststadt | 2025-10-01 | – | running at start and end; approval 10 h a month Jan–Jun; entries |
/// | B | Teststadt | 2025-11-01 | 2026-03-31 goals reached | running at start, ended (151 days) |
/// | C | Teststadt | 2026-02-01 | 2026-06-30 lack of cooperation | begun, ended on the last day (150 days) |
/// | D | Nachbarstadt | 2026-05-01 | – | begun, running at end |
/// | E | Teststadt | 2026-07-15 | – | after the period |
/// | F | Teststadt | 2025-01-01 | 2025-12-31 | ended before |
extension AllTests {
    @Suite("Statistics, performance report, DATEV")
    struct StatisticsTests {
        struct Data {
            let w: CaseAPIWorld
            let cases: [String: String]
        }

        static func make(_ t: TestApp) async throws -> Data {
            let w = try await CaseAPIWorld.make(t)
            #expect(try await t.send(.PUT, "/api/v1/provider", token: w.management, json: Fixtures.provider()).status == .noContent)
            // Agreements without the family's signature requirement, so invoices can be issued here.
            for office in [w.officeID, w.otherOfficeID] {
                _ = try await t.create("/api/v1/agreements", token: w.management,
                                       ["youthOfficeId": office, "validFrom": "2025-01-01", "rates": [["offerId": w.offerID, "hourlyRate": "60.00"]],
                                        "settings": ["requireClientSignature": false]])
            }
            var cases: [String: String] = [:]
            for (name, office, start, number) in [("A", w.officeID, "2025-10-01", "0001"), ("B", w.officeID, "2025-11-01", "0002"),
                                                  ("C", w.officeID, "2026-02-01", "0003"), ("D", w.otherOfficeID, "2026-05-01", "0004"),
                                                  ("E", w.officeID, "2026-07-15", "0005"), ("F", w.officeID, "2025-01-01", "0006")] {
                cases[name] = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-\(number)", office: office, startDate: start, firstName: "Kind\(name)"))
            }
            for (name, date, reason) in [("F", "2025-12-31", "goalsReached"), ("B", "2026-03-31", "goalsReached"), ("C", "2026-06-30", "lackOfCooperation")] {
                let ended = try await t.send(.POST, "/api/v1/cases/\(cases[name]!)/end", token: w.management, json: ["date": date, "reason": reason])
                #expect(ended.status == .noContent, "end \(name): \(ended.body.string)")
            }
            let a = cases["A"]!
            _ = try await t.create("/api/v1/cases/\(a)/approvals", token: w.management, ["from": "2026-01-01", "to": "2026-06-30", "hours": "10", "per": "month"])
            func entry(_ date: String, _ minutes: Int, _ kind: String, extra: [String: Any] = [:]) async throws {
                var body: [String: Any] = ["staffId": w.fina.staffID, "date": date, "start": "10:00", "minutes": minutes, "kind": kind]
                body.merge(extra) { $1 }
                _ = try await t.create("/api/v1/cases/\(a)/entries", token: w.management, body)
            }
            try await entry("2026-02-10", 60, "direct")
            try await entry("2026-02-12", 45, "institution")
            try await entry("2026-02-17", 60, "cancelled", extra: ["cancelledBy": "client", "cancelledAt": "2026-02-17T08:00:00+01:00"])
            try await entry("2026-07-10", 90, "direct")
            // Goals: rated 3 then 4 in the period (the latest counts), another only after it.
            func created(_ path: String, _ body: [String: Any]) async throws -> String {
                let response = try await t.send(.POST, path, token: w.management, json: body)
                #expect(response.status == .created, "\(path): \(response.body.string)")
                return try response.json()["id"] as? String ?? ""
            }
            let goal = try await created("/api/v1/cases/\(a)/goals", ["title": "Schulbesuch"])
            // The goals were agreed in January (the API records them today; ratings may not precede them).
            for model in try await GoalModel.query(on: t.db).all() {
                model.createdOn = "2026-01-15"
                try await model.update(on: t.db)
            }
            for (value, day) in [(3, "2026-03-01"), (4, "2026-04-01")] {
                _ = try await created("/api/v1/cases/\(a)/goals/\(goal)/ratings", ["value": value, "ratedOn": day, "reason": "Bewertung"])
            }
            let later = try await created("/api/v1/cases/\(a)/goals", ["title": "Tagesstruktur"])
            if let model = try await GoalModel.find(UUID(uuidString: later), on: t.db) {
                model.createdOn = "2026-07-01"
                try await model.update(on: t.db)
            }
            _ = try await created("/api/v1/cases/\(a)/goals/\(later)/ratings", ["value": 2, "ratedOn": "2026-08-01", "reason": "x"])
            _ = try await created("/api/v1/complaints",
                                   ["receivedOn": "2026-02-02", "source": "guardian", "channel": "phone", "category": "serviceQuality", "about": "Termine",
                                    "ombudspersonOffered": true])
            // February is billed and issued.
            _ = try await t.send(.POST, "/api/v1/billing-runs", token: w.management, json: ["month": "2026-02"])
            for invoice in try await t.send(.GET, "/api/v1/invoices?month=2026-02", token: w.management).jsonArray() {
                let issued = try await t.send(.POST, "/api/v1/invoices/\(invoice["id"] as! String)/issue", token: w.management)
                #expect(issued.status == .ok, "\(issued.body.string)")
            }
            return Data(w: w, cases: cases)
        }

        static func statistics(_ d: Data, _ query: String, token: String? = nil) async throws -> [String: Any] {
            let response = try await d.w.t.send(.GET, "/api/v1/statistics?\(query)", token: token ?? d.w.management)
            #expect(response.status == .ok, "\(response.body.string)")
            return try response.json()
        }

        @Test func R29_casesBegunRunningEndedAndTheirLengthCountedByHand() async throws {
            try await TestApp.run { t in
                let d = try await Self.make(t)
                let s = try await Self.statistics(d, "from=2026-01-01&to=2026-06-30")
                #expect(s["begun"] as? Int == 2)            // C, D
                #expect(s["runningAtStart"] as? Int == 2)   // A, B
                #expect(s["ended"] as? Int == 2)            // B, C (C on the last day)
                #expect(s["runningAtEnd"] as? Int == 2)     // A, D: C ended on the last day
                let reasons = s["endReasons"] as? [String: Int] ?? [:]
                #expect(reasons["goalsReached"] == 1)
                #expect(reasons["lackOfCooperation"] == 1)
                let length = s["lengthDays"] as? [String: Any] ?? [:]
                #expect(length["median"] as? Double == 150.5)
                #expect(length["mean"] as? Double == 150.5)
                #expect(length["count"] as? Int == 2)
                let buckets = (length["distribution"] as? [[String: Any]] ?? []).map { $0["count"] as? Int ?? -1 }
                #expect(buckets == [0, 2, 0, 0, 0])          // 150 and 151 days: 3 to 6 months
                // Hours: 60 direct, 45 institution, 60 cancelled at short notice; July's 90 minutes are outside.
                let kinds = s["byKind"] as? [String: Int] ?? [:]
                #expect(kinds == ["direct": 60, "institution": 45, "cancelled": 60])
                #expect(s["appointments"] as? Int == 2)
                #expect(s["shortNoticeCancellations"] as? Int == 1)
                #expect(s["shortNoticeSharePercent"] as? Double == 50)
                // Goals: the latest rating in the period is 4; the one rated in August is not counted.
                #expect(s["goalAttainment"] as? [String: Int] == ["4": 1])
                #expect(s["complaints"] as? Int == 1)
            }
        }

        @Test func R29_perYouthOfficeApprovedDeliveredAndBilledEqualTheCasePagesAndInvoices() async throws {
            try await TestApp.run { t in
                let d = try await Self.make(t)
                let s = try await Self.statistics(d, "from=2026-01-01&to=2026-06-30")
                let offices = s["byYouthOffice"] as? [[String: Any]] ?? []
                let teststadt = try #require(offices.first { ($0["id"] as? String) == d.w.officeID.lowercased() })
                #expect(teststadt["cases"] as? Int == 3)              // A, B, C ran in the period
                #expect(teststadt["begun"] as? Int == 1)
                #expect(teststadt["ended"] as? Int == 2)
                #expect(teststadt["approvedMinutes"] as? Int == 3_600) // six monthly windows of 10 hours
                // Delivered = the budget minutes of the entries, as the budget on the case page counts them.
                let budgetFeb = try await t.send(.GET, "/api/v1/cases/\(d.cases["A"]!)/budget?date=2026-02-15", token: d.w.management).json()
                #expect(teststadt["deliveredMinutes"] as? Int == budgetFeb["usedMinutes"] as? Int)
                // Billed = the issued invoices of the months in the period.
                let invoices = try await t.send(.GET, "/api/v1/invoices?month=2026-02", token: d.w.management).jsonArray()
                let billed = invoices.compactMap { Cents(decimal: $0["total"] as? String ?? "") }.reduce(Cents(0), +)
                #expect(billed.value > 0)
                #expect(teststadt["billed"] as? String == billed.decimalString)
                #expect(s["billed"] as? String == billed.decimalString)
                let neighbour = try #require(offices.first { ($0["id"] as? String) == d.w.otherOfficeID.lowercased() })
                #expect(neighbour["begun"] as? Int == 1)
                #expect(neighbour["cases"] as? Int == 1)
                // Filtered by youth office: only D.
                let filtered = try await Self.statistics(d, "from=2026-01-01&to=2026-06-30&youthOfficeId=\(d.w.otherOfficeID)")
                #expect(filtered["begun"] as? Int == 1)
                #expect(filtered["runningAtStart"] as? Int == 0)
                #expect(filtered["ended"] as? Int == 0)
                #expect(filtered["complaints"] as? Int == 0)   // the complaint names no case of this office
            }
        }

        @Test func R29_anEmptyPeriodAndBadPeriods() async throws {
            try await TestApp.run { t in
                let d = try await Self.make(t)
                let empty = try await Self.statistics(d, "from=2020-01-01&to=2020-12-31")
                for key in ["begun", "runningAtStart", "ended", "runningAtEnd", "appointments", "complaints"] {
                    #expect(empty[key] as? Int == 0, "\(key)")
                }
                #expect(empty["lengthDays"] == nil)
                #expect(empty["billed"] as? String == "0.00")
                #expect((empty["byYouthOffice"] as? [Any])?.isEmpty == true)
                let reversed = try await t.send(.GET, "/api/v1/statistics?from=2026-06-30&to=2026-01-01", token: d.w.management)
                #expect(reversed.status == .unprocessableEntity)
                #expect(try reversed.problemFields() == ["to"])
                let missing = try await t.send(.GET, "/api/v1/statistics?from=2026-01-01", token: d.w.management)
                #expect(missing.status == .badRequest)
                let badOffice = try await t.send(.GET, "/api/v1/statistics?from=2026-01-01&to=2026-06-30&youthOfficeId=x", token: d.w.management)
                #expect(badOffice.status == .badRequest)
            }
        }

        @Test func R29_invariantRunningAtStartPlusBegunMinusEndedIsRunningAtEnd() async throws {
            try await TestApp.run { t in
                let d = try await Self.make(t)
                for query in ["from=2025-01-01&to=2025-12-31", "from=2026-03-31&to=2026-03-31", "from=2025-06-01&to=2026-11-22",
                              "from=2026-06-30&to=2026-07-15"] {
                    let s = try await Self.statistics(d, query)
                    let start = s["runningAtStart"] as? Int ?? -1, begun = s["begun"] as? Int ?? -1
                    let ended = s["ended"] as? Int ?? -1, end = s["runningAtEnd"] as? Int ?? -1
                    #expect(start + begun - ended == end, "\(query): \(start) + \(begun) − \(ended) ≠ \(end)")
                }
            }
        }

        @Test func R29_teamLeadsSeeTheirTeamAccountingSeesMoneyCaseworkersNothing() async throws {
            try await TestApp.run { t in
                let d = try await Self.make(t)
                let tara = try await d.w.member("tara", [.teamLead], team: d.w.southTeamID, lastName: "Tamm")
                try await d.w.setTeamLead(d.w.southTeamID, name: "Team Süd", staffID: tara.staffID)
                let token = try await d.w.login("tara")
                // All cases are team Nord's (fina leads them): team Süd's statistics are empty.
                let own = try await Self.statistics(d, "from=2026-01-01&to=2026-06-30", token: token)
                #expect(own["begun"] as? Int == 0)
                #expect(own["runningAtStart"] as? Int == 0)
                let other = try await t.send(.GET, "/api/v1/statistics?from=2026-01-01&to=2026-06-30&teamId=\(d.w.northTeamID)", token: token)
                #expect(other.status == .forbidden)
                let accounting = try await t.token(.accounting)
                let money = try await Self.statistics(d, "from=2026-01-01&to=2026-06-30", token: accounting)
                #expect(money["begun"] as? Int == 2)
                #expect(money["endReasons"] == nil)
                #expect(money["goalAttainment"] == nil)
                #expect(money["complaints"] == nil)
                #expect(money["childProtectionProcedures"] == nil)
                let caseworker = try await t.send(.GET, "/api/v1/statistics?from=2026-01-01&to=2026-06-30", token: d.w.fina.token)
                #expect(caseworker.status == .forbidden)
                // The CSV names no person.
                let csv = try await t.send(.GET, "/api/v1/statistics.csv?from=2026-01-01&to=2026-06-30", token: d.w.management).body.string
                #expect(csv.hasPrefix("\u{FEFF}Abschnitt;Kennzahl;Gruppe;Wert\r\n"))
                #expect(csv.contains("Fälle;begonnen;Gesamt;2\r\n"))
                #expect(csv.contains("Hilfedauer (Tage);Median;beendete Hilfen;150,5\r\n"))
                for name in ["KindA", "KindB", "Fink", "Sommer"] { #expect(!csv.contains(name), "\(name)") }
            }
        }

        @Test func R30_aPerformanceReportIsDraftedApprovedSubmittedAndTheTraegergespraechIsDue12WeeksLater() async throws {
            try await TestApp.run { t in
                let d = try await Self.make(t)
                let m = d.w.management
                let tooShort = try await t.send(.POST, "/api/v1/performance-reports", token: m, json: ["from": "2026-01-01", "to": "2026-06-30"])
                #expect(tooShort.status == .unprocessableEntity)
                let future = try await t.send(.POST, "/api/v1/performance-reports", token: m, json: ["from": "2025-01-01", "to": "2026-12-31"])
                #expect(try future.problemFields() == ["to"])
                let id = try await t.create("/api/v1/performance-reports", token: m, ["from": "2024-11-01", "to": "2026-10-31"])
                let draft = try await t.send(.GET, "/api/v1/performance-reports/\(id)", token: m).json()
                #expect(draft["status"] as? String == "draft")
                let figures = draft["figures"] as? [[String: Any]] ?? []
                #expect(figures.contains { $0["figure"] as? String == "beendet" && $0["value"] as? String == "3" })  // F, B, C
                let text = #"Wir bieten "Familienhilfe" & Erziehungsbeistand <ambulant> an; Qualität für Jugendämter."#
                let saved = try await t.send(.PUT, "/api/v1/performance-reports/\(id)/sections/offer", token: m, json: ["text": text])
                #expect(saved.status == .noContent)
                let unknown = try await t.send(.PUT, "/api/v1/performance-reports/\(id)/sections/budget", token: m, json: ["text": "x"])
                #expect(unknown.status == .unprocessableEntity)
                // Submitting before approval is refused; a team lead cannot approve.
                let early = try await t.send(.POST, "/api/v1/performance-reports/\(id)/submit", token: m, json: ["date": "2026-11-20"])
                #expect(try early.problemFields() == ["status"])
                let tara = try await d.w.member("tara", [.teamLead], team: d.w.northTeamID, lastName: "Tamm")
                try await d.w.setTeamLead(d.w.northTeamID, name: "Team Nord", staffID: tara.staffID)
                let lead = try await d.w.login("tara")
                #expect(try await t.send(.POST, "/api/v1/performance-reports/\(id)/approve", token: lead).status == .forbidden)
                #expect(try await t.send(.POST, "/api/v1/performance-reports/\(id)/approve", token: m).status == .noContent)
                let again = try await t.send(.PUT, "/api/v1/performance-reports/\(id)/sections/offer", token: m, json: ["text": "später"])
                #expect(again.status == .forbidden)
                let beforeApproval = try await t.send(.POST, "/api/v1/performance-reports/\(id)/submit", token: m, json: ["date": "2026-11-20"])
                #expect(try beforeApproval.problemFields() == ["date"])   // approved today, so not submitted before
                #expect(try await t.send(.POST, "/api/v1/performance-reports/\(id)/submit", token: m, json: ["date": "2026-11-22"]).status == .noContent)
                let submitted = try await t.send(.GET, "/api/v1/performance-reports/\(id)", token: m).json()
                #expect(submitted["status"] as? String == "submitted")
                #expect(submitted["meetingDue"] as? String == "2027-02-14")   // 22 November + 12 weeks
                #expect((submitted["texts"] as? [String: String])?["offer"] == text)
                let meeting = try await t.send(.POST, "/api/v1/performance-reports/\(id)/meeting", token: m, json: ["date": "2026-11-21"])
                #expect(try meeting.problemFields() == ["date"])
                #expect(try await t.send(.POST, "/api/v1/performance-reports/\(id)/meeting", token: m, json: ["date": "2026-11-22"]).status == .noContent)
                // The DOCX: a zip with the figures as a table and the text.
                let docx = try await t.send(.GET, "/api/v1/performance-reports/\(id)/docx", token: m)
                #expect(docx.status == .ok)
                #expect(docx.headers.first(name: .contentType) == DocxDocument.contentType)
                #expect(docx.body.readableBytes > 1_000)
            }
        }

        @Test func R30_theReportDocumentHoldsTablesAndTheTexts() {
            let report = PerformanceReport(id: "x", from: Day(iso: "2024-11-01")!, to: Day(iso: "2026-10-31")!, teamName: nil, status: .approved,
                                           texts: [.offer: "Erster Absatz.\n\nZweiter & letzter."],
                                           figures: [StatisticsRow(section: "Fälle", figure: "begonnen", group: "Gesamt", value: "2"),
                                                     StatisticsRow(section: "Jugendamt", figure: "begonnen", group: "JA A", value: "1"),
                                                     StatisticsRow(section: "Jugendamt", figure: "begonnen", group: "JA B", value: "1")],
                                           approvedOn: nil, submittedOn: nil, meetingOn: nil)
            let xml = report.document(providerName: "Träger").documentXML
            #expect(xml.contains("<w:tbl>"))
            #expect(xml.components(separatedBy: "<w:tbl>").count == 3)  // one table per section
            #expect(xml.contains("Zweiter &amp; letzter."))
            #expect(xml.contains("JA B"))
            #expect(xml.contains("(noch nicht ausgefüllt)"))
        }

        @Test func R29_helpLengthMedianMeanAndBucketsInTenths() {
            let length = try! #require(HelpLength([10, 91, 400, 800]))
            #expect(length.medianTenths == 2_455)        // (91 + 400) / 2 = 245,5
            #expect(length.meanTenths == 3_253)          // 1301 / 4 = 325,25 → 325,3
            #expect(length.distribution == [1, 1, 0, 1, 1])
            #expect(HelpLength([]) == nil)
            #expect(HelpLength.days(start: Day(iso: "2026-02-01")!, end: Day(iso: "2026-06-30")!) == 150)
        }

        @Test func DATEV_theMonthsInvoicesAsABuchungsstapelWhoseSumsEqualTheInvoices() async throws {
            try await TestApp.run { t in
                let d = try await Self.make(t)
                let m = d.w.management
                // Without settings: a German message, no file.
                // Invoices are booked in the month they are issued: here 22 November 2026.
                let unset = try await t.send(.GET, "/api/v1/invoices.datev?month=2026-11", token: m)
                #expect(unset.status == .unprocessableEntity)
                #expect(try unset.problemFields() == ["settings"])
                let bad = try await t.send(.PUT, "/api/v1/datev-settings", token: m, json: [
                    "consultantNumber": 12, "clientNumber": 1, "debtorAccounts": [["youthOfficeId": d.w.officeID, "account": "999"]]])
                #expect(bad.status == .unprocessableEntity)
                #expect(Set(try bad.problemFields()).contains("consultantNumber"))
                let saved = try await t.send(.PUT, "/api/v1/datev-settings", token: m, json: [
                    "consultantNumber": 29098, "clientNumber": 55003, "fiscalYearStartMonth": 1, "accountLength": 4, "revenueAccount": "8100",
                    "debtorAccounts": [["youthOfficeId": d.w.officeID, "account": "10001"], ["youthOfficeId": d.w.otherOfficeID, "account": "10002"]]])
                #expect(saved.status == .noContent, "\(saved.body.string)")
                // One invoice is cancelled: the file holds the invoice (S) and the cancellation (H).
                let invoices = try await t.send(.GET, "/api/v1/invoices?month=2026-02", token: m).jsonArray()
                let first = try #require(invoices.first?["id"] as? String)
                let cancelled = try await t.send(.POST, "/api/v1/invoices/\(first)/cancel", token: m)
                #expect(cancelled.status == .created, "\(cancelled.body.string)")
                let response = try await t.send(.GET, "/api/v1/invoices.datev?month=2026-11", token: m)
                #expect(response.status == .ok, "\(response.body.string)")
                let bytes = Array(response.body.readableBytesView)
                let text = DatevExport.decodeWindows1252(bytes)
                let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(lines[0].hasPrefix("\"EXTF\";700;21;\"Buchungsstapel\";13;"))
                #expect(lines[0].contains(";29098;55003;20260101;4;20261101;20261130;"))
                let bookings = lines.dropFirst(2).map { $0.components(separatedBy: ";") }
                let all = try await t.send(.GET, "/api/v1/invoices?month=2026-02", token: m).jsonArray().filter { $0["number"] is String }
                #expect(bookings.count == all.count)
                // The signed sum of the bookings equals the sum of the month's numbered invoices (here: zero).
                let signed = bookings.map { fields -> Int64 in
                    let cents = Int64(fields[0].replacingOccurrences(of: ",", with: "")) ?? 0
                    return fields[1] == "\"S\"" ? cents : -cents
                }.reduce(0, +)
                let invoiced = all.compactMap { invoice -> Int64? in
                    let text = invoice["total"] as? String ?? ""
                    return text.hasPrefix("-") ? Cents(decimal: String(text.dropFirst())).map { -$0.value } : Cents(decimal: text)?.value
                }.reduce(0, +)
                #expect(all.count == 2)
                #expect(signed == invoiced)
                #expect(bookings.allSatisfy { $0[6] == "10001" && $0[7] == "8100" })
                #expect(bookings.contains { $0[13].hasPrefix("\"Storno ") && $0[1] == "\"H\"" })
                #expect(bookings.allSatisfy { $0[9] == "2211" })   // Belegdatum TTMM: the day the invoice was issued
                // An accountant without a caseworker role may export; a caseworker may not.
                #expect(try await t.send(.GET, "/api/v1/invoices.datev?month=2026-11", token: try await t.token(.accounting)).status == .ok)
                #expect(try await t.send(.GET, "/api/v1/invoices.datev?month=2026-11", token: d.w.fina.token).status == .forbidden)
            }
        }
    }
}
