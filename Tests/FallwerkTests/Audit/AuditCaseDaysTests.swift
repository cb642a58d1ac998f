@testable import FallwerkStore
import FallwerkDomain
import FluentKit
import FluentSQL
import Foundation
import Testing

extension AllTests {
    @Suite("Reads refer to their cases by day (R31, issue 12)")
    struct AuditCaseDaysTests {
        static func count(_ table: String, on db: any Database) async throws -> Int {
            let row = try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
            return try #require(row).decode(column: "n", as: Int.self)
        }

        @Test("R31 issue 12: a read names its cases in its entry and adds one row per case, user and day; the search by case finds exactly the entries that showed it")
        func searchByCaseStaysExact() async throws {
            try await TestApp.run { t in
                let anna = AuditActor(userID: UUID(), username: "anna"), ben = AuditActor(userID: UUID(), username: "ben")
                let a = UUID(), b = UUID(), c = UUID()
                let morning = TestApp.referenceNow, evening = TestApp.referenceNow.addingTimeInterval(3_600)
                let nextDay = TestApp.referenceNow.addingTimeInterval(86_400)
                let batch = AuditBatch()
                func read(_ cases: [UUID], by actor: AuditActor, at now: Date) async throws {
                    try await AuditLog.record(.read, entity: "case", id: nil, changes: ["view": AuditChange(from: nil, to: "faelle"),
                                                                                  "count": AuditChange(from: nil, to: String(cases.count))],
                                              cases: cases, by: actor, at: now, on: t.db, batch: batch)
                }
                // anna reads a and b twice on one day, then only b; the next day a; ben reads c
                try await read([a, b], by: anna, at: morning)
                try await read([a, b], by: anna, at: evening)
                try await read([b], by: anna, at: evening)
                try await read([a], by: anna, at: nextDay)
                try await read([c], by: ben, at: morning)
                // then no reference per entry and case is written, and one row per case, user and day
                #expect(try await Self.count(AuditLog.caseRefsTable, on: t.db) == 0)
                #expect(try await Self.count(AuditLog.caseDaysTable, on: t.db) == 4)
                // and the search by case finds exactly the entries that showed it
                func found(_ cases: [UUID]) async throws -> [String] {
                    try await AuditLog.entries(AuditFilter(caseIDs: cases), limit: 100, on: t.db).map { "\($0.username) \($0.changes["count"]?.to ?? "")" }.sorted()
                }
                #expect(try await found([a]) == ["anna 1", "anna 2", "anna 2"])
                #expect(try await found([b]) == ["anna 1", "anna 2", "anna 2"])
                #expect(try await found([c]) == ["ben 1"])
                #expect(try await found([a, c]) == ["anna 1", "anna 2", "anna 2", "ben 1"])
                #expect(try await found([UUID()]) == [])
                // and a change still refers to its case one by one, and is found too
                try await AuditLog.record(.update, entity: "note", id: UUID(), changes: ["observation": AuditChange(from: "x", to: "y")],
                                          cases: [c], by: ben, at: evening, on: t.db)
                #expect(try await Self.count(AuditLog.caseRefsTable, on: t.db) == 1)
                #expect(try await found([c]).count == 2)
                // and the rows by day are append-only like the log
                await #expect(throws: (any Error).self) {
                    try await (t.db as! any SQLDatabase).raw("DELETE FROM audit_case_days").run()
                }
            }
        }

        @Test("Issue 12 R31: on PostgreSQL a batch of reads is written as one statement; a batch with more values than one statement binds is written in parts, every case still referred to")
        func postgresBatchInOneStatement() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.db as? any SQLDatabase)
                let anna = AuditActor(userID: UUID(), username: "anna")
                func entry(_ cases: [UUID]) -> WrittenEntry {
                    let model = AuditEntryModel()
                    (model.id, model.at, model.userID, model.username) = (UUID(), TestApp.referenceNow, anna.userID, anna.username)
                    (model.action, model.entity, model.changes) = ("read", "case", "{}")
                    return WrittenEntry(entry: model, cases: cases, byDay: true)
                }
                let small = [entry([UUID(), UUID()]), entry([UUID()])]
                let large = [entry((0..<8_000).map { _ in UUID() })]
                // a small batch is one statement on PostgreSQL and none elsewhere; a large one is none
                #expect((small.postgresStatement(for: sql) != nil) == (sql.dialect.name == "postgresql"))
                #expect(large.postgresStatement(for: sql) == nil)
                // and both are written whole, through the batch
                let batch = AuditBatch()
                for cases in [[UUID(), UUID()], (0..<8_000).map { _ in UUID() }] {
                    try await AuditLog.record(.read, entity: "case", id: nil, changes: ["view": AuditChange(from: nil, to: "faelle")],
                                              cases: cases, by: anna, at: TestApp.referenceNow, on: t.db, batch: batch)
                }
                #expect(try await Self.count(AuditLog.caseDaysTable, on: t.db) == 8_002)
                #expect(try await Self.count(AuditEntryModel.schema, on: t.db) == 2)
            }
        }
    }
}
