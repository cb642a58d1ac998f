@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Fluent
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Documentation demo")
    struct DocumentationDemo {
        @Test("R18 R19 the demo has goals with ratings, notes, a progress report in draft and a sent final report with one report entry")
        func demo() async throws {
            try await TestApp.run { t in
                // given
                #expect(try await DemoData.seed(on: t.db, hash: { try Bcrypt.hash($0, cost: 4) }, now: TestApp.referenceNow))
                // then
                let reports = try await ReportModel.query(on: t.db).all().compactMap(ReportStore.record)
                #expect(reports.filter { $0.report.status == .draft }.count == 1)
                let sent = try #require(reports.first { $0.report.status == .sent && $0.report.kind == .final })
                #expect(sent.report.discussedWithFamilyOn != nil)
                let entry = try #require(try await ServiceEntryModel.find(sent.serviceEntryID, on: t.db))
                #expect(entry.kind == EntryKind.report.rawValue)
                let draft = try #require(reports.first { $0.report.status == .draft })
                #expect(draft.report.kind == .progress)
                #expect(draft.report.sections.first { $0.key == .goals }?.text.contains("Regelmäßiger Schulbesuch") == true)
                let goals = try await GoalModel.query(on: t.db).with(\.$ratings).all()
                #expect(goals.count == 4)
                #expect(goals.allSatisfy { $0.ratings.count >= 2 })
                #expect(try await NoteModel.query(on: t.db).count() == 8)
            }
        }
    }
}
