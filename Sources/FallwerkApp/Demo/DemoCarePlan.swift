import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// The demo's care plans (R3–R6): every case had its first meeting on the day it started, the
/// signed plan, cost approval and specification arrived in time, and past reviews were held with
/// their progress reports. Two stories stand out on the deadlines page:
/// Lena's progress report is due next week, and Noah's review was moved earlier so that his report
/// is overdue.
enum DemoCarePlan {
    static let reportDueNextWeek = 0   // Lena Sommerfeld
    static let reportOverdue = 5       // Noah

    static func write(caseIDs: [UUID], viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        let participants = ["Fachkraft des Jugendamts", "Sorgeberechtigte", "junger Mensch", "Bezugsbetreuung"]
        for (index, caseID) in caseIDs.enumerated() {
            let plan = try await CarePlanStore.load(caseID, visibleTo: viewer, today: today, on: db)
            let start = plan.record.startDate
            let last = min(plan.record.endDate ?? today, today)
            func meeting(_ day: Day, _ kind: CarePlanMeetingKind, held: Bool, outcome: String?, scheduledOn: Day? = nil) async throws {
                var input = CarePlanMeetingInput()
                input.date = day.iso
                input.time = "10:00"
                input.durationMinutes = 90
                input.kind = kind.rawValue
                input.state = (held ? MeetingState.held : .planned).rawValue
                input.participants = participants
                input.outcome = outcome
                input.scheduledOn = scheduledOn?.iso
                try await CarePlanStore.saveMeeting(caseID: caseID, input, viewer: viewer, context: context, today: today, on: db)
            }
            func received(_ kind: CarePlanDocumentKind, _ day: Day) async throws {
                guard day <= today else { return }
                try await CarePlanStore.recordDocument(caseID: caseID, CarePlanDocumentDraft(kind: kind.rawValue, receivedOn: day.iso),
                                                       viewer: viewer, context: context, today: today, on: db)
            }
            try await meeting(start, .initial, held: true, outcome: "Ziele vereinbart, Stunden beantragt.")
            try await received(.signedCarePlan, start.adding(days: 10))
            try await received(.costApproval, start.adding(days: 9))
            try await received(.specification, start.adding(days: 45))
            // Past reviews, each with its progress report sent two weeks ahead (R4).
            var review = start.adding(months: firstReviewMonths(plan))
            while review <= last {
                try await sentProgressReport(caseID: caseID, on: review.adding(days: -15), periodFrom: start, db: db, createdBy: viewer.userID)
                try await meeting(review, .review, held: true, outcome: "Hilfe wird fortgesetzt.")
                try await received(.signedCarePlan, review.adding(days: 8))
                try await received(.costApproval, review.adding(days: 7))
                review = review.adding(months: 6)
            }
            // The next review is close: its report went out already (except in the two stories).
            if plan.record.endDate == nil, index != reportDueNextWeek, index != reportOverdue, review.adding(days: -14) <= today {
                try await sentProgressReport(caseID: caseID, on: min(review.adding(days: -15), today), periodFrom: start, db: db, createdBy: viewer.userID)
            }
            if index == reportDueNextWeek {
                try await meeting(today.adding(days: 21), .review, held: false, outcome: nil, scheduledOn: today.adding(days: -40))
            } else if index == reportOverdue {
                // The youth office moved the review earlier (R3); the date was known a month ago (seed 003).
                try await meeting(today.adding(days: 10), .review, held: false, outcome: nil, scheduledOn: today.adding(days: -30))
            }
        }
    }

    static func firstReviewMonths(_ plan: CarePlanRecord) -> Int {
        // The domain knows the offer's first review (MoPäD: 3 months); read it back from the first review deadline.
        plan.deadlines.first { $0.kind == .review }.map { due in
            var months = 1
            while plan.record.startDate.adding(months: months) < due.due { months += 1 }
            return months
        } ?? 6
    }

    /// A progress report of the past, already sent to the youth office (what completes R4).
    static func sentProgressReport(caseID: UUID, on day: Day, periodFrom: Day, db: any Database, createdBy: UUID) async throws {
        let model = ReportModel()
        model.$case.id = caseID
        model.kind = ReportKind.progress.rawValue
        model.periodFrom = periodFrom.iso
        model.periodTo = day.iso
        model.status = ReportStatus.sent.rawValue
        model.sections = "[]"
        model.submittedOn = day.adding(days: -3).iso
        model.approvedOn = day.adding(days: -1).iso
        model.sentOn = day.iso
        model.discussedWithFamilyOn = day.adding(days: -2).iso
        model.createdBy = createdBy
        try await model.create(on: db)
    }
}
