import FallwerkDomain
import Fluent
import Foundation

/// How a month's service record sheet was confirmed (R15).
public enum SignatureStatus: String, Sendable, CaseIterable {
    case signed
    /// Refused or impossible; needs a reason.
    case refused
    /// Not needed (e.g. only crisis interventions, seed 004).
    case exempt

    public var german: String {
        switch self {
        case .signed: "unterschrieben"
        case .refused: "Unterschrift verweigert / nicht möglich"
        case .exempt: "keine Unterschrift nötig"
        }
    }
}

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
    @Field(key: "recorded_at") public var recordedAt: Date

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

public struct SignatureRecord: Sendable, Hashable {
    public let status: SignatureStatus
    public let date: Day
    public let signedBy: String?
    public let reason: String?
    /// The drawn signature as PNG, when it was signed on screen.
    public let drawing: Data?
}

/// The month's service record sheet of a case (R15): every billable entry, totals, the signature.
public struct ServiceRecord: Sendable {
    public let work: CaseWork
    public let month: Month
    public let entries: [CountedEntry]
    public let signature: SignatureRecord?
    public let requiresSignature: Bool

    public var billableMinutes: Int { entries.reduce(0) { $0 + $1.billableMinutes } }
    /// Crisis interventions may be exempt from the signature (seed 004).
    public var onlyCrisis: Bool { !entries.isEmpty && entries.allSatisfy { $0.entry.facts.kind == .crisis } }
    /// Whether an invoice may be issued for this month as far as the signature goes.
    public var allowsInvoice: Bool { !requiresSignature || signature != nil || onlyCrisis }
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
                                    drawing: row.drawing.flatMap { Data(base64Encoded: $0) })
                }
            }
        }
        let entries = work.entries(in: month).filter { $0.billableMinutes > 0 }.sorted { ($0.entry.facts.date, $0.entry.facts.start) < ($1.entry.facts.date, $1.entry.facts.start) }
        return ServiceRecord(work: work, month: month, entries: entries, signature: signature,
                             requiresSignature: work.settings(on: month.lastDay).requireClientSignature)
    }

    /// Records the signature status of a month (R15): signed (by whom), refused or impossible (why), or exempt.
    public static func sign(caseID: UUID, month: Month, status: String?, date: String?, signedBy: String?, reason: String?,
                            drawing: String? = nil, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        let (_, access) = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full || viewer.roles.contains(.accounting) else { throw NotAllowed("Unterschriften tragen die Fachkräfte des Falls ein.") }
        if try await BillingStore.isInvoiced(caseID: caseID, month: month, on: db) {
            throw ValidationFailure([FieldError("status", "Der Monat ist schon abgerechnet; der Nachweis bleibt, wie er ist.")])
        }
        var v = Validator()
        let parsed = status.flatMap { SignatureStatus(rawValue: $0.trimmed) }
        if parsed == nil { v.add("status", "Bitte angeben: unterschrieben, verweigert/nicht möglich oder nicht nötig.") }
        let day = v.day(date, "date", label: "das Datum")
        if let day, day > today { v.add("date", "Das Datum liegt in der Zukunft.") }
        if let day, day < month.firstDay { v.add("date", "Der Nachweis kann erst im abgerechneten Monat oder danach unterschrieben werden.") }
        let by = v.optional(signedBy, "signedBy", label: "wer unterschrieben hat", maxLength: 120)
        let why = v.optional(reason, "reason", label: "den Grund", maxLength: 500)
        if parsed == .signed, by == nil { v.add("signedBy", "Bitte angeben, wer unterschrieben hat.") }
        if parsed == .refused, why == nil { v.add("reason", "Bitte den Grund angeben, warum nicht unterschrieben wurde.") }
        let png = signatureDrawing(drawing, into: &v)
        if png != nil, parsed != .signed { v.add("drawing", "Eine gezeichnete Unterschrift passt nur zum Status „unterschrieben“.") }
        try v.finish()
        guard let parsed, let day else { throw ValidationFailure(v.errors) }
        let row = try await ServiceRecordSignatureModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$month == month.iso).first()
            ?? ServiceRecordSignatureModel()
        row.$case.id = caseID
        row.month = month.iso
        row.status = parsed.rawValue
        row.date = day.iso
        row.signedBy = by
        row.reason = why
        row.drawing = png?.base64EncodedString()
        row.recordedAt = context.now
        try await row.save(on: db)
        try await AuditLog.record(.update, entity: "serviceRecord", id: caseID,
                                  changes: ["month": AuditChange(from: nil, to: month.iso), "signature": AuditChange(from: nil, to: parsed.rawValue),
                                            "drawn": AuditChange(from: nil, to: png == nil ? "no" : "yes")],
                                  by: context.actor, at: context.now, on: db)
    }
}

extension ServiceRecordStore {
    static let maxDrawingBytes = 300_000

    /// A drawn signature as sent by the sheet's canvas: a PNG data URL. Empty means none.
    static func signatureDrawing(_ text: String?, into v: inout Validator) -> Data? {
        guard let text = text?.trimmed, !text.isEmpty else { return nil }
        let prefix = "data:image/png;base64,"
        guard text.hasPrefix(prefix), text.count <= maxDrawingBytes * 4 / 3 + prefix.count + 4,
              let data = Data(base64Encoded: String(text.dropFirst(prefix.count))),
              data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        else {
            v.add("drawing", "Die gezeichnete Unterschrift ließ sich nicht lesen. Bitte noch einmal unterschreiben.")
            return nil
        }
        return data
    }

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
        } ?? (sheet.requiresSignature ? (sheet.onlyCrisis ? "Krisenintervention, ausgenommen" : "nicht unterschrieben") : "nicht verlangt")
        rows.append(["Unterschrift", signature].csvRow)
        return CSVText.document(rows)
    }
}
