// Goals from the care plan (R18 [000]: "SMART-Formulierung von Zielen", the young person involved in
// setting them) and their ratings over time (R18, R29: goal attainment in the statistics).

public enum GoalStatus: String, CaseIterable, Codable, Sendable {
    case open
    case inProgress
    case achieved
    case dropped

    public var german: String {
        switch self {
        case .open: "offen"
        case .inProgress: "in Bearbeitung"
        case .achieved: "erreicht"
        case .dropped: "verworfen"
        }
    }
}

/// The fixed rating scale (1–5). Fixed, not a setting, so ratings stay comparable across cases and
/// years in the statistics (R29).
public enum GoalAttainment: Int, CaseIterable, Codable, Sendable, Comparable {
    case notAchieved = 1
    case slightly = 2
    case partly = 3
    case mostly = 4
    case fully = 5

    public var german: String {
        switch self {
        case .notAchieved: "nicht erreicht"
        case .slightly: "ansatzweise erreicht"
        case .partly: "teilweise erreicht"
        case .mostly: "überwiegend erreicht"
        case .fully: "vollständig erreicht"
        }
    }

    /// "3 – teilweise erreicht".
    public var label: String { "\(rawValue) – \(german)" }

    public static func < (lhs: GoalAttainment, rhs: GoalAttainment) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct GoalRating: Hashable, Sendable {
    public var attainment: GoalAttainment
    public var ratedOn: Day
    /// The short reason for the rating.
    public var reason: String
    /// How the young person sees it (R18: "the young person's view is recorded").
    public var youngPersonView: String?

    public init(attainment: GoalAttainment, ratedOn: Day, reason: String, youngPersonView: String? = nil) {
        self.attainment = attainment
        self.ratedOn = ratedOn
        self.reason = reason
        self.youngPersonView = youngPersonView
    }
}

/// A SMART goal: specific ("Was genau?"), measurable ("Woran gemessen?"), achievable and relevant
/// (optional text), time-bound ("Bis wann?").
public struct Goal: Hashable, Sendable, Identifiable {
    public var id: String
    public var title: String
    public var specific: String?
    public var measurable: String?
    public var achievable: String?
    public var relevant: String?
    public var timeBound: Day?
    /// The goal in the young person's own words [000: partizipative Zielentwicklung].
    public var youngPersonView: String?
    public var status: GoalStatus
    public var createdOn: Day
    public var ratings: [GoalRating]

    public init(id: String, title: String, specific: String? = nil, measurable: String? = nil,
                achievable: String? = nil, relevant: String? = nil, timeBound: Day? = nil,
                youngPersonView: String? = nil, status: GoalStatus = .open, createdOn: Day, ratings: [GoalRating] = []) {
        self.id = id
        self.title = title
        self.specific = specific
        self.measurable = measurable
        self.achievable = achievable
        self.relevant = relevant
        self.timeBound = timeBound
        self.youngPersonView = youngPersonView
        self.status = status
        self.createdOn = createdOn
        self.ratings = ratings
    }

    /// Ratings oldest first.
    public var ratingHistory: [GoalRating] { ratings.sorted { $0.ratedOn < $1.ratedOn } }
    public var latestRating: GoalRating? { ratingHistory.last }

    /// The German names of the required SMART parts still empty (for a hint on open goals; an error
    /// when the goal is marked achieved).
    public var missingSmartParts: [String] {
        var missing: [String] = []
        if (specific?.trimmed ?? "").isEmpty { missing.append("Was genau") }
        if (measurable?.trimmed ?? "").isEmpty { missing.append("Woran gemessen") }
        if timeBound == nil { missing.append("Bis wann") }
        return missing
    }
}

// MARK: Input

public struct GoalInput: Sendable, Equatable {
    public var title: String?
    public var specific: String?
    public var measurable: String?
    public var achievable: String?
    public var relevant: String?
    public var timeBound: String?
    public var youngPersonView: String?
    public var status: String?

    public init(title: String? = nil, specific: String? = nil, measurable: String? = nil, achievable: String? = nil,
                relevant: String? = nil, timeBound: String? = nil, youngPersonView: String? = nil, status: String? = nil) {
        self.title = title
        self.specific = specific
        self.measurable = measurable
        self.achievable = achievable
        self.relevant = relevant
        self.timeBound = timeBound
        self.youngPersonView = youngPersonView
        self.status = status
    }

    public static let maxTextLength = 2000

    /// `createdOn` is the day the goal was first recorded (today for a new goal); `ratings` are kept.
    public func validated(into v: inout Validator, id: String, createdOn: Day, ratings: [GoalRating] = []) -> Goal? {
        let max = GoalInput.maxTextLength
        let title = v.required(title, "title", label: "eine kurze Bezeichnung des Ziels", maxLength: 200)
        let specific = v.optional(specific, "specific", label: "„Was genau?“", maxLength: max)
        let measurable = v.optional(measurable, "measurable", label: "„Woran gemessen?“", maxLength: max)
        let achievable = v.optional(achievable, "achievable", label: "„Erreichbar?“", maxLength: max)
        let relevant = v.optional(relevant, "relevant", label: "„Bedeutsam?“", maxLength: max)
        let timeBound = v.day(timeBound, "timeBound", label: "„Bis wann?“", required: false)
        let view = v.optional(youngPersonView, "youngPersonView", label: "die Worte des jungen Menschen", maxLength: max)
        var status = GoalStatus.open
        if let raw = self.status?.trimmed, !raw.isEmpty {
            if let value = GoalStatus(rawValue: raw) { status = value }
            else { v.add("status", "Dieser Zielstatus ist unbekannt.") }
        }
        if let timeBound, timeBound < createdOn {
            v.add("timeBound", "Das Zieldatum („Bis wann?“) darf nicht vor der Erfassung des Ziels (\(createdOn.german)) liegen.")
        }
        // R18: an achieved goal must say what was achieved, how it was measured and by when; otherwise
        // "erreicht" cannot be checked by anyone.
        if status == .achieved {
            if specific == nil, !v.has("specific") { v.add("specific", "Ein erreichtes Ziel braucht die SMART-Angabe „Was genau?“.") }
            if measurable == nil, !v.has("measurable") { v.add("measurable", "Ein erreichtes Ziel braucht die SMART-Angabe „Woran gemessen?“.") }
            if timeBound == nil, !v.has("timeBound") { v.add("timeBound", "Ein erreichtes Ziel braucht die SMART-Angabe „Bis wann?“.") }
        }
        guard let title, v.errors.isEmpty else { return nil }
        return Goal(id: id, title: title, specific: specific, measurable: measurable, achievable: achievable,
                    relevant: relevant, timeBound: timeBound, youngPersonView: view, status: status,
                    createdOn: createdOn, ratings: ratings)
    }
}

public struct GoalRatingInput: Sendable, Equatable {
    /// The scale value as typed (1–5).
    public var value: Int?
    public var ratedOn: String?
    public var reason: String?
    public var youngPersonView: String?

    public init(value: Int? = nil, ratedOn: String? = nil, reason: String? = nil, youngPersonView: String? = nil) {
        self.value = value
        self.ratedOn = ratedOn
        self.reason = reason
        self.youngPersonView = youngPersonView
    }

    public static let maxReasonLength = 500

    public func validated(into v: inout Validator, goal: Goal, today: Day) -> GoalRating? {
        var attainment: GoalAttainment?
        if let value {
            attainment = GoalAttainment(rawValue: value)
            if attainment == nil {
                v.add("value", "Bitte eine Bewertung von 1 (nicht erreicht) bis 5 (vollständig erreicht) wählen.")
            }
        } else {
            v.add("value", "Bitte eine Bewertung von 1 (nicht erreicht) bis 5 (vollständig erreicht) wählen.")
        }
        let ratedOn = v.day(ratedOn, "ratedOn", label: "das Datum der Bewertung")
        if let ratedOn {
            if ratedOn < goal.createdOn {
                v.add("ratedOn", "Die Bewertung kann nicht vor der Erfassung des Ziels (\(goal.createdOn.german)) liegen.")
            } else if ratedOn > today {
                v.add("ratedOn", "Die Bewertung kann nicht in der Zukunft liegen.")
            }
        }
        let reason = v.required(reason, "reason", label: "eine kurze Begründung der Bewertung", maxLength: GoalRatingInput.maxReasonLength)
        let view = v.optional(youngPersonView, "youngPersonView", label: "die Sicht des jungen Menschen", maxLength: GoalInput.maxTextLength)
        if goal.status == .dropped {
            v.add("value", "Ein verworfenes Ziel kann nicht mehr bewertet werden.")
        }
        guard let attainment, let ratedOn, let reason, v.errors.isEmpty else { return nil }
        return GoalRating(attainment: attainment, ratedOn: ratedOn, reason: reason, youngPersonView: view)
    }
}
