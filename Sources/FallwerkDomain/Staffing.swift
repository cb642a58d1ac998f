/// People and capacity (issue 14): free capacity for intake (R2), the planned load (R26), staff
/// standards (R24, R25), absences (R27), the on-call rota (R28). Pure rules; the stores feed them.

// MARK: Leaving (issue 16)

/// A staff member's leaving date is their last working day. After it they are not offered for cases:
/// not in the capacity list (R2), not as a substitute (R27), and no assignment may start after it.
public enum Leaving {
    /// Whether someone with this leaving date still works on `day`.
    public static func works(on day: Day, leavingDate: Day?) -> Bool {
        leavingDate.map { day <= $0 } ?? true
    }

    /// Why `name` cannot take on work on a case from `from` (through `to`, when the work has an end, as a
    /// substitution does), in German; nil when they can.
    public static func refusal(name: String, leavingDate: Day?, from: Day, to: Day? = nil) -> String? {
        guard let leavingDate else { return nil }
        if !works(on: from, leavingDate: leavingDate) {
            return "\(name) ist nur bis zum \(leavingDate.german) beschäftigt und kann ab dem \(from.german) keine Aufgabe in einem Fall übernehmen."
        }
        if let to, !works(on: to, leavingDate: leavingDate) {
            return "\(name) ist nur bis zum \(leavingDate.german) beschäftigt und kann nicht bis zum \(to.german) vertreten."
        }
        return nil
    }
}

// MARK: Capacity and load (R2, R26)

public enum Capacity {
    /// R26: no one is planned beyond 48 hours a week, indirect time included [004].
    public static let maxWeeklyLoadMinutes = 48 * 60
    /// The provider's productive share of contract hours when none is set (R2).
    public static let defaultProductivePercent = 75

    /// The weekly minutes of a budget (R2): a budget per week counts as is, per month × 12/52, per
    /// half-year × 2/52, one for the whole period spread over its weeks; rounded to whole minutes.
    public static func weeklyMinutes(_ minutesPerUnit: Int, unit: BudgetUnit, from: Day, to: Day) -> Int {
        switch unit {
        case .week: return minutesPerUnit
        case .month: return rounded(minutesPerUnit * 12, 52)
        case .halfYear: return rounded(minutesPerUnit * 2, 52)
        case .period:
            let days = max(1, from.days(until: to) + 1)
            return rounded(minutesPerUnit * 7, days)
        }
    }

    /// A requested budget's weekly minutes; nil for a budget for a whole period, which has no weeks yet.
    public static func weeklyMinutes(_ minutesPerUnit: Int, unit: BudgetUnit) -> Int? {
        unit == .period ? nil : weeklyMinutes(minutesPerUnit, unit: unit, from: Day(year: 2000, month: 1, day: 1)!,
                                              to: Day(year: 2000, month: 1, day: 7)!)
    }

    /// Contract hours × the productive share: the time a person has for clients each week.
    public static func productiveMinutes(contract: Int, productivePercent: Int) -> Int {
        rounded(contract * productivePercent, 100)
    }

    /// R2: the productive time not yet taken by budgets; negative when over-planned.
    public static func freeMinutes(contract: Int, productivePercent: Int, budgets: Int) -> Int {
        productiveMinutes(contract: contract, productivePercent: productivePercent) - budgets
    }

    /// R26: the planned weekly load: the budgets a person works on plus the provider's indirect share of
    /// their contract (the part that is not productive: team, supervision, travel, administration).
    /// So a person whose budgets fill exactly their productive time is planned at their contract hours.
    public static func plannedLoad(contract: Int, productivePercent: Int, budgets: Int) -> Int {
        budgets + contract - productiveMinutes(contract: contract, productivePercent: productivePercent)
    }

    /// R26: why an assignment that brings the load to `load` minutes is refused; nil when allowed (within
    /// 48 hours, or a reason for going beyond was recorded).
    public static func loadRefusal(name: String, load: Int, reason: String?) -> String? {
        guard load > maxWeeklyLoadMinutes, (reason?.trimmed ?? "").isEmpty else { return nil }
        return "\(name) wäre mit \(Minutes(load).germanHours) Stunden pro Woche verplant, mehr als 48 Stunden. "
            + "Bitte eine andere Fachkraft wählen oder den Grund für die Ausnahme angeben."
    }

    /// R26: whether a staff member's qualification meets an offer's requirement. A recognised educator
    /// does not meet a social-work requirement by itself; seed 004 allows it case by case, as an exception.
    public static func meets(_ qualification: Qualification, required: Qualification?) -> Bool {
        guard let required else { return true }
        return qualification == required
    }

    /// R26: why assigning someone without the offer's qualification is refused; nil when allowed.
    public static func qualificationRefusal(name: String, qualification: Qualification, required: Qualification?, reason: String?) -> String? {
        guard let required, !meets(qualification, required: required), (reason?.trimmed ?? "").isEmpty else { return nil }
        return "\(name) hat nicht die für dieses Angebot erforderliche Qualifikation (\(required.german)). "
            + "Eine Ausnahme ist möglich, wenn ihr Grund angegeben wird (z. B. langjährige Erfahrung)."
    }

    static func rounded(_ numerator: Int, _ denominator: Int) -> Int {
        (numerator * 2 + denominator) / (denominator * 2)
    }
}

// MARK: Staff standards (R24, R25)

public enum StandardState: String, Sendable, Comparable, CaseIterable {
    case met
    /// Still reachable this year, or running out within three months.
    case open
    case missing

    public var german: String {
        switch self {
        case .met: "erfüllt"
        case .open: "bald fällig"
        case .missing: "fehlt"
        }
    }

    var rank: Int { self == .met ? 0 : self == .open ? 1 : 2 }
    public static func < (a: StandardState, b: StandardState) -> Bool { a.rank < b.rank }
}

public enum StandardItem: String, Sendable, CaseIterable {
    case certificate, training, supervision, acknowledgement, induction, load

    public var german: String {
        switch self {
        case .certificate: "Erweitertes Führungszeugnis"
        case .training: "Fortbildung (15,6 Std.)"
        case .supervision: "Supervision (8 × 120 Min.)"
        case .acknowledgement: "Kenntnisnahme § 8a-Verfahren"
        case .induction: "Einarbeitung (2 Module)"
        case .load: "Auslastung (höchstens 48 Std.)"
        }
    }
}

public struct StaffRecords: Sendable, Hashable {
    public var certificates: [Day] = []
    public var trainings: [(date: Day, minutes: Int)] = []
    public var supervisions: [(date: Day, minutes: Int)] = []
    public var acknowledgements: [Day] = []
    public var inductionModule1: Day?
    public var inductionModule2: Day?

    public init() {}

    public static func == (a: StaffRecords, b: StaffRecords) -> Bool {
        a.certificates == b.certificates && a.acknowledgements == b.acknowledgements
            && a.inductionModule1 == b.inductionModule1 && a.inductionModule2 == b.inductionModule2
            && a.trainings.map { "\($0.date.iso)/\($0.minutes)" } == b.trainings.map { "\($0.date.iso)/\($0.minutes)" }
            && a.supervisions.map { "\($0.date.iso)/\($0.minutes)" } == b.supervisions.map { "\($0.date.iso)/\($0.minutes)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(certificates)
        hasher.combine(acknowledgements)
    }

    /// R25 [000]: both induction modules done by `day`: only then may the person lead a case.
    public func inductionComplete(on day: Day) -> Bool {
        guard let one = inductionModule1, let two = inductionModule2 else { return false }
        return one <= day && two <= day
    }
}

public struct StaffStandards: Sendable, Hashable {
    public static let certificateYears = 5
    public static let certificateNoticeMonths = 3
    /// R25: 15.6 hours of training per calendar year [004].
    public static let trainingMinutesPerYear = 936
    public static let supervisionsPerYear = 8
    public static let supervisionMinimumMinutes = 120

    public let year: Int
    /// The day the state is judged on: today in the current year, 31 December of a past year.
    public let asOf: Day
    public let certificateValidUntil: Day?
    public let trainingMinutes: Int
    public let supervisionsCounted: Int
    public let acknowledged: Bool
    public let inductionComplete: Bool
    public let plannedWeeklyMinutes: Int
    public let states: [StandardItem: StandardState]

    /// The last day a certificate issued on `issued` is valid: five years, to the day before the fifth
    /// anniversary (one issued on 29 February runs to 28 February, the anniversary being missing).
    public static func validUntil(issued: Day) -> Day {
        let anniversary = issued.adding(months: certificateYears * 12)
        return anniversary.day == issued.day ? anniversary.adding(days: -1) : anniversary
    }

    /// R24: the state of the newest certificate on `day`: missing when none or expired, open from
    /// three months before it runs out.
    public static func certificateState(issued: Day?, on day: Day) -> StandardState {
        guard let issued, issued <= day else { return .missing }
        let until = validUntil(issued: issued)
        if day > until { return .missing }
        if day >= issued.adding(months: certificateYears * 12 - certificateNoticeMonths) { return .open }
        return .met
    }

    public init(year: Int, today: Day, records: StaffRecords, plannedWeeklyMinutes: Int) {
        self.year = year
        let yearEnd = Day(year: year, month: 12, day: 31)!
        let yearStart = Day(year: year, month: 1, day: 1)!
        let asOf = min(today, yearEnd)
        self.asOf = asOf
        // A year still running can still be met; a past one cannot.
        let running = today <= yearEnd
        let newest = records.certificates.filter { $0 <= asOf }.max()
        certificateValidUntil = newest.map(Self.validUntil)
        let inYear = { (day: Day) in day >= yearStart && day <= yearEnd }
        trainingMinutes = records.trainings.filter { inYear($0.date) }.reduce(0) { $0 + $1.minutes }
        supervisionsCounted = records.supervisions.filter { inYear($0.date) && $0.minutes >= Self.supervisionMinimumMinutes }.count
        acknowledged = records.acknowledgements.contains(where: inYear)
        inductionComplete = records.inductionComplete(on: asOf)
        self.plannedWeeklyMinutes = plannedWeeklyMinutes
        func yearly(_ met: Bool) -> StandardState { met ? .met : running ? .open : .missing }
        states = [
            .certificate: Self.certificateState(issued: newest, on: asOf),
            .training: yearly(trainingMinutes >= Self.trainingMinutesPerYear),
            .supervision: yearly(supervisionsCounted >= Self.supervisionsPerYear),
            .acknowledgement: yearly(acknowledged),
            .induction: inductionComplete ? .met : .missing,
            .load: plannedWeeklyMinutes <= Capacity.maxWeeklyLoadMinutes ? .met : .missing,
        ]
    }

    public var overall: StandardState { states.values.max() ?? .met }
    public var met: Bool { overall == .met }
    /// The items not met, in display order.
    public var missing: [StandardItem] { StandardItem.allCases.filter { states[$0] != .met } }
    public func state(_ item: StandardItem) -> StandardState { states[item] ?? .missing }

    public static func == (a: StaffStandards, b: StaffStandards) -> Bool {
        a.year == b.year && a.asOf == b.asOf && a.states == b.states && a.trainingMinutes == b.trainingMinutes
            && a.supervisionsCounted == b.supervisionsCounted
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(asOf)
    }
}

/// What a person records about their standards, checked.
public enum StandardsInput {
    /// R24: a certificate's issue date: not in the future, and not older than it is valid.
    public static func certificate(_ issuedOn: String?, today: Day) throws(ValidationFailure) -> Day {
        var v = Validator()
        let day = v.day(issuedOn, "issuedOn", label: "das Ausstellungsdatum")
        if let day, day > today { v.add("issuedOn", "Das Ausstellungsdatum darf nicht in der Zukunft liegen.") }
        else if let day, StaffStandards.validUntil(issued: day) < today {
            v.add("issuedOn", "Dieses Führungszeugnis ist älter als fünf Jahre und damit nicht mehr gültig; bitte ein aktuelles eintragen.")
        }
        try v.finish()
        return day!
    }

    /// R25: a training: date (not in the future), title, 0.25 to 40 hours.
    public static func training(date: String?, title: String?, hours: String?, today: Day) throws(ValidationFailure) -> (Day, String, Int) {
        var v = Validator()
        let day = past(date, "date", label: "das Datum der Fortbildung", today: today, into: &v)
        let title = v.required(title, "title", label: "den Titel der Fortbildung")
        let minutes = v.hours(hours, "hours", label: "die Stunden der Fortbildung", max: 1_000)
        if let minutes, minutes.value < 15 || minutes.value > 40 * 60 {
            v.add("hours", "Eine Fortbildung hat mindestens 0,25 und höchstens 40 Stunden; längere bitte als mehrere Termine eintragen.")
        }
        try v.finish()
        return (day!, title!, minutes!.value)
    }

    /// R25: an external supervision: date (not in the future) and 15 to 480 minutes.
    public static func supervision(date: String?, minutes: Int?, today: Day) throws(ValidationFailure) -> (Day, Int) {
        var v = Validator()
        let day = past(date, "date", label: "das Datum der Supervision", today: today, into: &v)
        if minutes == nil { v.add("minutes", "Bitte die Dauer der Supervision in Minuten angeben.") }
        let minutes = v.integer(minutes, "minutes", label: "die Dauer der Supervision (Minuten)", range: 15...480)
        try v.finish()
        return (day!, minutes!)
    }

    /// A date that has happened (trainings, supervisions, acknowledgements, induction modules).
    public static func pastDay(_ text: String?, _ field: String, label: String, today: Day) throws(ValidationFailure) -> Day {
        var v = Validator()
        let day = past(text, field, label: label, today: today, into: &v)
        try v.finish()
        return day!
    }

    static func past(_ text: String?, _ field: String, label: String, today: Day, into v: inout Validator) -> Day? {
        guard let day = v.day(text, field, label: label) else { return nil }
        if day > today {
            v.add(field, "Das Datum darf nicht in der Zukunft liegen.")
            return nil
        }
        if day.year < 1990 {
            v.add(field, "Bitte ein Datum ab 1990 angeben.")
            return nil
        }
        return day
    }
}

// MARK: Absence (R27)

public enum AbsenceKind: String, CaseIterable, Sendable {
    case vacation, illness, parentalLeave, training, other

    public var german: String {
        switch self {
        case .vacation: "Urlaub"
        case .illness: "Krankheit"
        case .parentalLeave: "Elternzeit"
        case .training: "Fortbildung"
        case .other: "Sonstige Abwesenheit"
        }
    }
}

public struct Absence: Sendable, Hashable {
    public let from: Day
    public let to: Day
    public let kind: AbsenceKind

    public init(from: Day, to: Day, kind: AbsenceKind) {
        self.from = from
        self.to = to
        self.kind = kind
    }

    /// R27: after six weeks a replacement is agreed with the youth office and the family [004].
    public static let replacementAfterDays = 42

    public var days: Int { from.days(until: to) + 1 }
    public var isLong: Bool { days > Self.replacementAfterDays }
    /// The day the absence has lasted six weeks: the replacement is due then.
    public var replacementDue: Day { from.adding(days: Self.replacementAfterDays) }

    public func overlaps(_ other: (from: Day, to: Day)) -> Bool { from <= other.to && other.from <= to }

    /// R27 [004]: why a colleague cannot substitute for the absent person; nil when they can: not the
    /// absent person, the same qualification, not away during the absence themselves.
    public static func substituteRefusal(isAbsentPerson: Bool, name: String, qualification: Qualification, absentQualification: Qualification,
                                         awayThemselves: Bool) -> String? {
        if isAbsentPerson { return "Die abwesende Person kann sich nicht selbst vertreten." }
        if qualification != absentQualification { return "Die Vertretung braucht die gleiche Qualifikation (\(absentQualification.german))." }
        if awayThemselves { return "\(name) ist in dieser Zeit selbst abwesend." }
        return nil
    }
    public func covers(_ day: Day) -> Bool { from <= day && day <= to }

    public static func validated(from: String?, to: String?, kind: String?, existing: [Absence]) throws(ValidationFailure) -> Absence {
        var v = Validator()
        let start = v.day(from, "from", label: "den Beginn der Abwesenheit")
        let end = v.day(to, "to", label: "das Ende der Abwesenheit")
        let kind = kind.flatMap { AbsenceKind(rawValue: $0.trimmed) }
        if kind == nil { v.add("kind", "Bitte die Art der Abwesenheit wählen.") }
        if let start, let end {
            if end < start { v.add("to", "Das Ende darf nicht vor dem Beginn liegen.") }
            else if start.days(until: end) > 3 * 366 { v.add("to", "Eine Abwesenheit dauert höchstens drei Jahre.") }
            else if let clash = existing.first(where: { $0.overlaps((start, end)) }) {
                v.add("from", "Für diese Zeit ist schon eine Abwesenheit eingetragen (\(clash.kind.german) \(clash.from.german)–\(clash.to.german)).")
            }
        }
        try v.finish()
        return Absence(from: start!, to: end!, kind: kind!)
    }
}

// MARK: On-call rota (R28)

public struct OnCallShift: Sendable, Hashable {
    public let from: DayTime
    public let to: DayTime

    public init(from: DayTime, to: DayTime) {
        self.from = from
        self.to = to
    }

    public func covers(_ moment: DayTime) -> Bool { from <= moment && moment < to }
    public func overlaps(_ other: OnCallShift) -> Bool { from < other.to && other.from < to }

    /// Parses `YYYY-MM-DDTHH:MM` (a space for the T, and `:00` seconds, are accepted too).
    public static func moment(_ text: String?) -> DayTime? {
        guard let text = text?.trimmed, text.count >= 16 else { return nil }
        let separator = text.index(text.startIndex, offsetBy: 10)
        guard text[separator] == "T" || text[separator] == " ", let day = Day(iso: String(text[..<separator])),
              let time = TimeOfDay(text: String(text[text.index(after: separator)...])) else { return nil }
        return DayTime(day: day, time: time)
    }

    /// A shift of at most 7 days that ends after it begins and overlaps no other shift.
    public static func validated(from: String?, to: String?, existing: [OnCallShift]) throws(ValidationFailure) -> OnCallShift {
        var v = Validator()
        let start = moment(from), end = moment(to)
        if start == nil { v.add("from", "Bitte den Beginn als Datum und Uhrzeit angeben (JJJJ-MM-TTTHH:MM).") }
        if end == nil { v.add("to", "Bitte das Ende als Datum und Uhrzeit angeben (JJJJ-MM-TTTHH:MM).") }
        if let start, let end {
            let shift = OnCallShift(from: start, to: end)
            if end <= start { v.add("to", "Das Ende muss nach dem Beginn liegen.") }
            else if end.minutes - start.minutes > 7 * 1_440 { v.add("to", "Ein Dienst dauert höchstens sieben Tage.") }
            else if start.day.year < 2000 || end.day.year > 2200 { v.add("from", "Bitte ein Datum ab 2000 angeben.") }
            else if let clash = existing.first(where: shift.overlaps) {
                v.add("from", "Diese Zeit überschneidet sich mit einem Dienst vom \(clash.from.german) bis \(clash.to.german).")
            }
        }
        try v.finish()
        return OnCallShift(from: start!, to: end!)
    }

    /// R28: the stretches of a month that no shift covers (24-hour coverage), in order.
    public static func gaps(in month: Month, shifts: [OnCallShift]) -> [OnCallShift] {
        let start = DayTime(day: month.firstDay, time: TimeOfDay(minuteOfDay: 0)!)
        let end = DayTime(day: month.lastDay.adding(days: 1), time: TimeOfDay(minuteOfDay: 0)!)
        var gaps: [OnCallShift] = []
        var cursor = start
        for shift in shifts.sorted(by: { $0.from < $1.from }) where shift.to > cursor && shift.from < end {
            if shift.from > cursor { gaps.append(OnCallShift(from: cursor, to: shift.from)) }
            cursor = max(cursor, shift.to)
        }
        if cursor < end { gaps.append(OnCallShift(from: cursor, to: end)) }
        return gaps
    }

    /// Whether the next month's gaps are shown as an alert: from 14 days before it starts.
    public static let gapNoticeDays = 14
}

extension DayTime {
    /// Minutes since 1970-01-01 00:00 (local time, as the clock gives it).
    public var totalMinutes: Int { minutes }
    /// `YYYY-MM-DDTHH:MM`, as forms and the API write it.
    public var iso: String { "\(day.iso)T\(time.text)" }
}

// MARK: Intake (R1)

public enum RequestUrgency: String, CaseIterable, Sendable {
    case normal, urgent, crisis

    public var german: String {
        switch self {
        case .normal: "regulär"
        case .urgent: "dringend"
        case .crisis: "Krise (sofort)"
        }
    }
}

public enum RequestStatus: String, CaseIterable, Sendable {
    case open, accepted, declined

    public var german: String {
        switch self {
        case .open: "offen"
        case .accepted: "angenommen"
        case .declined: "abgelehnt"
        }
    }
}

/// R1: a youth office's request to take a family, checked (ids are checked by the store).
public struct IntakeRequestFields: Sendable, Hashable {
    public var receivedOn: Day
    public var contact: String?
    public var minutesPerUnit: Int
    public var unit: BudgetUnit
    public var urgency: RequestUrgency
    public var reason: String
    public var initials: String?

    public init(receivedOn: Day, contact: String?, minutesPerUnit: Int, unit: BudgetUnit, urgency: RequestUrgency, reason: String, initials: String?) {
        (self.receivedOn, self.contact, self.minutesPerUnit, self.unit, self.urgency, self.reason, self.initials) =
            (receivedOn, contact, minutesPerUnit, unit, urgency, reason, initials)
    }

    /// The requested weekly minutes (R2), for the capacity list.
    public var weeklyMinutes: Int { Capacity.weeklyMinutes(minutesPerUnit, unit: unit) ?? 0 }
}

public struct IntakeRequestInput: Sendable, Equatable {
    public var receivedOn: String?
    public var contact: String?
    public var hours: String?
    public var per: String?
    public var urgency: String?
    public var reason: String?
    public var initials: String?

    public init(receivedOn: String? = nil, contact: String? = nil, hours: String? = nil, per: String? = nil, urgency: String? = nil,
                reason: String? = nil, initials: String? = nil) {
        (self.receivedOn, self.contact, self.hours, self.per, self.urgency, self.reason, self.initials) =
            (receivedOn, contact, hours, per, urgency, reason, initials)
    }

    public func validated(today: Day, into v: inout Validator) -> IntakeRequestFields? {
        let received = StandardsInput.past(receivedOn, "receivedOn", label: "den Eingang der Anfrage", today: today, into: &v)
        let contact = v.optional(contact, "contact", label: "die Ansprechperson im Jugendamt", maxLength: 120)
        let minutes = v.hours(hours, "hours", label: "die angefragten Stunden", max: 400)
        if let minutes, minutes.value == 0 { v.add("hours", "Die angefragten Stunden müssen größer als 0 sein.") }
        let unit = per.flatMap { BudgetUnit(rawValue: $0.trimmed) }
        if unit == nil || unit == .period {
            v.add("per", "Bitte angeben, ob die Stunden pro Woche, pro Monat oder pro Halbjahr gelten.")
        }
        let urgency = urgency.flatMap { RequestUrgency(rawValue: $0.trimmed) } ?? (urgency?.trimmed.isEmpty ?? true ? .normal : nil)
        if urgency == nil { v.add("urgency", "Bitte die Dringlichkeit wählen.") }
        let reason = v.required(reason, "reason", label: "den Anlass", maxLength: 4_000)
        let initials = v.optional(initials, "initials", label: "die Initialen", maxLength: 6)
        if let initials, !initials.allSatisfy({ $0.isLetter || $0 == "." || $0 == " " }) {
            v.add("initials", "Bitte nur die Initialen des jungen Menschen angeben (z. B. „L. K.“), keinen Namen.")
        } else if let initials, initials.filter(\.isLetter).count > 3 {
            v.add("initials", "Bitte nur die Initialen angeben (höchstens drei Buchstaben), keinen Namen.")
        }
        guard let received, let minutes, minutes.value > 0, let unit, unit != .period, let urgency, let reason, v.errors.isEmpty else { return nil }
        return IntakeRequestFields(receivedOn: received, contact: contact, minutesPerUnit: minutes.value, unit: unit, urgency: urgency,
                                   reason: reason, initials: initials)
    }
}

/// Open requests older than this many days are an alert (a setting of the provider's data).
public enum IntakeRules {
    public static let defaultAlertDays = 7

    public static func isOverdue(receivedOn: Day, today: Day, alertDays: Int) -> Bool {
        receivedOn.days(until: today) > alertDays
    }
}

// MARK: Guardian contact (R7)

public enum GuardianContact {
    /// R7 [003]: the complete calendar months, from the month the case was marked (or started) to the
    /// month before `today`, in which no contact with the guardians was recorded.
    public static func missedMonths(since: Day, endDate: Day?, contacts: [Day], today: Day) -> [Month] {
        let contactMonths = Set(contacts.map(Month.init(containing:)))
        var month = Month(containing: since)
        let current = Month(containing: today)
        let last = endDate.map { min(Month(containing: $0), current) } ?? current
        var missed: [Month] = []
        // Only months that are over: the current one can still get its contact.
        while month < current, month <= last {
            if !contactMonths.contains(month) { missed.append(month) }
            month = Month(containing: month.lastDay.adding(days: 1))
        }
        return missed
    }

    public static func alert(missed: [Month]) -> CaseAlert? {
        guard let first = missed.first else { return nil }
        let names = missed.suffix(3).map(\.german).joined(separator: ", ")
        return CaseAlert(kind: .guardianContactMissing, since: first.lastDay.adding(days: 1),
                         title: "Kein Kontakt zu den Sorgeberechtigten im \(names)" + (missed.count > 3 ? " (und \(missed.count - 3) Monaten davor)" : ""),
                         action: "Bei Minderjährigen in der Verselbständigung ist mindestens ein Kontakt im Monat nötig: Kontakt aufnehmen und beim Eintrag vermerken.")
    }
}

extension Month {
    public static let germanNames = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                                     "November", "Dezember"]
    public var german: String { "\(Month.germanNames[month - 1]) \(year)" }
}
