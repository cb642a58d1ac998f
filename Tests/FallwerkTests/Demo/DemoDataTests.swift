@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Demo data")
    struct DemoDataTests {
        static func seed(_ t: TestApp, now: Date) async throws -> Bool {
            try await DemoData.seed(on: t.db, hash: { try Bcrypt.hash($0, cost: 4) }, now: now)
        }

        @Test("The demo has about 25 cases with six months of work, every entry kind, a group session and each kind of alert")
        func demoCases() async throws {
            try await TestApp.run { t in
                #expect(try await Self.seed(t, now: TestApp.referenceNow))
                let today = BerlinTime.local(TestApp.referenceNow).day
                let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
                let cases = try await CaseStore.list(visibleTo: management, today: today, on: t.db)
                #expect(cases.count >= 20)
                #expect(Set(cases.map(\.offerID)).count == 4)
                #expect(Set(cases.map(\.youthOfficeID)).count == 2)

                let kinds = Set(try await ServiceEntryModel.query(on: t.db).all().map(\.kind))
                #expect(kinds == Set(EntryKind.allCases.map(\.rawValue)))
                let sessions = try await GroupSessionModel.query(on: t.db).all()
                #expect(sessions.count == 1)
                #expect(sessions.first?.staffCount == 2 && sessions.first?.caseCount == 3)

                let alerts = Set(try await AlertStore.openAlerts(visibleTo: management, today: today, on: t.db).items.flatMap { $0.alerts.map(\.kind) })
                for kind in [AlertKind.noShowStreak, .overBudget, .crisisConfirmationMissing, .noContact, .noApproval, .approvalEnding] {
                    #expect(alerts.contains(kind), "\(kind)")
                }
                let problems = try await Self.problems(on: t.db, today: today)
                #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")

                // "Meine Fälle" of the demo caseworker: five cases as lead, one as co-worker.
                let fachkraft = try #require(try await UserModel.query(on: t.db).filter(\.$username == "fachkraft").first())
                let viewer = try await Viewer.load(userID: try fachkraft.requireID(), roles: [.caseworker], on: t.db)
                let own = try await CaseStore.list(visibleTo: viewer, today: today, on: t.db)
                #expect(own.count >= 5)
                #expect(own.filter { $0.lead?.staffID == viewer.staffID }.count == 5)
                #expect(own.filter { $0.assignments.contains { $0.staffID == viewer.staffID && $0.role == .coWorker } }.count == 1)
                // The team lead's team has most cases.
                let teamLead = try #require(try await UserModel.query(on: t.db).filter(\.$username == "teamleitung").first())
                let lead = try await Viewer.load(userID: try teamLead.requireID(), roles: [.teamLead, .caseworker], on: t.db)
                #expect(cases.filter { lead.ledTeamIDs.contains($0.teamID) }.count * 2 > cases.count)

                // A second start changes nothing.
                #expect(!(try await Self.seed(t, now: TestApp.referenceNow)))
            }
        }

        /// The demo runs on the real clock: its stories must hold on any day, here a Sunday early in a month
        /// at the turn of the year, after youth office A's agreement has run out.
        @Test("The stories hold on another day")
        func anotherDay() async throws {
            let today = try #require(Day(iso: "2027-01-03"))
            try await TestApp.run { t in
                #expect(try await Self.seed(t, now: BerlinTime.instant(today, TimeOfDay(minuteOfDay: 8 * 60)!)))
                let problems = try await Self.problems(on: t.db, today: today)
                #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            }
        }

        /// What is wrong with the demo on `today`: each story's alerts exactly, no other alerts, and the
        /// rules every entry obeys; empty when all is well.
        static func problems(on db: any Database, today: Day) async throws -> [String] {
            var problems: [String] = []
            let management = Viewer(userID: UUID(), roles: [.management], staffID: nil, ledTeamIDs: [])
            let cases = try await CaseStore.list(visibleTo: management, today: today, on: db)
            let work = try await CaseWorkStore.load(cases, today: today, on: db)
            let open = Dictionary(uniqueKeysWithValues: try await AlertStore.openAlerts(visibleTo: management, today: today, on: db).items
                .map { ($0.record.id, Set($0.alerts.map(\.kind))) })
            for plan in DemoCases.plans {
                guard let item = work.first(where: { $0.record.youngPerson.firstName == plan.first && $0.record.youngPerson.lastName == plan.last })
                else { problems.append("\(plan.last): missing"); continue }
                // Care plan deadlines (R3–R6) have their own stories, checked below.
                let kinds = (open[item.record.id] ?? []).subtracting([.deadlineDue, .deadlineOverdue])
                let expected: Set<AlertKind> = switch plan.story {
                case .ordinary, .weekly, .halfYear, .increase, .ended: []
                case .stopsCooperating: [.noShowStreak, .noContact]
                case .overBudget: [.overBudget]
                case .crisis: [.crisisConfirmationMissing]
                case .noApproval: [.noApproval]
                case .approvalEnding: [.approvalEnding]
                case .silent: [.noContact]
                }
                if plan.story == .stopsCooperating ? !kinds.contains(.noShowStreak) || !kinds.isSubset(of: expected) : kinds != expected {
                    problems.append("\(plan.last) (\(plan.story)): \(kinds.map(\.rawValue).sorted()) instead of \(expected.map(\.rawValue).sorted())")
                }
                if plan.story == .ended, item.record.status(on: today) != .ended { problems.append("\(plan.last): not ended") }
                if plan.story == .increase, !item.approvals.contains(where: { !$0.increases.isEmpty }) { problems.append("\(plan.last): no increase") }
                if item.entries.count < 8 { problems.append("\(plan.last): only \(item.entries.count) entries") }
                for entry in item.entries {
                    let facts = entry.facts
                    if facts.date > today || facts.date < item.record.startDate || item.record.endDate.map({ facts.date > $0 }) == true
                        || facts.minutes > ServiceRules.maximumMinutes {
                        problems.append("\(plan.last): entry on \(facts.date.iso) for \(facts.minutes) minutes")
                    }
                }
            }
            // Care plans: Lena's progress report is due next week, Noah's is overdue; no other case is behind.
            for (index, plan) in DemoCases.plans.enumerated() {
                guard let item = work.first(where: { $0.record.youngPerson.firstName == plan.first && $0.record.youngPerson.lastName == plan.last })
                else { continue }
                let report = item.deadlines.first { $0.kind == .progressReport && $0.isPending }
                let overdue = item.deadlines.filter { $0.status == .overdue }.map(\.kind.rawValue)
                switch index {
                case DemoCarePlan.reportDueNextWeek:
                    if report?.status != .open || report.map({ today.days(until: $0.due) }) != 7 { problems.append("\(plan.last): report not due next week") }
                case DemoCarePlan.reportOverdue:
                    if report?.status != .overdue { problems.append("\(plan.last): report not overdue") }
                default:
                    if !overdue.isEmpty { problems.append("\(plan.last): overdue \(overdue)") }
                }
            }
            // Budgets per week, month and half-year; consecutive approvals; substitutes now and past (R27).
            let approvals = work.flatMap(\.approvals)
            if Set(approvals.map(\.unit)) != [.week, .month, .halfYear] { problems.append("units: \(Set(approvals.map(\.unit)))") }
            if !work.contains(where: { $0.approvals.count >= 2 }) { problems.append("no consecutive approvals") }
            let substitutes = cases.flatMap(\.assignments).filter { $0.role == .substitute }
            if !substitutes.contains(where: { ($0.from ?? today) <= today && today <= ($0.to ?? today) }) { problems.append("no active substitute") }
            if !substitutes.contains(where: { ($0.to ?? today) < today }) { problems.append("no expired substitute") }
            // Nobody is in two places at once (the store's rule, R11 co-work being two staff).
            let entries = work.flatMap(\.entries).filter { $0.facts.kind != .cancelled && $0.groupSessionID == nil }
            for (staff, own) in Dictionary(grouping: entries, by: \.staffID) {
                let sorted = own.sorted { ($0.facts.date, $0.facts.start) < ($1.facts.date, $1.facts.start) }
                for (a, b) in zip(sorted, sorted.dropFirst()) where a.facts.date == b.facts.date
                    && a.facts.start.minuteOfDay + a.facts.minutes > b.facts.start.minuteOfDay {
                    problems.append("overlap for \(staff) on \(a.facts.date.iso)")
                }
            }
            return problems
        }
    }
}
