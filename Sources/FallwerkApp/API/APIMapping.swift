import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation

// Generated API types ↔ domain inputs and store records. Fluent models never appear here.
typealias Schemas = Components.Schemas

extension Schemas.Address {
    init(_ a: Address) { self.init(street: a.street, postalCode: a.postalCode, city: a.city) }
    var input: AddressInput { AddressInput(street: street, postalCode: postalCode, city: city) }
}

extension Schemas.YouthOfficeInput {
    var input: YouthOfficeInput {
        var input = YouthOfficeInput()
        input.name = name
        input.leitwegId = leitwegId
        input.address = address.input
        input.email = email
        input.phone = phone
        input.contacts = (contacts ?? []).map {
            ContactPersonInput(name: $0.name, phone: $0.phone, email: $0.email,
                               deputyName: $0.deputyName, deputyPhone: $0.deputyPhone, deputyEmail: $0.deputyEmail)
        }
        return input
    }
}

extension Schemas.YouthOffice {
    init(_ r: YouthOfficeRecord) {
        let o = r.office
        self.init(id: r.id.apiID, name: o.name, leitwegId: o.leitwegId, address: .init(o.address),
                  email: o.email, phone: o.phone,
                  contacts: o.contacts.map {
                      .init(name: $0.name, phone: $0.phone, email: $0.email,
                            deputyName: $0.deputyName, deputyPhone: $0.deputyPhone, deputyEmail: $0.deputyEmail)
                  })
    }
}

extension Schemas.OfferInput {
    var input: OfferInput {
        var input = OfferInput()
        input.name = name
        input.legalBasis = legalBasis
        input.description = description
        input.firstReviewMonths = firstReviewMonths
        input.onboardingDayHours = onboardingDayHours
        input.requiredQualification = requiredQualification?.rawValue
        return input
    }
}

extension Schemas.Offer {
    init(_ r: OfferRecord) {
        let o = r.offer
        self.init(id: r.id.apiID, name: o.name, legalBasis: o.legalBasis, description: o.description,
                  firstReviewMonths: o.firstReviewMonths,
                  onboardingDayHours: o.onboardingDayMinutes.map { Minutes($0).hoursString },
                  requiredQualification: o.requiredQualification.flatMap { .init(rawValue: $0.rawValue) })
    }
}

extension Schemas.AgreementSettingsInput {
    var input: AgreementSettingsInput {
        var s = AgreementSettingsInput()
        s.firstReviewMonths = firstReviewMonths
        s.reviewIntervalMonths = reviewIntervalMonths
        s.reportLeadDays = reportLeadDays
        s.planDocumentDays = planDocumentDays
        s.costApprovalDays = costApprovalDays
        s.specificationWeeksFrom = specificationWeeksFrom
        s.specificationWeeksTo = specificationWeeksTo
        s.noContactAlertDays = noContactAlertDays
        s.balancing = balancing?.rawValue
        s.reportHours = reportHours
        s.onboardingDayHours = onboardingDayHours
        s.shortNoticeHours = shortNoticeHours
        s.shortNoticeBillablePercent = shortNoticeBillablePercent
        s.shortNoticeBudgetPercent = shortNoticeBudgetPercent
        s.travelMode = travelMode?.rawValue
        s.travelFlatRate = travelFlatRate
        s.travelRatePerKm = travelRatePerKm
        s.noShowAlertAfter = noShowAlertAfter
        s.roundingMinutes = roundingMinutes
        s.requireClientSignature = requireClientSignature
        s.blockAfterYears = blockAfterYears
        s.deleteAfterAge = deleteAfterAge
        s.invoiceRetentionYears = invoiceRetentionYears
        return s
    }
}

extension Schemas.AgreementSettings {
    init(_ s: AgreementSettings) {
        self.init(
            firstReviewMonths: s.firstReviewMonths, reviewIntervalMonths: s.reviewIntervalMonths,
            reportLeadDays: s.reportLeadDays, planDocumentDays: s.planDocumentDays, costApprovalDays: s.costApprovalDays,
            specificationWeeksFrom: s.specificationWeeksFrom, specificationWeeksTo: s.specificationWeeksTo,
            noContactAlertDays: s.noContactAlertDays, balancing: .init(rawValue: s.balancing.rawValue)!,
            reportHours: Minutes(s.reportMinutes).hoursString, onboardingDayHours: Minutes(s.onboardingDayMinutes).hoursString,
            shortNoticeHours: s.shortNoticeHours, shortNoticeBillablePercent: s.shortNoticeBillablePercent,
            shortNoticeBudgetPercent: s.shortNoticeBudgetPercent, travelMode: .init(rawValue: s.travelMode.rawValue)!,
            travelFlatRate: s.travelFlatRate.decimalString, travelRatePerKm: s.travelRatePerKm.decimalString,
            noShowAlertAfter: s.noShowAlertAfter, roundingMinutes: s.roundingMinutes,
            requireClientSignature: s.requireClientSignature, blockAfterYears: s.blockAfterYears,
            deleteAfterAge: s.deleteAfterAge, invoiceRetentionYears: s.invoiceRetentionYears
        )
    }
}

extension Schemas.AgreementInput {
    var draft: AgreementDraft {
        var draft = AgreementDraft()
        draft.youthOfficeId = youthOfficeId
        draft.offerIds = rates.map(\.offerId)
        draft.terms.validFrom = validFrom
        draft.terms.validTo = validTo
        draft.terms.hourlyRates = rates.map(\.hourlyRate)
        draft.terms.settings = settings?.input ?? AgreementSettingsInput()
        return draft
    }
}

extension Schemas.Agreement {
    init(_ r: AgreementRecord) {
        self.init(id: r.id.apiID, youthOfficeId: r.youthOfficeID.apiID, youthOfficeName: r.youthOfficeName,
                  validFrom: r.validFrom.iso, validTo: r.validTo?.iso,
                  rates: r.rates.map { .init(offerId: $0.offerID.apiID, offerName: $0.offerName, hourlyRate: $0.hourlyRate.decimalString) },
                  settings: .init(r.settings))
    }
}

extension Schemas.TeamInput {
    var draft: TeamDraft {
        var draft = TeamDraft()
        draft.team = TeamInput(name: name, location: location)
        draft.leadStaffId = leadStaffId
        return draft
    }
}

extension Schemas.Team {
    init(_ r: TeamRecord) {
        self.init(id: r.id.apiID, name: r.name, location: r.location, leadStaffId: r.leadStaffID?.apiID,
                  leadName: r.leadName, memberCount: r.memberCount)
    }
}

extension Schemas.StaffInput {
    var draft: StaffDraft {
        var draft = StaffDraft()
        draft.staff.firstName = firstName
        draft.staff.lastName = lastName
        draft.staff.weeklyHours = weeklyHours
        draft.staff.qualification = qualification.rawValue
        draft.staff.email = email
        draft.staff.inductionCompleted = inductionCompleted
        draft.staff.leavingDate = leavingDate
        draft.teamId = teamId
        draft.userId = userId
        return draft
    }
}

extension Schemas.StaffMember {
    init(_ r: StaffRecord) {
        let m = r.member
        self.init(id: r.id.apiID, firstName: m.firstName, lastName: m.lastName,
                  weeklyHours: Minutes(m.weeklyMinutes).hoursString, teamId: r.teamID.apiID, teamName: r.teamName,
                  qualification: .init(rawValue: m.qualification.rawValue)!, email: m.email,
                  userId: r.userID?.apiID, username: r.username, inductionCompleted: m.inductionCompleted?.iso,
                  leavingDate: m.leavingDate?.iso)
    }
}

extension Schemas.Provider {
    init(_ p: ProviderProfile) {
        self.init(name: p.name, address: .init(p.address), taxNumber: p.taxNumber, iban: p.iban, bic: p.bic,
                  bankName: p.bankName, email: p.email, phone: p.phone, productivePercent: p.productivePercent, requestAlertDays: p.requestAlertDays)
    }

    var input: ProviderInput {
        var input = ProviderInput()
        input.name = name
        input.address = address.input
        input.taxNumber = taxNumber
        input.iban = iban
        input.bic = bic
        input.bankName = bankName
        input.email = email
        input.phone = phone
        input.productivePercent = productivePercent
        input.requestAlertDays = requestAlertDays
        return input
    }
}

extension Schemas.User {
    init(_ r: UserRecord) {
        self.init(id: r.id.apiID, username: r.username, displayName: r.displayName,
                  roles: r.roles.sorted().map { .init(rawValue: $0.rawValue)! }, isActive: r.isActive, deactivatedAt: r.deactivatedAt)
    }
}

extension Schemas.AuditEntry {
    init(_ r: AuditRecord) {
        self.init(id: r.id.apiID, at: r.at, username: r.username, action: r.action, entity: r.entity,
                  entityId: r.entityID,
                  changes: .init(additionalProperties: r.changes.mapValues { .init(from: $0.from, to: $0.to) }))
    }
}

extension UUID {
    /// Ids in the API are lower-case UUIDs, as in the page URLs; either case is accepted on input.
    var apiID: String { lowercasedIDText }
}
