@testable import FallwerkDomain
import Foundation
import Testing

extension AllTests {
    @Suite("Domain primitives: days, money, hours, identifiers")
    struct DomainPrimitives {
        @Test("Days parse only strict ISO dates that exist")
        func dayParsing() {
            #expect(Day(iso: "2026-02-28")?.day == 28)
            #expect(Day(iso: "2026-02-29") == nil)
            #expect(Day(iso: "2028-02-29") != nil)
            #expect(Day(iso: "2026-2-1") == nil)
            #expect(Day(iso: "01.02.2026") == nil)
            #expect(Day(iso: "2026-13-01") == nil)
        }

        @Test("R3 month arithmetic clamps to month ends: 31 August + 6 months is 28/29 February")
        func monthEnds() {
            // given a case started on 31 August
            let start = Day(iso: "2026-08-31")!
            // when the first review is six months later
            // then it falls on the last day of February, 29 in a leap year
            #expect(start.adding(months: 6) == Day(iso: "2027-02-28"))
            #expect(Day(iso: "2027-08-31")!.adding(months: 6) == Day(iso: "2028-02-29"))
            #expect(Day(iso: "2026-01-31")!.adding(months: 1) == Day(iso: "2026-02-28"))
            #expect(Day(iso: "2026-11-30")!.adding(months: 3) == Day(iso: "2027-02-28"))
        }

        @Test("Day ordinals and weekdays round-trip")
        func ordinals() {
            let day = Day(iso: "2026-11-22")!
            #expect(Day(ordinal: day.ordinal) == day)
            #expect(day.weekday == 7)  // a Sunday
            #expect(day.adding(days: 10) == Day(iso: "2026-12-02"))
            #expect(Day(iso: "2024-12-31")!.days(until: Day(iso: "2025-03-01")!) == 60)
        }

        @Test("R13 money parses exact decimals and never floats")
        func money() {
            #expect(Cents(decimal: "58.40") == Cents(5840))
            #expect(Cents(decimal: "58,4") == Cents(5840))
            #expect(Cents(decimal: "58") == Cents(5800))
            #expect(Cents(decimal: "58.405") == nil)
            #expect(Cents(decimal: "-1") == nil)
            #expect(Cents(decimal: "1e3") == nil)
            #expect(Cents(5840).decimalString == "58.40")
            #expect(Cents(-305).decimalString == "-3.05")
            // Thousands separators in every euro amount on the pages (issue 11): "14.420,17 €".
            #expect(Cents(123_456).german == "1.234,56 €")
            #expect(Cents(1_442_017).german == "14.420,17 €")
            #expect(Cents(-100_000_000).german == "-1.000.000,00 €")
            #expect(Cents(99_999).german == "999,99 €")
            #expect(Cents(5).german == "0,05 €")
        }

        @Test("R13 prices round half-up to the cent")
        func priceRounding() {
            // 25 minutes at 58.40 €/h = 24.3333… € → 24.33 €
            #expect(Cents.price(minutes: 25, hourlyRate: Cents(5840)) == Cents(2433))
            // 1 minute at 0.30 €/h = 0.5 cent → rounds up to 1 cent
            #expect(Cents.price(minutes: 1, hourlyRate: Cents(30)) == Cents(1))
            // 45 minutes at 62.41 €/h = 46.8075 € → 46.81 €
            #expect(Cents.price(minutes: 45, hourlyRate: Cents(6241)) == Cents(4681))
        }

        @Test("R13 hours are whole minutes")
        func hours() {
            #expect(Minutes(hours: "10") == Minutes(600))
            #expect(Minutes(hours: "7.5") == Minutes(450))
            #expect(Minutes(hours: "19,5") == Minutes(1170))
            #expect(Minutes(hours: "0.25") == Minutes(15))
            #expect(Minutes(hours: "0.01") == nil)  // 0.6 minutes
            #expect(Minutes(600).hoursString == "10")
            #expect(Minutes(450).hoursString == "7.5")
            #expect(Minutes(1170).germanHours == "19,5")
        }

        @Test("Leitweg-IDs are checked with ISO 7064 MOD 97-10")
        func leitwegID() {
            // The example of the KoSIT format specification.
            #expect(LeitwegID.isValid("04011000-1234512345-06"))
            #expect(!LeitwegID.isValid("04011000-1234512345-07"))
            #expect(LeitwegID.checkDigits(for: "040110001234512345") == "06")
            #expect(LeitwegID.isValid("991-33333TEST-33"))
            #expect(!LeitwegID.isValid("123"))
            #expect(!LeitwegID.isValid("04011000-12345 12345-06"))
        }

        @Test("IBANs are checked with their MOD 97 check digits")
        func iban() {
            #expect(IBAN.normalized("DE02 1203 0000 0000 2020 51") == "DE02120300000000202051")
            #expect(IBAN.normalized("DE03 1203 0000 0000 2020 51") == nil)
            #expect(IBAN.normalized("DE0212030000000020205") == nil)
            #expect(IBAN.grouped("DE02120300000000202051") == "DE02 1203 0000 0000 2020 51")
        }
    }

    @Suite("Agreement settings")
    struct AgreementSettingsRules {
        @Test("Every setting defaults to the value in SPEC.md")
        func defaults() {
            var v = Validator()
            let s = AgreementSettingsInput().validated(into: &v)
            #expect(v.errors.isEmpty)
            #expect(s.firstReviewMonths == 6)
            #expect(s.reviewIntervalMonths == 6)
            #expect(s.reportLeadDays == 14)
            #expect(s.planDocumentDays == 14 && s.costApprovalDays == 14)
            #expect(s.specificationWeeksFrom == 6 && s.specificationWeeksTo == 8)
            #expect(s.noContactAlertDays == 14)
            #expect(s.balancing == .perUnit)
            #expect(s.reportMinutes == 60)
            #expect(s.onboardingDayMinutes == 0)
            #expect(s.shortNoticeHours == 24)
            #expect(s.shortNoticeBillablePercent == 50 && s.shortNoticeBudgetPercent == 100)
            #expect(s.travelMode == .perVisit)
            #expect(s.travelFlatRate == .zero && s.travelRatePerKm == .zero)
            #expect(s.noShowAlertAfter == 3)
            #expect(s.roundingMinutes == 1)
            #expect(s.requireClientSignature)
            #expect(s.blockAfterYears == 5 && s.deleteAfterAge == 100 && s.invoiceRetentionYears == 8)
        }

        @Test("Given settings override the defaults; bad ones get a German message per field")
        func overridesAndErrors() {
            var input = AgreementSettingsInput()
            input.roundingMinutes = 15
            input.requireClientSignature = false
            input.travelMode = "perKm"
            input.travelRatePerKm = "0.30"
            var v = Validator()
            let s = input.validated(into: &v)
            #expect(v.errors.isEmpty)
            #expect(s.roundingMinutes == 15 && !s.requireClientSignature && s.travelMode == .perKm && s.travelRatePerKm == Cents(30))

            var bad = AgreementSettingsInput()
            bad.roundingMinutes = 7
            bad.balancing = "monthly"
            bad.reportHours = "eins"
            bad.specificationWeeksFrom = 8
            bad.specificationWeeksTo = 6
            var w = Validator()
            _ = bad.validated(into: &w)
            let fields = Set(w.errors.map(\.field))
            #expect(fields == ["settings.roundingMinutes", "settings.balancing", "settings.reportHours", "settings.specificationWeeksTo"])
            #expect(w.errors.allSatisfy { !$0.message.isEmpty && $0.message.hasSuffix(".") })
        }

        @Test("Stored settings missing a later setting decode with its default")
        func forwardCompatibleDecoding() throws {
            let json = #"{"roundingMinutes":15}"#
            let s = try JSONDecoder().decode(AgreementSettings.self, from: Data(json.utf8))
            #expect(s.roundingMinutes == 15)
            #expect(s.reportLeadDays == 14)
        }
    }
}

