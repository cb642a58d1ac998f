@testable import FallwerkDomain
import Testing

/// R18 (SMART goals, ratings, notes with observation and assessment apart), R19 (reports), R20 (no diary).
extension AllTests {
    @Suite("Goals, notes and reports R18–R20")
    struct GoalNoteReportTests {
        typealias F = DomainFixtures

        static let today = F.day("2027-02-01")
        static let goal = Goal(id: "g1", title: "Regelmäßiger Schulbesuch", specific: "Jonas geht jeden Schultag zur ersten Stunde",
                               measurable: "Fehltage laut Klassenbuch", timeBound: F.day("2027-06-30"),
                               youngPersonView: "Ich will morgens pünktlich sein", status: .inProgress, createdOn: F.day("2026-09-01"))

        static func rate(_ value: Int?, on date: String = "2027-01-15", reason: String? = "Fehltage halbiert",
                         goal: Goal = goal) -> (GoalRating?, ValidationFailure) {
            var v = Validator()
            let rating = GoalRatingInput(value: value, ratedOn: date, reason: reason).validated(into: &v, goal: goal, today: today)
            return (rating, ValidationFailure(v.errors))
        }

        // MARK: R18 goals

        @Test("R18 the rating scale is fixed at 1–5 with German labels")
        func scale() {
            #expect(GoalAttainment.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
            #expect(GoalAttainment.notAchieved.label == "1 – nicht erreicht")
            #expect(GoalAttainment.fully.label == "5 – vollständig erreicht")
            #expect(GoalAttainment.partly.german == "teilweise erreicht")
        }

        @Test("R18 a rating outside the scale is refused in German", arguments: [0, 6, -1, 10])
        func ratingOutsideScale(value: Int) {
            let (rating, failure) = Self.rate(value)
            #expect(rating == nil)
            #expect(failure.message(for: "value") == "Bitte eine Bewertung von 1 (nicht erreicht) bis 5 (vollständig erreicht) wählen.")
        }

        @Test("R18 a rating on the scale with date and short reason is kept")
        func ratingAccepted() throws {
            let rating = try #require(Self.rate(3).0)
            #expect(rating.attainment == .partly)
            #expect(rating.ratedOn == F.day("2027-01-15"))
            #expect(rating.reason == "Fehltage halbiert")
            #expect(Self.rate(nil).1.message(for: "value") != nil)
            #expect(Self.rate(3, reason: " ").1.message(for: "reason") == "Bitte eine kurze Begründung der Bewertung angeben.")
            let long = String(repeating: "x", count: GoalRatingInput.maxReasonLength + 1)
            #expect(Self.rate(3, reason: long).1.message(for: "reason")?.contains("höchstens 500 Zeichen") == true)
        }

        @Test("R18 a rating dated before the goal was recorded, or in the future, is refused")
        func ratingDate() {
            #expect(Self.rate(3, on: "2026-08-31").1.message(for: "ratedOn") == "Die Bewertung kann nicht vor der Erfassung des Ziels (01.09.2026) liegen.")
            #expect(Self.rate(3, on: "2027-02-02").1.message(for: "ratedOn") == "Die Bewertung kann nicht in der Zukunft liegen.")
            #expect(Self.rate(3, on: "2026-09-01").0 != nil)
        }

        @Test("R18 a dropped goal cannot be rated")
        func droppedGoal() {
            var dropped = Self.goal
            dropped.status = .dropped
            #expect(Self.rate(4, goal: dropped).1.message(for: "value") == "Ein verworfenes Ziel kann nicht mehr bewertet werden.")
        }

        @Test("R18 a goal marked achieved needs every SMART part; an open goal may still be rough")
        func achievedNeedsSmart() throws {
            var v = Validator()
            let refused = GoalInput(title: "Schule", status: "achieved").validated(into: &v, id: "g", createdOn: F.day("2026-09-01"))
            #expect(refused == nil)
            let failure = ValidationFailure(v.errors)
            #expect(failure.message(for: "specific") == "Ein erreichtes Ziel braucht die SMART-Angabe „Was genau?“.")
            #expect(failure.message(for: "measurable") == "Ein erreichtes Ziel braucht die SMART-Angabe „Woran gemessen?“.")
            #expect(failure.message(for: "timeBound") == "Ein erreichtes Ziel braucht die SMART-Angabe „Bis wann?“.")

            var open = Validator()
            let rough = try #require(GoalInput(title: "Schule").validated(into: &open, id: "g", createdOn: F.day("2026-09-01")))
            #expect(rough.status == .open)
            #expect(rough.missingSmartParts == ["Was genau", "Woran gemessen", "Bis wann"])

            var full = Validator()
            let achieved = try #require(GoalInput(title: "Schule", specific: "jeden Tag", measurable: "Klassenbuch", timeBound: "2027-06-30",
                                                  youngPersonView: "Ich schaffe das", status: "achieved")
                .validated(into: &full, id: "g", createdOn: F.day("2026-09-01")))
            #expect(achieved.missingSmartParts.isEmpty)
            #expect(achieved.youngPersonView == "Ich schaffe das")
        }

        @Test("R18 goal input: missing title, target date before the goal, unknown status")
        func goalInput() {
            var v = Validator()
            _ = GoalInput(title: " ", timeBound: "2026-08-01", status: "done").validated(into: &v, id: "g", createdOn: F.day("2026-09-01"))
            let failure = ValidationFailure(v.errors)
            #expect(failure.message(for: "title") == "Bitte eine kurze Bezeichnung des Ziels angeben.")
            #expect(failure.message(for: "timeBound") == "Das Zieldatum („Bis wann?“) darf nicht vor der Erfassung des Ziels (01.09.2026) liegen.")
            #expect(failure.message(for: "status") == "Dieser Zielstatus ist unbekannt.")
        }

        // MARK: R18, R20 notes

        static func note(_ input: NoteInput, end: String? = nil) -> (Note?, ValidationFailure) {
            var v = Validator()
            let note = input.validated(into: &v, id: "n1", startDate: F.day("2026-09-01"), endDate: end.map(F.day), today: today,
                                       goalIDs: ["g1"], serviceEntryIDs: ["e1"])
            return (note, ValidationFailure(v.errors))
        }

        @Test("R18 a note keeps observation and assessment apart and needs at least an observation")
        func noteFields() throws {
            let kept = try #require(Self.note(NoteInput(date: "2027-01-20", observation: "Jonas kam um 8:05 Uhr.",
                                                        assessment: "Er wirkt motivierter.", goalIDs: ["g1", "g1"], serviceEntryID: "e1")).0)
            #expect(kept.observation == "Jonas kam um 8:05 Uhr.")
            #expect(kept.assessment == "Er wirkt motivierter.")
            #expect(kept.goalIDs == ["g1"])
            #expect(kept.serviceEntryID == "e1")
            let onlyAssessment = Self.note(NoteInput(date: "2027-01-20", assessment: "Er wirkt motivierter."))
            #expect(onlyAssessment.0 == nil)
            #expect(onlyAssessment.1.message(for: "observation") == "Bitte die Beobachtung (was geschehen ist) angeben.")
        }

        @Test("R18 note input: lengths, goals and entries of another case, dates outside the case")
        func noteInput() {
            let long = String(repeating: "a", count: NoteInput.maxObservationLength + 1)
            #expect(Self.note(NoteInput(date: "2027-01-20", observation: long)).1.message(for: "observation")?.contains("höchstens 10000 Zeichen") == true)
            let foreign = Self.note(NoteInput(date: "2027-01-20", observation: "x", goalIDs: ["other"], serviceEntryID: "e9")).1
            #expect(foreign.message(for: "goalIDs[0]") == "Dieses Ziel gehört nicht zu dieser Hilfe.")
            #expect(foreign.message(for: "serviceEntryID") == "Dieser Leistungseintrag gehört nicht zu dieser Hilfe.")
            #expect(Self.note(NoteInput(date: "2027-02-02", observation: "x")).1.message(for: "date") == "Eine Notiz kann nicht in der Zukunft liegen.")
            #expect(Self.note(NoteInput(date: "2026-08-31", observation: "x")).1.message(for: "date") == "Die Notiz kann nicht vor dem Beginn der Hilfe (01.09.2026) liegen.")
            #expect(Self.note(NoteInput(date: "2027-01-20", observation: "x"), end: "2027-01-10").1.message(for: "date") == "Die Notiz kann nicht nach dem Ende der Hilfe (10.01.2027) liegen.")
        }

        @Test("R20 a note has no place for diary content, and the form says so")
        func noDiary() {
            let note = Note(id: "n", date: Self.today, observation: "x")
            let fields = Mirror(reflecting: note).children.compactMap(\.label)
            #expect(fields == ["id", "date", "observation", "assessment", "goalIDs", "serviceEntryID", "authorStaffID"])
            #expect(!fields.contains { $0.lowercased().contains("diary") })
            #expect(Note.diaryHint.contains("Tagebuch"))
        }

        @Test("Notes are searchable within a case by every word, ignoring case")
        func search() {
            let note = Note(id: "n", date: Self.today, observation: "Gespräch mit der Klassenlehrerin", assessment: "Schule wirkt entlastet")
            #expect(note.matches("klassenlehrerin"))
            #expect(note.matches("Gespräch entlastet"))
            #expect(!note.matches("Gespräch Mutter"))
            #expect(!note.matches("  "))
        }

        // MARK: R19 reports

        static func draft() -> Report {
            var rated = goal
            rated.ratings = [GoalRating(attainment: .partly, ratedOn: F.day("2027-01-15"), reason: "Fehltage halbiert",
                                        youngPersonView: "Läuft besser"),
                             GoalRating(attainment: .slightly, ratedOn: F.day("2026-11-10"), reason: "erste Fortschritte"),
                             GoalRating(attainment: .mostly, ratedOn: F.day("2027-03-10"), reason: "nach dem Zeitraum")]
            let notes = [
                Note(id: "n2", date: F.day("2027-01-20"), observation: "Jonas war pünktlich.\nEr brachte die Hausaufgaben mit.", assessment: "Motivation steigt."),
                Note(id: "n1", date: F.day("2026-10-05"), observation: String(repeating: "Wort ", count: 100)),
                Note(id: "n0", date: F.day("2026-08-20"), observation: "vor dem Zeitraum"),
            ]
            return ReportDraft.generate(ReportDraftInput(kind: .progress, periodFrom: F.day("2026-09-01"), periodTo: F.day("2027-02-14"),
                                                         approvedMinutes: Minutes(52 * 60), deliveredMinutes: Minutes(48 * 60 + 30),
                                                         goals: [rated], notes: notes))
        }

        @Test("R19 report kinds and statuses have German names")
        func kinds() {
            #expect(ReportKind.progress.german == "Entwicklungsbericht")
            #expect(ReportKind.final.german == "Abschlussbericht")
            #expect(ReportKind.status.german == "Sachstandsbericht")
            #expect(ReportKind.short.german == "Kurzbericht")
            #expect(ReportStatus.allCases.map(\.german) == ["Entwurf", "zur Freigabe vorgelegt", "freigegeben", "an das Jugendamt versandt"])
        }

        @Test("R19 the draft has the German sections with period, hours, goals with rating history, observations and assessment apart")
        func draftSections() throws {
            let report = Self.draft()
            #expect(report.status == .draft)
            #expect(report.sections.map(\.heading) == ["Zeitraum", "Hilfeverlauf und Stunden", "Ziele mit Bewertungsverlauf",
                                                       "Beobachtungen", "Einschätzung", "Perspektive und Empfehlung"])
            func text(_ key: ReportSectionKey) -> String { report.sections.first { $0.key == key }!.text }
            #expect(text(.period).contains("01.09.2026 bis 14.02.2027"))
            #expect(text(.hours) == "Im Berichtszeitraum (01.09.2026 – 14.02.2027) bewilligt: 52 Fachleistungsstunden; geleistet: 48,5 Fachleistungsstunden (93 % der bewilligten Stunden).")
            let goals = text(.goals)
            #expect(goals.contains("Was genau: Jonas geht jeden Schultag zur ersten Stunde"))
            #expect(goals.contains("In eigenen Worten: „Ich will morgens pünktlich sein“"))
            let first = try #require(goals.range(of: "10.11.2026: 2 – ansatzweise erreicht – erste Fortschritte"))
            let second = try #require(goals.range(of: "15.01.2027: 3 – teilweise erreicht – Fehltage halbiert"))
            #expect(first.lowerBound < second.lowerBound)
            #expect(!goals.contains("nach dem Zeitraum"))
            let observations = report.sections.first { $0.key == .observations }!.paragraphs
            #expect(observations.count == 2)
            #expect(observations[0].hasPrefix("05.10.2026: Wort Wort"))
            #expect(observations[0].hasSuffix(" …"))
            #expect(observations[0].count <= ReportDraft.observationSummaryLength + 14)
            #expect(observations[1] == "20.01.2027: Jonas war pünktlich. Er brachte die Hausaufgaben mit.")
            #expect(!text(.observations).contains("Motivation"))
            #expect(text(.assessment) == "20.01.2027: Motivation steigt.")
        }

        @Test("R19 status flow: draft → submitted → approved → sent, once")
        func statusFlow() throws {
            var report = Self.draft()
            #expect(throws: FieldError.self) { try report.approve(on: Self.today, byStaffID: "lead") }
            try report.submit(on: F.day("2027-02-02"))
            try report.returnForRevision()
            #expect(report.status == .draft)
            try report.submit(on: F.day("2027-02-03"))
            try report.approve(on: F.day("2027-02-04"), byStaffID: "lead")
            #expect(report.approvedByStaffID == "lead")
            #expect(report.finished == nil)
            #expect(report.sendWarning?.contains("nicht ohne deren Wissen") == true)
            try report.recordDiscussedWithFamily(on: F.day("2027-02-04"), today: F.day("2027-02-04"))
            #expect(report.sendWarning == nil)
            try report.markSent(on: F.day("2027-02-05"))
            #expect(report.status == .sent)
            #expect(report.finished == FinishedReport(kind: .progress, finishedOn: F.day("2027-02-05")))
            // sending again would create the R10 report entry twice
            #expect(throws: FieldError("status", "Der Bericht wurde bereits am 05.02.2027 versandt.")) { try report.markSent(on: F.day("2027-02-06")) }
        }

        @Test("R19 an approved report cannot be edited (German message); a draft can")
        func approvedNotEditable() throws {
            var report = Self.draft()
            try report.edit(.perspective, text: "Fortsetzung der Hilfe empfohlen.\n\nUmfang: 2 Std./Woche")
            #expect(report.sections.first { $0.key == .perspective }?.paragraphs == ["Fortsetzung der Hilfe empfohlen.", "Umfang: 2 Std./Woche"])
            try report.submit(on: Self.today)
            try report.approve(on: Self.today, byStaffID: "lead")
            #expect(!report.isEditable)
            #expect(throws: FieldError("sections.assessment", "Der Bericht ist freigegeben und kann nicht mehr bearbeitet werden.")) {
                try report.edit(.assessment, text: "geändert")
            }
            #expect(report.sections.first { $0.key == .assessment }?.text == "20.01.2027: Motivation steigt.")
        }

        @Test("R19 the family discussion cannot be in the future or before the period; sending needs approval")
        func familyAndSending() {
            var report = Self.draft()
            #expect(throws: FieldError("discussedWithFamilyOn", "Das Gespräch mit der Familie kann nicht in der Zukunft liegen.")) {
                try report.recordDiscussedWithFamily(on: F.day("2027-02-02"), today: Self.today)
            }
            #expect(throws: FieldError.self) { try report.recordDiscussedWithFamily(on: F.day("2026-08-01"), today: Self.today) }
            #expect(throws: FieldError("status", "Der Bericht muss erst von der Teamleitung freigegeben werden.")) {
                try report.markSent(on: Self.today)
            }
        }
    }
}
