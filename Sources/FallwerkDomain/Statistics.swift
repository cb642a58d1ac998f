/// Case statistics for a period (R29 [003, 004]): the figures and their definitions. The store counts
/// in SQL; what is computed here is what needs the whole list (median, distribution) and the checks.
///
/// Definitions, for a period `from`…`to` (both days included):
/// - begun: the help starts in the period;
/// - running at the start: began before `from` and had not ended before it;
/// - running at the end: began by `to` and had not ended by it (a help ending on `to` is ended, not
///   running: the youth office's statistics count it once, among the ended);
/// - ended: the help ends in the period.
/// So running at the start + begun − ended = running at the end, always.
public struct StatisticsPeriod: Sendable, Hashable {
    public let from: Day
    public let to: Day

    public static let maxYears = 10

    public init(from: Day, to: Day) {
        self.from = from
        self.to = to
    }

    /// The months whose invoices count for the period (an invoice is for one calendar month).
    public var months: ClosedRange<Month> { Month(containing: from)...Month(containing: to) }

    /// The calendar months wholly inside the period (read from the kept monthly totals), and the days
    /// of the period outside them (read from the entries): at most one range before and one after.
    public var wholeMonths: (months: ClosedRange<Month>?, edges: [ClosedRange<Day>]) {
        let first = from.day == 1 ? Month(containing: from) : Month(containing: Month(containing: from).lastDay.adding(days: 1))
        let last = to == Month(containing: to).lastDay ? Month(containing: to) : Month(containing: Month(containing: to).firstDay.adding(days: -1))
        guard first <= last, first.firstDay >= from, last.lastDay <= to else { return (nil, [from...to]) }
        var edges: [ClosedRange<Day>] = []
        if from < first.firstDay { edges.append(from...first.firstDay.adding(days: -1)) }
        if last.lastDay < to { edges.append(last.lastDay.adding(days: 1)...to) }
        return (first...last, edges)
    }

    public static func validated(from: String?, to: String?, today: Day) throws(ValidationFailure) -> StatisticsPeriod {
        var v = Validator()
        let start = v.day(from, "from", label: "den Beginn des Zeitraums")
        let end = v.day(to, "to", label: "das Ende des Zeitraums")
        if let start, let end {
            if end < start { v.add("to", "Das Ende des Zeitraums darf nicht vor seinem Beginn liegen.") }
            else if start.adding(months: maxYears * 12) <= end { v.add("to", "Ein Zeitraum umfasst höchstens \(maxYears) Jahre.") }
        }
        try v.finish()
        return StatisticsPeriod(from: start!, to: end!)
    }
}

/// Counts of cases, hours and money of one youth office or one offer (or all).
public struct GroupFigures: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Cases running on at least one day of the period.
    public var cases = 0
    public var begun = 0
    public var runningAtStart = 0
    public var runningAtEnd = 0
    public var ended = 0
    /// The budgets of the budget windows that begin in the period (R8), increases included.
    public var approvedMinutes = 0
    /// The budget minutes of the entries dated in the period (R9, as the case pages count them).
    public var deliveredMinutes = 0
    /// The invoices of the period's months, cancellations subtracted.
    public var billed = Cents(0)

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    public mutating func add(_ other: GroupFigures) {
        cases += other.cases
        begun += other.begun
        runningAtStart += other.runningAtStart
        runningAtEnd += other.runningAtEnd
        ended += other.ended
        approvedMinutes += other.approvedMinutes
        deliveredMinutes += other.deliveredMinutes
        billed = billed + other.billed
    }
}

/// The length of the helps ended in a period, in days from the first to the last day (both included).
public struct HelpLength: Sendable, Hashable {
    /// In tenths of a day: 1234 is 123,4 days (never floating point).
    public let medianTenths: Int
    public let meanTenths: Int
    public let count: Int
    /// Counts per bucket of `HelpLength.buckets`.
    public let distribution: [Int]

    /// Upper limits in days (exclusive) and German labels; the last bucket is open.
    public static let buckets: [(below: Int?, label: String)] = [
        (91, "unter 3 Monate"), (183, "3 bis 6 Monate"), (365, "6 bis 12 Monate"), (730, "1 bis 2 Jahre"), (nil, "2 Jahre und länger"),
    ]

    public static func days(start: Day, end: Day) -> Int { start.days(until: end) + 1 }

    /// Nil for no ended help.
    public init?(_ lengths: [Int]) {
        guard !lengths.isEmpty else { return nil }
        let sorted = lengths.sorted()
        count = sorted.count
        let middle = sorted.count / 2
        medianTenths = sorted.count % 2 == 1 ? sorted[middle] * 10 : (sorted[middle - 1] + sorted[middle]) * 5
        let total = sorted.reduce(0, +)
        meanTenths = (total * 20 + sorted.count) / (sorted.count * 2)  // total × 10 / count, rounded half up
        distribution = Self.buckets.indices.map { index in
            let lower = index == 0 ? 0 : Self.buckets[index - 1].below ?? 0
            let upper = Self.buckets[index].below
            return sorted.filter { length in length >= lower && (upper.map { length < $0 } ?? true) }.count
        }
    }

    /// "123,5" from tenths.
    public static func german(tenths: Int) -> String { "\(tenths / 10),\(tenths % 10)" }
}

/// Everything the statistics page, the CSV and the performance report show for one period.
public struct CaseStatistics: Sendable, Hashable {
    public let period: StatisticsPeriod
    public var total: GroupFigures
    public var byYouthOffice: [GroupFigures]
    public var byOffer: [GroupFigures]
    public var endReasons: [EndReason: Int]
    public var length: HelpLength?
    /// Actual minutes of the entries dated in the period, per kind.
    public var minutesByKind: [EntryKind: Int]
    /// Appointments (R12 kinds) and among them client cancellations at short notice.
    public var appointments: Int
    public var shortNoticeCancellations: Int
    /// The latest rating in the period of each goal rated in it.
    public var goalAttainment: [GoalAttainment: Int]
    public var complaints: Int
    public var childProtectionProcedures: Int
    public var incidents: Int

    public init(period: StatisticsPeriod, total: GroupFigures, byYouthOffice: [GroupFigures], byOffer: [GroupFigures],
                endReasons: [EndReason: Int], length: HelpLength?, minutesByKind: [EntryKind: Int], appointments: Int,
                shortNoticeCancellations: Int, goalAttainment: [GoalAttainment: Int], complaints: Int, childProtectionProcedures: Int,
                incidents: Int) {
        self.period = period
        self.total = total
        self.byYouthOffice = byYouthOffice
        self.byOffer = byOffer
        self.endReasons = endReasons
        self.length = length
        self.minutesByKind = minutesByKind
        self.appointments = appointments
        self.shortNoticeCancellations = shortNoticeCancellations
        self.goalAttainment = goalAttainment
        self.complaints = complaints
        self.childProtectionProcedures = childProtectionProcedures
        self.incidents = incidents
    }

    /// The share of short-notice cancellations among appointments, in tenths of a percent (rounded half up).
    public var shortNoticeShareTenths: Int? {
        guard appointments > 0 else { return nil }
        return (shortNoticeCancellations * 2_000 + appointments) / (appointments * 2)
    }

    /// The kinds shown, in the order of the issue: direct, institutions, reports, cancellations,
    /// no-shows, crisis, indirect, then the rest.
    public static let kindOrder: [EntryKind] = [.direct, .institution, .report, .cancelled, .noShow, .crisis, .indirect, .planningMeeting,
                                                .onboardingDay, .group]
}

/// A bar's length in whole percent of the largest value (charts without JavaScript).
public enum Bars {
    public static func percent(_ value: Int, of largest: Int) -> Int {
        guard largest > 0, value > 0 else { return 0 }
        return max(1, (value * 200 + largest) / (largest * 2))
    }
}

/// One figure of the statistics as text, the shape the CSV, the performance report's tables and its
/// frozen copy share.
public struct StatisticsRow: Sendable, Hashable, Codable {
    public var section: String
    public var figure: String
    public var group: String
    /// German number text ("12", "1.234,5", "1234,50").
    public var value: String

    public init(section: String, figure: String, group: String, value: String) {
        (self.section, self.figure, self.group, self.value) = (section, figure, group, value)
    }
}

extension CaseStatistics {
    /// The figures as rows, in reading order; `full` adds outcomes, goals and the counts of complaints,
    /// §8a procedures and incidents (never for accounting). No row names a person.
    public func rows(full: Bool) -> [StatisticsRow] {
        var rows: [StatisticsRow] = []
        func row(_ section: String, _ figure: String, _ group: String, _ value: String) {
            rows.append(StatisticsRow(section: section, figure: figure, group: group, value: value))
        }
        for (name, value) in [("begonnen", total.begun), ("laufend zu Beginn", total.runningAtStart), ("laufend am Ende", total.runningAtEnd),
                              ("beendet", total.ended)] {
            row("Fälle", name, "Gesamt", String(value))
        }
        if full {
            for reason in EndReason.allCases { row("Beendigungsgründe", reason.german, "Gesamt", String(endReasons[reason] ?? 0)) }
            if let length {
                row("Hilfedauer (Tage)", "Median", "beendete Hilfen", HelpLength.german(tenths: length.medianTenths))
                row("Hilfedauer (Tage)", "Mittelwert", "beendete Hilfen", HelpLength.german(tenths: length.meanTenths))
                for (bucket, count) in zip(HelpLength.buckets, length.distribution) { row("Hilfedauer (Tage)", bucket.label, "beendete Hilfen", String(count)) }
            }
        }
        for (section, groups) in [("Jugendamt", byYouthOffice), ("Angebot", byOffer)] {
            for g in groups {
                row(section, "Fälle im Zeitraum", g.name, String(g.cases))
                row(section, "begonnen", g.name, String(g.begun))
                row(section, "beendet", g.name, String(g.ended))
                row(section, "bewilligte Stunden", g.name, Minutes(g.approvedMinutes).germanHours)
                row(section, "geleistete Stunden (Kontingent)", g.name, Minutes(g.deliveredMinutes).germanHours)
                row(section, "abgerechnet (EUR)", g.name, g.billed.decimalString.replacingOccurrences(of: ".", with: ","))
            }
        }
        for kind in CaseStatistics.kindOrder where (minutesByKind[kind] ?? 0) > 0 {
            row("Stunden nach Art", kind.german, "Gesamt", Minutes(minutesByKind[kind] ?? 0).germanHours)
        }
        row("Termine", "Termine", "Gesamt", String(appointments))
        row("Termine", "kurzfristige Absagen", "Gesamt", String(shortNoticeCancellations))
        if let share = shortNoticeShareTenths { row("Termine", "Anteil kurzfristiger Absagen (%)", "Gesamt", HelpLength.german(tenths: share)) }
        if full {
            for value in GoalAttainment.allCases { row("Zielerreichung", value.german, "Ziele", String(goalAttainment[value] ?? 0)) }
            row("Qualität", "Beschwerden", "Gesamt", String(complaints))
            row("Qualität", "§ 8a-Verfahren", "Gesamt", String(childProtectionProcedures))
            row("Qualität", "besondere Vorkommnisse (§ 47)", "Gesamt", String(incidents))
        }
        return rows
    }
}
