import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// §8a procedures of the demo (R21), written through the store like a user would: the provider's ISEF
/// list, one running procedure with a risk assessment and a protection plan (Mia Krüger, led by
/// "fachkraft"), and one closed after a report to the youth office (Emma Hoffmann).
enum DemoChildProtection {
    static func write(caseIDs: [UUID], ids: DemoCases.Ids, viewer management: Viewer, today: Day, context: WriteContext,
                      on db: any Database) async throws {
        let external = try await ChildProtectionStore.addExpert(name: "Dr. Karin Vogt", organisation: "Kinderschutzzentrum Iserlohn",
                                                                contact: "02371 123456", staffID: nil, context: context, on: db)
        let ownISEF = try await ChildProtectionStore.addExpert(name: nil, organisation: "intern, ISEF-zertifiziert", contact: nil,
                                                                staffID: ids.staff[5].uuidString, context: context, on: db)
        let professionals = [ids.staff[1].uuidString, ids.staff[0].uuidString]
        let needs: [BasicNeed: NeedRating] = [
            .careAndFood: .sufficient, .hygiene: .borderline, .health: .sufficient, .supervision: .borderline,
            .protectionFromViolence: .sufficient, .protectionFromSexualAbuse: .good, .emotionalDevelopment: .borderline, .schooling: .sufficient,
        ]

        // Mia Krüger: running, low risk, protection plan with one check to come.
        let mia = try await resolved(caseIDs[2], viewer: DemoDocumentation.author(ids.staff[1], index: 2, on: db), today: today, on: db)
        let running = try await ChildProtectionStore.open(mia, ChildProtectionOpening(
            noticedOn: today.adding(days: -20).iso,
            indications: "Mia kam an drei Terminen hintereinander in ungewaschener Kleidung und sagte, abends sei oft niemand zu Hause. "
                + "Die Lehrerin berichtete telefonisch von fehlendem Frühstück."), context: context, today: today, on: db)
        try await step(running, mia, .consultation, day: today.adding(days: -19), today: today, context: context, on: db) {
            $0.participants = "Fallführende Fachkraft und Teamleitung"
            $0.note = "Anhaltspunkte besprochen; Gefährdungseinschätzung mit ISEF vereinbart."
        }
        try await step(running, mia, .riskAssessment, day: today.adding(days: -18), today: today, context: context, on: db) {
            $0.professionalStaffIDs = professionals
            $0.isefExpertID = external.uuidString
            $0.needs = Dictionary(uniqueKeysWithValues: needs.map { ($0.key.rawValue, $0.value.rawValue) })
            $0.riskLevel = RiskLevel.low.rawValue
            $0.note = "Versorgung grenzwertig, keine akute Gefahr; der Vater ist kooperativ und arbeitet im Schichtdienst."
        }
        try await step(running, mia, .guardiansInvolved, day: today.adding(days: -16), today: today, context: context, on: db) {
            $0.guardiansInvolved = true
            $0.childInvolved = true
            $0.note = "Gespräch mit Herrn Krüger und Mia; beide wollen die Abende anders regeln."
        }
        try await step(running, mia, .protectionPlan, day: today.adding(days: -15), today: today, context: context, on: db) {
            $0.measures = [(what: "Abendliche Betreuung durch die Großmutter an Schichttagen", who: "Herr Krüger", byWhen: today.adding(days: -8).iso),
                           (what: "Frühstück in der Schule (Schulfrühstück angemeldet)", who: "Fachkraft mit Herrn Krüger", byWhen: today.adding(days: -10).iso)]
            $0.howChecked = "Hausbesuch und Rückfrage bei der Schule"
            $0.checkDates = [today.adding(days: 7).iso, today.adding(days: 35).iso]
        }

        // Emma Hoffmann: weighty indications, reported at once, protection plan, checked and closed.
        let emma = try await resolved(caseIDs[6], viewer: DemoDocumentation.author(ids.staff[0], index: 6, on: db), today: today, on: db)
        let start = today.adding(days: -100)
        let closed = try await ChildProtectionStore.open(emma, ChildProtectionOpening(
            noticedOn: start.iso,
            indications: "Emma hatte Hämatome am Oberarm und sagte: „Mama war wieder so wütend.“"), context: context, today: today, on: db)
        try await step(closed, emma, .consultation, day: start, today: today, context: context, on: db) {
            $0.participants = "Fallführung, Teamleitung"
            $0.note = "Sofortige Gefährdungseinschätzung vereinbart."
        }
        try await step(closed, emma, .riskAssessment, day: start, today: today, context: context, on: db) {
            $0.professionalStaffIDs = [ids.staff[0].uuidString, ids.staff[1].uuidString]
            $0.isefExpertID = ownISEF.uuidString
            $0.needs = Dictionary(uniqueKeysWithValues: BasicNeed.allCases.map {
                ($0.rawValue, ($0 == .protectionFromViolence ? NeedRating.insufficient : .sufficient).rawValue)
            })
            $0.riskLevel = RiskLevel.high.rawValue
            $0.note = "Gewichtige Anhaltspunkte für körperliche Gewalt."
        }
        try await step(closed, emma, .reportToYouthOffice, day: start, today: today, context: context, on: db) {
            $0.recipient = "Jugendamt, fallführende Fachkraft"
            $0.way = "Fax"
            $0.note = "Meldebogen übermittelt; Hausbesuch des Jugendamts am Folgetag vereinbart."
        }
        try await step(closed, emma, .guardiansInvolved, day: start.adding(days: 1), today: today, context: context, on: db) {
            $0.guardiansInvolved = true
            $0.childInvolved = true
            $0.note = "Gemeinsames Gespräch mit Jugendamt, Frau Hoffmann und Emma."
        }
        try await step(closed, emma, .protectionPlan, day: start.adding(days: 2), today: today, context: context, on: db) {
            $0.measures = [(what: "Anti-Gewalt-Beratung für Frau Hoffmann", who: "Frau Hoffmann", byWhen: start.adding(days: 30).iso)]
            $0.howChecked = "Wöchentliche Hausbesuche, Rückmeldung der Beratungsstelle"
            $0.checkDates = [start.adding(days: 30).iso]
        }
        try await step(closed, emma, .followUp, day: start.adding(days: 30), today: today, context: context, on: db) {
            $0.note = "Beratung läuft regelmäßig; keine neuen Verletzungen; Emma wirkt entspannter."
        }
        try await step(closed, emma, .closed, day: start.adding(days: 45), today: today, context: context, on: db) {
            $0.outcome = "Gefährdung abgewendet; Schutzplan umgesetzt"
            $0.note = "Abschluss mit dem Jugendamt abgestimmt."
        }
        try await incidentsAndComplaints(caseIDs: caseIDs, ids: ids, management: management, today: today, context: context, on: db)
    }

    /// One incident reported internally and externally (R22); two complaints, one resolved, one open (R23).
    static func incidentsAndComplaints(caseIDs: [UUID], ids: DemoCases.Ids, management: Viewer, today: Day, context: WriteContext,
                                       on db: any Database) async throws {
        let author = try await DemoDocumentation.author(ids.staff[1], index: 4, on: db)
        let occurred = today.adding(days: -10)
        let incident = try await SafeguardingStore.recordIncident(
            IncidentInput(occurredOn: occurred.iso, occurredAt: "16:30", category: IncidentCategory.accident.rawValue,
                          description: "Sofia ist beim gemeinsamen Ausflug vom Fahrrad gestürzt und wurde in der Notaufnahme genäht.",
                          personsInvolved: "Sofia Wagner, Fachkraft Mara Yilmaz, Mutter Ilona Wagner (telefonisch)"),
            caseID: caseIDs[4].uuidString, viewer: author, context: context, now: DayTime(day: today, time: TimeOfDay(minuteOfDay: 9 * 60)!), on: db)
        let reports: [SafeguardingStepInput] = [
            SafeguardingStepInput(kind: IncidentStepKind.internalReport.rawValue, date: occurred.iso, recipient: "Bereichsleitung und Geschäftsleitung",
                                  way: "Telefon, danach E-Mail"),
            SafeguardingStepInput(kind: IncidentStepKind.externalReport.rawValue, date: occurred.adding(days: 1).iso,
                                  recipient: "Landesjugendamt und Jugendamt der Stadt Elbhausen", way: "Meldebogen per verschlüsselter E-Mail"),
            SafeguardingStepInput(kind: IncidentStepKind.affectedInformed.rawValue, date: occurred.adding(days: 1).iso,
                                  note: "Frau Wagner am Abend des Unfalls persönlich informiert."),
        ]
        for step in reports {
            try await SafeguardingStore.addIncidentStep(incident, step, viewer: management, context: context, today: today, on: db)
        }
        let resolved = try await SafeguardingStore.recordComplaint(
            ComplaintInput(receivedOn: today.adding(days: -40).iso, source: ComplaintSource.guardian.rawValue, channel: ComplaintChannel.phone.rawValue,
                           category: ComplaintCategory.organisation.rawValue, about: "Termine wurden zweimal kurzfristig verschoben.",
                           ombudspersonOffered: true),
            caseID: nil, viewer: author, context: context, today: today, on: db)
        for (kind, after, note) in [(ComplaintStepKind.acknowledged, 1, nil), (.handled, 5, "Gespräch mit der Mutter; feste Wochentage vereinbart."),
                                    (.resolved, 12, "Termine finden seitdem verlässlich statt; die Mutter ist zufrieden.")] as [(ComplaintStepKind, Int, String?)] {
            try await SafeguardingStore.addComplaintStep(resolved, SafeguardingStepInput(kind: kind.rawValue, date: today.adding(days: -40 + after).iso, note: note),
                                                         viewer: management, context: context, today: today, on: db)
        }
        try await SafeguardingStore.recordComplaint(
            ComplaintInput(receivedOn: today.adding(days: -2).iso, source: ComplaintSource.youngPerson.rawValue,
                           channel: ComplaintChannel.complaintBox.rawValue, category: ComplaintCategory.participation.rawValue,
                           about: "„Bei den Hilfeplangesprächen redet keiner mit mir, nur über mich.“", ombudspersonOffered: true),
            caseID: nil, viewer: author, context: context, today: today, on: db)
    }

    static func resolved(_ caseID: UUID, viewer: Viewer, today: Day, on db: any Database) async throws -> ResolvedCase {
        let (record, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        return ResolvedCase(record: record, access: access, viewer: viewer)
    }

    static func step(_ procedureID: UUID, _ resolved: ResolvedCase, _ kind: ChildProtectionStepKind, day: Day, today: Day, context: WriteContext,
                     on db: any Database, _ fill: (inout ChildProtectionStepInput) -> Void) async throws {
        var input = ChildProtectionStepInput(kind: kind.rawValue, date: day.iso)
        fill(&input)
        try await ChildProtectionStore.addStep(procedureID, of: resolved, input, context: context, today: today, on: db)
    }
}
