/// What saving one entry would change (R9, R10, R13): the entry form's preview and over-budget
/// warning, in the page, in the browser (through the preview endpoint) and on saving alike.
///
/// The numbers are the difference the entry makes to the case's ledger, not the entry alone: an entry
/// dated before others in the same window may push those over the budget, and a second staff member
/// at a home visit already recorded adds no second travel flat rate.
public struct EntryPreview: Sendable, Hashable {
    /// How the entry counts on its own, before the budget (R10, R13).
    public let count: EntryCount
    /// Billable minutes the case gains, after the budget (R9).
    public let billableMinutes: Int
    /// Minutes the entry adds beyond the budget (at most its budget minutes).
    public let overBudgetMinutes: Int
    /// Travel the case gains (R10: one flat rate per visit, none while the visit is over budget).
    public let travel: Cents
    /// The budget window of the entry's day after saving; nil when no approval covers the day.
    public let window: BudgetStatus?

    /// Whether an approval covers the entry's day.
    public var isCovered: Bool { window != nil }

    public init(count: EntryCount, billableMinutes: Int, overBudgetMinutes: Int, travel: Cents, window: BudgetStatus?) {
        self.count = count
        self.billableMinutes = billableMinutes
        self.overBudgetMinutes = overBudgetMinutes
        self.travel = travel
        self.window = window
    }

    /// - Parameters:
    ///   - entry: the entry as it would be saved (its count from `ServiceRules.count`).
    ///   - entries: the case's entries as stored.
    ///   - replacing: the id of the entry being edited, which the new one replaces.
    public static func make(_ entry: LedgerEntry, approvals: [Approval], entries: [LedgerEntry], replacing: String? = nil) -> EntryPreview {
        let others = entries.filter { $0.id != replacing && $0.id != entry.id }
        let before = BudgetLedger(approvals: approvals, entries: others)
        let after = BudgetLedger(approvals: approvals, entries: others + [entry])
        let billable = after.totalBillableMinutes - before.totalBillableMinutes
        let travel = after.totalBilledTravel - before.totalBilledTravel
        let window = after.status(on: entry.date)
        let over: Int
        if let window {
            over = max(0, window.overBudgetMinutes - (before.status(on: entry.date)?.overBudgetMinutes ?? 0))
        } else {
            over = entry.count.budgetMinutes
        }
        return EntryPreview(count: entry.count, billableMinutes: max(0, billable), overBudgetMinutes: min(over, entry.count.budgetMinutes),
                            travel: travel > .zero ? travel : .zero, window: window)
    }
}

extension BudgetLedger {
    /// All billable minutes after the budget.
    public var totalBillableMinutes: Int { entries.values.reduce(0) { $0 + $1.billableMinutes } }
    /// All travel billed after visits and budget.
    public var totalBilledTravel: Cents { entries.values.reduce(.zero) { $0 + $1.billedTravel } }
}
