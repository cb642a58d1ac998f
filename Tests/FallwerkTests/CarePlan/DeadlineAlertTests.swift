import FallwerkDomain
import Testing

extension AllTests {
    @Suite("Deadline alerts R3–R6")
    struct DeadlineAlerts {
        static let today = Day(year: 2026, month: 11, day: 22)!

        static func deadline(due: Day, status: DeadlineStatus) -> Deadline {
            Deadline(key: "k-\(due.iso)", kind: .progressReport, due: due, refersTo: .caseStart(today), doneOn: status == .done ? today : nil,
                     status: status, title: "Entwicklungsbericht")
        }

        @Test("R4 a deadline becomes an alert 14 days ahead, not 15; an overdue one stays an alert from the day after; done ones never")
        func noticeWindow() {
            // given
            let items = [Self.deadline(due: Self.today.adding(days: 14), status: .open),
                         Self.deadline(due: Self.today.adding(days: 15), status: .open),
                         Self.deadline(due: Self.today.adding(days: -3), status: .overdue),
                         Self.deadline(due: Self.today.adding(days: 2), status: .done)]
            // when
            let alerts = Alerts.deadlines(items, today: Self.today)
            // then
            #expect(alerts.map(\.kind) == [.deadlineDue, .deadlineOverdue])
            #expect(alerts[0].since == Self.today)
            #expect(alerts[1].since == Self.today.adding(days: -2))
            #expect(alerts[1].title.contains("19.11.2026"))
        }
    

        @Test("R6 an end needs a known reason, lies after the start and after every meeting held, and at most 90 days ahead")
        func caseEnd() {
            let start = Day(year: 2026, month: 10, day: 1)!
            let held = CarePlanMeeting(date: Day(year: 2026, month: 11, day: 10)!, kind: .review, state: .held)
            func fields(_ date: String, _ reason: String) -> [String] {
                var v = Validator()
                _ = CaseEndInput(date: date, reason: reason).validated(into: &v, startDate: start, meetings: [held], today: Self.today)
                return v.errors.map(\.field)
            }
            #expect(fields("2026-11-20", "goalsReached").isEmpty)
            #expect(fields("2026-11-09", "goalsReached") == ["date"])
            #expect(fields("2026-09-30", "goalsReached").contains("date"))
            #expect(fields("2027-02-21", "goalsReached") == ["date"])
            #expect(fields("2027-02-20", "goalsReached").isEmpty)
            #expect(fields("2026-11-20", "tired") == ["reason"])
        }
    }
}
