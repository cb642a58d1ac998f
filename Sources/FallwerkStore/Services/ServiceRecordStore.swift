import FallwerkDomain
import Fluent
import Foundation

public final class ServiceRecordSignatureModel: Model, @unchecked Sendable {
    public static let schema = "service_record_signatures"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var `case`: CaseModel
    @Field(key: "month") public var month: String
    @Field(key: "status") public var status: String
    @Field(key: "date") public var date: String
    @OptionalField(key: "signed_by") public var signedBy: String?
    @OptionalField(key: "reason") public var reason: String?
    /// The signature drawn on a tablet's screen, PNG as base64.
    @OptionalField(key: "drawing") public var drawing: String?
    /// What the status covers: the sheet's lines when it was recorded (`SheetFingerprint`).
    @OptionalField(key: "fingerprint") public var fingerprint: String?
    @Field(key: "recorded_at") public var recordedAt: Date

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] {
        [$id, $case, $month, $status, $date, $signedBy, $reason, $drawing, $fingerprint, $recordedAt]
    }

    public init() {}
}

struct CreateServiceRecordSignature: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceRecordSignatureModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("month", .string, .required)
            .field("status", .string, .required)
            .field("date", .string, .required)
            .field("signed_by", .string)
            .field("reason", .string)
            .field("recorded_at", .datetime, .required)
            .unique(on: "case_id", "month")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceRecordSignatureModel.schema).delete()
    }
}

/// Adds the drawn signature (R15: signing on a tablet in the browser).
struct AddSignatureDrawing: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceRecordSignatureModel.schema).field("drawing", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceRecordSignatureModel.schema).deleteField("drawing").update()
    }
}

/// The month's service record sheet of a case (R15): every billable entry, totals, the signature.
/// What the signature allows is decided by the domain's `ServiceSheet`.
public struct ServiceRecord: Sendable {
    public let work: CaseWork
    public let month: Month
    public let entries: [CountedEntry]
    public let decision: ServiceSheet

    public var signature: SignatureRecord? { decision.signature }
    public var requiresSignature: Bool { decision.requiresSignature }
    public var billableMinutes: Int { entries.reduce(0) { $0 + $1.billableMinutes } }
    /// Crisis interventions only: exempt from the signature (seed 004).
    public var onlyCrisis: Bool { decision.onlyCrisis }
    /// The entries changed after the status was recorded: a new signature is needed.
    public var changedAfterSigning: Bool { decision.changedAfterSigning }
    /// Whether an invoice may be issued for this month as far as the signature goes (R15).
    public var allowsInvoice: Bool { decision.allowsInvoice }
}

public enum ServiceRecordStore {
    public static func get(caseID: UUID, month: Month, visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> ServiceRecord {
        let (work, _) = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db)
        return try await record(work, month: month, on: db)
    }

    /// The sheet of a case already loaded (the case page's signature status).
    public static func sheet(_ work: CaseWork, month: Month, on db: any Database) async throws -> ServiceRecord {
        try await record(work, month: month, on: db)
    }

    static func record(_ work: CaseWork, month: Month, on db: any Database) async throws -> ServiceRecord {
        let row = try await ServiceRecordSignatureModel.query(on: db).filter(\.$case.$id == work.record.id).filter(\.$month == month.iso).first()
        return record(work, month: month, signature: row)
    }

    static func record(_ work: CaseWork, month: Month, signature row: ServiceRecordSignatureModel?) -> ServiceRecord {
        let signature = row.flatMap { row in
            SignatureStatus(rawValue: row.status).flatMap { status in
                Day(iso: row.date).map {
                    SignatureRecord(status: status, date: $0, signedBy: row.signedBy, reason: row.reason,
                                    drawing: row.drawing.flatMap { Data(base64Encoded: $0) },
                                    fingerprint: row.fingerprint.map(SheetFingerprint.init(rawValue:)))
                }
            }
        }
        let entries = sheetEntries(work, month: month)
        return ServiceRecord(work: work, month: month, entries: entries,
                             decision: ServiceSheet(month: month, lines: entries.map(line), signature: signature,
                                                    requiresSignature: work.settings(on: month.lastDay).requireClientSignature))
    }

    /// R15: every billable entry of the month, in the order of the day.
    static func sheetEntries(_ work: CaseWork, month: Month) -> [CountedEntry] {
        work.entries(in: month).filter { $0.billableMinutes > 0 }
            .sorted { ($0.entry.facts.date, $0.entry.facts.start) < ($1.entry.facts.date, $1.entry.facts.start) }
    }

    static func line(_ counted: CountedEntry) -> SheetLine {
        let facts = counted.entry.facts
        return SheetLine(entryID: counted.entry.id.uuidString, date: facts.date, start: facts.start, minutes: facts.minutes, kind: facts.kind,
                         staffID: counted.entry.staffID.uuidString, billableMinutes: counted.billableMinutes)
    }

    /// Records the signature status of a month (R15): signed (by whom), refused or impossible (why), or
    /// exempt (crisis interventions only). It covers the sheet as it is now; a later change asks for a new one.
    public static func sign(caseID: UUID, month: Month, status: String?, date: String?, signedBy: String?, reason: String?,
                            drawing: String? = nil, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        let (work, access) = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full || viewer.roles.contains(.accounting) else { throw NotAllowed("Unterschriften tragen die Fachkräfte des Falls ein.") }
        if try await BillingStore.isInvoiced(caseID: caseID, month: month, on: db) {
            throw ValidationFailure([FieldError("status", "Der Monat ist schon abgerechnet; der Nachweis bleibt, wie er ist.")])
        }
        let existing = try await ServiceRecordSignatureModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$month == month.iso).first()
        let sheet = record(work, month: month, signature: existing).decision
        var v = Validator()
        let input = SignatureInput(status: status, date: date, signedBy: signedBy, reason: reason, drawing: drawing)
        let signed = input.validated(into: &v, sheet: sheet, today: today)
        try v.finish()
        guard let signed else { throw ValidationFailure(v.errors) }
        let row = existing ?? ServiceRecordSignatureModel()
        let before = existing?.status
        row.$case.id = caseID
        row.month = month.iso
        row.status = signed.status.rawValue
        row.date = signed.date.iso
        row.signedBy = signed.signedBy
        row.reason = signed.reason
        row.drawing = signed.drawing?.base64EncodedString()
        row.fingerprint = signed.fingerprint?.rawValue
        row.recordedAt = context.now
        try await row.save(on: db)
        var changes = ["month": AuditChange(from: nil, to: month.iso), "signature": AuditChange(from: before, to: signed.status.rawValue),
                       "drawn": AuditChange(from: nil, to: signed.drawing == nil ? "no" : "yes")]
        if sheet.changedAfterSigning { changes["renewed"] = AuditChange(from: nil, to: "changedAfterSigning") }
        try await AuditLog.record(.update, entity: "serviceRecord", id: caseID, changes: changes, by: context.actor, at: context.now, on: db)
    }
}

extension ServiceRecordStore {
    /// The drawn signature of a month, for the sheet's page.
    public static func drawing(caseID: UUID, month: Month, visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> Data {
        _ = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        guard let row = try await ServiceRecordSignatureModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$month == month.iso).first(),
              let data = row.drawing.flatMap({ Data(base64Encoded: $0) })
        else { throw RecordNotFound(entity: "signature") }
        return data
    }

    /// The sheet as CSV, to travel with the XRechnung (R17): the young person by initials only.
    public static func csv(_ sheet: ServiceRecord, initials: String) -> String {
        let record = sheet.work.record
        var rows = [["Leistungsnachweis", sheet.month.iso, "Aktenzeichen", record.fileNumber, "Initialen", initials].csvRow,
                    ["Datum", "Beginn", "Dauer (Min.)", "Art", "Fachkraft", "abrechenbar (Min.)"].csvRow]
        for counted in sheet.entries {
            let facts = counted.entry.facts
            rows.append([facts.date.german, facts.start.text, String(facts.minutes), facts.kind.german, counted.entry.staffName,
                         String(counted.billableMinutes)].csvRow)
        }
        rows.append(["Summe", "", "", "", "", String(sheet.billableMinutes)].csvRow)
        let signature = sheet.signature.map { s in
            [s.status.german, s.date.german, s.signedBy ?? "", s.reason ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
        }
        let state = switch sheet.decision.state {
        case .recorded, .changedAfterSigning: signature ?? ""
        case .notRequired: "nicht verlangt"
        case .crisisExempt: "Krisenintervention, ausgenommen"
        case .missing: "nicht unterschrieben"
        }
        rows.append(["Unterschrift", sheet.changedAfterSigning ? "\(state) – \(SheetSignatureState.changedText)" : state].csvRow)
        return CSVText.document(rows)
    }
}
