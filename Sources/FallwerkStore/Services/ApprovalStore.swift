import FallwerkDomain
import Fluent
import Foundation

/// An approval as typed.
public struct ApprovalDraft: Sendable, Equatable {
    public var from: String?
    public var to: String?
    public var hours: String?
    public var per: String?
    public var reference: String?
    public var staffIds: [String] = []

    public init(from: String? = nil, to: String? = nil, hours: String? = nil, per: String? = nil, reference: String? = nil, staffIds: [String] = []) {
        self.from = from
        self.to = to
        self.hours = hours
        self.per = per
        self.reference = reference
        self.staffIds = staffIds
    }
}

public struct IncreaseDraft: Sendable, Equatable {
    public var hours: String?
    public var confirmedOn: String?
    public var appliesOn: String?
    public var note: String?

    public init(hours: String? = nil, confirmedOn: String? = nil, appliesOn: String? = nil, note: String? = nil) {
        self.hours = hours
        self.confirmedOn = confirmedOn
        self.appliesOn = appliesOn
        self.note = note
    }
}

public enum ApprovalStore {
    static let entity = "approval"

    /// Records a cost approval (R8); approvals of one case never overlap.
    @discardableResult
    public static func create(caseID: UUID, _ draft: ApprovalDraft, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        let (record, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw NotAllowed("Bewilligungen trägt die Fallführung oder die Leitung ein.") }
        return try await db.writeTransaction { db in
            let checked = try await validated(draft, record: record, excluding: nil, on: db)
            let model = ApprovalModel()
            model.$case.id = caseID
            checked.apply(to: model)
            try await model.create(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            let id = try model.requireID()
            try await AuditLog.record(.create, entity: entity, id: id,
                                      changes: ["case": AuditChange(from: nil, to: caseID.uuidString)].merging(checked.audit(from: nil)) { $1 },
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// An approval as checked, ready to be written.
    struct Checked {
        let from: Day
        let to: Day
        let minutes: Minutes
        let unit: BudgetUnit
        let reference: String?
        let staff: [UUID]

        var span: ApprovalRules.Span { ApprovalRules.Span(from: from, to: to) }

        func apply(to model: ApprovalModel) {
            model.fromDate = from.iso
            model.toDate = to.iso
            model.minutesPerUnit = minutes.value
            model.unit = unit.rawValue
            model.reference = reference
            model.namedStaffIDs = staff.map(\.uuidString).joined(separator: ",")
        }

        /// The audit's changes against `old` (nil for a new approval): dates, hours and unit, no free text.
        func audit(from old: ApprovalModel?) -> [String: AuditChange] {
            var changes: [String: AuditChange] = [:]
            for (key, was, now) in [("from", old?.fromDate, from.iso), ("to", old?.toDate, to.iso),
                                    ("hours", old.map { Minutes($0.minutesPerUnit).hoursString }, minutes.hoursString),
                                    ("per", old?.unit, unit.rawValue)] where was != now {
                changes[key] = AuditChange(from: was, to: now)
            }
            return changes
        }
    }

    /// Checks a typed approval against the case and its other approvals (`ApprovalRules`).
    static func validated(_ draft: ApprovalDraft, record: CaseRecord, excluding approvalID: UUID?, on db: any Database) async throws -> Checked {
        var v = Validator()
        let from = v.day(draft.from, "from", label: "den Beginn der Bewilligung")
        let to = v.day(draft.to, "to", label: "das Ende der Bewilligung")
        if let from, let to, to < from { v.add("to", "Das Ende der Bewilligung liegt vor ihrem Beginn.") }
        let minutes = v.hours(draft.hours, "hours", label: "die bewilligten Stunden", max: 10_000)
        if let minutes, minutes.value <= 0 { v.add("hours", "Bitte mehr als 0 Stunden angeben.") }
        var unit: BudgetUnit?
        if let raw = draft.per?.trimmed, !raw.isEmpty {
            unit = BudgetUnit(rawValue: raw)
            if unit == nil { v.add("per", "Bitte week, month, halfYear oder period angeben.") }
        } else {
            v.add("per", "Bitte angeben, wofür die Stunden gelten (pro Woche, Monat, Halbjahr oder Zeitraum).")
        }
        let reference = v.optional(draft.reference, "reference", label: "das Zeichen der Bewilligung", maxLength: 80)
        var staff: [UUID] = []
        for (index, raw) in draft.staffIds.enumerated() where !raw.trimmed.isEmpty {
            guard let id = v.id(raw, "staffIds[\(index)]", label: "die Fachkraft") else { continue }
            if !(try await StaffModel.exists(id, on: db)) {
                v.add("staffIds[\(index)]", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.")
            } else if !staff.contains(id) { staff.append(id) }
        }
        if let from, let to, to >= from {
            let others = try await ApprovalModel.query(on: db).filter(\.$case.$id == record.id).all()
                .filter { $0.id != approvalID }
                .compactMap { other in Day(iso: other.fromDate).flatMap { f in Day(iso: other.toDate).map { ApprovalRules.Span(from: f, to: $0) } } }
            for error in ApprovalRules.dateErrors(ApprovalRules.Span(from: from, to: to), others: others,
                                                  caseStart: record.startDate, caseEnd: record.endDate) {
                v.add(error.field, error.message)
            }
        }
        try v.finish()
        guard let from, let to, let minutes, let unit else { throw ValidationFailure(v.errors) }
        return Checked(from: from, to: to, minutes: minutes, unit: unit, reference: reference, staff: staff)
    }

    /// Records hours the youth office confirmed on top of an approval (R9).
    @discardableResult
    public static func addIncrease(caseID: UUID, approvalID: UUID, _ draft: IncreaseDraft, viewer: Viewer, context: WriteContext,
                                   today: Day, on db: any Database) async throws -> UUID {
        let (_, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw NotAllowed("Erhöhungen trägt die Fallführung oder die Leitung ein.") }
        guard let approval = try await ApprovalModel.find(approvalID, on: db), approval.$case.id == caseID,
              let from = Day(iso: approval.fromDate), let to = Day(iso: approval.toDate)
        else { throw RecordNotFound(entity: entity) }
        var v = Validator()
        let minutes = v.hours(draft.hours, "hours", label: "die zusätzlichen Stunden", max: 10_000)
        if let minutes, minutes.value <= 0 { v.add("hours", "Bitte mehr als 0 Stunden angeben.") }
        let confirmed = v.day(draft.confirmedOn, "confirmedOn", label: "das Datum der Bestätigung durch das Jugendamt")
        if let confirmed, confirmed > today { v.add("confirmedOn", "Die Bestätigung kann nicht in der Zukunft liegen.") }
        var applies = v.day(draft.appliesOn, "appliesOn", label: "den Tag, für dessen Zeitraum die Stunden gelten", required: false)
        if applies == nil, let confirmed { applies = min(max(confirmed, from), to) }
        if let applies, applies < from || applies > to {
            v.add("appliesOn", "Der Tag muss in der Bewilligung vom \(from.german) bis \(to.german) liegen.")
        }
        let note = v.optional(draft.note, "note", label: "die Bemerkung", maxLength: 500)
        try v.finish()
        guard let minutes, let confirmed, let applies else { throw ValidationFailure(v.errors) }
        return try await db.writeTransaction { db in
            let model = ApprovalIncreaseModel()
            model.$approval.id = approvalID
            model.minutes = minutes.value
            model.confirmedOn = confirmed.iso
            model.appliesOn = applies.iso
            model.note = note
            try await model.create(on: db)
            try await BilledMinutes.refresh(caseIDs: [caseID], on: db)
            let id = try model.requireID()
            try await AuditLog.record(.create, entity: "approvalIncrease", id: id,
                                      changes: ["approval": AuditChange(from: nil, to: approvalID.uuidString),
                                                "hours": AuditChange(from: nil, to: minutes.hoursString),
                                                "confirmedOn": AuditChange(from: nil, to: confirmed.iso)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }
}
