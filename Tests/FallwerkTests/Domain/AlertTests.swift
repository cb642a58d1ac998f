@testable import FallwerkDomain
import Foundation
import Testing

/// R12 (no cooperation), R7a (no contact), R9 budget alerts and approval alerts, computed by `Alerts.evaluate`.
extension AllTests {
    @Suite("R7a, R9, R12 alerts and approval alerts")
    struct AlertRuleTests {
        typealias F = DomainFixtures

        static let today = F.day("2026-11-22")
        static let running = F.approval("2026-09-01", "2027-02-28", minutes: 600, per: .month)

        static func facts(approvals: [Approval] = [running], entries: [LedgerEntry] = [], appointments: [EntryFacts] = [],
                          lastContact: String? = "2026-11-20", start: String = "2026-09-01", end: String? = nil,
                          noContactAlertDays: Int = 14, noShowAlertAfter: Int = 3, acknowledged: [String] = [],
                          settings: @escaping @Sendable (Day) -> AgreementSettings = { _ in .defaults }) -> AlertFacts {
            AlertFacts(startDate: F.day(start), endDate: end.map(F.day), approvals: approvals,
                       ledger: BudgetLedger(approvals: approvals, entries: entries), appointments: appointments,
                       lastContact: lastContact.map(F.day), noContactAlertDays: noContactAlertDays,
                       noShowAlertAfter: noShowAlertAfter, acknowledged: Set(acknowledged.map(F.day)), settings: settings)
        }

        static func alerts(_ facts: AlertFacts, today: Day = today) -> [CaseAlert] {
            Alerts.evaluate(facts, today: today)
        }

        static func alert(_ kind: AlertKind, _ facts: AlertFacts, today: Day = today) -> CaseAlert? {
            alerts(facts, today: today).first { $0.kind == kind }
        }

        // MARK: R12

        static func noShow(_ date: String, at start: String = "10:00") -> EntryFacts { F.entry(.noShow, 60, on: date, at: start) }
        static func clientCancelled(_ date: String, at start: String = "10:00", aheadOf notice: String? = nil) -> EntryFacts {
            F.entry(.cancelled, 60, on: date, at: start, by: .client, cancelledAt: notice ?? "\(date)T08:00")
        }
        static func providerCancelled(_ date: String) -> EntryFacts {
            F.entry(.cancelled, 60, on: date, by: .provider, cancelledAt: "\(date)T08:00")
        }
        static func met(_ date: String, at start: String = "10:00") -> EntryFacts { F.entry(.direct, 60, on: date, at: start) }

        @Test("R7a the last contact is the latest client contact, up to a day; no-shows, cancellations and indirect work are none")
        func lastContact() {
            let entries = [F.entry(.direct, 60, on: "2026-11-02"), F.entry(.noShow, 60, on: "2026-11-10"),
                           F.entry(.indirect, 30, on: "2026-11-12"), Self.clientCancelled("2026-11-14"), F.entry(.direct, 45, on: "2026-11-05")]
            #expect(Alerts.lastContact(entries) == F.day("2026-11-05"))
            #expect(Alerts.lastContact(entries, upTo: F.day("2026-11-04")) == F.day("2026-11-02"))
            #expect(Alerts.lastContact([F.entry(.noShow, 60, on: "2026-11-10")]) == nil)
        }

        @Test("R7a R12 the latest entries decide last contact and streak only with a contact and a last appointment that did not fail")
        func decidedByRecent() {
            let defaults: (Day) -> AgreementSettings = { _ in .defaults }
            // a contact, then a no-show, then a kept appointment: decided, the contact of the 12th
            let kept = [Self.met("2026-11-05"), Self.noShow("2026-11-10"), Self.met("2026-11-12")]
            #expect(Alerts.decidedByRecent(kept, settings: defaults) == F.day("2026-11-12"))
            // ending on a no-show: a streak may reach further back, so not decided
            #expect(Alerts.decidedByRecent(kept + [Self.noShow("2026-11-17")], settings: defaults) == nil)
            // ending on a short-notice client cancellation: the same
            #expect(Alerts.decidedByRecent(kept + [Self.clientCancelled("2026-11-18")], settings: defaults) == nil)
            // no contact among them: an older one is the last, not decided
            #expect(Alerts.decidedByRecent([F.entry(.indirect, 30, on: "2026-11-12")], settings: defaults) == nil)
            // no appointment among them: not decided either
            #expect(Alerts.decidedByRecent([], settings: defaults) == nil)
        }

        @Test("R12 three no-shows or short-notice client cancellations in a row raise an alert dated the third")
        func threeInARow() {
            let appointments = [Self.met("2026-11-10"), Self.noShow("2026-11-12"),
                                Self.clientCancelled("2026-11-16", aheadOf: "2026-11-15T18:00"), Self.noShow("2026-11-19")]
            let alert = Self.alert(.noShowStreak, Self.facts(appointments: appointments))
            #expect(alert?.since == F.day("2026-11-19"))
            #expect(alert?.title == "3 Termine in Folge ohne Mitwirkung")
            #expect(alert?.action.contains("Jugendamt") == true)
            #expect(AlertKind.noShowStreak.isAcknowledgeable)
        }

        @Test("R12 two in a row are not yet an alert")
        func twoInARow() {
            let appointments = [Self.met("2026-11-10"), Self.noShow("2026-11-12"), Self.noShow("2026-11-19")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments)) == nil)
        }

        @Test("R12 a longer streak keeps the third appointment's day and counts all of them")
        func longerStreak() {
            let appointments = ["2026-11-05", "2026-11-09", "2026-11-12", "2026-11-19"].map { Self.noShow($0) }
            let alert = Self.alert(.noShowStreak, Self.facts(appointments: appointments))
            #expect(alert?.since == F.day("2026-11-12"))
            #expect(alert?.title == "4 Termine in Folge ohne Mitwirkung")
        }

        @Test("R12 a direct contact in between resets the count; one afterwards clears the alert")
        func contactResets() {
            let between = [Self.noShow("2026-11-05"), Self.noShow("2026-11-09"), Self.met("2026-11-12"), Self.noShow("2026-11-19")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: between)) == nil)
            let after = ["2026-11-05", "2026-11-09", "2026-11-12"].map { Self.noShow($0) } + [Self.met("2026-11-19")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: after)) == nil)
            // On the same day, the later appointment decides.
            let sameDay = ["2026-11-05", "2026-11-09", "2026-11-19"].map { Self.noShow($0, at: "09:00") } + [Self.met("2026-11-19", at: "15:00")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: sameDay)) == nil)
            let sameDayFailedLater = [Self.noShow("2026-11-05"), Self.noShow("2026-11-09"), Self.met("2026-11-19", at: "09:00"),
                                      Self.noShow("2026-11-19", at: "15:00")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: sameDayFailedLater)) == nil)
        }

        @Test("R12 appointments are taken in date order, whatever order they arrive in")
        func orderIndependent() {
            let appointments = [Self.noShow("2026-11-19"), Self.met("2026-11-02"), Self.noShow("2026-11-09"), Self.noShow("2026-11-12")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments))?.since == F.day("2026-11-19"))
            let reset = [Self.noShow("2026-11-19"), Self.met("2026-11-10"), Self.noShow("2026-11-09"), Self.noShow("2026-11-12")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: reset)) == nil)
        }

        @Test("R12 appointments after today do not count yet")
        func futureAppointments() {
            let appointments = [Self.noShow("2026-11-12"), Self.noShow("2026-11-19"), Self.clientCancelled("2026-11-25", aheadOf: "2026-11-24T20:00")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments)) == nil)
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments), today: F.day("2026-11-25"))?.since == F.day("2026-11-25"))
        }

        @Test("R12 acknowledging the alert's day hides it; another day does not")
        func acknowledged() {
            let appointments = ["2026-11-12", "2026-11-16", "2026-11-19"].map { Self.noShow($0) }
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments, acknowledged: ["2026-11-19"])) == nil)
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments, acknowledged: ["2026-11-16"])) != nil)
            // After a contact, a new streak is a new alert even though an older one was acknowledged.
            let again = appointments + [Self.met("2026-11-20")] + ["2026-11-20", "2026-11-21", "2026-11-22"].map { Self.noShow($0, at: "16:00") }
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: again, acknowledged: ["2026-11-19"]))?.since == F.day("2026-11-22"))
        }

        @Test("R12 noShowAlertAfter from the agreement decides how many in a row raise the alert")
        func customThreshold() {
            let three = ["2026-11-12", "2026-11-16", "2026-11-19"].map { Self.noShow($0) }
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: three, noShowAlertAfter: 2))?.since == F.day("2026-11-16"))
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: three, noShowAlertAfter: 4)) == nil)
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: Array(three.prefix(1)), noShowAlertAfter: 1))?.since == F.day("2026-11-12"))
        }

        @Test("R12 provider cancellations do not count towards the streak")
        func providerCancellations() {
            let withProvider = [Self.noShow("2026-11-12"), Self.noShow("2026-11-16"), Self.providerCancelled("2026-11-19")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: withProvider)) == nil)
            let onlyProvider = ["2026-11-12", "2026-11-16", "2026-11-19"].map(Self.providerCancelled)
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: onlyProvider)) == nil)
            #expect(!Self.providerCancelled("2026-11-19").isNonCooperation(.defaults))
            #expect(Self.clientCancelled("2026-11-19").isNonCooperation(.defaults) && Self.noShow("2026-11-19").isNonCooperation(.defaults))
            #expect(!Self.met("2026-11-19").isNonCooperation(.defaults))
        }

        @Test("R12 only short-notice client cancellations count; one in good time neither counts nor resets (issue 10, defect 9)")
        func R12_onlyShortNoticeCancellationsCount() {
            // given: two no-shows and a client cancellation a week ahead
            let early = [Self.noShow("2026-11-12"), Self.noShow("2026-11-16"), Self.clientCancelled("2026-11-19", aheadOf: "2026-11-12T09:00")]
            // then: the early cancellation is no failed appointment, so there is no streak of three
            #expect(!Self.clientCancelled("2026-11-19", aheadOf: "2026-11-12T09:00").isNonCooperation(.defaults))
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: early)) == nil)
            // and it does not reset a streak either: a no-show after it makes three
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: early + [Self.noShow("2026-11-20")]))?.since == F.day("2026-11-20"))
            // exactly 24 hours ahead is still short notice (seed 004: "innerhalb von 24 Stunden")
            let dayAhead = [Self.noShow("2026-11-12"), Self.noShow("2026-11-16"), Self.clientCancelled("2026-11-19", aheadOf: "2026-11-18T10:00")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: dayAhead))?.since == F.day("2026-11-19"))
            // the notice is the agreement's of the appointment's day: with 72 hours, three days ahead counts
            let longer = { var settings = AgreementSettings(); settings.shortNoticeHours = 72; return settings }()
            let threeDays = [Self.noShow("2026-11-12"), Self.noShow("2026-11-16"), Self.clientCancelled("2026-11-19", aheadOf: "2026-11-16T12:00")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: threeDays)) == nil)
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: threeDays, settings: { _ in longer }))?.since == F.day("2026-11-19"))
        }

        @Test("R12 a provider cancellation is no appointment the client could miss: it neither counts nor resets")
        func providerCancellationIsNeutral() {
            let appointments = [Self.noShow("2026-11-12"), Self.noShow("2026-11-16"), Self.providerCancelled("2026-11-17"), Self.noShow("2026-11-19")]
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments))?.since == F.day("2026-11-19"))
        }

        @Test("R12 with R11: two staff at one missed appointment are one appointment, not two")
        func coWorkIsOneAppointment() {
            // Two no-shows, each recorded by both staff members who went: four entries, two appointments.
            let twoMissed = ["2026-11-12", "2026-11-19"].flatMap { [Self.noShow($0, at: "14:00"), Self.noShow($0, at: "14:00")] }
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: twoMissed)) == nil)
            let threeMissed = ["2026-11-09", "2026-11-12", "2026-11-19"].flatMap { [Self.noShow($0, at: "14:00"), Self.noShow($0, at: "14:00")] }
            let alert = Self.alert(.noShowStreak, Self.facts(appointments: threeMissed))
            #expect(alert?.since == F.day("2026-11-19"))
            #expect(alert?.title == "3 Termine in Folge ohne Mitwirkung")
        }

        @Test("R12 an ended case raises no streak alert")
        func endedCaseNoStreak() {
            let appointments = ["2026-11-12", "2026-11-16", "2026-11-19"].map { Self.noShow($0) }
            #expect(Self.alert(.noShowStreak, Self.facts(appointments: appointments, end: "2026-11-20")) == nil)
        }

        // MARK: R7a

        @Test("R7a no client contact for 14 days: an alert on day 14, none on day 13")
        func noContactBoundary() {
            let alert = Self.alert(.noContact, Self.facts(lastContact: "2026-11-08"))
            #expect(alert?.since == F.day("2026-11-22"))
            #expect(alert?.title.contains("08.11.2026") == true)
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-11-09")) == nil)
            // It stays while the silence goes on, dated the fourteenth day.
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-10-01"))?.since == F.day("2026-10-15"))
        }

        @Test("R7a noContactAlertDays comes from the agreement")
        func noContactCustomDays() {
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-11-15", noContactAlertDays: 7))?.since == F.day("2026-11-22"))
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-11-16", noContactAlertDays: 7)) == nil)
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-11-01", noContactAlertDays: 30)) == nil)
        }

        @Test("R7a without any contact yet the silence counts from the case's start")
        func noContactSinceStart() {
            #expect(Self.alert(.noContact, Self.facts(lastContact: nil, start: "2026-11-08"))?.since == F.day("2026-11-22"))
            #expect(Self.alert(.noContact, Self.facts(lastContact: nil, start: "2026-11-09")) == nil)
        }

        @Test("R7a only meeting the client is contact: reports, indirect work, institutions, no-shows and cancellations are not",
              arguments: EntryKind.allCases)
        func whatIsContact(kind: EntryKind) {
            switch kind {
            case .direct, .crisis, .onboardingDay, .group, .planningMeeting: #expect(kind.isClientContact)
            case .institution, .report, .indirect, .cancelled, .noShow: #expect(!kind.isClientContact)
            }
        }

        @Test("R7a an ended case, or one not yet started, gets no no-contact alert")
        func noContactEndedCase() {
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-10-01", end: "2026-11-15")) == nil)
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-10-01", end: "2026-11-21")) == nil)
            #expect(Self.alert(.noContact, Self.facts(lastContact: nil, start: "2026-12-01")) == nil)
            // Still running on its last day.
            #expect(Self.alert(.noContact, Self.facts(lastContact: "2026-10-01", end: "2026-11-22")) != nil)
        }

        // MARK: Approvals

        @Test("Approvals: none covering today raises noApproval, dated the day after the last one ended")
        func noApproval() {
            let ended = [F.approval("2026-05-01", "2026-10-31", minutes: 600, per: .month)]
            let alert = Self.alert(.noApproval, Self.facts(approvals: ended))
            #expect(alert?.since == F.day("2026-11-01"))
            #expect(alert?.title.contains("01.11.2026") == true)
            #expect(Self.alert(.noApproval, Self.facts(approvals: []))?.since == F.day("2026-09-01"))
            // An approval starting later does not cover today either.
            let later = [F.approval("2026-12-01", "2027-05-31", minutes: 600, per: .month)]
            #expect(Self.alert(.noApproval, Self.facts(approvals: later)) != nil)
            #expect(Self.alert(.noApproval, Self.facts()) == nil)
            #expect(Self.alert(.noApproval, Self.facts(approvals: [], end: "2026-11-20")) == nil)
        }

        @Test("Approvals: one ending within 14 days with none to follow raises approvalEnding")
        func approvalEnding() {
            let fourteenDays = [F.approval("2026-06-01", "2026-12-06", minutes: 600, per: .month)]
            let alert = Self.alert(.approvalEnding, Self.facts(approvals: fourteenDays))
            #expect(alert?.since == F.day("2026-11-22"))
            #expect(alert?.title.contains("06.12.2026") == true)
            #expect(Self.alert(.approvalEnding, Self.facts(approvals: [F.approval("2026-06-01", "2026-11-22", minutes: 600, per: .month)])) != nil)
            let fifteenDays = [F.approval("2026-06-01", "2026-12-07", minutes: 600, per: .month)]
            #expect(Self.alert(.approvalEnding, Self.facts(approvals: fifteenDays)) == nil)
            #expect(Self.alert(.noApproval, Self.facts(approvals: fourteenDays)) == nil)
        }

        @Test("Approvals: with a follow-up approval recorded, no approvalEnding alert")
        func approvalFollowed() {
            let followed = [F.approval("2026-06-01", "2026-12-06", minutes: 600, per: .month, id: "1"),
                            F.approval("2026-12-07", "2027-05-31", minutes: 600, per: .month, id: "2")]
            #expect(Self.alert(.approvalEnding, Self.facts(approvals: followed)) == nil)
            #expect(Self.alert(.noApproval, Self.facts(approvals: followed)) == nil)
        }

        // MARK: R9

        @Test("R9 crisis work beyond the budget asks for the missing confirmation; other over-budget work for an increase")
        func budgetAlerts() {
            let tight = F.approval("2026-11-01", "2026-11-30", minutes: 60, per: .month)
            let crisisOnly = Self.facts(approvals: [tight], entries: [F.work("c", "2026-11-02", .crisis, billable: 90)])
            let crisisAlert = Self.alert(.crisisConfirmationMissing, crisisOnly, today: F.day("2026-11-10"))
            #expect(crisisAlert?.since == F.day("2026-11-02"))
            #expect(crisisAlert?.title.contains("0,5 Std.") == true)
            #expect(Self.alert(.overBudget, crisisOnly, today: F.day("2026-11-10")) == nil)
            let directOnly = Self.facts(approvals: [tight], entries: [F.work("d", "2026-11-03", billable: 90)])
            #expect(Self.alert(.overBudget, directOnly, today: F.day("2026-11-10"))?.since == F.day("2026-11-03"))
            #expect(Self.alert(.crisisConfirmationMissing, directOnly, today: F.day("2026-11-10")) == nil)
            // The cause gone, the alert is gone.
            let raised = F.approval("2026-11-01", "2026-11-30", minutes: 60, per: .month, increases: [F.increase(30, on: "2026-11-05")])
            #expect(Self.alerts(Self.facts(approvals: [raised], entries: [F.work("c", "2026-11-02", .crisis, billable: 90)]), today: F.day("2026-11-10"))
                .allSatisfy { $0.kind != .crisisConfirmationMissing && $0.kind != .overBudget })
        }

        @Test("R9 unbilled over-budget work still shows after the case ended")
        func budgetAlertAfterEnd() {
            let tight = F.approval("2026-11-01", "2026-11-30", minutes: 60, per: .month)
            let facts = Self.facts(approvals: [tight], entries: [F.work("d", "2026-11-03", billable: 90)], end: "2026-11-10")
            #expect(Self.alert(.overBudget, facts) != nil)
        }
    }
}
