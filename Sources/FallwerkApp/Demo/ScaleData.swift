import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// The reference data set "large provider" of SPEC.md (performance targets): 300 staff,
/// 3,000 running cases and five years of history, about 2.3 million service entries.
///
/// It starts from the ordinary demo provider (logins, agreements, the 25 demo cases) and adds the
/// rest in bulk: multi-row inserts of Fluent models, counted by the same domain rules as the
/// pages (`ServiceRules.count`, R10) and budgeted by `BudgetLedger` (R9), so the billing run
/// measured on it does exactly the work it does in production. Fictional and deterministic:
/// the same size and day give the same data.
public enum ScaleData {
    public struct Size: Sendable {
        public var staff: Int
        public var runningCases: Int
        public var years: Int
        public var entries: Int

        public static let large = Size(staff: 300, runningCases: 3_000, years: 5, entries: 2_300_000)
        public static let small = Size(staff: 30, runningCases: 300, years: 2, entries: 60_000)

        public init(staff: Int, runningCases: Int, years: Int, entries: Int) {
            self.staff = staff
            self.runningCases = runningCases
            self.years = years
            self.entries = entries
        }
    }

    public struct Summary: Sendable {
        public var staff = 0
        public var cases = 0
        public var runningCases = 0
        public var entries = 0
    }

    /// Fills an empty database; returns nil (and changes nothing) when it holds users already.
    public static func generate(_ size: Size, on db: any Database, hash: @escaping @Sendable (String) async throws -> String, now: Date,
                                progress: @Sendable (String) -> Void = { _ in }) async throws -> Summary? {
        guard try await DemoData.seed(on: db, hash: hash, now: now) else { return nil }
        let today = BerlinTime.local(now).day
        let context = WriteContext(actor: AuditActor(userID: nil, username: "demo"), now: now)
        let first = Day(year: today.year - size.years, month: 1, day: 1)!
        try await addHistoryAgreements(from: first, context: context, on: db)
        let staff = try await addStaff(size.staff, context: context, on: db)
        progress("\(staff.count) Fachkräfte")
        var generator = Generator(seed: 20_261_202)
        let plans = planCases(size, first: first, today: today, staff: staff, offers: try await OfferModel.query(on: db).all(),
                              offices: try await YouthOfficeModel.query(on: db).sort(\.$name).all(), generator: &generator)
        let creator = try await UserModel.query(on: db).filter(\.$username == "admin").first()?.requireID() ?? UUID()
        var summary = Summary(staff: staff.count, cases: plans.count, runningCases: plans.filter { $0.end == nil }.count)
        for (index, chunk) in plans.chunked(250).enumerated() {
            summary.entries += try await write(Array(chunk), today: today, creator: creator, generator: &generator, on: db)
            if index % 8 == 7 { progress("\((index + 1) * 250) Fälle, \(summary.entries) Leistungseinträge") }
        }
        return summary
    }

    // MARK: - Master data

    /// Agreements for the years before the demo's 2026 agreements, so every historic entry has a rate.
    static func addHistoryAgreements(from first: Day, context: WriteContext, on db: any Database) async throws {
        let offers = try await OfferModel.query(on: db).sort(\.$name).all()
        for office in try await YouthOfficeModel.query(on: db).all() {
            var draft = AgreementDraft()
            draft.youthOfficeId = try office.requireID().uuidString
            draft.terms.validFrom = first.iso
            draft.terms.validTo = "2025-12-31"
            draft.offerIds = try offers.map { try $0.requireID().uuidString }
            draft.terms.hourlyRates = offers.indices.map { ["55.20", "57.80", "44.10", "53.90"][$0 % 4] }
            draft.terms.settings.travelMode = TravelMode.perVisit.rawValue
            draft.terms.settings.travelFlatRate = "5.80"
            try await AgreementStore.save(draft, context: context, on: db)
        }
    }

    struct StaffMember { let id: UUID; let teamID: UUID }

    static func addStaff(_ count: Int, context: WriteContext, on db: any Database) async throws -> [StaffMember] {
        var teams = try await TeamModel.query(on: db).all().map { try $0.requireID() }
        let locations = ["Hagen", "Dortmund", "Bochum", "Recklinghausen", "Unna", "Lüdenscheid", "Menden", "Witten", "Schwerte", "Hamm"]
        for location in locations.prefix(max(0, count / 30 - teams.count)) {
            var draft = TeamDraft()
            draft.team = TeamInput(name: "Team \(location)", location: location)
            teams.append(try await TeamStore.save(draft, context: context, on: db))
        }
        var members = try await StaffModel.query(on: db).all().map { StaffMember(id: try $0.requireID(), teamID: $0.$team.id) }
        var models: [StaffModel] = []
        let firstNames = ["Anna", "Ben", "Clara", "David", "Eva", "Finn", "Gül", "Hanna", "Ilias", "Jana", "Kemal", "Lea", "Milan", "Nora", "Ole"]
        let lastNames = ["Arnold", "Berger", "Conrad", "Dietz", "Engel", "Fuchs", "Graf", "Hahn", "Iske", "Jung", "Keller", "Lorenz", "Marx"]
        for index in members.count..<count {
            let model = StaffModel()
            model.id = UUID()
            model.firstName = firstNames[index % firstNames.count]
            model.lastName = "\(lastNames[(index / firstNames.count) % lastNames.count])-\(index)"
            model.qualification = Qualification.allCases[index % 5].rawValue
            model.weeklyMinutes = [39, 39, 30, 25, 19][index % 5] * 60 + (index % 5 == 4 ? 30 : 0)
            model.$team.id = teams[index % teams.count]
            model.inductionCompleted = "2024-01-15"
            models.append(model)
            members.append(StaffMember(id: model.id!, teamID: model.$team.id))
        }
        for chunk in models.chunked(500) { try await Array(chunk).create(on: db) }
        return members
    }

    // MARK: - Cases

    struct CasePlan {
        let id: UUID
        let fileNumber: String
        let officeID: UUID
        let offerID: UUID
        let lead: StaffMember
        let start: Day
        let end: Day?
        /// Weekly appointments, and the hours approved per month (a few cases run over, R9).
        let perWeek: Int
        let monthlyMinutes: Int
    }

    /// Running cases started up to three years ago; ended cases fill the years before, until the
    /// entries reach the target. About three appointments a week per case.
    static func planCases(_ size: Size, first: Day, today: Day, staff: [StaffMember], offers: [OfferModel], offices: [YouthOfficeModel],
                          generator: inout Generator) -> [CasePlan] {
        var plans: [CasePlan] = []
        var expected = 0
        func add(start: Day, end: Day?) {
            let index = plans.count
            let perWeek = 2 + generator.next(3)
            let tight = generator.next(40) == 0
            let plan = CasePlan(
                id: UUID(), fileNumber: "GR-\(start.year)-\(String(100_000 + index).suffix(5))",
                officeID: offices[index % offices.count].id!, offerID: offers[index % offers.count].id!,
                lead: staff[index % staff.count], start: start, end: end, perWeek: perWeek,
                monthlyMinutes: tight ? perWeek * 4 * 45 : perWeek * 5 * 90)
            plans.append(plan)
            expected += (start.days(until: end ?? today) / 7) * perWeek
        }
        let span = first.days(until: today)
        for _ in 0..<size.runningCases {
            add(start: today.adding(days: -(7 + generator.next(min(span, 3 * 365) - 7))), end: nil)
        }
        while expected < size.entries {
            let start = first.adding(days: generator.next(max(1, span - 200)))
            let end = min(start.adding(days: 180 + generator.next(540)), today.adding(days: -1))
            add(start: start, end: end)
        }
        return plans
    }

    /// Writes a chunk of cases with their people, lead, approvals and entries; returns the entries written.
    static func write(_ plans: [CasePlan], today: Day, creator: UUID, generator: inout Generator, on db: any Database) async throws -> Int {
        let books = try await SettingsBook.load(youthOfficeIDs: Set(plans.map(\.officeID)), on: db)
        var cases: [CaseModel] = [], persons: [CasePersonModel] = [], assignments: [CaseAssignmentModel] = []
        var approvals: [ApprovalModel] = [], entries: [ServiceEntryModel] = []
        for plan in plans {
            let model = CaseModel()
            model.id = plan.id
            model.fileNumber = plan.fileNumber
            model.$youthOffice.id = plan.officeID
            model.$offer.id = plan.offerID
            model.$team.id = plan.lead.teamID
            model.startDate = plan.start.iso
            model.endDate = plan.end?.iso
            model.endReason = plan.end.map { _ in EndReason.goalsReached.rawValue }
            let youngPerson = person(plan, generator: &generator)
            model.sortName = CaseSearch.sortName(lastName: youngPerson.lastName, firstName: youngPerson.firstName)
            model.searchText = CaseSearch.text(fileNumber: plan.fileNumber, names: ["\(youngPerson.firstName) \(youngPerson.lastName)"])
            cases.append(model)
            persons.append(youngPerson)
            let lead = CaseAssignmentModel()
            lead.id = UUID()
            lead.$case.id = plan.id
            lead.$staff.id = plan.lead.id
            lead.role = AssignmentRole.lead.rawValue
            assignments.append(lead)
            approvals += halfYearApprovals(plan, today: today)
            entries += appointments(plan, book: books[plan.officeID], today: today, creator: creator, generator: &generator)
        }
        try await db.writeTransaction { [cases, persons, assignments, approvals, entries] db in
            for chunk in cases.chunked(500) { try await Array(chunk).create(on: db) }
            for chunk in persons.chunked(500) { try await Array(chunk).create(on: db) }
            for chunk in assignments.chunked(500) { try await Array(chunk).create(on: db) }
            for chunk in approvals.chunked(500) { try await Array(chunk).create(on: db) }
            for chunk in entries.chunked(1_000) { try await Array(chunk).create(on: db) }
            try await BilledMinutes.refresh(caseIDs: Set(plans.map(\.id)), on: db)
        }
        return entries.count
    }

    static func person(_ plan: CasePlan, generator: inout Generator) -> CasePersonModel {
        let row = CasePersonModel()
        row.id = UUID()
        row.$case.id = plan.id
        row.role = "youngPerson"
        row.position = 0
        row.firstName = ["Lina", "Noah", "Emilia", "Paul", "Ida", "Elias", "Mila", "Leon", "Sophie", "Yusuf"][generator.next(10)]
        row.lastName = ["Albers", "Brandt", "Cordes", "Dreyer", "Ebert", "Franke", "Gerdes", "Hoppe"][generator.next(8)]
        row.birthDate = plan.start.adding(days: -(365 * (6 + generator.next(11)))).iso
        return row
    }

    /// Consecutive half-year approvals over the case, hours per month (SPEC: budgets per unit, R8).
    static func halfYearApprovals(_ plan: CasePlan, today: Day) -> [ApprovalModel] {
        var result: [ApprovalModel] = []
        var from = plan.start
        let last = plan.end ?? today.adding(days: 90)
        while from <= last {
            let to = min(from.adding(months: 6).adding(days: -1), last)
            let model = ApprovalModel()
            model.id = UUID()
            model.$case.id = plan.id
            model.fromDate = from.iso
            model.toDate = to.iso
            model.minutesPerUnit = plan.monthlyMinutes
            model.unit = BudgetUnit.month.rawValue
            model.namedStaffIDs = plan.lead.id.uuidString
            result.append(model)
            from = to.adding(days: 1)
        }
        return result
    }

    /// Appointments on working days: mostly home visits, some institutions and indirect work, the
    /// odd cancellation, no-show and crisis, and a progress report every six months.
    static func appointments(_ plan: CasePlan, book: SettingsBook?, today: Day, creator: UUID, generator: inout Generator) -> [ServiceEntryModel] {
        var result: [ServiceEntryModel] = []
        let last = min(plan.end ?? today, today)
        var week = plan.start
        var number = 0
        while week <= last {
            for slot in 0..<plan.perWeek {
                let day = week.adding(days: (slot * 2 + generator.next(2)) % 5)
                guard day <= last, day >= plan.start else { continue }
                number += 1
                var facts = EntryFacts(kind: .direct, date: day, start: TimeOfDay(minuteOfDay: 8 * 60 + 30 * generator.next(18))!,
                                       minutes: [45, 60, 60, 90, 90, 120][generator.next(6)], homeVisit: true, kilometres: 3 + generator.next(25))
                switch generator.next(100) {
                case 0..<12: facts.kind = .institution; facts.homeVisit = false
                case 12..<20: facts.kind = .indirect; facts.homeVisit = false
                case 20..<22: facts.kind = .planningMeeting; facts.homeVisit = false
                case 22..<25:
                    facts.kind = .cancelled
                    facts.cancelledBy = .client
                    facts.cancelledAt = facts.startInstant.addingTimeInterval(-Double(3_600 * (2 + generator.next(60))))
                    facts.homeVisit = false
                case 25..<27: facts.kind = .noShow
                case 27: facts.kind = .crisis
                case 28..<40: facts.homeVisit = false
                default: break
                }
                if number % (plan.perWeek * 26) == 0 { facts.kind = .report; facts.homeVisit = false; facts.minutes = 120 }
                let settings = book?.settings(on: day, offerID: plan.offerID) ?? AgreementSettings()
                let count = ServiceRules.count(facts, settings: settings)
                let model = ServiceEntryModel()
                model.id = UUID()
                model.$case.id = plan.id
                model.$staff.id = plan.lead.id
                model.date = day.iso
                model.startMinute = facts.start.minuteOfDay
                model.minutes = facts.minutes
                model.kind = facts.kind.rawValue
                model.cancelledBy = facts.cancelledBy?.rawValue
                model.cancelledAt = facts.cancelledAt
                model.homeVisit = facts.homeVisit
                model.kilometres = facts.homeVisit ? facts.kilometres : nil
                model.guardianContact = false
                model.billableMinutes = count.billableMinutes
                model.budgetMinutes = count.budgetMinutes
                model.billedMinutes = count.billableMinutes
                model.onboardingMinutes = count.onboardingMinutes
                model.travelCents = count.travel.value
                model.billedTravelCents = count.travel.value
                model.createdBy = creator
                result.append(model)
            }
            week = week.adding(days: 7)
        }
        return result
    }
}

/// A small deterministic random number generator (SplitMix64): the same seed gives the same data.
struct Generator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(max(bound, 1)))
    }
}
