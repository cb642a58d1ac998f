import FallwerkDomain
@testable import FallwerkStore
import FluentKit
import FluentSQL
import Foundation
import Testing

extension AllTests {
    @Suite("Statements of every request about a case, written out once and kept (issue 12)")
    struct KeptStatementTests {
        @Test("Issue 12: a case read through kept statements answers for each call's own values (record, persons, staff; the viewer)")
        func eachCallItsOwnValues() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let lena = try #require(UUID(uuidString: world.lenaCase)), jonas = try #require(UUID(uuidString: world.jonasCase))
                // when the same kept statements read one case, another, and the first again
                for id in [lena, jonas, lena] {
                    let kept = try #require(try await CaseStore.find(id, on: t.app.db))
                    // then each is the case as the statement built for it reads it: persons, staff and names
                    let built = try #require(try await CaseStore.fullRecords(CaseModel.query(on: t.app.db).filter(\.$id == id), on: t.app.db).first)
                    #expect(kept == built.record)
                    #expect(kept.id == id)
                }
                #expect(try await CaseStore.find(lena, on: t.app.db)?.youngPerson.firstName == "Lena")
                #expect(try await CaseStore.find(jonas, on: t.app.db)?.youngPerson.firstName == "Jonas")
                #expect(try await CaseStore.find(UUID(), on: t.app.db) == nil)
                // the viewer: each user's own staff record
                for (username, staffID) in [("fina", world.finaStaffID), ("paul", world.paulStaffID), ("fina", world.finaStaffID)] {
                    let user = try #require(try await UserModel.query(on: t.app.db).filter(\.$username == username).first()?.id)
                    let viewer = try await Viewer.load(userID: user, roles: [.caseworker], on: t.app.db)
                    #expect(viewer.staffID?.uuidString.lowercased() == staffID.lowercased())
                }
                // the statements are in fact kept, not built every time
                // (a case's row with its stamp where the lists' cache serves, decision 0031)
                let record = CaseWorkCache.serving(t.app.db) == nil ? "caseRecord" : "caseRecordStamped"
                for key in [record, "casePersons", "caseAssignments", "viewer"] {
                    #expect(KeptStatement.isKept(key, on: t.app.db), "\(key)")
                }
            }
        }

        @Test("Issue 12 R9 R10a: an entry write's reads run as kept statements and read what the statements built for the same values read")
        func entryWriteReadsKept() async throws {
            try await TestApp.run { t in
                // given Lena's case with an approval and an entry, written through the API
                let s = try await AllTests.DocumentationAPI.setUp(t)
                let caseID = try #require(UUID(uuidString: s.caseID))
                let record = try #require(try await CaseStore.find(caseID, on: t.app.db))
                let staffID = try #require(UUID(uuidString: s.world.fina.staffID))
                let day = try #require(Day(iso: "2026-11-02"))
                // then the reads of an entry write are kept
                for key in ["entryNearby", "isInvoiced", "storedWindows", "approvalsOfCase", "increasesOfCase", "agreementsOfOffice", "offerSettings"] {
                    #expect(KeptStatement.isKept(key, on: t.app.db), "\(key)")
                }
                // and each reads what the statement built for its values reads (many at once are built every time)
                let kept = try await CaseWorkStore.approvals(of: [caseID], on: t.app.db)
                let built = try await CaseWorkStore.approvals(of: [caseID, UUID()], on: t.app.db)
                #expect(kept.count == 1)
                #expect(kept.map(\.id) == built.map(\.id))
                #expect(kept.map(\.fromDate) == built.map(\.fromDate))
                #expect(kept.map { $0.$increases.value?.count } == built.map { $0.$increases.value?.count })
                let books = try await SettingsBook.load(youthOfficeIDs: [record.youthOfficeID], on: t.app.db)
                let manyBooks = try await SettingsBook.load(youthOfficeIDs: [record.youthOfficeID, UUID()], on: t.app.db)
                #expect(books[record.youthOfficeID]?.settings(on: day, offerID: record.offerID)
                    == manyBooks[record.youthOfficeID]?.settings(on: day, offerID: record.offerID))
                #expect(books[record.youthOfficeID] != nil)
                let windows = try await BilledMinutes.storedWindows(of: caseID, from: Day(iso: "2026-10-01")!, on: t.app.db)
                let builtWindows = try await CaseBudgetWindowModel.query(on: t.app.db).filter(\.$caseID == caseID)
                    .filter(\.$fromDate >= "2026-10-01").all()
                #expect(Set(windows.compactMap(\.id)) == Set(builtWindows.compactMap(\.id)))
                #expect(windows.count == 6)
                #expect(try await EntryStore.nearby(staffID: staffID, around: day, excluding: nil, on: t.app.db).map(\.date) == [day])
                #expect(try await EntryStore.nearby(staffID: UUID(), around: day, excluding: nil, on: t.app.db).isEmpty)
                #expect(try await !BillingStore.isInvoiced(caseID: caseID, month: Month(containing: day), on: t.app.db))
            }
        }

        @Test("Issue 12 R9: a budget window rewritten through its kept text stores what it is given, with and without approval and over-budget day")
        func windowRewriteKept() async throws {
            try await TestApp.run { t in
                // given Lena's case with an approval and its stored windows
                let s = try await AllTests.DocumentationAPI.setUp(t)
                let caseID = try #require(UUID(uuidString: s.caseID))
                let from = try #require(Day(iso: "2026-10-01")), to = try #require(Day(iso: "2026-10-31"))
                let stored = try #require(try await BilledMinutes.storedWindows(of: caseID, from: from, on: t.app.db).first?.id)
                let approval = try #require(try await ApprovalModel.query(on: t.app.db).filter(\.$case.$id == caseID).first()?.id)
                let windows = [
                    BudgetStatus(approvalID: approval.uuidString, from: from, to: to, approvedMinutes: 600, usedMinutes: 700,
                                 crisisOverBudgetMinutes: 30, overBudgetSince: Day(iso: "2026-10-20")),
                    BudgetStatus(approvalID: nil, from: from, to: to, approvedMinutes: 0, usedMinutes: 45, crisisOverBudgetMinutes: 0, overBudgetSince: nil),
                    BudgetStatus(approvalID: approval.uuidString, from: from, to: to, approvedMinutes: 610, usedMinutes: 20,
                                 crisisOverBudgetMinutes: 0, overBudgetSince: nil),
                    BudgetStatus(approvalID: nil, from: from, to: to.adding(days: -1), approvedMinutes: 0, usedMinutes: 90,
                                 crisisOverBudgetMinutes: 15, overBudgetSince: Day(iso: "2026-10-02")),
                ]
                // when the window is rewritten as each of them, every shape first built and then through its kept text
                for window in windows + windows.reversed() {
                    try await t.app.db.writeTransaction { db in
                        try await BilledMinutes.windowStatements(.init(rewritten: [(stored, window)]), of: caseID, for: db).run(on: db)
                    }
                    // then the stored window is the one given
                    #expect(try await CaseBudgetWindowModel.find(stored, on: t.app.db)?.status == window)
                }
                // and the text of each shape is kept (approval and over-budget day: a bind, or NULL)
                for (noApproval, notOver) in [(false, false), (true, true), (false, true), (true, false)] {
                    let nils = [noApproval, false, false, false, false, false, notOver, false]
                    #expect(PlannedStatement.isKept("windowRewrite", nils: nils, on: t.app.db), "\(nils)")
                }
            }
        }

        @Test("Issue 12: a statement whose text depends on its values is built every time, never kept")
        func textThatDependsOnValuesIsNotKept() async throws {
            try await TestApp.run { t in
                _ = try await CaseWorld.make(t)
                // a statement that compares otherwise when the value looks like a file number
                func fileNumbers(_ text: String) async throws -> [String] {
                    try await KeptStatement.rows("branching", [.text(text)], on: t.app.db) { values in
                        let query = CaseModel.query(on: t.app.db).field(\.$fileNumber).sort(\.$fileNumber)
                        return (values[0].text.hasPrefix("51.") ? query.filter(\.$fileNumber == values[0].text)
                                : query.filter(\.$fileNumber > values[0].text)).plainStatement
                    }.map { try $0.decode(column: "cases_file_number", as: String.self) }
                }
                #expect(try await fileNumbers("51.2-2026-0002") == ["51.2-2026-0002"])
                #expect(!KeptStatement.isKept("branching", on: t.app.db))
                #expect(try await fileNumbers("51.2-2026-0001") == ["51.2-2026-0001"])
                #expect(try await fileNumbers("") == ["51.2-2026-0001", "51.2-2026-0002"])
            }
        }
    }
}
