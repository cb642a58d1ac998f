// The care plan cycle (Hilfeplanverfahren, § 36 SGB VIII) as plain values: the meetings a case has,
// the documents and reports that came in, and the checks on recording a meeting (R3–R5, R4).
// The deadlines computed from them are in `Deadlines.swift`.

/// The kinds of care plan meeting (Hilfeplangespräch) [004: "Hilfeplanung, Hilfeplankonkretisierung,
/// ggf. Hilfeplanfortschreibung, Fallende"]; names as in `docs/glossary.md`.
public enum CarePlanMeetingKind: String, CaseIterable, Codable, Sendable {
    /// Erstes Hilfeplangespräch: the meeting that sets up the plan.
    case initial
    /// Hilfeplankonkretisierung: refines goals and hours 6–8 weeks after the first plan (R5).
    case specification
    /// Hilfeplanfortschreibung: continues the plan (R3).
    case review
    /// Abschlussgespräch / Abschluss-Hilfeplanung [003].
    case closing

    public var german: String {
        switch self {
        case .initial: "Hilfeplangespräch (erster Hilfeplan)"
        case .specification: "Hilfeplankonkretisierung"
        case .review: "Hilfeplanfortschreibung"
        case .closing: "Abschlussgespräch"
        }
    }

    /// "zum Hilfeplangespräch", "zur Hilfeplanfortschreibung" (German needs the dative's gender).
    public var germanDative: String {
        switch self {
        case .initial: "zum Hilfeplangespräch"
        case .specification: "zur Hilfeplankonkretisierung"
        case .review: "zur Hilfeplanfortschreibung"
        case .closing: "zum Abschlussgespräch"
        }
    }

    /// Meetings whose result is a signed plan and a (continued) cost approval (R5): the first plan and
    /// each review [004: "Der vollständige und unterzeichnete Hilfeplan / die … Hilfeplanfortschreibung
    /// wird allen Beteiligten innerhalb von 14 Tagen zur Verfügung gestellt"]. A specification is only
    /// filed with the plan ("Aktenbestandteil"), a closing meeting ends it.
    public var producesSignedPlan: Bool { self == .initial || self == .review }
}

public enum MeetingState: String, CaseIterable, Codable, Sendable {
    case planned
    case held

    public var german: String {
        switch self {
        case .planned: "geplant"
        case .held: "hat stattgefunden"
        }
    }
}

/// One care plan meeting, planned or held.
public struct CarePlanMeeting: Hashable, Sendable {
    /// The store's id; deadlines and calendar UIDs use it, so they stay stable when a date is corrected.
    public var id: String?
    public var date: Day
    /// Start time in Europe/Berlin, if known (the calendar feed then shows a timed event).
    public var time: TimeOfDay?
    public var durationMinutes: Int?
    public var kind: CarePlanMeetingKind
    public var state: MeetingState
    /// The next review was moved earlier to this day (crisis, changed circumstances [004: "kann vor
    /// Ablauf der 6 Monate eine Hilfeplanfortschreibung erfolgen"]).
    public var nextReviewMovedTo: Day?
    /// When the provider learnt of this meeting's date. Seed 003 owes the report 14 days ahead only
    /// "sofern dem Leistungsanbieter der Termin rechtzeitig bekannt ist".
    public var scheduledOn: Day?
    /// Why a review was held without its progress report (R4: warn, and record why).
    public var reportMissingReason: String?
    public var participants: [String]
    public var outcome: String?

    public init(id: String? = nil, date: Day, time: TimeOfDay? = nil, durationMinutes: Int? = nil,
                kind: CarePlanMeetingKind, state: MeetingState, nextReviewMovedTo: Day? = nil,
                scheduledOn: Day? = nil, reportMissingReason: String? = nil, participants: [String] = [],
                outcome: String? = nil) {
        self.id = id
        self.date = date
        self.time = time
        self.durationMinutes = durationMinutes
        self.kind = kind
        self.state = state
        self.nextReviewMovedTo = nextReviewMovedTo
        self.scheduledOn = scheduledOn
        self.reportMissingReason = reportMissingReason
        self.participants = participants
        self.outcome = outcome
    }

    public var isHeld: Bool { state == .held }

    /// A stable text key for deadlines and calendar UIDs.
    public var key: String { id ?? "\(kind.rawValue)-\(date.iso)" }
}

/// A report that is finished (approved and sent, or at least approved): what counts for a deadline.
public struct FinishedReport: Hashable, Sendable {
    public var kind: ReportKind
    public var finishedOn: Day

    public init(kind: ReportKind, finishedOn: Day) {
        self.kind = kind
        self.finishedOn = finishedOn
    }
}

/// Papers the provider receives after a meeting (R5).
public enum CarePlanDocumentKind: String, CaseIterable, Codable, Sendable {
    case signedCarePlan
    /// The Kostenzusage; recording an `Approval` after the meeting is the usual way it arrives.
    case costApproval
    /// The written Konkretisierung, when the youth office sends it without a separate meeting.
    case specification

    public var german: String {
        switch self {
        case .signedCarePlan: "unterschriebener Hilfeplan"
        case .costApproval: "Kostenzusage"
        case .specification: "Hilfeplankonkretisierung"
        }
    }
}

public struct ReceivedDocument: Hashable, Sendable {
    public var kind: CarePlanDocumentKind
    public var receivedOn: Day
    /// The meeting it belongs to (its `key`); without it, the latest meeting on or before `receivedOn`.
    public var meetingKey: String?

    public init(kind: CarePlanDocumentKind, receivedOn: Day, meetingKey: String? = nil) {
        self.kind = kind
        self.receivedOn = receivedOn
        self.meetingKey = meetingKey
    }
}

extension AgreementSettings {
    /// The settings for a case of `offer`: SPEC ("Agreement settings"): where an offer sets
    /// `firstReviewMonths` or `onboardingDayHours` itself (MoPäD: 3 months [001]; Einzelfallhilfe:
    /// 10 hours [000]), the offer's value wins.
    public func applying(_ offer: Offer?) -> AgreementSettings {
        applying(firstReviewMonths: offer?.firstReviewMonths, onboardingDayMinutes: offer?.onboardingDayMinutes)
    }

    /// The same from an offer's raw overrides (as the store holds them).
    public func applying(firstReviewMonths: Int?, onboardingDayMinutes: Int?) -> AgreementSettings {
        var s = self
        if let firstReviewMonths { s.firstReviewMonths = firstReviewMonths }
        if let onboardingDayMinutes { s.onboardingDayMinutes = onboardingDayMinutes }
        return s
    }
}

// MARK: R4

/// The outcome of recording a review as held (R4).
public enum ReviewReportCheck: Hashable, Sendable {
    /// The progress report was finished in time for this review.
    case reportPresent
    /// It is missing: show `warning` and require a reason.
    case reasonRequired(warning: String)
    /// It is missing and a reason was given.
    case explained(reason: String)

    public var blocksSaving: Bool { if case .reasonRequired = self { true } else { false } }
}

public enum CarePlanRules {
    /// The German warning shown when a review is recorded without its progress report (R4).
    public static let reportMissingWarning =
        "Für diese Hilfeplanfortschreibung liegt kein fertiger Entwicklungsbericht vor. Eine Fortschreibung kann nur nach Vorlage eines Entwicklungsberichts erfolgen. Bitte den Grund angeben, warum sie ohne Bericht stattfand."

    /// R4 [004: "Die Hilfeplanfortschreibung kann nur nach Vorlage eines Entwicklungsberichtes erfolgen"]:
    /// whether recording the review on `reviewDay` as held needs a reason because no progress report was
    /// finished between the previous review (or the case start) and that day.
    public static func checkReviewReport(reviewOn reviewDay: Day, startDate: Day, meetings: [CarePlanMeeting],
                                         reports: [FinishedReport], reason: String?) -> ReviewReportCheck {
        let previous = meetings
            .filter { $0.kind == .review && $0.isHeld && $0.date < reviewDay }
            .map(\.date).max()
        let present = reports.contains { report in
            report.kind == .progress && report.finishedOn <= reviewDay
                && (previous.map { report.finishedOn > $0 } ?? (report.finishedOn >= startDate))
        }
        if present { return .reportPresent }
        if let text = reason?.trimmed, !text.isEmpty { return .explained(reason: text) }
        return .reasonRequired(warning: reportMissingWarning)
    }
}

// MARK: Input

/// A meeting as typed in the form or sent to the API.
public struct CarePlanMeetingInput: Sendable, Equatable {
    public var date: String?
    public var time: String?
    public var durationMinutes: Int?
    public var kind: String?
    public var state: String?
    public var nextReviewMovedTo: String?
    public var scheduledOn: String?
    public var reportMissingReason: String?
    public var participants: [String] = []
    public var outcome: String?

    public init() {}

    /// Checks the meeting against the case. `others` are the case's other meetings (without the one
    /// being edited); `reports` its finished reports, for R4.
    public func validated(into v: inout Validator, startDate: Day, endDate: Day?, others: [CarePlanMeeting],
                          reports: [FinishedReport], today: Day, id: String? = nil) -> CarePlanMeeting? {
        let date = v.day(date, "date", label: "das Datum des Hilfeplangesprächs")
        var kind: CarePlanMeetingKind?
        if let raw = v.required(self.kind, "kind", label: "die Art des Gesprächs") {
            kind = CarePlanMeetingKind(rawValue: raw)
            if kind == nil { v.add("kind", "Diese Art des Hilfeplangesprächs ist unbekannt.") }
        }
        var state = MeetingState.planned
        if let raw = self.state?.trimmed, !raw.isEmpty {
            if let value = MeetingState(rawValue: raw) { state = value }
            else { v.add("state", "Bitte angeben, ob das Gespräch geplant ist oder stattgefunden hat.") }
        }
        var time: TimeOfDay?
        if let raw = self.time?.trimmed, !raw.isEmpty {
            time = TimeOfDay(text: raw)
            if time == nil { v.add("time", "Bitte die Uhrzeit wie 14:30 angeben.") }
        }
        let duration = v.integer(durationMinutes, "durationMinutes", label: "die Dauer (Minuten)", range: 1...720)
        let moved = v.day(nextReviewMovedTo, "nextReviewMovedTo", label: "den vorgezogenen Termin der Fortschreibung", required: false)
        let scheduled = v.day(scheduledOn, "scheduledOn", label: "den Tag, an dem der Termin bekannt wurde", required: false)
        let reason = v.optional(reportMissingReason, "reportMissingReason", label: "den Grund", maxLength: 1000)
        let outcome = v.optional(outcome, "outcome", label: "das Ergebnis", maxLength: 5000)
        var people: [String] = []
        for (index, raw) in participants.enumerated() {
            if let name = v.optional(raw, "participants[\(index)]", label: "den Namen der beteiligten Person") { people.append(name) }
        }

        if let date {
            // The meeting belongs to the case's period.
            if date < startDate {
                v.add("date", "Das Gespräch kann nicht vor dem Beginn der Hilfe (\(startDate.german)) liegen.")
            } else if let endDate, date > endDate {
                v.add("date", "Das Gespräch kann nicht nach dem Ende der Hilfe (\(endDate.german)) liegen.")
            }
            if state == .held, date > today {
                v.add("state", "Ein Gespräch in der Zukunft kann noch nicht stattgefunden haben.")
            }
            if let moved, moved <= date {
                v.add("nextReviewMovedTo", "Die vorgezogene Fortschreibung muss nach diesem Gespräch liegen.")
            }
            if let scheduled, scheduled > date {
                v.add("scheduledOn", "Der Termin kann nicht erst nach dem Gespräch bekannt geworden sein.")
            }
            if let kind { checkOrder(kind, date, others: others, into: &v) }
            if kind == .review, state == .held {
                let check = CarePlanRules.checkReviewReport(reviewOn: date, startDate: startDate, meetings: others,
                                                            reports: reports, reason: reason)
                if case .reasonRequired(let warning) = check { v.add("reportMissingReason", warning) }
            }
        }
        guard let date, let kind, v.errors.isEmpty else { return nil }
        return CarePlanMeeting(id: id, date: date, time: time, durationMinutes: duration, kind: kind, state: state,
                               nextReviewMovedTo: moved, scheduledOn: scheduled,
                               reportMissingReason: kind == .review ? reason : nil,
                               participants: people, outcome: outcome)
    }

    /// One first plan per case, and everything else after it [004: the steps run in this order].
    private func checkOrder(_ kind: CarePlanMeetingKind, _ date: Day, others: [CarePlanMeeting], into v: inout Validator) {
        let initial = others.filter { $0.kind == .initial }.map(\.date).min()
        switch kind {
        case .initial:
            if initial != nil {
                v.add("kind", "Für diese Hilfe gibt es bereits ein erstes Hilfeplangespräch.")
            } else if let earliest = others.map(\.date).min(), earliest < date {
                v.add("date", "Das erste Hilfeplangespräch muss vor allen anderen Gesprächen liegen (frühestes: \(earliest.german)).")
            }
        case .specification, .review, .closing:
            guard let initial else {
                v.add("kind", "Bitte zuerst das erste Hilfeplangespräch erfassen.")
                return
            }
            if date < initial {
                let article = kind == .closing ? "Ein" : "Eine"
                v.add("date", "\(article) \(kind.german) kann nicht vor dem ersten Hilfeplangespräch (\(initial.german)) liegen.")
            }
            if kind != .closing, let closing = others.filter({ $0.kind == .closing }).map(\.date).min(), date > closing {
                v.add("date", "Nach dem Abschlussgespräch (\(closing.german)) kann keine \(kind.german) mehr stattfinden.")
            }
        }
    }
}
