import Fluent
import FluentSQL
import Foundation

/// The state of one case as a read saw it: its work version and the generation of everything else
/// (decision 0028), as the lists' cache stamps what it keeps (`CaseWorkCache.Stamp`, without a day), read
/// with the same columns the lists select (`WorkVersions.listFields`). The database's triggers move one of
/// them with every committed change of any table a list or a write reads, so two equal stamps mean nothing
/// such changed between them.
enum CaseStamp {
    /// The case's stamp now, on SQLite; nil on PostgreSQL, whose transactions run side by side, so reads
    /// inside one hold up no other write (decision 0030), and where there is no such case.
    static func read(_ caseID: UUID, on db: any Database) async throws -> CaseWorkCache.Stamp? {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return nil }
        let rows = try await KeptStatement.rows("caseStamp", [.id(caseID)], on: db) { values in
            CaseModel.query(on: db).filter(\.$id == values[0].id).fields(WorkVersions.listFields).plainStatement
        }
        guard let row = rows.first, let version = WorkVersions.version(in: row), let generation = WorkVersions.generation(in: row) else {
            return nil
        }
        return CaseWorkCache.Stamp(version: version, generation: generation, day: nil)
    }
}

extension Database {
    /// A write transaction about one case whose reads run before it takes SQLite's one writer (decision 0030).
    ///
    /// On SQLite every write of the server waits for the one before it, so whatever a write does inside
    /// its transaction bounds how many writes the whole server makes a second (issue 12). Here `read`
    /// runs first, outside, on the reader, beside other requests, with the case's stamp read before it.
    /// Inside, the stamp is read again: where it is the same, nothing `read` could have read has changed,
    /// and `body` gets those reads; otherwise `read` runs again inside the transaction. `read` may
    /// therefore only read what the stamp covers: the case's own rows and everything outside any case
    /// (settings, approvals' increases), never another case's rows (a staff member's entries on other
    /// cases are read in `body`).
    ///
    /// `read` gets the stamp read before it when it runs ahead (nil inside), and may use what was read
    /// before at that stamp's generation (`KeptSettings`). `body` gets the stamp when its reads were read
    /// ahead and found current (debug builds check those writes against a recount), so it may keep what
    /// was read for that generation; nil when they were read inside. Inside a transaction, and on
    /// PostgreSQL (which runs its transactions side by side), `read` runs inside, as part of the transaction.
    func writeTransaction<Reads: Sendable, T: Sendable>(
        readingAhead caseID: UUID, _ read: @escaping @Sendable (_ db: any Database, _ ahead: CaseWorkCache.Stamp?) async throws -> Reads,
        _ body: @escaping @Sendable (_ db: any Database, _ reads: Reads, _ readAhead: CaseWorkCache.Stamp?) async throws -> T
    ) async throws -> T {
        guard !inTransaction, let before = try await CaseStamp.read(caseID, on: self) else {
            return try await writeTransaction { db in try await body(db, try await read(db, nil), nil) }
        }
        let early = try await read(self, before)
        return try await writeTransaction { db in
            guard try await CaseStamp.read(caseID, on: db) == before else { return try await body(db, try await read(db, nil), nil) }
            return try await body(db, early, before)
        }
    }
}

/// What a write made from reads made ahead of the writer differs from what it makes from reads inside
/// its transaction (debug builds, so the whole test suite checks it): a change the stamp missed. It names
/// the kind of value, never its content (no case data in logs).
struct ReadAheadStale: Error, CustomStringConvertible {
    let what: String
    var description: String { "writeTransaction(readingAhead:): the \(what) from reads made ahead is stale" }
}
