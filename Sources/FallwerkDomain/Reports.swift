// Reports to the youth office (R19): generated from the case's data, edited section by section,
// approved by the team lead, sent, and discussed with the family ("nicht ohne deren Wissen" [001]).

public enum ReportKind: String, CaseIterable, Codable, Sendable {
    /// Entwicklungsbericht, due `reportLeadDays` before each review (R4).
    case progress
    /// Abschlussbericht, due at every end (R6 [000]).
    case final
    /// Sachstandsbericht for a change of help type (R6 [004]).
    case status
    /// Kurzbericht / kurzer Abschlussbericht after lack of cooperation (R6 [004]).
    case short
    /// Clearingbericht after a diagnostic phase [001: "abschließendem Bericht innerhalb von 3 Monaten"].
    case clearing

    public var german: String {
        switch self {
        case .progress: "Entwicklungsbericht"
        case .final: "Abschlussbericht"
        case .status: "Sachstandsbericht"
        case .short: "Kurzbericht"
        case .clearing: "Clearingbericht"
        }
    }
}

public enum ReportStatus: String, CaseIterable, Codable, Sendable {
    case draft
    case submitted
    case approved
    case sent

    public var german: String {
        switch self {
        case .draft: "Entwurf"
        case .submitted: "zur Freigabe vorgelegt"
        case .approved: "freigegeben"
        case .sent: "an das Jugendamt versandt"
        }
    }
}

public enum ReportSectionKey: String, CaseIterable, Codable, Sendable {
    case period
    case hours
    case goals
    case observations
    case assessment
    case perspective

    public var heading: String {
        switch self {
        case .period: "Zeitraum"
        case .hours: "Hilfeverlauf und Stunden"
        case .goals: "Ziele mit Bewertungsverlauf"
        case .observations: "Beobachtungen"
        case .assessment: "Einschätzung"
        case .perspective: "Perspektive und Empfehlung"
        }
    }
}

public struct ReportSection: Hashable, Sendable {
    public var key: ReportSectionKey
    public var paragraphs: [String]

    public init(key: ReportSectionKey, paragraphs: [String]) {
        self.key = key
        self.paragraphs = paragraphs
    }

    public var heading: String { key.heading }

    /// The section as one editable text; paragraphs are separated by blank lines.
    public var text: String {
        get { paragraphs.joined(separator: "\n\n") }
        set {
            paragraphs = newValue.replacingAll("\r\n", with: "\n").splitParagraphs()
        }
    }
}

public struct Report: Hashable, Sendable {
    public var kind: ReportKind
    public var periodFrom: Day
    public var periodTo: Day
    public private(set) var status: ReportStatus
    public private(set) var sections: [ReportSection]
    public private(set) var submittedOn: Day?
    public private(set) var approvedOn: Day?
    public private(set) var approvedByStaffID: String?
    public private(set) var sentOn: Day?
    /// R19 [001]: the family knows what is reported about them.
    public private(set) var discussedWithFamilyOn: Day?

    /// Restores a stored report; new ones come from `ReportDraft.generate`.
    public init(kind: ReportKind, periodFrom: Day, periodTo: Day, status: ReportStatus = .draft,
                sections: [ReportSection], submittedOn: Day? = nil, approvedOn: Day? = nil,
                approvedByStaffID: String? = nil, sentOn: Day? = nil, discussedWithFamilyOn: Day? = nil) {
        self.kind = kind
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.status = status
        self.sections = sections
        self.submittedOn = submittedOn
        self.approvedOn = approvedOn
        self.approvedByStaffID = approvedByStaffID
        self.sentOn = sentOn
        self.discussedWithFamilyOn = discussedWithFamilyOn
    }

    public var title: String { "\(kind.german) \(periodFrom.german) – \(periodTo.german)" }

    /// What the youth office has approved must stay what it received.
    public var isEditable: Bool { status == .draft || status == .submitted }

    /// The report as a deadline sees it: done once it went to the youth office.
    public var finished: FinishedReport? { sentOn.map { FinishedReport(kind: kind, finishedOn: $0) } }

    public mutating func edit(_ key: ReportSectionKey, text: String) throws(FieldError) {
        guard isEditable else {
            throw FieldError("sections.\(key.rawValue)", "Der Bericht ist freigegeben und kann nicht mehr bearbeitet werden.")
        }
        guard text.count <= Report.maxSectionLength else {
            throw FieldError("sections.\(key.rawValue)", "Bitte den Abschnitt „\(key.heading)“ mit höchstens \(Report.maxSectionLength) Zeichen angeben.")
        }
        if let index = sections.firstIndex(where: { $0.key == key }) {
            sections[index].text = text
        } else {
            var section = ReportSection(key: key, paragraphs: [])
            section.text = text
            sections.append(section)
        }
    }

    public static let maxSectionLength = 20_000

    /// The caseworker hands the draft to the team lead.
    public mutating func submit(on day: Day) throws(FieldError) {
        guard status == .draft else { throw FieldError("status", "Nur ein Entwurf kann zur Freigabe vorgelegt werden.") }
        status = .submitted
        submittedOn = day
    }

    /// The team lead sends it back for changes.
    public mutating func returnForRevision() throws(FieldError) {
        guard status == .submitted else { throw FieldError("status", "Nur ein vorgelegter Bericht kann zur Überarbeitung zurückgegeben werden.") }
        status = .draft
        submittedOn = nil
    }

    public mutating func approve(on day: Day, byStaffID staffID: String) throws(FieldError) {
        guard status == .submitted else { throw FieldError("status", "Nur ein zur Freigabe vorgelegter Bericht kann freigegeben werden.") }
        status = .approved
        approvedOn = day
        approvedByStaffID = staffID
    }

    /// Records that the report went to the youth office. It happens once: the store creates the report's
    /// service entry (`reportHours`, R10) on this transition and on no other.
    public mutating func markSent(on day: Day) throws(FieldError) {
        switch status {
        case .sent: throw FieldError("status", "Der Bericht wurde bereits am \(sentOn?.german ?? "") versandt.")
        case .draft, .submitted: throw FieldError("status", "Der Bericht muss erst von der Teamleitung freigegeben werden.")
        case .approved: break
        }
        if let approvedOn, day < approvedOn {
            throw FieldError("sentOn", "Der Versand kann nicht vor der Freigabe (\(approvedOn.german)) liegen.")
        }
        status = .sent
        sentOn = day
    }

    /// R19 [001: "vielleicht gegen den Willen der Betroffenen, aber nicht ohne deren Wissen"].
    public mutating func recordDiscussedWithFamily(on day: Day, today: Day) throws(FieldError) {
        if day > today { throw FieldError("discussedWithFamilyOn", "Das Gespräch mit der Familie kann nicht in der Zukunft liegen.") }
        if day < periodFrom {
            throw FieldError("discussedWithFamilyOn", "Das Gespräch mit der Familie kann nicht vor dem Berichtszeitraum (\(periodFrom.german)) liegen.")
        }
        discussedWithFamilyOn = day
    }

    /// Shown before sending: the report goes out, but not without the family's knowledge [001].
    public var sendWarning: String? {
        discussedWithFamilyOn == nil
            ? "Der Bericht wurde noch nicht mit der Familie besprochen. Berichte gehen „vielleicht gegen den Willen der Betroffenen, aber nicht ohne deren Wissen“ an das Jugendamt."
            : nil
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// Paragraphs separated by one or more blank lines, each trimmed; single line breaks stay.
    func splitParagraphs() -> [String] {
        var paragraphs: [String] = []
        var current: [Substring] = []
        for line in split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n").trimmed) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: "\n").trimmed) }
        return paragraphs
    }
}

extension ReportKind {
    /// The reports an end asks for (R6): written, and often sent, after the last day of the help.
    public var isEndReport: Bool {
        switch self {
        case .final, .short, .status: true
        case .progress, .clearing: false
        }
    }
}

/// R10 [002: "Erstellung des Berichtes zum Hilfeplan (1 FLS je Bericht)"]: one report, one report entry.
/// The entry is booked when the report is sent, on the day it was sent, to the report's author.
public enum ReportEntryRule {
    /// Why a report's entry cannot be booked on `day`, in German; nil when it can.
    /// An end report may be sent (and its hour booked) after the case ended; other reports belong to
    /// the running help.
    public static func refusal(kind: ReportKind, day: Day, caseStart: Day, caseEnd: Day?, invoiced: Bool) -> String? {
        if day < caseStart { return "Der Versand kann nicht vor dem Beginn der Hilfe (\(caseStart.german)) liegen." }
        if let caseEnd, day > caseEnd, !kind.isEndReport {
            return "Die Hilfe endete am \(caseEnd.german); nach dem Ende werden nur Abschluss-, Kurz- und Sachstandsberichte versandt. Bitte das Versanddatum prüfen."
        }
        if invoiced {
            return "Der Monat \(Month(containing: day).iso) ist schon abgerechnet; die Berichtsstunde kann dort nicht mehr gebucht werden. Bitte ein Versanddatum in einem offenen Monat angeben."
        }
        return nil
    }

    /// Of the report entries recorded by hand (`candidates`, not linked to another report), the one
    /// that is this report's: the latest dated in the report period up to the day it was sent.
    /// Taking it over instead of booking a second one keeps the report's hour counted once.
    public static func manualEntry<ID>(_ candidates: [(id: ID, date: Day)], periodFrom: Day, sentOn: Day) -> ID? {
        candidates.filter { periodFrom <= $0.date && $0.date <= sentOn }.max { $0.date < $1.date }?.id
    }
}
