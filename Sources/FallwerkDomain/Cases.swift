/// How a staff member is on a case (R11, R27).
public enum AssignmentRole: String, CaseIterable, Codable, Sendable {
    /// Bezugsbetreuer:in: exactly one per case.
    case lead
    case coWorker
    /// Sees and works on the case only while the substitution runs (R27).
    case substitute

    public var german: String {
        switch self {
        case .lead: "Bezugsbetreuung"
        case .coWorker: "Co-Betreuung"
        case .substitute: "Vertretung"
        }
    }
}

public struct Assignment: Hashable, Sendable {
    public let staffID: String
    public let role: AssignmentRole
    public let from: Day?
    public let to: Day?

    public init(staffID: String, role: AssignmentRole, from: Day? = nil, to: Day? = nil) {
        self.staffID = staffID
        self.role = role
        self.from = from
        self.to = to
    }

    /// Whether the assignment gives access on `day`: inside its date range. Substitutes always have
    /// one (R27); lead and co-workers are open-ended until a correction ends their assignment.
    public func isActive(on day: Day) -> Bool {
        if let from, day < from { return false }
        if let to, day > to { return false }
        return true
    }
}

/// What a user may see of one case (R31, SPEC "Roles"; seed 003: need-to-know).
public enum CaseAccess: Int, Comparable, Sendable {
    case none
    /// Accounting: the case, its approvals and hours — no notes, §8a or health content.
    case billing
    /// Everything on the case.
    case full

    public static func < (lhs: CaseAccess, rhs: CaseAccess) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether these roles give billing access only, whatever the case (accounting without a role that works on cases).
    public static func isBillingOnly(_ roles: Set<Role>) -> Bool {
        roles.contains(.accounting) && roles.isDisjoint(with: [.management, .teamLead, .caseworker])
    }

    /// The widest access any of the user's roles grants.
    /// - Parameters:
    ///   - staffID: the user's staff record, if the login belongs to one.
    ///   - ledTeamIDs: teams whose lead is this staff member.
    public static func of(roles: Set<Role>, staffID: String?, ledTeamIDs: Set<String>,
                          caseTeamID: String?, assignments: [Assignment], today: Day) -> CaseAccess {
        var access = CaseAccess.none
        if roles.contains(.management) { return .full }
        if roles.contains(.accounting) { access = .billing }
        if roles.contains(.teamLead), let caseTeamID, ledTeamIDs.contains(caseTeamID) { return .full }
        if roles.contains(.caseworker) || roles.contains(.teamLead), let staffID,
           assignments.contains(where: { $0.staffID == staffID && $0.isActive(on: today) }) {
            return .full
        }
        return access
    }
}

/// Why a case ended (R6).
public enum EndReason: String, CaseIterable, Codable, Sendable {
    case goalsReached
    case changeOfHelpType
    case lackOfCooperation
    case movedAway
    case other

    public var german: String {
        switch self {
        case .goalsReached: "Ziele erreicht"
        case .changeOfHelpType: "Wechsel der Hilfeart"
        case .lackOfCooperation: "fehlende Mitwirkung"
        case .movedAway: "Umzug / Zuständigkeitswechsel"
        case .other: "sonstiger Grund"
        }
    }
}

public struct PersonInput: Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var birthDate: String?
    public var relation: String?
    public var phone: String?

    public init(firstName: String? = nil, lastName: String? = nil, birthDate: String? = nil,
                relation: String? = nil, phone: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.birthDate = birthDate
        self.relation = relation
        self.phone = phone
    }

    public var isBlank: Bool {
        [firstName, lastName, birthDate, relation, phone].allSatisfy { ($0?.trimmed ?? "").isEmpty }
    }
}

public struct Person: Hashable, Sendable {
    public var firstName: String
    public var lastName: String
    public var birthDate: Day?
    public var relation: String?
    public var phone: String?
    /// The stored person's id (R33: what a subject access export is asked for); nil before it is stored.
    public var id: String?

    public init(firstName: String, lastName: String, birthDate: Day? = nil, relation: String? = nil, phone: String? = nil, id: String? = nil) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.birthDate = birthDate
        self.relation = relation
        self.phone = phone
    }

    public var fullName: String { "\(firstName) \(lastName)" }
    /// Invoices carry initials only (R16 in issue 4: data minimisation).
    public var initials: String { "\(firstName.prefix(1)). \(lastName.prefix(1))." }
}

/// A case's own facts as typed (references to youth office, offer and staff are checked by the store).
public struct CaseInput: Sendable, Equatable {
    public var fileNumber: String?
    public var startDate: String?
    public var youngPerson = PersonInput()
    public var guardians: [PersonInput] = []
    public var youthOfficeCaseworker: String?
    public var youthOfficeCaseworkerPhone: String?
    /// Where the family lives, for home visits; optional, but complete when given.
    public var familyAddress = AddressInput()

    public init() {}

    public struct Checked: Sendable, Equatable {
        public let fileNumber: String
        public let startDate: Day
        public let youngPerson: Person
        public let guardians: [Person]
        public let youthOfficeCaseworker: String?
        public let youthOfficeCaseworkerPhone: String?
        public let familyAddress: Address?
    }

    public func validated(into v: inout Validator, today: Day) -> Checked? {
        let fileNumber = v.required(fileNumber, "fileNumber", label: "das Aktenzeichen", maxLength: 60)
        let start = v.day(startDate, "startDate", label: "den Beginn der Hilfe")
        let young = person(youngPerson, "youngPerson.", birthRequired: true, today: today, into: &v)
        var guardians: [Person] = []
        for (index, guardian) in self.guardians.enumerated() where !guardian.isBlank {
            if let checked = person(guardian, "guardians[\(index)].", birthRequired: false, today: today, into: &v) {
                guardians.append(checked)
            }
        }
        if let birth = young?.birthDate, let start, start < birth {
            v.add("startDate", "Die Hilfe kann nicht vor der Geburt des jungen Menschen beginnen.")
        }
        let caseworker = v.optional(youthOfficeCaseworker, "youthOfficeCaseworker", label: "die fallführende Fachkraft des Jugendamts")
        let phone = v.optional(youthOfficeCaseworkerPhone, "youthOfficeCaseworkerPhone", label: "die Telefonnummer", maxLength: 40)
        let address = familyAddress.validatedIfGiven(into: &v, prefix: "familyAddress.")
        guard let fileNumber, let start, let young, v.errors.isEmpty else { return nil }
        return Checked(fileNumber: fileNumber, startDate: start, youngPerson: young, guardians: guardians,
                       youthOfficeCaseworker: caseworker, youthOfficeCaseworkerPhone: phone, familyAddress: address)
    }

    private func person(_ input: PersonInput, _ prefix: String, birthRequired: Bool, today: Day, into v: inout Validator) -> Person? {
        let first = v.required(input.firstName, prefix + "firstName", label: "den Vornamen", maxLength: 100)
        let last = v.required(input.lastName, prefix + "lastName", label: "den Nachnamen", maxLength: 100)
        let birth = v.day(input.birthDate, prefix + "birthDate", label: "das Geburtsdatum", required: birthRequired)
        if let birth, birth > today {
            v.add(prefix + "birthDate", "Das Geburtsdatum liegt in der Zukunft.")
        }
        let relation = v.optional(input.relation, prefix + "relation", label: "die Beziehung", maxLength: 60)
        let phone = v.optional(input.phone, prefix + "phone", label: "die Telefonnummer", maxLength: 40)
        guard let first, let last else { return nil }
        return Person(firstName: first, lastName: last, birthDate: birth, relation: relation, phone: phone)
    }
}
