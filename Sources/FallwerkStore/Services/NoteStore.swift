import FallwerkDomain
import Fluent
import Foundation

/// A note of the running record with the name of who wrote it.
public struct NoteRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let note: Note
    public let authorName: String?
}

public enum NoteStore {
    static let entity = "note"

    /// The case's notes, newest first; with `query`, only those whose observation or assessment
    /// contains every word (R18: searchable within a case). The read is audited without the query,
    /// which may itself be social data (R31).
    public static func list(caseID: UUID, query: String? = nil, viewer: Viewer, context: WriteContext, today: Day,
                            on db: any Database) async throws -> [NoteRecord] {
        _ = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        var changes = ["case": AuditChange(from: nil, to: caseID.uuidString)]
        let text = query?.trimmed ?? ""
        if !text.isEmpty { changes["search"] = AuditChange(from: nil, to: nil) }
        try await AuditLog.record(.read, entity: entity, id: nil, changes: changes, by: context.actor, at: context.now, on: db)
        let all = try await records(caseID: caseID, on: db)
        return text.isEmpty ? all : all.filter { $0.note.matches(text) }
    }

    /// Records a note (R18); links may point only to goals and entries of the same case.
    @discardableResult
    public static func create(caseID: UUID, _ input: NoteInput, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        let record = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        return try await db.writeTransaction { db in
            let goals = try await GoalModel.query(on: db).filter(\.$case.$id == caseID).all().compactMap { $0.id?.uuidString }
            let entries = try await ServiceEntryModel.query(on: db).filter(\.$case.$id == caseID).all().compactMap { $0.id?.uuidString }
            var typed = input
            typed.goalIDs = input.goalIDs.map(DocumentationAccess.normalized)
            typed.serviceEntryID = input.serviceEntryID.map(DocumentationAccess.normalized)
            let id = UUID()
            var v = Validator()
            guard let note = typed.validated(into: &v, id: id.uuidString, startDate: record.startDate, endDate: record.endDate, today: today,
                                             goalIDs: Set(goals), serviceEntryIDs: Set(entries), authorStaffID: viewer.staffID?.uuidString)
            else {
                // The API and the form spell the links `goalIds` and `serviceEntryId`.
                throw ValidationFailure(v.errors.map { error in
                    FieldError(error.field.replacingOccurrences(of: "goalIDs", with: "goalIds")
                        .replacingOccurrences(of: "serviceEntryID", with: "serviceEntryId"), error.message)
                })
            }
            let model = NoteModel()
            model.id = id
            model.$case.id = caseID
            model.date = note.date.iso
            model.observation = note.observation
            model.assessment = note.assessment
            model.goalIDs = note.goalIDs.joined(separator: ",")
            model.serviceEntryID = note.serviceEntryID.flatMap(UUID.init(uuidString:))
            model.authorStaffID = viewer.staffID
            model.createdBy = viewer.userID
            try await model.create(on: db)
            // What and when, never the note's words (R31).
            try await AuditLog.record(.create, entity: entity, id: id,
                                      changes: ["case": AuditChange(from: nil, to: caseID.uuidString),
                                                "date": AuditChange(from: nil, to: note.date.iso),
                                                "goals": AuditChange(from: nil, to: note.goalIDs.joined(separator: ","))],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    static func records(caseID: UUID, on db: any Database) async throws -> [NoteRecord] {
        let models = try await NoteModel.query(on: db).filter(\.$case.$id == caseID).all()
        let staffIDs = Set(models.compactMap(\.authorStaffID))
        var names: [UUID: String] = [:]
        if !staffIDs.isEmpty {
            for staff in try await StaffModel.query(on: db).filter(\.$id ~~ staffIDs).all() {
                if let id = staff.id { names[id] = "\(staff.firstName) \(staff.lastName)" }
            }
        }
        return models.compactMap { model -> NoteRecord? in
            guard let id = model.id, let date = Day(iso: model.date) else { return nil }
            let note = Note(id: id.uuidString, date: date, observation: model.observation, assessment: model.assessment,
                            goalIDs: model.goalIDs.split(separator: ",").map(String.init),
                            serviceEntryID: model.serviceEntryID?.uuidString, authorStaffID: model.authorStaffID?.uuidString)
            return NoteRecord(id: id, caseID: model.$case.id, note: note, authorName: model.authorStaffID.flatMap { names[$0] })
        }.sorted { ($0.note.date, $0.id.uuidString) > ($1.note.date, $1.id.uuidString) }
    }
}
