import FallwerkDomain
import Fluent
import Foundation

/// A note of the running record with the name of who wrote it.
public struct NoteRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let note: Note
    public let authorName: String?
    /// The earlier version this note corrects.
    public var corrects: UUID? = nil
    /// The later version that corrects this note: this one is then an earlier version, kept readable.
    public var correctedBy: UUID? = nil
    /// The user who wrote it (who may correct it besides team lead and management).
    public var createdBy: UUID? = nil

    public var isCurrent: Bool { correctedBy == nil }
}

public enum NoteStore {
    static let entity = "note"

    /// The case's notes, newest first; with `query`, only those whose observation or assessment
    /// contains every word (R18: searchable within a case). The read is audited without the query,
    /// which may itself be social data (R31).
    public static func list(caseID: UUID, query: String? = nil, viewer: Viewer, context: WriteContext, today: Day,
                            on db: any Database) async throws -> [NoteRecord] {
        _ = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        let text = query?.trimmed ?? ""
        let all = try await records(caseID: caseID, on: db)
        return text.isEmpty ? all : all.filter { $0.note.matches(text) }
    }

    /// Records a note (R18); links may point only to goals and entries of the same case. With
    /// `correcting`, the note is a new version of that one: its author, the team lead or management
    /// correct the current version of a note of the same case; the earlier one stays as it was.
    @discardableResult
    public static func create(caseID: UUID, _ input: NoteInput, correcting: String? = nil, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        let record = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        return try await db.writeTransaction { db in
            var corrected: UUID?
            if let raw = correcting?.trimmed, !raw.isEmpty {
                guard let id = UUID(uuidString: raw), let old = try await NoteModel.find(id, on: db), old.$case.id == caseID else {
                    throw ValidationFailure([FieldError("correctsNoteId", "Diese Notiz gibt es in diesem Fall nicht.")])
                }
                if try await NoteModel.query(on: db).filter(\.$correctsNoteID == id).count() > 0 {
                    throw ValidationFailure([FieldError("correctsNoteId", "Diese Fassung ist schon korrigiert; bitte die neueste Fassung korrigieren.")])
                }
                guard mayCorrect(createdBy: old.createdBy, viewer: viewer) else {
                    throw NotAllowed("Eine Notiz korrigieren ihre Verfasserin oder ihr Verfasser, die Teamleitung und die Leitung.")
                }
                corrected = id
            }
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
            model.correctsNoteID = corrected
            try await model.create(on: db)
            // What and when, never the note's words (R31).
            var changes = ["case": AuditChange(from: nil, to: caseID.uuidString), "date": AuditChange(from: nil, to: note.date.iso),
                           "goals": AuditChange(from: nil, to: note.goalIDs.joined(separator: ","))]
            if let corrected { changes["corrects"] = AuditChange(from: nil, to: corrected.uuidString) }
            try await AuditLog.record(.create, entity: entity, id: id, changes: changes, by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Its author, team leads and management correct a note.
    public static func mayCorrect(createdBy: UUID?, viewer: Viewer) -> Bool {
        viewer.roles.contains(.teamLead) || viewer.roles.contains(.management) || createdBy == viewer.userID
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
        let correctedBy = Dictionary(models.compactMap { model in model.correctsNoteID.flatMap { old in model.id.map { (old, $0) } } },
                                     uniquingKeysWith: { first, _ in first })
        return models.compactMap { model -> NoteRecord? in
            guard let id = model.id, let date = Day(iso: model.date) else { return nil }
            let note = Note(id: id.uuidString, date: date, observation: model.observation, assessment: model.assessment,
                            goalIDs: model.goalIDs.split(separator: ",").map(String.init),
                            serviceEntryID: model.serviceEntryID?.uuidString, authorStaffID: model.authorStaffID?.uuidString)
            return NoteRecord(id: id, caseID: model.$case.id, note: note, authorName: model.authorStaffID.flatMap { names[$0] },
                              corrects: model.correctsNoteID, correctedBy: correctedBy[id], createdBy: model.createdBy)
        }.sorted { ($0.note.date, $0.id.uuidString) > ($1.note.date, $1.id.uuidString) }
    }
}
