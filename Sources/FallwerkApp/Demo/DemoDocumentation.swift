import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// Goals with ratings, notes and reports for two demo cases (R18–R20), written through the stores
/// with "today" set to the day each thing happened, so the history is deterministic and relative to
/// `today`: Lena Sommerfeld's progress report is a draft; Luis Schmitz's final report was approved,
/// discussed with the family and sent (its report entry exists, R10).
enum DemoDocumentation {
    struct GoalPlan {
        let title: String, specific: String, measurable: String, view: String?
        let status: GoalStatus
        /// Days after the case start: when the goal was set, its deadline, its ratings (day, value, reason).
        let setAfter: Int, dueAfter: Int
        let ratings: [(Int, Int, String)]
    }

    static let lena: [GoalPlan] = [
        GoalPlan(title: "Regelmäßiger Schulbesuch", specific: "Lena geht an allen Schultagen zur Schule.",
                 measurable: "Höchstens zwei unentschuldigte Fehltage im Monat laut Klassenbuch.", view: "Ich will den Abschluss schaffen.",
                 status: .inProgress, setAfter: 14, dueAfter: 200,
                 ratings: [(40, 2, "Noch häufige Fehltage, vor allem montags."), (100, 3, "Fehltage halbiert; die Weckroutine hilft."),
                           (160, 4, "Im letzten Monat ein Fehltag.")]),
        GoalPlan(title: "Streit zu Hause ohne Eskalation klären",
                 specific: "Lena und ihre Mutter klären Streit im Gespräch, ohne dass jemand die Wohnung verlässt.",
                 measurable: "Beide berichten im Wochengespräch; höchstens ein eskalierter Streit im Monat.", view: nil,
                 status: .inProgress, setAfter: 14, dueAfter: 220,
                 ratings: [(60, 2, "Zwei Eskalationen im Monat, beide am Wochenende."), (150, 3, "Eine Eskalation; Auszeit-Regel wird genutzt.")]),
    ]

    static let luis: [GoalPlan] = [
        GoalPlan(title: "Hausaufgaben selbstständig erledigen", specific: "Luis erledigt seine Hausaufgaben nachmittags ohne Erinnerung.",
                 measurable: "Hausaufgabenheft: an vier von fünf Tagen vollständig.", view: "Ich mach das jetzt gleich nach dem Essen.",
                 status: .achieved, setAfter: 10, dueAfter: 160,
                 ratings: [(30, 2, "Nur mit Erinnerung der Mutter."), (90, 4, "Meist selbstständig."), (160, 5, "Seit sechs Wochen vollständig.")]),
        GoalPlan(title: "Freizeit im Verein", specific: "Luis nimmt wöchentlich am Training eines Sportvereins teil.",
                 measurable: "Teilnahme an mindestens drei von vier Trainings im Monat.", view: nil,
                 status: .achieved, setAfter: 10, dueAfter: 150,
                 ratings: [(60, 3, "Probetraining besucht, Anmeldung erfolgt."), (150, 5, "Regelmäßig beim Fußball.")]),
    ]

    static let lenaNotes: [(Int, String, String?)] = [
        (20, "Hausbesuch. Lena öffnete erst nach dem zweiten Klingeln. Sie sagte: „Montags ist Sport, da geh ich nicht hin.“ Die Mutter war anwesend und stimmte zu, einen Wecker zu besorgen.",
         "Die Fehltage hängen wohl mit dem Sportunterricht zusammen; Scham könnte eine Rolle spielen."),
        (45, "Gespräch in der Schule mit der Klassenlehrerin und Lena. Seit zwei Wochen drei Fehltage, alle montags.", nil),
        (90, "Lena erzählte, dass sie jetzt mit einer Freundin zur Schule geht. Streit mit der Mutter am Wochenende; beide haben die Auszeit-Regel genutzt.",
         "Die Verabredung mit der Freundin stabilisiert den Schulweg; die Auszeit-Regel wird angenommen."),
        (130, "Wochengespräch mit Mutter und Lena. Ein Fehltag im Monat. Die Mutter sagte: „Es ist ruhiger geworden.“", nil),
        (163, "Hausbesuch. Lena zeigte ihr Zeugnis: keine unentschuldigten Fehlstunden im letzten Monat.",
         "Deutlicher Fortschritt beim Schulbesuch; weiter begleiten, bis die Routine ohne Unterstützung trägt."),
    ]

    static let luisNotes: [(Int, String, String?)] = [
        (25, "Hausaufgabenbegleitung. Luis brauchte für Mathematik 40 Minuten und fragte zweimal nach.", "Luis braucht eine feste Zeit und einen ruhigen Platz."),
        (95, "Luis war zum dritten Mal beim Fußballtraining. Der Trainer lobte seine Pünktlichkeit.", nil),
        (165, "Abschlussgespräch vorbereitet. Luis sagte: „Ich brauch euch nicht mehr so oft.“",
         "Die Ziele sind erreicht; die Familie trägt die Routinen selbst."),
    ]

    static func write(caseIDs: [UUID], ids: DemoCases.Ids, viewer management: Viewer, today: Day, context: WriteContext,
                      on db: any Database) async throws {
        // Lena Sommerfeld (plan 0, led by "fachkraft"): goals, notes, a progress report in draft.
        let lenaCase = caseIDs[0], luisCase = caseIDs[9]
        let lenaStart = DemoCases.startDate(DemoCases.plans[0], today: today)
        let lenaAuthor = try await author(ids.staff[DemoCases.plans[0].lead], index: 0, on: db)
        try await documentation(lenaCase, goals: lena, notes: lenaNotes, start: lenaStart, author: lenaAuthor, context: context, on: db)
        try await ReportStore.generate(caseID: lenaCase, ReportRequest(kind: ReportKind.progress.rawValue), viewer: lenaAuthor,
                                       context: context, today: today, on: db)

        // Luis Schmitz (plan 9, ended with its goals reached): the final report, approved, discussed and sent.
        let luisStart = DemoCases.startDate(DemoCases.plans[9], today: today)
        let end = DemoCases.endedOn(today)
        let luisAuthor = try await author(ids.staff[DemoCases.plans[9].lead], index: 9, on: db)
        try await documentation(luisCase, goals: luis, notes: luisNotes, start: luisStart, author: luisAuthor, context: context, on: db)
        let report = try await ReportStore.generate(caseID: luisCase, ReportRequest(kind: ReportKind.final.rawValue, periodTo: end.iso),
                                                    viewer: luisAuthor, context: context, today: end.adding(days: -8), on: db)
        try await ReportStore.editSection(report, key: ReportSectionKey.perspective.rawValue,
                                          text: "Die Ziele der Hilfe sind erreicht. Eine weitere Hilfe wird nicht empfohlen; die Familie weiß, dass sie sich bei Bedarf an das Jugendamt wenden kann.",
                                          viewer: luisAuthor, context: context, today: end.adding(days: -7), on: db)
        try await ReportStore.submit(report, viewer: luisAuthor, context: context, today: end.adding(days: -7), on: db)
        try await ReportStore.approve(report, viewer: management, context: context, today: end.adding(days: -6), on: db)
        try await ReportStore.recordDiscussed(report, on: end.adding(days: -5).iso, viewer: luisAuthor, context: context,
                                              today: end.adding(days: -5), on: db)
        try await ReportStore.markSent(report, on: end.adding(days: -4).iso, viewer: luisAuthor, context: context,
                                       today: end.adding(days: -4), on: db)
    }

    /// The lead worker of a demo case as the viewer who writes its documentation.
    static func author(_ staffID: UUID, index: Int, on db: any Database) async throws -> Viewer {
        let user = try await StaffModel.find(staffID, on: db)?.$user.id
        // Staff without a login write under a fixed id, so the demo stays the same on every run.
        let fallback = UUID(uuid: (0xD0, 0xC5, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, UInt8(index)))
        return Viewer(userID: user ?? fallback, roles: [.caseworker], staffID: staffID, ledTeamIDs: [])
    }

    static func documentation(_ caseID: UUID, goals: [GoalPlan], notes: [(Int, String, String?)], start: Day, author: Viewer,
                              context: WriteContext, on db: any Database) async throws {
        var goalIDs: [UUID] = []
        for plan in goals {
            let set = start.adding(days: plan.setAfter)
            let id = try await GoalStore.create(caseID: caseID, GoalInput(title: plan.title, specific: plan.specific, measurable: plan.measurable,
                                                                          timeBound: start.adding(days: plan.dueAfter).iso, youngPersonView: plan.view,
                                                                          status: GoalStatus.inProgress.rawValue),
                                                viewer: author, context: context, today: set, on: db)
            goalIDs.append(id)
            for (after, value, reason) in plan.ratings {
                let day = start.adding(days: after)
                try await GoalStore.rate(caseID: caseID, goalID: id, GoalRatingInput(value: value, ratedOn: day.iso, reason: reason),
                                         viewer: author, context: context, today: day, on: db)
            }
            if plan.status != .inProgress {
                let last = start.adding(days: plan.ratings.map(\.0).max() ?? plan.setAfter)
                try await GoalStore.update(caseID: caseID, goalID: id, GoalInput(title: plan.title, specific: plan.specific, measurable: plan.measurable,
                                                                                 timeBound: start.adding(days: plan.dueAfter).iso,
                                                                                 youngPersonView: plan.view, status: plan.status.rawValue),
                                           viewer: author, context: context, today: last, on: db)
            }
        }
        for (index, (after, observation, assessment)) in notes.enumerated() {
            let day = start.adding(days: after)
            try await NoteStore.create(caseID: caseID, NoteInput(date: day.iso, observation: observation, assessment: assessment,
                                                                 goalIDs: [goalIDs[index % goalIDs.count].uuidString]),
                                       viewer: author, context: context, today: day, on: db)
        }
    }
}
