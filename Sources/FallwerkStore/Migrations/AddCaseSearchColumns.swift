import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// Case lists sort, search and page in SQL (issue 12): each case keeps its young person's sort name
/// and a lower-case search text beside it, filled here for the cases there are. The index serves the
/// list's order, so a page of 100 reads 100 rows however many cases there are.
/// Plain SQL reads: later migrations may add model fields this one must not select.
struct AddCaseSearchColumns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in ["sort_name", "search_text"] {
            try await database.schema(CaseModel.schema)
                .field(.string(column), .string, .required, .sql(.default(SQLLiteral.string("")))).update()
        }
        guard let sql = database as? any SQLDatabase else { return }
        struct Row: Decodable { let caseID: UUID, fileNumber: String, role: String, position: Int, firstName: String, lastName: String }
        let rows = try await sql.raw("""
            SELECT c.id AS "caseID", c.file_number AS "fileNumber", p.role, p.position, p.first_name AS "firstName", p.last_name AS "lastName"
            FROM cases c JOIN case_persons p ON p.case_id = c.id
            """).all(decoding: Row.self)
        for (caseID, persons) in Dictionary(grouping: rows, by: \.caseID) {
            let ordered = persons.sorted { $0.position < $1.position }
            guard let young = ordered.first(where: { $0.role == "youngPerson" }) else { continue }
            try await sql.update(CaseModel.schema)
                .set("sort_name", to: SQLBind(CaseSearch.sortName(lastName: young.lastName, firstName: young.firstName)))
                .set("search_text", to: SQLBind(CaseSearch.text(fileNumber: young.fileNumber, names: ordered.map { "\($0.firstName) \($0.lastName)" })))
                .where("id", .equal, SQLBind(caseID))
                .run()
        }
        try await sql.create(index: "cases_sort").on(CaseModel.schema).column("sort_name").column("id").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "cases_sort").run() }
        for column in ["search_text", "sort_name"] {
            try await database.schema(CaseModel.schema).deleteField(.string(column)).update()
        }
    }
}
