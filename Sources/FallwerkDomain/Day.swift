/// A calendar day without time or zone (Europe/Berlin is implied wherever a day meets a clock).
///
/// Deadlines (R3–R7) are pure day arithmetic, so the domain never touches `Date` or the wall clock:
/// "today" is always passed in.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a day, or nil when it does not exist (31 April, 29 February outside leap years).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysIn(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the strict ISO form `YYYY-MM-DD` used by the API and HTML date inputs.
    public init?(iso text: String) {
        // Byte by byte: lists parse tens of thousands of stored dates (issue 12).
        func parse(_ bytes: some RandomAccessCollection<UInt8>) -> (Int, Int, Int)? {
            guard bytes.count == 10 else { return nil }
            var year = 0, month = 0, day = 0
            for (offset, byte) in bytes.enumerated() {
                if offset == 4 || offset == 7 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                switch offset {
                case ..<4: year = year * 10 + digit
                case ..<7: month = month * 10 + digit
                default: day = day * 10 + digit
                }
            }
            return (year, month, day)
        }
        guard let (y, m, d) = text.utf8.withContiguousStorageIfAvailable(parse) ?? parse(Array(text.utf8)) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var iso: String {
        "\(Day.pad(year, 4))-\(Day.pad(month, 2))-\(Day.pad(day, 2))"
    }

    /// German short form, e.g. `31.08.2026`.
    public var german: String {
        "\(Day.pad(day, 2)).\(Day.pad(month, 2)).\(Day.pad(year, 4))"
    }

    public var description: String { iso }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Adds calendar months, clamping to the last day of the target month:
    /// 31 August + 6 months is 28 February (29 in a leap year).
    public func adding(months: Int) -> Day {
        let index = year * 12 + (month - 1) + months
        let y = index / 12
        let m = index % 12 + 1
        return Day(year: y, month: m, day: min(day, Day.daysIn(year: y, month: m)))!
    }

    /// Days since 1970-01-01 (proleptic Gregorian); the basis of day arithmetic.
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    public func days(until other: Day) -> Int { other.ordinal - ordinal }

    /// Monday = 1 … Sunday = 7 (ISO 8601).
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        ((ordinal % 7 + 7) % 7 + 3) % 7 + 1
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// A calendar month, the unit of billing (R14).
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(iso text: String) {
        guard let day = Day(iso: text + "-01") else { return nil }
        self.init(year: day.year, month: day.month)
    }

    public init(containing day: Day) {
        self.year = day.year
        self.month = day.month
    }

    public var firstDay: Day { Day(year: year, month: month, day: 1)! }
    public var lastDay: Day { Day(year: year, month: month, day: Day.daysIn(year: year, month: month))! }
    public var iso: String { "\(Day.pad(year, 4))-\(Day.pad(month, 2))" }
    public var description: String { iso }

    public static func < (lhs: Month, rhs: Month) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
