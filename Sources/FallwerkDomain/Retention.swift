/// R32: when a case file is blocked (§84 SGB X), when it is deleted, and how long billing records stay
/// (§147 AO). The numbers are agreement settings (`blockAfterYears`, `deleteAfterAge`,
/// `invoiceRetentionYears`); each day below is the first day the step applies.
public enum Retention {
    /// Blocked from the day `years` after the case's last day: with 5 years, a case ended on 2021-03-31
    /// is blocked on 2026-03-31 and was not on 2026-03-30.
    public static func blockDay(ended: Day, years: Int) -> Day {
        ended.adding(months: 12 * years)
    }

    /// Deleted on the young person's birthday of `age` (default 100: the 30th birthday plus 70 years,
    /// §9b SGB VIII); born on 29 February, the day is 28 February in a common year.
    public static func deleteDay(birthDate: Day, age: Int) -> Day {
        birthDate.adding(months: 12 * age)
    }

    /// An invoice issued in `year` is kept to the end of `year + years` and goes on 1 January after that.
    public static func invoiceDeleteDay(issuedIn year: Int, years: Int) -> Day {
        Day(year: year + years + 1, month: 1, day: 1)!
    }

    /// §84 SGB X: a blocked file is read only with a recorded reason of at least this many characters.
    public static let minimumReadingReason = 10

    /// Whether `reason` suffices to read a blocked file (trimmed, at least `minimumReadingReason` characters).
    public static func readingReasonSuffices(_ reason: String?) -> Bool {
        (reason?.trimmed.count ?? 0) >= minimumReadingReason
    }

    /// What is due for one ended case on `today`.
    public enum Step: Sendable, Equatable { case keep, block, delete }

    public static func step(ended: Day?, birthDate: Day?, settings: AgreementSettings, today: Day) -> Step {
        guard let ended, ended < today else { return .keep }
        if let birthDate, today >= deleteDay(birthDate: birthDate, age: settings.deleteAfterAge) { return .delete }
        return today >= blockDay(ended: ended, years: settings.blockAfterYears) ? .block : .keep
    }
}
