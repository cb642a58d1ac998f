import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

public struct InvoiceLineRecord: Sendable, Hashable {
    public let kind: InvoiceLineKind
    public let description: String
    public let minutes: Int
    public let quantity: String
    public let unitPrice: Cents
    public let amount: Cents
    /// Stored with the line by the billing run (R17); never guessed from its description.
    public var unit: InvoiceLineUnit = .minutes
}

public enum InvoiceStatus: String, Sendable, CaseIterable {
    case draft, issued, cancelled, cancellation

    public var german: String {
        switch self {
        case .draft: "Entwurf"
        case .issued: "gestellt"
        case .cancelled: "storniert"
        case .cancellation: "Stornorechnung"
        }
    }
}

/// Who bills whom for what, frozen when the invoice is issued (R16): later changes of master data
/// never alter an issued invoice. The young person appears by initials only.
public struct InvoiceHeader: Codable, Sendable, Hashable {
    public var providerName: String
    public var providerAddress: String
    public var providerTaxNumber: String
    public var providerIBAN: String
    public var youthOfficeName: String
    public var youthOfficeAddress: String
    public var leitwegID: String
    public var fileNumber: String
    public var initials: String
    public var periodFrom: String
    public var periodTo: String
    public var vatNote: String
    // Added for XRechnung (R17); headers frozen before carry only the lines above.
    public var providerStreet: String?
    public var providerPostalCode: String?
    public var providerCity: String?
    public var providerEmail: String?
    public var providerPhone: String?
    public var providerBIC: String?
    public var youthOfficeStreet: String?
    public var youthOfficePostalCode: String?
    public var youthOfficeCity: String?
    public var offerName: String?

    public static let vatExemption = "Umsatzsteuerfrei nach § 4 Nr. 25 UStG (Leistungen der Kinder- und Jugendhilfe)."
}

public struct InvoiceRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let month: Month
    public let status: InvoiceStatus
    public let number: String?
    public let lines: [InvoiceLineRecord]
    public let total: Cents
    public let cancelsInvoiceID: UUID?
    public let header: InvoiceHeader?
    public let issuedAt: Date?
}

public struct BillingRunResult: Sendable, Hashable {
    public let month: Month
    public let invoiceCount: Int
    public let total: Cents
}

/// Monthly billing (R14, R16): drafts from the month's work, then numbered invoices that never change.
public enum BillingStore {
    static let entity = "invoice"

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
            var invoices: [InvoiceModel] = []
            var rows: [InvoiceLineModel] = []
            var total = Cents.zero
            let byCase = Dictionary(grouping: groups.filter { !invoiced.contains($0.caseID) }, by: \.caseID)
            for group in byCase.values.sorted(by: { $0[0].fileNumber < $1[0].fileNumber }) {
                let lines = BillingRules.lines(group.map { billable($0, agreement: $0.agreementID.flatMap { agreements[$0] }, month: month) })
                guard lines.contains(where: { $0.amount > .zero }) else { continue }
                let invoice = InvoiceModel()
                let invoiceID = UUID()
                invoice.id = invoiceID
                invoice.$case.id = group[0].caseID
                invoice.month = month.iso
                invoice.status = InvoiceStatus.draft.rawValue
                invoice.totalCents = BillingRules.total(lines).value
                invoices.append(invoice)
                for (position, line) in lines.enumerated() {
                    let row = InvoiceLineModel()
                    row.id = UUID()
                    row.$invoice.id = invoiceID
                    row.position = position
                    row.kind = line.kind.rawValue
                    row.lineDescription = line.description
                    row.minutes = line.minutes
                    row.quantity = line.quantity
                    row.unitPriceCents = line.unitPrice.value
                    row.amountCents = line.amount.value
                    row.unit = line.unit.rawValue
                    rows.append(row)
                }
                total = total + BillingRules.total(lines)
            }
            // A draft that comes out the same is kept as it is (same id, nothing written): a rerun of an
            // unchanged month only reads. Every other draft of the month is replaced.
            let newLines = Dictionary(grouping: rows, by: { $0.$invoice.id }).mapValues { $0.map(LineKey.init).sorted() }
            var kept = Set<UUID>()
            var fresh: [InvoiceModel] = []
            for invoice in invoices {
                if let old = oldDraftByCase[invoice.$case.id], old.count == 1, case let oldID = old[0].id, old[0].totalCents == invoice.totalCents,
                   oldLines[oldID] == newLines[invoice.id ?? UUID()] {
                    kept.insert(oldID)
                } else {
                    fresh.append(invoice)
                }
            }
            let freshIDs = Set(fresh.compactMap(\.id))
            for chunk in drafts.map(\.id).filter({ !kept.contains($0) }).chunked(500) {
                try await InvoiceLineModel.query(on: db).filter(\.$invoice.$id ~~ chunk).delete()
                try await InvoiceModel.query(on: db).filter(\.$id ~~ chunk).delete()
            }
            try await insert(fresh, rows.filter { freshIDs.contains($0.$invoice.id) }, at: context.now, on: db)
            try await AuditLog.record(.create, entity: "billingRun", id: nil,
                                      changes: ["month": AuditChange(from: nil, to: month.iso), "invoices": AuditChange(from: nil, to: String(invoices.count))],
                                      by: context.actor, at: context.now, on: db)
            return BillingRunResult(month: month, invoiceCount: invoices.count, total: total)
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
        return try await sql.raw("""
            SELECT id, case_id AS "caseID", status, total_cents AS "totalCents" FROM invoices WHERE month = \(bind: month.iso)
            """).all(decoding: StoredInvoice.self)
    }

    static func draftLineKeys(_ month: Month, on db: any Database) async throws -> [UUID: [LineKey]] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        struct Row: Decodable {
            let invoiceID: UUID
            let position: Int, kind: String, text: String, minutes: Int, quantity: String, unitPrice: Int64, amount: Int64, unit: String
        }
        let rows = try await sql.raw("""
            SELECT l.invoice_id AS "invoiceID", l.position, l.kind, l.description AS text, l.minutes, l.quantity,
                   l.unit_price_cents AS "unitPrice", l.amount_cents AS amount, l.unit
            FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
            WHERE i.month = \(bind: month.iso) AND i.status = \(bind: InvoiceStatus.draft.rawValue)
            """).all(decoding: Row.self)
        var result: [UUID: [LineKey]] = [:]
        for row in rows {
            result[row.invoiceID, default: []].append(LineKey(position: row.position, kind: row.kind, text: row.text, minutes: row.minutes,
                                                              quantity: row.quantity, unitPrice: row.unitPrice, amount: row.amount,
                                                              unit: row.unit))
        }
        return result.mapValues { $0.sorted() }
    }

    /// Writes the drafts in multi-row inserts: thousands of invoices in a few statements (R14 at scale).
    /// Fluent's per-model create costs more than the whole month's aggregate; the columns are the models'.
    static func insert(_ invoices: [InvoiceModel], _ lines: [InvoiceLineModel], at now: Date, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else {
            for chunk in invoices.chunked(500) { try await chunk.create(on: db) }
            for chunk in lines.chunked(1000) { try await chunk.create(on: db) }
            return
        }
        for chunk in invoices.chunked(2_000) {
            var insert = sql.insert(into: InvoiceModel.schema).columns("id", "case_id", "month", "status", "total_cents", "created_at")
            for invoice in chunk {
                insert = insert.values(SQLBind(invoice.id), SQLBind(invoice.$case.id), SQLBind(invoice.month), SQLBind(invoice.status),
                                       SQLBind(invoice.totalCents), SQLBind(now))
            }
            try await insert.run()
        }
        for chunk in lines.chunked(3_000) {
            var insert = sql.insert(into: InvoiceLineModel.schema)
                .columns("id", "invoice_id", "position", "kind", "description", "minutes", "quantity", "unit_price_cents", "amount_cents",
                         "unit")
            for line in chunk {
                insert = insert.values(SQLBind(line.id), SQLBind(line.$invoice.id), SQLBind(line.position), SQLBind(line.kind),
                                       SQLBind(line.lineDescription), SQLBind(line.minutes), SQLBind(line.quantity),
                                       SQLBind(line.unitPriceCents), SQLBind(line.amountCents), SQLBind(line.unit))
            }
            try await insert.run()
        }
    }

    /// A month's work summed per case, entry kind and the agreement valid on the entries' days.
    struct MonthGroup: Decodable, Sendable {
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

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id", fileNumber = "file_number", offerID = "offer_id", kind, agreementID = "agreement_id"
            case counted, billed, visits, kilometres
        }
    }

    static func monthAggregate(_ month: Month, on db: any Database) async throws -> [MonthGroup] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.raw("""
            SELECT e.case_id, c.file_number, c.offer_id, e.kind, a.id AS agreement_id,
                   CAST(SUM(e.billable_minutes) AS BIGINT) AS counted, CAST(SUM(e.billed_minutes) AS BIGINT) AS billed,
                   CAST(SUM(CASE WHEN e.travel_cents > 0 THEN 1 ELSE 0 END) AS BIGINT) AS visits,
                   CAST(SUM(CASE WHEN e.travel_cents > 0 THEN COALESCE(e.kilometres, 0) ELSE 0 END) AS BIGINT) AS kilometres
            FROM service_entries e  -- PostgreSQL sums BIGINT as NUMERIC; the casts keep them integers
            JOIN cases c ON c.id = e.case_id
            LEFT JOIN agreements a ON a.youth_office_id = c.youth_office_id
                 AND a.valid_from <= e.date AND (a.valid_to IS NULL OR e.date <= a.valid_to)
            WHERE e.date >= \(bind: month.firstDay.iso) AND e.date <= \(bind: month.lastDay.iso)
            GROUP BY e.case_id, c.file_number, c.offer_id, e.kind, a.id
            """).all(decoding: MonthGroup.self)
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

    public static func list(month: Month, on db: any Database) async throws -> [InvoiceRecord] {
        try await InvoiceModel.query(on: db).filter(\.$month == month.iso).with(\.$lines).sort(\.$createdAt).all().compactMap(record)
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> InvoiceRecord {
        guard let model = try await InvoiceModel.query(on: db).filter(\.$id == id).with(\.$lines).first(), let record = record(model)
        else { throw RecordNotFound(entity: entity) }
        return record
    }

    /// Gives a draft the next number of its year's gapless sequence and freezes it (R16).
    public static func issue(_ id: UUID, context: WriteContext, today: Day, on db: any Database) async throws -> InvoiceRecord {
        try await db.writeTransaction { db in
            guard let model = try await InvoiceModel.find(id, on: db) else { throw RecordNotFound(entity: entity) }
            guard model.status == InvoiceStatus.draft.rawValue else {
                throw ValidationFailure([FieldError("status", "Diese Rechnung ist schon gestellt; sie kann nur storniert werden.")])
            }
            // R15: where the agreement requires it, no invoice for an unsigned month.
            if let month = Month(iso: model.month), let caseModel = try await CaseModel.query(on: db).filter(\.$id == model.$case.id)
                .with(\.$youthOffice).with(\.$offer).with(\.$team).with(\.$persons).with(\.$assignments, { $0.with(\.$staff) }).first() {
                let work = try await CaseWorkStore.load([CaseStore.record(caseModel)], today: today, on: db)[0]
                let sheet = try await ServiceRecordStore.record(work, month: month, on: db)
                for blocker in blockers(sheet) where blocker.refusesIssue {
                    switch blocker {
                    case .noApproval(let day):
                        throw ValidationFailure([FieldError("approval", "Für Leistungen am \(day.german) liegt keine Bewilligung vor; ohne sie kann die Rechnung nicht gestellt werden.")])
                    default:
                        throw ValidationFailure([FieldError("signature", "Der Leistungsnachweis \(month.iso) ist noch nicht unterschrieben; die Vereinbarung verlangt die Unterschrift.")])
                    }
                }
            }
            model.header = try await header(for: model, on: db)
            model.number = try await nextNumber(year: today.year, on: db)
            model.status = InvoiceStatus.issued.rawValue
            model.issuedAt = context.now
            try await model.update(on: db)
            try await AuditLog.record(.update, entity: entity, id: id, changes: ["status": AuditChange(from: "draft", to: "issued"),
                                                                                 "number": AuditChange(from: nil, to: model.number)],
                                      by: context.actor, at: context.now, on: db)
            return try await get(id, on: db)
        }
    }

    /// Cancels an issued invoice with a cancellation invoice of its own number and negative amounts (R16, GoBD).
    public static func cancel(_ id: UUID, context: WriteContext, today: Day, on db: any Database) async throws -> InvoiceRecord {
        try await db.writeTransaction { db in
            guard let model = try await InvoiceModel.query(on: db).filter(\.$id == id).with(\.$lines).first() else { throw RecordNotFound(entity: entity) }
            guard model.status == InvoiceStatus.issued.rawValue else {
                throw ValidationFailure([FieldError("status", "Nur gestellte Rechnungen können storniert werden; ein Entwurf wird beim nächsten Lauf ersetzt.")])
            }
            model.status = InvoiceStatus.cancelled.rawValue
            try await model.update(on: db)
            let reversal = InvoiceModel()
            reversal.$case.id = model.$case.id
            reversal.month = model.month
            reversal.status = InvoiceStatus.cancellation.rawValue
            reversal.cancelsInvoiceID = id
            reversal.totalCents = -model.totalCents
            reversal.header = model.header
            reversal.number = try await nextNumber(year: today.year, on: db)
            reversal.issuedAt = context.now
            try await reversal.create(on: db)
            for line in model.lines.sorted(by: { $0.position < $1.position }) {
                let row = InvoiceLineModel()
                row.$invoice.id = try reversal.requireID()
                row.position = line.position
                row.kind = line.kind
                row.lineDescription = "Storno: " + line.lineDescription
                row.minutes = -line.minutes
                row.quantity = line.quantity.hasPrefix("-") ? line.quantity : "-" + line.quantity
                row.unitPriceCents = line.unitPriceCents
                row.amountCents = -line.amountCents
                row.unit = line.unit
                try await row.create(on: db)
            }
            let reversalID = try reversal.requireID()
            try await AuditLog.record(.create, entity: entity, id: reversalID,
                                      changes: ["cancels": AuditChange(from: nil, to: model.number), "number": AuditChange(from: nil, to: reversal.number)],
                                      by: context.actor, at: context.now, on: db)
            return try await get(reversalID, on: db)
        }
    }

    static func header(for invoice: InvoiceModel, on db: any Database) async throws -> String {
        guard let provider = try await ProviderStore.get(on: db) else {
            throw ValidationFailure([FieldError("provider", "Die Angaben des Trägers (Anschrift, Steuernummer, IBAN) fehlen noch; ohne sie kann keine Rechnung gestellt werden.")])
        }
        if (provider.email ?? "").trimmed.isEmpty || (provider.phone ?? "").trimmed.isEmpty {
            // XRechnung (R17) names the seller's e-mail address and a contact with phone and e-mail.
            throw ValidationFailure([FieldError("provider", "Für die E-Rechnung fehlen E-Mail-Adresse und Telefonnummer des Trägers. Bitte unter „Träger“ ergänzen.")])
        }
        guard let caseModel = try await CaseModel.query(on: db).filter(\.$id == invoice.$case.id).with(\.$youthOffice).with(\.$offer).with(\.$persons).first(),
              let month = Month(iso: invoice.month)
        else { throw RecordNotFound(entity: entity) }
        let office = caseModel.youthOffice
        let young = caseModel.persons.first { $0.role == "youngPerson" }
        func address(_ a: Address) -> String { "\(a.street), \(a.postalCode) \(a.city)" }
        let header = InvoiceHeader(
            providerName: provider.name, providerAddress: address(provider.address), providerTaxNumber: provider.taxNumber, providerIBAN: provider.iban,
            youthOfficeName: office.name, youthOfficeAddress: "\(office.street), \(office.postalCode) \(office.city)", leitwegID: office.leitwegId,
            fileNumber: caseModel.fileNumber,
            initials: young.map { Person(firstName: $0.firstName, lastName: $0.lastName).initials } ?? "",
            periodFrom: month.firstDay.iso, periodTo: month.lastDay.iso, vatNote: InvoiceHeader.vatExemption,
            providerStreet: provider.address.street, providerPostalCode: provider.address.postalCode, providerCity: provider.address.city,
            providerEmail: provider.email, providerPhone: provider.phone, providerBIC: provider.bic,
            youthOfficeStreet: office.street, youthOfficePostalCode: office.postalCode, youthOfficeCity: office.city,
            offerName: caseModel.offer.name)
        return String(decoding: try JSONEncoder().encode(header), as: UTF8.self)
    }

    /// `2026-000123`: one atomic UPDATE … RETURNING per number, so two people issuing at once never
    /// get the same one, and a failed transaction gives its number back.
    static func nextNumber(year: Int, on db: any Database) async throws -> String {
        guard let sql = db as? any SQLDatabase else { throw RecordNotFound(entity: "invoice_counters") }
        try await sql.raw("INSERT INTO invoice_counters (year, last_number) VALUES (\(bind: year), 0) ON CONFLICT (year) DO NOTHING").run()
        struct Row: Decodable { let last_number: Int }
        guard let row = try await sql.raw("UPDATE invoice_counters SET last_number = last_number + 1 WHERE year = \(bind: year) RETURNING last_number")
            .first(decoding: Row.self)
        else { throw RecordNotFound(entity: "invoice_counters") }
        return "\(year)-\(String(format: "%06d", row.last_number))"
    }

    /// Whether a case's month is invoiced (issued and not cancelled): its entries are then frozen.
    public static func isInvoiced(caseID: UUID, month: Month, on db: any Database) async throws -> Bool {
        try await InvoiceModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$month == month.iso)
            .filter(\.$status == InvoiceStatus.issued.rawValue).count() > 0
    }

    static func record(_ model: InvoiceModel) -> InvoiceRecord? {
        guard let id = model.id, let month = Month(iso: model.month), let status = InvoiceStatus(rawValue: model.status) else { return nil }
        return InvoiceRecord(
            id: id, caseID: model.$case.id, month: month, status: status, number: model.number,
            lines: model.lines.sorted { $0.position < $1.position }.compactMap { line in
                InvoiceLineKind(rawValue: line.kind).map {
                    InvoiceLineRecord(kind: $0, description: line.lineDescription, minutes: line.minutes, quantity: line.quantity,
                                      unitPrice: Cents(line.unitPriceCents), amount: Cents(line.amountCents),
                                      unit: InvoiceLineUnit(rawValue: line.unit) ?? .minutes)
                }
            },
            total: Cents(model.totalCents), cancelsInvoiceID: model.cancelsInvoiceID,
            header: model.header.flatMap { try? JSONDecoder().decode(InvoiceHeader.self, from: Data($0.utf8)) },
            issuedAt: model.issuedAt)
    }
}

/// What stands between a month's draft and its invoice.
public enum BillingBlocker: Hashable, Sendable {
    /// R15: the agreement requires the family's signature and it is missing.
    case unsigned
    /// R8: work on a day no approval covers; the youth office pays nothing without one.
    case noApproval(Day)
    /// R9: work beyond the budget without a confirmed increase; not billed, to be clarified first.
    case overBudget(minutes: Int)

    /// Hard blockers refuse issuing; over budget only keeps the invoice out of "issue all".
    public var refusesIssue: Bool {
        switch self {
        case .unsigned, .noApproval: true
        case .overBudget: false
        }
    }

    public var german: String {
        switch self {
        case .unsigned: "Unterschrift fehlt"
        case .noApproval(let day): "keine Bewilligung für den \(day.german)"
        case .overBudget(let minutes): "\(Minutes(minutes).germanHours) Std. über Budget, nicht abgerechnet"
        }
    }
}

/// One case's month in accounting's overview.
public struct BillingRow: Sendable {
    public let work: CaseWork
    public let invoice: InvoiceRecord?
    public let sheet: ServiceRecord
    public let blockers: [BillingBlocker]
}

extension BillingStore {
    /// Accounting's month: every case with work or an invoice in it, with its latest invoice, its
    /// service record sheet and what blocks the invoice; a fixed number of queries.
    public static func overview(_ month: Month, today: Day, on db: any Database) async throws -> [BillingRow] {
        let first = month.firstDay.iso, last = month.lastDay.iso
        let invoices = try await list(month: month, on: db)
        var caseIDs = Set(try await ServiceEntryModel.query(on: db).filter(\.$date >= first).filter(\.$date <= last).unique().all(\.$case.$id))
        caseIDs.formUnion(invoices.map(\.caseID))
        guard !caseIDs.isEmpty else { return [] }
        let models = try await CaseModel.query(on: db).filter(\.$id ~~ caseIDs)
            .with(\.$youthOffice).with(\.$offer).with(\.$team).with(\.$persons).with(\.$assignments) { $0.with(\.$staff) }.all()
        let works = try await CaseWorkStore.load(models.map(CaseStore.record), today: today, on: db)
        let signatures = Dictionary(grouping: try await ServiceRecordSignatureModel.query(on: db).filter(\.$month == month.iso).all(), by: { $0.$case.id })
        return works.sorted { ($0.record.youthOfficeName, $0.record.fileNumber) < ($1.record.youthOfficeName, $1.record.fileNumber) }.map { work in
            let invoice = invoices.filter { $0.caseID == work.record.id && $0.status != .cancellation }.last
            let sheet = ServiceRecordStore.record(work, month: month, signature: signatures[work.record.id]?.first)
            return BillingRow(work: work, invoice: invoice, sheet: sheet, blockers: blockers(sheet))
        }
    }

    /// What blocks the invoice of a sheet's month (R8, R9, R15).
    public static func blockers(_ sheet: ServiceRecord) -> [BillingBlocker] {
        var found: [BillingBlocker] = []
        if !sheet.allowsInvoice { found.append(.unsigned) }
        let entries = sheet.work.entries(in: sheet.month)
        func covered(_ counted: CountedEntry) -> Bool {
            sheet.work.approvals.contains { $0.from <= counted.entry.facts.date && counted.entry.facts.date <= $0.to }
        }
        if let day = entries.filter({ $0.entry.count.billableMinutes > 0 && !covered($0) }).map(\.entry.facts.date).min() {
            found.append(.noApproval(day))
        }
        // Work without any approval is named above; over budget is what exceeds an approval.
        let over = entries.filter(covered).reduce(0) { $0 + $1.overBudgetMinutes }
        if over > 0 { found.append(.overBudget(minutes: over)) }
        return found
    }

    /// Issues every draft of the month that nothing blocks, one after the other, each with its own number.
    public static func issueAll(_ month: Month, context: WriteContext, today: Day, on db: any Database) async throws
        -> (issued: [InvoiceRecord], blocked: [(InvoiceRecord, [BillingBlocker])]) {
        var issued: [InvoiceRecord] = []
        var blocked: [(InvoiceRecord, [BillingBlocker])] = []
        for row in try await overview(month, today: today, on: db) {
            guard let invoice = row.invoice, invoice.status == .draft else { continue }
            if !row.blockers.isEmpty {
                blocked.append((invoice, row.blockers))
                continue
            }
            issued.append(try await issue(invoice.id, context: context, today: today, on: db))
        }
        return (issued, blocked)
    }
}

extension BillingStore {
    /// The XRechnung of an issued or cancellation invoice, with the month's service record sheet attached (R17).
    public static func xrechnung(_ id: UUID, today: Day, on db: any Database) async throws -> (filename: String, xml: String) {
        let invoice = try await get(id, on: db)
        guard let number = invoice.number, let issuedAt = invoice.issuedAt else {
            throw ValidationFailure([FieldError("status", "Ein Entwurf hat noch keine XRechnung; bitte die Rechnung zuerst stellen.")])
        }
        let cancelled = try await invoice.cancelsInvoiceID.asyncMap { try await get($0, on: db).number } ?? nil
        var attachments: [XRechnung.Attachment] = []
        if let model = try await CaseModel.query(on: db).filter(\.$id == invoice.caseID)
            .with(\.$youthOffice).with(\.$offer).with(\.$team).with(\.$persons).with(\.$assignments, { $0.with(\.$staff) }).first() {
            let work = try await CaseWorkStore.load([CaseStore.record(model)], today: today, on: db)[0]
            let sheet = try await ServiceRecordStore.record(work, month: invoice.month, on: db)
            attachments.append(XRechnung.Attachment(
                id: "Leistungsnachweis-\(invoice.month.iso)", description: "Leistungsnachweis \(invoice.month.iso) mit Unterschriftsstatus",
                mimeCode: "text/csv", filename: "leistungsnachweis-\(invoice.month.iso).csv",
                content: Data(ServiceRecordStore.csv(sheet, initials: invoice.header?.initials ?? "").utf8)))
            if let drawing = sheet.signature?.drawing {
                attachments.append(XRechnung.Attachment(
                    id: "Unterschrift-\(invoice.month.iso)", description: "Unterschrift auf dem Leistungsnachweis \(invoice.month.iso)",
                    mimeCode: "image/png", filename: "unterschrift-\(invoice.month.iso).png", content: drawing))
            }
        }
        do {
            let xml = try XRechnung.document(invoice, issuedOn: BerlinTime.local(issuedAt).day, cancelledNumber: cancelled, attachments: attachments)
            return ("xrechnung-\(number).xml", xml)
        } catch XRechnung.Problem.missing(let parts) {
            throw ValidationFailure([FieldError("header", "Für die XRechnung fehlen: \(parts.joined(separator: ", ")).")])
        }
    }
}

extension BillingStore {
    /// Every XRechnung of the month's issued and cancellation invoices in one ZIP, for uploading to the
    /// youth offices' portals (R17). An invoice whose frozen data lacks a required part is listed in
    /// `nicht-enthalten.txt` with the reason instead of being left out silently.
    public static func xrechnungArchive(month: Month, modified: DosTimestamp, today: Day, on db: any Database) async throws
        -> (filename: String, data: Data, invoices: Int) {
        let invoices = try await list(month: month, on: db).filter { $0.number != nil }.sorted { ($0.number ?? "") < ($1.number ?? "") }
        var entries: [ZipEntry] = []
        var missing: [String] = []
        for invoice in invoices {
            do {
                let (filename, xml) = try await xrechnung(invoice.id, today: today, on: db)
                entries.append(ZipEntry(name: filename, data: Data(xml.utf8)))
            } catch let failure as ValidationFailure {
                missing.append("\(invoice.number ?? ""): \(failure.errors.map(\.message).joined(separator: " "))")
            }
        }
        if !missing.isEmpty {
            entries.append(ZipEntry(name: "nicht-enthalten.txt", data: Data((["Ohne XRechnung:"] + missing).joined(separator: "\r\n").utf8)))
        }
        return ("xrechnungen-\(month.iso).zip", StoredZip.archive(entries, modified: modified), invoices.count)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size` elements (multi-row inserts stay under bind limits).
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
