import FallwerkDomain
import Fluent
import FluentSQL
import SQLKit
import Foundation

/// What one retention run did (or, dry, would do): file numbers per step, invoices deleted.
public struct RetentionReport: Sendable, Equatable {
    public var blocked: [String] = []
    public var erased: [String] = []
    public var purged: [String] = []
    public var invoicesDeleted = 0
    /// Ended files past their blocking whose young person has no birth date: deletion cannot be dated.
    public var withoutBirthDate: [String] = []

    public var isEmpty: Bool { blocked.isEmpty && erased.isEmpty && purged.isEmpty && invoicesDeleted == 0 }
}

/// R32 applied: blocks files `blockAfterYears` after their end, deletes their content when the young
/// person reaches `deleteAfterAge`, deletes their invoices `invoiceRetentionYears` after the end of the
/// invoice's calendar year, and removes what is left of a deleted file once no invoice needs it. One
/// transaction: a failure leaves nothing half-deleted. Idempotent: a second run on the same day does nothing.
public enum RetentionStore {
    /// Tables whose rows are case content: deleted with the file (R32), children before parents.
    static let contentTables: [(table: String, parent: String?)] = [
        ("goal_ratings", "goal_id IN (SELECT id FROM goals WHERE case_id"), ("goals", nil), ("notes", nil), ("reports", nil),
        ("care_plan_documents", nil), ("care_plan_meetings", nil), ("care_plan_versions", nil),
        ("child_protection_steps", "procedure_id IN (SELECT id FROM child_protection_procedures WHERE case_id"),
        ("child_protection_procedures", nil), ("health_records", nil), ("alert_acknowledgements", nil), ("independent_living", nil),
        ("case_persons", nil),
    ]

    /// Tables holding the minimum billing data: kept with the invoices, removed with the last of them.
    static let billingTables: [(table: String, parent: String?)] = [
        ("approval_increases", "approval_id IN (SELECT id FROM approvals WHERE case_id"), ("case_budget_windows", nil), ("approvals", nil),
        ("service_record_signatures", nil), ("absence_replacements", nil), ("service_entries", nil), ("case_assignments", nil),
    ]

    /// Tables that refer to a case from a record of their own (kept, the reference cleared).
    static let referringTables = ["intake_requests", "complaints", "incidents"]

    public static func apply(today: Day, dryRun: Bool, context: WriteContext, on db: any Database) async throws -> RetentionReport {
        guard let sql = db as? any SQLDatabase else { return RetentionReport() }
        let rows = try await sql.raw("""
            SELECT c.id, c.file_number, c.end_date, c.blocked_on, c.erased_on, c.youth_office_id, c.offer_id,
                   (SELECT p.birth_date FROM case_persons p WHERE p.case_id = c.id AND p.role = 'youngPerson' LIMIT 1) AS birth_date
            FROM cases c WHERE c.end_date IS NOT NULL AND c.end_date < \(bind: today.iso) ORDER BY c.file_number
            """).all()
        struct Candidate { let id: UUID; let fileNumber: String; let ended: Day; let blocked: Bool; let erased: Bool
                           let office: UUID; let offer: UUID; let birthDate: Day? }
        let candidates: [Candidate] = rows.compactMap { row in
            guard let id = try? row.decode(column: "id", as: UUID.self), let file = try? row.decode(column: "file_number", as: String.self),
                  let ended = (try? row.decode(column: "end_date", as: String.self)).flatMap(Day.init(iso:)),
                  let office = try? row.decode(column: "youth_office_id", as: UUID.self),
                  let offer = try? row.decode(column: "offer_id", as: UUID.self) else { return nil }
            return Candidate(id: id, fileNumber: file, ended: ended,
                             blocked: ((try? row.decode(column: "blocked_on", as: String?.self)) ?? nil) != nil,
                             erased: ((try? row.decode(column: "erased_on", as: String?.self)) ?? nil) != nil,
                             office: office, offer: offer,
                             birthDate: ((try? row.decode(column: "birth_date", as: String?.self)) ?? nil).flatMap(Day.init(iso:)))
        }
        let books = try await SettingsBook.load(youthOfficeIDs: Set(candidates.map(\.office)), on: db)
        var report = RetentionReport()
        var toBlock: [UUID] = [], toErase: [UUID] = [], erasedAll: [(UUID, String, AgreementSettings)] = []
        for candidate in candidates {
            let settings = books[candidate.office]?.settings(on: candidate.ended, offerID: candidate.offer) ?? AgreementSettings()
            let step = Retention.step(ended: candidate.ended, birthDate: candidate.birthDate, settings: settings, today: today)
            if candidate.birthDate == nil, !candidate.erased, step == .block || candidate.blocked {
                report.withoutBirthDate.append(candidate.fileNumber)
            }
            if step != .keep, !candidate.blocked {
                toBlock.append(candidate.id)
                report.blocked.append(candidate.fileNumber)
            }
            if step == .delete, !candidate.erased {
                toErase.append(candidate.id)
                report.erased.append(candidate.fileNumber)
            }
            if step == .delete || candidate.erased { erasedAll.append((candidate.id, candidate.fileNumber, settings)) }
        }
        // Invoices of deleted files whose retention ended; drafts go with the file.
        var invoicesToDelete: [UUID] = []
        var purge: [(UUID, String)] = []
        for chunk in erasedAll.chunked(500) {
            let ids = chunk.map(\.0)
            let settingsByCase = Dictionary(uniqueKeysWithValues: chunk.map { ($0.0, $0.2) })
            let invoices = try await InvoiceModel.query(on: db).filter(\.$case.$id ~~ ids).field(\.$id).field(\.$case.$id).field(\.$issuedAt).all()
            var kept: Set<UUID> = []
            for invoice in invoices {
                guard let id = invoice.id else { continue }
                let years = settingsByCase[invoice.$case.id]?.invoiceRetentionYears ?? AgreementSettings().invoiceRetentionYears
                if let issued = invoice.issuedAt,
                   today < Retention.invoiceDeleteDay(issuedIn: BerlinTime.local(issued).day.year, years: years) {
                    kept.insert(invoice.$case.id)
                } else {
                    invoicesToDelete.append(id)
                }
            }
            purge += chunk.filter { !kept.contains($0.0) }.map { ($0.0, $0.1) }
        }
        report.invoicesDeleted = invoicesToDelete.count
        report.purged = purge.map(\.1)
        // The report names files: reading it is a read of those cases (R31).
        CaseReads.note(toBlock + toErase + purge.map(\.0))
        guard !dryRun, !report.isEmpty else { return report }

        let finalReport = report
        try await db.writeTransaction { [toBlock, toErase, invoicesToDelete, purge] db in
            guard let sql = db as? any SQLDatabase else { return }
            for chunk in toBlock.chunked(500) {
                try await sql.update(CaseModel.schema).set("blocked_on", to: SQLBind(today.iso))
                    .where(SQLIdentifier("id"), .in, SQLGroupExpression(SQLKit.SQLList(chunk.map { SQLBind($0) }))).run()
            }
            for chunk in toErase.chunked(500) {
                let list = SQLGroupExpression(SQLKit.SQLList(chunk.map { SQLBind($0) }))
                try await deleteRows(of: contentTables, in: list, on: sql)
                try await sql.raw("UPDATE service_entries SET note = NULL WHERE case_id IN \(list)").run()
                try await sql.raw("UPDATE approval_increases SET note = NULL WHERE approval_id IN (SELECT id FROM approvals WHERE case_id IN \(list))").run()
                try await sql.raw("""
                    UPDATE cases SET erased_on = \(bind: today.iso), family_street = NULL, family_postal_code = NULL, family_city = NULL,
                    youth_office_caseworker = NULL, youth_office_caseworker_phone = NULL, end_reason = NULL,
                    search_text = LOWER(file_number), sort_name = file_number WHERE id IN \(list)
                    """).run()
            }
            for chunk in invoicesToDelete.chunked(500) {
                let list = SQLGroupExpression(SQLKit.SQLList(chunk.map { SQLBind($0) }))
                try await sql.raw("DELETE FROM invoice_lines WHERE invoice_id IN \(list)").run()
                // A cancellation refers to the invoice it cancels; both go in the same run (same case, same rule).
                try await sql.raw("UPDATE invoices SET cancels_invoice_id = NULL WHERE cancels_invoice_id IN \(list)").run()
                try await sql.raw("DELETE FROM invoices WHERE id IN \(list)").run()
            }
            for chunk in purge.map(\.0).chunked(500) {
                let list = SQLGroupExpression(SQLKit.SQLList(chunk.map { SQLBind($0) }))
                try await deleteRows(of: contentTables + billingTables, in: list, on: sql)
                for table in referringTables {
                    try await sql.raw("UPDATE \(ident: table) SET case_id = NULL WHERE case_id IN \(list)").run()
                }
                try await sql.raw("DELETE FROM cases WHERE id IN \(list)").run()
            }
            try await AuditLog.record(
                .update, entity: "retention", id: nil,
                changes: ["blocked": AuditChange(from: nil, to: finalReport.blocked.joined(separator: ", ")),
                          "erased": AuditChange(from: nil, to: finalReport.erased.joined(separator: ", ")),
                          "purged": AuditChange(from: nil, to: finalReport.purged.joined(separator: ", ")),
                          "invoicesDeleted": AuditChange(from: nil, to: String(finalReport.invoicesDeleted)),
                          "day": AuditChange(from: nil, to: today.iso)],
                cases: Array(Set(toBlock + toErase + purge.map(\.0))), by: context.actor, at: context.now, on: db)
        }
        return report
    }

    static func deleteRows(of tables: [(table: String, parent: String?)], in list: SQLGroupExpression, on sql: any SQLDatabase) async throws {
        for (table, parent) in tables {
            if let parent {
                try await sql.raw("DELETE FROM \(ident: table) WHERE \(unsafeRaw: parent) IN \(list))").run()
            } else {
                try await sql.raw("DELETE FROM \(ident: table) WHERE case_id IN \(list)").run()
            }
        }
    }
}
