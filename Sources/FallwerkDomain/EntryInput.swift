import Foundation

/// A service entry as typed in the form or sent to the API; checked into `EntryFacts`.
public struct EntryInput: Sendable, Equatable {
    public var date: String?
    public var start: String?
    /// Optional end time; when given, the minutes follow from it.
    public var end: String?
    public var minutes: Int?
    public var kind: String?
    public var cancelledBy: String?
    public var cancelledAt: String?
    public var homeVisit: Bool?
    public var kilometres: Int?
    /// A short note on what the entry was (topic of a meeting); internal, never on the service record.
    public var note: String?

    public static let maxNoteLength = 500

    public init(date: String? = nil, start: String? = nil, end: String? = nil, minutes: Int? = nil, kind: String? = nil,
                cancelledBy: String? = nil, cancelledAt: String? = nil, homeVisit: Bool? = nil, kilometres: Int? = nil,
                note: String? = nil) {
        self.note = note
        self.date = date
        self.start = start
        self.end = end
        self.minutes = minutes
        self.kind = kind
        self.cancelledBy = cancelledBy
        self.cancelledAt = cancelledAt
        self.homeVisit = homeVisit
        self.kilometres = kilometres
    }

    /// The short note, trimmed; nil when empty.
    public func validatedNote(into v: inout Validator) -> String? {
        v.optional(note, "note", label: "die Kurznotiz", maxLength: Self.maxNoteLength)
    }

    /// Checks everything that needs no database: kinds, times, the 24-hour limit, cancellations.
    /// - Parameter allowedKinds: the kinds this path records (group shares come from group sessions).
    public func validated(into v: inout Validator, today: Day, allowedKinds: [EntryKind] = EntryKind.recordable) -> EntryFacts? {
        var kind: EntryKind?
        if let raw = self.kind?.trimmed, !raw.isEmpty {
            kind = EntryKind(rawValue: raw).flatMap { allowedKinds.contains($0) ? $0 : nil }
            if kind == nil { v.add("kind", "Bitte eine gültige Art der Leistung wählen.") }
        } else {
            v.add("kind", "Bitte die Art der Leistung angeben.")
        }
        let date = v.day(self.date, "date", label: "das Datum")
        var start: TimeOfDay?
        if let text = self.start?.trimmed, !text.isEmpty {
            start = TimeOfDay(text: text)
            if start == nil { v.add("start", "Bitte die Uhrzeit als SS:MM angeben, z. B. 14:30.") }
        } else {
            v.add("start", "Bitte die Uhrzeit des Beginns angeben.")
        }
        var minutes = self.minutes
        if let text = end?.trimmed, !text.isEmpty {
            if let endTime = TimeOfDay(text: text) {
                if let start {
                    if endTime <= start {
                        v.add("end", "Das Ende liegt vor dem Beginn. Bitte die Uhrzeiten prüfen.")
                    } else if let given = minutes, given != endTime.minuteOfDay - start.minuteOfDay {
                        v.add("minutes", "Die Dauer passt nicht zu Beginn und Ende.")
                    } else {
                        minutes = endTime.minuteOfDay - start.minuteOfDay
                    }
                }
            } else {
                v.add("end", "Bitte die Uhrzeit als SS:MM angeben, z. B. 15:15.")
            }
        }
        if let value = minutes {
            if value <= 0 {
                v.add("minutes", "Die Dauer muss mindestens eine Minute betragen.")
            } else if value > ServiceRules.maximumMinutes {
                v.add("minutes", "Ein Eintrag kann höchstens 24 Stunden (1440 Minuten) umfassen.")
            }
        } else if !v.has("end") {
            v.add("minutes", "Bitte die Dauer in Minuten angeben.")
        }

        var cancelledBy: CancelledBy?
        var cancelledAt: Date?
        if kind == .cancelled {
            if let raw = self.cancelledBy?.trimmed, !raw.isEmpty {
                cancelledBy = CancelledBy(rawValue: raw)
                if cancelledBy == nil { v.add("cancelledBy", "Bitte angeben, wer abgesagt hat: client oder provider.") }
            } else {
                v.add("cancelledBy", "Bitte angeben, wer den Termin abgesagt hat.")
            }
            if let raw = self.cancelledAt?.trimmed, !raw.isEmpty {
                cancelledAt = DateTimeText.parse(raw)
                if cancelledAt == nil { v.add("cancelledAt", "Bitte den Zeitpunkt der Absage als Datum und Uhrzeit angeben.") }
            } else if cancelledBy == .client {
                v.add("cancelledAt", "Bitte angeben, wann die Absage kam; davon hängt die Abrechnung ab.")
            }
            if let cancelledAt, let date, let start, cancelledAt > BerlinTime.instant(date, start) {
                v.add("cancelledAt", "Die Absage liegt nach dem Termin. Ein nicht wahrgenommener Termin ist „nicht angetroffen“.")
            }
        }
        let homeVisit = homeVisit ?? false
        if homeVisit, let kind, !kind.canBeHomeVisit {
            v.add("homeVisit", "Fahrtkosten gibt es nur für Hausbesuche (Kontakt, Krisenintervention, Einstiegstag, nicht angetroffen).")
        }
        if let kilometres, !(0...2_000).contains(kilometres) {
            v.add("kilometres", "Bitte die Kilometer als ganze Zahl zwischen 0 und 2000 angeben.")
        }
        if let date, date > today, kind != .cancelled {
            v.add("date", "Das Datum liegt in der Zukunft. Erfasst wird erbrachte Arbeit; nur Absagen können vorab eingetragen werden.")
        }
        guard let kind, let date, let start, let minutes, v.errors.isEmpty else { return nil }
        return EntryFacts(kind: kind, date: date, start: start, minutes: minutes, cancelledBy: cancelledBy,
                          cancelledAt: cancelledAt, homeVisit: homeVisit, kilometres: kilometres)
    }
}
