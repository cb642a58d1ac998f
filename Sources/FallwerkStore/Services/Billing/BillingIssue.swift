import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

extension BillingStore {
    /// Gives a draft the next number of its year's gapless sequence and freezes it (R16).
    public static func issue(_ id: UUID, context: WriteContext, today: Day, on db: any Database) async throws -> InvoiceRecord {
        try await db.writeTransaction { db in
            guard let model = try await InvoiceModel.find(id, on: db) else { throw RecordNotFound(entity: entity) }
            guard model.status == InvoiceStatus.draft.rawValue else {
                throw ValidationFailure([FieldError("status", "Diese Rechnung ist schon gestellt; sie kann nur storniert werden.")])
            }
            // R15: where the agreement requires it, no invoice for an unsigned month.
            if let month = Month(iso: model.month), let record = try await CaseStore.find(model.$case.id, on: db) {
                let work = try await CaseWorkStore.load([record], today: today, on: db)[0]
                let sheet = try await ServiceRecordStore.record(work, month: month, on: db)
                let agreements = try await AgreementStore.list(youthOfficeID: work.record.youthOfficeID, on: db)
                for blocker in blockers(sheet, agreements: agreements) where blocker.refusesIssue {
                    switch blocker {
                    case .noApproval(let day):
                        throw ValidationFailure([FieldError("approval", "Für Leistungen am \(day.german) liegt keine Bewilligung vor; ohne sie kann die Rechnung nicht gestellt werden.")])
                    case .missingRate:
                        throw ValidationFailure([FieldError("rate", blocker.german + ". Bitte den Stundensatz in der Vereinbarung ergänzen und den Abrechnungslauf wiederholen.")])
                    case .unsigned, .overBudget:
                        throw ValidationFailure([FieldError("signature", "Der Leistungsnachweis \(month.iso) ist noch nicht unterschrieben; die Vereinbarung verlangt die Unterschrift.")])
                    }
                }
            }
            // A draft outdated by later changes (entries, approvals, the agreement) is never numbered (R14, R16).
            if let month = Month(iso: model.month) {
                let stored = try await model.$lines.query(on: db).all().map(LineKey.init).sorted()
                if try await currentLines(caseID: model.$case.id, month: month, on: db) != stored {
                    throw ValidationFailure([FieldError("status", "Dieser Entwurf ist nicht mehr aktuell: Leistungen, Bewilligungen oder die Vereinbarung haben sich seit dem Abrechnungslauf geändert. Bitte den Abrechnungslauf für \(month.iso) wiederholen.")])
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
}
