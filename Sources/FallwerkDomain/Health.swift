/// Health records of a case (issue 16; seed 003: "Dokumentation gesundheitlicher Daten … Besondere
/// Beachtung des Sozialdatenschutzes"). Health data is special-category data (Art. 9 GDPR): who may
/// read it is decided by `CasePolicies.health`; this file holds only what a record is and when it is valid.

public enum HealthKind: String, CaseIterable, Sendable {
    case illness, hospitalStay, therapy, other

    public var german: String {
        switch self {
        case .illness: "Erkrankung"
        case .hospitalStay: "Krankenhausaufenthalt"
        case .therapy: "Therapie"
        case .other: "Sonstiges"
        }
    }
}

public struct HealthRecord: Hashable, Sendable {
    public var kind: HealthKind
    public var description: String
    public var from: Day
    public var to: Day?
    /// A serious illness (or stay): the guardians are to be told, and the record says when and by whom.
    public var serious: Bool
    public var guardiansNotifiedOn: Day?
    public var guardiansNotifiedBy: String?

    public init(kind: HealthKind, description: String, from: Day, to: Day? = nil, serious: Bool = false,
                guardiansNotifiedOn: Day? = nil, guardiansNotifiedBy: String? = nil) {
        self.kind = kind
        self.description = description
        self.from = from
        self.to = to
        self.serious = serious
        self.guardiansNotifiedOn = guardiansNotifiedOn
        self.guardiansNotifiedBy = guardiansNotifiedBy
    }

    /// Serious, and the guardians have not been told yet (shown on the case's health page).
    public var guardiansToBeNotified: Bool { serious && guardiansNotifiedOn == nil }
}

/// A health record as typed (page or API).
public struct HealthRecordInput: Sendable, Equatable {
    public var kind: String?
    public var description: String?
    public var from: String?
    public var to: String?
    public var serious = false
    public var guardiansNotifiedOn: String?
    public var guardiansNotifiedBy: String?

    /// The fields every record needs; the rest are set one by one.
    public init(kind: String? = nil, description: String? = nil, from: String? = nil) {
        self.kind = kind
        self.description = description
        self.from = from
    }

    public static let maxDescriptionLength = 4_000

    /// Every field error at once: the kind, a description of at most 4,000 characters, the end not
    /// before the start; the guardians' notification only on a serious record, not before the start,
    /// not in the future, with who told them.
    public func validated(today: Day) throws(ValidationFailure) -> HealthRecord {
        var v = Validator()
        let kind = self.kind.flatMap { HealthKind(rawValue: $0.trimmed) }
        if kind == nil { v.add("kind", "Bitte die Art wählen (Erkrankung, Krankenhausaufenthalt, Therapie oder Sonstiges).") }
        let description = v.required(description, "description", label: "eine Beschreibung", maxLength: Self.maxDescriptionLength)
        let from = v.day(from, "from", label: "den Beginn")
        let to = v.day(to, "to", label: "das Ende", required: false)
        if let from, let to, to < from { v.add("to", "Das Ende darf nicht vor dem Beginn liegen.") }
        let notifiedOn = v.day(guardiansNotifiedOn, "guardiansNotifiedOn", label: "den Tag der Information der Sorgeberechtigten", required: false)
        let notifiedBy = v.optional(guardiansNotifiedBy, "guardiansNotifiedBy", label: "wer informiert hat", maxLength: 200)
        if !serious, notifiedOn != nil || notifiedBy != nil {
            v.add("guardiansNotifiedOn", "Die Information der Sorgeberechtigten wird nur bei einer schweren Erkrankung eingetragen. Bitte „schwer“ ankreuzen oder die Angaben leeren.")
        } else if let notifiedOn {
            if let from, notifiedOn < from {
                v.add("guardiansNotifiedOn", "Die Sorgeberechtigten können nicht vor dem Beginn (\(from.german)) informiert worden sein.")
            } else if notifiedOn > today {
                v.add("guardiansNotifiedOn", "Der Tag der Information darf nicht in der Zukunft liegen.")
            }
            if notifiedBy == nil, !v.has("guardiansNotifiedBy") {
                v.add("guardiansNotifiedBy", "Bitte angeben, wer die Sorgeberechtigten informiert hat.")
            }
        } else if notifiedBy != nil, !v.has("guardiansNotifiedOn") {
            v.add("guardiansNotifiedOn", "Bitte angeben, wann die Sorgeberechtigten informiert wurden.")
        }
        try v.finish()
        return HealthRecord(kind: kind!, description: description!, from: from!, to: to, serious: serious,
                            guardiansNotifiedOn: notifiedOn, guardiansNotifiedBy: notifiedBy)
    }
}
