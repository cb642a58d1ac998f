/// How unused hours of one budget unit are treated inside an approval period (R8).
public enum Balancing: String, CaseIterable, Codable, Sendable {
    /// Each week / month stands alone; unused hours lapse [002].
    case perUnit
    /// The monthly volume forms one total budget for the whole period [004].
    case wholePeriod

    public var german: String {
        switch self {
        case .perUnit: "je Einheit (kein Übertrag)"
        case .wholePeriod: "Gesamtbudget über den Bewilligungszeitraum"
        }
    }
}

/// How travel is billed (R10, [002]: "Fahrkostenpauschale").
public enum TravelMode: String, CaseIterable, Codable, Sendable {
    case perVisit
    case perKm
    case none

    public var german: String {
        switch self {
        case .perVisit: "Pauschale je Hausbesuch"
        case .perKm: "je Kilometer"
        case .none: "keine Fahrtkosten"
        }
    }
}

/// Every billing and deadline setting of an agreement with a youth office. Each property's
/// default is the one in SPEC.md ("Agreement settings and their defaults"); an agreement may
/// change any of them, because the seeds come from different cities.
public struct AgreementSettings: Hashable, Sendable, Codable {
    public var firstReviewMonths = 6          // R3 [004]
    public var reviewIntervalMonths = 6       // R3 [004]
    public var reportLeadDays = 14            // R4 [003, 004]
    public var planDocumentDays = 14          // R5 [004]
    public var costApprovalDays = 14          // R5 [004]
    public var specificationWeeksFrom = 6     // R5 [004]
    public var specificationWeeksTo = 8       // R5 [004]
    public var noContactAlertDays = 14        // R7a
    public var balancing = Balancing.perUnit  // R8
    public var reportMinutes = 60             // R10: reportHours "1" [002]
    public var onboardingDayMinutes = 0       // R10: the offer sets 10 hours [000]
    public var shortNoticeHours = 24          // R10 [004]
    public var shortNoticeBillablePercent = 50 // R10 [004]
    public var shortNoticeBudgetPercent = 100 // R10 [004]
    public var travelMode = TravelMode.perVisit // R10 [002]
    public var travelFlatRate = Cents.zero    // R10
    public var travelRatePerKm = Cents.zero   // R10
    public var noShowAlertAfter = 3           // R12 [004]
    public var roundingMinutes = 1            // R13
    public var requireClientSignature = true  // R15 [004]
    public var blockAfterYears = 5            // R32 [001]
    public var deleteAfterAge = 100           // R32: 30th birthday + 70 years (§9b SGB VIII)
    public var invoiceRetentionYears = 8      // R32: §147 AO

    public init() {}

    public static let defaults = AgreementSettings()
}

extension Cents: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension AgreementSettings {
    // Settings stored before a setting existed decode with that setting's default,
    // so adding a setting never needs a data migration.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AgreementSettings.defaults
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        firstReviewMonths = try value(.firstReviewMonths, d.firstReviewMonths)
        reviewIntervalMonths = try value(.reviewIntervalMonths, d.reviewIntervalMonths)
        reportLeadDays = try value(.reportLeadDays, d.reportLeadDays)
        planDocumentDays = try value(.planDocumentDays, d.planDocumentDays)
        costApprovalDays = try value(.costApprovalDays, d.costApprovalDays)
        specificationWeeksFrom = try value(.specificationWeeksFrom, d.specificationWeeksFrom)
        specificationWeeksTo = try value(.specificationWeeksTo, d.specificationWeeksTo)
        noContactAlertDays = try value(.noContactAlertDays, d.noContactAlertDays)
        balancing = try value(.balancing, d.balancing)
        reportMinutes = try value(.reportMinutes, d.reportMinutes)
        onboardingDayMinutes = try value(.onboardingDayMinutes, d.onboardingDayMinutes)
        shortNoticeHours = try value(.shortNoticeHours, d.shortNoticeHours)
        shortNoticeBillablePercent = try value(.shortNoticeBillablePercent, d.shortNoticeBillablePercent)
        shortNoticeBudgetPercent = try value(.shortNoticeBudgetPercent, d.shortNoticeBudgetPercent)
        travelMode = try value(.travelMode, d.travelMode)
        travelFlatRate = try value(.travelFlatRate, d.travelFlatRate)
        travelRatePerKm = try value(.travelRatePerKm, d.travelRatePerKm)
        noShowAlertAfter = try value(.noShowAlertAfter, d.noShowAlertAfter)
        roundingMinutes = try value(.roundingMinutes, d.roundingMinutes)
        requireClientSignature = try value(.requireClientSignature, d.requireClientSignature)
        blockAfterYears = try value(.blockAfterYears, d.blockAfterYears)
        deleteAfterAge = try value(.deleteAfterAge, d.deleteAfterAge)
        invoiceRetentionYears = try value(.invoiceRetentionYears, d.invoiceRetentionYears)
    }
}

/// Settings as they arrive from the API or a form: every field optional and raw.
/// An omitted setting takes its default.
public struct AgreementSettingsInput: Sendable, Equatable {
    public var firstReviewMonths: Int?
    public var reviewIntervalMonths: Int?
    public var reportLeadDays: Int?
    public var planDocumentDays: Int?
    public var costApprovalDays: Int?
    public var specificationWeeksFrom: Int?
    public var specificationWeeksTo: Int?
    public var noContactAlertDays: Int?
    public var balancing: String?
    public var reportHours: String?
    public var onboardingDayHours: String?
    public var shortNoticeHours: Int?
    public var shortNoticeBillablePercent: Int?
    public var shortNoticeBudgetPercent: Int?
    public var travelMode: String?
    public var travelFlatRate: String?
    public var travelRatePerKm: String?
    public var noShowAlertAfter: Int?
    public var roundingMinutes: Int?
    public var requireClientSignature: Bool?
    public var blockAfterYears: Int?
    public var deleteAfterAge: Int?
    public var invoiceRetentionYears: Int?

    public init() {}

    /// Checks every setting; field names are prefixed with `prefix` (e.g. `settings.`).
    public func validated(into v: inout Validator, prefix: String = "settings.") -> AgreementSettings {
        var s = AgreementSettings.defaults
        func int(_ value: Int?, _ name: String, _ label: String, _ range: ClosedRange<Int>, _ keyPath: WritableKeyPath<AgreementSettings, Int>) {
            if let checked = v.integer(value, prefix + name, label: label, range: range) { s[keyPath: keyPath] = checked }
        }
        int(firstReviewMonths, "firstReviewMonths", "die erste Überprüfung (Monate)", 1...24, \.firstReviewMonths)
        int(reviewIntervalMonths, "reviewIntervalMonths", "den Überprüfungsabstand (Monate)", 1...24, \.reviewIntervalMonths)
        int(reportLeadDays, "reportLeadDays", "die Berichtsvorlaufzeit (Tage)", 0...90, \.reportLeadDays)
        int(planDocumentDays, "planDocumentDays", "die Frist für den unterschriebenen Hilfeplan (Tage)", 1...90, \.planDocumentDays)
        int(costApprovalDays, "costApprovalDays", "die Frist für die Kostenzusage (Tage)", 1...90, \.costApprovalDays)
        int(specificationWeeksFrom, "specificationWeeksFrom", "den Beginn der Konkretisierung (Wochen)", 1...52, \.specificationWeeksFrom)
        int(specificationWeeksTo, "specificationWeeksTo", "das Ende der Konkretisierung (Wochen)", 1...52, \.specificationWeeksTo)
        int(noContactAlertDays, "noContactAlertDays", "die Warnung ohne Kontakt (Tage)", 1...365, \.noContactAlertDays)
        int(shortNoticeHours, "shortNoticeHours", "die Frist für kurzfristige Absagen (Stunden)", 0...168, \.shortNoticeHours)
        int(shortNoticeBillablePercent, "shortNoticeBillablePercent", "den abrechenbaren Anteil kurzfristiger Absagen (%)", 0...100, \.shortNoticeBillablePercent)
        int(shortNoticeBudgetPercent, "shortNoticeBudgetPercent", "den Kontingentanteil kurzfristiger Absagen (%)", 0...100, \.shortNoticeBudgetPercent)
        int(noShowAlertAfter, "noShowAlertAfter", "die Zahl der Ausfälle bis zur Warnung", 1...20, \.noShowAlertAfter)
        int(blockAfterYears, "blockAfterYears", "die Sperrfrist nach Hilfeende (Jahre)", 1...100, \.blockAfterYears)
        int(deleteAfterAge, "deleteAfterAge", "das Löschalter (Jahre)", 18...130, \.deleteAfterAge)
        int(invoiceRetentionYears, "invoiceRetentionYears", "die Aufbewahrung von Rechnungen (Jahre)", 8...30, \.invoiceRetentionYears)
        if let specificationWeeksFrom, let specificationWeeksTo, specificationWeeksTo < specificationWeeksFrom {
            v.add(prefix + "specificationWeeksTo", "Das Ende der Konkretisierung darf nicht vor ihrem Beginn liegen.")
        }
        if let roundingMinutes {
            if (1...60).contains(roundingMinutes), 60 % roundingMinutes == 0 {
                s.roundingMinutes = roundingMinutes
            } else {
                v.add(prefix + "roundingMinutes", "Die Rundungseinheit muss ein Teiler von 60 Minuten sein (1, 5, 10, 15, 30 oder 60).")
            }
        }
        if let balancing {
            if let value = Balancing(rawValue: balancing) { s.balancing = value }
            else { v.add(prefix + "balancing", "Die Kontingentbilanzierung muss „perUnit“ oder „wholePeriod“ sein.") }
        }
        if let travelMode {
            if let value = TravelMode(rawValue: travelMode) { s.travelMode = value }
            else { v.add(prefix + "travelMode", "Die Fahrtkostenart muss „perVisit“, „perKm“ oder „none“ sein.") }
        }
        if let reportHours, let m = v.hours(reportHours, prefix + "reportHours", label: "die Stunden je Bericht", max: 24) {
            s.reportMinutes = m.value
        }
        if let onboardingDayHours, let m = v.hours(onboardingDayHours, prefix + "onboardingDayHours", label: "die Stunden des Einstiegstags", max: 24) {
            s.onboardingDayMinutes = m.value
        }
        if let travelFlatRate, let c = v.money(travelFlatRate, prefix + "travelFlatRate", label: "die Fahrtkostenpauschale") {
            s.travelFlatRate = c
        }
        if let travelRatePerKm, let c = v.money(travelRatePerKm, prefix + "travelRatePerKm", label: "der Kilometersatz") {
            s.travelRatePerKm = c
        }
        if let requireClientSignature { s.requireClientSignature = requireClientSignature }
        return s
    }
}
