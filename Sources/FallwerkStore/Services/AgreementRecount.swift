import FallwerkDomain
import Fluent
import Foundation

/// The one recount path for an agreement change (R10, R13, R14): every entry of the youth office's
/// cases on a day the change touches is counted again under the agreement now valid on its day, in
/// bulk, and then the cases' billed minutes are refreshed (R9). Runs inside the agreement's transaction.
enum AgreementRecount {
    /// The days an agreement change touches: its old and its new validity together.
    struct Span {
        let from: Day
        /// nil: open-ended.
        let to: Day?

        init(_ periods: [(from: Day, to: Day?)]) {
            from = periods.map(\.from).min()!
            to = periods.contains { $0.to == nil } ? nil : periods.compactMap(\.to).max()
        }

        func contains(_ day: Day) -> Bool { from <= day && (to.map { day <= $0 } ?? true) }
    }

    /// What one entry counts: the columns `ServiceRules.count` fills.
    struct Count: Hashable {
        let billable: Int, budget: Int, onboarding: Int, travel: Int64

        init(_ count: EntryCount) {
            (billable, budget, onboarding, travel) = (count.billableMinutes, count.budgetMinutes, count.onboardingMinutes, count.travel.value)
        }

        init(_ model: ServiceEntryModel) {
            (billable, budget, onboarding, travel) = (model.billableMinutes, model.budgetMinutes, model.onboardingMinutes, model.travelCents)
        }
    }

    /// Recounts and refreshes; refuses (German, on `validFrom`) when a count would change in a month
    /// already invoiced: an issued invoice never changes (R16), it is cancelled first.
    static func apply(youthOfficeID: UUID, span: Span, on db: any Database) async throws {
        let cases = try await CaseModel.query(on: db).filter(\.$youthOffice.$id == youthOfficeID).all()
        let offers = Dictionary(uniqueKeysWithValues: cases.compactMap { model in model.id.map { ($0, model.$offer.id) } })
        guard !offers.isEmpty else { return }
        let book = try await SettingsBook.load(youthOfficeIDs: [youthOfficeID], on: db)[youthOfficeID]
            ?? SettingsBook(agreements: [], offerOnboardingMinutes: [:])
        var entries: [ServiceEntryModel] = []
        for chunk in Array(offers.keys).chunked(500) {
            var query = ServiceEntryModel.query(on: db).filter(\.$case.$id ~~ Array(chunk)).filter(\.$date >= span.from.iso)
            if let to = span.to { query = query.filter(\.$date <= to.iso) }
            entries += try await query.all()
        }
        // Group shares are counted with their session (R10, the session is rounded once); they keep their count here.
        var changed: [Count: [UUID]] = [:]
        var invoicedChanges: Set<String> = []
        let invoiced = try await invoicedMonths(caseIDs: Set(entries.map { $0.$case.id }), on: db)
        var touched: Set<UUID> = []
        for model in entries where model.$groupSession.id == nil {
            guard let id = model.id, let offerID = offers[model.$case.id], let record = CaseWorkStore.entry(from: model, staffNames: [:]) else { continue }
            touched.insert(model.$case.id)
            let count = Count(ServiceRules.count(record.facts, settings: book.settings(on: record.facts.date, offerID: offerID)))
            guard count != Count(model) else { continue }
            let month = Month(containing: record.facts.date)
            if invoiced[model.$case.id]?.contains(month.iso) == true {
                invoicedChanges.insert(month.iso)
                continue
            }
            changed[count, default: []].append(id)
        }
        if !invoicedChanges.isEmpty {
            let months = invoicedChanges.sorted().compactMap(Month.init(iso:)).map { String(format: "%02d/%d", $0.month, $0.year) }.joined(separator: ", ")
            throw ValidationFailure([FieldError("validFrom", "Die Änderung würde Leistungen in schon abgerechneten Monaten anders zählen (\(months)). "
                + "Gestellte Rechnungen ändern sich nicht: bitte diese Rechnungen zuerst stornieren und die Vereinbarung dann ändern.")])
        }
        // One UPDATE per new count, in chunks: never one write per entry.
        for (count, ids) in changed {
            for chunk in ids.chunked(500) {
                try await ServiceEntryModel.query(on: db).filter(\.$id ~~ Array(chunk))
                    .set(\.$billableMinutes, to: count.billable).set(\.$budgetMinutes, to: count.budget)
                    .set(\.$onboardingMinutes, to: count.onboarding).set(\.$travelCents, to: count.travel)
                    .update()
            }
        }
        // The budget's balancing comes from the agreement too: refresh every case with work or an approval
        // in the span, so that the budget windows kept beside each case (issue 12) follow as well.
        var approved: Set<UUID> = []
        for chunk in Array(offers.keys).chunked(500) {
            var query = ApprovalModel.query(on: db).filter(\.$case.$id ~~ Array(chunk)).filter(\.$toDate >= span.from.iso)
            if let to = span.to { query = query.filter(\.$fromDate <= to.iso) }
            approved.formUnion(try await query.all(\.$case.$id))
        }
        for chunk in Array(touched.union(Set(entries.map { $0.$case.id })).union(approved)).chunked(500) {
            try await BilledMinutes.refresh(caseIDs: Set(chunk), on: db)
        }
    }

    /// Months with an issued (not cancelled) invoice, per case.
    static func invoicedMonths(caseIDs: Set<UUID>, on db: any Database) async throws -> [UUID: Set<String>] {
        var result: [UUID: Set<String>] = [:]
        for chunk in Array(caseIDs).chunked(500) {
            for invoice in try await InvoiceModel.query(on: db).filter(\.$case.$id ~~ Array(chunk))
                .filter(\.$status == InvoiceStatus.issued.rawValue).all() {
                result[invoice.$case.id, default: []].insert(invoice.month)
            }
        }
        return result
    }
}
