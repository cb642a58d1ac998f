@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import FluentKit
import FluentSQL
import Foundation
import NIOConcurrencyHelpers
import Testing

extension AllTests {
    // On both databases: SQLite's triggers (decision 0028) and PostgreSQL's (decision 0031).
    @Suite("Work versions and the lists' reuse of what they computed (decision 0028)")
    struct WorkVersionTests {
        static let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])

        static func sql(_ t: TestApp) throws -> any SQLDatabase { try #require(t.db as? any SQLDatabase) }

        /// Every case's version, and the generation.
        static func versions(_ t: TestApp) async throws -> (cases: [UUID: Int], generation: Int) {
            var cases: [UUID: Int] = [:]
            for row in try await sql(t).raw("SELECT id, work_version FROM cases").all() {
                cases[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "work_version", as: Int.self)
            }
            return (cases, try #require(try await WorkVersions.generation(on: t.db)))
        }

        /// The running cases' summaries as management's *Hinweise* and *Übersicht* compute them.
        static func page(_ t: TestApp, on day: Day) async throws -> ListPage<CaseWork> {
            try await CaseWorkStore.summaryPage(CaseFilter(status: .running), visibleTo: management, today: day, choose: { $0 }, on: t.db)
        }

        @Test("Issue 12: every table a list could read has the triggers that move its case's version or the generation; only what reads write is left out")
        func everyTableCounted() async throws {
            try await TestApp.run { t in
                let sql = try Self.sql(t)
                let tables = try await WorkVersions.tables(on: sql)
                let postgres = sql.dialect.name == "postgresql"
                let query: SQLQueryString = postgres
                    ? """
                      SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal
                      """
                    : "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                let triggers = Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
                // the schema has its forty-odd tables, among them those a read writes
                #expect(tables.count > 40)
                #expect(WorkVersions.uncounted.isSubset(of: Set(tables).union(["_fluent_sessions"])))
                for table in tables where !WorkVersions.uncounted.contains(table) {
                    let kinds = table == "cases" ? ["update", "delete"] : postgres ? ["change"] : ["insert", "update", "delete"]
                    for kind in kinds {
                        #expect(triggers.contains(WorkVersions.trigger(table, kind)), "\(table) has no \(kind) trigger")
                    }
                }
                // and the uncounted ones have none (decision 0030: the entries' month totals lost theirs)
                for table in WorkVersions.uncounted {
                    #expect(!triggers.contains { $0.hasPrefix(WorkVersions.trigger(table, "")) }, "\(table) has a work-version trigger")
                }
            }
        }

        @Test("Issue 12 R9 R21: a list reuses the summaries of cases nothing changed; a change of a case's rows computes that case again, any other change and the next day every case")
        func reuseAndChange() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let today = BerlinTime.local(TestApp.referenceNow).day
                let cache = try #require(CaseWorkCache.serving(t.db))
                // when management's list is computed twice
                let first = try await Self.page(t, on: today)
                let count = first.items.count
                #expect(count > 10)
                #expect(cache.summaries.reused == 0)
                let second = try await Self.page(t, on: today)
                // then the second reuses every summary, and shows the same
                #expect(cache.summaries.reused == count)
                #expect(second.items.map(\.alerts) == first.items.map(\.alerts))
                #expect(second.items.map(\.record) == first.items.map(\.record))

                // when one case's approval changes (a row of the case's own)
                let changed = try #require(first.items.first { !$0.approvals.isEmpty }).record.id
                let before = try await Self.versions(t)
                try await Self.sql(t).raw("UPDATE approvals SET reference = 'JA-neu \"1\"' WHERE case_id = \(bind: changed)").run()
                let after = try await Self.versions(t)
                // then only that case's version moved
                #expect(after.cases[changed]! > before.cases[changed]!)
                #expect(after.cases.filter { $0.key != changed } == before.cases.filter { $0.key != changed })
                #expect(after.generation == before.generation)
                // and the list computes that case again, with the change, and reuses the others
                let third = try await Self.page(t, on: today)
                #expect(cache.summaries.reused == 2 * count - 1)
                #expect(third.items.first { $0.record.id == changed }?.approvals.contains { $0.reference == "JA-neu \"1\"" } == true)

                // when a case's own row changes (the youth office's caseworker), only its version moves
                let own = try #require(first.items.last).record.id
                let beforeOwn = try await Self.versions(t)
                try await Self.sql(t).raw("UPDATE cases SET youth_office_caseworker = 'Frau Özdemir' WHERE id = \(bind: own)").run()
                let afterOwn = try await Self.versions(t)
                #expect(afterOwn.cases[own]! == beforeOwn.cases[own]! + 1)
                #expect(afterOwn.cases.filter { $0.key != own } == beforeOwn.cases.filter { $0.key != own })
                #expect(afterOwn.generation == beforeOwn.generation)
                _ = try await Self.page(t, on: today)
                #expect(cache.summaries.reused == 3 * count - 2)

                // when something outside the cases' rows changes (an offer's name)
                try await Self.sql(t).raw("UPDATE offers SET name = name || ' (neu)'").run()
                // then the generation moved and every case is computed again
                #expect(try await Self.versions(t).generation > after.generation)
                _ = try await Self.page(t, on: today)
                #expect(cache.summaries.reused == 3 * count - 2)
                // and on the next day too (alerts and deadlines move with the day)
                _ = try await Self.page(t, on: today.adding(days: 1))
                #expect(cache.summaries.reused == 3 * count - 2)
                _ = try await Self.page(t, on: today.adding(days: 1))
                #expect(cache.summaries.reused == 4 * count - 2)
            }
        }

        @Test("Issue 12: a change the versions miss fails the list in debug builds (the tests) instead of showing a stale summary")
        func missedChangeIsFound() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let today = BerlinTime.local(TestApp.referenceNow).day
                #expect(CaseWorkCache.verifies)
                let first = try await Self.page(t, on: today)
                let changed = try #require(first.items.first { !$0.approvals.isEmpty }).record.id
                // when a change bypasses the versions (its trigger removed)
                let sql = try Self.sql(t)
                if sql.dialect.name == "postgresql" {
                    try await sql.raw("ALTER TABLE approvals DISABLE TRIGGER \(unsafeRaw: WorkVersions.trigger("approvals", "change"))").run()
                } else {
                    try await sql.raw("DROP TRIGGER \(unsafeRaw: WorkVersions.trigger("approvals", "update"))").run()
                }
                try await Self.sql(t).raw("UPDATE approvals SET minutes_per_unit = minutes_per_unit + 60 WHERE case_id = \(bind: changed)").run()
                // then the list does not show the summary it kept
                await #expect(throws: CaseWorkCache.Stale.self) { try await Self.page(t, on: today) }
            }
        }

        @Test("Issue 12: on PostgreSQL a write transaction that the server ended as a deadlock runs again, and only its last run is kept",
              .enabled(if: TestApp.postgresURL != nil))
        func postgresDeadlockRunsAgain() async throws {
            try await TestApp.run { t in
                let runs = NIOLockedValueBox(0)
                // when the first run of a transaction writes and then ends as PostgreSQL ends a deadlock
                try await t.db.writeTransaction { db in
                    let run = runs.withLockedValue { $0 += 1; return $0 }
                    let sql = try #require(db as? any SQLDatabase)
                    try await sql.raw("""
                        INSERT INTO offers (id, name, legal_basis) VALUES (\(bind: UUID()), \(bind: "Versuch \(run)"), '§ 31 SGB VIII')
                        """).run()
                    if run == 1 { try await sql.raw("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$").run() }
                }
                // then it ran again, and only the second run's row is there
                #expect(runs.withLockedValue { $0 } == 2)
                let names = try await Self.sql(t).raw("SELECT name FROM offers WHERE name LIKE 'Versuch %'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                #expect(names == ["Versuch 2"])
            }
        }

        @Test("Issue 12 R31: the case list reuses the records of unchanged cases, shows the same, and every case it shows is still audited as read")
        func caseListReusesRecords() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let token = try await t.token(.management)
                let cache = try #require(CaseWorkCache.serving(t.db))
                func refs() async throws -> Int {
                    try await AuditEntryModel.query(on: t.db).filter(\.$action == "read").all().reduce(0) { $0 + $1.namedCases.count }
                }
                let first = try await t.send(.GET, "/api/v1/cases?status=running&limit=10", token: token)
                #expect(first.status == .ok)
                let shown = try first.jsonArray().count
                #expect(shown == 10)
                let reusedBefore = cache.records.reused
                let refsBefore = try await refs()
                // when the same page is asked for again
                let second = try await t.send(.GET, "/api/v1/cases?status=running&limit=10", token: token)
                // then its records are reused, the answer is the same, and each case shown is audited as read again
                #expect(cache.records.reused == reusedBefore + shown)
                #expect(second.body.string == first.body.string)
                #expect(try await refs() == refsBefore + shown)
                // and a change of a shown case's person is shown at once
                let firstID = try first.jsonArray().first?["id"] as? String
                let id = try #require(firstID.flatMap(UUID.init(uuidString:)))
                try await Self.sql(t).raw("UPDATE case_persons SET phone = '0171 \"neu\"' WHERE case_id = \(bind: id)").run()
                let third = try await t.send(.GET, "/api/v1/cases?status=running&limit=10", token: token)
                #expect(third.body.string.contains("0171 \\\"neu\\\""))
                #expect(cache.records.reused == reusedBefore + 2 * shown - 1)
            }
        }

        @Test("Issue 12 R31: a case read by id (every request about a case) reuses its record while its version stands, reads its persons again after a change, and knows no case that is not there")
        func caseByIDReusesItsRecord() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let cache = try #require(CaseWorkCache.serving(t.db))
                let id = try #require(try await CaseModel.query(on: t.db).first()?.id)
                // when the same case is read twice
                let first = try #require(try await CaseStore.find(id, on: t.db))
                let reusedBefore = cache.records.reused
                let second = try #require(try await CaseStore.find(id, on: t.db))
                // then the second reuses the record, and it is the same
                #expect(cache.records.reused == reusedBefore + 1)
                #expect(second == first)
                // when a person of the case changes, the next read shows it and reuses nothing
                try await Self.sql(t).raw("UPDATE case_persons SET phone = '0171 \"neu\" & <b>' WHERE case_id = \(bind: id)").run()
                let third = try #require(try await CaseStore.find(id, on: t.db))
                #expect(cache.records.reused == reusedBefore + 1)
                #expect(third.guardians.contains { $0.phone == "0171 \"neu\" & <b>" } || third.youngPerson.phone == "0171 \"neu\" & <b>")
                // and a case that is not there is none
                #expect(try await CaseStore.find(UUID(), on: t.db) == nil)
                // inside a transaction nothing is reused
                let inside = try await t.db.writeTransaction { db in try await CaseStore.find(id, on: db) }
                #expect(inside == third)
                #expect(cache.records.reused == reusedBefore + 1)
            }
        }

        /// Case `id`'s record version.
        static func recordVersion(_ t: TestApp, _ id: UUID) async throws -> Int {
            try #require(try await sql(t).raw("SELECT record_version FROM cases WHERE id = \(bind: id)").first()?
                .decode(column: "record_version", as: Int.self))
        }

        @Test("Issue 12 decision 0036: a case's record is reused after its entries change (the record version stands) and read again after a change of its row, persons or staff")
        func recordOutlivesEntryWrites() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let cache = try #require(CaseWorkCache.serving(t.db))
                let sql = try Self.sql(t)
                let caseID = try #require(try await sql.raw("SELECT case_id FROM service_entries LIMIT 1").first()?.decode(column: "case_id", as: UUID.self))
                let first = try #require(try await CaseStore.find(caseID, on: t.db))
                let reused = cache.records.reused
                let work = try await Self.versions(t).cases[caseID]!
                let record = try await Self.recordVersion(t, caseID)
                // when an entry of the case changes (as every entry write does)
                try await sql.raw("UPDATE service_entries SET note = 'Notiz \"neu\" & <b>' WHERE case_id = \(bind: caseID)").run()
                // then the case's work version moved, its record version did not, and its record is reused (and the same)
                #expect(try await Self.versions(t).cases[caseID]! > work)
                #expect(try await Self.recordVersion(t, caseID) == record)
                #expect(try await CaseStore.find(caseID, on: t.db) == first)
                #expect(cache.records.reused == reused + 1)
                // when its row, a person or its staff change, the record version moves and the record is read again
                let changes: [SQLQueryString] = [
                    "UPDATE cases SET youth_office_caseworker = 'Frau Özdemir' WHERE id = \(bind: caseID)",
                    "UPDATE case_persons SET phone = '0171 \"neu\"' WHERE case_id = \(bind: caseID)",
                    "UPDATE case_assignments SET role = role WHERE case_id = \(bind: caseID)",
                ]
                var last = record
                for change in changes {
                    try await sql.raw(change).run()
                    let now = try await Self.recordVersion(t, caseID)
                    #expect(now > last, "\(change)")
                    last = now
                    _ = try await CaseStore.find(caseID, on: t.db)
                    #expect(cache.records.reused == reused + 1, "\(change)")
                }
                let shown = try #require(try await CaseStore.find(caseID, on: t.db))
                #expect(shown.youthOfficeCaseworker == "Frau Özdemir")
                #expect(([shown.youngPerson] + shown.guardians).contains { $0.phone == "0171 \"neu\"" })
                #expect(cache.records.reused == reused + 2)
            }
        }

        @Test("Issue 12 decision 0036: an entry that moves the case's last contact moves its work version and keeps its record version")
        func newLastContactKeepsTheRecord() async throws {
            try await TestApp.run { t in
                let world = try await CaseAPIWorld.make(t)
                let caseText = try await world.openCase(world.caseBody(fileNumber: "51.2-2026-0360"))
                let caseID = try #require(UUID(uuidString: caseText))
                _ = try await t.create("/api/v1/cases/\(caseText)/approvals", token: world.management,
                                       ["from": "2026-10-01", "to": "2027-03-31", "hours": "10", "per": "month"])
                _ = try await t.create("/api/v1/cases/\(caseText)/entries", token: world.fina.token,
                                       ["date": "2026-11-02", "start": "10:00", "minutes": 90, "kind": "direct"])
                let work = try await Self.versions(t).cases[caseID]!
                let record = try await Self.recordVersion(t, caseID)
                // when a later entry moves the case's last contact
                _ = try await t.create("/api/v1/cases/\(caseText)/entries", token: world.fina.token,
                                       ["date": "2026-11-03", "start": "10:00", "minutes": 60, "kind": "direct"])
                #expect(try await CaseModel.find(caseID, on: t.db)?.lastContact == "2026-11-03")
                // then the work version moved and the record version stayed
                #expect(try await Self.versions(t).cases[caseID]! > work)
                #expect(try await Self.recordVersion(t, caseID) == record)
                // and the whole-case recount keeps it too
                try await t.db.writeTransaction { db in
                    try await CaseModel.query(on: db).filter(\.$id == caseID).set(\.$lastContact, to: nil).update()
                }
                let moved = try await Self.recordVersion(t, caseID)
                #expect(moved > record)
                try await t.db.writeTransaction { db in try await BilledMinutes.refresh(caseIDs: [caseID], on: db) }
                #expect(try await CaseModel.find(caseID, on: t.db)?.lastContact == "2026-11-03")
                #expect(try await Self.recordVersion(t, caseID) == moved)
            }
        }

        @Test("Decision 0036: the record version's migration reverts to triggers that move only work versions, and installs again those that move it")
        func recordVersionMigrationRoundTrip() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let sql = try Self.sql(t)
                let caseID = try #require(try await sql.raw("SELECT case_id FROM case_persons LIMIT 1").first()?.decode(column: "case_id", as: UUID.self))
                // when the migration is reverted, a person's change still moves the case's work version
                try await AddRecordVersions().revert(on: t.db)
                #expect(!(try await WorkVersions.columns(of: "cases", on: sql)).contains(WorkVersions.recordColumn))
                let work = try await Self.versions(t).cases[caseID]!
                try await sql.raw("UPDATE case_persons SET phone = '0171 1' WHERE case_id = \(bind: caseID)").run()
                try await sql.raw("UPDATE cases SET youth_office_caseworker = 'Frau A' WHERE id = \(bind: caseID)").run()
                #expect(try await Self.versions(t).cases[caseID]! >= work + 2)
                // and when it runs again, the person's change moves the record version too
                try await AddRecordVersions().prepare(on: t.db)
                let record = try await Self.recordVersion(t, caseID)
                try await sql.raw("UPDATE case_persons SET phone = '0171 2' WHERE case_id = \(bind: caseID)").run()
                #expect(try await Self.recordVersion(t, caseID) > record)
            }
        }

        @Test("Issue 12 R3 R4: everyone's deadlines (Fristen) reuse the deadlines of unchanged cases; a changed care plan meeting moves its case's deadlines at once")
        func deadlinesReuse() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let today = BerlinTime.local(TestApp.referenceNow).day
                let cache = try #require(CaseWorkCache.serving(t.db))
                func page() async throws -> DeadlinePage {
                    try await DeadlineStore.upcoming(.all, weeks: 52, viewer: Self.management, today: today, on: t.db)
                }
                let first = try await page()
                let heads = try await CaseStore.heads(visibleTo: Self.management, today: today, on: t.db).count
                #expect(first.items.count > 5)
                #expect(cache.deadlines.reused == 0)
                // when the list is asked for again, every case's deadlines are reused and the list is the same
                let second = try await page()
                #expect(cache.deadlines.reused == heads)
                #expect(second.items == first.items)
                // when a case's planned care plan meeting moves two weeks on
                let caseID = try #require(first.items.first { $0.deadline.note?.hasPrefix("geplant am") == true }).record.id
                let sql = try Self.sql(t)
                let later: SQLQueryString = sql.dialect.name == "postgresql" ? "to_char(date::date + 14, 'YYYY-MM-DD')" : "date(date, '+14 days')"
                try await sql.raw("""
                    UPDATE care_plan_meetings SET date = \(later) WHERE case_id = \(bind: caseID) AND state = 'planned'
                    """).run()
                let third = try await page()
                // then that case's deadlines are computed again (and differ), the others reused
                #expect(cache.deadlines.reused == 2 * heads - 1)
                #expect(third.items.filter { $0.record.id == caseID } != first.items.filter { $0.record.id == caseID })
            }
        }

        @Test("Issue 12: the start page (full records) and the alert list (heads) share a case's summary; each shows its own record")
        func startPageAndListShareSummaries() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let today = BerlinTime.local(TestApp.referenceNow).day
                let cache = try #require(CaseWorkCache.serving(t.db))
                let user = try #require(try await UserModel.query(on: t.db).filter(\.$username == "fachkraft").first())
                let viewer = try await Viewer.load(userID: try user.requireID(), roles: [.caseworker], on: t.db)
                let staffID = try #require(viewer.staffID)
                // when the caseworker's start page computes the summaries from full records
                let start = try await CaseWorkStore.startPage(staffID: staffID, visibleTo: viewer, today: today, on: t.db)
                #expect(start.count > 3)
                #expect(start.allSatisfy { !$0.record.youngPerson.lastName.isEmpty })
                // then the alert list, which computes from heads, reuses them (and the debug check finds no difference)
                let alerts = try await AlertStore.openAlerts(visibleTo: viewer, today: today, on: t.db)
                #expect(cache.summaries.reused >= alerts.items.count)
                #expect(!alerts.items.isEmpty)
                // and the start page again reuses its own, with full records
                let again = try await CaseWorkStore.startPage(staffID: staffID, visibleTo: viewer, today: today, on: t.db)
                #expect(again.map(\.record) == start.map(\.record))
                #expect(again.map(\.alerts) == start.map(\.alerts))
            }
        }
    }
}
