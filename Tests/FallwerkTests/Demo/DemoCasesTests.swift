@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Demo data")
    struct DemoDataTests {
        @Test("The demo has about 25 cases with every entry kind, a group session and each kind of alert")
        func demoCases() async throws {
            try await TestApp.run { t in
                let seeded = try await DemoData.seed(on: t.db, hash: { try Bcrypt.hash($0, cost: 4) }, now: TestApp.referenceNow)
                #expect(seeded)
                let today = Day(iso: "2026-11-22")!
                let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
                let cases = try await CaseStore.list(visibleTo: management, today: today, on: t.db)
                #expect(cases.count >= 20)
                let kinds = Set(try await ServiceEntryModel.query(on: t.db).all().map(\.kind))
                #expect(kinds == Set(EntryKind.allCases.map(\.rawValue)))
                #expect(try await GroupSessionModel.query(on: t.db).count() == 1)
                let alerts = Set(try await AlertStore.openAlerts(visibleTo: management, today: today, on: t.db).flatMap { $0.alerts.map(\.kind) })
                for kind in [AlertKind.noShowStreak, .overBudget, .crisisConfirmationMissing, .noContact, .noApproval, .approvalEnding] {
                    #expect(alerts.contains(kind), "\(kind)")
                }
                let fachkraft = try #require(try await UserModel.query(on: t.db).filter(\.$username == "fachkraft").first())
                let viewer = try await Viewer.load(userID: try fachkraft.requireID(), roles: [.caseworker], on: t.db)
                #expect(try await CaseStore.list(visibleTo: viewer, today: today, on: t.db).count >= 5)
                // A second start changes nothing.
                #expect(!(try await DemoData.seed(on: t.db, hash: { try Bcrypt.hash($0, cost: 4) }, now: TestApp.referenceNow)))
            }
        }
    }
}
