@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

/// R22 (§47 incidents) and R23 (complaints): domain rules and the API, pages and roles.
extension AllTests {
    @Suite("Incidents R22 and complaints R23")
    struct SafeguardingTests {
        typealias F = DomainFixtures

        static let now = DayTime(day: F.day("2026-12-05"), time: TimeOfDay(minuteOfDay: 12 * 60)!)

        static func incident(occurred: DayTime = DayTime(day: F.day("2026-12-04"), time: TimeOfDay(minuteOfDay: 13 * 60)!),
                             steps: [SafeguardingStep] = []) -> Incident {
            Incident(id: "i1", occurred: occurred, category: .missing, description: "vermisst", personsInvolved: "Luis", caseID: nil,
                     recordedBy: "Mara", steps: steps)
        }

        static func step(_ kind: String, _ sequence: Int) -> SafeguardingStep {
            SafeguardingStep(id: "s\(sequence)", kind: kind, date: F.day("2026-12-04"), note: "n", recordedBy: "Mara", sequence: sequence)
        }

        // MARK: Domain

        @Test("R22 an incident not reported externally within the setting's hours is overdue; a report ends it")
        func incidentOverdue() {
            let settings = SafeguardingSettings.defaults
            #expect(settings.incidentReportHours == 24)
            #expect(!Self.incident().externalReportOverdue(now: Self.now, settings: settings), "23 hours")
            let late = Self.incident(occurred: DayTime(day: F.day("2026-12-04"), time: TimeOfDay(minuteOfDay: 12 * 60)!))
            #expect(late.externalReportOverdue(now: Self.now, settings: settings), "exactly 24 hours")
            var shorter = settings
            shorter.incidentReportHours = 12
            #expect(Self.incident().externalReportOverdue(now: Self.now, settings: shorter))
            // A year typed as 12 is far in the past, not a crash (schemathesis found it).
            let ancient = Self.incident(occurred: DayTime(day: F.day("0012-06-05"), time: TimeOfDay(minuteOfDay: 23 * 60 + 30)!))
            #expect(ancient.externalReportOverdue(now: Self.now, settings: settings))
            #expect(ancient.occurred.adding(hours: 1).time.minuteOfDay == 30)
            let reported = Self.incident(occurred: late.occurred, steps: [Self.step("externalReport", 1)])
            #expect(!reported.externalReportOverdue(now: Self.now, settings: settings))
        }

        @Test("R22 reports name whom and how; closing needs the internal and external report, those affected informed and a review")
        func incidentSteps() {
            let open = Self.incident()
            var v = Validator()
            #expect(open.step(SafeguardingStepInput(kind: "externalReport", date: "2026-12-05"), into: &v, today: Self.now.day, id: "x",
                              recordedBy: "M") == nil)
            #expect(v.errors.map(\.field).sorted() == ["recipient", "way"])
            var close = Validator()
            #expect(open.step(SafeguardingStepInput(kind: "closed", date: "2026-12-05", note: "ok"), into: &close, today: Self.now.day, id: "x",
                              recordedBy: "M") == nil)
            #expect(close.errors.first?.message.contains("Externe Meldung") == true)
            let done = Self.incident(steps: ["internalReport", "externalReport", "affectedInformed", "review"].enumerated().map { Self.step($1, $0 + 1) })
            #expect(done.refusal(for: .closed) == nil)
            var early = Validator()
            #expect(open.step(SafeguardingStepInput(kind: "documentation", date: "2026-12-03", note: "x"), into: &early, today: Self.now.day,
                              id: "x", recordedBy: "M") == nil)
            #expect(early.errors.contains { $0.field == "date" })
        }

        @Test("R23 a complaint needs the ombudsperson offered; acknowledged, handled, resolved in order; overdue unacknowledged")
        func complaintRules() throws {
            var v = Validator()
            let input = ComplaintInput(receivedOn: "2026-12-01", source: "youngPerson", channel: "complaintBox", category: "participation",
                                       about: "Keiner hört mir zu", ombudspersonOffered: false)
            #expect(input.validated(into: &v, id: "c1", caseID: nil, recordedBy: "M", today: Self.now.day) == nil)
            #expect(v.errors.map(\.field) == ["ombudspersonOffered"])
            var offered = input
            offered.ombudspersonOffered = true
            var ok = Validator()
            let complaint = try #require(offered.validated(into: &ok, id: "c1", caseID: nil, recordedBy: "M", today: Self.now.day))
            let settings = SafeguardingSettings.defaults
            #expect(complaint.acknowledgementOverdue(today: F.day("2026-12-05"), settings: settings), "4 days > 3")
            #expect(!complaint.acknowledgementOverdue(today: F.day("2026-12-04"), settings: settings))
            #expect(complaint.refusal(for: .handled) != nil && complaint.refusal(for: .resolved) != nil)
            var acknowledged = complaint
            acknowledged.steps = [SafeguardingStep(id: "a", kind: "acknowledged", date: F.day("2026-12-02"), note: "", recordedBy: "M", sequence: 1)]
            #expect(!acknowledged.acknowledgementOverdue(today: F.day("2026-12-05"), settings: settings))
            #expect(acknowledged.nextKinds == [.handled])
            var resolve = Validator()
            #expect(acknowledged.step(SafeguardingStepInput(kind: "resolved", date: "2026-12-04", note: "gut"), into: &resolve, today: Self.now.day,
                                      id: "r", recordedBy: "M") == nil)
            #expect(resolve.errors.first?.field == "kind")
        }

        @Test("R23 complaints are counted per period, category and source")
        func counts() {
            func complaint(_ day: String, _ category: ComplaintCategory, _ source: ComplaintSource, resolved: Bool = false) -> Complaint {
                Complaint(id: day + category.rawValue, receivedOn: F.day(day), source: source, channel: .phone, category: category, about: "x",
                          caseID: nil, ombudspersonOffered: true, recordedBy: "M",
                          steps: resolved ? [SafeguardingStep(id: "r", kind: "resolved", date: F.day(day), note: "ok", recordedBy: "M", sequence: 3)] : [])
            }
            let all = [complaint("2025-12-31", .other, .staff), complaint("2026-01-01", .participation, .youngPerson, resolved: true),
                       complaint("2026-06-01", .participation, .guardian), complaint("2026-12-31", .dataProtection, .guardian)]
            let counts = ComplaintCounts(all, from: F.day("2026-01-01"), to: F.day("2026-12-31"))
            #expect(counts.total == 3 && counts.resolved == 1)
            #expect(counts.byCategory == [.participation: 2, .dataProtection: 1])
            #expect(counts.bySource == [.youngPerson: 1, .guardian: 2])
        }

        // MARK: API and pages

        @Test("R22 R23 anyone who works on cases reports; management reads and follows up; accounting and admin neither", arguments: Role.allCases)
        func roles(role: Role) async throws {
            try await TestApp.run { t in
                let token = try await t.token(role)
                let management = try await t.token(.management)
                let incident = try await t.send(.POST, "/api/v1/incidents", token: token,
                                                json: ["occurredOn": "2026-11-21", "occurredAt": "14:30", "category": "accident",
                                                       "description": "Sturz", "personsInvolved": "Jonas"])
                let complaint = try await t.send(.POST, "/api/v1/complaints", token: token,
                                                 json: ["receivedOn": "2026-11-21", "source": "guardian", "channel": "phone", "category": "other",
                                                        "about": "Termine", "ombudspersonOffered": true])
                let reports = [Role.caseworker, .teamLead, .management].contains(role)
                #expect(incident.status == (reports ? .created : .forbidden), "\(role) incident")
                #expect(complaint.status == (reports ? .created : .forbidden), "\(role) complaint")
                for path in ["/api/v1/incidents", "/api/v1/complaints", "/api/v1/complaints/statistics"] {
                    #expect(try await t.send(.GET, path, token: token).status == (role == .management ? .ok : .forbidden), "\(role) \(path)")
                }
                #expect(try await t.send(.PUT, "/api/v1/safeguarding-settings", token: token,
                                         json: ["incidentRecipients": ["Landesjugendamt"], "incidentReportHours": 12, "complaintAcknowledgeDays": 2,
                                                "ombudsperson": "Ombudschaft NRW, Tel. 0000"]).status == (role == .management ? .noContent : .forbidden))
                if reports, let id = try incident.json()["id"] as? String {
                    let step = ["kind": "internalReport", "date": "2026-11-21", "recipient": "Geschäftsleitung", "way": "Telefon"]
                    #expect(try await t.send(.POST, "/api/v1/incidents/\(id)/reports", token: token, json: step).status
                            == (role == .management ? .created : .forbidden))
                    #expect(try await t.send(.GET, "/api/v1/incidents/\(id)", token: management).status == .ok)
                }
                let browser = WebSession(t)
                let name = try await t.send(.GET, "/api/v1/me", token: token).json()["username"] as? String ?? ""
                try await browser.login(name)
                #expect(try await browser.get("/melden").status == (reports ? .ok : .forbidden), "\(role) /melden")
            }
        }

        @Test("R22 an incident walks through its reports to closure; overdue while not reported externally; steps are append-only")
        func incidentWalk() async throws {
            try await TestApp.run { t in
                let management = try await t.token(.management)
                let caseworker = try await t.token(.caseworker)
                // The test clock is 2026-11-22; the incident the day before at 09:00 is more than 24 hours ago.
                let id = try await t.create("/api/v1/incidents", token: caseworker,
                                            ["occurredOn": "2026-11-21", "occurredAt": "09:00", "category": "missing",
                                             "description": "Nicht nach Hause gekommen", "personsInvolved": "Luis"])
                #expect(try await t.send(.GET, "/api/v1/incidents/\(id)", token: management).json()["externalReportOverdue"] as? Bool == true)
                _ = try await t.token(.management, username: "lea")
                let lead = WebSession(t)
                try await lead.login("lea")
                #expect(try await lead.get("/").body.string.contains("1 besondere(s) Vorkommnis(se) ohne fristgerechte externe Meldung"))
                let steps: [[String: Any]] = [
                    ["kind": "internalReport", "date": "2026-11-21", "recipient": "Geschäftsleitung", "way": "Telefon"],
                    ["kind": "externalReport", "date": "2026-11-22", "recipient": "Landesjugendamt", "way": "E-Mail"],
                    ["kind": "affectedInformed", "date": "2026-11-22", "note": "Eltern informiert"],
                    ["kind": "review", "date": "2026-11-22", "note": "Abholregel vereinbart"],
                    ["kind": "closed", "date": "2026-11-22", "note": "Luis ist wohlbehalten zurück"],
                ]
                for step in steps {
                    let response = try await t.send(.POST, "/api/v1/incidents/\(id)/reports", token: management, json: step)
                    #expect(response.status == .created, "\(step["kind"] ?? ""): \(response.body.string)")
                }
                let done = try await t.send(.GET, "/api/v1/incidents/\(id)", token: management).json()
                #expect(done["externalReportOverdue"] as? Bool == false)
                #expect(done["status"] as? String == "closed")
                #expect(!(try await lead.get("/").body.string.contains("ohne fristgerechte externe Meldung")))
                let sql = try #require(t.db as? any SQLDatabase)
                await #expect(throws: (any Error).self) { try await sql.raw("UPDATE safeguarding_steps SET note = 'x'").run() }
                await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM safeguarding_steps").run() }
                let late = try await t.send(.POST, "/api/v1/incidents/\(id)/reports", token: management,
                                            json: ["kind": "documentation", "date": "2026-11-22", "note": "nachgetragen"])
                #expect(late.status == .unprocessableEntity)
                #expect(late.body.string.contains("abgeschlossen"))
            }
        }

        @Test("R23 the complaint form shows the ombudsperson, keeps what was typed when refused, and management sees it")
        func complaintPage() async throws {
            try await TestApp.run { t in
                _ = try await t.token(.caseworker, username: "mara")
                let browser = WebSession(t, live: true)
                try await browser.login("mara")
                let page = try await browser.get("/melden")
                #expect(page.body.string.contains("Ombudschaft Jugendhilfe NRW"))
                // 3,000 characters and more, streamed as a browser posts them.
                let typed = "Er sagte: \"Keiner hört zu\" <wirklich> & 'nie' " + String(repeating: "Ärger über Öl und Übermut ", count: 115) + "Ende."
                let refused = try await browser.post("/beschwerden", [("receivedOn", "2026-11-21"), ("source", "youngPerson"), ("channel", "inPerson"),
                                                                     ("category", "participation"), ("about", typed)])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Beschwerdestelle nennen"))
                #expect(typed.count > 3_000)
                #expect(refused.body.string.contains(HTMLEscape.text(typed)))
                let saved = try await browser.post("/beschwerden", [("receivedOn", "2026-11-21"), ("source", "youngPerson"), ("channel", "inPerson"),
                                                                   ("category", "participation"), ("about", typed), ("ombudspersonOffered", "ja")])
                #expect(saved.status == .seeOther)
                let stored = try await ComplaintModel.query(on: t.db).all()
                #expect(stored.map(\.about) == [typed])
                _ = try await t.token(.management, username: "lea")
                let lead = WebSession(t)
                try await lead.login("lea")
                let overview = try await lead.get("/kinderschutz")
                #expect(overview.status == .ok)
                #expect(overview.body.string.contains("Beteiligung und Mitsprache"))
            }
        }
    }
}

extension AllTests {
    /// R21–R23: every page route of child protection, incidents and complaints × every role. The case's
    /// own routes by relation to the case are in `ChildProtectionAPITests.needToKnow`.
    @Suite("Child protection pages × roles")
    struct ChildProtectionPageMatrix {
        @Test("R21 R22 R23 management pages answer management only; Melden answers those who work on cases", arguments: Role.allCases)
        func pages(role: Role) async throws {
            try await TestApp.run { t in
                let management = try await t.token(.management)
                let reporter = try await t.token(.caseworker)
                let incident = try await t.create("/api/v1/incidents", token: reporter,
                                                  ["occurredOn": "2026-11-21", "occurredAt": "10:00", "category": "other", "description": "x",
                                                   "personsInvolved": "y"])
                let complaint = try await t.create("/api/v1/complaints", token: reporter,
                                                   ["receivedOn": "2026-11-21", "source": "other", "channel": "letter", "category": "other",
                                                    "about": "z", "ombudspersonOffered": true])
                _ = management
                _ = try await t.token(role, username: "probe")
                let browser = WebSession(t)
                try await browser.login("probe")
                let managementOnly = role == .management
                let reports = [Role.caseworker, .teamLead, .management].contains(role)
                let gets: [(String, Bool)] = [
                    ("/kinderschutz", managementOnly), ("/kinderschutz/isef", managementOnly), ("/kinderschutz/einstellungen", managementOnly),
                    ("/vorkommnisse/\(incident)", managementOnly), ("/beschwerden/\(complaint)", managementOnly), ("/melden", reports),
                ]
                for (path, allowed) in gets {
                    let page = try await browser.get(path)
                    #expect(page.status == (allowed ? .ok : .forbidden), "\(role) GET \(path): \(page.status)")
                }
                _ = try await browser.get("/")
                let posts: [(String, [(String, String)], Bool)] = [
                    ("/kinderschutz/isef", [("name", "Extern")], managementOnly),
                    ("/kinderschutz/einstellungen", [("incidentReportHours", "24"), ("complaintAcknowledgeDays", "3"), ("ombudsperson", "Ombudschaft")],
                     managementOnly),
                    ("/vorkommnisse/\(incident)/schritte", [("kind", "documentation"), ("date", "2026-11-21"), ("note", "n")], managementOnly),
                    ("/beschwerden/\(complaint)/schritte", [("kind", "acknowledged"), ("date", "2026-11-21")], managementOnly),
                    ("/vorkommnisse", [("occurredOn", "2026-11-21"), ("occurredAt", "10:00"), ("category", "other"), ("description", "x"),
                                       ("personsInvolved", "y")], reports),
                    ("/beschwerden", [("receivedOn", "2026-11-21"), ("source", "other"), ("channel", "letter"), ("category", "other"),
                                      ("about", "z"), ("ombudspersonOffered", "ja")], reports),
                ]
                for (path, fields, allowed) in posts {
                    let response = try await browser.post(path, fields)
                    if allowed {
                        #expect(response.status == .seeOther, "\(role) POST \(path): \(response.status) \(response.body.string.prefix(300))")
                    } else {
                        #expect(response.status == .forbidden, "\(role) POST \(path): \(response.status)")
                    }
                }
                let api: [(HTTPMethod, String, Bool)] = [
                    (.GET, "/api/v1/safeguarding-settings", reports), (.GET, "/api/v1/incidents/\(incident)", managementOnly),
                    (.GET, "/api/v1/complaints/\(complaint)", managementOnly),
                ]
                let token = try await t.send(.POST, "/api/v1/session", json: ["username": "probe", "password": TestApp.password]).json()["token"] as? String
                for (method, path, allowed) in api {
                    let response = try await t.send(method, path, token: token)
                    #expect(response.status == (allowed ? .ok : .forbidden), "\(role) \(method) \(path): \(response.status)")
                }
            }
        }
    }
}
