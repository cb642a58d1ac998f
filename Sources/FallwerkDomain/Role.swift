/// What a user may do (SPEC "Roles"). A user may hold several.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case admin
    case management
    case teamLead
    case caseworker
    case accounting

    public var german: String {
        switch self {
        case .admin: "Administration"
        case .management: "Leitung"
        case .teamLead: "Teamleitung"
        case .caseworker: "Fachkraft"
        case .accounting: "Verwaltung"
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Professional qualification of a staff member; offers may require one (R26, [002], [004]).
public enum Qualification: String, CaseIterable, Codable, Sendable {
    case socialWorker
    case educationScientist
    case educator
    case psychologist
    case homeEconomist
    case other

    public var german: String {
        switch self {
        case .socialWorker: "Sozialarbeiter:in / Sozialpädagog:in (Diplom, B.A., M.A.)"
        case .educationScientist: "Pädagog:in / Erziehungswissenschaftler:in (Diplom, M.A.)"
        case .educator: "Staatlich anerkannte:r Erzieher:in"
        case .psychologist: "Psycholog:in"
        case .homeEconomist: "Hauswirtschafter:in / Fachkraft für Alltagsbegleitung"
        case .other: "Andere Qualifikation"
        }
    }

    /// Counts as a pedagogical specialist (Fachkraft) in the sense of §72 SGB VIII.
    public var isSpecialist: Bool {
        switch self {
        case .socialWorker, .educationScientist, .educator, .psychologist: true
        case .homeEconomist, .other: false
        }
    }
}
