import Foundation

/// A wall-clock time in Europe/Berlin, to the minute ("14:30").
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes since local midnight, 0…1439.
    public let minuteOfDay: Int

    public init?(minuteOfDay: Int) {
        guard (0..<1440).contains(minuteOfDay) else { return nil }
        self.minuteOfDay = minuteOfDay
    }

    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.minuteOfDay = hour * 60 + minute
    }

    /// Parses `H:MM`, `HH:MM` or `HH:MM:SS` (seconds must be zero).
    public init?(text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts[0].count <= 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        if parts.count == 3 { guard parts[2] == "00" else { return nil } }
        self.init(hour: hour, minute: minute)
    }

    public var hour: Int { minuteOfDay / 60 }
    public var minute: Int { minuteOfDay % 60 }
    public var text: String { "\(Day.pad(hour, 2)):\(Day.pad(minute, 2))" }
    public var description: String { text }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minuteOfDay < rhs.minuteOfDay }
}

/// Europe/Berlin without a time-zone database: CET (UTC+1) with EU summer time (UTC+2) from the last
/// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (in force since 1996).
/// Computed, so it gives the same answer on every machine, with or without tzdata.
public enum BerlinTime {
    /// The instant of a local wall-clock time. In the autumn hour that happens twice the earlier
    /// (summer-time) instant is taken; a spring time that does not exist is read as winter time.
    public static func instant(_ day: Day, _ time: TimeOfDay) -> Date {
        let localSeconds = Int64(day.ordinal) * 86_400 + Int64(time.minuteOfDay) * 60
        let summer = localSeconds - 7_200
        let utcSeconds = isSummerTime(utcSeconds: summer) ? summer : localSeconds - 3_600
        return Date(timeIntervalSince1970: TimeInterval(utcSeconds))
    }

    /// The local day and time of an instant.
    public static func local(_ instant: Date) -> (day: Day, time: TimeOfDay) {
        let utcSeconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let offset: Int64 = isSummerTime(utcSeconds: utcSeconds) ? 7_200 : 3_600
        let local = utcSeconds + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        return (Day(ordinal: Int(days)), TimeOfDay(minuteOfDay: Int(seconds / 60))!)
    }

    static func isSummerTime(utcSeconds: Int64) -> Bool {
        let days = utcSeconds >= 0 ? utcSeconds / 86_400 : (utcSeconds - 86_399) / 86_400
        let year = Day(ordinal: Int(days)).year
        let start = Int64(lastSunday(year: year, month: 3).ordinal) * 86_400 + 3_600
        let end = Int64(lastSunday(year: year, month: 10).ordinal) * 86_400 + 3_600
        return utcSeconds >= start && utcSeconds < end
    }

    static func lastSunday(year: Int, month: Int) -> Day {
        let last = Day(year: year, month: month, day: Day.daysIn(year: year, month: month))!
        return last.adding(days: -(last.weekday % 7))
    }
}

/// ISO 8601 date-times as the API sends them ("2026-11-20T08:15:00+01:00", "…Z"); without an
/// offset the time is read as Europe/Berlin.
public enum DateTimeText {
    public static func parse(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.count >= 16 else { return nil }
        let separatorIndex = text.index(text.startIndex, offsetBy: 10)
        guard text[separatorIndex] == "T" || text[separatorIndex] == " ",
              let day = Day(iso: String(text[..<separatorIndex]))
        else { return nil }
        var rest = String(text[text.index(after: separatorIndex)...])
        var offsetSeconds: Int64?
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            rest.removeLast()
            offsetSeconds = 0
        } else if let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[signIndex...]
            let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
            guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits),
                  value / 100 < 24, value % 100 < 60
            else { return nil }
            let seconds = (value / 100) * 3_600 + (value % 100) * 60
            offsetSeconds = zone.first == "-" ? -seconds : seconds
            rest = String(rest[..<signIndex])
        }
        // Fractions of a second are ignored; whole minutes are what counts here.
        if let dot = rest.firstIndex(of: ".") { rest = String(rest[..<dot]) }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let hour = Int(parts[0]), let minute = Int(parts[1]),
              let time = TimeOfDay(hour: hour, minute: minute)
        else { return nil }
        let second = parts.count == 3 ? Int(parts[2]) : 0
        guard let second, (0..<60).contains(second) else { return nil }
        guard let offsetSeconds else {
            return BerlinTime.instant(day, time).addingTimeInterval(TimeInterval(second))
        }
        let local = Int64(day.ordinal) * 86_400 + Int64(time.minuteOfDay) * 60 + Int64(second)
        return Date(timeIntervalSince1970: TimeInterval(local - offsetSeconds))
    }

    /// `2026-11-20T08:15:00+01:00` in Europe/Berlin.
    public static func format(_ instant: Date) -> String {
        let (day, time) = BerlinTime.local(instant)
        let offset = BerlinTime.isSummerTime(utcSeconds: Int64(instant.timeIntervalSince1970.rounded(.down))) ? "+02:00" : "+01:00"
        return "\(day.iso)T\(time.text):00\(offset)"
    }
}
