/// What is due in the care plan cycle (R3–R6). Computed from the case's data, never stored: an item is
/// done as soon as what it waits for is recorded.
public enum DeadlineKind: String, CaseIterable, Codable, Sendable {
    case signedCarePlan     // R5
    case costApproval       // R5
    case specification      // R5
    case review             // R3
    case progressReport     // R4
    case finalReport        // R6
    case shortReport        // R6
    case statusReport       // R6
    case protectionCheck    // R21: a check date of a §8a protection plan
    case replacement        // R27: an absence beyond 6 weeks needs a replacement agreed with youth office and family
    case providerMeeting    // R30: the Trägergespräch, 12 weeks after the performance report was submitted

    public var german: String {
        switch self {
        case .signedCarePlan: "Unterschriebener Hilfeplan"
        case .costApproval: "Kostenzusage"
        case .specification: "Hilfeplankonkretisierung"
        case .review: "Hilfeplanfortschreibung"
        case .progressReport: "Entwicklungsbericht"
        case .finalReport: "Abschlussbericht"
        case .shortReport: "Kurzer Abschlussbericht"
        case .statusReport: "Sachstandsbericht"
        case .protectionCheck: "Überprüfung des Schutzplans (§ 8a)"
        case .replacement: "Ersatz mit Jugendamt und Familie vereinbart"
        case .providerMeeting: "Trägergespräch"
        }
    }

    /// The report that completes a report deadline.
    public var reportKind: ReportKind? {
        switch self {
        case .progressReport: .progress
        case .finalReport: .final
        case .shortReport: .short
        case .statusReport: .status
        default: nil
        }
    }
}

public enum DeadlineStatus: String, CaseIterable, Codable, Sendable {
    case open
    case done
    case overdue
    /// A progress report that never came for a review held anyway, with the reason recorded (R4).
    case waived

    public var german: String {
        switch self {
        case .open: "offen"
        case .done: "erledigt"
        case .overdue: "überfällig"
        case .waived: "entfallen (Grund erfasst)"
        }
    }
}

/// What a deadline belongs to.
public enum DeadlineReference: Hashable, Sendable {
    case caseStart(Day)
    case meeting(key: String, kind: CarePlanMeetingKind, date: Day)
    /// The `number`th review (1 = the first after the start), on the day it is planned, held or due.
    case review(number: Int, day: Day)
    case caseEnd(Day, EndReason)
    /// The `check`th check date (1-based) of a §8a procedure's protection plan (R21).
    case childProtection(procedureID: String, check: Int)
    /// A staff member's absence beyond six weeks (R27).
    case absence(absenceID: String)
    /// The provider's performance report (R30): not a case's deadline.
    case performanceReport(reportID: String)
}

public struct Deadline: Hashable, Sendable, Identifiable {
    /// Stable while the case's data changes (a moved review keeps its key), so calendars update the
    /// same event instead of adding one.
    public let key: String
    public let kind: DeadlineKind
    public let due: Day
    /// The first day of a window (specification: 6 weeks after the first plan, R5).
    public let windowStart: Day?
    /// The rule's day when `due` was moved earlier (R3).
    public let regularDue: Day?
    public let refersTo: DeadlineReference
    public let doneOn: Day?
    public let status: DeadlineStatus
    /// German, e.g. "Entwicklungsbericht zur 1. Hilfeplanfortschreibung am 28.02.2027".
    public let title: String
    /// Extra German information (the R4 reason, a window).
    public let note: String?

    public init(key: String, kind: DeadlineKind, due: Day, windowStart: Day? = nil, regularDue: Day? = nil,
                refersTo: DeadlineReference, doneOn: Day?, status: DeadlineStatus, title: String, note: String? = nil) {
        self.key = key
        self.kind = kind
        self.due = due
        self.windowStart = windowStart
        self.regularDue = regularDue
        self.refersTo = refersTo
        self.doneOn = doneOn
        self.status = status
        self.title = title
        self.note = note
    }

    public var id: String { key }
    public var isPending: Bool { status == .open || status == .overdue }
}

/// Everything the deadlines of one case are computed from.
public struct DeadlineFacts: Hashable, Sendable {
    public var startDate: Day
    public var endDate: Day?
    public var endReason: EndReason?
    public var meetings: [CarePlanMeeting]
    public var reports: [FinishedReport]
    public var documents: [ReceivedDocument]
    /// The agreement's settings with the offer's overrides applied (`AgreementSettings.applying(_:)`).
    public var settings: AgreementSettings

    public init(startDate: Day, endDate: Day? = nil, endReason: EndReason? = nil, meetings: [CarePlanMeeting] = [],
                reports: [FinishedReport] = [], documents: [ReceivedDocument] = [],
                settings: AgreementSettings, offer: Offer? = nil) {
        self.startDate = startDate
        self.endDate = endDate
        self.endReason = endReason
        self.meetings = meetings
        self.reports = reports
        self.documents = documents
        self.settings = settings.applying(offer)
    }
}

public enum Deadlines {
    /// Every deadline of the case, done ones included, in due order.
    public static func compute(_ facts: DeadlineFacts, today: Day) -> [Deadline] {
        var items = DeadlineBuilder(facts: facts, today: today)
        items.documents()
        items.specification()
        items.reviews()
        items.endReports()
        return items.out.sorted { ($0.due, $0.kind.sortIndex) < ($1.due, $1.kind.sortIndex) }
    }

    public static func compute(startDate: Day, endDate: Day? = nil, endReason: EndReason? = nil,
                               meetings: [CarePlanMeeting], reports: [FinishedReport] = [],
                               documents: [ReceivedDocument] = [], settings: AgreementSettings,
                               offer: Offer? = nil, today: Day) -> [Deadline] {
        compute(DeadlineFacts(startDate: startDate, endDate: endDate, endReason: endReason, meetings: meetings,
                              reports: reports, documents: documents, settings: settings, offer: offer), today: today)
    }

    /// The deadlines page and alerts: pending items due within `weeks` weeks of `today`,
    /// overdue ones first (oldest first), then the open ones by due day.
    public static func upcoming(_ deadlines: [Deadline], today: Day, weeks: Int = 8) -> [Deadline] {
        let horizon = today.adding(days: 7 * weeks)
        return deadlines
            .filter { $0.isPending && $0.due <= horizon }
            .sorted { a, b in
                let ao = a.status == .overdue, bo = b.status == .overdue
                if ao != bo { return ao }
                return (a.due, a.kind.sortIndex, a.key) < (b.due, b.kind.sortIndex, b.key)
            }
    }

    public static func status(due: Day, doneOn: Day?, today: Day) -> DeadlineStatus {
        if doneOn != nil { return .done }
        return today > due ? .overdue : .open
    }
}

extension DeadlineKind {
    var sortIndex: Int { DeadlineKind.allCases.firstIndex(of: self)! }
}
