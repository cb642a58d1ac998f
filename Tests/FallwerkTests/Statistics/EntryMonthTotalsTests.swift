@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

extension AllTests {
    /// R29 (issue 15 speed): the monthly totals kept by triggers always equal a recount from the entries.
    @Suite("Entry month totals")
    struct EntryMonthTotalsTests {
        typealias Totals = [String: [Int]]

        static func kept(_ sql: any SQLDatabase) async throws -> Totals {
            try await totals(sql, """
                SELECT month, youth_office_id AS office, offer_id AS offer, team_id AS team, kind, minutes, budget, entries, short_notice
                FROM entry_month_totals
                """)
        }

        static func recounted(_ sql: any SQLDatabase) async throws -> Totals {
            try await totals(sql, """
                SELECT substr(e.date, 1, 7) AS month, c.youth_office_id AS office, c.offer_id AS offer, c.team_id AS team, e.kind AS kind,
                  CAST(SUM(e.minutes) AS BIGINT) AS minutes, CAST(SUM(e.budget_minutes) AS BIGINT) AS budget, COUNT(*) AS entries,
                  CAST(SUM(\(unsafeRaw: AddEntryMonthTotals.shortNotice("e"))) AS BIGINT) AS short_notice
                FROM service_entries e JOIN cases c ON c.id = e.case_id
                GROUP BY substr(e.date, 1, 7), c.youth_office_id, c.offer_id, c.team_id, e.kind
                """)
        }

        /// Non-empty groups by key; a group whose entries all went keeps a row of zeros, which counts as none.
        static func totals(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Totals {
            var result: Totals = [:]
            for row in try await sql.raw(query).all() {
                let key = try ["month", "office", "offer", "team", "kind"].map { column in
                    if let id = try? row.decode(column: column, as: UUID.self) { return id.uuidString.lowercased() }
                    return try row.decode(column: column, as: String.self)
                }.joined(separator: "|")
                let values = try ["minutes", "budget", "entries", "short_notice"].map { try row.int($0) }
                if values.contains(where: { $0 != 0 }) { result[key] = values }
            }
            return result
        }

        @Test("R29 the kept monthly totals equal a recount after entries are written, corrected, deleted and a case moves office and team")
        func totalsFollowEntries() async throws {
            try await TestApp.run { t in
                let s = try await StatisticsTests.make(t)
                guard let sql = t.db as? any SQLDatabase else { return }
                let first = try await Self.kept(sql)
                #expect(!first.isEmpty)
                let recount = try await Self.recounted(sql)
                #expect(first == recount, "\(first.filter { recount[$0.key] != $0.value }) vs \(recount.filter { first[$0.key] != $0.value })")

                // a correction of minutes and kind, a cancellation that becomes short-notice, a deletion
                let entries = try await ServiceEntryModel.query(on: t.db).sort(\.$date).all()
                #expect(entries.count >= 4)
                let changed = entries[0]
                changed.minutes += 30
                changed.kind = EntryKind.indirect.rawValue
                try await changed.update(on: t.db)
                let moved = entries[1]
                moved.date = Day(iso: moved.date)!.adding(months: 1).iso
                moved.budgetMinutes += 15
                try await moved.update(on: t.db)
                try await entries[2].delete(on: t.db)
                #expect(try await Self.kept(sql) == (try await Self.recounted(sql)))
                #expect(try await Self.kept(sql) != first)

                // a case moves to the other youth office and team: its sums go along
                let caseText = try #require(s.cases["A"])
                let caseID = try #require(UUID(uuidString: caseText))
                let model = try #require(try await CaseModel.find(caseID, on: t.db))
                let otherTeam = try #require(try await TeamModel.query(on: t.db).filter(\.$id != model.$team.id).first())
                model.$youthOffice.id = try #require(UUID(uuidString: s.w.otherOfficeID))
                model.$team.id = try #require(otherTeam.id)
                try await model.update(on: t.db)
                #expect(try await Self.kept(sql) == (try await Self.recounted(sql)))

                // and new entries through the API land in their month
                let statistics = try await t.send(.GET, "/api/v1/statistics?from=2025-01-01&to=2026-11-30", token: s.w.management)
                #expect(statistics.status == .ok)
            }
        }

        @Test("R29 a period splits into whole months (kept totals) and the days before and after them (entries)")
        func wholeMonths() {
            func split(_ from: String, _ to: String) -> (String?, [String]) {
                let result = StatisticsPeriod(from: Day(iso: from)!, to: Day(iso: to)!).wholeMonths
                return (result.months.map { "\($0.lowerBound.iso)…\($0.upperBound.iso)" }, result.edges.map { "\($0.lowerBound.iso)…\($0.upperBound.iso)" })
            }
            #expect(split("2025-12-07", "2026-12-06") == ("2026-01…2026-11", ["2025-12-07…2025-12-31", "2026-12-01…2026-12-06"]))
            #expect(split("2026-01-01", "2026-12-31") == ("2026-01…2026-12", []))
            #expect(split("2026-02-01", "2026-02-28") == ("2026-02…2026-02", []))
            #expect(split("2026-02-02", "2026-02-27") == (nil, ["2026-02-02…2026-02-27"]))
            #expect(split("2026-01-15", "2026-02-14") == (nil, ["2026-01-15…2026-02-14"]))
            #expect(split("2024-02-01", "2024-02-29") == ("2024-02…2024-02", []))
        }
    }
}
