import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation

/// Issue 16 in the demo: a file that ended six years ago, due for blocking on *Aufbewahrung* (R32), and a
/// health record on the first case (seed 003), so that a newcomer sees both at work.
enum DemoDataProtection {
    static func write(caseIDs: [UUID], ids: DemoCases.Ids, viewer: Viewer, today: Day, context: WriteContext, on db: any Database) async throws {
        var draft = CaseDraft()
        draft.youthOfficeId = ids.officeA.uuidString
        draft.offerId = ids.offers[0].uuidString
        draft.leadStaffId = ids.staff[2].uuidString
        let ended = today.adding(months: -72).adding(days: -10)
        draft.input.fileNumber = "51.2-\(ended.year - 1)-0042"
        draft.input.startDate = today.adding(days: -30).iso
        draft.input.youngPerson = PersonInput(firstName: "Jana", lastName: "Brückner", birthDate: today.adding(months: -12 * 24 - 3).iso)
        draft.input.guardians = [PersonInput(firstName: "Petra", lastName: "Brückner", relation: "Mutter")]
        let archived = try await CaseStore.create(draft, context: context, today: today, on: db)
        // Opened and ended long ago (no store back-dates a case; the demo does, as it ends its other cases).
        if let model = try await CaseModel.find(archived, on: db) {
            model.startDate = ended.adding(days: -400).iso
            model.endDate = ended.iso
            model.endReason = EndReason.goalsReached.rawValue
            try await model.update(on: db)
        }
        try await CaseAssignmentModel.query(on: db).filter(\.$case.$id == archived).set(\.$fromDate, to: ended.adding(days: -400).iso).update()

        guard let first = caseIDs.first else { return }
        let resolved = try await CaseResolution.resolve(first, policy: .visible, viewer: viewer, today: today, on: db)
        var input = HealthRecordInput(kind: "therapy", description: "Ergotherapie wöchentlich (Feinmotorik), verordnet von der Kinderärztin.",
                                      from: today.adding(months: -4).iso)
        input.to = nil
        // Recorded by the demo's management login: health records name who wrote them.
        let author = WriteContext(actor: AuditActor(userID: viewer.userID, username: "leitung"), now: context.now)
        _ = try await HealthStore.create(resolved, input, context: author, today: today, on: db)
    }
}
