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

/// An entry of the case dated after a planned end (R6, R8): billed after the help ended, so it must
/// be corrected (moved to its real day, or deleted) before the case can end on that day.
public struct EntryAfterEnd: Sendable, Hashable {
    public let entryID: String
    public let date: Day
    public let start: TimeOfDay
    public let kind: EntryKind
    public let staffName: String
    /// A group session's share: corrected with its session, not on its own.
    public let groupSessionID: String?

    public init(entryID: String, date: Day, start: TimeOfDay, kind: EntryKind, staffName: String, groupSessionID: String? = nil) {
        self.entryID = entryID
        self.date = date
        self.start = start
        self.kind = kind
        self.staffName = staffName
        self.groupSessionID = groupSessionID
    }

    /// "02.12.2026, 10:00, Kontakt mit Klient:in (Anna Berg)"
    public var german: String {
        "\(date.german), \(start.text), \(kind.german)\(groupSessionID == nil ? "" : " – Anteil am Gruppenangebot") (\(staffName))"
    }
}

/// The end of a case and the work recorded after it (R6, R8).
public enum CaseEnd {
    /// How many entries a refusal names before "und n weitere".
    public static let listedInMessage = 10

    /// The entries that keep the case from ending on `end`, in the order of the days. A report to the
    /// youth office is not one: the final report is due at every end and written after it (R6 [000]),
    /// and its entry is dated the day it is sent. Everything else after the last day of the help would
    /// stay billable though no help was given (R8: the approval covers the help, not the days after).
    public static func entriesAfter(_ end: Day, in entries: [EntryAfterEnd]) -> [EntryAfterEnd] {
        entries.filter { $0.date > end && $0.kind != .report }
            .sorted { ($0.date, $0.start, $0.entryID) < ($1.date, $1.start, $1.entryID) }
    }

    /// The German refusal naming the entries: date, time, kind, staff.
    public static func refusal(end: Day, entries: [EntryAfterEnd]) -> String {
        let listed = entries.prefix(listedInMessage).map(\.german).joined(separator: "; ")
        let more = entries.count > listedInMessage ? " und \(entries.count - listedInMessage) weitere" : ""
        let noun = entries.count == 1 ? "ist noch 1 Leistung" : "sind noch \(entries.count) Leistungen"
        return "Nach dem \(end.german) \(noun) erfasst: \(listed)\(more). Bitte diese zuerst auf den richtigen Tag verschieben "
            + "oder löschen; dann lässt sich die Hilfe zum \(end.german) beenden."
    }

    /// The check before a case ends: a refusal on the field `date` when entries lie after the end.
    public static func check(_ end: Day, entries: [EntryAfterEnd], into v: inout Validator) {
        let after = entriesAfter(end, in: entries)
        if !after.isEmpty { v.add("date", refusal(end: end, entries: after)) }
    }
}
