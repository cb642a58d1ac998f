@testable import FallwerkDomain
import Foundation
import Testing

/// R10 travel per home visit after visits and budget, and the entry preview (R9, R10) that says
/// what saving adds: issue 10, defects 10 and 11. No database.
extension AllTests {
    @Suite("R9, R10 travel per visit and the entry preview")
    struct TravelAndPreviewRuleTests {
        typealias F = DomainFixtures

        static let november = F.approval("2026-11-01", "2026-11-30", minutes: 600, per: .month)
        static let flatRate = Cents(850)

        static func visit(_ id: String, _ date: String = "2026-11-10", at start: String = "10:00", minutes: Int = 60,
                          _ kind: EntryKind = .direct, billable: Int? = nil, budget: Int? = nil, travel: Cents = flatRate) -> LedgerEntry {
            LedgerEntry(id: id, date: F.day(date), start: F.time(start), minutes: minutes, kind: kind,
                        count: EntryCount(billableMinutes: billable ?? minutes, budgetMinutes: budget ?? billable ?? minutes, travel: travel))
        }

        static func billedTravel(_ ledger: BudgetLedger) -> [String: Int64] {
            ledger.entries.mapValues(\.billedTravel.value)
        }

        // MARK: R10 travel

        @Test("R10 a no-show at the door earns travel: the worker drove there; a cancellation earns none (defect 10a)")
        func R10_noShowAtTheDoorEarnsTravel() {
            var settings = AgreementSettings()
            settings.travelFlatRate = Self.flatRate
            // given: "nicht angetroffen" on a home visit
            let noShow = F.entry(.noShow, 60, homeVisit: true, km: 12)
            // then: the flat rate, beside the short-notice minutes (R10: 50 % billable, 100 % budget)
            #expect(ServiceRules.count(noShow, settings: settings).travel == Self.flatRate)
            #expect(F.minutes(noShow, settings) == [30, 60])
            // per km: the kilometres driven
            settings.travelMode = .perKm
            settings.travelRatePerKm = Cents(35)
            #expect(ServiceRules.count(noShow, settings: settings).travel == Cents(420))
            // a client cancellation, even at short notice, is no trip
            settings.travelMode = .perVisit
            let cancelled = F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-16T09:00", homeVisit: true, km: 12)
            #expect(ServiceRules.count(cancelled, settings: settings).travel == .zero)
            #expect(!EntryKind.cancelled.canBeHomeVisit)
            // the agreement decides whether travel is billed at all
            settings.travelMode = .none
            #expect(ServiceRules.count(noShow, settings: settings).travel == .zero)
        }

        @Test("R10 one home visit by two staff earns one flat rate; two visits on one day earn two (defect 10b)")
        func R10_oneVisitTwoStaffOneFlatRate() {
            // given: Anna 10:00–11:00 and Ben 10:15–11:00 at the family's home (R11: two entries)
            let ledger = BudgetLedger(approvals: [Self.november], entries: [
                Self.visit("anna", at: "10:00"), Self.visit("ben", at: "10:15", minutes: 45),
            ])
            // then: the visit's travel is billed once
            #expect(ledger.totalBilledTravel == Self.flatRate)
            #expect(Self.billedTravel(ledger) == ["anna": 850, "ben": 0])
            // both still bill their minutes (R11)
            #expect(ledger.totalBillableMinutes == 105)
            // two visits at different times of the day are two trips
            let twice = BudgetLedger(approvals: [Self.november], entries: [
                Self.visit("morning", at: "09:00"), Self.visit("afternoon", at: "15:00"),
            ])
            #expect(twice.totalBilledTravel == Cents(1_700))
            // back to back is not overlapping: a second trip
            let adjacent = BudgetLedger(approvals: [Self.november], entries: [
                Self.visit("first", at: "09:00"), Self.visit("second", at: "10:00"),
            ])
            #expect(adjacent.totalBilledTravel == Cents(1_700))
            // the same time on another day is another visit
            let days = BudgetLedger(approvals: [Self.november], entries: [
                Self.visit("mon", "2026-11-09"), Self.visit("tue", "2026-11-10"),
            ])
            #expect(days.totalBilledTravel == Cents(1_700))
            // a chain of overlapping entries is one visit
            let chain = BudgetLedger(approvals: [Self.november], entries: [
                Self.visit("a", at: "10:00", minutes: 60), Self.visit("b", at: "10:45", minutes: 60), Self.visit("c", at: "11:30", minutes: 30),
            ])
            #expect(chain.totalBilledTravel == Self.flatRate)
        }

        @Test("R10 per km, a shared visit bills the longest drive once, not the sum (defect 10b)")
        func R10_perKmSharedVisit() {
            // given: Anna drove 12 km (4,20 €), Ben 20 km (7,00 €) to the same visit
            let ledger = BudgetLedger(approvals: [Self.november], entries: [
                Self.visit("anna", at: "10:00", travel: Cents(420)), Self.visit("ben", at: "10:00", travel: Cents(700)),
            ])
            // then: the one trip is billed at the longer drive, on Ben's entry (whose kilometres billing sums)
            #expect(Self.billedTravel(ledger) == ["anna": 0, "ben": 700])
        }

        @Test("R10 a visit entirely over budget earns no travel until an increase covers it (defect 10c)")
        func R10_noTravelWhileOverBudget() {
            // given: 600 minutes, 600 used, then a home visit
            let entries = [Self.visit("full", "2026-11-02", minutes: 600, travel: .zero), Self.visit("over", "2026-11-10")]
            let ledger = BudgetLedger(approvals: [Self.november], entries: entries)
            // then: the visit is over budget and not billable (R9), and neither is its trip
            #expect(ledger.entries["over"]?.billableMinutes == 0)
            #expect(ledger.entries["over"]?.travel == Self.flatRate)
            #expect(ledger.entries["over"]?.billedTravel == .zero)
            // an increase makes the visit and its trip billable
            let raised = F.approval("2026-11-01", "2026-11-30", minutes: 600, per: .month, increases: [F.increase(60, on: "2026-11-15")])
            #expect(BudgetLedger(approvals: [raised], entries: entries).entries["over"]?.billedTravel == Self.flatRate)
            // a visit partly inside the budget is billable, with its trip
            let partly = BudgetLedger(approvals: [Self.november], entries: [Self.visit("most", "2026-11-02", minutes: 570, travel: .zero),
                                                                          Self.visit("half", "2026-11-10")])
            #expect(partly.entries["half"]?.billableMinutes == 30)
            #expect(partly.entries["half"]?.billedTravel == Self.flatRate)
            // no approval on the day: no travel
            let uncovered = BudgetLedger(approvals: [Self.november], entries: [Self.visit("december", "2026-12-02")])
            #expect(uncovered.entries["december"]?.billedTravel == .zero)
            // of two staff at one visit, the one still within budget carries the trip
            let tight = BudgetLedger(approvals: [F.approval("2026-11-01", "2026-11-30", minutes: 60, per: .month)], entries: [
                Self.visit("anna", at: "10:00", travel: Cents(420)), Self.visit("ben", at: "10:00", travel: Cents(700)),
            ])
            #expect(tight.entries["ben"]?.billableMinutes == 0)
            #expect(Self.billedTravel(tight) == ["anna": 420, "ben": 0])
        }

        // MARK: R9, R10 preview

        static func preview(_ entry: LedgerEntry, entries: [LedgerEntry], approvals: [Approval] = [november],
                            replacing: String? = nil) -> EntryPreview {
            EntryPreview.make(entry, approvals: approvals, entries: entries, replacing: replacing)
        }

        @Test("R9 the preview's billable minutes are those after the budget, matching its over-budget minutes (defect 11)")
        func R9_previewBillableAfterBudget() {
            // given: 540 of 600 minutes used; 90 more minutes typed
            let preview = Self.preview(Self.visit("new", "2026-11-21", minutes: 90, travel: .zero),
                                       entries: [Self.visit("used", "2026-11-02", minutes: 540, travel: .zero)])
            // then: 60 billable, 30 over (before: "90 Min. abrechenbar … 30 Min. über dem Budget")
            #expect(preview.count.billableMinutes == 90)
            #expect(preview.billableMinutes == 60)
            #expect(preview.overBudgetMinutes == 30)
            #expect(preview.billableMinutes + preview.overBudgetMinutes == preview.count.budgetMinutes)
            #expect(preview.window?.usedMinutes == 630)
            // an entry dated before others pushes them over: the preview counts what the case gains
            let earlier = Self.preview(Self.visit("new", "2026-11-01", minutes: 90, travel: .zero),
                                       entries: [Self.visit("used", "2026-11-02", minutes: 540, travel: .zero)])
            #expect(earlier.billableMinutes == 60)
            #expect(earlier.overBudgetMinutes == 30)
            // editing an entry replaces it: 540 → 600 stays inside the budget
            let edit = Self.preview(Self.visit("used", "2026-11-02", minutes: 600, travel: .zero),
                                    entries: [Self.visit("used", "2026-11-02", minutes: 540, travel: .zero)], replacing: "used")
            #expect(edit.billableMinutes == 600)
            #expect(edit.overBudgetMinutes == 0)
        }

        @Test("R9 on a day no approval covers, the preview bills nothing (defect 11)")
        func R9_previewWithoutApproval() {
            let preview = Self.preview(Self.visit("new", "2026-12-02", minutes: 90), entries: [])
            #expect(!preview.isCovered)
            #expect(preview.billableMinutes == 0)
            #expect(preview.overBudgetMinutes == 90)
            #expect(preview.travel == .zero)
            let none = Self.preview(Self.visit("new", "2026-11-10", minutes: 90), entries: [], approvals: [])
            #expect(none.billableMinutes == 0 && !none.isCovered)
        }

        @Test("R10 the preview adds no second flat rate for a visit already recorded by a colleague (defect 10, 11)")
        func R10_previewSecondStaffNoTravel() {
            let anna = Self.visit("anna", at: "10:00")
            let ben = Self.preview(Self.visit("ben", at: "10:15", minutes: 45), entries: [anna])
            #expect(ben.count.travel == Self.flatRate)
            #expect(ben.travel == .zero)
            #expect(ben.billableMinutes == 45)
            #expect(Self.preview(anna, entries: []).travel == Self.flatRate)
        }

        @Test("R10 a cancellation after the appointment's start is no cancellation: refused as typed, a no-show if stored (defect 11)")
        func R10_cancellationAfterStart() {
            // given: the client "cancelled" at 10:30 an appointment that began at 10:00
            var v = Validator()
            let input = EntryInput(date: "2026-11-16", start: "10:00", minutes: 60, kind: "cancelled", cancelledBy: "client",
                                   cancelledAt: "2026-11-16T10:30")
            // then: the form and API refuse it and point to "nicht angetroffen"
            #expect(input.validated(into: &v, today: F.day("2026-11-22")) == nil)
            #expect(v.errors.first { $0.field == "cancelledAt" }?.message.contains("nicht angetroffen") == true)
            // and stored data of that shape counts explicitly like the no-show it was, never as an early cancellation
            let late = F.entry(.cancelled, 60, on: "2026-11-16", by: .client, cancelledAt: "2026-11-16T10:30")
            #expect(late.isShortNotice(.defaults))
            #expect(F.minutes(late) == F.minutes(F.entry(.noShow, 60, on: "2026-11-16")))
            // a day and a minute ahead is in good time
            #expect(!F.entry(.cancelled, 60, on: "2026-11-16", by: .client, cancelledAt: "2026-11-15T09:59").isShortNotice(.defaults))
        }
    }
}
