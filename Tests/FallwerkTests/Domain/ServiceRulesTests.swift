@testable import FallwerkDomain
import Foundation
import Testing

/// R10 (how each entry kind counts) and R13 (whole minutes, rounding unit, exact money).
extension AllTests {
    @Suite("R10, R13 service rules: how one entry counts")
    struct ServiceRuleTests {
        typealias F = DomainFixtures

        // MARK: R10 – every kind

        @Test("R10 every entry kind under the default settings (75 planned/actual minutes)", arguments: EntryKind.allCases)
        func everyKindByDefault(kind: EntryKind) {
            // A client cancellation two hours ahead is short notice; the others ignore cancellation data.
            let facts = F.entry(kind, 75, by: kind == .cancelled ? .client : nil,
                                cancelledAt: kind == .cancelled ? "2026-11-16T08:00:00+01:00" : nil)
            let count = ServiceRules.count(facts, settings: .defaults)
            let expected: (billable: Int, budget: Int)
            switch kind {
            case .direct, .institution, .planningMeeting, .crisis, .group: expected = (75, 75)
            case .report: expected = (60, 60)             // reportHours "1", whatever it took
            case .onboardingDay: expected = (0, 0)        // the default onboardingDayHours is "0"
            case .cancelled, .noShow: expected = (38, 75) // 50 % of 75 = 37.5 → 38 (halves up), 100 % budget
            case .indirect: expected = (0, 0)             // included in the FLS rate
            }
            #expect(count.billableMinutes == expected.billable)
            #expect(count.budgetMinutes == expected.budget)
            #expect(count.onboardingMinutes == 0)
            #expect(count.travel == .zero)
        }

        @Test("R10 a report counts reportMinutes whatever it took, longer or shorter")
        func report() {
            #expect(F.minutes(F.entry(.report, 240)) == [60, 60])
            #expect(F.minutes(F.entry(.report, 15)) == [60, 60])
            var settings = AgreementSettings()
            settings.reportMinutes = 90
            #expect(F.minutes(F.entry(.report, 15), settings) == [90, 90])
            #expect(F.minutes(F.entry(.report, 240), settings) == [90, 90])
        }

        @Test("R10 the orientation day bills onboardingDayMinutes, counts 0 against the approval and fills its own budget")
        func orientationDay() {
            var settings = AgreementSettings()
            settings.onboardingDayMinutes = 600
            for actual in [300, 480, 720] {
                let count = ServiceRules.count(F.entry(.onboardingDay, actual), settings: settings)
                #expect(count.billableMinutes == 600)
                #expect(count.budgetMinutes == 0)
                #expect(count.onboardingMinutes == 600)
            }
            // Only the orientation day uses the one-off budget.
            for kind in EntryKind.allCases where kind != .onboardingDay {
                #expect(ServiceRules.count(F.entry(kind, 600), settings: settings).onboardingMinutes == 0, "\(kind)")
            }
        }

        @Test("R10 indirect work counts nothing, however long")
        func indirect() {
            #expect(F.minutes(F.entry(.indirect, 1)) == [0, 0])
            #expect(F.minutes(F.entry(.indirect, 480)) == [0, 0])
        }

        @Test("R10 a provider cancellation counts nothing, even minutes before the appointment")
        func providerCancellation() {
            #expect(F.minutes(F.entry(.cancelled, 60, by: .provider, cancelledAt: "2026-11-16T09:55:00+01:00")) == [0, 0])
            #expect(F.minutes(F.entry(.cancelled, 60, by: .provider)) == [0, 0])
        }

        @Test("R10 a client cancellation more than 24 h ahead counts nothing; less than 24 h: 50 % billable, 100 % budget")
        func clientCancellation() {
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-13T10:00:00+01:00")) == [0, 0])
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-16T07:30:00+01:00")) == [30, 60])
            #expect(F.minutes(F.entry(.cancelled, 90, by: .client, cancelledAt: "2026-11-15T18:00:00+01:00")) == [45, 90])
        }

        @Test("R10 a no-show counts 50 % billable and 100 % of the planned minutes against the budget")
        func noShow() {
            #expect(F.minutes(F.entry(.noShow, 60)) == [30, 60])
            #expect(F.minutes(F.entry(.noShow, 45)) == [23, 45])
            #expect(F.minutes(F.entry(.noShow, 120)) == [60, 120])
        }

        // MARK: R10 – the 24-hour boundary

        @Test("R10 cancelled exactly 24 h before the start is short notice (seed 004: 'innerhalb von 24 Stunden')")
        func exactly24Hours() {
            // Appointment 16.11.2026 10:00 CET = 09:00 UTC.
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-15T10:00:00+01:00")) == [30, 60])
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-15T09:00:00Z")) == [30, 60])
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-15T10:00")) == [30, 60])
            // One minute less than 24 h: short notice too.
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-15T10:01:00+01:00")) == [30, 60])
        }

        @Test("R10 cancelled 24 h and one minute before the start is not short notice")
        func oneMinuteMoreThan24Hours() {
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-15T09:59:00+01:00")) == [0, 0])
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-15T08:59:00Z")) == [0, 0])
        }

        @Test("R10 the 24 hours are real hours across the change to summer time (29.03.2026 has 23 hours)")
        func boundaryInSpring() {
            // Appointment Sunday 29.03.2026 10:00 CEST = 08:00 UTC.
            // Saturday 09:00 CET = 08:00 UTC: exactly 24 real hours (25 on the wall clock) → short notice.
            #expect(F.minutes(F.entry(.cancelled, 60, on: "2026-03-29", by: .client, cancelledAt: "2026-03-28T09:00")) == [30, 60])
            // Saturday 08:59 CET: 24 h 1 min → not short notice.
            #expect(F.minutes(F.entry(.cancelled, 60, on: "2026-03-29", by: .client, cancelledAt: "2026-03-28T08:59")) == [0, 0])
            // Saturday 10:00 CET: 24 h on the wall clock but only 23 real hours → short notice.
            #expect(F.minutes(F.entry(.cancelled, 60, on: "2026-03-29", by: .client, cancelledAt: "2026-03-28T10:00+01:00")) == [30, 60])

            // Appointment Monday 30.03.2026 10:00 CEST = 08:00 UTC. Sunday 09:00 is already summer time
            // (CEST, 07:00 UTC), so the notice is 25 real hours → not short notice; a reading of Sunday
            // 09:00 as CET (08:00 UTC, exactly 24 h) would wrongly make it short notice.
            #expect(F.minutes(F.entry(.cancelled, 60, on: "2026-03-30", by: .client, cancelledAt: "2026-03-29T09:00")) == [0, 0])
            // Sunday 10:00 CEST is exactly 24 h before.
            #expect(F.minutes(F.entry(.cancelled, 60, on: "2026-03-30", by: .client, cancelledAt: "2026-03-29T10:00")) == [30, 60])
        }

        @Test("R10 the 24 hours are real hours across the change to winter time (25.10.2026 has 25 hours)")
        func boundaryInAutumn() {
            // Appointment Sunday 25.10.2026 10:00 CET = 09:00 UTC.
            // Saturday 10:00 CEST = 08:00 UTC: 24 h on the wall clock, 25 real hours → not short notice.
            #expect(F.minutes(F.entry(.cancelled, 60, on: "2026-10-25", by: .client, cancelledAt: "2026-10-24T10:00")) == [0, 0])
            // Saturday 11:00 CEST = 09:00 UTC: exactly 24 real hours → short notice.
            #expect(F.minutes(F.entry(.cancelled, 60, on: "2026-10-25", by: .client, cancelledAt: "2026-10-24T11:00")) == [30, 60])
        }

        @Test("R10 shortNoticeHours and both percentages come from the agreement")
        func customShortNotice() {
            var settings = AgreementSettings()
            settings.shortNoticeHours = 48
            settings.shortNoticeBillablePercent = 40
            settings.shortNoticeBudgetPercent = 80
            // Appointment 16.11.2026 10:00; 47 h, exactly 48 h and 48 h 1 min ahead.
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-14T11:00"), settings) == [24, 48])
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-14T10:00"), settings) == [24, 48])
            #expect(F.minutes(F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-14T09:59"), settings) == [0, 0])
            // A no-show uses the same percentages.
            #expect(F.minutes(F.entry(.noShow, 60), settings) == [24, 48])
            // 30 h ahead: short notice under 48 h, not under the default 24 h.
            let thirtyHours = F.entry(.cancelled, 60, by: .client, cancelledAt: "2026-11-15T04:00")
            #expect(F.minutes(thirtyHours, settings) == [24, 48])
            #expect(F.minutes(thirtyHours) == [0, 0])

            var nothingBillable = AgreementSettings()
            nothingBillable.shortNoticeBillablePercent = 0
            nothingBillable.shortNoticeBudgetPercent = 50
            #expect(F.minutes(F.entry(.noShow, 90), nothingBillable) == [0, 45])
        }

        // MARK: R10 – travel

        @Test("R10 travel perVisit: the flat rate once per home visit, whatever the kilometres")
        func travelPerVisit() {
            var settings = AgreementSettings()
            settings.travelFlatRate = Cents(850)
            settings.travelRatePerKm = Cents(30)
            for kind in [EntryKind.direct, .crisis, .onboardingDay] {
                #expect(ServiceRules.count(F.entry(kind, 60, homeVisit: true, km: 40), settings: settings).travel == Cents(850), "\(kind)")
                #expect(ServiceRules.count(F.entry(kind, 60, homeVisit: false, km: 40), settings: settings).travel == .zero, "\(kind)")
            }
            // Travel is separate: it does not change the minutes.
            #expect(F.minutes(F.entry(.direct, 60, homeVisit: true), settings) == [60, 60])
        }

        @Test("R10 travel perKm: kilometres × rate in exact cents; none: nothing")
        func travelPerKmAndNone() {
            var settings = AgreementSettings()
            settings.travelFlatRate = Cents(850)
            settings.travelRatePerKm = Cents(35)
            settings.travelMode = .perKm
            #expect(ServiceRules.count(F.entry(.direct, 60, homeVisit: true, km: 37), settings: settings).travel == Cents(1_295))
            #expect(ServiceRules.count(F.entry(.direct, 60, homeVisit: true, km: 0), settings: settings).travel == .zero)
            #expect(ServiceRules.count(F.entry(.direct, 60, homeVisit: true), settings: settings).travel == .zero)
            #expect(ServiceRules.count(F.entry(.direct, 60, homeVisit: false, km: 37), settings: settings).travel == .zero)
            settings.travelMode = .none
            #expect(ServiceRules.count(F.entry(.direct, 60, homeVisit: true, km: 37), settings: settings).travel == .zero)
        }

        @Test("R10 no travel on a kind that is no visit, even when marked as a home visit")
        func noTravelOffVisits() {
            var settings = AgreementSettings()
            settings.travelFlatRate = Cents(850)
            for kind in EntryKind.allCases where !kind.canBeHomeVisit {
                #expect(ServiceRules.count(F.entry(kind, 60, by: .client, cancelledAt: "2026-11-16T09:00", homeVisit: true, km: 10),
                                           settings: settings).travel == .zero, "\(kind)")
            }
            #expect(Set(EntryKind.allCases.filter(\.canBeHomeVisit)) == [.direct, .crisis, .onboardingDay, .noShow])
        }

        // MARK: R10 – group sessions

        @Test("R10 group shares: session ÷ cases, remainder from the first case, adding up to the session")
        func groupShares() {
            #expect(ServiceRules.groupShares(sessionMinutes: 90, caseCount: 3) == [30, 30, 30])
            #expect(ServiceRules.groupShares(sessionMinutes: 100, caseCount: 3) == [34, 33, 33])
            #expect(ServiceRules.groupShares(sessionMinutes: 59, caseCount: 4) == [15, 15, 15, 14])
            #expect(ServiceRules.groupShares(sessionMinutes: 2, caseCount: 3) == [1, 1, 0])
            #expect(ServiceRules.groupShares(sessionMinutes: 120, caseCount: 1) == [120])
            #expect(ServiceRules.groupShares(sessionMinutes: 60, caseCount: 0).isEmpty)
            for (session, cases) in [(100, 3), (61, 7), (240, 9), (1, 2)] {
                #expect(ServiceRules.groupShares(sessionMinutes: session, caseCount: cases).reduce(0, +) == session, "\(session)/\(cases)")
            }
        }

        @Test("R10 a group share counts its minutes like direct work")
        func groupShareCounts() {
            #expect(F.minutes(F.entry(.group, 34)) == [34, 34])
        }

        // MARK: R13

        @Test("R13 rounding unit 15: to the nearest quarter hour (7 → 0, 8 → 15, 52 → 45, 53 → 60)")
        func roundingUnit15() {
            #expect(ServiceRules.round(7, to: 15) == 0)
            #expect(ServiceRules.round(8, to: 15) == 15)
            #expect(ServiceRules.round(22, to: 15) == 15)
            #expect(ServiceRules.round(23, to: 15) == 30)
            #expect(ServiceRules.round(52, to: 15) == 45)
            #expect(ServiceRules.round(53, to: 15) == 60)
            #expect(ServiceRules.round(60, to: 15) == 60)
        }

        @Test("R13 rounding halves up for even units; unit 1 leaves minutes unchanged")
        func roundingOtherUnits() {
            #expect(ServiceRules.round(5, to: 10) == 10)
            #expect(ServiceRules.round(4, to: 10) == 0)
            #expect(ServiceRules.round(15, to: 30) == 30)
            #expect(ServiceRules.round(14, to: 30) == 0)
            #expect(ServiceRules.round(30, to: 60) == 60)
            for minutes in [1, 7, 8, 52, 53, 1_439] {
                #expect(ServiceRules.round(minutes, to: 1) == minutes)
            }
        }

        @Test("R13 the agreement's rounding unit applies to counted minutes, also to planned minutes of a no-show")
        func roundingInCount() {
            var settings = AgreementSettings()
            settings.roundingMinutes = 15
            #expect(F.minutes(F.entry(.direct, 52), settings) == [45, 45])
            #expect(F.minutes(F.entry(.direct, 53), settings) == [60, 60])
            #expect(F.minutes(F.entry(.crisis, 7), settings) == [0, 0])
            #expect(F.minutes(F.entry(.noShow, 50), settings) == [23, 45])  // 50 → 45, 50 % → 22.5 → 23
            #expect(F.minutes(F.entry(.direct, 1)) == [1, 1])               // default unit 1
            #expect(F.minutes(F.entry(.direct, 52)) == [52, 52])
        }

        @Test("R13 percentages in whole minutes, halves up (45 × 50 % = 23)")
        func percentages() {
            #expect(ServiceRules.percent(45, 50) == 23)
            #expect(ServiceRules.percent(44, 50) == 22)
            #expect(ServiceRules.percent(1, 50) == 1)
            #expect(ServiceRules.percent(0, 50) == 0)
            #expect(ServiceRules.percent(60, 100) == 60)
            #expect(ServiceRules.percent(60, 0) == 0)
            #expect(ServiceRules.percent(10, 33) == 3)   // 3.3 → 3
            #expect(ServiceRules.percent(10, 35) == 4)   // 3.5 → 4
        }

        @Test("R13 money is whole cents in integers: exact sums, exact per-km travel, prices half up")
        func moneyIsExact() {
            // 0.1 + 0.2 is not 0.3 in binary floating point; in cents it is.
            #expect(Cents(decimal: "0.10")! + Cents(decimal: "0.20")! == Cents(decimal: "0.30")!)
            let tenCents = (0..<10).reduce(Cents.zero) { sum, _ in sum + Cents(decimal: "0.10")! }
            #expect(tenCents == Cents(decimal: "1.00")!)
            #expect(type(of: Cents.zero.value) == Int64.self)
            // 30 minutes at 62.41 €/h = 31.205 € → 31.21 €; 1 minute at 62.41 €/h = 1.0401… € → 1.04 €.
            #expect(Cents.price(minutes: 30, hourlyRate: Cents(6_241)) == Cents(3_121))
            #expect(Cents.price(minutes: 1, hourlyRate: Cents(6_241)) == Cents(104))
            // A large month stays exact.
            #expect(Cents.price(minutes: 1_000_003, hourlyRate: Cents(9_999)) == Cents(166_650_500))
        }
    }
}
