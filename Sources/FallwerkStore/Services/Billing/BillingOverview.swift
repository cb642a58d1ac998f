import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

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
        let works = try await CaseWorkStore.load(try await CaseStore.records(ids: Array(caseIDs), on: db), today: today, on: db)
        let signatures = Dictionary(grouping: try await ServiceRecordSignatureModel.query(on: db).filter(\.$month == month.iso).all(), by: { $0.$case.id })
        let agreements = try await agreementsByOffice(on: db)
        return works.sorted { ($0.record.youthOfficeName, $0.record.fileNumber) < ($1.record.youthOfficeName, $1.record.fileNumber) }.map { work in
            let invoice = invoices.filter { $0.caseID == work.record.id && $0.status != .cancellation }.last
            let sheet = ServiceRecordStore.record(work, month: month, signature: signatures[work.record.id]?.first)
            return BillingRow(work: work, invoice: invoice, sheet: sheet,
                              blockers: blockers(sheet, agreements: agreements[work.record.youthOfficeID] ?? []))
        }
    }

    /// Every agreement by youth office, for telling which rate prices an entry (R14); one read per month.
    static func agreementsByOffice(on db: any Database) async throws -> [UUID: [AgreementRecord]] {
        Dictionary(grouping: try await AgreementStore.list(on: db), by: \.youthOfficeID)
    }

    /// What blocks the invoice of a sheet's month: the store gathers the facts, the domain decides (R8, R9, R14, R15).
    public static func blockers(_ sheet: ServiceRecord, agreements: [AgreementRecord]) -> [BillingBlocker] {
        BillingBlockers.decide(facts(sheet, agreements: agreements))
    }

    static func facts(_ sheet: ServiceRecord, agreements: [AgreementRecord]) -> BillingMonthFacts {
        let work = sheet.work
        let offerID = work.record.offerID
        let facts = work.entries(in: sheet.month).map { counted in
            let day = counted.entry.facts.date
            let rate: RateLookup
            if let agreement = agreements.first(where: { $0.validFrom <= day && ($0.validTo.map { day <= $0 } ?? true) }) {
                rate = agreement.rates.first { $0.offerID == offerID }.map { .rate($0.hourlyRate) }
                    ?? .noRate(agreementFrom: agreement.validFrom, agreementTo: agreement.validTo)
            } else {
                rate = .noAgreement
            }
            return BillingWorkFact(date: day, billableMinutes: counted.entry.count.billableMinutes, overBudgetMinutes: counted.overBudgetMinutes,
                                   approved: work.approvals.contains { $0.from <= day && day <= $0.to }, rate: rate)
        }
        return BillingMonthFacts(offerName: work.record.offerName, signatureAllowsInvoice: sheet.allowsInvoice, work: facts)
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
