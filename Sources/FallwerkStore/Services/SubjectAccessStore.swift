import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// A JSON value as the subject access export holds it (Sendable, encodable with sorted keys).
public indirect enum JSONValue: Sendable, Hashable, Encodable {
    case string(String), integer(Int64), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let values): try container.encode(values)
        case .object(let values): try container.encode(values)
        }
    }

    /// Readable text of a scalar (print view).
    public var text: String {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .bool(let value): value ? "ja" : "nein"
        case .null: "–"
        case .array(let values): values.map(\.text).joined(separator: ", ")
        case .object: "…"
        }
    }
}

/// Everything stored about one person (R33, GDPR Art. 15): the person, every case they appear in (the same
/// first name, last name and birth date, as young person or guardian), every record of those cases from
/// every table that refers to a case, and who read or changed the files when (the audit log).
public struct SubjectAccessExport: Sendable {
    public let personName: String
    public let caseIDs: [UUID]
    public let value: JSONValue

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

public enum SubjectAccessStore {
    /// Every table with the case's records, with the German title of the print view. A table that refers
    /// to a case and is missing here fails `R33 the export knows every table that refers to a case`.
    public static let caseTables: [(table: String, title: String)] = [
        ("case_persons", "Personen"), ("case_assignments", "Zuständige Fachkräfte"), ("approvals", "Bewilligungen"),
        ("case_budget_windows", "Stundenkontingente"), ("service_entries", "Leistungseinträge"),
        ("service_record_signatures", "Unterschriften der Leistungsnachweise"), ("care_plan_meetings", "Hilfeplangespräche"),
        ("care_plan_documents", "Hilfeplan-Dokumente"), ("care_plan_versions", "Frühere Fassungen (Hilfeplan)"), ("goals", "Ziele"),
        ("notes", "Verlaufsnotizen"), ("reports", "Berichte"), ("child_protection_procedures", "Kinderschutzverfahren (§ 8a)"),
        ("health_records", "Gesundheit"), ("alert_acknowledgements", "Bestätigte Hinweise"), ("independent_living", "Verselbständigung"),
        ("invoices", "Rechnungen"), ("intake_requests", "Anfrage"), ("absence_replacements", "Ersatz bei Abwesenheit"),
        ("complaints", "Beschwerden"), ("incidents", "Besondere Vorkommnisse"),
    ]

    /// Records that belong to a record of the case (their parent table and key column).
    public static let childTables: [(table: String, title: String, key: String, parent: String)] = [
        ("goal_ratings", "Zielbewertungen", "goal_id", "goals"), ("approval_increases", "Erhöhungen", "approval_id", "approvals"),
        ("child_protection_steps", "Schritte der Kinderschutzverfahren", "procedure_id", "child_protection_procedures"),
        ("invoice_lines", "Rechnungspositionen", "invoice_id", "invoices"),
    ]

    /// Tables that refer to a case but are not part of it: the audit references (exported as the access log).
    public static let notExported: Set<String> = [AuditLog.caseRefsTable, AuditLog.caseDaysTable]

    /// The export of one person; the export itself is audited (who, when, which person and cases, no content).
    public static func export(personID: UUID, view: String, context: WriteContext, on db: any Database) async throws -> SubjectAccessExport {
        let export = try await export(personID: personID, now: context.now, on: db)
        try await AuditLog.record(.read, entity: "subjectAccess", id: personID, changes: ["view": AuditChange(from: nil, to: view)],
                                  cases: export.caseIDs, by: context.actor, at: context.now, on: db)
        return export
    }

    static func export(personID: UUID, now: Date, on db: any Database) async throws -> SubjectAccessExport {
        guard let person = try await CasePersonModel.find(personID, on: db), let sql = db as? any SQLDatabase else {
            throw RecordNotFound(entity: "person")
        }
        // The same person in other cases: the same name and birth date (a guardian of two children, a second help).
        var same = CasePersonModel.query(on: db).filter(\.$firstName == person.firstName).filter(\.$lastName == person.lastName)
        same = person.birthDate.map { same.filter(\.$birthDate == $0) } ?? same.filter(\.$birthDate == nil)
        let matches = try await same.all()
        var caseIDs: [UUID] = []
        for match in matches where !caseIDs.contains(match.$case.id) { caseIDs.append(match.$case.id) }
        var cases: [JSONValue] = []
        for caseID in caseIDs {
            var records: [String: JSONValue] = [:]
            let caseRow = try await sql.select().column("*").from(CaseModel.schema).where("id", .equal, SQLBind(caseID)).all()
            records["cases"] = .array(caseRow.map(Self.object))
            for (table, _) in caseTables {
                records[table] = .array(try await sql.select().column("*").from(table).where("case_id", .equal, SQLBind(caseID)).all().map(Self.object))
            }
            for child in childTables {
                let rows = try await sql.raw("""
                    SELECT * FROM \(ident: child.table) WHERE \(ident: child.key) IN (SELECT id FROM \(ident: child.parent) WHERE case_id = \(bind: caseID))
                    """).all()
                records[child.table] = .array(rows.map(Self.object))
            }
            let log = try await AuditLog.entries(AuditFilter(caseIDs: [caseID]), limit: 10_000, on: db)
            records["accessLog"] = .array(log.map { entry in
                .object(["at": .string(ISO8601DateFormatter().string(from: entry.at)), "user": .string(entry.username),
                         "action": .string(entry.action), "record": .string(entry.entity),
                         "view": entry.changes["view"]?.to.map(JSONValue.string) ?? .null])
            })
            cases.append(.object(["caseId": .string(caseID.uuidString.lowercased()), "records": .object(records)]))
        }
        let value = JSONValue.object([
            "exportedAt": .string(ISO8601DateFormatter().string(from: now)),
            "legalBasis": .string("Art. 15 DSGVO"),
            "person": .object(["id": .string(personID.uuidString.lowercased()), "firstName": .string(person.firstName),
                               "lastName": .string(person.lastName), "birthDate": person.birthDate.map(JSONValue.string) ?? .null,
                               "role": .string(person.role)]),
            "cases": .array(cases),
        ])
        return SubjectAccessExport(personName: "\(person.firstName) \(person.lastName)", caseIDs: caseIDs, value: value)
    }

    /// A row as an object of its columns, each value as the database gives it.
    static func object(_ row: any SQLRow) -> JSONValue {
        var values: [String: JSONValue] = [:]
        for column in row.allColumns {
            values[column] = value(row, column)
        }
        return .object(values)
    }

    static func value(_ row: any SQLRow, _ column: String) -> JSONValue {
        if (try? row.decodeNil(column: column)) == true { return .null }
        if let text = try? row.decode(column: column, as: String.self) { return .string(text) }
        if let number = try? row.decode(column: column, as: Int64.self) { return .integer(number) }
        if let number = try? row.decode(column: column, as: Double.self) { return .number(number) }
        if let flag = try? row.decode(column: column, as: Bool.self) { return .bool(flag) }
        if let id = try? row.decode(column: column, as: UUID.self) { return .string(id.uuidString.lowercased()) }
        if let date = try? row.decode(column: column, as: Date.self) { return .string(ISO8601DateFormatter().string(from: date)) }
        if let data = try? row.decode(column: column, as: Data.self) { return .string(data.base64EncodedString()) }
        return .null
    }
}
