/// One bad field, named as in the API (`address.city`, `rates[1].hourlyRate`), with a German message
/// for the person who typed it.
public struct FieldError: Hashable, Sendable, Error {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Everything wrong with one input at once, so a form can show every message together.
public struct ValidationFailure: Error, Sendable, Equatable {
    public let errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }

    public func message(for field: String) -> String? {
        errors.first(where: { $0.field == field })?.message
    }
}

/// Collects field errors while an input is checked; `finish` throws them all together.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func add(_ field: String, _ message: String) {
        errors.append(FieldError(field, message))
    }

    /// Whether `field` has an error already.
    public func has(_ field: String) -> Bool { errors.contains { $0.field == field } }

    /// A trimmed, non-empty text of at most `maxLength` characters, or nil with an error recorded.
    public mutating func required(_ value: String?, _ field: String, label: String, maxLength: Int = 200) -> String? {
        let text = value?.trimmed ?? ""
        if text.isEmpty {
            add(field, "Bitte \(label) angeben.")
            return nil
        }
        if text.count > maxLength {
            add(field, "Bitte \(label) mit höchstens \(maxLength) Zeichen angeben.")
            return nil
        }
        return text
    }

    /// A trimmed text that may be empty (then nil), at most `maxLength` characters.
    public mutating func optional(_ value: String?, _ field: String, label: String, maxLength: Int = 200) -> String? {
        let text = value?.trimmed ?? ""
        if text.isEmpty { return nil }
        if text.count > maxLength {
            add(field, "Bitte \(label) mit höchstens \(maxLength) Zeichen angeben.")
            return nil
        }
        return text
    }

    public mutating func day(_ value: String?, _ field: String, label: String, required: Bool = true) -> Day? {
        let text = value?.trimmed ?? ""
        if text.isEmpty {
            if required { add(field, "Bitte \(label) angeben.") }
            return nil
        }
        guard let day = Day(iso: text) else {
            add(field, "Bitte \(label) als gültiges Datum angeben (JJJJ-MM-TT).")
            return nil
        }
        return day
    }

    public mutating func integer(_ value: Int?, _ field: String, label: String, range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            add(field, "Bitte \(label) als ganze Zahl von \(range.lowerBound) bis \(range.upperBound) angeben.")
            return nil
        }
        return value
    }

    public mutating func money(_ value: String?, _ field: String, label: String) -> Cents? {
        let text = value?.trimmed ?? ""
        if text.isEmpty {
            add(field, "Bitte \(label) angeben.")
            return nil
        }
        guard let cents = Cents(decimal: text) else {
            add(field, "Bitte \(label) als Betrag wie 58,40 angeben (höchstens zwei Nachkommastellen).")
            return nil
        }
        return cents
    }

    public mutating func hours(_ value: String?, _ field: String, label: String, max: Int) -> Minutes? {
        let text = value?.trimmed ?? ""
        if text.isEmpty {
            add(field, "Bitte \(label) angeben.")
            return nil
        }
        guard let minutes = Minutes(hours: text) else {
            add(field, "Bitte \(label) als Stundenzahl wie 7,5 angeben (auf ganze Minuten genau).")
            return nil
        }
        guard minutes.value <= max * 60 else {
            add(field, "Bitte für \(label) höchstens \(max) Stunden angeben.")
            return nil
        }
        return minutes
    }

    public func finish() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}

extension String {
    /// Without leading and trailing white space.
    public var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
