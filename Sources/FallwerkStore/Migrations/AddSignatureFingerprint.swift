import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// A recorded signature status covers the sheet it was recorded for (R15, issue 10 defect 8): the
/// fingerprint of the sheet's lines is stored beside it. Statuses recorded before have none; what
/// they covered is unknown, so they are taken to cover the sheet as it is at this migration and are
/// filled from each entry's stored billed minutes (the sheet's billable minutes, `BilledMinutes`).
/// Plain SQL reads: later migrations may add model fields this one must not select.
struct AddSignatureFingerprint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceRecordSignatureModel.schema).field("fingerprint", .string).update()
        try await Self.fill(on: database)
    }

    /// Fills the fingerprint of every status that has none, from the sheet as it is now.
    static func fill(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        struct Signature: Decodable { let id: UUID, caseID: UUID, month: String }
        struct Line: Decodable { let id: UUID, date: String, start: Int, minutes: Int, kind: String, staffID: UUID, billed: Int }
        let signatures = try await sql.raw("""
            SELECT id, case_id AS "caseID", month FROM service_record_signatures WHERE fingerprint IS NULL
            """).all(decoding: Signature.self)
        for signature in signatures {
            guard let month = Month(iso: signature.month) else { continue }
            let rows = try await sql.raw("""
                SELECT id, date, start_minute AS start, minutes, kind, staff_id AS "staffID", billed_minutes AS billed
                FROM service_entries
                WHERE case_id = \(bind: signature.caseID) AND date >= \(bind: month.firstDay.iso) AND date <= \(bind: month.lastDay.iso)
                      AND billed_minutes > 0
                """).all(decoding: Line.self)
            let lines = rows.compactMap { row -> SheetLine? in
                guard let date = Day(iso: row.date), let start = TimeOfDay(minuteOfDay: row.start), let kind = EntryKind(rawValue: row.kind)
                else { return nil }
                return SheetLine(entryID: row.id.uuidString, date: date, start: start, minutes: row.minutes, kind: kind,
                                 staffID: row.staffID.uuidString, billableMinutes: row.billed)
            }
            try await sql.update(ServiceRecordSignatureModel.schema)
                .set("fingerprint", to: SQLBind(SheetFingerprint(lines).rawValue))
                .where("id", .equal, SQLBind(signature.id))
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceRecordSignatureModel.schema).deleteField("fingerprint").update()
    }
}
