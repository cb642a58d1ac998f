import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// Keeps each entry's billed minutes (its billable minutes after the budget, R9) stored beside it,
/// so that a month's billing is one SQL aggregate however many cases there are (R14 at scale).
///
/// The budget of an approval is consumed in the order of the work, so one change can move later
/// entries over or back under the budget: every write that touches a case's entries, approvals or
/// increases refreshes the whole case, inside the same transaction.
public enum BilledMinutes {
    public static func refresh(caseIDs: Set<UUID>, on db: any Database) async throws {
        guard !caseIDs.isEmpty else { return }
        let cases = try await CaseModel.query(on: db).filter(\.$id ~~ caseIDs).all()
        let books = try await SettingsBook.load(youthOfficeIDs: Set(cases.map { $0.$youthOffice.id }), on: db)
        let approvals = Dictionary(grouping: try await ApprovalModel.query(on: db).filter(\.$case.$id ~~ caseIDs).with(\.$increases).all(),
                                   by: { $0.$case.id })
        let entries = Dictionary(grouping: try await ServiceEntryModel.query(on: db).filter(\.$case.$id ~~ caseIDs).all(),
                                 by: { $0.$case.id })
        // Changed entries grouped by their new value: one UPDATE per value, not one per entry.
        var changed: [Int: [UUID]] = [:]
        for model in cases {
            guard let caseID = model.id, let rows = entries[caseID] else { continue }
            let book = books[model.$youthOffice.id] ?? SettingsBook(agreements: [], offerOnboardingMinutes: [:])
            let budget = (approvals[caseID] ?? []).compactMap { CaseWorkStore.approval(from: $0, book: book, offerID: model.$offer.id)?.domain }
            let ledger = BudgetLedger(approvals: budget, entries: rows.compactMap { CaseWorkStore.entry(from: $0, staffNames: [:])?.ledgerEntry })
            for row in rows {
                guard let id = row.id else { continue }
                let billed = ledger.entries[id.uuidString]?.billableMinutes ?? row.billableMinutes
                guard billed != row.billedMinutes else { continue }
                changed[billed, default: []].append(id)
            }
        }
        for (billed, ids) in changed {
            for chunk in ids.chunked(500) {
                try await ServiceEntryModel.query(on: db).filter(\.$id ~~ Array(chunk)).set(\.$billedMinutes, to: billed).update()
            }
        }
    }
}

/// Adds `service_entries.billed_minutes` and fills it for the entries there are.
struct AddBilledMinutes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema)
            .field("billed_minutes", .int, .required, .sql(.default(0)))
            .update()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("UPDATE service_entries SET billed_minutes = billable_minutes").run()
            try await sql.create(index: "service_entries_date").on(ServiceEntryModel.schema).column("date").run()
        }
        let caseIDs = try await CaseModel.query(on: database).all(\.$id)
        for start in stride(from: 0, to: caseIDs.count, by: 200) {
            try await BilledMinutes.refresh(caseIDs: Set(caseIDs[start..<min(start + 200, caseIDs.count)]), on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema).deleteField("billed_minutes").update()
    }
}
