/// The unit an approval's hours are given per (R8, seed 002: "wöchentlich, monatlich oder halbjährlich").
public enum BudgetUnit: String, CaseIterable, Codable, Sendable {
    case week
    case month
    case halfYear
    /// The hours are one total for the whole approval.
    case period

    public var german: String {
        switch self {
        case .week: "pro Woche"
        case .month: "pro Monat"
        case .halfYear: "pro Halbjahr"
        case .period: "für den gesamten Zeitraum"
        }
    }
}

/// An increase of an approval's hours, confirmed by the youth office (R9).
public struct BudgetIncrease: Sendable, Hashable {
    public let minutes: Int
    public let confirmedOn: Day
    /// A day inside the budget window the hours are added to.
    public let appliesOn: Day

    public init(minutes: Int, confirmedOn: Day, appliesOn: Day) {
        self.minutes = minutes
        self.confirmedOn = confirmedOn
        self.appliesOn = appliesOn
    }
}

/// A cost approval (*Kostenzusage / Bewilligung*) with its hour budget (R8).
public struct Approval: Sendable, Hashable {
    public let id: String
    public let from: Day
    public let to: Day
    public let minutesPerUnit: Int
    public let unit: BudgetUnit
    /// From the agreement valid on the approval's first day.
    public let balancing: Balancing
    public let increases: [BudgetIncrease]

    public init(id: String, from: Day, to: Day, minutesPerUnit: Int, unit: BudgetUnit, balancing: Balancing,
                increases: [BudgetIncrease] = []) {
        self.id = id
        self.from = from
        self.to = to
        self.minutesPerUnit = minutesPerUnit
        self.unit = unit
        self.balancing = balancing
        self.increases = increases
    }

    public func covers(_ day: Day) -> Bool { from <= day && day <= to }

    /// The budget windows: one per calendar unit (Monday–Sunday, calendar month, January–June and
    /// July–December), cut to the approval, with units cut short getting their share by days; or, with
    /// `wholePeriod` balancing or a `period` unit, one window over the whole approval holding the sum.
    /// Increases are added to the window containing their `appliesOn` day.
    public var windows: [BudgetWindow] {
        var units: [(from: Day, to: Day, minutes: Int)] = []
        if unit == .period {
            units = [(from, to, minutesPerUnit)]
        } else {
            var cursor = from
            while cursor <= to {
                let (unitStart, unitEnd) = Approval.calendarUnit(unit, containing: cursor)
                let end = min(unitEnd, to)
                let fullDays = unitStart.days(until: unitEnd) + 1
                let days = cursor.days(until: end) + 1
                units.append((cursor, end, (minutesPerUnit * days * 2 + fullDays) / (fullDays * 2)))
                cursor = end.adding(days: 1)
            }
        }
        if balancing == .wholePeriod && units.count > 1 {
            units = [(from, to, units.reduce(0) { $0 + $1.minutes })]
        }
        return units.map { unit in
            let added = increases.filter { unit.from <= $0.appliesOn && $0.appliesOn <= unit.to }.reduce(0) { $0 + $1.minutes }
            return BudgetWindow(approvalID: id, from: unit.from, to: unit.to, approvedMinutes: unit.minutes + added)
        }
    }

    static func calendarUnit(_ unit: BudgetUnit, containing day: Day) -> (Day, Day) {
        switch unit {
        case .week:
            let monday = day.adding(days: 1 - day.weekday)
            return (monday, monday.adding(days: 6))
        case .month:
            let month = Month(containing: day)
            return (month.firstDay, month.lastDay)
        case .halfYear:
            let firstHalf = day.month <= 6
            return (Day(year: day.year, month: firstHalf ? 1 : 7, day: 1)!,
                    Day(year: day.year, month: firstHalf ? 6 : 12, day: firstHalf ? 30 : 31)!)
        case .period:
            return (day, day)
        }
    }

    /// Whether two approvals' date ranges share a day.
    public func overlaps(from otherFrom: Day, to otherTo: Day) -> Bool {
        from <= otherTo && otherFrom <= to
    }
}

public struct BudgetWindow: Sendable, Hashable {
    public let approvalID: String
    public let from: Day
    public let to: Day
    public let approvedMinutes: Int

    public func contains(_ day: Day) -> Bool { from <= day && day <= to }
}

/// One entry as the budget sees it.
public struct LedgerEntry: Sendable, Hashable {
    public let id: String
    public let date: Day
    public let start: TimeOfDay
    public let kind: EntryKind
    public let count: EntryCount

    public init(id: String, date: Day, start: TimeOfDay, kind: EntryKind, count: EntryCount) {
        self.id = id
        self.date = date
        self.start = start
        self.kind = kind
        self.count = count
    }
}

/// An entry after the budget: how much of it lies beyond the budget, and what is billable now (R9).
public struct BudgetedEntry: Sendable, Hashable {
    public let id: String
    public let budgetMinutes: Int
    public let overBudgetMinutes: Int
    /// Billable minutes once the budget is applied: work beyond the budget is not billable until an
    /// increase is recorded.
    public let billableMinutes: Int
    public let onboardingMinutes: Int
    public let travel: Cents
}

/// The state of one budget window (the API's budget status).
public struct BudgetStatus: Sendable, Hashable {
    public let approvalID: String?
    public let from: Day
    public let to: Day
    public let approvedMinutes: Int
    public let usedMinutes: Int
    /// Over-budget minutes from crisis interventions (R9: done first, confirmation to follow).
    public let crisisOverBudgetMinutes: Int
    /// The day of the first entry that went beyond the budget.
    public let overBudgetSince: Day?

    public var remainingMinutes: Int { max(0, approvedMinutes - usedMinutes) }
    public var overBudgetMinutes: Int { max(0, usedMinutes - approvedMinutes) }
}

/// A case's approvals and entries, with every entry placed in its budget window (R8, R9).
/// Entries count in the order they happened; the minutes beyond a window's budget are over budget.
/// Unused minutes never leave their window, so nothing carries into the next approval.
/// Work on a day no approval covers is over budget entirely.
public struct BudgetLedger: Sendable {
    public let windows: [BudgetStatus]
    public let entries: [String: BudgetedEntry]

    public init(approvals: [Approval], entries: [LedgerEntry]) {
        let windows = approvals.sorted { $0.from < $1.from }.flatMap(\.windows)
        var used = [Int](repeating: 0, count: windows.count)
        var crisisOver = [Int](repeating: 0, count: windows.count)
        var overSince = [Day?](repeating: nil, count: windows.count)
        var results: [String: BudgetedEntry] = [:]
        let ordered = entries.sorted { ($0.date, $0.start.minuteOfDay, $0.id) < ($1.date, $1.start.minuteOfDay, $1.id) }
        for entry in ordered {
            let budget = entry.count.budgetMinutes
            var over = budget
            if let index = windows.firstIndex(where: { $0.contains(entry.date) }) {
                used[index] += budget
                over = min(budget, max(0, used[index] - windows[index].approvedMinutes))
                if over > 0 {
                    if overSince[index] == nil { overSince[index] = entry.date }
                    if entry.kind == .crisis { crisisOver[index] += over }
                }
            }
            let billable = budget == 0 || over == 0
                ? entry.count.billableMinutes
                : entry.count.billableMinutes * (budget - over) / budget
            results[entry.id] = BudgetedEntry(id: entry.id, budgetMinutes: budget, overBudgetMinutes: over,
                                              billableMinutes: billable, onboardingMinutes: entry.count.onboardingMinutes,
                                              travel: entry.count.travel)
        }
        self.windows = windows.indices.map { i in
            BudgetStatus(approvalID: windows[i].approvalID, from: windows[i].from, to: windows[i].to,
                         approvedMinutes: windows[i].approvedMinutes, usedMinutes: used[i],
                         crisisOverBudgetMinutes: crisisOver[i], overBudgetSince: overSince[i])
        }
        self.entries = results
    }

    /// The window containing `day`, if an approval covers it.
    public func status(on day: Day) -> BudgetStatus? {
        windows.first { $0.from <= day && day <= $0.to }
    }
}
