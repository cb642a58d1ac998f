import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

extension BillingStore {
    /// Computes a draft invoice for every case with billable work in `month`, replacing earlier
    /// drafts of that month; cases whose month is invoiced already are left alone. Same input, same drafts.
    ///
    /// One SQL aggregate reads the month (minutes after the budget per case, kind and agreement),
    /// the domain prices it (R13, R14), and the drafts are written in a few multi-row inserts.
    public static func run(_ month: Month, context: WriteContext, today: Day, on db: any Database) async throws -> BillingRunResult {
        try await db.writeTransaction { db in
            let groups = try await monthAggregate(month, on: db)
            let existing = try await stored(month, on: db)
            let drafts = existing.filter { $0.status == InvoiceStatus.draft.rawValue }
            let oldLines = try await draftLineKeys(month, on: db)
            let oldDraftByCase = Dictionary(grouping: drafts, by: \.caseID)
            let invoiced = Set(existing.filter { $0.status == InvoiceStatus.issued.rawValue }.map(\.caseID))
            let agreements = Dictionary(uniqueKeysWithValues: try await AgreementStore.list(on: db).map { ($0.id, $0) })
            var computed: [Draft] = []
            var total = Cents.zero
            let byCase = Dictionary(grouping: groups.filter { !invoiced.contains($0.caseID) }, by: \.caseID)
            for group in byCase.values.sorted(by: { $0[0].fileNumber < $1[0].fileNumber }) {
                let lines = priced(group, agreements: agreements, month: month)
                guard lines.contains(where: { $0.amount > .zero }) else { continue }
                let caseTotal = BillingRules.total(lines)
                computed.append(Draft(caseID: group[0].caseID, total: caseTotal, lines: lines.enumerated().map(LineKey.init)))
                total = total + caseTotal
            }
            // A draft that comes out the same is kept as it is (same id, nothing written): a rerun of an
            // unchanged month only reads. Every other draft of the month is replaced.
            var kept = Set<UUID>()
            var fresh: [Draft] = []
            for draft in computed {
                if let old = oldDraftByCase[draft.caseID], old.count == 1, case let oldID = old[0].id, old[0].totalCents == draft.total.value,
                   oldLines[oldID] == draft.lines {
                    kept.insert(oldID)
                } else {
                    fresh.append(draft)
                }
            }
            for chunk in drafts.map(\.id).filter({ !kept.contains($0) }).chunked(500) {
                try await InvoiceLineModel.query(on: db).filter(\.$invoice.$id ~~ chunk).delete()
                try await InvoiceModel.query(on: db).filter(\.$id ~~ chunk).delete()
            }
            try await insert(fresh, month: month, at: context.now, on: db)
            try await AuditLog.record(.create, entity: "billingRun", id: nil,
                                      changes: ["month": AuditChange(from: nil, to: month.iso), "invoices": AuditChange(from: nil, to: String(computed.count))],
                                      by: context.actor, at: context.now, on: db)
            return BillingRunResult(month: month, invoiceCount: computed.count, total: total)
        }
    }

    /// What an invoice line says, for telling whether a recomputed draft equals the stored one.
    struct LineKey: Hashable, Comparable {
        let position: Int
        let kind: String
        let text: String
        let minutes: Int
        let quantity: String
        let unitPrice: Int64
        let amount: Int64
        let unit: String

        init(position: Int, kind: String, text: String, minutes: Int, quantity: String, unitPrice: Int64, amount: Int64, unit: String) {
            (self.position, self.kind, self.text, self.minutes, self.quantity, self.unitPrice, self.amount, self.unit) =
                (position, kind, text, minutes, quantity, unitPrice, amount, unit)
        }

        init(position: Int, _ line: InvoiceLine) {
            self.init(position: position, kind: line.kind.rawValue, text: line.description, minutes: line.minutes, quantity: line.quantity,
                      unitPrice: line.unitPrice.value, amount: line.amount.value, unit: line.unit.rawValue)
        }

        init(_ row: InvoiceLineModel) {
            (position, kind, text, minutes, quantity, unitPrice, amount, unit) =
                (row.position, row.kind, row.lineDescription, row.minutes, row.quantity, row.unitPriceCents, row.amountCents, row.unit)
        }

        static func < (a: LineKey, b: LineKey) -> Bool { a.position < b.position }
    }

    /// The month's invoices as the run needs them (plain SQL reads: the run is measured, docs/performance.md).
    struct StoredInvoice: Decodable {
        let id: UUID
        let caseID: UUID
        let status: String
        let totalCents: Int64
    }

    static func stored(_ month: Month, on db: any Database) async throws -> [StoredInvoice] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.plainRows("""
            SELECT id, case_id AS "caseID", status, total_cents AS "totalCents" FROM invoices WHERE month = \(bind: month.iso)
            """, decoding: StoredInvoice.self)
    }

    static func draftLineKeys(_ month: Month, on db: any Database) async throws -> [UUID: [LineKey]] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        struct Row: Decodable {
            let invoiceID: UUID
            let position: Int, kind: String, text: String, minutes: Int, quantity: String, unitPrice: Int64, amount: Int64, unit: String
        }
        let rows = try await sql.plainRows("""
            SELECT l.invoice_id AS "invoiceID", l.position, l.kind, l.description AS text, l.minutes, l.quantity,
                   l.unit_price_cents AS "unitPrice", l.amount_cents AS amount, l.unit
            FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
            WHERE i.month = \(bind: month.iso) AND i.status = \(bind: InvoiceStatus.draft.rawValue)
            """, decoding: Row.self)
        var result: [UUID: [LineKey]] = [:]
        for row in rows {
            result[row.invoiceID, default: []].append(LineKey(position: row.position, kind: row.kind, text: row.text, minutes: row.minutes,
                                                              quantity: row.quantity, unitPrice: row.unitPrice, amount: row.amount,
                                                              unit: row.unit))
        }
        return result.mapValues { $0.sorted() }
    }

    /// A case's draft as the run computed it: written only when it differs from the stored one.
    struct Draft {
        let caseID: UUID
        let total: Cents
        /// In position order.
        let lines: [LineKey]
    }

    /// Writes the drafts in multi-row inserts: thousands of invoices in a few statements (R14 at scale).
    /// Fluent's per-model create costs more than the whole month's aggregate; the columns are the models'.
    static func insert(_ drafts: [Draft], month: Month, at now: Date, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        let ids = drafts.map { _ in UUID() }
        for chunk in Array(zip(ids, drafts)).chunked(2_000) {
            var insert = sql.insert(into: InvoiceModel.schema).columns("id", "case_id", "month", "status", "total_cents", "created_at")
            for (id, draft) in chunk {
                insert = insert.values(SQLBind(id), SQLBind(draft.caseID), SQLBind(month.iso), SQLBind(InvoiceStatus.draft.rawValue),
                                       SQLBind(draft.total.value), SQLBind(now))
            }
            try await insert.run()
        }
        let lines = zip(ids, drafts).flatMap { id, draft in draft.lines.map { (id, $0) } }
        for chunk in lines.chunked(3_000) {
            var insert = sql.insert(into: InvoiceLineModel.schema)
                .columns("id", "invoice_id", "position", "kind", "description", "minutes", "quantity", "unit_price_cents", "amount_cents",
                         "unit")
            for (invoiceID, line) in chunk {
                insert = insert.values(SQLBind(UUID()), SQLBind(invoiceID), SQLBind(line.position), SQLBind(line.kind),
                                       SQLBind(line.text), SQLBind(line.minutes), SQLBind(line.quantity),
                                       SQLBind(line.unitPrice), SQLBind(line.amount), SQLBind(line.unit))
            }
            try await insert.run()
        }
    }

    /// A month's work summed per case, entry kind and the agreement valid on the entries' days.
    struct MonthGroup: Sendable {
        let caseID: UUID
        let fileNumber: String
        let offerID: UUID
        let kind: String
        let agreementID: UUID?
        /// Billable minutes before the budget (R10) and after it (R9).
        let counted: Int
        let billed: Int
        /// Entries that earned travel, and their kilometres (R10).
        let visits: Int
        let kilometres: Int

        /// Read column by column: fourteen thousand rows a month at scale (issue 12).
        init(row: any SQLRow) throws {
            caseID = try row.value("case_id", as: UUID.self)
            fileNumber = try row.value("file_number", as: String.self)
            offerID = try row.value("offer_id", as: UUID.self)
            kind = try row.value("kind", as: String.self)
            agreementID = try row.value("agreement_id", as: UUID?.self)
            counted = try row.value("counted", as: Int.self)
            billed = try row.value("billed", as: Int.self)
            visits = try row.value("visits", as: Int.self)
            kilometres = try row.value("kilometres", as: Int.self)
        }
    }

    /// One case's month priced as the run prices it (R13, R14).
    static func priced(_ groups: [MonthGroup], agreements: [UUID: AgreementRecord], month: Month) -> [InvoiceLine] {
        BillingRules.lines(groups.map { billable($0, agreement: $0.agreementID.flatMap { agreements[$0] }, month: month) })
    }

    /// The lines a draft of `caseID` would have now, as the run would write them: issuing compares them
    /// with the stored draft, so a draft outdated by later changes is never numbered.
    static func currentLines(caseID: UUID, month: Month, on db: any Database) async throws -> [LineKey] {
        let groups = try await monthAggregate(month, caseID: caseID, on: db)
        guard let office = try await CaseModel.find(caseID, on: db)?.$youthOffice.id else { return [] }
        let agreements = Dictionary(uniqueKeysWithValues: try await AgreementStore.list(youthOfficeID: office, on: db).map { ($0.id, $0) })
        return priced(groups, agreements: agreements, month: month).enumerated().map(LineKey.init)
    }

    static func monthAggregate(_ month: Month, caseID: UUID? = nil, on db: any Database) async throws -> [MonthGroup] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let oneCase: SQLQueryString = caseID.map { "AND e.case_id = \(bind: $0)" } ?? ""
        return try await sql.plainRows("""
            SELECT e.case_id, c.file_number, c.offer_id, e.kind, a.id AS agreement_id,
                   CAST(SUM(e.billable_minutes) AS BIGINT) AS counted, CAST(SUM(e.billed_minutes) AS BIGINT) AS billed,
                   CAST(SUM(CASE WHEN e.billed_travel_cents > 0 THEN 1 ELSE 0 END) AS BIGINT) AS visits,
                   CAST(SUM(CASE WHEN e.billed_travel_cents > 0 THEN COALESCE(e.kilometres, 0) ELSE 0 END) AS BIGINT) AS kilometres
            FROM service_entries e  -- PostgreSQL sums BIGINT as NUMERIC; the casts keep them integers
            JOIN cases c ON c.id = e.case_id
            LEFT JOIN agreements a ON a.youth_office_id = c.youth_office_id
                 AND a.valid_from <= e.date AND (a.valid_to IS NULL OR e.date <= a.valid_to)
            WHERE e.date >= \(bind: month.firstDay.iso) AND e.date <= \(bind: month.lastDay.iso) \(oneCase)
            GROUP BY e.case_id, c.file_number, c.offer_id, e.kind, a.id
            """ as SQLQueryString).map(MonthGroup.init(row:))
    }

    /// A group of the month as billing sees it: priced with its agreement's rate, travel with its settings.
    static func billable(_ group: MonthGroup, agreement: AgreementRecord?, month: Month) -> BillableEntry {
        let settings = agreement?.settings ?? AgreementSettings()
        var unitPrice = Cents.zero, quantity = 0
        switch settings.travelMode {
        case .perVisit: (unitPrice, quantity) = (settings.travelFlatRate, group.visits)
        case .perKm: (unitPrice, quantity) = (settings.travelRatePerKm, group.kilometres)
        case .none: break
        }
        return BillableEntry(date: max(agreement?.validFrom ?? month.firstDay, month.firstDay), kind: EntryKind(rawValue: group.kind) ?? .indirect,
                             countedMinutes: group.counted, billableMinutes: group.billed,
                             hourlyRate: agreement?.rates.first { $0.offerID == group.offerID }?.hourlyRate,
                             travelUnitPrice: unitPrice, travelQuantity: quantity, travelPerKm: settings.travelMode == .perKm)
    }
}
