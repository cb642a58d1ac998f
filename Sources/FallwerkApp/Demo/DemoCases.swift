import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// About 25 fictional cases with six months of history, written through the same stores (and the
/// same checks) as users' input. Deterministic: the same `today` gives the same demo.
enum DemoCases {
    struct Ids {
        let staff: [UUID]            // 0–4 team Iserlohn (0 leads it), 5–9 team Oer-Erkenschwick (5 leads it)
        let officeA: UUID            // whole-period budget, flat rate per home visit
        let officeB: UUID            // per-unit budget, 15-minute rounding, per km
        let offers: [UUID]           // individual (orientation day), MoPäD, everyday training, aftercare
    }

    /// A small deterministic generator (no wall clock, no system randomness).
    struct Dice {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    struct Plan {
        var first: String, last: String, birthYearsAgo: Int
        var guardian: (String, String, String)?
        var office: Int, offer: Int, lead: Int, coWorker: Int?
        var startDaysAgo: Int
        var hoursPerMonth: Int
        var special: Special = .none
    }

    enum Special { case none, stopsCooperating, overBudget, crisisOverBudget, noApproval, approvalEnding, silent, ended, weekly, halfYear, increase }

    static let plans: [Plan] = [
        Plan(first: "Lena", last: "Sommerfeld", birthYearsAgo: 14, guardian: ("Sabine", "Sommerfeld", "Mutter"), office: 0, offer: 0, lead: 1, coWorker: nil, startDaysAgo: 170, hoursPerMonth: 16),
        Plan(first: "Jonas", last: "Albers", birthYearsAgo: 11, guardian: ("Petra", "Albers", "Mutter"), office: 1, offer: 1, lead: 1, coWorker: 2, startDaysAgo: 150, hoursPerMonth: 4, special: .overBudget),
        Plan(first: "Mia", last: "Krüger", birthYearsAgo: 9, guardian: ("Dennis", "Krüger", "Vater"), office: 0, offer: 1, lead: 1, coWorker: nil, startDaysAgo: 120, hoursPerMonth: 14, special: .stopsCooperating),
        Plan(first: "Elias", last: "Neumann", birthYearsAgo: 19, guardian: nil, office: 1, offer: 3, lead: 1, coWorker: nil, startDaysAgo: 200, hoursPerMonth: 10, special: .approvalEnding),
        Plan(first: "Sofia", last: "Wagner", birthYearsAgo: 15, guardian: ("Ilona", "Wagner", "Mutter"), office: 1, offer: 2, lead: 1, coWorker: nil, startDaysAgo: 90, hoursPerMonth: 6, special: .weekly),
        Plan(first: "Noah", last: "Schulte", birthYearsAgo: 13, guardian: ("Ralf", "Schulte", "Vater"), office: 0, offer: 0, lead: 0, coWorker: 1, startDaysAgo: 110, hoursPerMonth: 14),
        Plan(first: "Emma", last: "Hoffmann", birthYearsAgo: 8, guardian: ("Jana", "Hoffmann", "Mutter"), office: 1, offer: 1, lead: 0, coWorker: nil, startDaysAgo: 180, hoursPerMonth: 4, special: .crisisOverBudget),
        Plan(first: "Ben", last: "Richter", birthYearsAgo: 16, guardian: ("Olga", "Richter", "Mutter"), office: 0, offer: 2, lead: 0, coWorker: nil, startDaysAgo: 140, hoursPerMonth: 12, special: .noApproval),
        Plan(first: "Hannah", last: "Becker", birthYearsAgo: 12, guardian: ("Stefan", "Becker", "Vater"), office: 1, offer: 0, lead: 2, coWorker: nil, startDaysAgo: 160, hoursPerMonth: 12, special: .silent),
        Plan(first: "Luis", last: "Schmitz", birthYearsAgo: 10, guardian: ("Anke", "Schmitz", "Mutter"), office: 0, offer: 1, lead: 2, coWorker: nil, startDaysAgo: 230, hoursPerMonth: 14, special: .ended),
        Plan(first: "Lea", last: "Koch", birthYearsAgo: 17, guardian: ("Miriam", "Koch", "Mutter"), office: 1, offer: 3, lead: 2, coWorker: nil, startDaysAgo: 100, hoursPerMonth: 8),
        Plan(first: "Paul", last: "Wolf", birthYearsAgo: 14, guardian: ("Heike", "Wolf", "Mutter"), office: 0, offer: 2, lead: 3, coWorker: nil, startDaysAgo: 130, hoursPerMonth: 60, special: .halfYear),
        Plan(first: "Amelie", last: "Schröder", birthYearsAgo: 7, guardian: ("Nina", "Schröder", "Mutter"), office: 1, offer: 1, lead: 3, coWorker: 4, startDaysAgo: 75, hoursPerMonth: 4, special: .increase),
        Plan(first: "Finn", last: "Meyer", birthYearsAgo: 20, guardian: nil, office: 0, offer: 3, lead: 4, coWorker: nil, startDaysAgo: 160, hoursPerMonth: 8),
        Plan(first: "Clara", last: "Lehmann", birthYearsAgo: 15, guardian: ("Doris", "Lehmann", "Großmutter"), office: 1, offer: 2, lead: 4, coWorker: nil, startDaysAgo: 60, hoursPerMonth: 10),
        Plan(first: "Leon", last: "Braun", birthYearsAgo: 13, guardian: ("Kai", "Braun", "Vater"), office: 0, offer: 0, lead: 5, coWorker: nil, startDaysAgo: 190, hoursPerMonth: 14),
        Plan(first: "Marie", last: "Zimmermann", birthYearsAgo: 11, guardian: ("Tanja", "Zimmermann", "Mutter"), office: 1, offer: 1, lead: 5, coWorker: 6, startDaysAgo: 120, hoursPerMonth: 16),
        Plan(first: "Felix", last: "Hartmann", birthYearsAgo: 18, guardian: nil, office: 0, offer: 3, lead: 6, coWorker: nil, startDaysAgo: 150, hoursPerMonth: 8),
        Plan(first: "Ida", last: "Krause", birthYearsAgo: 9, guardian: ("Sven", "Krause", "Vater"), office: 1, offer: 0, lead: 6, coWorker: nil, startDaysAgo: 80, hoursPerMonth: 14),
        Plan(first: "Anton", last: "Schmid", birthYearsAgo: 16, guardian: ("Eva", "Schmid", "Mutter"), office: 0, offer: 2, lead: 7, coWorker: nil, startDaysAgo: 170, hoursPerMonth: 12),
        Plan(first: "Emilia", last: "Fuchs", birthYearsAgo: 12, guardian: ("Lars", "Fuchs", "Vater"), office: 1, offer: 1, lead: 7, coWorker: nil, startDaysAgo: 100, hoursPerMonth: 14),
        Plan(first: "Theo", last: "Vogel", birthYearsAgo: 19, guardian: nil, office: 0, offer: 3, lead: 8, coWorker: nil, startDaysAgo: 140, hoursPerMonth: 8),
        Plan(first: "Frieda", last: "Peters", birthYearsAgo: 14, guardian: ("Ute", "Peters", "Mutter"), office: 1, offer: 0, lead: 8, coWorker: nil, startDaysAgo: 50, hoursPerMonth: 12),
        Plan(first: "Karl", last: "Jung", birthYearsAgo: 10, guardian: ("Maren", "Jung", "Mutter"), office: 0, offer: 1, lead: 9, coWorker: nil, startDaysAgo: 180, hoursPerMonth: 16),
        Plan(first: "Mathilda", last: "Arslan", birthYearsAgo: 15, guardian: ("Derya", "Arslan", "Mutter"), office: 1, offer: 2, lead: 9, coWorker: nil, startDaysAgo: 120, hoursPerMonth: 10),
    ]

    static func fill(_ ids: Ids, today: Day, context: WriteContext, on db: any Database) async throws {
        let viewer = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
        var dice = Dice(state: 2026)
        var slotsUsed: [Int: Int] = [:]   // staff index → cases planned so far (each case gets its own weekly slot)
        var caseIDs: [UUID] = []
        var coWorkHour = 8
        for (index, plan) in plans.enumerated() {
            let start = today.adding(days: -plan.startDaysAgo)
            var draft = CaseDraft()
            draft.youthOfficeId = (plan.office == 0 ? ids.officeA : ids.officeB).uuidString
            draft.offerId = ids.offers[plan.offer].uuidString
            draft.leadStaffId = ids.staff[plan.lead].uuidString
            draft.coWorkerIds = plan.coWorker.map { [ids.staff[$0].uuidString] } ?? []
            draft.input.fileNumber = "\(plan.office == 0 ? "51.2" : "JA-B")-\(start.year)-\(String(format: "%04d", 101 + index * 7))"
            draft.input.startDate = start.iso
            let birth = Day(year: today.year - plan.birthYearsAgo, month: 1 + (index * 5) % 12, day: 1 + (index * 7) % 27)!
            draft.input.youngPerson = PersonInput(firstName: plan.first, lastName: plan.last, birthDate: birth.iso)
            if let (first, last, relation) = plan.guardian {
                draft.input.guardians = [PersonInput(firstName: first, lastName: last, relation: relation, phone: "0151 000 \(1000 + index * 37)")]
            }
            draft.input.youthOfficeCaseworker = plan.office == 0 ? "Frau Schubert" : "Herr Demir"
            let caseID = try await CaseStore.create(draft, context: context, today: today, on: db)
            caseIDs.append(caseID)

            // Approvals: half-year blocks from the start, the last one covering today (or not, on purpose).
            let unit: BudgetUnit = plan.special == .weekly ? .week : plan.special == .halfYear ? .halfYear : .month
            // Ordinary cases have their follow-up approval already; the special ones show the gaps.
            let horizon = [.approvalEnding, .noApproval].contains(plan.special) ? today : today.adding(days: 30)
            let hours = plan.special == .none || plan.special == .silent || plan.special == .ended ? max(plan.hoursPerMonth, 20) : plan.hoursPerMonth
            var from = start
            while from <= horizon {
                var to = from.adding(months: 6).adding(days: -1)
                if plan.special == .approvalEnding, to >= today { to = today.adding(days: 10) }
                if plan.special == .noApproval, to >= today.adding(days: -20) { to = today.adding(days: -20) }
                if to < from { break }
                try await ApprovalStore.create(caseID: caseID, ApprovalDraft(from: from.iso, to: to.iso, hours: String(hours), per: unit.rawValue,
                                                                             reference: "KZ \(from.year)/\(300 + index)", staffIds: [ids.staff[plan.lead].uuidString]),
                                               viewer: viewer, context: context, today: today, on: db)
                if plan.special == .noApproval, to == today.adding(days: -20) { break }
                from = to.adding(days: 1)
            }

            // A weekly slot per case and staff member, so that nobody is in two places at once.
            let slot = slotsUsed[plan.lead, default: 0]
            slotsUsed[plan.lead] = slot + 1
            let lastDay = plan.special == .ended ? today.adding(days: -60) : plan.special == .silent ? today.adding(days: -21) : today.adding(days: -1)
            var entries: [EntryDraft] = []
            if plan.offer == 0 {
                // Orientation day on the first Saturday (R10, seed 000).
                let saturday = start.adding(days: (6 - start.weekday + 7) % 7)
                entries.append(entry(ids.staff[plan.lead], saturday, "08:00", 480, .onboardingDay))
            }
            var week = start.adding(days: 1 - start.weekday)
            var weekNumber = 0
            while week <= lastDay {
                let first = week.adding(days: slot % 5)
                let second = week.adding(days: (slot + 2) % 5)
                let shift = (slot / 5) * 3
                let lead = ids.staff[plan.lead]
                for (day, hour, isFirst) in [(first, 9 + shift, true), (second, 14 + shift, false)] where day >= start && day <= lastDay {
                    if !isFirst, dice.next(3) == 0 { continue }
                    let time = String(format: "%02d:%02d", hour, 15 * dice.next(2))
                    let roll = dice.next(100)
                    let recentDays = day.days(until: today)
                    if plan.special == .stopsCooperating, recentDays <= 16 {
                        entries.append(roll % 2 == 0 ? entry(lead, day, time, 60, .noShow)
                                       : cancellation(lead, day, time, 60, by: .client, hoursAhead: 3))
                        continue
                    }
                    if plan.special == .crisisOverBudget, recentDays <= 10, isFirst {
                        entries.append(entry(lead, day, time, 150, .crisis, homeVisit: true))
                        continue
                    }
                    // Ordinary cases: the last three weeks went well.
                    let quiet = plan.special == .none && recentDays <= 21
                    switch quiet ? 99 : roll {
                    case 0..<5: entries.append(entry(lead, day, time, 60, .noShow))
                    case 5..<10: entries.append(cancellation(lead, day, time, 90, by: .client, hoursAhead: 5))
                    case 10..<13: entries.append(cancellation(lead, day, time, 90, by: .client, hoursAhead: 72))
                    case 13..<15: entries.append(cancellation(lead, day, time, 60, by: .provider, hoursAhead: 48))
                    case 15..<17: entries.append(entry(lead, day, time, 120, .crisis, homeVisit: true))
                    case 17..<30: entries.append(entry(lead, day, time, 45, .institution))
                    default: entries.append(entry(lead, day, time, [60, 75, 90, 90, 120][dice.next(5)], .direct, homeVisit: dice.next(2) == 0,
                                                  km: plan.office == 1 ? 8 + dice.next(20) : nil))
                    }
                }
                // Every three months a report, every six a care plan meeting, now and then indirect work:
                // in the late afternoon of the case's own weekday.
                let office = week.adding(days: slot % 5)
                if office >= start && office <= lastDay {
                    let lead = ids.staff[plan.lead]
                    if weekNumber % 13 == 11 { entries.append(entry(lead, office, "17:00", 100, .report)) }
                    else if weekNumber % 26 == 20 { entries.append(entry(lead, office, "17:00", 90, .planningMeeting)) }
                    else if weekNumber % 4 == 1 { entries.append(entry(lead, office, "17:00", 30, .indirect)) }
                }
                week = week.adding(days: 7)
                weekNumber += 1
            }
            if let coWorker = plan.coWorker {
                // R11: a four-eyes appointment is an entry for each of the two.
                let saturday = today.adding(days: -((today.weekday + 1) % 7) - 7)
                if saturday >= start {
                    let time = String(format: "%02d:00", coWorkHour)
                    coWorkHour += 2
                    entries.append(entry(ids.staff[plan.lead], saturday, time, 90, .direct, homeVisit: true, km: plan.office == 1 ? 12 : nil))
                    entries.append(entry(ids.staff[coWorker], saturday, time, 90, .direct))
                }
            }
            for draft in entries {
                try await EntryStore.create(caseID: caseID, draft, viewer: viewer, context: context, today: today, on: db)
            }
            if plan.special == .increase, let approval = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db).0.approvals.last {
                try await ApprovalStore.addIncrease(caseID: caseID, approvalID: approval.id,
                                                    IncreaseDraft(hours: "6", confirmedOn: today.adding(days: -3).iso, appliesOn: today.iso,
                                                                  note: "telefonisch bestätigt, Bescheid folgt"),
                                                    viewer: viewer, context: context, today: today, on: db)
            }
        }

        // R27: a substitute now, and one whose substitution is over.
        try await CaseStore.addSubstitute(caseID: caseIDs[8], staffID: ids.staff[3].uuidString, from: today.adding(days: -10).iso,
                                          to: today.adding(days: 20).iso, context: context, on: db)
        try await CaseStore.addSubstitute(caseID: caseIDs[10], staffID: ids.staff[1].uuidString, from: today.adding(days: -100).iso,
                                          to: today.adding(days: -80).iso, context: context, on: db)

        // R10: a group session (two staff, three cases) on the Saturday two weeks ago, in the evening.
        let groupDay = today.adding(days: -((today.weekday + 1) % 7) - 14)
        try await EntryStore.createGroupSession(
            GroupSessionDraft(date: groupDay.iso, start: "17:00", minutes: 90, staffIds: [ids.staff[0], ids.staff[1]].map(\.uuidString),
                              caseIds: [caseIDs[0], caseIDs[5], caseIDs[3]].map(\.uuidString)),
            viewer: viewer, context: context, today: today, on: db)

        // R6: one case ended (goals reached); closing it belongs to the care plan cycle (issue 5).
        if let ended = try await CaseModel.find(caseIDs[9], on: db) {
            ended.endDate = today.adding(days: -60).iso
            ended.endReason = EndReason.goalsReached.rawValue
            try await ended.update(on: db)
        }
    }

    static func entry(_ staff: UUID, _ day: Day, _ start: String, _ minutes: Int, _ kind: EntryKind,
                      homeVisit: Bool = false, km: Int? = nil) -> EntryDraft {
        EntryDraft(staffId: staff.uuidString, input: EntryInput(date: day.iso, start: start, minutes: minutes, kind: kind.rawValue,
                                                                homeVisit: homeVisit && kind.canBeHomeVisit, kilometres: homeVisit ? km : nil))
    }

    static func cancellation(_ staff: UUID, _ day: Day, _ start: String, _ minutes: Int, by: CancelledBy, hoursAhead: Int) -> EntryDraft {
        let at = BerlinTime.instant(day, TimeOfDay(text: start)!).addingTimeInterval(TimeInterval(-hoursAhead * 3_600))
        return EntryDraft(staffId: staff.uuidString, input: EntryInput(date: day.iso, start: start, minutes: minutes, kind: EntryKind.cancelled.rawValue,
                                                                       cancelledBy: by.rawValue, cancelledAt: DateTimeText.format(at)))
    }
}
