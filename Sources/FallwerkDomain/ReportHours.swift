/// The hours a report states (R19: "hours approved vs delivered"), from the same budget windows and
/// ledger entries the case page's budget bar shows (R8, R10).
extension ReportDraftInput {
    /// - Approved: every budget window that overlaps the period counts in full — the youth office
    ///   granted that unit, so a report cannot promise less of it.
    /// - Delivered: the minutes counted against the budget (R10) of the entries inside the period.
    public static func hours(windows: [BudgetStatus], entries: [LedgerEntry], from: Day, to: Day) -> (approved: Minutes, delivered: Minutes) {
        let approved = windows.filter { $0.from <= to && from <= $0.to }.reduce(0) { $0 + $1.approvedMinutes }
        let delivered = entries.filter { from <= $0.date && $0.date <= to }.reduce(0) { $0 + $1.count.budgetMinutes }
        return (Minutes(approved), Minutes(delivered))
    }
}
