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
    public static func run(_ month: Month, context: WriteContext, today: Day, on db: any Database) async throws -> BillingRunResult {
        try await db.transaction { db in
            let first = month.firstDay.iso, last = month.lastDay.iso
            let caseIDs = Set(try await ServiceEntryModel.query(on: db).filter(\.$date >= first).filter(\.$date <= last).all(\.$case.$id))
            let existing = try await InvoiceModel.query(on: db).filter(\.$month == month.iso).all()
            let drafts = existing.filter { $0.status == InvoiceStatus.draft.rawValue }
            for draft in drafts { try await draft.delete(on: db) }
            let invoiced = Set(existing.filter { $0.status == InvoiceStatus.issued.rawValue }.map { $0.$case.id })
            let models = try await CaseModel.query(on: db).filter(\.$id ~~ caseIDs.subtracting(invoiced))
                .with(\.$youthOffice).with(\.$offer).with(\.$team).with(\.$persons).with(\.$assignments) { $0.with(\.$staff) }.all()
            let works = try await CaseWorkStore.load(models.map(CaseStore.record), today: today, on: db)
            let agreements = try await AgreementStore.list(on: db)
            var count = 0
            var total = Cents.zero
            for work in works.sorted(by: { $0.record.fileNumber < $1.record.fileNumber }) {
                let lines = BillingRules.lines(billable(work, month: month, agreements: agreements))
                guard lines.contains(where: { $0.amount > .zero }) else { continue }
                let invoice = InvoiceModel()
                invoice.$case.id = work.record.id
                invoice.month = month.iso
                invoice.status = InvoiceStatus.draft.rawValue
                invoice.totalCents = BillingRules.total(lines).value
                try await invoice.create(on: db)
                for (position, line) in lines.enumerated() {
                    let row = InvoiceLineModel()
                    row.$invoice.id = try invoice.requireID()
                    row.position = position
                    row.kind = line.kind.rawValue
                    row.lineDescription = line.description
                    row.minutes = line.minutes
                    row.quantity = line.quantity
                    row.unitPriceCents = line.unitPrice.value
                    row.amountCents = line.amount.value
                    try await row.create(on: db)
                }
                count += 1
                total = total + BillingRules.total(lines)
            }
            try await AuditLog.record(.create, entity: "billingRun", id: nil,
                                      changes: ["month": AuditChange(from: nil, to: month.iso), "invoices": AuditChange(from: nil, to: String(count))],
                                      by: context.actor, at: context.now, on: db)
            return BillingRunResult(month: month, invoiceCount: count, total: total)
        }
    }

    /// The month's entries of a case as billing sees them: after the budget, priced by the agreement of each day.
    static func billable(_ work: CaseWork, month: Month, agreements: [AgreementRecord]) -> [BillableEntry] {
        let mine = agreements.filter { $0.youthOfficeID == work.record.youthOfficeID }
        return work.entries(in: month).map { counted in
            let facts = counted.entry.facts
            let agreement = mine.first { $0.validFrom <= facts.date && ($0.validTo.map { facts.date <= $0 } ?? true) }
            let rate = agreement?.rates.first { $0.offerID == work.record.offerID }?.hourlyRate
            let settings = work.settings(on: facts.date)
            var unitPrice = Cents.zero, quantity = 0
            if facts.homeVisit && facts.kind.canBeHomeVisit {
                switch settings.travelMode {
                case .perVisit: (unitPrice, quantity) = (settings.travelFlatRate, 1)
                case .perKm: (unitPrice, quantity) = (settings.travelRatePerKm, facts.kilometres ?? 0)
                case .none: break
                }
            }
            return BillableEntry(date: facts.date, kind: facts.kind, countedMinutes: counted.entry.count.billableMinutes,
                                 billableMinutes: counted.billableMinutes, hourlyRate: rate, travelUnitPrice: unitPrice, travelQuantity: quantity)
        }
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
        try await db.transaction { db in
            guard let model = try await InvoiceModel.find(id, on: db) else { throw RecordNotFound(entity: entity) }
            guard model.status == InvoiceStatus.draft.rawValue else {
                throw ValidationFailure([FieldError("status", "Diese Rechnung ist schon gestellt; sie kann nur storniert werden.")])
            }
            // R15: where the agreement requires it, no invoice for an unsigned month.
            if let month = Month(iso: model.month), let caseModel = try await CaseModel.query(on: db).filter(\.$id == model.$case.id)
                .with(\.$youthOffice).with(\.$offer).with(\.$team).with(\.$persons).with(\.$assignments, { $0.with(\.$staff) }).first() {
                let work = try await CaseWorkStore.load([CaseStore.record(caseModel)], today: today, on: db)[0]
                let sheet = try await ServiceRecordStore.record(work, month: month, on: db)
                if !sheet.allowsInvoice {
                    throw ValidationFailure([FieldError("signature", "Der Leistungsnachweis \(month.iso) ist noch nicht unterschrieben; die Vereinbarung verlangt die Unterschrift.")])
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
        try await db.transaction { db in
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
        guard let caseModel = try await CaseModel.query(on: db).filter(\.$id == invoice.$case.id).with(\.$youthOffice).with(\.$persons).first(),
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
            periodFrom: month.firstDay.iso, periodTo: month.lastDay.iso, vatNote: InvoiceHeader.vatExemption)
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
                                      unitPrice: Cents(line.unitPriceCents), amount: Cents(line.amountCents))
                }
            },
            total: Cents(model.totalCents), cancelsInvoiceID: model.cancelsInvoiceID,
            header: model.header.flatMap { try? JSONDecoder().decode(InvoiceHeader.self, from: Data($0.utf8)) })
    }
}

extension BillingStore {
    /// Accounting's month: every case with work or an invoice in it, with its latest invoice and its
    /// service record sheet; a fixed number of queries.
    public static func overview(_ month: Month, today: Day, on db: any Database) async throws -> [(CaseWork, InvoiceRecord?, ServiceRecord)] {
        let first = month.firstDay.iso, last = month.lastDay.iso
        let invoices = try await list(month: month, on: db)
        var caseIDs = Set(try await ServiceEntryModel.query(on: db).filter(\.$date >= first).filter(\.$date <= last).all(\.$case.$id))
        caseIDs.formUnion(invoices.map(\.caseID))
        guard !caseIDs.isEmpty else { return [] }
        let models = try await CaseModel.query(on: db).filter(\.$id ~~ caseIDs)
            .with(\.$youthOffice).with(\.$offer).with(\.$team).with(\.$persons).with(\.$assignments) { $0.with(\.$staff) }.all()
        let works = try await CaseWorkStore.load(models.map(CaseStore.record), today: today, on: db)
        let signatures = Dictionary(grouping: try await ServiceRecordSignatureModel.query(on: db).filter(\.$month == month.iso).all(), by: { $0.$case.id })
        return works.sorted { ($0.record.youthOfficeName, $0.record.fileNumber) < ($1.record.youthOfficeName, $1.record.fileNumber) }.map { work in
            let invoice = invoices.filter { $0.caseID == work.record.id && $0.status != .cancellation }.last
            let sheet = ServiceRecordStore.record(work, month: month, signature: signatures[work.record.id]?.first)
            return (work, invoice, sheet)
        }
    }
}

extension BillingStore {
    /// The month's issued and cancellation invoices with their lines, for the accounting system (R17):
    /// semicolon-separated, decimal commas, UTF-8, one row per line.
    public static func csv(month: Month, on db: any Database) async throws -> String {
        let invoices = try await list(month: month, on: db).filter { $0.number != nil }.sorted { ($0.number ?? "") < ($1.number ?? "") }
        func field(_ text: String) -> String {
            text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func euro(_ cents: Cents) -> String { cents.decimalString.replacingOccurrences(of: ".", with: ",") }
        var rows = ["Rechnungsnummer;Status;Monat;Aktenzeichen;Initialen;Jugendamt;Leitweg-ID;Position;Art;Beschreibung;Minuten;Menge;Einzelpreis;Betrag;Rechnungsbetrag"]
        for invoice in invoices {
            let h = invoice.header
            for (position, line) in invoice.lines.enumerated() {
                rows.append([invoice.number ?? "", invoice.status.german, invoice.month.iso, h?.fileNumber ?? "", h?.initials ?? "",
                             h?.youthOfficeName ?? "", h?.leitwegID ?? "", String(position + 1), line.kind.rawValue, line.description,
                             String(line.minutes), line.quantity.replacingOccurrences(of: ".", with: ","), euro(line.unitPrice),
                             euro(line.amount), euro(invoice.total)].map(field).joined(separator: ";"))
            }
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }
}
