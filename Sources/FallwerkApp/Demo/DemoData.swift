import FallwerkDomain
import FallwerkStore
import Fluent
import Vapor

/// A fictional provider that exercises every seed: two teams at two locations, ten staff, two
/// youth offices with different agreements, the four offers of the seeds, and a login per role.
/// Every name, address, tax number and account is invented.
public enum DemoData {
    public static let password = "fallwerk-demo"

    public static let logins: [(username: String, roles: [Role], name: String)] = [
        ("admin", [.admin], "Ada Administration"),
        ("leitung", [.management], "Dr. Lena Brandt"),
        ("teamleitung", [.teamLead, .caseworker], "Tobias Kern"),
        ("fachkraft", [.caseworker], "Mara Yilmaz"),
        ("verwaltung", [.accounting], "Jonas Feld"),
    ]

    /// Fills an empty database. Returns false (and changes nothing) when there are users already.
    @discardableResult
    public static func seed(on db: any Database, hash: @escaping @Sendable (String) async throws -> String, now: Date) async throws -> Bool {
        guard try await UserStore.count(on: db) == 0 else { return false }
        let context = WriteContext(actor: AuditActor(userID: nil, username: "demo"), now: now)

        var userIDs: [String: UUID] = [:]
        for login in logins {
            userIDs[login.username] = try await UserStore.save(
                UserInput(username: login.username, displayName: login.name, roles: login.roles.map(\.rawValue), password: password),
                hash: hash, context: context, on: db)
        }

        var provider = ProviderInput()
        provider.name = "Lebenswege Ambulante Jugendhilfe gGmbH"
        provider.address = AddressInput(street: "Lindenweg 12", postalCode: "58636", city: "Iserlohn")
        provider.taxNumber = "332/5790/0815"
        provider.iban = "DE02 1203 0000 0000 2020 51"
        provider.bic = "BYLADEM1001"
        provider.bankName = "Beispielbank"
        provider.email = "abrechnung@lebenswege.example"
        provider.phone = "02371 000 100"
        try await ProviderStore.save(provider, context: context, on: db)

        // Two teams at two locations; leads are set once the staff exist.
        let teamNorth = try await TeamStore.save(team("Team Iserlohn", "Iserlohn, Lindenweg 12"), context: context, on: db)
        let teamSouth = try await TeamStore.save(team("Team Oer-Erkenschwick", "Oer-Erkenschwick, Am Stimberg 3"), context: context, on: db)

        let people: [(String, String, Qualification, String, UUID, String?)] = [
            ("Tobias", "Kern", .socialWorker, "39", teamNorth, "teamleitung"),
            ("Mara", "Yilmaz", .socialWorker, "39", teamNorth, "fachkraft"),
            ("Jan", "Oberhaus", .educationScientist, "30", teamNorth, nil),
            ("Friederike", "Lang", .educator, "39", teamNorth, nil),
            ("Selin", "Aydın", .homeEconomist, "25", teamNorth, nil),
            ("Katrin", "Wessel", .socialWorker, "39", teamSouth, nil),
            ("Paul", "Niehaus", .socialWorker, "19.5", teamSouth, nil),
            ("Greta", "Sommer", .psychologist, "20", teamSouth, nil),
            ("Emil", "Brückner", .educator, "39", teamSouth, nil),
            ("Nadine", "Horstmann", .socialWorker, "32", teamSouth, nil),
        ]
        var staffIDs: [UUID] = []
        for (first, last, qualification, hours, teamID, login) in people {
            var draft = StaffDraft()
            draft.staff.firstName = first
            draft.staff.lastName = last
            draft.staff.qualification = qualification.rawValue
            draft.staff.weeklyHours = hours
            draft.staff.email = "\(first.lowercased()).\(last.lowercased().replacingOccurrences(of: "ı", with: "i").replacingOccurrences(of: "ü", with: "ue"))@lebenswege.example"
            draft.staff.inductionCompleted = "2025-03-01"
            draft.teamId = teamID.uuidString
            draft.userId = login.flatMap { userIDs[$0] }?.uuidString
            staffIDs.append(try await StaffStore.save(draft, context: context, on: db))
        }
        // A newcomer still in induction (R25): may co-work, not lead yet.
        var newcomer = StaffDraft()
        newcomer.staff.firstName = "Lina"
        newcomer.staff.lastName = "Brandes"
        newcomer.staff.qualification = Qualification.socialWorker.rawValue
        newcomer.staff.weeklyHours = "39"
        newcomer.staff.email = "lina.brandes@lebenswege.example"
        newcomer.teamId = teamSouth.uuidString
        let newcomerID = try await StaffStore.save(newcomer, context: context, on: db)
        var north = team("Team Iserlohn", "Iserlohn, Lindenweg 12")
        north.leadStaffId = staffIDs[0].uuidString
        try await TeamStore.save(north, id: teamNorth, context: context, on: db)
        var south = team("Team Oer-Erkenschwick", "Oer-Erkenschwick, Am Stimberg 3")
        south.leadStaffId = staffIDs[5].uuidString
        try await TeamStore.save(south, id: teamSouth, context: context, on: db)

        // The four offers of the seeds.
        let individual = try await OfferStore.save(offer(
            "Einzelfallhilfe mit Einstiegstag", "§ 27 i. V. m. § 30 SGB VIII",
            "Einzelfallhilfe für junge Menschen; ein Einstiegstag (10 FLS: 7,5 direkt, 2,5 Vor- und Nachbereitung) zum Kennenlernen [000].",
            onboardingHours: "10"), context: context, on: db)
        let mopaed = try await OfferStore.save(offer(
            "Mobile Pädagogische Dienste – Familienhilfe (MoPäD)", "§ 27 i. V. m. §§ 30, 31, 41 SGB VIII",
            "Aufsuchende Familienhilfe; 8 Wochen Kennenlernphase, erste Hilfeplanüberprüfung nach 3 Monaten [001].",
            firstReview: 3), context: context, on: db)
        let everyday = try await OfferStore.save(offer(
            "Alltagstraining / Alltagsbegleitung im Haushalt", "§ 27 Abs. 2 i. V. m. § 20 SGB VIII",
            "Anleitung des Familiensystems im eigenen Haushalt; Kontingent je Woche, Monat oder Halbjahr [002].",
            qualification: .homeEconomist), context: context, on: db)
        let aftercare = try await OfferStore.save(offer(
            "Nachbetreuung nach stationärer Hilfe", "§§ 35, 41, 41a SGB VIII",
            "Begleitung in die Verselbständigung nach einer stationären Hilfe; monatlicher Kontakt zu Sorgeberechtigten bei Minderjährigen [003]."),
            context: context, on: db)

        // Youth office A follows the quality agreement of seed 004 (whole-period budget,
        // signature required, flat rate per home visit); youth office B differs on purpose.
        let officeA = try await YouthOfficeStore.save(office(
            "Jugendamt der Stadt Elbhausen", "Breiter Weg 40", "39104", "Elbhausen", coarse: "15003000", fine: "JA51",
            contact: ContactPersonInput(name: "Frau Schubert", phone: "0391 000 5101", email: "schubert@jugendamt.elbhausen.example",
                                        deputyName: "Herr Albrecht", deputyPhone: "0391 000 5102", deputyEmail: "albrecht@jugendamt.elbhausen.example")),
            context: context, on: db)
        let officeB = try await YouthOfficeStore.save(office(
            "Kreisjugendamt Märkisches Bergland", "Hagener Straße 7", "58762", "Altena", coarse: "05962000", fine: "JUGEND",
            contact: ContactPersonInput(name: "Herr Demir", phone: "02352 000 210", email: "demir@kreis-bergland.example",
                                        deputyName: "Frau Kowalski", deputyPhone: "02352 000 211")),
            context: context, on: db)

        var a = AgreementDraft()
        a.youthOfficeId = officeA.uuidString
        a.terms.validFrom = "2026-01-01"
        a.terms.validTo = "2026-12-31"
        a.offerIds = [individual, mopaed, everyday, aftercare].map(\.uuidString)
        a.terms.hourlyRates = ["62.40", "64.15", "48.90", "60.00"]
        a.terms.settings.balancing = Balancing.wholePeriod.rawValue
        a.terms.settings.travelMode = TravelMode.perVisit.rawValue
        a.terms.settings.travelFlatRate = "6.50"
        try await AgreementStore.save(a, context: context, on: db)

        var b = AgreementDraft()
        b.youthOfficeId = officeB.uuidString
        b.terms.validFrom = "2026-01-01"
        b.offerIds = [individual, mopaed, everyday, aftercare].map(\.uuidString)
        b.terms.hourlyRates = ["59.80", "61.20", "46.50", "58.30"]
        b.terms.settings.roundingMinutes = 15
        b.terms.settings.requireClientSignature = false
        b.terms.settings.travelMode = TravelMode.perKm.rawValue
        b.terms.settings.travelRatePerKm = "0.30"
        b.terms.settings.firstReviewMonths = 6
        try await AgreementStore.save(b, context: context, on: db)

        let ids = DemoCases.Ids(staff: staffIDs, officeA: officeA, officeB: officeB, offers: [individual, mopaed, everyday, aftercare])
        let today = BerlinTime.local(now).day
        try await DemoCases.fill(ids, today: today, context: context, on: db)
        let management = Viewer(userID: userIDs["leitung"]!, roles: [.management], staffID: nil, ledTeamIDs: [])
        try await DemoStaffing.write(ids: ids, newcomer: newcomerID, viewer: management, today: today, context: context, on: db)
        return true
    }

    static func team(_ name: String, _ location: String) -> TeamDraft {
        var draft = TeamDraft()
        draft.team = TeamInput(name: name, location: location)
        return draft
    }

    static func offer(_ name: String, _ basis: String, _ description: String, firstReview: Int? = nil,
                      onboardingHours: String? = nil, qualification: Qualification? = nil) -> OfferInput {
        var input = OfferInput()
        input.name = name
        input.legalBasis = basis
        input.description = description
        input.firstReviewMonths = firstReview
        input.onboardingDayHours = onboardingHours
        input.requiredQualification = qualification?.rawValue
        return input
    }

    static func office(_ name: String, _ street: String, _ postal: String, _ city: String, coarse: String, fine: String,
                       contact: ContactPersonInput) -> YouthOfficeInput {
        var input = YouthOfficeInput()
        input.name = name
        input.address = AddressInput(street: street, postalCode: postal, city: city)
        input.leitwegId = "\(coarse)-\(fine)-\(LeitwegID.checkDigits(for: coarse + fine))"
        input.contacts = [contact]
        return input
    }
}
