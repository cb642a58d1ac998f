/// What a report draft is built from (R19): plain values the store has already loaded.
public struct ReportDraftInput: Sendable, Hashable {
    public var kind: ReportKind
    public var periodFrom: Day
    public var periodTo: Day
    /// Hours approved for the period (from the approvals) and delivered (counted against the budget).
    public var approvedMinutes: Minutes
    public var deliveredMinutes: Minutes
    public var goals: [Goal]
    public var notes: [Note]

    public init(kind: ReportKind, periodFrom: Day, periodTo: Day, approvedMinutes: Minutes, deliveredMinutes: Minutes,
                goals: [Goal], notes: [Note]) {
        self.kind = kind
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.approvedMinutes = approvedMinutes
        self.deliveredMinutes = deliveredMinutes
        self.goals = goals
        self.notes = notes
    }
}

public enum ReportDraft {
    /// Observations longer than this are cut at a word for the summary; the note itself stays complete.
    public static let observationSummaryLength = 300
    /// The line the caseworker replaces.
    public static let placeholder = "(Von der Fachkraft zu ergänzen.)"

    /// A new draft with every section filled from the case's data (R19). Observations and assessments
    /// stay in their own sections, as they are kept apart in the notes (R18).
    public static func generate(_ input: ReportDraftInput) -> Report {
        let notes = input.notes
            .filter { input.periodFrom <= $0.date && $0.date <= input.periodTo }
            .sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        let sections = [
            ReportSection(key: .period, paragraphs: [
                "\(input.kind.german) für den Zeitraum vom \(input.periodFrom.german) bis \(input.periodTo.german).",
            ]),
            ReportSection(key: .hours, paragraphs: hours(input)),
            ReportSection(key: .goals, paragraphs: goals(input)),
            ReportSection(key: .observations, paragraphs: notes.isEmpty
                ? ["Im Berichtszeitraum sind keine Beobachtungen dokumentiert."]
                : notes.map { "\($0.date.german): \(summary($0.observation))" }),
            ReportSection(key: .assessment, paragraphs: {
                let assessed = notes.compactMap { note in note.assessment.map { "\(note.date.german): \($0)" } }
                return assessed.isEmpty ? [placeholder] : assessed
            }()),
            ReportSection(key: .perspective, paragraphs: [perspectivePrompt(input.kind), placeholder]),
        ]
        return Report(kind: input.kind, periodFrom: input.periodFrom, periodTo: input.periodTo, sections: sections)
    }

    static func hours(_ input: ReportDraftInput) -> [String] {
        let approved = input.approvedMinutes, delivered = input.deliveredMinutes
        // Both figures cover the same days, the report period (R19; windows the period cuts count by their days in it).
        var line = "Im Berichtszeitraum (\(input.periodFrom.german) – \(input.periodTo.german)) bewilligt: \(approved.germanHours) "
            + "Fachleistungsstunden; geleistet: \(delivered.germanHours) Fachleistungsstunden"
        if approved.value > 0 {
            // Whole percent, integer arithmetic (R13: no floating point for hours).
            let percent = FixedPoint.divideRoundingHalfUp(Int64(delivered.value) * 100, by: Int64(approved.value))
            line += " (\(percent) % der bewilligten Stunden)"
        }
        return [line + "."]
    }

    static func goals(_ input: ReportDraftInput) -> [String] {
        let goals = input.goals.filter { $0.createdOn <= input.periodTo }
        guard !goals.isEmpty else { return ["Für diese Hilfe sind keine Ziele erfasst."] }
        var paragraphs: [String] = []
        for goal in goals {
            var lines = ["Ziel: \(goal.title) (\(goal.status.german))"]
            if let specific = goal.specific { lines.append("Was genau: \(specific)") }
            if let measurable = goal.measurable { lines.append("Woran gemessen: \(measurable)") }
            if let achievable = goal.achievable { lines.append("Erreichbar: \(achievable)") }
            if let relevant = goal.relevant { lines.append("Bedeutsam: \(relevant)") }
            if let timeBound = goal.timeBound { lines.append("Bis wann: \(timeBound.german)") }
            if let view = goal.youngPersonView { lines.append("In eigenen Worten: „\(view)“") }
            let ratings = goal.ratingHistory.filter { $0.ratedOn <= input.periodTo }
            if ratings.isEmpty {
                lines.append("Bewertungsverlauf: noch keine Bewertung")
            } else {
                lines.append("Bewertungsverlauf:")
                for rating in ratings {
                    var line = "\(rating.ratedOn.german): \(rating.attainment.label) – \(rating.reason)"
                    if let view = rating.youngPersonView { line += " (Sicht des jungen Menschen: „\(view)“)" }
                    lines.append(line)
                }
            }
            paragraphs.append(lines.joined(separator: "\n"))
        }
        return paragraphs
    }

    static func perspectivePrompt(_ kind: ReportKind) -> String {
        switch kind {
        case .progress: "Perspektive und Empfehlung für den nächsten Hilfeplanzeitraum:"
        case .final: "Abschließende Einschätzung und Empfehlung nach Ende der Hilfe:"
        case .status: "Ausblick auf geeignetere Hilfeformen:"   // [004]
        case .short: "Gründe der fehlenden Mitwirkung und Empfehlung:" // [004]
        case .clearing: "Empfohlene Hilfeform und nächste Schritte:"
        }
    }

    /// The observation cut at a word boundary.
    static func summary(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }.joined(separator: " ")
        guard flat.count > observationSummaryLength else { return flat }
        var cut = String(flat.prefix(observationSummaryLength))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut + " …"
    }
}
