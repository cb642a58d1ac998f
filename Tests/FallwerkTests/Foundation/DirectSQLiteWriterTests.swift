@testable import FallwerkStore
import FluentKit
import FluentSQL
import Foundation
import Testing

extension AllTests {
    // SQLite only: PostgreSQL's transactions run through its driver; skipped (not passed) there.
    @Suite("Write transactions on SQLite, on a connection of their own (decision 0027)")
    struct DirectSQLiteWriterTests {
        typealias Probe = DirectSQLiteReaderTests

        static func team(_ name: String, _ location: String) -> TeamModel {
            let team = TeamModel()
            team.name = name
            team.location = location
            return team
        }

        static func insert(_ id: Int, _ name: String, on db: any Database) async throws {
            let sql = try #require(db as? any SQLDatabase)
            try await sql.raw("INSERT INTO \(ident: Probe.probe) (id, name) VALUES (\(bind: id), \(bind: name))").run()
        }

        @Test("Issue 12: a write transaction runs on the writer; its models, queries and SQL read its own writes, foreign keys hold, a body that throws leaves nothing",
              .enabled(if: TestApp.postgresURL == nil))
        func transactionOnTheWriter() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                try await Probe.makeProbe(sql)
                let name = "Grüße \" ' <&> \(String(repeating: "ö", count: 3_000))"
                // when a write transaction writes through SQL and through a Fluent model, and reads both back
                let (onWriter, foreignKeys, names, team) = try await t.app.db.writeTransaction { db in
                    try await Self.insert(1, name, on: db)
                    let model = Self.team("Team Süd \"B\"", "Köln")
                    try await model.create(on: db)
                    let foreignKeys = try await (db as! any SQLDatabase).raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
                    let team = try await TeamModel.query(on: db).filter(\.$name == "Team Süd \"B\"").first()?.location
                    return (db is DirectWriteDatabase, foreignKeys, try await Probe.names(db), team)
                }
                // then it ran on the writer's connection, saw its own writes and had foreign keys on
                #expect(onWriter)
                #expect(foreignKeys == 1)
                #expect(names == [name])
                #expect(team == "Köln")
                // and what it committed is read outside, through the reader and through Fluent
                #expect(try await Probe.names(t.app.db) == [name])
                #expect(try await TeamModel.query(on: t.app.db).count() == 1)

                // when a body throws after it wrote
                struct Stop: Error {}
                await #expect(throws: Stop.self) {
                    try await t.app.db.writeTransaction { db in
                        try await Self.insert(2, "zwei", on: db)
                        try await Self.team("Team Nord", "Kiel").create(on: db)
                        throw Stop()
                    }
                }
                // then nothing of it is kept, and the writer takes the next transaction
                #expect(try await Probe.names(t.app.db) == [name])
                #expect(try await TeamModel.query(on: t.app.db).count() == 1)
                try await t.app.db.writeTransaction { db in try await Self.insert(3, "drei", on: db) }
                #expect(try await Probe.names(t.app.db) == [name, "drei"])
            }
        }

        @Test("Issue 12: a constraint the writer's statement breaks reads as the driver's constraint failure, and rolls the transaction back",
              .enabled(if: TestApp.postgresURL == nil))
        func constraintFailure() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                try await sql.raw("CREATE TABLE \(ident: "direct_write_unique") (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)").run()
                try await sql.raw("INSERT INTO \(ident: "direct_write_unique") VALUES (1, 'eins')").run()
                // when a write transaction inserts a row and then one that breaks the unique name
                var failure: (any Error)?
                do {
                    try await t.app.db.writeTransaction { db in
                        try await (db as! any SQLDatabase).raw("INSERT INTO \(ident: "direct_write_unique") VALUES (2, 'zwei')").run()
                        try await (db as! any SQLDatabase).raw("INSERT INTO \(ident: "direct_write_unique") VALUES (3, 'eins')").run()
                    }
                } catch {
                    failure = error
                }
                // then the stores see a constraint failure (as `UserStore.recordFailure` expects), and nothing was kept
                let database = try #require(failure as? any DatabaseError)
                #expect(database.isConstraintFailure)
                #expect(!database.isSyntaxError)
                let count = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: "direct_write_unique")").first()?.decode(column: "n", as: Int.self)
                #expect(count == 1)
            }
        }

        @Test("Issue 12: a write transaction waits for a write another connection holds, without failing, and then writes",
              .enabled(if: TestApp.postgresURL == nil))
        func waitsForAnotherWriter() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                try await Probe.makeProbe(sql)
                // given the driver's connection in a transaction that holds the write lock for a while
                let holding = Task {
                    try await t.app.db.transaction { db in
                        try await Self.insert(1, "eins", on: db)
                        try await Task.sleep(for: .milliseconds(300))
                    }
                }
                try await Task.sleep(for: .milliseconds(50))
                // when a write transaction starts meanwhile
                try await t.app.db.writeTransaction { db in try await Self.insert(2, "zwei", on: db) }
                try await holding.value
                // then both writes are kept, the waiting one after the other
                #expect(try await Probe.names(t.app.db) == ["eins", "zwei"])
            }
        }

        /// A writer of the test's file whose groups stay open as long as writes wait (the standard limit
        /// closes a group after 10 ms, which a slow test machine could pass while the writes queue).
        static func patientWriter(_ t: TestApp) throws -> DirectSQLiteWriter {
            let path = try #require(DirectSQLiteWriter.serving(t.app.db)).path
            return DirectSQLiteWriter(path: path, groupLimit: .init(writes: 32, joiningFor: .seconds(600)))
        }

        /// A write on `writer` that holds it, once it has its turn, until `count` more writes wait; returns
        /// when it has the turn. Its task ends with its commit.
        static func holding(_ writer: DirectSQLiteWriter, until count: Int, durability: Durability = .atCommit, _ t: TestApp,
                            writing id: Int, _ name: String) async throws -> Task<Void, any Error> {
            let (started, signal) = AsyncStream<Void>.makeStream()
            let task = Task {
                try await writer.transaction(context: t.app.db.context, durability: durability) { db in
                    try await Self.insert(id, name, on: db)
                    signal.yield()
                    try await Self.untilWaiting(count, on: writer)
                }
            }
            for await _ in started { break }
            return task
        }

        /// Waits until `count` writes wait for `writer`'s turn.
        static func untilWaiting(_ count: Int, on writer: DirectSQLiteWriter) async throws {
            for _ in 0..<10_000 where writer.waitingWrites < count { try await Task.sleep(for: .milliseconds(1)) }
            #expect(writer.waitingWrites == count)
        }

        @Test("Issue 12: writes that wait for the writer commit together in one transaction; one whose body throws leaves nothing and fails alone",
              .enabled(if: TestApp.postgresURL == nil))
        func writesWaitingCommitTogether() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                try await Probe.makeProbe(sql)
                let writer = try Self.patientWriter(t)
                defer { writer.close() }
                struct Stop: Error {}
                // given a write that holds the writer until fifteen more wait for it
                let first = try await Self.holding(writer, until: 15, t, writing: 0, "null")
                // when fifteen writes come meanwhile, the eighth of which throws after it wrote
                let others = (1...15).map { id in
                    Task {
                        try await writer.transaction(context: t.app.db.context) { db in
                            try await Self.insert(id, "Nr. \(id) \"ä\"", on: db)
                            if id == 8 { throw Stop() }
                        }
                    }
                }
                try await first.value
                var failed: [Int] = []
                for (index, task) in others.enumerated() {
                    do { try await task.value } catch is Stop { failed.append(index + 1) }
                }
                // then only the eighth failed, and everything else was kept, in one commit
                #expect(failed == [8])
                let names = try await Probe.names(t.app.db)
                #expect(names == ["null"] + (1...15).filter { $0 != 8 }.map { "Nr. \($0) \"ä\"" })
                #expect(writer.commits == 1)
            }
        }

        @Test("Issue 12, R31: a write that must be durable at its commit never joins a group that commits without waiting for the disk; the other way round it may",
              .enabled(if: TestApp.postgresURL == nil))
        func durableWritesNeverJoinSoonGroups() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                try await Probe.makeProbe(sql)
                let writer = try Self.patientWriter(t)
                defer { writer.close() }
                // given a read audit's group commit (durable soon) that holds the writer while two writes queue
                let first = try await Self.holding(writer, until: 2, durability: .soon, t, writing: 1, "eins")
                // when a change of data (durable at commit) and another read audit come, in that order
                let change = Task {
                    try await writer.transaction(context: t.app.db.context) { db in
                        try await Self.insert(2, "zwei", on: db)
                        return try await WALCheckpointerTests.synchronous(db)
                    }
                }
                try await Self.untilWaiting(1, on: writer)
                let audit = Task {
                    try await writer.transaction(context: t.app.db.context, durability: .soon) { db in try await Self.insert(3, "drei", on: db) }
                }
                try await first.value
                // then the change began a transaction of its own that waits for the disk, and the read audit joined it
                #expect(try await change.value == 2)
                try await audit.value
                #expect(writer.commits == 2)
                #expect(writer.lastCommitted == .atCommit)
                #expect(try await Probe.names(t.app.db) == ["eins", "zwei", "drei"])
            }
        }
    }
}
