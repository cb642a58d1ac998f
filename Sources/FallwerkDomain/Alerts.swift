/// What needs attention on a case (R7a, R9, R12, approvals). Alerts are computed from the case's data,
/// never stored: each disappears as soon as its cause is gone.
public enum AlertKind: String, CaseIterable, Codable, Sendable {
    /// R12: appointments in a row without the client's cooperation.
    case noShowStreak
    /// R9: work beyond the budget without a confirmed increase.
    case overBudget
    /// R9: crisis work beyond the budget whose confirmation is still missing.
    case crisisConfirmationMissing
    /// R7a: no client contact for `noContactAlertDays`.
    case noContact
    /// A running case without a valid approval.
    case noApproval
    /// The current approval ends within `approvalEndingDays` and none follows.
    case approvalEnding
    /// R3–R6: a care plan deadline has passed without what it waits for.
    case deadlineOverdue
    /// R3–R6: a care plan deadline falls within `Alerts.deadlineNoticeDays`.
    case deadlineDue
    /// R21: weighty indications and no Meldebogen sent to the youth office yet: due at once.
    case childProtectionReport
    /// R7: a minor moving to independent living, and a calendar month passed without contact with the guardians.
    case guardianContactMissing

    /// Alerts that a person clears by confirming they acted, not by changing data (R12: the youth office
    /// was informed).
    public var isAcknowledgeable: Bool { self == .noShowStreak }

    /// R31 need-to-know: the alerts billing acts on (hours beyond the budget, approvals missing or ending).
    /// Accounting sees these only; crisis, cooperation, contact, deadline and §8a alerts are case work.
    public var concernsBilling: Bool {
        switch self {
        case .overBudget, .noApproval, .approvalEnding: true
        default: false
        }
    }
}

public struct CaseAlert: Sendable, Hashable {
    public let kind: AlertKind
    public let since: Day
    /// What is wrong, in German.
    public let title: String
    /// What to do, in German.
    public let action: String
}

/// The facts alerts are computed from.
public struct AlertFacts: Sendable {
    public var startDate: Day
    public var endDate: Day?
    public var approvals: [Approval]
    public var ledger: BudgetLedger
    /// Appointments with the client (R12), any order.
    public var appointments: [EntryFacts]
    /// The last day the client was met (R7a), if ever.
    public var lastContact: Day?
    public var noContactAlertDays: Int
    public var noShowAlertAfter: Int
    /// `since` days of R12 alerts someone confirmed acting on.
    public var acknowledged: Set<Day>
    /// The agreement's settings valid on a day: R12 counts a cancellation only at short notice,
    /// by the `shortNoticeHours` of the appointment's day.
    public var settings: @Sendable (Day) -> AgreementSettings
    /// The trailing failed appointments as kept beside the case (`Alerts.noShowStreak` over all its
    /// appointments); when set, lists use it instead of `appointments` (issue 12: no ledger rebuilt per list).
    public var storedNoShowStreak: [Day]?

    public init(startDate: Day, endDate: Day?, approvals: [Approval], ledger: BudgetLedger, appointments: [EntryFacts],
                lastContact: Day?, noContactAlertDays: Int, noShowAlertAfter: Int, acknowledged: Set<Day> = [],
                settings: @escaping @Sendable (Day) -> AgreementSettings = { _ in .defaults }) {
        self.settings = settings
        self.startDate = startDate
        self.endDate = endDate
        self.approvals = approvals
        self.ledger = ledger
        self.appointments = appointments
        self.lastContact = lastContact
        self.noContactAlertDays = noContactAlertDays
        self.noShowAlertAfter = noShowAlertAfter
        self.acknowledged = acknowledged
    }
}

public enum Alerts {
    /// How long before an approval ends it is flagged.
    public static let approvalEndingDays = 14
    /// How long before a care plan deadline it becomes an alert (the deadlines page looks 8 weeks ahead).
    public static let deadlineNoticeDays = 14

    /// R3–R6: overdue deadlines, and those due within `deadlineNoticeDays`, as alerts.
    public static func deadlines(_ deadlines: [Deadline], today: Day) -> [CaseAlert] {
        deadlines.filter(\.isPending).compactMap { item in
            if item.status == .overdue {
                return CaseAlert(kind: .deadlineOverdue, since: item.due.adding(days: 1),
                                 title: "Frist überschritten: \(item.title) (fällig am \(item.due.german))",
                                 action: item.note ?? "Nachholen und eintragen; bei Verzögerung das Jugendamt informieren.")
            }
            guard today.days(until: item.due) <= deadlineNoticeDays else { return nil }
            return CaseAlert(kind: .deadlineDue, since: item.due.adding(days: -deadlineNoticeDays),
                             title: "Frist am \(item.due.german): \(item.title)",
                             action: item.note ?? "Rechtzeitig erledigen und eintragen.")
        }
    }

    /// R7a: the day of the latest contact with the client among these entries, up to `day` if given.
    public static func lastContact(_ entries: [EntryFacts], upTo day: Day? = nil) -> Day? {
        entries.filter { entry in entry.kind.isClientContact && (day.map { entry.date <= $0 } ?? true) }.map(\.date).max()
    }

    /// R7a and R12 from a case's latest entries alone (all its entries from some day on): the last
    /// contact, when these entries decide both it and the no-show streak. They do when they hold a
    /// contact (older ones cannot be later) and their last appointment did not fail (the streak is empty
    /// whatever came before). Nil when older entries could change either; then all are needed.
    public static func decidedByRecent(_ entries: [EntryFacts], settings: (Day) -> AgreementSettings) -> Day? {
        let appointments = entries.filter { $0.kind.isAppointment }
        guard let contact = lastContact(entries), !appointments.isEmpty,
              noShowStreak(appointments, settings: settings).isEmpty else { return nil }
        return contact
    }

    /// R12: the days of the trailing appointments that all failed on the client's side, oldest first.
    /// Appointments, not entries: two staff at one appointment (R11) are one appointment, failed only if
    /// every entry says so. An appointment called off in good time (by the provider, or by the client
    /// more than `shortNoticeHours` ahead) is no appointment the client could miss: it neither counts
    /// nor breaks a streak (decision 0015); R7a's no-contact alert covers a family that keeps calling off.
    /// Only a cancellation can be recorded ahead, and only a failed one counts here, so the streak up to a
    /// day is this streak without its days after that day: lists keep it and cut it at today.
    public static func noShowStreak(_ appointments: [EntryFacts], settings: (Day) -> AgreementSettings) -> [Day] {
        let ordered = appointments
            .map { (entry: $0, failed: $0.isNonCooperation(settings($0.date))) }
            .filter { $0.entry.kind != .cancelled || $0.failed }
            .sorted { ($0.entry.date, $0.entry.start) < ($1.entry.date, $1.entry.start) }
        var merged: [(date: Day, start: TimeOfDay, failed: Bool)] = []
        for (entry, failed) in ordered {
            if let last = merged.last, last.date == entry.date, last.start == entry.start {
                merged[merged.count - 1].failed = last.failed && failed
            } else {
                merged.append((entry.date, entry.start, failed))
            }
        }
        var streak: [Day] = []
        for appointment in merged.reversed() {
            guard appointment.failed else { break }
            streak.insert(appointment.date, at: 0)
        }
        return streak
    }

    public static func evaluate(_ facts: AlertFacts, today: Day) -> [CaseAlert] {
        var alerts: [CaseAlert] = []
        let running = facts.startDate <= today && (facts.endDate.map { today <= $0 } ?? true)

        // R9: every window with minutes beyond its budget, until an increase covers them.
        for window in facts.ledger.windows where window.overBudgetMinutes > 0 {
            let since = window.overBudgetSince ?? window.from
            let period = "\(window.from.german)–\(window.to.german)"
            let crisis = min(window.crisisOverBudgetMinutes, window.overBudgetMinutes)
            if crisis > 0 {
                alerts.append(CaseAlert(
                    kind: .crisisConfirmationMissing, since: since,
                    title: "Krisenintervention über das Budget hinaus (\(Minutes(crisis).germanHours) Std., \(period))",
                    action: "Bestätigung des Jugendamts unverzüglich nachholen und als Erhöhung eintragen; bis dahin ist die Mehrarbeit nicht abrechenbar."))
            }
            let other = window.overBudgetMinutes - crisis
            if other > 0 {
                alerts.append(CaseAlert(
                    kind: .overBudget, since: since,
                    title: "Budget überschritten um \(Minutes(other).germanHours) Std. (\(period))",
                    action: "Erhöhung beim Jugendamt bestätigen lassen und eintragen; bis dahin ist die Mehrarbeit nicht abrechenbar."))
            }
        }
        guard running else { return alerts.sorted { $0.since < $1.since } }

        // R12: the latest appointments, if the last `noShowAlertAfter` or more all failed on the client's side.
        let streak = (facts.storedNoShowStreak ?? noShowStreak(facts.appointments, settings: facts.settings)).filter { $0 <= today }
        if facts.noShowAlertAfter > 0, streak.count >= facts.noShowAlertAfter {
            let since = streak[facts.noShowAlertAfter - 1]
            if !facts.acknowledged.contains(since) {
                alerts.append(CaseAlert(
                    kind: .noShowStreak, since: since,
                    title: "\(streak.count) Termine in Folge ohne Mitwirkung",
                    action: "Jetzt die fallführende Fachkraft des Jugendamts informieren und das hier bestätigen."))
            }
        }

        // R7a: no contact with the client for noContactAlertDays.
        let reference = facts.lastContact ?? facts.startDate
        let silentDays = reference.days(until: today)
        if facts.noContactAlertDays > 0, silentDays >= facts.noContactAlertDays {
            let title = facts.lastContact == nil
                ? "Noch kein Kontakt seit Beginn der Hilfe (\(silentDays) Tage)"
                : "Seit \(silentDays) Tagen kein Kontakt (zuletzt am \(reference.german))"
            alerts.append(CaseAlert(kind: .noContact, since: reference.adding(days: facts.noContactAlertDays), title: title,
                                    action: "Kontakt mit der Familie aufnehmen."))
        }

        // Approvals: none valid today, or the current one ends soon with none to follow.
        if let current = facts.approvals.first(where: { $0.covers(today) }) {
            let daysLeft = today.days(until: current.to)
            let followed = facts.approvals.contains { $0.from > current.to }
            if daysLeft <= approvalEndingDays, !followed {
                alerts.append(CaseAlert(
                    kind: .approvalEnding, since: current.to.adding(days: -approvalEndingDays),
                    title: "Bewilligung endet am \(current.to.german)",
                    action: "Verlängerung rechtzeitig beim Jugendamt beantragen und die neue Bewilligung eintragen."))
            }
        } else {
            let lastEnded = facts.approvals.filter { $0.to < today }.map(\.to).max()
            let since = max(lastEnded?.adding(days: 1) ?? facts.startDate, facts.startDate)
            alerts.append(CaseAlert(
                kind: .noApproval, since: since,
                title: lastEnded == nil ? "Keine Bewilligung erfasst" : "Keine gültige Bewilligung seit \(since.german)",
                action: "Bewilligung beim Jugendamt anfordern und eintragen; Arbeit ohne Bewilligung ist nicht abrechenbar."))
        }
        return alerts.sorted { $0.since < $1.since }
    }
}
