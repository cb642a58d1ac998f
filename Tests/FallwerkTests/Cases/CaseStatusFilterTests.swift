@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import Foundation
import Testing

extension AllTests {
    @Suite("Case list status filter")
    struct CaseStatusFilter {
        @Test("R6 the status filter, done in SQL, agrees with each case's status on the edge days")
        func statusInSQL() async throws {
            try await TestApp.run { t in
                // given cases starting today, starting tomorrow, ending today and ended yesterday (today: 22.11.2026)
                let world = try await CaseWorld.make(t)
                let today = Day(iso: "2026-11-22")!
                let base = try #require(try await CaseModel.find(UUID(uuidString: world.lenaCase), on: t.db))
                let other = try #require(try await CaseModel.find(UUID(uuidString: world.jonasCase), on: t.db))
                base.startDate = today.iso
                base.endDate = today.iso
                try await base.update(on: t.db)
                other.startDate = "2026-01-05"
                other.endDate = today.adding(days: -1).iso
                try await other.update(on: t.db)
                let viewer = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
                // when / then
                for status in CaseStatus.allCases {
                    let listed = try await CaseStore.list(CaseFilter(status: status), visibleTo: viewer, today: today, on: t.db)
                    let all = try await CaseStore.list(visibleTo: viewer, today: today, on: t.db)
                    #expect(Set(listed.map(\.id)) == Set(all.filter { $0.status(on: today) == status }.map(\.id)), "\(status)")
                }
                let running = try await CaseStore.list(CaseFilter(status: .running), visibleTo: viewer, today: today, on: t.db)
                let ended = try await CaseStore.list(CaseFilter(status: .ended), visibleTo: viewer, today: today, on: t.db)
                #expect(running.map(\.fileNumber) == ["51.2-2026-0001"])
                #expect(ended.map(\.fileNumber) == ["51.2-2026-0002"])
                let planned = try await CaseStore.list(CaseFilter(status: .planned), visibleTo: viewer, today: today.adding(days: -1), on: t.db)
                #expect(planned.map(\.fileNumber) == ["51.2-2026-0001"])
            }
        }
    }
}
