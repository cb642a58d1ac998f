import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// About 25 fictional cases with six months of history up to `today`, written through the same stores
/// (and so the same checks) as users' input. Deterministic: the same `today` gives the same demo; no
/// wall clock, no system randomness.
///
/// Most cases run quietly; a few tell a story that makes each alert appear (R7a, R9, R12, approvals).
/// The work is planned first (a day plan per staff member, so nobody is in two places at once), then
/// recorded, and the approvals are sized to the recorded work, so that only the stories go over budget.
enum DemoCases {
    struct Ids {
        let staff: [UUID]            // 0–4 team Iserlohn (0 leads it, 1 is "fachkraft"), 5–9 team Oer-Erkenschwick (5 leads it)
        let officeA: UUID            // whole-period budget, flat rate per home visit
        let officeB: UUID            // per-unit budget, 15-minute rounding, per km
        let offers: [UUID]           // individual help (orientation day), MoPäD, everyday training, aftercare
    }

    /// What a case is there to show.
    enum Story: Sendable {
        case ordinary
        /// R12: the latest appointments all failed on the client's side.
        case stopsCooperating
        /// R9: the hours were cut at the last review, the family needed more; no increase asked for.
        case overBudget
        /// R9: a crisis in the second half of last month went beyond the budget; the youth office's confirmation is missing.
        case crisis
        /// The follow-up approval has not arrived; work goes on.
        case noApproval
        /// The approval ends in ten days and none follows yet.
        case approvalEnding
        /// R7a: the family has not been reached for three weeks.
        case silent
        /// Ended two months ago, goals reached, with its final report.
        case ended
        /// A budget per week (seed 002).
        case weekly
        /// A budget per half-year (seed 002).
        case halfYear
        /// R9: more work last month, confirmed by the youth office and recorded as an increase.
        case increase
    }

    struct Plan: Sendable {
        let first: String, last: String
        /// Age today.
        let age: Int
        let guardians: [Guardian]
        let office: Int, offer: Int, lead: Int, coWorker: Int?
        let startDaysAgo: Int
        var story: Story = .ordinary
    }

    struct Guardian: Sendable {
        let first: String, last: String, relation: String
    }

    static func guardian(_ first: String, _ last: String, _ relation: String) -> Guardian {
        Guardian(first: first, last: last, relation: relation)
    }

    /// Children and teenagers for the family help, the individual help and the everyday training;
    /// 18 to 21 for aftercare. Staff 1 ("fachkraft") leads five cases and co-works on one.
    static let plans: [Plan] = [
        Plan(first: "Lena", last: "Sommerfeld", age: 14, guardians: [guardian("Sabine", "Sommerfeld", "Mutter")],
             office: 0, offer: 0, lead: 1, coWorker: nil, startDaysAgo: 170),
        Plan(first: "Jonas", last: "Albers", age: 11, guardians: [guardian("Petra", "Albers", "Mutter"), guardian("Uwe", "Albers", "Vater")],
             office: 1, offer: 1, lead: 1, coWorker: 2, startDaysAgo: 150, story: .overBudget),
        Plan(first: "Mia", last: "Krüger", age: 9, guardians: [guardian("Dennis", "Krüger", "Vater")],
             office: 0, offer: 1, lead: 1, coWorker: nil, startDaysAgo: 120, story: .stopsCooperating),
        Plan(first: "Elias", last: "Neumann", age: 20, guardians: [],
             office: 1, offer: 3, lead: 1, coWorker: nil, startDaysAgo: 200, story: .approvalEnding),
        Plan(first: "Sofia", last: "Wagner", age: 15, guardians: [guardian("Ilona", "Wagner", "Mutter")],
             office: 1, offer: 2, lead: 1, coWorker: nil, startDaysAgo: 90, story: .weekly),
        Plan(first: "Noah", last: "Schulte", age: 13, guardians: [guardian("Ralf", "Schulte", "Vater"), guardian("Sandra", "Schulte", "Mutter")],
             office: 0, offer: 0, lead: 0, coWorker: 1, startDaysAgo: 110),
        Plan(first: "Emma", last: "Hoffmann", age: 8, guardians: [guardian("Jana", "Hoffmann", "Mutter")],
             office: 1, offer: 1, lead: 0, coWorker: nil, startDaysAgo: 180, story: .crisis),
        Plan(first: "Ben", last: "Richter", age: 16, guardians: [guardian("Olga", "Richter", "Mutter")],
             office: 0, offer: 2, lead: 0, coWorker: nil, startDaysAgo: 140, story: .noApproval),
        Plan(first: "Hannah", last: "Becker", age: 12, guardians: [guardian("Stefan", "Becker", "Vater")],
             office: 1, offer: 0, lead: 2, coWorker: nil, startDaysAgo: 160, story: .silent),
        Plan(first: "Luis", last: "Schmitz", age: 10, guardians: [guardian("Anke", "Schmitz", "Mutter")],
             office: 0, offer: 1, lead: 2, coWorker: nil, startDaysAgo: 230, story: .ended),
        Plan(first: "Lea", last: "Koch", age: 19, guardians: [],
             office: 1, offer: 3, lead: 2, coWorker: nil, startDaysAgo: 100),
        Plan(first: "Paul", last: "Wolf", age: 14, guardians: [guardian("Heike", "Wolf", "Mutter")],
             office: 1, offer: 2, lead: 3, coWorker: nil, startDaysAgo: 130, story: .halfYear),
        Plan(first: "Amelie", last: "Schröder", age: 7, guardians: [guardian("Nina", "Schröder", "Mutter")],
             office: 1, offer: 1, lead: 3, coWorker: 4, startDaysAgo: 75, story: .increase),
        Plan(first: "Finn", last: "Meyer", age: 21, guardians: [],
             office: 0, offer: 3, lead: 4, coWorker: nil, startDaysAgo: 160),
        Plan(first: "Clara", last: "Lehmann", age: 15, guardians: [guardian("Doris", "Lehmann", "Großmutter (Vormund)")],
             office: 0, offer: 2, lead: 4, coWorker: nil, startDaysAgo: 60),
        Plan(first: "Leon", last: "Braun", age: 13, guardians: [guardian("Kai", "Braun", "Vater")],
             office: 0, offer: 0, lead: 5, coWorker: nil, startDaysAgo: 190),
        Plan(first: "Marie", last: "Zimmermann", age: 11, guardians: [guardian("Tanja", "Zimmermann", "Mutter")],
             office: 1, offer: 1, lead: 5, coWorker: 6, startDaysAgo: 120),
        Plan(first: "Felix", last: "Hartmann", age: 19, guardians: [],
             office: 0, offer: 3, lead: 6, coWorker: nil, startDaysAgo: 150),
        Plan(first: "Ida", last: "Krause", age: 9, guardians: [guardian("Sven", "Krause", "Vater"), guardian("Melanie", "Krause", "Mutter")],
             office: 1, offer: 0, lead: 6, coWorker: nil, startDaysAgo: 80),
        Plan(first: "Anton", last: "Schmid", age: 16, guardians: [guardian("Eva", "Schmid", "Mutter")],
             office: 0, offer: 2, lead: 7, coWorker: nil, startDaysAgo: 170),
        Plan(first: "Emilia", last: "Fuchs", age: 12, guardians: [guardian("Lars", "Fuchs", "Vater")],
             office: 1, offer: 1, lead: 7, coWorker: nil, startDaysAgo: 100),
        Plan(first: "Theo", last: "Vogel", age: 20, guardians: [],
             office: 0, offer: 3, lead: 8, coWorker: nil, startDaysAgo: 140),
        Plan(first: "Frieda", last: "Peters", age: 14, guardians: [guardian("Ute", "Peters", "Mutter")],
             office: 1, offer: 0, lead: 8, coWorker: nil, startDaysAgo: 50),
        Plan(first: "Karl", last: "Jung", age: 10, guardians: [guardian("Maren", "Jung", "Mutter")],
             office: 0, offer: 1, lead: 9, coWorker: nil, startDaysAgo: 180),
        Plan(first: "Mathilda", last: "Arslan", age: 15, guardians: [guardian("Derya", "Arslan", "Mutter")],
             office: 1, offer: 2, lead: 9, coWorker: nil, startDaysAgo: 120),
    ]

    /// R27: a staff member away, and who does their appointments meanwhile (a substitute, or the co-worker).
    struct Absence: Sendable {
        let staff: Int
        /// Days before today; `to` may lie ahead.
        let fromDaysAgo: Int, toDaysAgo: Int
        /// Case index → staff index.
        let cover: [Int: Int]
    }

    static let absences: [Absence] = [
        // Katrin Wessel's holiday in the summer: Nadine Horstmann substitutes on Leon (expired now),
        // Marie's co-worker Paul Niehaus carries on alone.
        Absence(staff: 5, fromDaysAgo: 120, toDaysAgo: 100, cover: [15: 9, 16: 6]),
        // Paul Niehaus on parental leave since ten days: Nadine Horstmann substitutes (active now).
        Absence(staff: 6, fromDaysAgo: 10, toDaysAgo: -60, cover: [17: 9, 18: 9]),
    ]

    static let groupStaff = [0, 1]
    static let groupCases = [0, 5, 11]

    // MARK: - Writing

    static func fill(_ ids: Ids, today: Day, context: WriteContext, on db: any Database) async throws {
        // One transaction: the stores' own transactions join it, and SQLite writes the file once.
        try await db.writeTransaction { db in
            try await write(ids, today: today, context: context, on: db)
        }
    }

    static func write(_ ids: Ids, today: Day, context: WriteContext, on db: any Database) async throws {
        let managementUser = try await UserModel.query(on: db).filter(\.$username == "leitung").first()?.id
        let viewer = Viewer(userID: managementUser ?? UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
        let schedule = Schedule.make(today: today)

        var caseIDs: [UUID] = []
        for (index, plan) in plans.enumerated() {
            caseIDs.append(try await CaseStore.create(draft(plan, index: index, ids: ids, today: today), context: context, today: today, on: db))
        }
        // R27: substitutes first, so that their work is theirs to record.
        for absence in absences {
            for (caseIndex, staff) in absence.cover.sorted(by: { $0.key < $1.key }) where plans[caseIndex].coWorker != staff {
                try await CaseStore.addSubstitute(caseID: caseIDs[caseIndex], staffID: ids.staff[staff].uuidString,
                                                  from: today.adding(days: -absence.fromDaysAgo).iso, to: today.adding(days: -absence.toDaysAgo).iso,
                                                  context: context, on: db)
            }
        }

        var beyondPlan = Set<UUID>()
        for (index, entries) in schedule.entries.enumerated() {
            for planned in entries.sorted(by: { ($0.day, $0.start) < ($1.day, $1.start) }) {
                let id = try await EntryStore.create(caseID: caseIDs[index], planned.draft(ids), viewer: viewer, context: context, today: today, on: db)
                if planned.beyondPlan { beyondPlan.insert(id) }
            }
        }

        // R10: a group for teenagers, two staff, three cases.
        try await GroupSessionStore.create(
            GroupSessionDraft(date: schedule.group.day.iso, start: TimeOfDay(minuteOfDay: schedule.group.start)!.text, minutes: 90,
                              staffIds: groupStaff.map { ids.staff[$0].uuidString }, caseIds: groupCases.map { caseIDs[$0].uuidString }),
            viewer: viewer, context: context, today: today, on: db)

        for (index, plan) in plans.enumerated() {
            try await approve(plan, index: index, caseID: caseIDs[index], beyondPlan: beyondPlan, ids: ids, viewer: viewer,
                              context: context, today: today, on: db)
        }

        // R6: no store closes a case yet (that belongs to the care plan cycle), so the model does.
        for (index, plan) in plans.enumerated() where plan.story == .ended {
            if let model = try await CaseModel.find(caseIDs[index], on: db) {
                model.endDate = endedOn(today).iso
                model.endReason = EndReason.goalsReached.rawValue
                try await model.update(on: db)
            }
        }
        try await DemoDocumentation.write(caseIDs: caseIDs, ids: ids, viewer: viewer, today: today, context: context, on: db)
        try await DemoCarePlan.write(caseIDs: caseIDs, viewer: viewer, context: context, today: today, on: db)
        try await DemoChildProtection.write(caseIDs: caseIDs, ids: ids, viewer: viewer, today: today, context: context, on: db)
        try await DemoDataProtection.write(caseIDs: caseIDs, ids: ids, viewer: viewer, today: today, context: context, on: db)
    }

    /// The stories with a tight budget start on the first of a month, so no short first month inflates it.
    static func startDate(_ plan: Plan, today: Day) -> Day {
        let day = today.adding(days: -plan.startDaysAgo)
        return plan.story == .crisis || plan.story == .increase ? Month(containing: day).firstDay : day
    }
    static func endedOn(_ today: Day) -> Day { today.adding(days: -60) }
    static func previousMonth(_ today: Day) -> Month { Month(containing: Month(containing: today).firstDay.adding(days: -1)) }

    static func draft(_ plan: Plan, index: Int, ids: Ids, today: Day) -> CaseDraft {
        let start = startDate(plan, today: today)
        var draft = CaseDraft()
        draft.youthOfficeId = (plan.office == 0 ? ids.officeA : ids.officeB).uuidString
        draft.offerId = ids.offers[plan.offer].uuidString
        draft.leadStaffId = ids.staff[plan.lead].uuidString
        draft.coWorkerIds = plan.coWorker.map { [ids.staff[$0].uuidString] } ?? []
        // R26: everyday training asks for a home economist; seed 004 allows experienced specialists case by case.
        if plan.offer == 2 { draft.exceptionReason = "Langjährige Erfahrung in der Alltagsbegleitung; mit dem Jugendamt abgestimmt." }
        let number = 100 + (index * 37) % 400
        draft.input.fileNumber = plan.office == 0
            ? "51.2-\(start.year)-\(String(format: "%04d", number))"
            : "JA 5.3-\(String(format: "%04d", number))/\(start.year)"
        draft.input.startDate = start.iso
        // The age today: a birthday 1 to 11 months ago.
        let birth = today.adding(months: -(plan.age * 12 + 1 + (index * 5) % 11)).adding(days: -(index * 7) % 20)
        draft.input.youngPerson = PersonInput(firstName: plan.first, lastName: plan.last, birthDate: birth.iso)
        draft.input.guardians = plan.guardians.enumerated().map { offset, g in
            PersonInput(firstName: g.first, lastName: g.last, relation: g.relation, phone: "0151 \(String(format: "%03d", 200 + index * 11)) \(4_100 + offset * 7 + index * 53)")
        }
        let caseworkers = plan.office == 0
            ? [("Frau Schubert", "0391 000 5101"), ("Herr Albrecht", "0391 000 5102"), ("Frau Lindner", "0391 000 5107")]
            : [("Herr Demir", "02352 000 210"), ("Frau Kowalski", "02352 000 211"), ("Herr Pohl", "02352 000 215")]
        let caseworker = caseworkers[index % caseworkers.count]
        draft.input.youthOfficeCaseworker = caseworker.0
        draft.input.youthOfficeCaseworkerPhone = caseworker.1
        return draft
    }

    // MARK: - Approvals, sized to the recorded work

    /// Consecutive approvals of about six months from the start, to month ends (nothing carries over, R8); the hours are the
    /// smallest round number the recorded work fits into, one step more for air, so that only the
    /// stories go over budget.
    static func approve(_ plan: Plan, index: Int, caseID: UUID, beyondPlan: Set<UUID>, ids: Ids, viewer: Viewer, context: WriteContext,
                        today: Day, on db: any Database) async throws {
        let work = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db).0
        let all = work.entries.map { LedgerEntry(id: $0.id.uuidString, date: $0.facts.date, start: $0.facts.start, kind: $0.facts.kind, count: $0.count) }
        let planned = Set(work.entries.filter { !beyondPlan.contains($0.id) }.map(\.id.uuidString))
        let withinPlan = all.filter { planned.contains($0.id) }
        let start = startDate(plan, today: today)
        let month = previousMonth(today)
        let unit: BudgetUnit = plan.story == .weekly ? .week : plan.story == .halfYear ? .halfYear : .month

        func fitted(_ periods: [(from: Day, to: Day)], _ entries: [LedgerEntry], air: Bool) -> Int {
            let ladder = unit == .week ? [2, 3, 4, 5, 6, 8, 10, 12, 15]
                : unit == .halfYear ? [30, 40, 50, 60, 70, 80, 90, 100, 120, 150, 200]
                : [4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 50, 60]
            let fits = ladder.firstIndex { hours in
                let approvals = periods.enumerated().map { offset, period in
                    Approval(id: String(offset), from: period.from, to: period.to, minutesPerUnit: hours * 60, unit: unit,
                             balancing: work.settings(on: period.from).balancing)
                }
                return BudgetLedger(approvals: approvals, entries: entries).windows.allSatisfy { $0.overBudgetMinutes == 0 }
            } ?? ladder.count - 1
            return ladder[min(fits + (air ? 1 : 0), ladder.count - 1)]
        }

        var terms: [(from: Day, to: Day, hours: Int)] = []
        switch plan.story {
        case .overBudget:
            // Cut at the review at the start of last month to well below what the family needed.
            let before = periods(from: start, to: month.firstDay.adding(days: -1))
            let hours = fitted(before, all, air: true)
            terms = before.map { ($0.from, $0.to, hours) }
            let used = all.filter { Month(containing: $0.date) == month }.reduce(0) { $0 + $1.count.budgetMinutes }
            terms.append((month.firstDay, sixMonths(from: month.firstDay), max(2, used * 6 / 10 / 60)))
        case .crisis, .increase:
            // Just what the ordinary work needs: the crisis or the busy month goes beyond it.
            let blocks = periods(from: start, to: runningEnd(start, today: today))
            let hours = fitted(blocks, withinPlan, air: false)
            terms = blocks.map { ($0.from, $0.to, hours) }
        default:
            let end = switch plan.story {
            case .approvalEnding: today.adding(days: 10)
            case .noApproval: today.adding(days: -20)
            case .ended: endedOn(today)
            default: runningEnd(start, today: today)
            }
            let blocks = periods(from: start, to: end)
            let hours = fitted(blocks, withinPlan, air: true)
            terms = blocks.map { ($0.from, $0.to, hours) }
        }

        var approvalIDs: [UUID] = []
        for (number, term) in terms.enumerated() {
            approvalIDs.append(try await ApprovalStore.create(
                caseID: caseID,
                ApprovalDraft(from: term.from.iso, to: term.to.iso, hours: String(term.hours), per: unit.rawValue,
                              reference: "Bescheid \(term.from.year)/\(String(format: "%04d", 300 + index * 13 + number))",
                              staffIds: ([plan.lead] + (plan.coWorker.map { [$0] } ?? [])).map { ids.staff[$0].uuidString }),
                viewer: viewer, context: context, today: today, on: db))
        }

        if plan.story == .increase, let covering = terms.firstIndex(where: { $0.from <= month.firstDay && month.firstDay <= $0.to }) {
            // The youth office confirmed the extra hours of last month on the phone (R9).
            let ledger = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db).0.ledger
            let over = ledger.status(on: month.firstDay)?.overBudgetMinutes ?? 0
            try await ApprovalStore.addIncrease(
                caseID: caseID, approvalID: approvalIDs[covering],
                IncreaseDraft(hours: String(max(1, (over + 59) / 60)), confirmedOn: min(today, month.lastDay.adding(days: 3)).iso,
                              appliesOn: month.firstDay.adding(days: 14).iso, note: "telefonisch bestätigt, Bescheid folgt"),
                viewer: viewer, context: context, today: today, on: db)
        }
    }

    /// The end of the approval running a month from now: ordinary cases have their follow-up already.
    static func runningEnd(_ start: Day, today: Day) -> Day {
        var end = sixMonths(from: start)
        while end < today.adding(days: 30) { end = sixMonths(from: end.adding(days: 1)) }
        return end
    }

    /// About six months from `from`, to the end of a calendar month (later approvals start on the first).
    static func sixMonths(from: Day) -> Day { Month(containing: from.adding(months: 6)).firstDay.adding(days: -1) }

    /// Approval periods from `start`, the last one ending on `end`; a remainder under two months joins the last.
    static func periods(from start: Day, to end: Day) -> [(from: Day, to: Day)] {
        var result: [(from: Day, to: Day)] = []
        var from = start
        while from <= end {
            let natural = sixMonths(from: from)
            let to = natural.adding(months: 2) >= end ? end : natural
            result.append((from, to))
            from = to.adding(days: 1)
        }
        return result
    }
}

// MARK: - The plan of work

extension DemoCases {
    /// A small deterministic generator (no wall clock, no system randomness).
    struct Dice {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// One piece of work to record.
    struct Planned: Sendable {
        var staff: Int
        var day: Day
        /// Minute of the day.
        var start: Int
        var minutes: Int
        var kind: EntryKind
        var homeVisit = false
        var kilometres: Int?
        var cancelledBy: CancelledBy?
        var hoursAhead = 0
        /// Left out when sizing the approval: the crisis, the busy month (R9 stories).
        var beyondPlan = false

        func draft(_ ids: Ids) -> EntryDraft {
            let time = TimeOfDay(minuteOfDay: start)!
            var input = EntryInput(date: day.iso, start: time.text, minutes: minutes, kind: kind.rawValue)
            if kind.canBeHomeVisit, homeVisit {
                input.homeVisit = true
                input.kilometres = kilometres
            }
            if let cancelledBy {
                input.cancelledBy = cancelledBy.rawValue
                let at = BerlinTime.instant(day, time).addingTimeInterval(TimeInterval(-hoursAhead * 3_600))
                input.cancelledAt = DateTimeText.format(at)
            }
            return EntryDraft(staffId: ids.staff[staff].uuidString, input: input)
        }
    }

    /// Who is busy when. A staff member's day: 09:00–11:45 the morning appointment, 12:00–13:45
    /// the extras, 14:00–16:45 the afternoon appointment, from 17:00 the desk.
    struct DayPlan {
        private var taken: [Int: [(Int, Int)]] = [:]

        private func key(_ staff: Int, _ day: Day) -> Int { day.ordinal * 16 + staff }

        func isFree(_ staff: Int, _ day: Day, _ start: Int, _ minutes: Int) -> Bool {
            !(taken[key(staff, day)] ?? []).contains { $0.0 < start + minutes && start < $0.0 + $0.1 }
        }

        mutating func take(_ staff: Int, _ day: Day, _ start: Int, _ minutes: Int) -> Bool {
            guard isFree(staff, day, start, minutes) else { return false }
            taken[key(staff, day), default: []].append((start, minutes))
            return true
        }
    }

    struct Schedule {
        var entries: [[Planned]]
        var group: (day: Day, start: Int)

        static func make(today: Day) -> Schedule {
            var dice = Dice(state: 2026)
            var calendar = DayPlan()
            var entries = [[Planned]](repeating: [], count: plans.count)
            var covered: [(caseIndex: Int, entry: Planned)] = []
            var slots: [Int: Int] = [:]
            let month = previousMonth(today)

            func absence(_ staff: Int, _ day: Day) -> Absence? {
                absences.first { $0.staff == staff && today.adding(days: -$0.fromDaysAgo) <= day && day <= today.adding(days: -$0.toDaysAgo) }
            }

            for (index, plan) in plans.enumerated() {
                let start = startDate(plan, today: today)
                let last = plan.story == .ended ? endedOn(today) : plan.story == .silent ? today.adding(days: -21) : today.adding(days: -1)
                let slot = slots[plan.lead, default: 0]
                slots[plan.lead] = slot + 1

                func add(_ entry: Planned) {
                    if absence(entry.staff, entry.day) != nil {
                        covered.append((index, entry))   // placed once everyone's own work is
                    } else if calendar.take(entry.staff, entry.day, entry.start, entry.minutes) {
                        entries[index].append(entry)
                    }
                }

                var first = start
                if plan.offer == 0 {
                    // R10, seed 000: the orientation day on the first Saturday; regular work follows it.
                    let saturday = start.adding(days: (6 - start.weekday + 7) % 7)
                    add(Planned(staff: plan.lead, day: saturday, start: 9 * 60, minutes: 450, kind: .onboardingDay))
                    first = saturday.adding(days: 1)
                }

                /// The second half of last month: a crisis with three home visits a week (R9).
                func crisisPhase(_ day: Day) -> Bool { plan.story == .crisis && Month(containing: day) == month && day.day >= 15 }

                func appointment(_ day: Day, at start: Int) -> Planned {
                    let ago = day.days(until: today)
                    var entry = Planned(staff: plan.lead, day: day, start: start, minutes: 60, kind: .direct)
                    if plan.story == .stopsCooperating, ago <= 16 {
                        entry.kind = dice.next(2) == 0 ? .noShow : .cancelled
                        if entry.kind == .cancelled { (entry.cancelledBy, entry.hoursAhead) = (.client, [2, 3, 5, 18][dice.next(4)]) }
                        return entry
                    }
                    if crisisPhase(day) {
                        (entry.kind, entry.minutes, entry.homeVisit, entry.beyondPlan) = (.crisis, 150, true, true)
                        entry.kilometres = plan.office == 1 ? 14 : nil
                        return entry
                    }
                    // The last three weeks went well everywhere else (no accidental R7a or R12 alerts).
                    let roll = ago <= 21 || (plan.story == .silent && ago <= 35) ? 99 : dice.next(100)
                    switch roll {
                    case 0..<5:
                        entry.kind = .noShow
                    case 5..<10:
                        (entry.kind, entry.minutes, entry.cancelledBy, entry.hoursAhead) = (.cancelled, 90, .client, [2, 3, 5, 18][dice.next(4)])
                    case 10..<13:
                        (entry.kind, entry.minutes, entry.cancelledBy, entry.hoursAhead) = (.cancelled, 90, .client, 72)
                    case 13..<15:
                        (entry.kind, entry.cancelledBy, entry.hoursAhead) = (.cancelled, .provider, 48)
                    case 15..<17:
                        (entry.kind, entry.minutes, entry.homeVisit) = (.crisis, 120, true)
                    case 17..<30:
                        (entry.kind, entry.minutes) = (.institution, 45)
                    default:
                        entry.minutes = [60, 75, 90, 90, 120][dice.next(5)]
                        entry.homeVisit = dice.next(2) == 0
                    }
                    if entry.homeVisit { entry.kilometres = plan.office == 1 ? 6 + dice.next(22) : nil }
                    return entry
                }

                /// Whether the second appointment of the week takes place.
                func second(_ day: Day) -> Bool {
                    let ago = day.days(until: today)
                    switch plan.story {
                    case .stopsCooperating where ago <= 16: return true
                    case .overBudget where day >= month.firstDay: return true
                    case .increase where Month(containing: day) == month: return true
                    case .crisis: return crisisPhase(day)
                    default: return dice.next(3) != 0
                    }
                }

                var monday = start.adding(days: 1 - start.weekday)
                var week = 0
                while monday <= last {
                    let morning = monday.adding(days: slot % 5)
                    let afternoon = monday.adding(days: (slot + 2) % 5)
                    let extra = monday.adding(days: (slot + 4) % 5)
                    let runs = { (day: Day) in first <= day && day <= last }
                    // R3: the care plan meeting at the review (MoPäD after 3 months [001], else 6).
                    let review = (week == 25 || (plan.offer == 1 && week == 12)) && !crisisPhase(morning)
                    if runs(morning) {
                        add(review ? Planned(staff: plan.lead, day: morning, start: 9 * 60 + 30, minutes: 90, kind: .planningMeeting)
                                   : appointment(morning, at: 9 * 60 + 15 * dice.next(2)))
                    }
                    if runs(afternoon), second(afternoon) {
                        add(appointment(afternoon, at: 14 * 60 + 15 * dice.next(2)))
                    }
                    if plan.story == .increase, runs(extra), Month(containing: extra) == month {
                        add(Planned(staff: plan.lead, day: extra, start: 12 * 60, minutes: 90, kind: .direct, homeVisit: true,
                                    kilometres: plan.office == 1 ? 9 : nil, beyondPlan: true))
                    }
                    if runs(extra), crisisPhase(extra) {
                        add(Planned(staff: plan.lead, day: extra, start: 12 * 60, minutes: 105, kind: .crisis, homeVisit: true,
                                    kilometres: plan.office == 1 ? 14 : nil, beyondPlan: true))
                    }
                    // At the desk: the progress report two weeks before each review, about every three months (R4),
                    // and now and then indirect work.
                    if runs(morning) {
                        if week % 13 == 10, !crisisPhase(morning) { add(Planned(staff: plan.lead, day: morning, start: 17 * 60, minutes: 100, kind: .report)) }
                        else if week % 4 == 1 { add(Planned(staff: plan.lead, day: morning, start: 17 * 60, minutes: 30, kind: .indirect)) }
                    }
                    monday = monday.adding(days: 7)
                    week += 1
                }
                if plan.story == .ended {
                    // R6: the final report on the last day.
                    let end = endedOn(today)
                    if let time = [12 * 60, 17 * 60, 19 * 60].first(where: { calendar.isFree(plan.lead, end, $0, 100) }) {
                        add(Planned(staff: plan.lead, day: end, start: time, minutes: 100, kind: .report))
                    }
                }
            }

            // R27: who stands in does the appointments at the same time, or at noon.
            for (index, var entry) in covered {
                guard let cover = absence(entry.staff, entry.day)?.cover[index] else { continue }
                entry.staff = cover
                if !calendar.take(cover, entry.day, entry.start, entry.minutes) {
                    guard entry.kind != .onboardingDay, entry.start < 17 * 60 else { continue }
                    (entry.start, entry.minutes) = (12 * 60, min(entry.minutes, 90))
                    guard calendar.take(cover, entry.day, entry.start, entry.minutes) else { continue }
                }
                entries[index].append(entry)
            }

            // R11: each co-worker joins one recent home visit; two staff, two entries.
            for (index, plan) in plans.enumerated() {
                guard let coWorker = plan.coWorker else { continue }
                let candidates = entries[index]
                    .filter { $0.staff == plan.lead && $0.kind == .direct && (7...42).contains($0.day.days(until: today)) }
                    .sorted { ($0.day, $0.start) > ($1.day, $1.start) }
                if let visit = candidates.first(where: { absence(coWorker, $0.day) == nil && calendar.isFree(coWorker, $0.day, $0.start, $0.minutes) }) {
                    _ = calendar.take(coWorker, visit.day, visit.start, visit.minutes)
                    entries[index].append(Planned(staff: coWorker, day: visit.day, start: visit.start, minutes: visit.minutes, kind: .direct))
                }
            }

            // R10: the group meets when both staff are free, two to four weeks ago.
            var group = (day: today.adding(days: -14), start: 17 * 60)
            search: for ago in 14...28 {
                let day = today.adding(days: -ago)
                for start in [17 * 60, 12 * 60, 15 * 60] where groupStaff.allSatisfy({ calendar.isFree($0, day, start, 90) }) {
                    group = (day, start)
                    break search
                }
            }
            for staff in groupStaff { _ = calendar.take(staff, group.day, group.start, 90) }
            return Schedule(entries: entries, group: group)
        }
    }
}
