/// Ending a help (R6): a day and a reason, checked against the case.
public struct CaseEndInput: Sendable, Equatable {
    public var date: String?
    public var reason: String?

    /// How far ahead an end may be entered (an end agreed with the youth office for next month).
    public static let maximumDaysAhead = 90

    public init(date: String? = nil, reason: String? = nil) {
        self.date = date
        self.reason = reason
    }

    /// The end, or nil with German field errors: not before the start, not before a meeting that
    /// already took place, not more than `maximumDaysAhead` ahead.
    public func validated(into v: inout Validator, startDate: Day, meetings: [CarePlanMeeting], today: Day) -> (day: Day, reason: EndReason)? {
        let end = v.day(date, "date", label: "das Ende der Hilfe")
        var endReason: EndReason?
        if let raw = v.required(reason, "reason", label: "den Grund für das Ende") {
            endReason = EndReason(rawValue: raw)
            if endReason == nil { v.add("reason", "Bitte einen der Gründe wählen: \(EndReason.allCases.map(\.german).joined(separator: ", ")).") }
        }
        if let end, end < startDate {
            v.add("date", "Das Ende liegt vor dem Beginn der Hilfe (\(startDate.german)).")
        }
        if let end, let later = meetings.filter({ $0.isHeld && $0.date > end }).map(\.date).max() {
            v.add("date", "Nach diesem Tag hat noch ein Hilfeplangespräch stattgefunden (\(later.german)).")
        }
        if let end, end > today.adding(days: Self.maximumDaysAhead) {
            v.add("date", "Das Ende kann höchstens \(Self.maximumDaysAhead) Tage im Voraus eingetragen werden.")
        }
        guard let end, let endReason, v.errors.isEmpty else { return nil }
        return (end, endReason)
    }
}
