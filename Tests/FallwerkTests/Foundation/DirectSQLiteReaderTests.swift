@testable import FallwerkStore
import FluentKit
import FluentSQL
import Foundation
import Testing

extension AllTests {
    @Suite("Reads on SQLite outside transactions, on connections of their own (decision 0026)")
    struct DirectSQLiteReaderTests {
        static let probe = "direct_read_probe"

        /// A table of its own, created through Fluent's connection (the reader learns of it by the schema change).
        static func makeProbe(_ sql: any SQLDatabase) async throws {
            try await sql.raw("""
                CREATE TABLE \(ident: probe) (id INTEGER NOT NULL, name TEXT NOT NULL, amount REAL, data BLOB, note TEXT)
                """).run()
        }

        static func names(_ db: any Database) async throws -> [String] {
            let sql = try #require(db as? any SQLDatabase)
            return try await sql.plainRows("SELECT \(ident: "name") FROM \(ident: probe) ORDER BY \(ident: "id")" as SQLQueryString)
                .map { try $0.decode(column: "name", as: String.self) }
        }

        @Test("Issue 12: a read outside a transaction runs on the reader and decodes every column type as the driver's row does",
              .enabled(if: TestApp.postgresURL == nil))
        func readsAsTheDriver() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                #expect(DirectSQLiteReader.serving(sql) != nil)
                try await Self.makeProbe(sql)
                let name = "Grüße \" ' <&> \(String(repeating: "ä", count: 3_000))"
                try await sql.raw("""
                    INSERT INTO \(ident: Self.probe) VALUES (1, \(bind: name), 12.5, X'00FF10', NULL)
                    """).run()
                let statement: SQLQueryString = "SELECT * FROM \(ident: Self.probe) WHERE \(ident: "id") = \(bind: 1)"
                // when the same row is read by the reader and by the driver
                let direct = try #require(try await sql.plainRows(statement).first)
                let driver = try #require(try await sql.raw(statement).first())
                // then each value is the same, text with quotes and umlauts unchanged
                #expect(direct is PlainSQLiteRow)
                #expect(direct.allColumns == driver.allColumns)
                #expect(try direct.decode(column: "name", as: String.self) == name)
                #expect(try direct.decode(column: "id", as: Int.self) == driver.decode(column: "id", as: Int.self))
                #expect(try direct.decode(column: "amount", as: Double.self) == 12.5)
                #expect(try direct.decode(column: "data", as: Data.self) == Data([0x00, 0xFF, 0x10]))
                #expect(try direct.decode(column: "note", as: String?.self) == nil)
                #expect(try direct.decodeNil(column: "note"))
            }
        }

        @Test("Issue 12: a kept statement keeps its plan: read again with other values, SQLite does not prepare it again",
              .enabled(if: TestApp.postgresURL == nil))
        func keptStatementsKeepTheirPlans() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                let reader = try #require(DirectSQLiteReader.serving(sql))
                // when every API request's token lookup runs with other tokens, one after another
                for (index, hash) in ["a1", "b2", "a1", "c3", "b2"].enumerated() {
                    let now = Date(timeIntervalSince1970: 1_800_000_000 + Double(index))
                    #expect(try await TokenStore.user(tokenHash: hash, now: now, on: t.app.db) == nil)
                }
                // then SQLite planned it once (without stable plans it prepared it again on every call)
                #expect(reader.preparedAgain == 0)
            }
        }

        @Test("Issue 12: every committed write is seen by the next read, a kept statement reads again with other values, a transaction reads its own writes, a rollback leaves nothing",
              .enabled(if: TestApp.postgresURL == nil))
        func seesWhatIsCommitted() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                try await Self.makeProbe(sql)
                try await sql.raw("INSERT INTO \(ident: Self.probe) (id, name) VALUES (1, 'eins')").run()
                #expect(try await Self.names(t.app.db) == ["eins"])
                // the same statement again, kept prepared: it sees the row written since
                try await sql.raw("INSERT INTO \(ident: Self.probe) (id, name) VALUES (2, 'zwei')").run()
                #expect(try await Self.names(t.app.db) == ["eins", "zwei"])
                // one kept statement, read again with other values
                for (id, name) in [(1, "eins"), (2, "zwei"), (1, "eins")] {
                    let rows = try await sql.plainRows("""
                        SELECT \(ident: "name") FROM \(ident: Self.probe) WHERE \(ident: "id") = \(bind: id)
                        """ as SQLQueryString)
                    #expect(try rows.map { try $0.decode(column: "name", as: String.self) } == [name])
                }
                // inside a transaction the reads stay on its connection and see its own write
                let (served, inside) = try await t.app.db.transaction { db in
                    try await (db as! any SQLDatabase).raw("INSERT INTO \(ident: Self.probe) (id, name) VALUES (3, 'drei')").run()
                    return (DirectSQLiteReader.serving(db as! any SQLDatabase) != nil, try await Self.names(db))
                }
                #expect(!served)
                #expect(inside == ["eins", "zwei", "drei"])
                #expect(try await Self.names(t.app.db) == ["eins", "zwei", "drei"])
                // a rollback: what the transaction read of its own delete, and what is left after it
                struct Undo: Error { let seen: [String] }
                var seenBeforeRollback: [String]?
                do {
                    try await t.app.db.transaction { db in
                        try await (db as! any SQLDatabase).raw("DELETE FROM \(ident: Self.probe)").run()
                        throw Undo(seen: try await Self.names(db))
                    }
                } catch let undo as Undo {
                    seenBeforeRollback = undo.seen
                }
                #expect(seenBeforeRollback == [])
                #expect(try await Self.names(t.app.db) == ["eins", "zwei", "drei"])
            }
        }

        @Test("Issue 12: only what SQLite calls a read goes to the reader; a write outside a transaction, a CTE's too, runs through the driver",
              .enabled(if: TestApp.postgresURL == nil))
        func writesPassTheReaderBy() async throws {
            try await TestApp.run { t in
                let sql = try #require(t.app.db as? any SQLDatabase)
                try await Self.makeProbe(sql)
                _ = try await sql.plainRows("INSERT INTO \(ident: Self.probe) (id, name) VALUES (1, 'eins')" as SQLQueryString)
                _ = try await sql.plainRows("UPDATE \(ident: Self.probe) SET \(ident: "name") = 'neu'" as SQLQueryString)
                // a statement that starts like a read and writes
                _ = try await sql.plainRows("""
                    WITH next AS (SELECT 2 AS id) INSERT INTO \(ident: Self.probe) (id, name) SELECT id, 'zwei' FROM next
                    """ as SQLQueryString)
                #expect(try await Self.names(t.app.db) == ["neu", "zwei"])
                // and the reader still serves the next read
                let reader = try #require(DirectSQLiteReader.serving(sql))
                #expect(try reader.rows("SELECT count(*) AS n FROM \"\(Self.probe)\"", []).first?.decode(column: "n", as: Int.self) == 2)
            }
        }
    }
}
