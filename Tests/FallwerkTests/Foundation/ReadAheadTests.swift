@testable import FallwerkStore
import FluentKit
import FluentSQL
import Foundation
import Testing

extension AllTests {
    @Suite("Reads of a case's write made ahead of SQLite's one writer (decision 0030)")
    struct ReadAheadTests {
        /// What a read saw, and whether it ran inside the transaction.
        struct Seen: Sendable, Equatable {
            let lastContact: String?
            let inTransaction: Bool
        }

        /// Runs a write transaction on `caseID` whose read runs `between` after its first read, and answers
        /// what the body got and whether it was read ahead.
        static func write(_ caseID: UUID, on db: any Database,
                          between: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws -> (Seen, Bool) {
            let calls = Calls()
            return try await db.writeTransaction(readingAhead: caseID) { db, _ in
                let seen = Seen(lastContact: try await CaseModel.find(caseID, on: db)?.lastContact, inTransaction: db.inTransaction)
                if calls.next() == 1 { try await between(db) }
                return seen
            } _: { _, seen, readAhead in
                (seen, readAhead != nil)
            }
        }

        final class Calls: @unchecked Sendable {
            private let lock = NSLock()
            private var count = 0
            func next() -> Int { lock.withLock { count += 1; return count } }
        }

        static func setLastContact(_ day: String, of caseID: UUID, on db: any Database) async throws {
            try await db.writeTransaction { db in
                try await CaseModel.query(on: db).filter(\.$id == caseID).set(\.$lastContact, to: day).update()
            }
        }

        @Test("Decision 0030: reads made ahead are used while the case's stamp stands; a change of the case, or of anything outside cases, before the writer is taken makes the transaction read again; a change of another case does not")
        func stampDecides() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let lena = try #require(UUID(uuidString: world.lenaCase)), jonas = try #require(UUID(uuidString: world.jonasCase))
                let sqlite = TestApp.postgresURL == nil
                try await Self.setLastContact("2026-11-02", of: lena, on: t.db)

                // when nothing changes between the read and the write
                let (quiet, quietAhead) = try await Self.write(lena, on: t.db)
                // then on SQLite the body gets the reads made outside the transaction; PostgreSQL reads inside
                #expect(quietAhead == sqlite)
                #expect(quiet == Seen(lastContact: "2026-11-02", inTransaction: !sqlite))
                // (PostgreSQL keeps no stamps and reads every time inside; the rest is SQLite's.)
                guard sqlite else { return }

                // when the case itself changes after it was read
                let (changed, changedAhead) = try await Self.write(lena, on: t.db) { db in
                    try await Self.setLastContact("2026-11-20", of: lena, on: db)
                }
                // then the transaction reads it again and sees the change
                #expect(!changedAhead)
                #expect(changed == Seen(lastContact: "2026-11-20", inTransaction: true))

                // when something outside any case changes (a team's name: settings, approvals' increases, staff)
                let (_, elsewhereAhead) = try await Self.write(lena, on: t.db) { db in
                    try await db.writeTransaction { db in
                        try await TeamModel.query(on: db).filter(\.$name == "Team Süd").set(\.$name, to: "Team Süd \"Ost\" & Söhne").update()
                    }
                }
                // then it reads again too
                #expect(!elsewhereAhead)

                // when only another case changes
                let (other, otherAhead) = try await Self.write(lena, on: t.db) { db in
                    try await Self.setLastContact("2026-11-25", of: jonas, on: db)
                }
                // then what was read ahead stands (on SQLite)
                #expect(otherAhead)
                #expect(other.lastContact == "2026-11-20")
            }
        }

        @Test("Decision 0033: an entry write read ahead keeps its youth office's settings for the generation it read; a change outside any case leaves them unused",
              .enabled(if: TestApp.postgresURL == nil))
        func entryWriteKeepsSettings() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let lena = try #require(UUID(uuidString: world.lenaCase))
                let office = try #require(try await CaseModel.find(lena, on: t.db)).$youthOffice.id
                let cache = try #require(CaseWorkCache.serving(t.db))
                // when an entry is written on Lena's case
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/entries", token: world.managementToken,
                                       ["staffId": world.finaStaffID, "date": "2026-11-02", "start": "10:00", "minutes": 90, "kind": "direct"])
                // then her youth office's settings are kept for the generation now
                let stamp = try #require(try await CaseStamp.read(lena, on: t.db))
                #expect(cache.settingsBook(of: office, generation: stamp.generation) != nil)
                // and after a change outside any case they are not the ones for the new generation
                try await t.db.writeTransaction { db in
                    try await TeamModel.query(on: db).filter(\.$name == "Team Süd").set(\.$name, to: "Team Süd-Ost").update()
                }
                let moved = try #require(try await CaseStamp.read(lena, on: t.db))
                #expect(moved.generation > stamp.generation)
                #expect(cache.settingsBook(of: office, generation: moved.generation) == nil)
            }
        }

        @Test("Decision 0030 R29: an entry write moves its own case's version only, never the generation of everything else, while the entries' month totals still count it",
              .enabled(if: TestApp.postgresURL == nil))
        func entryWriteMovesItsCaseOnly() async throws {
            try await TestApp.run { t in
                let world = try await CaseWorld.make(t)
                let lena = try #require(UUID(uuidString: world.lenaCase)), jonas = try #require(UUID(uuidString: world.jonasCase))
                let lenaBefore = try #require(try await CaseStamp.read(lena, on: t.db))
                let jonasBefore = try #require(try await CaseStamp.read(jonas, on: t.db))
                // when an entry is written on Lena's case
                _ = try await t.create("/api/v1/cases/\(world.lenaCase)/entries", token: world.managementToken,
                                       ["staffId": world.finaStaffID, "date": "2026-11-02", "start": "10:00", "minutes": 90, "kind": "direct"])
                // then her case's version moved, nothing else did
                let lenaAfter = try #require(try await CaseStamp.read(lena, on: t.db))
                #expect(lenaAfter.version > lenaBefore.version)
                #expect(lenaAfter.generation == lenaBefore.generation)
                #expect(try await CaseStamp.read(jonas, on: t.db) == jonasBefore)
                // and the month totals hold the entry
                let sql = try #require(t.db as? any SQLDatabase)
                let minutes = try await sql.raw("SELECT SUM(minutes) AS minutes FROM entry_month_totals WHERE month = '2026-11'").first()?
                    .decode(column: "minutes", as: Int.self)
                #expect(minutes == 90)
            }
        }

        @Test("Decision 0030: on a database that had them, the month totals' work-version triggers are dropped by the migration, and its revert puts them back",
              .enabled(if: TestApp.postgresURL == nil))
        func monthTotalsTriggersDropped() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.db as? any SQLDatabase)
                func triggers() async throws -> Set<String> {
                    Set(try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()
                        .map { try $0.decode(column: "name", as: String.self) })
                }
                let counted = Set(["insert", "update", "delete"].map { WorkVersions.trigger(AddEntryMonthTotals.table, $0) })
                // given a database as it was before the decision (the triggers installed)
                try await UncountDerivedTables().revert(on: t.db)
                #expect(counted.isSubset(of: try await triggers()))
                // when the migration runs
                try await UncountDerivedTables().prepare(on: t.db)
                // then they are gone, and the totals' own triggers stay
                let left = try await triggers()
                #expect(left.isDisjoint(with: counted))
                #expect(left.contains("service_entries_totals_insert"))
            }
        }

        @Test("Decision 0030: futures of the writer's event loop completed on other threads while tasks await them all resume (as Fluent's bridging tasks complete theirs)")
        func immediateLoopFromOtherThreads() async throws {
            try await TestApp.run { t in
                let loop = ImmediateEventLoop(timers: t.app.eventLoopGroup.next())
                // when futures are completed on other threads while their callers add the callbacks that resume them
                let sum = try await withThrowingTaskGroup(of: Int.self) { group in
                    for part in 0..<8 {
                        group.addTask {
                            var sum = 0
                            for index in 0..<250 {
                                let promise = loop.makePromise(of: Int.self)
                                DispatchQueue.global().async { promise.succeed(part * 250 + index) }
                                sum += try await promise.futureResult.get()
                            }
                            return sum
                        }
                    }
                    return try await group.reduce(0, +)
                }
                // then every caller resumed with its value (a lost callback would leave the run waiting for good)
                #expect(sum == (0..<2_000).reduce(0, +))
            }
        }
    }
}

