@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

/// Management's lists (*Fristen*, *Hinweise*, *Übersicht*) cover every case; they are computed over
/// case heads and only the page shown is loaded in full (issue 12). Paging must neither lose nor
/// repeat an item, and what a page shows must be the full record, not the head.
extension AllTests {
    @Suite("Management list paging")
    struct ManagementListPagingTests {
        /// Follows X-Next-Offset from the first page and returns every item and the X-Total-Count of the first page.
        static func pages(_ t: TestApp, _ path: String, token: String, limit: Int) async throws -> (items: [[String: Any]], total: Int?, pages: Int) {
            let separator = path.contains("?") ? "&" : "?"
            var items: [[String: Any]] = []
            var offset = 0, pages = 0, total: Int?
            while pages < 50 {
                let response = try await t.send(.GET, "\(path)\(separator)limit=\(limit)&offset=\(offset)", token: token)
                #expect(response.status == .ok, "\(path): \(response.body.string)")
                if total == nil { total = response.headers.first(name: "X-Total-Count").flatMap { Int($0) } }
                items += try response.jsonArray()
                pages += 1
                guard let next = response.headers.first(name: "X-Next-Offset").flatMap({ Int($0) }) else { break }
                offset = next
            }
            return (items, total, pages)
        }

        /// Seven cases started in May 2026, whose first review (R3) is overdue on 22 November.
        static func addCases(_ t: TestApp, _ world: CaseWorld) async throws {
            for (index, name) in ["Özdemir", "Albers", "Müller", "Muff", "Zander", "O'Neil \"Q\"", "Albers"].enumerated() {
                _ = try await t.create("/api/v1/cases", token: world.managementToken, Fixtures.caseBody(
                    youthOfficeId: world.officeID, offerId: world.offerID, leadStaffId: world.finaStaffID,
                    fileNumber: "51.2-2026-05\(index)", startDate: "2026-05-0\(index + 1)", firstName: "Kind", lastName: name))
            }
        }

        static func key(_ item: [String: Any], _ fields: [String]) -> String {
            fields.map { "\(item[$0] ?? "–")" }.joined(separator: "|")
        }

        @Test("Issue 12: everyone's deadlines page with limit and offset; the pages together are the whole list, each with its case's initials")
        func deadlinePages() async throws {
            try await TestApp.run { t in
                // given nine running cases without a care plan meeting yet (each has pending deadlines)
                let world = try await CaseWorld.make(t)
                try await Self.addCases(t, world)
                let token = world.managementToken
                let whole = try await t.send(.GET, "/api/v1/deadlines?scope=all&limit=500", token: token)
                let all = try whole.jsonArray()
                #expect(all.count >= 9)
                #expect(whole.headers.first(name: "X-Total-Count") == "\(all.count)")
                #expect(whole.headers.first(name: "X-Next-Offset") == nil)
                // when management pages through them four at a time
                let paged = try await Self.pages(t, "/api/v1/deadlines?scope=all", token: token, limit: 4)
                // then every deadline comes once, in the same order, with the case's initials from its full record
                let fields = ["caseId", "fileNumber", "caseName"]
                #expect(paged.items.map { Self.key($0, fields) + Self.key($0["deadline"] as? [String: Any] ?? [:], ["key", "due"]) }
                        == all.map { Self.key($0, fields) + Self.key($0["deadline"] as? [String: Any] ?? [:], ["key", "due"]) })
                #expect(paged.total == all.count)
                #expect(paged.pages == (all.count + 3) / 4)
                #expect(paged.items.allSatisfy { ($0["caseName"] as? String)?.first?.isLetter == true })
                // bad paging parameters are a 400 naming the parameter
                for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("offset=-1", "offset"), ("offset=x", "offset")] {
                    let bad = try await t.send(.GET, "/api/v1/deadlines?scope=all&\(query)", token: token)
                    #expect(bad.status == .badRequest, "\(query)")
                    #expect(try bad.problemFields() == [field], "\(query)")
                }
            }
        }

        @Test("Issue 12: open alerts page by case; the pages together are the whole list and name each case from its full record")
        func alertPages() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                try await Self.addCases(t, world)
                let token = world.managementToken
                let whole = try await t.send(.GET, "/api/v1/alerts?limit=500", token: token)
                let all = try whole.jsonArray()
                let cases = Set(all.compactMap { $0["caseId"] as? String })
                #expect(cases.count >= 9)
                #expect(whole.headers.first(name: "X-Total-Count") == "\(cases.count)")
                // when management pages through them two cases at a time
                let paged = try await Self.pages(t, "/api/v1/alerts", token: token, limit: 2)
                let fields = ["caseId", "fileNumber", "caseName", "kind", "since"]
                #expect(paged.items.map { Self.key($0, fields) } == all.map { Self.key($0, fields) })
                #expect(paged.total == cases.count)
                #expect(paged.pages == (cases.count + 1) / 2)
                // the summaries the pages were computed from equal those of full records
                let today = t.clock.now().dayInBerlin
                let management = try await CaseStore.list(CaseFilter(status: .running), visibleTo: Viewer.load(
                    userID: UUID(), roles: [.management], on: t.db), today: today, on: t.db)
                let fromRecords = try await CaseWorkStore.summaries(management, today: today, on: t.db)
                    .filter { !$0.alerts.isEmpty }.map { "\($0.record.id)|\($0.alerts.map(\.kind.rawValue))" }
                let heads = try await AlertStore.openAlerts(visibleTo: Viewer.load(userID: UUID(), roles: [.management], on: t.db),
                                                           today: today, on: t.db)
                #expect(heads.items.map { "\($0.record.id)|\($0.alerts.map(\.kind.rawValue))" } == fromRecords)
                #expect(heads.items.allSatisfy { !$0.record.youngPerson.lastName.isEmpty && !$0.record.offerName.isEmpty && $0.record.lead != nil })
            }
        }

        @Test("Issue 12: Fristen, Hinweise and Übersicht pages continue at 'ab' with a way back to the start")
        func pagesContinue() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                try await Self.addCases(t, world)
                try await t.addUser("leitung", .management)
                let page = WebSession(t)
                try await page.login("leitung")
                let first = try await page.get("/fristen?bereich=all").body.string
                #expect(!first.contains("‹ Zum Anfang"))
                let later = try await page.get("/fristen?bereich=all&ab=3").body.string
                #expect(later.contains("auf dieser Seite 4 bis"))
                #expect(later.contains("href=\"/fristen?bereich=all\""))
                let alerts = try await page.get("/hinweise?ab=2").body.string
                #expect(alerts.contains("(fortgesetzt)"))
                #expect(alerts.contains("‹ Zum Anfang"))
                let overview = try await page.get("/uebersicht?nur=hinweise&ab=1").body.string
                #expect(overview.contains("(fortgesetzt)"))
                #expect(overview.contains("href=\"/uebersicht?nur=hinweise\""))
                // a search with quotes, an apostrophe and an umlaut survives the way back to the start
                let query = "'neil \"q".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let searched = try await page.get("/uebersicht?q=\(query)&ab=1").body.string
                #expect(searched.contains("(fortgesetzt)"))
                let link = try #require(searched.range(of: #"href="/uebersicht?q="#))
                let attribute = String(searched[link.lowerBound...].dropFirst(6).prefix { $0 != "\"" })
                #expect(!attribute.contains("'") && !attribute.contains("<"))
                let back = attribute.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&quot;", with: "\"")
                let start = try await page.get(back).body.string
                #expect(start.contains("O&#39;Neil") || start.contains("O'Neil"), "\(back)")
                #expect(!start.contains("(fortgesetzt)"))
                let umlaut = try await page.get("/uebersicht?q=%C3%96zdemir&ab=1").body.string
                #expect(umlaut.contains("‹ Zum Anfang"))
                // a damaged offset shows the first page
                let damaged = try await page.get("/hinweise?ab=%22%3E%3Cscript%3E")
                #expect(damaged.status == .ok)
                #expect(!damaged.body.string.contains("(fortgesetzt)"))
            }
        }
    }
}
