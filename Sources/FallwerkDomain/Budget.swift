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

    /// The budget windows (R8), cut to the approval; a unit cut short gets its share by days (halves up).
    /// - week: calendar weeks, Monday to Sunday (decision 0015: the seed's work week is Monday to Friday).
    /// - month: calendar months.
    /// - halfYear: consecutive six-month units from the approval's first day (seed 002: the contingent
    ///   is set "auf der Grundlage des aktuellen Hilfeplans", whose cycle is half a year from the plan,
    ///   seed 004), never calendar half-years: 1 March–31 August is one full half-year.
    /// With `wholePeriod` balancing or a `period` unit, one window over the whole approval holds the sum.
    /// Increases are added to the window containing their `appliesOn` day.
    public var windows: [BudgetWindow] {
        var units: [(from: Day, to: Day, minutes: Int)] = []
        if unit == .period {
            units = [(from, to, minutesPerUnit)]
        } else {
            var cursor = from
            var index = 0
            while cursor <= to {
                let (unitStart, unitEnd) = unit == .halfYear
                    ? Approval.halfYear(index, from: from)
                    : Approval.calendarUnit(unit, containing: cursor)
                let end = min(unitEnd, to)
                let fullDays = unitStart.days(until: unitEnd) + 1
                let days = cursor.days(until: end) + 1
                units.append((cursor, end, (minutesPerUnit * days * 2 + fullDays) / (fullDays * 2)))
                cursor = end.adding(days: 1)
                index += 1
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

    /// The `index`th half-year from `start`: six calendar months, each counted from `start` itself so
    /// that month ends do not drift (31 August, 28 February, 31 August …).
    static func halfYear(_ index: Int, from start: Day) -> (Day, Day) {
        (start.adding(months: 6 * index), start.adding(months: 6 * (index + 1)).adding(days: -1))
    }

    static func calendarUnit(_ unit: BudgetUnit, containing day: Day) -> (Day, Day) {
        switch unit {
        case .week:
            let monday = day.adding(days: 1 - day.weekday)
            return (monday, monday.adding(days: 6))
        case .month:
            let month = Month(containing: day)
            return (month.firstDay, month.lastDay)
        case .halfYear, .period:
            // Half-years run from the approval's start (`halfYear(_:from:)`); a period is one window.
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
    /// The entry's length, to tell one home visit of two staff from two visits (R10, R11).
    public let minutes: Int
    public let kind: EntryKind
    public let count: EntryCount

    public init(id: String, date: Day, start: TimeOfDay, minutes: Int = 0, kind: EntryKind, count: EntryCount) {
        self.id = id
        self.date = date
        self.start = start
        self.minutes = minutes
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
    /// increase is recorded. A partly covered entry keeps the covered share, in whole minutes, halves
    /// up (R13; decision 0015: the one rounding of minutes, lines then price exact minutes).
    public let billableMinutes: Int
    public let onboardingMinutes: Int
    /// Travel as counted for the entry alone (R10), before the budget and the visit.
    public let travel: Cents
    /// Travel billed for it (R10, decision 0015): one home visit of the case at one time earns travel
    /// once, however many staff went; and only while the visit is billable (not entirely over budget).
    public let billedTravel: Cents
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

    public init(approvalID: String?, from: Day, to: Day, approvedMinutes: Int, usedMinutes: Int, crisisOverBudgetMinutes: Int,
                overBudgetSince: Day?) {
        self.approvalID = approvalID
        self.from = from
        self.to = to
        self.approvedMinutes = approvedMinutes
        self.usedMinutes = usedMinutes
        self.crisisOverBudgetMinutes = crisisOverBudgetMinutes
        self.overBudgetSince = overBudgetSince
    }

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
        var billable: [String: (budget: Int, over: Int, minutes: Int)] = [:]
        billable.reserveCapacity(entries.count)
        let ordered = entries.sorted { ($0.date, $0.start.minuteOfDay, $0.id) < ($1.date, $1.start.minuteOfDay, $1.id) }
        var windowIndex = 0
        for entry in ordered {
            let budget = entry.count.budgetMinutes
            var over = budget
            // Entries come in date order and windows do not overlap: the window search moves forward only.
            while windowIndex < windows.count, windows[windowIndex].to < entry.date { windowIndex += 1 }
            if windowIndex < windows.count, windows[windowIndex].contains(entry.date) {
                let index = windowIndex
                used[index] += budget
                over = min(budget, max(0, used[index] - windows[index].approvedMinutes))
                if over > 0 {
                    if overSince[index] == nil { overSince[index] = entry.date }
                    if entry.kind == .crisis { crisisOver[index] += over }
                }
            }
            billable[entry.id] = (budget, over, BudgetLedger.coveredShare(entry.count.billableMinutes, budget: budget, over: over))
        }
        let travel = BudgetLedger.billedTravel(ordered, billableMinutes: { billable[$0]?.minutes ?? 0 })
        var results: [String: BudgetedEntry] = [:]
        results.reserveCapacity(ordered.count)
        for entry in ordered {
            let counted = billable[entry.id] ?? (0, 0, 0)
            results[entry.id] = BudgetedEntry(id: entry.id, budgetMinutes: counted.budget, overBudgetMinutes: counted.over,
                                              billableMinutes: counted.minutes, onboardingMinutes: entry.count.onboardingMinutes,
                                              travel: entry.count.travel, billedTravel: travel[entry.id] ?? .zero)
        }
        self.windows = windows.indices.map { i in
            BudgetStatus(approvalID: windows[i].approvalID, from: windows[i].from, to: windows[i].to,
                         approvedMinutes: windows[i].approvedMinutes, usedMinutes: used[i],
                         crisisOverBudgetMinutes: crisisOver[i], overBudgetSince: overSince[i])
        }
        self.entries = results
    }

    /// R9, R13: the billable minutes of the budget minutes the window still covers, in whole minutes,
    /// halves up (45 billable of 90 budget minutes with 45 over: 22.5 → 23).
    static func coveredShare(_ billable: Int, budget: Int, over: Int) -> Int {
        guard budget > 0, over > 0 else { return billable }
        return (billable * (budget - over) * 2 + budget) / (budget * 2)
    }

    /// R10 travel per home visit. Entries with travel of the same day whose times overlap (or start
    /// together) are one visit (R11: two staff at one appointment); the visit's travel is billed once,
    /// on its entry with the most travel (per km: the longest drive), among those still billable after
    /// the budget. A visit entirely over budget earns no travel until an increase covers it.
    static func billedTravel(_ ordered: [LedgerEntry], billableMinutes: (String) -> Int) -> [String: Cents] {
        var result: [String: Cents] = [:]
        var visit: [LedgerEntry] = []
        var visitEnd = 0
        func close() {
            let carrier = visit.filter { billableMinutes($0.id) > 0 }.max { ($0.count.travel, $1.id) < ($1.count.travel, $0.id) }
            if let carrier { result[carrier.id] = carrier.count.travel }
            visit.removeAll(keepingCapacity: true)
        }
        for entry in ordered where entry.count.travel > .zero {
            let start = entry.start.minuteOfDay
            if let first = visit.first, first.date != entry.date || (start >= visitEnd && start != visit.last!.start.minuteOfDay) {
                close()
            }
            visitEnd = visit.isEmpty ? start + entry.minutes : max(visitEnd, start + entry.minutes)
            visit.append(entry)
        }
        if !visit.isEmpty { close() }
        return result
    }

    /// A ledger of windows as kept beside the case (issue 12: lists read them instead of every entry);
    /// it places no entries.
    public init(windows: [BudgetStatus]) {
        self.windows = windows.sorted { $0.from < $1.from }
        self.entries = [:]
    }

    /// The window containing `day`, if an approval covers it.
    public func status(on day: Day) -> BudgetStatus? {
        windows.first { $0.from <= day && day <= $0.to }
    }
}
