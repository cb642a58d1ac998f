/// A note in the case's running record (Verlaufsdokumentation).
///
/// R18 [000: "die klare Trennung von Beobachtung und Bewertung"]: what was seen and heard goes into
/// `observation`, the staff member's interpretation into `assessment`; the two are never one text, so a
/// report can quote observations without presenting an opinion as fact.
///
/// R20 [000]: a young person's diary is their own working tool ("Inhalte werden ausschließlich im Rahmen
/// pädagogischer Gespräche und mit Zustimmung des jungen Menschen aufgegriffen"). Fallwerk stores no diary
/// content: a note has no diary field, no attachment, and the form shows `Note.diaryHint`.
public struct Note: Hashable, Sendable, Identifiable {
    public var id: String
    public var date: Day
    public var observation: String
    public var assessment: String?
    /// Goals this note is about (R18).
    public var goalIDs: [String]
    /// The contact it documents, if it belongs to one.
    public var serviceEntryID: String?
    public var authorStaffID: String?

    public init(id: String, date: Day, observation: String, assessment: String? = nil, goalIDs: [String] = [],
                serviceEntryID: String? = nil, authorStaffID: String? = nil) {
        self.id = id
        self.date = date
        self.observation = observation
        self.assessment = assessment
        self.goalIDs = goalIDs
        self.serviceEntryID = serviceEntryID
        self.authorStaffID = authorStaffID
    }

    /// Shown next to the note form (R20).
    public static let diaryHint =
        "Keine Inhalte aus dem Tagebuch des jungen Menschen eintragen: Das Tagebuch gehört dem jungen Menschen und wird nicht gespeichert."

    /// Search within a case: every word of `query` occurs in the observation or the assessment,
    /// ignoring case.
    public func matches(_ query: String) -> Bool {
        let text = (observation + "\n" + (assessment ?? "")).lowercased()
        let words = query.lowercased().split(whereSeparator: \.isWhitespace)
        return !words.isEmpty && words.allSatisfy { text.contains($0) }
    }
}

public struct NoteInput: Sendable, Equatable {
    public var date: String?
    public var observation: String?
    public var assessment: String?
    public var goalIDs: [String] = []
    public var serviceEntryID: String?

    public init(date: String? = nil, observation: String? = nil, assessment: String? = nil, goalIDs: [String] = [],
                serviceEntryID: String? = nil) {
        self.date = date
        self.observation = observation
        self.assessment = assessment
        self.goalIDs = goalIDs
        self.serviceEntryID = serviceEntryID
    }

    public static let maxObservationLength = 10_000
    public static let maxAssessmentLength = 10_000

    /// - Parameters:
    ///   - goalIDs: the case's goals, so a link cannot point into another case.
    ///   - serviceEntryIDs: the case's service entries, likewise.
    public func validated(into v: inout Validator, id: String, startDate: Day, endDate: Day?, today: Day,
                          goalIDs known: Set<String>, serviceEntryIDs: Set<String> = [], authorStaffID: String? = nil) -> Note? {
        let date = v.day(date, "date", label: "das Datum der Notiz")
        if let date {
            if date > today {
                v.add("date", "Eine Notiz kann nicht in der Zukunft liegen.")
            } else if date < startDate {
                v.add("date", "Die Notiz kann nicht vor dem Beginn der Hilfe (\(startDate.german)) liegen.")
            } else if let endDate, date > endDate {
                v.add("date", "Die Notiz kann nicht nach dem Ende der Hilfe (\(endDate.german)) liegen.")
            }
        }
        // R18: at least the facts; an assessment alone is an opinion without its basis.
        let observation = v.required(observation, "observation", label: "die Beobachtung (was geschehen ist)",
                                     maxLength: NoteInput.maxObservationLength)
        let assessment = v.optional(assessment, "assessment", label: "die Einschätzung", maxLength: NoteInput.maxAssessmentLength)
        var goals: [String] = []
        for (index, raw) in goalIDs.enumerated() {
            let goalID = raw.trimmed
            if goalID.isEmpty || goals.contains(goalID) { continue }
            if known.contains(goalID) { goals.append(goalID) }
            else { v.add("goalIDs[\(index)]", "Dieses Ziel gehört nicht zu dieser Hilfe.") }
        }
        var entry: String?
        if let raw = serviceEntryID?.trimmed, !raw.isEmpty {
            if serviceEntryIDs.contains(raw) { entry = raw }
            else { v.add("serviceEntryID", "Dieser Leistungseintrag gehört nicht zu dieser Hilfe.") }
        }
        guard let date, let observation, v.errors.isEmpty else { return nil }
        return Note(id: id, date: date, observation: observation, assessment: assessment, goalIDs: goals,
                    serviceEntryID: entry, authorStaffID: authorStaffID)
    }
}
