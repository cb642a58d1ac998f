@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

extension AllTests {
    /// R31: every read of case data is audited, also lists, start pages, exports and search results. The
    /// test walks every GET route the application registers (pages and API) as management on the demo
    /// provider, fills its path parameters with real ids, and requires for every answer that shows a
    /// case (its file number or the young person's name in the body, or the case named in the path) a
    /// new read entry of that user referring to that case. A new route that reads cases without noting
    /// them fails here.
    @Suite("Read audit coverage")
    struct ReadAuditCoverageTests {
        /// The data the demo provider gives each kind of path parameter.
        struct Pools {
            var cases: [UUID] = []
            var entries: [(UUID, UUID)] = []
            var goals: [(UUID, UUID)] = []
            var byCollection: [String: [String]] = [:]
            let months: [String]
        }

        static func pools(on db: any Database, today: Day) async throws -> Pools {
            var pools = Pools(months: [0, -1, -2].map { Month(containing: today.adding(months: $0)).iso })
            func ids<M: Model>(_ type: M.Type, limit: Int = 3) async throws -> [String] where M.IDValue == UUID {
                try await M.query(on: db).limit(limit).all().compactMap { $0.id?.uuidString.lowercased() }
            }
            let reportCases = try await ReportModel.query(on: db).limit(2).all().map { $0.$case.id }
            let procedureCases = try await ChildProtectionProcedureModel.query(on: db).limit(2).all().map { $0.$case.id }
            let running = try await CaseModel.query(on: db).filter(\.$endDate == nil).limit(3).all().compactMap(\.id)
            let living = try await IndependentLivingModel.query(on: db).limit(1).all().map(\.caseID)
            var seen = Set<UUID>()
            pools.cases = (reportCases + procedureCases + living + running).filter { seen.insert($0).inserted }
            pools.entries = try await ServiceEntryModel.query(on: db).limit(2).all().compactMap { entry in entry.id.map { (entry.$case.id, $0) } }
            pools.goals = try await GoalModel.query(on: db).limit(2).all().compactMap { goal in goal.id.map { (goal.$case.id, $0) } }
            let reports = try await ids(ReportModel.self), procedures = try await ids(ChildProtectionProcedureModel.self)
            let invoices = try await ids(InvoiceModel.self), staff = try await ids(StaffModel.self)
            for (names, values) in [
                (["berichte", "reports"], reports), (["kinderschutz", "child-protection"], procedures),
                (["rechnungen", "invoices"], invoices), (["gruppenangebote"], try await ids(GroupSessionModel.self)),
                (["abwesenheiten", "absences"], try await ids(StaffAbsenceModel.self)), (["anfragen", "requests"], try await ids(IntakeRequestModel.self)),
                (["beschwerden", "complaints"], try await ids(ComplaintModel.self)), (["vorkommnisse", "incidents"], try await ids(IncidentModel.self)),
                (["leistungsberichte", "performance-reports"], try await ids(PerformanceReportModel.self)), (["mitarbeitende", "staff"], staff),
                (["users"], try await ids(UserModel.self)), (["teams"], try await ids(TeamModel.self)),
                (["youth-offices"], try await ids(YouthOfficeModel.self)), (["offers"], try await ids(OfferModel.self)),
                (["agreements"], try await ids(AgreementModel.self)),
                (["abrechnung", "billing-runs"], pools.months),
            ] {
                for name in names { pools.byCollection[name] = values }
            }
            return pools
        }

        /// Paths to try for a route pattern: each parameter filled from the pool its collection names.
        static func paths(_ parts: [String], pools: Pools) -> [(path: String, caseID: UUID?)] {
            let parameters = parts.enumerated().filter { $0.element.hasPrefix(":") }
            guard !parameters.isEmpty else { return [("/" + parts.joined(separator: "/"), nil)] }
            func fill(_ values: [Int: String]) -> String {
                "/" + parts.enumerated().map { values[$0.offset] ?? $0.element }.joined(separator: "/")
            }
            let first = parameters[0]
            let collection = first.offset > 0 ? parts[first.offset - 1] : ""
            if collection == "faelle" || collection == "cases" {
                if parameters.count == 1 { return pools.cases.map { (fill([first.offset: $0.uuidString.lowercased()]), $0) } }
                let second = parameters[1]
                let pairs: [(UUID, String)]
                switch parts[second.offset - 1] {
                case "leistungen", "entries": pairs = pools.entries.map { ($0.0, $0.1.uuidString.lowercased()) }
                case "ziele", "goals": pairs = pools.goals.map { ($0.0, $0.1.uuidString.lowercased()) }
                default: pairs = pools.cases.flatMap { id in pools.months.map { (id, $0) } }
                }
                return pairs.map { (fill([first.offset: $0.0.uuidString.lowercased(), second.offset: $0.1]), $0.0) }
            }
            guard parameters.count == 1, let values = pools.byCollection[collection] else { return [] }
            return values.map { (fill([first.offset: $0]), nil) }
        }

        static func newReads(since known: Set<UUID>, on db: any Database) async throws -> (entries: Set<UUID>, cases: Set<UUID>) {
            // Reads name their cases in the entry (`case_ids`, with a row per case, user and day for the search).
            let entries = try await AuditEntryModel.query(on: db).filter(\.$action == "read").filter(\.$username == "leitung").all()
                .filter { !known.contains($0.id!) }
            return (Set(entries.compactMap(\.id)), Set(entries.flatMap(\.namedCases)))
        }

        @Test("R31 every GET route that shows case data — pages, API, lists, start page, search, exports — audits the cases it showed")
        func everyCaseReadIsAudited() async throws {
            try await TestApp.run { t in
                #expect(try await DemoData.seed(on: t.db, hash: { try Bcrypt.hash($0, cost: 4) }, now: TestApp.referenceNow))
                let today = BerlinTime.local(TestApp.referenceNow).day
                let pools = try await Self.pools(on: t.db, today: today)
                // What identifies a case in an answer: its file number and the young person's name.
                var markers: [(id: UUID, text: String)] = []
                for model in try await CaseModel.query(on: t.db).all() {
                    guard let id = model.id else { continue }
                    markers.append((id, model.fileNumber))
                    for person in try await CasePersonModel.query(on: t.db).filter(\.$case.$id == id).filter(\.$role == "youngPerson").all() {
                        markers.append((id, "\(person.firstName) \(person.lastName)"))
                    }
                }
                let page = WebSession(t)
                try await page.login("leitung", password: "fallwerk-demo")
                let session = try await t.send(.POST, "/api/v1/session", json: ["username": "leitung", "password": "fallwerk-demo"])
                let token = try #require(try session.json()["token"] as? String)

                var known = try await Self.newReads(since: [], on: t.db).entries
                var checked: [String] = [], unaudited: [String] = [], unreached: [String] = []
                let routes = t.app.routes.all.filter { $0.method == .GET }
                for route in routes {
                    let parts = route.path.map(\.description)
                    let pattern = "/" + parts.joined(separator: "/")
                    if parts.first == "kalender" || parts.contains("**") { continue }   // the feed: own test; static files
                    let isAPI = parts.first == "api"
                    var reached = false
                    // Lists that need a query: the months and scopes that show the most.
                    let queries: [String: [String]] = [
                        "/api/v1/invoices": pools.months.map { "?month=\($0)" }, "/api/v1/invoices.csv": pools.months.map { "?month=\($0)" },
                        "/api/v1/invoices.datev": pools.months.map { "?month=\($0)" }, "/api/v1/deadlines": ["?scope=all"],
                    ]
                    let candidates = Self.paths(parts, pools: pools).flatMap { candidate in
                        (queries[pattern] ?? [""]).map { (path: candidate.path + $0, caseID: candidate.caseID) }
                    }
                    for (path, caseID) in candidates {
                        let (status, body): (HTTPResponseStatus, String)
                        if isAPI {
                            let response = try await t.send(.GET, path, token: token)
                            (status, body) = (response.status, response.body.string)
                        } else {
                            let response = try await page.get(path)
                            (status, body) = (response.status, response.body.string)
                        }
                        guard status == .ok else { continue }
                        reached = true
                        var shown = Set(markers.filter { body.contains($0.text) }.map(\.id))
                        if let caseID { shown.insert(caseID) }
                        let reads = try await Self.newReads(since: known, on: t.db)
                        known.formUnion(reads.entries)
                        if !shown.isEmpty { checked.append(pattern) }
                        let missing = shown.subtracting(reads.cases)
                        if !missing.isEmpty { unaudited.append("\(pattern): \(missing.count) of \(shown.count) cases shown without a read entry") }
                        break
                    }
                    if !reached && !Self.paths(parts, pools: pools).isEmpty { unreached.append(pattern) }
                }
                #expect(unaudited.isEmpty, "\(unaudited.joined(separator: "\n"))")
                // The walk must really have shown cases on many routes of both kinds (not vacuous).
                #expect(checked.filter { $0.hasPrefix("/api/") }.count >= 15, "\(checked)")
                #expect(checked.filter { !$0.hasPrefix("/api/") }.count >= 20, "\(checked)")
                for required in ["/", "/faelle", "/fristen", "/hinweise", "/api/v1/cases", "/api/v1/alerts", "/api/v1/deadlines", "/faelle/:id"] {
                    #expect(checked.contains(required), "\(required) showed no case: \(unreached)")
                }
            }
        }
    }
}
