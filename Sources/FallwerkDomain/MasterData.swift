// Master data as typed by a person (API body or form), and its checked form.
// Web and API both go through these, so a bad field gets the same German message everywhere.

public struct Address: Hashable, Sendable {
    public var street: String
    public var postalCode: String
    public var city: String

    public init(street: String, postalCode: String, city: String) {
        self.street = street
        self.postalCode = postalCode
        self.city = city
    }

    public var singleLine: String { "\(street), \(postalCode) \(city)" }
}

public struct AddressInput: Sendable, Equatable {
    public var street: String?
    public var postalCode: String?
    public var city: String?

    public init(street: String? = nil, postalCode: String? = nil, city: String? = nil) {
        self.street = street
        self.postalCode = postalCode
        self.city = city
    }

    public var isBlank: Bool { [street, postalCode, city].allSatisfy { ($0?.trimmed ?? "").isEmpty } }

    /// Nil without an error when every part is empty; otherwise checked like a required address.
    public func validatedIfGiven(into v: inout Validator, prefix: String) -> Address? {
        isBlank ? nil : validated(into: &v, prefix: prefix)
    }

    func validated(into v: inout Validator, prefix: String = "address.") -> Address? {
        let street = v.required(street, prefix + "street", label: "Straße und Hausnummer")
        let postal = v.required(postalCode, prefix + "postalCode", label: "die Postleitzahl", maxLength: 5)
        if let postal, !PostalCode.isValid(postal) {
            v.add(prefix + "postalCode", "Die Postleitzahl muss aus fünf Ziffern bestehen.")
        }
        let city = v.required(city, prefix + "city", label: "den Ort")
        guard let street, let postal, PostalCode.isValid(postal), let city else { return nil }
        return Address(street: street, postalCode: postal, city: city)
    }
}

extension Validator {
    mutating func email(_ value: String?, _ field: String) -> String? {
        guard let text = optional(value, field, label: "die E-Mail-Adresse") else { return nil }
        guard EmailAddress.isValid(text) else {
            add(field, "Die E-Mail-Adresse ist ungültig.")
            return nil
        }
        return text
    }
}

// MARK: Youth office

public struct ContactPerson: Hashable, Sendable {
    public var name: String
    public var phone: String?
    public var email: String?
    public var deputyName: String?
    public var deputyPhone: String?
    public var deputyEmail: String?

    public init(name: String, phone: String? = nil, email: String? = nil,
                deputyName: String? = nil, deputyPhone: String? = nil, deputyEmail: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.deputyName = deputyName
        self.deputyPhone = deputyPhone
        self.deputyEmail = deputyEmail
    }
}

public struct ContactPersonInput: Sendable, Equatable {
    public var name: String?
    public var phone: String?
    public var email: String?
    public var deputyName: String?
    public var deputyPhone: String?
    public var deputyEmail: String?

    public init(name: String? = nil, phone: String? = nil, email: String? = nil,
                deputyName: String? = nil, deputyPhone: String? = nil, deputyEmail: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.deputyName = deputyName
        self.deputyPhone = deputyPhone
        self.deputyEmail = deputyEmail
    }

    /// Whether every field is empty (an unused row of a form).
    public var isBlank: Bool {
        [name, phone, email, deputyName, deputyPhone, deputyEmail].allSatisfy { ($0?.trimmed ?? "").isEmpty }
    }
}

public struct YouthOffice: Hashable, Sendable {
    public var name: String
    public var address: Address
    public var leitwegId: String
    public var email: String?
    public var phone: String?
    public var contacts: [ContactPerson]

    public init(name: String, address: Address, leitwegId: String, email: String? = nil,
                phone: String? = nil, contacts: [ContactPerson] = []) {
        self.name = name
        self.address = address
        self.leitwegId = leitwegId
        self.email = email
        self.phone = phone
        self.contacts = contacts
    }
}

public struct YouthOfficeInput: Sendable, Equatable {
    public var name: String?
    public var leitwegId: String?
    public var address = AddressInput()
    public var email: String?
    public var phone: String?
    public var contacts: [ContactPersonInput] = []

    public init() {}

    public func validated() throws(ValidationFailure) -> YouthOffice {
        var v = Validator()
        let name = v.required(name, "name", label: "den Namen des Jugendamts")
        var leitweg = v.required(leitwegId, "leitwegId", label: "die Leitweg-ID", maxLength: 46)
        if let value = leitweg {
            leitweg = value.uppercased()
            if !LeitwegID.isValid(value) {
                v.add("leitwegId", "Die Leitweg-ID ist ungültig: erwartet wird z. B. 04011000-1234512345-06 (Grobadressierung, optional Feinadressierung, zwei Prüfziffern).")
            }
        }
        let address = address.validated(into: &v)
        let email = v.email(email, "email")
        let phone = v.optional(phone, "phone", label: "die Telefonnummer", maxLength: 40)
        var contacts: [ContactPerson] = []
        for (index, contact) in self.contacts.enumerated() where !contact.isBlank {
            let p = "contacts[\(index)]."
            let name = v.required(contact.name, p + "name", label: "den Namen der Ansprechperson")
            let c = ContactPerson(
                name: name ?? "",
                phone: v.optional(contact.phone, p + "phone", label: "die Telefonnummer", maxLength: 40),
                email: v.email(contact.email, p + "email"),
                deputyName: v.optional(contact.deputyName, p + "deputyName", label: "den Namen der Vertretung"),
                deputyPhone: v.optional(contact.deputyPhone, p + "deputyPhone", label: "die Telefonnummer der Vertretung", maxLength: 40),
                deputyEmail: v.email(contact.deputyEmail, p + "deputyEmail")
            )
            contacts.append(c)
        }
        try v.finish()
        return YouthOffice(name: name!, address: address!, leitwegId: leitweg!,
                           email: email, phone: phone, contacts: contacts)
    }
}

// MARK: Offer

public struct Offer: Hashable, Sendable {
    public var name: String
    public var legalBasis: String
    public var description: String?
    /// Overrides the agreement's `firstReviewMonths` (MoPäD: 3 [001]).
    public var firstReviewMonths: Int?
    /// Overrides the agreement's `onboardingDayHours` (Einzelfallhilfe: 10 hours [000]).
    public var onboardingDayMinutes: Int?
    public var requiredQualification: Qualification?

    public init(name: String, legalBasis: String, description: String? = nil, firstReviewMonths: Int? = nil,
                onboardingDayMinutes: Int? = nil, requiredQualification: Qualification? = nil) {
        self.name = name
        self.legalBasis = legalBasis
        self.description = description
        self.firstReviewMonths = firstReviewMonths
        self.onboardingDayMinutes = onboardingDayMinutes
        self.requiredQualification = requiredQualification
    }
}

public struct OfferInput: Sendable, Equatable {
    public var name: String?
    public var legalBasis: String?
    public var description: String?
    public var firstReviewMonths: Int?
    public var onboardingDayHours: String?
    public var requiredQualification: String?

    public init() {}

    public func validated() throws(ValidationFailure) -> Offer {
        var v = Validator()
        let name = v.required(name, "name", label: "den Namen des Angebots")
        let basis = v.required(legalBasis, "legalBasis", label: "die Rechtsgrundlage", maxLength: 120)
        if let basis, !basis.contains("§") {
            v.add("legalBasis", "Die Rechtsgrundlage muss einen Paragraphen nennen, z. B. „§ 30 SGB VIII“.")
        }
        let description = v.optional(description, "description", label: "die Beschreibung", maxLength: 2000)
        let months = v.integer(firstReviewMonths, "firstReviewMonths", label: "die erste Überprüfung (Monate)", range: 1...24)
        var onboarding: Int?
        if let text = onboardingDayHours, !text.trimmed.isEmpty {
            onboarding = v.hours(text, "onboardingDayHours", label: "die Stunden des Einstiegstags", max: 24)?.value
        }
        var qualification: Qualification?
        if let raw = requiredQualification?.trimmed, !raw.isEmpty {
            qualification = Qualification(rawValue: raw)
            if qualification == nil { v.add("requiredQualification", "Diese Qualifikation ist unbekannt.") }
        }
        try v.finish()
        return Offer(name: name!, legalBasis: basis!, description: description,
                     firstReviewMonths: months, onboardingDayMinutes: onboarding,
                     requiredQualification: qualification)
    }
}

// MARK: Agreement

/// The checked non-reference part of an agreement; ids are checked where they can be looked up.
public struct AgreementTerms: Hashable, Sendable {
    public var validFrom: Day
    public var validTo: Day?
    public var hourlyRates: [Cents]
    public var settings: AgreementSettings

    /// Whether two validity periods share a day (an open end runs for ever).
    public static func periodsOverlap(_ a: (Day, Day?), _ b: (Day, Day?)) -> Bool {
        let aEnd = a.1 ?? Day(year: 9999, month: 12, day: 31)!
        let bEnd = b.1 ?? Day(year: 9999, month: 12, day: 31)!
        return a.0 <= bEnd && b.0 <= aEnd
    }
}

public struct AgreementInput: Sendable, Equatable {
    public var validFrom: String?
    public var validTo: String?
    public var hourlyRates: [String?] = []
    /// The offers' names, in the order of `hourlyRates`, so every rate's message names its offer.
    public var rateLabels: [String] = []
    public var settings = AgreementSettingsInput()

    public init() {}

    public func validated(into v: inout Validator) -> AgreementTerms? {
        let from = v.day(validFrom, "validFrom", label: "den Beginn der Vereinbarung")
        let to = v.day(validTo, "validTo", label: "das Ende der Vereinbarung", required: false)
        if let from, let to, to < from {
            v.add("validTo", "Das Ende der Vereinbarung darf nicht vor ihrem Beginn liegen.")
        }
        if hourlyRates.isEmpty {
            v.add("rates", "Bitte mindestens einen Stundensatz für ein Angebot angeben.")
        }
        var rates: [Cents] = []
        for (index, raw) in hourlyRates.enumerated() {
            let offer = index < rateLabels.count ? " für „\(rateLabels[index])“" : ""
            if let c = v.money(raw, "rates[\(index)].hourlyRate", label: "den Stundensatz" + offer) {
                if c.value <= 0 || c.value > 100_000 {
                    v.add("rates[\(index)].hourlyRate", "Der Stundensatz\(offer) muss größer als 0 und höchstens 1000,00 € sein.")
                } else {
                    rates.append(c)
                }
            }
        }
        let settings = settings.validated(into: &v)
        guard let from, rates.count == hourlyRates.count else { return nil }
        return AgreementTerms(validFrom: from, validTo: to, hourlyRates: rates, settings: settings)
    }
}

// MARK: Team and staff

public struct TeamInput: Sendable, Equatable {
    public var name: String?
    public var location: String?

    public init(name: String? = nil, location: String? = nil) {
        self.name = name
        self.location = location
    }

    public func validated(into v: inout Validator) -> (name: String, location: String)? {
        let name = v.required(name, "name", label: "den Namen des Teams")
        let location = v.required(location, "location", label: "den Standort")
        guard let name, let location else { return nil }
        return (name, location)
    }
}

public struct StaffMember: Hashable, Sendable {
    public var firstName: String
    public var lastName: String
    public var qualification: Qualification
    public var weeklyMinutes: Int
    public var email: String?
    /// Not before this day may the staff member work alone on a case (R25: induction modules).
    public var inductionCompleted: Day?
    /// The last working day, when the person leaves (issue 16, `Leaving`).
    public var leavingDate: Day?

    public init(firstName: String, lastName: String, qualification: Qualification, weeklyMinutes: Int,
                email: String? = nil, inductionCompleted: Day? = nil, leavingDate: Day? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.qualification = qualification
        self.weeklyMinutes = weeklyMinutes
        self.email = email
        self.inductionCompleted = inductionCompleted
        self.leavingDate = leavingDate
    }
}

public struct StaffInput: Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var qualification: String?
    public var weeklyHours: String?
    public var email: String?
    public var inductionCompleted: String?
    /// The last working day (issue 16); empty: not leaving.
    public var leavingDate: String?

    public init() {}

    /// R26: planned load is at most 48 hours a week [004], so no contract can promise more.
    public static let maxWeeklyHours = 48

    public func validated(into v: inout Validator) -> StaffMember? {
        let first = v.required(firstName, "firstName", label: "den Vornamen", maxLength: 100)
        let last = v.required(lastName, "lastName", label: "den Nachnamen", maxLength: 100)
        var qualification: Qualification?
        if let raw = v.required(self.qualification, "qualification", label: "die Qualifikation") {
            qualification = Qualification(rawValue: raw)
            if qualification == nil { v.add("qualification", "Diese Qualifikation ist unbekannt.") }
        }
        let hours = v.hours(weeklyHours, "weeklyHours", label: "die Wochenstunden", max: StaffInput.maxWeeklyHours)
        if let hours, hours.value == 0 {
            v.add("weeklyHours", "Die Wochenstunden müssen größer als 0 sein.")
        }
        let email = v.email(email, "email")
        let induction = v.day(inductionCompleted, "inductionCompleted", label: "den Abschluss der Einarbeitung", required: false)
        let leaving = v.day(leavingDate, "leavingDate", label: "den letzten Arbeitstag", required: false)
        guard let first, let last, let qualification, let hours, hours.value > 0 else { return nil }
        return StaffMember(firstName: first, lastName: last, qualification: qualification,
                           weeklyMinutes: hours.value, email: email, inductionCompleted: induction, leavingDate: leaving)
    }

}

// MARK: Provider

/// The provider's own data, printed on every invoice (R16, R17).
public struct ProviderProfile: Hashable, Sendable {
    public var name: String
    public var address: Address
    public var taxNumber: String
    public var iban: String
    public var bic: String?
    public var bankName: String?
    public var email: String?
    public var phone: String?
    /// R2: the share of contract hours that is client work.
    public var productivePercent = Capacity.defaultProductivePercent
    /// R1: open requests older than this many days are an alert.
    public var requestAlertDays = IntakeRules.defaultAlertDays

    public init(name: String, address: Address, taxNumber: String, iban: String,
                bic: String? = nil, bankName: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.address = address
        self.taxNumber = taxNumber
        self.iban = iban
        self.bic = bic
        self.bankName = bankName
        self.email = email
        self.phone = phone
    }
}

public struct ProviderInput: Sendable, Equatable {
    public var name: String?
    public var address = AddressInput()
    public var taxNumber: String?
    public var iban: String?
    public var bic: String?
    public var bankName: String?
    public var email: String?
    public var phone: String?
    public var productivePercent: Int?
    public var requestAlertDays: Int?

    public init() {}

    public func validated() throws(ValidationFailure) -> ProviderProfile {
        var v = Validator()
        let name = v.required(name, "name", label: "den Namen des Trägers")
        let address = address.validated(into: &v)
        let tax = v.required(taxNumber, "taxNumber", label: "die Steuernummer", maxLength: 30)
        var iban: String?
        if let raw = v.required(self.iban, "iban", label: "die IBAN", maxLength: 42) {
            iban = IBAN.normalized(raw)
            if iban == nil { v.add("iban", "Die IBAN ist ungültig (Prüfziffer oder Länge stimmt nicht).") }
        }
        var bic = v.optional(self.bic, "bic", label: "die BIC", maxLength: 11)?.uppercased()
        if let value = bic, !(value.count == 8 || value.count == 11) || !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            v.add("bic", "Die BIC muss 8 oder 11 Buchstaben und Ziffern haben.")
            bic = nil
        }
        let bank = v.optional(bankName, "bankName", label: "den Namen der Bank")
        let email = v.email(email, "email")
        let phone = v.optional(phone, "phone", label: "die Telefonnummer", maxLength: 40)
        let productive = v.integer(productivePercent, "productivePercent", label: "den produktiven Anteil (Prozent)", range: 30...100)
        let alertDays = v.integer(requestAlertDays, "requestAlertDays", label: "die Tage bis zum Hinweis auf offene Anfragen", range: 1...90)
        try v.finish()
        var profile = ProviderProfile(name: name!, address: address!, taxNumber: tax!, iban: iban!,
                                      bic: bic, bankName: bank, email: email, phone: phone)
        profile.productivePercent = productive ?? Capacity.defaultProductivePercent
        profile.requestAlertDays = alertDays ?? IntakeRules.defaultAlertDays
        return profile
    }
}
