@testable import FallwerkDomain
import Testing

/// People and capacity (issue 14) in the domain, no app: free capacity (R2), the planned load and the
/// qualification check (R26), the certificate (R24), training, supervision, acknowledgement and
/// induction (R25), absences (R27), the on-call rota (R28), intake requests (R1) and guardian contact (R7).
/// Every test checks the exact boundary, so that it fails when the rule moves by one.
extension AllTests {
    @Suite("People and capacity (domain)")
    struct StaffingRuleTests {
        typealias F = DomainFixtures

        static let today = F.day("2026-12-05")

        /// The field names of the `ValidationFailure` that `body` throws; [] when it does not throw.
        static func refusedFields(_ body: () throws -> Void) -> [String] {
            do {
                try body()
                return []
            } catch let failure as ValidationFailure {
                return failure.errors.map(\.field)
            } catch {
                Issue.record("unexpected error \(error)")
                return ["<\(error)>"]
            }
        }

        static func month(_ year: Int, _ month: Int) -> Month { Month(year: year, month: month)! }

        // MARK: R2 capacity

        @Test func R2_capacityIsContractTimesProductiveShareMinusWeeklyBudgets() {
            // 39 hours a week at the default 75 %.
            #expect(Capacity.defaultProductivePercent == 75)
            #expect(Capacity.productiveMinutes(contract: 2_340, productivePercent: 75) == 1_755)
            #expect(Capacity.freeMinutes(contract: 2_340, productivePercent: 75, budgets: 0) == 1_755)
            #expect(Capacity.freeMinutes(contract: 2_340, productivePercent: 75, budgets: 600) == 1_155)
            #expect(Capacity.freeMinutes(contract: 2_340, productivePercent: 75, budgets: 1_755) == 0)
            // Over-planned: negative, not clamped to zero.
            #expect(Capacity.freeMinutes(contract: 2_340, productivePercent: 75, budgets: 1_800) == -45)
            // 20.5 hours = 1230 minutes × 75 % = 922.5 → 923 (half up).
            #expect(Capacity.productiveMinutes(contract: 1_230, productivePercent: 75) == 923)
            // Another share set by the provider.
            #expect(Capacity.productiveMinutes(contract: 2_340, productivePercent: 80) == 1_872)
        }

        @Test func R2_weeklyBudgetPerWeekCountsAsIs() {
            let from = F.day("2026-10-01"), to = F.day("2027-03-31")
            #expect(Capacity.weeklyMinutes(600, unit: .week, from: from, to: to) == 600)
            #expect(Capacity.weeklyMinutes(1, unit: .week, from: from, to: to) == 1)
            #expect(Capacity.weeklyMinutes(600, unit: .week) == 600)
        }

        @Test func R2_weeklyBudgetPerMonthIsTimes12Over52RoundedHalfUp() {
            let from = F.day("2026-10-01"), to = F.day("2027-03-31")
            // 20 h a month: 1200 × 12 / 52 = 276.92 → 277.
            #expect(Capacity.weeklyMinutes(1_200, unit: .month, from: from, to: to) == 277)
            #expect(Capacity.weeklyMinutes(1_200, unit: .month) == 277)
            // 10 h a month: 600 × 12 / 52 = 138.46 → 138 (rounded, not ceiled).
            #expect(Capacity.weeklyMinutes(600, unit: .month, from: from, to: to) == 138)
            // 13 minutes a month: 3.0 exactly.
            #expect(Capacity.weeklyMinutes(13, unit: .month, from: from, to: to) == 3)
        }

        @Test func R2_weeklyBudgetPerHalfYearIsTimes2Over52RoundedHalfUp() {
            let from = F.day("2026-10-01"), to = F.day("2027-03-31")
            // 60 h a half-year: 3600 × 2 / 52 = 138.46 → 138.
            #expect(Capacity.weeklyMinutes(3_600, unit: .halfYear, from: from, to: to) == 138)
            // Exactly half a minute rounds up, just below rounds down.
            #expect(Capacity.weeklyMinutes(13, unit: .halfYear, from: from, to: to) == 1)
            #expect(Capacity.weeklyMinutes(12, unit: .halfYear, from: from, to: to) == 0)
            #expect(Capacity.weeklyMinutes(3_600, unit: .halfYear) == 138)
        }

        @Test func R2_weeklyBudgetForThePeriodIsSpreadOverItsDaysInclusive() {
            // 14 days inclusive: 1000 × 7 / 14 = 500.
            #expect(Capacity.weeklyMinutes(1_000, unit: .period, from: F.day("2026-01-01"), to: F.day("2026-01-14")) == 500)
            // 10 days inclusive: 700 (9 days, i.e. exclusive, would give 778).
            #expect(Capacity.weeklyMinutes(1_000, unit: .period, from: F.day("2026-01-01"), to: F.day("2026-01-10")) == 700)
            // A year: 5200 × 7 / 365 = 99.73 → 100.
            #expect(Capacity.weeklyMinutes(5_200, unit: .period, from: F.day("2026-01-01"), to: F.day("2026-12-31")) == 100)
            // One day: the whole budget × 7.
            #expect(Capacity.weeklyMinutes(60, unit: .period, from: F.day("2026-01-01"), to: F.day("2026-01-01")) == 420)
            // A requested budget for the whole period has no weeks yet.
            #expect(Capacity.weeklyMinutes(1_000, unit: .period) == nil)
        }

        // MARK: R26 load and qualification

        @Test func R26_plannedLoadIsBudgetsPlusTheIndirectShareOfTheContract() {
            // Indirect share of 39 h at 75 %: 2340 − 1755 = 585.
            #expect(Capacity.plannedLoad(contract: 2_340, productivePercent: 75, budgets: 0) == 585)
            #expect(Capacity.plannedLoad(contract: 2_340, productivePercent: 75, budgets: 600) == 1_185)
            // Budgets that fill the productive time: planned at the contract hours.
            #expect(Capacity.plannedLoad(contract: 2_340, productivePercent: 75, budgets: 1_755) == 2_340)
            // 2295 minutes of budgets bring 39 h exactly to 48 h.
            #expect(Capacity.plannedLoad(contract: 2_340, productivePercent: 75, budgets: 2_295) == 2_880)
        }

        @Test func R26_loadRefusalStartsAboveExactly48HoursUnlessAReasonIsGiven() {
            #expect(Capacity.maxWeeklyLoadMinutes == 2_880)
            #expect(Capacity.loadRefusal(name: "Erika Fink", load: 2_880, reason: nil) == nil)
            let refusal = Capacity.loadRefusal(name: "Erika Fink", load: 2_881, reason: nil)
            #expect(refusal != nil)
            #expect(refusal?.contains("Erika Fink") == true)
            #expect(refusal?.contains("48 Stunden") == true)
            #expect(Capacity.loadRefusal(name: "Erika Fink", load: 2_881, reason: "Vertretung für längere Krankheit im Team") == nil)
            // Blank is no reason.
            #expect(Capacity.loadRefusal(name: "Erika Fink", load: 2_881, reason: "   ") != nil)
            #expect(Capacity.loadRefusal(name: "Erika Fink", load: 2_881, reason: "") != nil)
        }

        @Test func R26_qualificationRefusalWhenTheOfferRequiresAnotherQualification() {
            let refusal = Capacity.qualificationRefusal(name: "Eda Engel", qualification: .educator, required: .socialWorker, reason: nil)
            #expect(refusal != nil)
            #expect(refusal?.contains("Eda Engel") == true)
            #expect(!Capacity.meets(.educator, required: .socialWorker))
            #expect(Capacity.qualificationRefusal(name: "Eda Engel", qualification: .educator, required: .socialWorker,
                                                  reason: "Langjährige Erfahrung in der Familienhilfe") == nil)
            #expect(Capacity.qualificationRefusal(name: "Eda Engel", qualification: .educator, required: .socialWorker, reason: "  ") != nil)
            #expect(Capacity.qualificationRefusal(name: "Eda Engel", qualification: .educator, required: nil, reason: nil) == nil)
            #expect(Capacity.qualificationRefusal(name: "Erika Fink", qualification: .socialWorker, required: .socialWorker, reason: nil) == nil)
            #expect(Capacity.meets(.educator, required: nil))
        }

        // MARK: R24 certificate

        @Test func R24_aCertificateIssuedOnALeapDayRunsTo28February() {
            let issued = Day(year: 2024, month: 2, day: 29)!
            #expect(StaffStandards.validUntil(issued: issued) == Day(year: 2029, month: 2, day: 28)!)
            #expect(StaffStandards.certificateState(issued: issued, on: Day(year: 2029, month: 2, day: 28)!) == .open)
            #expect(StaffStandards.certificateState(issued: issued, on: Day(year: 2029, month: 3, day: 1)!) == .missing)
        }

        @Test func R24_certificateIsValidFiveYearsMinusADay() {
            #expect(StaffStandards.validUntil(issued: F.day("2021-12-05")) == F.day("2026-12-04"))
            #expect(StaffStandards.validUntil(issued: F.day("2022-03-01")) == F.day("2027-02-28"))
            #expect(StaffStandards.validUntil(issued: F.day("2024-01-01")) == F.day("2028-12-31"))
        }

        @Test func R24_certificateStateIsOpenThreeMonthsBeforeItRunsOutAndMissingAfter() {
            let issued = F.day("2021-12-05")
            #expect(StaffStandards.certificateState(issued: issued, on: F.day("2026-09-04")) == .met)
            #expect(StaffStandards.certificateState(issued: issued, on: F.day("2026-09-05")) == .open)
            #expect(StaffStandards.certificateState(issued: issued, on: F.day("2026-12-04")) == .open)
            #expect(StaffStandards.certificateState(issued: issued, on: F.day("2026-12-05")) == .missing)
            // Met from the day it was issued.
            #expect(StaffStandards.certificateState(issued: issued, on: issued) == .met)
        }

        @Test func R24_noCertificateOrOneDatedAfterTheDayIsMissing() {
            #expect(StaffStandards.certificateState(issued: nil, on: Self.today) == .missing)
            #expect(StaffStandards.certificateState(issued: F.day("2026-12-06"), on: Self.today) == .missing)
        }

        @Test func R24_standardsJudgeTheNewestCertificateIssuedByTheDay() {
            var records = StaffRecords()
            records.certificates = [F.day("2021-12-05"), F.day("2024-01-10"), F.day("2026-12-20")]
            let standards = StaffStandards(year: 2026, today: Self.today, records: records, plannedWeeklyMinutes: 585)
            // 2026-12-20 lies after today and is left out; 2024-01-10 is the newest.
            #expect(standards.certificateValidUntil == F.day("2029-01-09"))
            #expect(standards.state(.certificate) == .met)
            var old = StaffRecords()
            old.certificates = [F.day("2021-12-04")]
            let expired = StaffStandards(year: 2026, today: Self.today, records: old, plannedWeeklyMinutes: 585)
            #expect(expired.certificateValidUntil == F.day("2026-12-03"))
            #expect(expired.state(.certificate) == .missing)
            #expect(StaffStandards(year: 2026, today: Self.today, records: StaffRecords(), plannedWeeklyMinutes: 585).certificateValidUntil == nil)
        }

        // MARK: R25 training, supervision, acknowledgement, induction

        static func standards(trainings: [(String, Int)] = [], supervisions: [(String, Int)] = [], acknowledgements: [String] = [],
                              year: Int = 2026, today: String = "2026-12-05") -> StaffStandards {
            var records = StaffRecords()
            records.trainings = trainings.map { (date: F.day($0.0), minutes: $0.1) }
            records.supervisions = supervisions.map { (date: F.day($0.0), minutes: $0.1) }
            records.acknowledgements = acknowledgements.map(F.day)
            return StaffStandards(year: year, today: F.day(today), records: records, plannedWeeklyMinutes: 585)
        }

        @Test func R25_trainingNeeds936MinutesInTheCalendarYear() {
            #expect(StaffStandards.trainingMinutesPerYear == 936)
            // 935: one minute short; open while the year runs.
            let short = Self.standards(trainings: [("2026-03-10", 480), ("2026-09-15", 455)])
            #expect(short.trainingMinutes == 935)
            #expect(short.state(.training) == .open)
            #expect(short.missing.contains(.training))
            // The same in a past year is missing.
            let past = Self.standards(trainings: [("2025-03-10", 480), ("2025-09-15", 455)], year: 2025)
            #expect(past.trainingMinutes == 935)
            #expect(past.state(.training) == .missing)
            // 936 is met.
            let met = Self.standards(trainings: [("2026-03-10", 480), ("2026-09-15", 456)])
            #expect(met.trainingMinutes == 936)
            #expect(met.state(.training) == .met)
            #expect(!met.missing.contains(.training))
        }

        @Test func R25_trainingsInAnotherCalendarYearDoNotCount() {
            let standards = Self.standards(trainings: [("2025-12-31", 936), ("2027-01-01", 936), ("2026-01-01", 100), ("2026-12-31", 200)])
            #expect(standards.trainingMinutes == 300)
            #expect(standards.state(.training) == .open)
            let lastYear = Self.standards(trainings: [("2025-12-31", 936), ("2027-01-01", 936), ("2026-01-01", 100)], year: 2025)
            #expect(lastYear.trainingMinutes == 936)
            #expect(lastYear.state(.training) == .met)
            // A past year is judged on its 31 December.
            #expect(lastYear.asOf == F.day("2025-12-31"))
            #expect(standards.asOf == Self.today)
        }

        @Test func R25_supervisionNeedsEightSessionsOfAtLeast120Minutes() {
            let eight = (1...8).map { ("2026-0\($0)-15", 120) }
            let met = Self.standards(supervisions: eight)
            #expect(met.supervisionsCounted == 8)
            #expect(met.state(.supervision) == .met)
            // Seven of 120 and one of 60: the short one does not count.
            let shortOne = Self.standards(supervisions: Array(eight.prefix(7)) + [("2026-08-15", 60)])
            #expect(shortOne.supervisionsCounted == 7)
            #expect(shortOne.state(.supervision) == .open)
            // 119 minutes is not enough either; 120 is.
            let almost = Self.standards(supervisions: Array(eight.prefix(7)) + [("2026-08-15", 119)])
            #expect(almost.supervisionsCounted == 7)
            // Sessions of another year do not count.
            let otherYear = Self.standards(supervisions: Array(eight.prefix(7)) + [("2025-12-15", 120)])
            #expect(otherYear.supervisionsCounted == 7)
            #expect(Self.standards(supervisions: Array(eight.prefix(7)), year: 2026, today: "2026-12-31").state(.supervision) == .open)
            let sevenLastYear = (1...7).map { ("2025-0\($0)-15", 120) }
            #expect(Self.standards(supervisions: sevenLastYear, year: 2025).state(.supervision) == .missing)
        }

        @Test func R25_acknowledgementCountsOnlyInItsCalendarYear() {
            let lastYear = Self.standards(acknowledgements: ["2025-12-31"])
            #expect(!lastYear.acknowledged)
            #expect(lastYear.state(.acknowledgement) == .open)
            let thisYear = Self.standards(acknowledgements: ["2026-01-01"])
            #expect(thisYear.acknowledged)
            #expect(thisYear.state(.acknowledgement) == .met)
            let pastYear = Self.standards(acknowledgements: ["2026-01-01"], year: 2025)
            #expect(!pastYear.acknowledged)
            #expect(pastYear.state(.acknowledgement) == .missing)
        }

        @Test func R25_inductionNeedsBothModules() {
            var one = StaffRecords()
            one.inductionModule1 = F.day("2026-10-01")
            #expect(!one.inductionComplete(on: Self.today))
            let onlyOne = StaffStandards(year: 2026, today: Self.today, records: one, plannedWeeklyMinutes: 585)
            #expect(!onlyOne.inductionComplete)
            #expect(onlyOne.state(.induction) == .missing)
            var two = StaffRecords()
            two.inductionModule2 = F.day("2026-10-01")
            #expect(!two.inductionComplete(on: Self.today))
            var both = one
            both.inductionModule2 = F.day("2026-11-15")
            // Not before the later module was done.
            #expect(!both.inductionComplete(on: F.day("2026-11-14")))
            #expect(both.inductionComplete(on: F.day("2026-11-15")))
            let done = StaffStandards(year: 2026, today: Self.today, records: both, plannedWeeklyMinutes: 585)
            #expect(done.inductionComplete)
            #expect(done.state(.induction) == .met)
            // Judged on 31 December 2025, modules of 2026 were not done yet.
            #expect(!StaffStandards(year: 2025, today: Self.today, records: both, plannedWeeklyMinutes: 585).inductionComplete)
        }

        @Test func R25_R26_standardsAreMetOnlyWhenEveryItemIsMet() {
            var records = StaffRecords()
            records.certificates = [F.day("2024-01-10")]
            records.trainings = [(date: F.day("2026-05-05"), minutes: 936)]
            records.supervisions = (1...8).map { (date: F.day("2026-0\($0)-20"), minutes: 120) }
            records.acknowledgements = [F.day("2026-02-01")]
            records.inductionModule1 = F.day("2025-01-15")
            records.inductionModule2 = F.day("2025-02-15")
            let met = StaffStandards(year: 2026, today: Self.today, records: records, plannedWeeklyMinutes: 2_880)
            #expect(met.met)
            #expect(met.missing == [])
            #expect(met.overall == .met)
            // One minute beyond 48 hours.
            let overloaded = StaffStandards(year: 2026, today: Self.today, records: records, plannedWeeklyMinutes: 2_881)
            #expect(!overloaded.met)
            #expect(overloaded.missing == [.load])
            #expect(overloaded.state(.load) == .missing)
            // Open items make the whole open, missing ones missing.
            var noAck = records
            noAck.acknowledgements = []
            let open = StaffStandards(year: 2026, today: Self.today, records: noAck, plannedWeeklyMinutes: 585)
            #expect(open.overall == .open)
            #expect(open.missing == [.acknowledgement])
            #expect(overloaded.overall == .missing)
        }

        // MARK: Bad input of standards

        static func trainingFields(hours: String, date: String = "2026-11-20", title: String = "Traumapädagogik") -> [String] {
            refusedFields { _ = try StandardsInput.training(date: date, title: title, hours: hours, today: today) }
        }

        static func certificateFields(_ issuedOn: String?) -> [String] {
            refusedFields { _ = try StandardsInput.certificate(issuedOn, today: today) }
        }

        static func supervisionFields(minutes: Int?, date: String = "2026-11-20") -> [String] {
            refusedFields { _ = try StandardsInput.supervision(date: date, minutes: minutes, today: today) }
        }

        static func pastDayFields(_ text: String) -> [String] {
            refusedFields { _ = try StandardsInput.pastDay(text, "date", label: "das Datum", today: today) }
        }

        @Test func R25_trainingHoursOutsideAQuarterHourTo40HoursAreRefused() {
            let ok = try? StandardsInput.training(date: "2026-11-20", title: "Traumapädagogik", hours: "7.5", today: Self.today)
            #expect(ok?.2 == 450)
            #expect(ok?.1 == "Traumapädagogik")
            #expect(Self.trainingFields(hours: "0") == ["hours"])
            #expect(Self.trainingFields(hours: "100") == ["hours"])
            #expect(Self.trainingFields(hours: "40.05") == ["hours"])
            #expect(Self.trainingFields(hours: "40") == [])
            #expect(Self.trainingFields(hours: "0.25") == [])
            #expect(Self.trainingFields(hours: "0.2") == ["hours"])
            // Not in the future, and a title is needed.
            #expect(Self.trainingFields(hours: "2", date: "2026-12-06") == ["date"])
            #expect(Self.trainingFields(hours: "2", title: " ") == ["title"])
        }

        @Test func R24_certificateDatedInTheFutureIsRefused() {
            #expect(Self.certificateFields("2026-12-06") == ["issuedOn"])
            #expect(Self.certificateFields("05.12.2026") == ["issuedOn"])
            #expect(Self.certificateFields(nil) == ["issuedOn"])
            #expect(Self.certificateFields("2026-12-05") == [])
            #expect((try? StandardsInput.certificate("2026-12-05", today: Self.today)) == Self.today)
        }

        @Test func R25_supervisionOfZeroMinutesIsRefused() {
            #expect(Self.supervisionFields(minutes: 0) == ["minutes"])
            #expect(Self.supervisionFields(minutes: 14) == ["minutes"])
            #expect(Self.supervisionFields(minutes: 481) == ["minutes"])
            #expect(Self.supervisionFields(minutes: nil) == ["minutes"])
            #expect(Self.supervisionFields(minutes: 15) == [])
            #expect(Self.supervisionFields(minutes: 480) == [])
            #expect(Self.supervisionFields(minutes: 120, date: "2026-12-06") == ["date"])
        }

        @Test func R25_evidenceDatesMustHaveHappened() {
            #expect(Self.pastDayFields("2026-12-06") == ["date"])
            #expect(Self.pastDayFields("1989-12-31") == ["date"])
            #expect(Self.pastDayFields("2026-12-05") == [])
            #expect((try? StandardsInput.pastDay("2026-12-05", "date", label: "das Datum", today: Self.today)) == Self.today)
        }

        // MARK: R27 absence

        static func absence(_ from: String, _ to: String, _ kind: AbsenceKind = .illness) -> Absence {
            Absence(from: F.day(from), to: F.day(to), kind: kind)
        }

        static func absenceFields(_ from: String?, _ to: String?, kind: String = "illness", existing: [Absence]) -> [String] {
            refusedFields { _ = try Absence.validated(from: from, to: to, kind: kind, existing: existing) }
        }

        @Test func R27_aSubstituteHasTheSameQualificationIsNotAwayAndIsNotTheAbsentPerson() {
            func refusal(_ me: Bool = false, _ q: Qualification = .socialWorker, away: Bool = false) -> String? {
                Absence.substituteRefusal(isAbsentPerson: me, name: "Kai", qualification: q, absentQualification: .socialWorker, awayThemselves: away)
            }
            #expect(refusal() == nil)
            #expect(refusal(true) != nil)
            #expect(refusal(false, .educator)?.contains("gleiche Qualifikation") == true)
            #expect(refusal(away: true) == "Kai ist in dieser Zeit selbst abwesend.")
        }

        @Test func R27_anAbsenceIsLongBeyondExactly42DaysInclusive() {
            let sixWeeks = Self.absence("2026-01-01", "2026-02-11")
            #expect(sixWeeks.days == 42)
            #expect(!sixWeeks.isLong)
            let longer = Self.absence("2026-01-01", "2026-02-12")
            #expect(longer.days == 43)
            #expect(longer.isLong)
            #expect(Self.absence("2026-03-02", "2026-03-02").days == 1)
        }

        @Test func R27_replacementIsDueWhenTheAbsenceHasLastedSixWeeks() {
            #expect(Absence.replacementAfterDays == 42)
            #expect(Self.absence("2026-01-01", "2026-03-31").replacementDue == F.day("2026-02-12"))
            #expect(Self.absence("2026-11-23", "2027-01-31").replacementDue == F.day("2027-01-04"))
        }

        @Test func R27_validatedRefusesOverlapsAndAnEndBeforeTheStart() {
            let existing = [Self.absence("2026-03-10", "2026-03-20", .vacation)]
            #expect(Self.absenceFields("2026-03-01", "2026-03-10", existing: existing) == ["from"])
            #expect(Self.absenceFields("2026-03-20", "2026-03-25", existing: existing) == ["from"])
            #expect(Self.absenceFields("2026-03-12", "2026-03-13", existing: existing) == ["from"])
            #expect(Self.absenceFields("2026-03-01", "2026-03-31", existing: existing) == ["from"])
            // Adjacent on either side is fine.
            let before = try? Absence.validated(from: "2026-03-01", to: "2026-03-09", kind: "illness", existing: existing)
            #expect(before == Self.absence("2026-03-01", "2026-03-09"))
            #expect(Self.absenceFields("2026-03-21", "2026-03-22", kind: "training", existing: existing) == [])
            // The end before the start.
            #expect(Self.absenceFields("2026-04-10", "2026-04-09", existing: []) == ["to"])
            #expect(Self.absenceFields("2026-04-10", "2026-04-10", existing: []) == [])
            // A kind that does not exist, a missing date.
            #expect(Self.absenceFields("2026-04-10", "2026-04-12", kind: "holiday", existing: []) == ["kind"])
            #expect(Self.absenceFields(nil, "2026-04-12", existing: []) == ["from"])
        }

        // MARK: R28 on-call rota

        static func at(_ text: String) -> DayTime { OnCallShift.moment(text)! }
        static func shift(_ from: String, _ to: String) -> OnCallShift { OnCallShift(from: at(from), to: at(to)) }

        static let december = Month(year: 2026, month: 12)!
        /// December 2026 covered around the clock by weekly shifts changing at 08:00.
        static let coveringDecember = [
            shift("2026-11-30T08:00", "2026-12-07T08:00"), shift("2026-12-07T08:00", "2026-12-14T08:00"),
            shift("2026-12-14T08:00", "2026-12-21T08:00"), shift("2026-12-21T08:00", "2026-12-28T08:00"),
            shift("2026-12-28T08:00", "2027-01-04T08:00"),
        ]

        @Test func R28_momentParsesDateAndTime() {
            let moment = OnCallShift.moment("2026-12-01T08:00")
            #expect(moment == DayTime(day: F.day("2026-12-01"), time: F.time("08:00")))
            #expect(moment?.iso == "2026-12-01T08:00")
            #expect(OnCallShift.moment("2026-12-01 08:00") == moment)
            #expect(OnCallShift.moment("2026-12-01T08:00:00") == moment)
            #expect(OnCallShift.moment("2026-12-01") == nil)
            #expect(OnCallShift.moment("2026-12-01T24:00") == nil)
            #expect(OnCallShift.moment("2026-12-32T08:00") == nil)
            #expect(OnCallShift.moment(nil) == nil)
        }

        @Test func R28_aMonthFullyCoveredByConsecutiveShiftsHasNoGaps() {
            #expect(OnCallShift.gaps(in: Self.december, shifts: Self.coveringDecember) == [])
            // The order given does not matter.
            #expect(OnCallShift.gaps(in: Self.december, shifts: Self.coveringDecember.reversed()) == [])
        }

        @Test func R28_aHoleInTheRotaIsExactlyThatGap() {
            var shifts = Self.coveringDecember
            shifts[2] = Self.shift("2026-12-14T20:00", "2026-12-21T08:00")
            let gaps = OnCallShift.gaps(in: Self.december, shifts: shifts)
            #expect(gaps == [Self.shift("2026-12-14T08:00", "2026-12-14T20:00")])
            #expect(gaps.first?.from == DayTime(day: F.day("2026-12-14"), time: F.time("08:00")))
            #expect(gaps.first?.to == DayTime(day: F.day("2026-12-14"), time: F.time("20:00")))
        }

        @Test func R28_gapsAtTheEdgesOfTheMonthAndAnEmptyMonth() {
            #expect(OnCallShift.gaps(in: Self.december, shifts: []) == [Self.shift("2026-12-01T00:00", "2027-01-01T00:00")])
            let late = [Self.shift("2026-12-01T08:00", "2026-12-08T08:00")]
            #expect(OnCallShift.gaps(in: Self.december, shifts: late) == [
                Self.shift("2026-12-01T00:00", "2026-12-01T08:00"), Self.shift("2026-12-08T08:00", "2027-01-01T00:00"),
            ])
            // A shift inside a longer one does not move the covered time back.
            let nested = [Self.shift("2026-12-01T00:00", "2026-12-31T12:00"), Self.shift("2026-12-05T00:00", "2026-12-06T00:00")]
            #expect(OnCallShift.gaps(in: Self.december, shifts: nested) == [Self.shift("2026-12-31T12:00", "2027-01-01T00:00")])
        }

        @Test func R28_shiftsCoverFromTheirStartUpToButNotIncludingTheirEnd() {
            let shift = Self.shift("2026-11-21T10:00", "2026-11-22T10:00")
            #expect(shift.covers(Self.at("2026-11-21T10:00")))
            #expect(shift.covers(Self.at("2026-11-22T09:59")))
            #expect(!shift.covers(Self.at("2026-11-22T10:00")))
            #expect(!shift.overlaps(Self.shift("2026-11-22T10:00", "2026-11-23T10:00")))
            #expect(shift.overlaps(Self.shift("2026-11-22T09:59", "2026-11-23T10:00")))
        }

        static func shiftFields(_ from: String, _ to: String, existing: [OnCallShift] = []) -> [String] {
            refusedFields { _ = try OnCallShift.validated(from: from, to: to, existing: existing) }
        }

        @Test func R28_validatedRefusesOverlapAndAnEndBeforeTheStart() {
            let existing = [Self.shift("2026-12-01T08:00", "2026-12-02T08:00")]
            #expect(Self.shiftFields("2026-12-02T07:59", "2026-12-03T08:00", existing: existing) == ["from"])
            #expect(Self.shiftFields("2026-11-30T08:00", "2026-12-03T08:00", existing: existing) == ["from"])
            #expect(Self.shiftFields("2026-11-30T08:00", "2026-12-01T08:01", existing: existing) == ["from"])
            let next = try? OnCallShift.validated(from: "2026-12-02T08:00", to: "2026-12-03T08:00", existing: existing)
            #expect(next == Self.shift("2026-12-02T08:00", "2026-12-03T08:00"))
            #expect(Self.shiftFields("2026-11-30T08:00", "2026-12-01T08:00", existing: existing) == [])
            // End before or at the start.
            #expect(Self.shiftFields("2026-12-10T08:00", "2026-12-09T08:00") == ["to"])
            #expect(Self.shiftFields("2026-12-10T08:00", "2026-12-10T08:00") == ["to"])
            // At most seven days.
            #expect(Self.shiftFields("2026-12-10T08:00", "2026-12-17T08:00") == [])
            #expect(Self.shiftFields("2026-12-10T08:00", "2026-12-17T08:01") == ["to"])
            // Not a moment.
            #expect(Self.shiftFields("morgen", "2026-12-17T08:00") == ["from"])
        }

        // MARK: R1 intake

        static func intake(receivedOn: String? = "2026-11-20", hours: String? = "5", per: String? = "week", urgency: String? = nil,
                           reason: String? = "Schulverweigerung, Überforderung der Mutter", initials: String? = "L. S.",
                           today: String = "2026-11-22") -> (IntakeRequestFields?, [String]) {
            var v = Validator()
            let input = IntakeRequestInput(receivedOn: receivedOn, hours: hours, per: per, urgency: urgency, reason: reason, initials: initials)
            let fields = input.validated(today: F.day(today), into: &v)
            return (fields, v.errors.map(\.field))
        }

        @Test func R1_aValidRequestGivesItsWeeklyMinutes() {
            let (week, none) = Self.intake()
            #expect(none == [])
            #expect(week?.minutesPerUnit == 300)
            #expect(week?.unit == .week)
            #expect(week?.weeklyMinutes == 300)
            #expect(week?.urgency == .normal)
            #expect(week?.initials == "L. S.")
            #expect(week?.receivedOn == F.day("2026-11-20"))
            // 20 hours a month: 277 minutes a week (R2).
            #expect(Self.intake(hours: "20", per: "month").0?.weeklyMinutes == 277)
            #expect(Self.intake(urgency: "crisis").0?.urgency == .crisis)
            // Received today is fine.
            #expect(Self.intake(receivedOn: "2026-11-22").1 == [])
        }

        @Test func R1_requestRefusesZeroHoursThePeriodUnitANameAndAFutureDay() {
            let (zero, zeroFields) = Self.intake(hours: "0")
            #expect(zero == nil)
            #expect(zeroFields == ["hours"])
            let (period, periodFields) = Self.intake(per: "period")
            #expect(period == nil)
            #expect(periodFields == ["per"])
            #expect(Self.intake(per: nil).1 == ["per"])
            let (name, nameFields) = Self.intake(initials: "Lena Sommer")
            #expect(name == nil)
            #expect(nameFields == ["initials"])
            // Four letters are a name too; a digit is no initial.
            #expect(Self.intake(initials: "LSKM").1 == ["initials"])
            #expect(Self.intake(initials: "L1").1 == ["initials"])
            #expect(Self.intake(initials: "L. K.").1 == [])
            let (future, futureFields) = Self.intake(receivedOn: "2026-11-23")
            #expect(future == nil)
            #expect(futureFields == ["receivedOn"])
            #expect(Self.intake(urgency: "sofort").1 == ["urgency"])
            #expect(Self.intake(reason: " ").1 == ["reason"])
        }

        @Test func R1_anOpenRequestIsOverdueAfterMoreThanTheAlertDays() {
            let today = F.day("2026-11-22")
            #expect(!IntakeRules.isOverdue(receivedOn: F.day("2026-11-15"), today: today, alertDays: 7))
            #expect(IntakeRules.isOverdue(receivedOn: F.day("2026-11-14"), today: today, alertDays: 7))
            #expect(!IntakeRules.isOverdue(receivedOn: today, today: today, alertDays: 7))
            #expect(IntakeRules.defaultAlertDays == 7)
            #expect(IntakeRules.isOverdue(receivedOn: F.day("2026-11-19"), today: today, alertDays: 2))
            #expect(!IntakeRules.isOverdue(receivedOn: F.day("2026-11-20"), today: today, alertDays: 2))
        }

        // MARK: R7 guardian contact

        @Test func R7_aCompleteMonthWithoutGuardianContactIsMissed() {
            let missed = GuardianContact.missedMonths(since: F.day("2026-09-10"), endDate: nil,
                                                      contacts: [F.day("2026-09-20"), F.day("2026-11-03")], today: Self.today)
            #expect(missed == [Self.month(2026, 10)])
            let alert = GuardianContact.alert(missed: missed)
            #expect(alert?.kind == .guardianContactMissing)
            #expect(alert?.since == F.day("2026-11-01"))
            #expect(alert?.title.contains("Oktober 2026") == true)
            #expect(GuardianContact.alert(missed: []) == nil)
        }

        @Test func R7_aContactInTheCurrentMonthDoesNotFillEarlierMonths() {
            let withDecember = GuardianContact.missedMonths(since: F.day("2026-09-10"), endDate: nil,
                                                            contacts: [F.day("2026-09-20"), F.day("2026-11-03"), F.day("2026-12-02")], today: Self.today)
            #expect(withDecember == [Self.month(2026, 10)])
            let onlyDecember = GuardianContact.missedMonths(since: F.day("2026-10-01"), endDate: nil, contacts: [F.day("2026-12-01")], today: Self.today)
            #expect(onlyDecember == [Self.month(2026, 10), Self.month(2026, 11)])
        }

        @Test func R7_theCurrentMonthIsNeverCountedAsMissed() {
            #expect(GuardianContact.missedMonths(since: F.day("2026-12-01"), endDate: nil, contacts: [], today: F.day("2026-12-31")) == [])
            #expect(GuardianContact.missedMonths(since: F.day("2026-11-30"), endDate: nil, contacts: [], today: F.day("2026-12-01")) == [Self.month(2026, 11)])
        }

        @Test func R7_anEndedCaseStopsAtItsEndMonth() {
            let ended = GuardianContact.missedMonths(since: F.day("2026-09-10"), endDate: F.day("2026-10-15"), contacts: [], today: Self.today)
            #expect(ended == [Self.month(2026, 9), Self.month(2026, 10)])
            // Across the turn of the year.
            let running = GuardianContact.missedMonths(since: F.day("2026-11-15"), endDate: nil, contacts: [], today: F.day("2027-02-10"))
            #expect(running == [Self.month(2026, 11), Self.month(2026, 12), Self.month(2027, 1)])
        }
    }
}
