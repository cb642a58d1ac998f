@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing

/// Lists read budget windows, last contact and the no-show streak kept beside each case (issue 12);
/// they must say exactly what the ledger rebuilt from every entry says (R7a, R8, R9, R12).
extension AllTests {
    @Suite("Case summaries for lists")
    struct CaseSummaryTests {
        static func compare(_ t: TestApp, today: Day) async throws -> Int {
            let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
            let cases = try await CaseStore.list(visibleTo: management, today: today, on: t.db)
            // management knows every case's §8a procedure, so its deadlines are compared too
            let known = Set(cases.map(\.id))
            let full = try await CaseWorkStore.load(cases, today: today, childProtectionFor: known, on: t.db)
            let kept = try await CaseWorkStore.summaries(cases, today: today, childProtectionFor: known, on: t.db)
            #expect(full.count == kept.count)
            for (a, b) in zip(full, kept) {
                #expect(a.record.id == b.record.id)
                #expect(a.alerts == b.alerts, "\(a.record.fileNumber)")
                // lists keep the windows over budget and today's
                #expect(a.ledger.windows.filter { $0.overBudgetMinutes > 0 || ($0.from <= today && today <= $0.to) }
                    == b.ledger.windows.filter { $0.overBudgetMinutes > 0 || ($0.from <= today && today <= $0.to) }, "\(a.record.fileNumber)")
                #expect(b.ledger.windows.allSatisfy { $0.overBudgetMinutes > 0 || ($0.from <= today && today <= $0.to) }, "\(a.record.fileNumber)")
                #expect(a.ledger.status(on: today) == b.ledger.status(on: today), "\(a.record.fileNumber)")
                #expect(a.lastContact == b.lastContact, "\(a.record.fileNumber)")
            }
            // and the lists themselves (heads with the kept contact and streak read in their query) alert the same
            let page = try await CaseWorkStore.summaryPage(CaseFilter(), visibleTo: management, today: today, choose: { $0 }, on: t.db)
            let listed = Dictionary(uniqueKeysWithValues: page.items.map { ($0.record.id, $0) })
            #expect(listed.count == full.count)
            for work in full {
                #expect(listed[work.record.id]?.alerts == work.alerts, "list: \(work.record.fileNumber)")
                #expect(listed[work.record.id]?.lastContact == work.lastContact, "list: \(work.record.fileNumber)")
            }
            return full.flatMap(\.alerts).count
        }

        @Test("Issue 12 R7a R9 R12: on the demo provider's cases, the kept summaries give the same alerts, windows and last contact as the full ledger, on several days")
        func demoEquivalence() async throws {
            try await TestApp.run { t in
                #expect(try await DemoDataTests.seed(t, now: TestApp.referenceNow))
                let today = BerlinTime.local(TestApp.referenceNow).day
                var alerts = 0
                // today and later: recorded work never lies after today (only cancellations do, and they are kept exactly)
                for day in [today, today.adding(days: 1), today.adding(days: 25)] {
                    alerts += try await Self.compare(t, today: day)
                }
                // the demo has alerts of several kinds, so the comparison compares something
                #expect(alerts > 5)
            }
        }

        /// What `BilledMinutes` keeps of a case: its windows, every entry's billed values, last contact and streak.
        static func kept(_ t: TestApp, _ caseID: UUID) async throws -> [String] {
            let windows = try await CaseBudgetWindowModel.query(on: t.db).filter(\.$caseID == caseID).all()
                .map { "window \($0.approvalID?.uuidString ?? "-") \($0.fromDate)–\($0.toDate) \($0.approvedMinutes)/\($0.usedMinutes) crisis \($0.crisisOverMinutes) since \($0.overSince ?? "-")" }
            let entries = try await ServiceEntryModel.query(on: t.db).filter(\.$case.$id == caseID).all()
                .map { "entry \($0.date) \($0.startMinute) \($0.kind) billed \($0.billedMinutes) travel \($0.billedTravelCents)" }
            let model = try #require(try await CaseModel.find(caseID, on: t.db))
            return (windows + entries).sorted() + ["last contact \(model.lastContact ?? "-")", "streak \(model.noShowStreak ?? "")"]
        }

        @Test("Issue 12 R9 R10 R7a R12: a refresh from the changed day on keeps exactly what a refresh of the whole case keeps")
        func partialRefreshEqualsFull() async throws {
            try await TestApp.run { t in
                // given Lena's case: 10 hours a month since October, one contact on 2 November
                let s = try await DocumentationAPI.setUp(t)
                let caseID = try #require(UUID(uuidString: s.caseID))
                // in an order where most refreshes start in a month that later work already uses, and a trailing
                // no-show makes the last one count the whole case
                let entries: [(day: String, start: String, minutes: Int, kind: String)] = [
                    ("2026-10-06", "09:00", 300, "direct"), ("2026-11-10", "09:00", 500, "direct"), ("2026-10-20", "09:00", 400, "direct"),
                    ("2026-11-03", "10:00", 60, "noShow"), ("2026-11-05", "10:00", 60, "noShow"), ("2026-11-12", "14:00", 200, "crisis"),
                    ("2026-10-28", "15:00", 90, "indirect"), ("2026-11-17", "10:00", 60, "noShow"),
                ]
                // when each is written and refreshed from its day on, with no tail before it
                for entry in entries {
                    let model = ServiceEntryModel()
                    model.$case.id = caseID
                    model.$staff.id = try #require(UUID(uuidString: s.world.fina.staffID))
                    model.createdBy = UUID()
                    EntryStore.set(model, facts: EntryFacts(kind: EntryKind(rawValue: entry.kind)!, date: Day(iso: entry.day)!,
                                                            start: TimeOfDay(text: entry.start)!, minutes: entry.minutes),
                                   count: EntryCount(billableMinutes: entry.minutes, budgetMinutes: entry.minutes, onboardingMinutes: 0, travel: .zero))
                    try await model.create(on: t.db)
                    try await BilledMinutes.refresh(caseID: caseID, changedOn: [Day(iso: entry.day)!], tailDays: 0, on: t.db)
                    let partial = try await Self.kept(t, caseID)
                    // then what it keeps equals a recount of the whole case
                    try await BilledMinutes.refresh(caseIDs: [caseID], on: t.db)
                    #expect(partial == (try await Self.kept(t, caseID)), "after \(entry.day)")
                }
                // and the budget really ran over, in both months
                #expect(try await Self.kept(t, caseID).filter { $0.hasPrefix("window") && !$0.hasSuffix("since -") }.count == 2)
                // when an entry moves from November back to October through the API (the store's own refresh)
                let list = try await t.send(.GET, "/api/v1/cases/\(s.caseID)/entries?month=2026-11", token: s.world.fina.token).jsonArray()
                let moved = try #require(list.first { $0["date"] as? String == "2026-11-10" }?["id"] as? String)
                let update = try await t.send(.PUT, "/api/v1/cases/\(s.caseID)/entries/\(moved)", token: s.world.fina.token,
                                              json: ["kind": "direct", "date": "2026-10-13", "start": "09:00", "minutes": 500])
                #expect(update.status == .ok || update.status == .noContent, "\(update.body.string)")
                let afterMove = try await Self.kept(t, caseID)
                try await BilledMinutes.refresh(caseIDs: [caseID], on: t.db)
                #expect(afterMove == (try await Self.kept(t, caseID)))
                #expect(afterMove.contains { $0.hasPrefix("entry 2026-10-13") })
            }
        }

        @Test("Issue 12 R7a R9: an entry's recount reads its case's entries from the window of the kept last contact, not three months, and from the tail when that contact is older")
        func recountReadsFromTheLastContact() async throws {
            try await TestApp.run { t in
                // given Lena's case: 10 hours a month since October, contacts on 15 October, 2 and 20 November
                let s = try await DocumentationAPI.setUp(t)
                let caseID = try #require(UUID(uuidString: s.caseID))
                for date in ["2026-10-15", "2026-11-20"] {
                    _ = try await t.create("/api/v1/cases/\(s.caseID)/entries", token: s.world.fina.token,
                                           ["date": date, "start": "10:00", "minutes": 60, "kind": "direct"])
                }
                // when an entry on 25 November is recounted
                let day = try #require(Day(iso: "2026-11-25"))
                let recount = try #require(try await BilledMinutes.recount(caseID: caseID, changedOn: [day], book: nil, basis: nil, on: t.db))
                // then it reads November's window whole and nothing before it (the tail began in August)
                #expect(recount.start == Day(iso: "2026-11-01"))
                #expect(recount.rows.map(\.record.facts.date.iso).sorted() == ["2026-11-02", "2026-11-20"])
                // and a kept contact older than the tail leaves the tail's start
                let tail = try #require(Day(iso: "2026-08-25"))
                #expect(BilledMinutes.readFrom(lastContact: "2026-03-02", tail: tail) == tail)
                #expect(BilledMinutes.readFrom(lastContact: nil, tail: tail) == tail)
                #expect(BilledMinutes.readFrom(lastContact: "2026-11-20", tail: tail) == Day(iso: "2026-11-20"))
            }
        }

        @Test("Issue 12 R9 R10: the ledger's entries read by position on SQLite are the entries read by name, value for value, with every kind of column")
        func ledgerRowsByPosition() async throws {
            try await TestApp.run { t in
                // given Lena's case with a home visit with kilometres and a client's cancellation at a time of its own
                let s = try await DocumentationAPI.setUp(t)
                let caseID = try #require(UUID(uuidString: s.caseID))
                let path = "/api/v1/cases/\(s.caseID)/entries"
                _ = try await t.create(path, token: s.world.fina.token, ["date": "2026-11-20", "start": "09:00", "minutes": 90, "kind": "direct",
                                                                         "homeVisit": true, "kilometres": 23])
                _ = try await t.create(path, token: s.world.fina.token, ["date": "2026-11-24", "start": "16:00", "minutes": 60, "kind": "cancelled",
                                                                         "cancelledBy": "client", "cancelledAt": "2026-11-24T09:30"])
                // when the ledger reads them, and the same rows are read by name
                let read = try await BilledMinutes.ledgerRows("case_id = \(bind: caseID)", on: t.db)
                let sql = try #require(t.db as? any SQLDatabase)
                let rows = try await sql.plainRows("SELECT \(unsafeRaw: LedgerColumn.names.joined(separator: ", ")) FROM service_entries WHERE case_id = \(bind: caseID)" as SQLQueryString)
                let named = try rows.map { try BilledMinutes.ledgerRow(NamedColumns(row: $0)) }
                // then both give the same entries, and on SQLite the ledger read them by position
                #expect(read.count == 3)
                #expect(String(describing: read.map(\.record)) == String(describing: named.map(\.record)))
                #expect(read.map(\.billedMinutes) == named.map(\.billedMinutes))
                #expect(read.map(\.billedTravelCents) == named.map(\.billedTravelCents))
                #expect(read.contains { $0.record.facts.cancelledAt != nil && $0.record.facts.kilometres == nil })
                #expect(read.contains { $0.record.facts.homeVisit && $0.record.facts.kilometres == 23 })
                #expect((PositionedColumns.Positions(of: rows.first) != nil) == (TestApp.postgresURL == nil))
            }
        }

        @Test("Issue 12 R9: a case's kept windows from a day on become exactly the ledger's, rewriting only rows that differ, removing or adding the difference")
        func keptWindowsFollowTheLedger() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let caseID = try #require(UUID(uuidString: s.caseID))
                let start = try #require(Day(iso: "2030-01-01"))
                func window(_ month: Int, used: Int) -> BudgetStatus {
                    let from = Day(iso: String(format: "2030-%02d-01", month))!
                    return BudgetStatus(approvalID: nil, from: from, to: from.adding(days: 27), approvedMinutes: 600, usedMinutes: used,
                                        crisisOverBudgetMinutes: 0, overBudgetSince: used > 600 ? from : nil)
                }
                func stored() async throws -> [BudgetStatus] {
                    try await CaseBudgetWindowModel.query(on: t.db).filter(\.$caseID == caseID).filter(\.$fromDate >= start.iso).all()
                        .compactMap(\.status).sorted { $0.from < $1.from }
                }
                let before = try await CaseBudgetWindowModel.query(on: t.db).filter(\.$caseID == caseID).filter(\.$fromDate < start.iso).count()
                // when the ledger's windows from 2030 on are kept, then one of them changes, then there are fewer, then more
                let three = [window(1, used: 0), window(2, used: 60), window(3, used: 0)]
                let changed = [window(1, used: 0), window(2, used: 660), window(3, used: 0)]
                for windows in [three, changed, [window(2, used: 660)], changed + [window(4, used: 30)], []] {
                    try await BilledMinutes.keep(windows: windows, of: caseID, from: start, on: t.db)
                    // then the stored windows are exactly those
                    #expect(try await stored() == windows)
                }
                // and the windows before that day are untouched
                #expect(before > 0)
                #expect(try await CaseBudgetWindowModel.query(on: t.db).filter(\.$caseID == caseID).filter(\.$fromDate < start.iso).count() == before)
            }
        }

        @Test("Issue 12: lists read only the approvals the alerts need, and alert exactly as the full case on the days approvals end, follow and lapse")
        func approvalsTheAlertsRead() async throws {
            try await TestApp.run { t in
                // given Lena's case approved October to March, followed by April to June
                let s = try await DocumentationAPI.setUp(t)
                _ = try await t.create("/api/v1/cases/\(s.caseID)/approvals", token: s.world.management,
                                       ["from": "2027-04-01", "to": "2027-06-30", "hours": "10", "per": "month"])
                // then, where March ends with a follow-up, June ends with none, and after June none is valid,
                // the lists' alerts equal the full case's: a list that read too few approvals would warn of
                // March's end, or date the gap from March instead of July
                var kinds: [AlertKind] = []
                for day in ["2027-03-25", "2027-06-25", "2027-07-15"].compactMap(Day.init(iso:)) {
                    _ = try await Self.compare(t, today: day)
                    let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
                    let cases = try await CaseStore.list(visibleTo: management, today: day, on: t.db)
                    let lena = try #require(try await CaseWorkStore.summaries(cases, today: day, on: t.db).first { $0.record.id.uuidString.lowercased() == s.caseID.lowercased() })
                    kinds += lena.alerts.map(\.kind).filter { $0 == .approvalEnding || $0 == .noApproval }
                    if day.iso == "2027-07-15" {
                        #expect(lena.alerts.first { $0.kind == .noApproval }?.since.iso == "2027-07-01")
                    }
                }
                #expect(kinds == [.approvalEnding, .noApproval])
            }
        }

        @Test("Issue 12 R12 R9: after no-shows, a cancellation ahead and an entry over budget, the kept values follow every write")
        func followsWrites() async throws {
            try await TestApp.run { t in
                // given Lena's case: 10 hours a month since October, one contact on 2 November
                let s = try await DocumentationAPI.setUp(t)
                let token = s.world.fina.token
                let base = "/api/v1/cases/\(s.caseID)"
                let today = BerlinTime.local(TestApp.referenceNow).day
                // when three appointments in a row fail
                for day in ["2026-11-10", "2026-11-12", "2026-11-17"] {
                    _ = try await t.create(base + "/entries", token: token, ["kind": "noShow", "date": day, "start": "10:00", "minutes": 60])
                }
                // then the kept streak says so, and lists alert exactly as the full ledger does
                let kept = try #require(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db))
                #expect(kept.noShowStreak == "2026-11-10,2026-11-12,2026-11-17")
                #expect(kept.lastContact == "2026-11-02")
                _ = try await Self.compare(t, today: today)
                // when a long contact breaks the streak and goes over the month's budget
                _ = try await t.create(base + "/entries", token: token, ["kind": "direct", "date": "2026-11-19", "start": "08:00", "minutes": 600])
                let after = try #require(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db))
                #expect(after.noShowStreak == "")
                #expect(after.lastContact == "2026-11-19")
                let windows = try await CaseBudgetWindowModel.query(on: t.db).filter(\.$caseID == UUID(uuidString: s.caseID)!).all()
                #expect(windows.contains { $0.fromDate == "2026-11-01" && $0.usedMinutes > $0.approvedMinutes && $0.overSince == "2026-11-19" })
                _ = try await Self.compare(t, today: today)
                // and a short-notice cancellation recorded ahead counts only from its day on
                _ = try await t.create(base + "/entries", token: token, ["kind": "cancelled", "date": "2026-11-23", "start": "09:00", "minutes": 60,
                                                                        "cancelledBy": "client", "cancelledAt": "2026-11-22T18:00:00+01:00"])
                let ahead = try #require(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db))
                #expect(ahead.noShowStreak == "2026-11-23")
                _ = try await Self.compare(t, today: today)
                _ = try await Self.compare(t, today: today.adding(days: 2))
            }
        }
    }
}
