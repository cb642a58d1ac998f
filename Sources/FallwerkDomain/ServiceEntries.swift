import Foundation

/// What a service entry records (R10). The raw values are the API's.
public enum EntryKind: String, CaseIterable, Codable, Sendable {
    case direct
    case institution
    case planningMeeting
    case report
    case onboardingDay
    case crisis
    case cancelled
    case noShow
    case indirect
    /// A share of a group session (R10), created by splitting the session over the cases present.
    case group

    public var german: String {
        switch self {
        case .direct: "Kontakt mit Klient:in"
        case .institution: "Kontakt mit Institution"
        case .planningMeeting: "Hilfeplangespräch / Helferkonferenz"
        case .report: "Bericht an das Jugendamt"
        case .onboardingDay: "Einstiegstag"
        case .crisis: "Krisenintervention"
        case .cancelled: "Terminabsage"
        case .noShow: "nicht angetroffen"
        case .indirect: "indirekte Arbeit"
        case .group: "Gruppenangebot"
        }
    }

    /// The kinds a caseworker records one by one (group shares come from a group session).
    public static let recordable: [EntryKind] = allCases.filter { $0 != .group }

    /// Whether the client was met (R7a: last contact).
    public var isClientContact: Bool {
        switch self {
        case .direct, .crisis, .onboardingDay, .group, .planningMeeting: true
        default: false
        }
    }

    /// Whether this is an appointment with the client that could have failed (R12).
    public var isAppointment: Bool {
        switch self {
        case .direct, .crisis, .onboardingDay, .group, .cancelled, .noShow: true
        default: false
        }
    }

    /// Kinds on which a home visit (travel, R10) can happen. "Nicht angetroffen" is a visit: the worker
    /// drove to the family and found no one, so the trip was made (seed 002: travel is billed apart
    /// from the hours; decision 0015). A cancellation, even a short-notice one, is no trip.
    public var canBeHomeVisit: Bool {
        switch self {
        case .direct, .crisis, .onboardingDay, .noShow: true
        default: false
        }
    }
}

public enum CancelledBy: String, CaseIterable, Codable, Sendable {
    case client
    case provider

    public var german: String {
        switch self {
        case .client: "Klient:in / Familie"
        case .provider: "Träger / Fachkraft"
        }
    }
}

/// The facts of one service entry that decide how it counts.
public struct EntryFacts: Sendable, Hashable {
    public var kind: EntryKind
    public var date: Day
    public var start: TimeOfDay
    /// Actual minutes, or for a cancellation or no-show the planned length.
    public var minutes: Int
    public var cancelledBy: CancelledBy?
    public var cancelledAt: Date?
    public var homeVisit: Bool
    public var kilometres: Int?

    public init(kind: EntryKind, date: Day, start: TimeOfDay, minutes: Int, cancelledBy: CancelledBy? = nil,
                cancelledAt: Date? = nil, homeVisit: Bool = false, kilometres: Int? = nil) {
        self.kind = kind
        self.date = date
        self.start = start
        self.minutes = minutes
        self.cancelledBy = cancelledBy
        self.cancelledAt = cancelledAt
        self.homeVisit = homeVisit
        self.kilometres = kilometres
    }

    public var startInstant: Date { BerlinTime.instant(date, start) }

    /// The appointment's end as minutes after the entry day's midnight (may exceed 1440 past midnight).
    public var endMinute: Int { start.minuteOfDay + minutes }

    /// A client cancellation `shortNoticeHours` or less ahead (seed 004: "kurzfristig (innerhalb von
    /// 24 Stunden)"), or a no-show.
    ///
    /// A cancellation made after the appointment's start is refused when typed (`EntryInput`: it is a
    /// "nicht angetroffen"); should one reach this rule anyway (older data), it is what the input check
    /// calls it: the client did not come, which bills like a no-show, at short notice.
    public func isShortNotice(_ settings: AgreementSettings) -> Bool {
        switch kind {
        case .noShow: return true
        case .cancelled:
            guard cancelledBy == .client, let cancelledAt else { return false }
            let notice = startInstant.timeIntervalSince(cancelledAt)
            if notice < 0 { return true }
            return notice <= TimeInterval(settings.shortNoticeHours * 3_600)
        default: return false
        }
    }

    /// Whether the client did not cooperate with this appointment (R12, seed 004 "keine Mitwirkung"):
    /// a no-show or a short-notice cancellation by the client. A cancellation in good time is no
    /// failed appointment (decision 0015).
    public func isNonCooperation(_ settings: AgreementSettings) -> Bool {
        kind == .noShow || (kind == .cancelled && cancelledBy == .client && isShortNotice(settings))
    }
}

/// How one entry counts (R10, R13) before the budget is applied (R9).
public struct EntryCount: Sendable, Hashable {
    public var billableMinutes: Int
    public var budgetMinutes: Int
    /// Minutes of the one-off orientation-day budget (R10), outside the approval's budget.
    public var onboardingMinutes: Int
    public var travel: Cents

    public init(billableMinutes: Int, budgetMinutes: Int, onboardingMinutes: Int = 0, travel: Cents = .zero) {
        self.billableMinutes = billableMinutes
        self.budgetMinutes = budgetMinutes
        self.onboardingMinutes = onboardingMinutes
        self.travel = travel
    }
}

public enum ServiceRules {
    /// The longest single entry: a day.
    public static let maximumMinutes = 24 * 60

    /// R10 and R13: billable and budget minutes and travel of one entry under an agreement's settings
    /// (the settings already carry the offer's orientation-day hours where the offer sets them).
    public static func count(_ entry: EntryFacts, settings: AgreementSettings) -> EntryCount {
        let actual = round(entry.minutes, to: settings.roundingMinutes)
        var count: EntryCount
        switch entry.kind {
        case .direct, .institution, .planningMeeting, .crisis, .group:
            count = EntryCount(billableMinutes: actual, budgetMinutes: actual)
        case .report:
            count = EntryCount(billableMinutes: settings.reportMinutes, budgetMinutes: settings.reportMinutes)
        case .onboardingDay:
            count = EntryCount(billableMinutes: settings.onboardingDayMinutes, budgetMinutes: 0,
                               onboardingMinutes: settings.onboardingDayMinutes)
        case .cancelled, .noShow:
            if entry.isShortNotice(settings) {
                count = EntryCount(billableMinutes: percent(actual, settings.shortNoticeBillablePercent),
                                   budgetMinutes: percent(actual, settings.shortNoticeBudgetPercent))
            } else {
                count = EntryCount(billableMinutes: 0, budgetMinutes: 0)
            }
        case .indirect:
            count = EntryCount(billableMinutes: 0, budgetMinutes: 0)
        }
        if entry.homeVisit, entry.kind.canBeHomeVisit {
            switch settings.travelMode {
            case .perVisit: count.travel = settings.travelFlatRate
            case .perKm: count.travel = Cents(Int64(entry.kilometres ?? 0) * settings.travelRatePerKm.value)
            case .none: break
            }
        }
        return count
    }

    /// R13: minutes to the agreement's rounding unit, to the nearest unit, halves up (7 of 15 → 0, 8 → 15).
    public static func round(_ minutes: Int, to unit: Int) -> Int {
        guard unit > 1 else { return minutes }
        return (minutes + unit / 2) / unit * unit
    }

    /// `percent` % of `minutes` in whole minutes, halves up (R13).
    public static func percent(_ minutes: Int, _ percent: Int) -> Int {
        (minutes * percent * 2 + 100) / 200
    }
}
