/// The hours a report states (R19: "hours approved vs delivered"), from the same budget windows and
/// ledger entries the case page's budget bar shows (R8, R10).
///
/// Approved and delivered hours cover the same days: the report period. A budget window the period
/// cuts (a month half in the period, the next approval's first unit) counts only for its days inside
/// the period; counting it in full would set a whole unit of approved hours against a few days of work.
extension ReportDraftInput {
    /// - Approved: per budget window, its approved minutes × its days inside the period ÷ its days,
    ///   in whole minutes, halves up (R13), each window on its own; a window wholly inside counts in full.
    /// - Delivered: the minutes counted against the budget (R10) of the entries inside the period.
    public static func hours(windows: [BudgetStatus], entries: [LedgerEntry], from: Day, to: Day) -> (approved: Minutes, delivered: Minutes) {
        let approved = windows.reduce(0) { $0 + approvedMinutes(of: $1, from: from, to: to) }
        let delivered = entries.filter { from <= $0.date && $0.date <= to }.reduce(0) { $0 + $1.count.budgetMinutes }
        return (Minutes(approved), Minutes(delivered))
    }

    /// The part of one window's approved minutes that falls on the days `from`…`to`.
    public static func approvedMinutes(of window: BudgetStatus, from: Day, to: Day) -> Int {
        let first = max(from, window.from), last = min(to, window.to)
        guard first <= last else { return 0 }
        let inside = first.days(until: last) + 1, length = window.from.days(until: window.to) + 1
        guard inside < length else { return window.approvedMinutes }
        return Int(FixedPoint.divideRoundingHalfUp(Int64(window.approvedMinutes) * Int64(inside), by: Int64(length)))
    }
}
