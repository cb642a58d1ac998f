@testable import FallwerkStore
import Foundation
import FluentKit
import FluentSQL
import SQLiteNIO
import Testing

extension AllTests {
    @Suite("Checkpoints of the write-ahead log on a thread of their own (issue 12)")
    struct WALCheckpointerTests {
        /// A fresh file in write-ahead-log mode with one table, and the path of its log.
        static func database() throws -> (path: String, log: String, connection: DirectSQLiteConnection) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fallwerk-wal-\(UUID().uuidString).sqlite").path
            // An empty file is an empty database (the connection opens existing files only).
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let connection = try DirectSQLiteConnection(path: path, readOnly: false)
            _ = try connection.rows("PRAGMA journal_mode = WAL", [], onlyReads: false)
            _ = try connection.rows("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)", [], onlyReads: false)
            return (path, path + "-wal", connection)
        }

        static func remove(_ path: String) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }

        /// Commits `pages` rows of one page each, twenty to a transaction: every commit reports the log's length.
        static func write(pages: Int, startingAt first: Int = 0, on connection: DirectSQLiteConnection) throws {
            let body = SQLiteData.blob(ByteBuffer(repeating: 0xA5, count: 4_000))
            for start in stride(from: first, to: first + pages, by: 20) {
                _ = try connection.rows("BEGIN IMMEDIATE", [], onlyReads: false)
                for id in start..<min(start + 20, first + pages) {
                    _ = try connection.rows("INSERT INTO pages (id, body) VALUES (?1, ?2)", [.integer(id), body], onlyReads: false)
                }
                _ = try connection.rows("COMMIT", [], onlyReads: false)
            }
        }

        /// The pages a file holds (the log, or the database file).
        static func pages(in file: String) throws -> Int {
            ((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0) / 4_096
        }

        @Test("Issue 12: the writer's commits no longer checkpoint the log themselves; they leave it to the checkpointer")
        func commitsDoNotCheckpoint() throws {
            let (path, log, connection) = try Self.database()
            defer { connection.close(); Self.remove(path) }
            // given a checkpointer that never runs
            let checkpointer = WALCheckpointer(path: path)
            checkpointer.stop()
            connection.handOverCheckpoints(to: checkpointer)
            // when the writer commits three times the pages after which SQLite would checkpoint by itself
            try Self.write(pages: 3 * WALCheckpointer.pages, on: connection)
            // then no commit copied the log back and started it over: it holds every page written
            #expect(try Self.pages(in: log) >= 3 * WALCheckpointer.pages)
            #expect(checkpointer.completed == 0)
        }

        @Test("Issue 12: past a thousand pages the checkpointer copies the log back on its own thread; and nothing is lost")
        func checkpointerCopiesBack() async throws {
            let (path, _, connection) = try Self.database()
            let checkpointer = WALCheckpointer(path: path)
            defer { connection.close(); checkpointer.stop(); Self.remove(path) }
            connection.handOverCheckpoints(to: checkpointer)
            // when the writer commits past the limit
            try Self.write(pages: WALCheckpointer.pages + 100, on: connection)
            // then the checkpointer copies the log back into the database file on its own thread (waited
            // for, at most a minute)
            let deadline = ContinuousClock.now + .seconds(60)
            while try Self.pages(in: path) < WALCheckpointer.pages, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try Self.pages(in: path) >= WALCheckpointer.pages)
            #expect(checkpointer.completed >= 1)
            // and nothing is lost
            try Self.write(pages: 200, startingAt: 10_000, on: connection)
            let count = try connection.rows("SELECT COUNT(*) AS n FROM pages", [], onlyReads: true).first?.decode(column: "n", as: Int.self)
            #expect(count == WALCheckpointer.pages + 100 + 200)
        }
    }
}

extension AllTests.WALCheckpointerTests {
    @Test("Issue 12, R31: a transaction that is durable soon (the read audit's group commit) does not wait for the disk; every other write transaction after it does again",
          .enabled(if: TestApp.postgresURL == nil))
    func onlyTheReadAuditCommitsSoon() async throws {
        try await TestApp.run { t in
            // a write of data commits with FULL (2), a read audit's group commit with NORMAL (1)
            let first = try await t.app.db.writeTransaction { try await Self.synchronous($0) }
            let audit = try await t.app.db.writeTransaction(.soon) { try await Self.synchronous($0) }
            // and the next write of data is durable at its commit again
            let next = try await t.app.db.writeTransaction { try await Self.synchronous($0) }
            #expect([first, audit, next] == [2, 1, 2])
        }
    }

    @Test("Issue 12, R31: the read audit's group commits are the ones durable soon; a change and its audit entry wait for the disk",
          .enabled(if: TestApp.postgresURL == nil))
    func readAuditCommitsSoonChangesAtCommit() async throws {
        try await TestApp.run { t in
            let writer = try #require(DirectSQLiteWriter.serving(t.app.db))
            let actor = AuditActor(userID: UUID(), username: "fina")
            // a read, written through the read audit's group commit
            try await AuditLog.record(.read, entity: "case", id: nil, cases: [UUID()], by: actor, at: TestApp.referenceNow,
                                      on: t.app.db, batch: AuditBatch())
            #expect(writer.lastCommitted == .soon)
            // a change with its audit entry
            try await t.app.db.writeTransaction { db in
                try await AuditLog.record(.update, entity: "note", id: UUID(), changes: ["observation": AuditChange(from: "a", to: "b")],
                                          by: actor, at: TestApp.referenceNow, on: db)
            }
            #expect(writer.lastCommitted == .atCommit)
        }
    }

    @Sendable static func synchronous(_ db: any Database) async throws -> Int? {
        try await (db as! any SQLDatabase).raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
    }
}
