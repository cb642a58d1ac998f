import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// People and capacity in the demo (issue 14), written through the stores: every staff member's
/// standards with one of each state (a certificate that runs out next month, someone short of training,
/// someone short of supervisions, a new colleague without induction), open requests (one waiting too
/// long), an absence longer than six weeks with a substitute, this month's on-call rota with one gap,
/// and a minor moving to independent living.
enum DemoStaffing {
    static func write(ids: DemoCases.Ids, newcomer: UUID, viewer: Viewer, today: Day, context: WriteContext,
                      on db: any Database) async throws {
        let yearStart = Day(year: today.year, month: 1, day: 1)!
        /// A day `daysAgo` before today, but not before 1 January (the standards count per calendar year).
        func day(_ daysAgo: Int) -> Day { max(yearStart, today.adding(days: -daysAgo)) }

        for (index, staffID) in ids.staff.enumerated() {
            // R24: certificates issued in the last five years; Friederike Lang's runs out next month.
            let issued = index == 3 ? today.adding(months: 1).adding(months: -60).adding(days: 10) : today.adding(days: -(200 + index * 97))
            try await StaffingStore.addEvidence(.certificate, staffID: staffID, date: issued, viewer: viewer, context: context, on: db)
            // R25: Selin Aydın is short of training (8 of 15.6 hours).
            let trainings: [(String, Int)] = index == 4 ? [("Gesprächsführung mit Familien", 480)]
                : [("Kinderschutz und § 8a in der Praxis", 480), ("Systemische Beratung, Aufbaukurs", 600)]
            for (number, (title, minutes)) in trainings.enumerated() {
                try await StaffingStore.addEvidence(.training, staffID: staffID, date: day(20 + number * 70 + index), title: title, minutes: minutes,
                                                    viewer: viewer, context: context, on: db)
            }
            // R25: Paul Niehaus has had five supervisions and one of only 60 minutes.
            let sessions = index == 6 ? [120, 120, 120, 120, 120, 60] : Array(repeating: 120, count: 8)
            for (number, minutes) in sessions.enumerated() {
                try await StaffingStore.addEvidence(.supervision, staffID: staffID, date: day(10 + number * 35), minutes: minutes,
                                                    viewer: viewer, context: context, on: db)
            }
            try await StaffingStore.addEvidence(.acknowledgement, staffID: staffID, date: day(60 + index), viewer: viewer, context: context, on: db)
        }
        // The newcomer has done the first induction module only: no lead role yet.
        try await StaffingStore.addEvidence(.certificate, staffID: newcomer, date: today.adding(days: -40), viewer: viewer, context: context, on: db)
        try await StaffingStore.addEvidence(.induction1, staffID: newcomer, date: today.adding(days: -7), viewer: viewer, context: context, on: db)

        // R1: two open requests (one waiting longer than the setting's 7 days) and one declined.
        let offices = [ids.officeA, ids.officeB]
        let requests: [(Int, Int, String, BudgetUnit, RequestUrgency, String, String)] = [
            (0, 1, "5", .week, .urgent, "Überforderung der alleinerziehenden Mutter nach Umzug, Schulabsentismus des Sohnes.", "L. B."),
            (1, 0, "20", .month, .normal, "Verselbständigung nach stationärer Unterbringung, eigene Wohnung ab nächstem Monat.", "J. K."),
            (0, 2, "6", .week, .normal, "Anleitung im Haushalt nach Geburt des dritten Kindes.", "M. S."),
        ]
        var requestIDs: [UUID] = []
        for (index, request) in requests.enumerated() {
            requestIDs.append(try await IntakeStore.create(
                youthOfficeId: offices[request.0].uuidString, offerId: ids.offers[request.1].uuidString,
                IntakeRequestInput(receivedOn: today.adding(days: [-10, -2, -30][index]).iso, contact: ["Frau Schubert", "Herr Demir", "Frau Schubert"][index],
                                   hours: request.2, per: request.3.rawValue, urgency: request.4.rawValue, reason: request.5, initials: request.6),
                viewer: viewer, context: context, today: today, on: db))
        }
        try await IntakeStore.decline(requestIDs[2], reason: "Im Team Oer-Erkenschwick ist derzeit keine Hauswirtschafterin frei; Rückfrage in vier Wochen angeboten.",
                                      context: context, today: today.adding(days: -27), on: db)

        // R27: Nadine Horstmann is ill for ten weeks; the first of her cases already has a substitute.
        let absentID = ids.staff[9]
        let absenceID = try await AbsenceStore.add(staffID: absentID, from: today.adding(days: -20).iso, to: today.adding(days: 50).iso,
                                                   kind: AbsenceKind.illness.rawValue, viewer: viewer, context: context, on: db)
        let absence = try await AbsenceStore.get(absenceID, on: db)
        if let first = try await AbsenceStore.cases(of: absence, on: db).first(where: { $0.substitutes.isEmpty }),
           let substitute = try await AbsenceStore.proposals(for: absence, on: db).first {
            try await AbsenceStore.substitute(absenceID: absenceID, caseID: first.record.id, staffID: substitute.staff.id.uuidString, viewer: viewer, today: today,
                                              context: context, on: db)
        }

        // R28: this month's rota, a 24-hour shift from 8:00 each day, with one day nobody took yet.
        let month = Month(containing: today)
        let gapDay = today.day == 20 ? 21 : 20
        let eight = TimeOfDay(hour: 8, minute: 0)!
        var shiftDay = month.firstDay.adding(days: -1)
        var rota = 0
        while shiftDay <= month.lastDay {
            defer { shiftDay = shiftDay.adding(days: 1) }
            if shiftDay.day == gapDay, shiftDay.month == month.month { continue }
            let staff = ids.staff[[0, 1, 2, 5, 6, 7][rota % 6]]
            rota += 1
            _ = try await OnCallStore.add(staffID: staff.uuidString, from: DayTime(day: shiftDay, time: eight).iso,
                                          to: DayTime(day: shiftDay.adding(days: 1), time: eight).iso, viewer: viewer, context: context, on: db)
        }

        // Issue 15: the accountant's DATEV settings, and a draft performance report over the last two years.
        var datev = DatevConfigurationInput()
        (datev.consultantNumber, datev.clientNumber, datev.fiscalYearStartMonth, datev.accountLength, datev.revenueAccount) = (29098, 55003, 1, 4, "8100")
        datev.debtorAccounts = [ids.officeA.uuidString: "10001", ids.officeB.uuidString: "10002"]
        try await DatevStore.save(datev, context: context, on: db)
        let reportID = try await PerformanceReportStore.create(from: today.adding(months: -24).iso, to: today.adding(days: -1).iso, teamID: nil,
                                                               viewer: viewer, context: context, today: today, on: db)
        try await PerformanceReportStore.updateText(reportID, section: "offer", text: "Lebenswege bietet Einzelfallhilfe, Familienhilfe (MoPäD), "
            + "Alltagstraining und Nachbetreuung für zwei Jugendämter an.\n\nIm Berichtszeitraum kam die Nachbetreuung nach stationärer Hilfe hinzu.",
                                                    viewer: viewer, context: context, on: db)

        // R7: a minor in the aftercare offer moving to independent living, marked two months ago.
        if let aftercare = try await CaseModel.query(on: db).filter(\.$offer.$id == ids.offers[3]).filter(\.$endDate == nil).first(),
           let caseID = aftercare.id {
            let resolved = try await DemoChildProtection.resolved(caseID, viewer: viewer, today: today, on: db)
            let since = max(resolved.record.startDate, Month(containing: today.adding(months: -2)).firstDay)
            try await GuardianContactStore.mark(resolved, since: since.iso, context: context, today: today, on: db)
            // The guardians were met once a month: the first visit of each month says so (the demo's
            // entries exist already; a user ticks the box on the entry form).
            var month = Month(containing: since)
            while month < Month(containing: today) {
                if let visit = try await ServiceEntryModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$kind == EntryKind.direct.rawValue)
                    .filter(\.$date >= month.firstDay.iso).filter(\.$date <= month.lastDay.iso).sort(\.$date).first() {
                    visit.guardianContact = true
                    try await visit.update(on: db)
                }
                month = Month(containing: month.lastDay.adding(days: 1))
            }
        }
    }
}
