@testable import FallwerkDomain
import Foundation
import Testing

/// The entry checks against the case, decided in the domain without a database (R6, R10, R11, R16, R27).
extension AllTests {
    @Suite("Entry rules")
    struct EntryRuleTests {
        typealias F = DomainFixtures

        static func context(assignments: [Assignment] = [Assignment(staffID: "fina", role: .lead, from: nil, to: nil)],
                            invoiced: Set<Month> = [], onboarding: Bool = false, nearby: [EntryRules.NearbyEntry] = [],
                            lead: Bool = false, viewer: String? = "fina", end: String? = nil) -> EntryRules.EntryContext {
            EntryRules.EntryContext(caseStart: F.day("2026-10-01"), caseEnd: end.map(F.day), assignments: assignments, invoicedMonths: invoiced,
                                    hasOtherOnboardingDay: onboarding, nearby: nearby, viewerIsLead: lead, viewerStaffID: viewer)
        }

        static func fields(_ facts: EntryFacts, staff: String = "fina", _ context: EntryRules.EntryContext) -> [String] {
            EntryRules.errors(facts, staffID: staff, context: context).map(\.field)
        }

        @Test("R11 R27 an entry is recorded for a staff member assigned on its day; a caseworker records only their own")
        func assignmentOnTheDay() {
            let entry = F.entry(.direct, 60, on: "2026-11-16")
            #expect(Self.fields(entry, Self.context()).isEmpty)
            // a caseworker for a colleague: refused; a team lead may
            #expect(Self.fields(entry, staff: "vera", Self.context()) == ["staffId"])
            let substitute = Assignment(staffID: "vera", role: .substitute, from: F.day("2026-11-01"), to: F.day("2026-11-15"))
            let led = Self.context(assignments: [substitute], lead: true, viewer: nil)
            // a substitute only inside the substitution
            #expect(Self.fields(F.entry(.direct, 60, on: "2026-11-15"), staff: "vera", led).isEmpty)
            #expect(EntryRules.errors(entry, staffID: "vera", context: led).first?.message == "Diese Fachkraft ist dem Fall am 16.11.2026 nicht zugeordnet.")
            // a co-worker whose assignment a correction ended
            let ended = Assignment(staffID: "fina", role: .coWorker, from: nil, to: F.day("2026-11-10"))
            #expect(Self.fields(entry, Self.context(assignments: [ended])) == ["staffId"])
        }

        @Test("R6 R16 an entry lies within the case and never in an invoiced month; the onboarding day once per case")
        func caseTimeInvoicedOnboarding() {
            #expect(Self.fields(F.entry(.direct, 60, on: "2026-09-30"), Self.context()) == ["date"])
            #expect(Self.fields(F.entry(.direct, 60, on: "2026-11-20"), Self.context(end: "2026-11-19")) == ["date"])
            let invoiced = EntryRules.errors(F.entry(.direct, 60, on: "2026-10-20"), staffID: "fina", context: Self.context(invoiced: [Month(iso: "2026-10")!]))
            #expect(invoiced.map(\.message) == ["Der Monat 2026-10 ist schon abgerechnet. Korrekturen gehen nur über eine Stornorechnung."])
            #expect(Self.fields(F.entry(.onboardingDay, 480), Self.context(onboarding: true)) == ["kind"])
            #expect(Self.fields(F.entry(.onboardingDay, 480), Self.context(onboarding: false)).isEmpty)
        }

        @Test("R10 R11 one staff member cannot be in two places: an overlap is refused, across midnight too; a cancelled appointment leaves the time free")
        func overlaps() {
            let other = EntryRules.NearbyEntry(date: F.day("2026-11-16"), start: F.time("10:30"), minutes: 60, kind: .direct)
            let clash = EntryRules.errors(F.entry(.direct, 60, on: "2026-11-16", at: "10:00"), staffID: "fina", context: Self.context(nearby: [other]))
            #expect(clash == [FieldError("start", "Zu dieser Zeit ist schon ein Eintrag dieser Fachkraft erfasst (16.11.2026, 10:30 Uhr, 60 Min.).")])
            // back to back is fine
            #expect(Self.fields(F.entry(.direct, 30, on: "2026-11-16", at: "10:00"), Self.context(nearby: [other])).isEmpty)
            // a crisis night from 23:00 runs into the next day's early entry
            let early = EntryRules.NearbyEntry(date: F.day("2026-11-17"), start: F.time("00:30"), minutes: 30, kind: .crisis)
            #expect(Self.fields(F.entry(.crisis, 120, on: "2026-11-16", at: "23:00"), Self.context(nearby: [early])) == ["start"])
            // cancellations on either side do not block
            let cancelled = EntryRules.NearbyEntry(date: F.day("2026-11-16"), start: F.time("10:00"), minutes: 60, kind: .cancelled)
            #expect(Self.fields(F.entry(.direct, 60, on: "2026-11-16", at: "10:00"), Self.context(nearby: [cancelled])).isEmpty)
            #expect(EntryRules.overlap(F.entry(.cancelled, 60, on: "2026-11-16", at: "10:30", by: .client), nearby: [other]) == nil)
        }
    }
}
