@testable import FallwerkDomain
import Foundation

/// Small builders for the pure domain tests (R7a, R8–R13). No database, no clock: "today" is passed in.
enum DomainFixtures {
    static func day(_ iso: String) -> Day { Day(iso: iso)! }
    static func time(_ text: String) -> TimeOfDay { TimeOfDay(text: text)! }
    /// An instant from API text: with `Z`, an offset, or none (Europe/Berlin).
    static func at(_ text: String) -> Date { DateTimeText.parse(text)! }

    static func entry(_ kind: EntryKind, _ minutes: Int, on date: String = "2026-11-16", at start: String = "10:00",
                      by cancelledBy: CancelledBy? = nil, cancelledAt: String? = nil,
                      homeVisit: Bool = false, km: Int? = nil) -> EntryFacts {
        EntryFacts(kind: kind, date: day(date), start: time(start), minutes: minutes, cancelledBy: cancelledBy,
                   cancelledAt: cancelledAt.map(at), homeVisit: homeVisit, kilometres: km)
    }

    /// Billable and budget minutes of one entry.
    static func minutes(_ facts: EntryFacts, _ settings: AgreementSettings = .defaults) -> [Int] {
        let count = ServiceRules.count(facts, settings: settings)
        return [count.billableMinutes, count.budgetMinutes]
    }

    static func approval(_ from: String, _ to: String, minutes: Int, per unit: BudgetUnit, _ balancing: Balancing = .perUnit,
                         increases: [BudgetIncrease] = [], id: String = "a") -> Approval {
        Approval(id: id, from: day(from), to: day(to), minutesPerUnit: minutes, unit: unit, balancing: balancing, increases: increases)
    }

    static func increase(_ minutes: Int, on iso: String) -> BudgetIncrease {
        BudgetIncrease(minutes: minutes, confirmedOn: day(iso), appliesOn: day(iso))
    }

    static func work(_ id: String, _ date: String, at start: String = "10:00", _ kind: EntryKind = .direct,
                     billable: Int, budget: Int? = nil, onboarding: Int = 0) -> LedgerEntry {
        LedgerEntry(id: id, date: day(date), start: time(start), kind: kind,
                    count: EntryCount(billableMinutes: billable, budgetMinutes: budget ?? billable, onboardingMinutes: onboarding))
    }

    /// Windows as comparable text: "from…to minutes".
    static func describe(_ windows: [BudgetWindow]) -> [String] {
        windows.map { "\($0.from.iso)…\($0.to.iso) \($0.approvedMinutes)" }
    }
}
