/// Money in whole cents. Never binary floating point (R13).
public struct Cents: Hashable, Comparable, Sendable, AdditiveArithmetic {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public static let zero = Cents(0)
    public static func + (lhs: Cents, rhs: Cents) -> Cents { Cents(lhs.value + rhs.value) }
    public static func - (lhs: Cents, rhs: Cents) -> Cents { Cents(lhs.value - rhs.value) }
    public static func < (lhs: Cents, rhs: Cents) -> Bool { lhs.value < rhs.value }

    /// Parses a decimal amount such as `"58.40"`, `"58,4"` or `"58"`: at most two decimals,
    /// no sign, no thousands separators. Nil for anything else.
    public init?(decimal text: String) {
        guard let parsed = FixedPoint.parse(text, scale: 2) else { return nil }
        self.value = parsed
    }

    /// The API form: `"58.40"`, `"-3.05"`.
    public var decimalString: String { FixedPoint.format(value, scale: 2, separator: ".") }

    /// What a German form field shows and accepts back: `63,10` (no thousands separator, no sign).
    public var formValue: String { FixedPoint.format(value, scale: 2, separator: ",") }

    /// The German display form with thousands separators: `58,40 €`, `14.420,17 €`, `-1.000,00 €`.
    public var german: String { FixedPoint.format(value, scale: 2, separator: ",", grouping: ".") + " €" }

    /// Price of `minutes` at an hourly rate, rounded half-up to whole cents (R13).
    public static func price(minutes: Int, hourlyRate: Cents) -> Cents {
        let numerator = Int64(minutes) * hourlyRate.value
        return Cents(FixedPoint.divideRoundingHalfUp(numerator, by: 60))
    }
}

/// A duration in whole minutes (R13). Hours appear in the API and forms as decimal strings.
public struct Minutes: Hashable, Comparable, Sendable, AdditiveArithmetic {
    public var value: Int

    public init(_ value: Int) { self.value = value }

    public static let zero = Minutes(0)
    public static func + (lhs: Minutes, rhs: Minutes) -> Minutes { Minutes(lhs.value + rhs.value) }
    public static func - (lhs: Minutes, rhs: Minutes) -> Minutes { Minutes(lhs.value - rhs.value) }
    public static func < (lhs: Minutes, rhs: Minutes) -> Bool { lhs.value < rhs.value }

    /// Parses hours given as a decimal string (`"10"`, `"7.5"`, `"39,25"`) into whole minutes.
    /// Nil when the text is no plain decimal or does not come to whole minutes (`"0.01"`).
    public init?(hours text: String) {
        guard let hundredths = FixedPoint.parse(text, scale: 2) else { return nil }
        let scaled = hundredths * 60
        guard scaled % 100 == 0, scaled / 100 <= Int64(Int32.max) else { return nil }
        self.value = Int(scaled / 100)
    }

    /// Hours as a decimal string without needless zeros: 600 → `"10"`, 450 → `"7.5"`, 20 → `"0.33"`.
    public var hoursString: String { hours(separator: ".") }

    /// German display form: 450 → `7,5`.
    public var germanHours: String { hours(separator: ",") }

    private func hours(separator: Character) -> String {
        let hundredths = FixedPoint.divideRoundingHalfUp(Int64(value) * 100, by: 60)
        var text = FixedPoint.format(hundredths, scale: 2, separator: separator)
        while text.last == "0", text.contains(separator) { text.removeLast() }
        if text.last == separator { text.removeLast() }
        return text
    }
}

/// Integer fixed-point helpers shared by money and hours.
enum FixedPoint {
    static func parse(_ raw: String, scale: Int) -> Int64? {
        let text = raw.trimmed
        guard !text.isEmpty, text.count <= 15 else { return nil }
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        guard parts.count <= 2,
              let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.count <= scale,
              parts.count == 1 || !fraction.isEmpty
        else { return nil }
        fraction += String(repeating: "0", count: scale - fraction.count)
        guard let w = Int64(whole), let f = Int64(fraction.isEmpty ? "0" : fraction) else { return nil }
        var factor: Int64 = 1
        for _ in 0..<scale { factor *= 10 }
        return w * factor + f
    }

    /// `grouping` puts a separator between every three digits of the whole part (`1.234.567,89`).
    static func format(_ value: Int64, scale: Int, separator: Character, grouping: Character? = nil) -> String {
        var factor: Int64 = 1
        for _ in 0..<scale { factor *= 10 }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        var whole = String(magnitude / UInt64(factor))
        if let grouping {
            var grouped = ""
            for (index, digit) in whole.enumerated() {
                if index > 0, (whole.count - index) % 3 == 0 { grouped.append(grouping) }
                grouped.append(digit)
            }
            whole = grouped
        }
        var fraction = String(magnitude % UInt64(factor))
        fraction = String(repeating: "0", count: scale - fraction.count) + fraction
        return "\(sign)\(whole)\(separator)\(fraction)"
    }

    /// Division rounding half away from zero ("kaufmännisch runden").
    static func divideRoundingHalfUp(_ numerator: Int64, by denominator: Int64) -> Int64 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude * 2 >= denominator.magnitude {
            return quotient + (numerator < 0 ? -1 : 1)
        }
        return quotient
    }
}
