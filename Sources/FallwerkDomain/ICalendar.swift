import Foundation

/// One event of a calendar feed: all-day (a deadline, a meeting without a time) or timed.
public struct CalendarEvent: Hashable, Sendable {
    /// Stable per item, so a subscribed calendar updates an event instead of duplicating it.
    public var uid: String
    public var summary: String
    public var description: String?
    public var day: Day
    /// Europe/Berlin wall-clock start; nil for an all-day event.
    public var time: TimeOfDay?
    public var durationMinutes: Int

    public init(uid: String, summary: String, description: String? = nil, day: Day, time: TimeOfDay? = nil,
                durationMinutes: Int = 60) {
        self.uid = uid
        self.summary = summary
        self.description = description
        self.day = day
        self.time = time
        self.durationMinutes = durationMinutes
    }

    /// A deadline as an all-day event on its due day. `caseLabel` should be the file number, never a
    /// name: the feed ends up in third-party calendars (R31, social data protection).
    public init(deadline: Deadline, caseLabel: String, uidScope: String) {
        var lines = [deadline.title, "Status: \(deadline.status.german)"]
        if let windowStart = deadline.windowStart { lines.append("Zeitraum ab \(windowStart.german)") }
        if let note = deadline.note { lines.append(note) }
        self.init(uid: "\(uidScope)-\(deadline.key)@fallwerk", summary: "Frist: \(deadline.kind.german) – \(caseLabel)",
                  description: lines.joined(separator: "\n"), day: deadline.due)
    }

    /// A care plan meeting: timed when its time is known.
    public init(meeting: CarePlanMeeting, caseLabel: String, uidScope: String) {
        self.init(uid: "\(uidScope)-meeting-\(meeting.key)@fallwerk", summary: "\(meeting.kind.german) – \(caseLabel)",
                  description: meeting.state == .held ? "hat stattgefunden" : nil, day: meeting.date, time: meeting.time,
                  durationMinutes: meeting.durationMinutes ?? 90)
    }
}

/// An RFC 5545 calendar (the per-user deadline feed). Rendering is pure: the stamp is passed in.
public struct ICalendar: Hashable, Sendable {
    public var name: String
    public var events: [CalendarEvent]

    public init(name: String, events: [CalendarEvent]) {
        self.name = name
        self.events = events
    }

    public static let productID = "-//Fallwerk//Fallwerk Fristen//DE"

    /// The feed's text: CRLF line endings, lines folded at 75 octets (RFC 5545 §3.1).
    /// - Parameter stamp: DTSTAMP of every event (the time the feed is generated, passed in).
    public func render(stamp: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:\(ICalendar.productID)",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:\(ICalendar.escape(name))",
            "X-WR-TIMEZONE:Europe/Berlin",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
        ]
        let dtstamp = ICalendar.utc(stamp)
        for event in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:\(ICalendar.escape(event.uid))")
            lines.append("DTSTAMP:\(dtstamp)")
            if let time = event.time {
                // UTC times need no VTIMEZONE block, which Outlook and phones read alike.
                let start = BerlinTime.instant(event.day, time)
                lines.append("DTSTART:\(ICalendar.utc(start))")
                lines.append("DTEND:\(ICalendar.utc(start.addingTimeInterval(TimeInterval(max(1, event.durationMinutes) * 60))))")
            } else {
                lines.append("DTSTART;VALUE=DATE:\(ICalendar.date(event.day))")
                lines.append("DTEND;VALUE=DATE:\(ICalendar.date(event.day.adding(days: 1)))")
                lines.append("TRANSP:TRANSPARENT")
            }
            lines.append("SUMMARY:\(ICalendar.escape(event.summary))")
            if let description = event.description { lines.append("DESCRIPTION:\(ICalendar.escape(description))") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(ICalendar.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and line breaks as `\n`.
    public static func escape(_ text: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            default:
                // Other control characters are not allowed in TEXT.
                if scalar.value < 0x20 && scalar != "\t" { break }
                out.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return out
    }

    /// Folds a content line into lines of at most 75 octets; continuation lines start with one space.
    /// Breaks only between Unicode scalars, so a multi-byte UTF-8 character is never split.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if octets + width > 75 {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += width
        }
        return out
    }

    static func date(_ day: Day) -> String { day.iso.replacingAll("-", with: "") }

    static func utc(_ instant: Date) -> String {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let day = Day(ordinal: Int(days))
        return "\(date(day))T\(Day.pad(rest / 3600, 2))\(Day.pad(rest / 60 % 60, 2))\(Day.pad(rest % 60, 2))Z"
    }
}
