import FallwerkDomain
import Fluent
import SQLKit

/// Every migration, in order. Only ever appended to.
public enum FallwerkMigrations {
    public static let all: [any Migration] = [
        CreateUser(),
        CreateUserToken(),
        CreateLoginThrottle(),
        CreateProvider(),
        CreateYouthOffice(),
        CreateYouthOfficeContact(),
        CreateOffer(),
        CreateAgreement(),
        CreateAgreementRate(),
        CreateTeam(),
        CreateStaff(),
        CreateAuditEntry(),
        CreateCase(),
        CreateCasePerson(),
        CreateCaseAssignment(),
        CreateApproval(),
        CreateApprovalIncrease(),
        CreateGroupSession(),
        CreateServiceEntry(),
        CreateAlertAcknowledgement(),
        CreateInvoice(),
        CreateServiceRecordSignature(),
        AddBilledMinutes(),
        AddSignatureDrawing(),
        // Care plan cycle (#5): meetings, documents, calendar feeds
        CreateCarePlanMeeting(),
        CreateCarePlanDocument(),
        CreateCalendarFeed(),
        AddInvoiceLineIndex(),
        // Documentation (#5): goals, notes, reports
        CreateGoal(),
        CreateGoalRating(),
        CreateNote(),
        CreateReport(),
        // Web layer (#11): page sessions that expire and end on a password reset
        CreateWebSession(),
        AddServiceEntryNote(),
        AddCaseFamilyAddress(),
        AddInvoiceLineUnit(),
        // Issue 10 defect 8: a signature covers the sheet it was recorded for (R15)
        AddSignatureFingerprint(),
        // Issue 10 defect 10: travel once per home visit, none while over budget (R10)
        AddBilledTravel(),
        // Issue 10: a note is corrected by a new version; the old one stays readable
        AddNoteCorrections(),
        // Issue 10: meetings and received documents are corrected by a new version; earlier ones stay readable
        CreateCarePlanVersions(),
        // Issue 12: case lists sort, search and page in SQL
        AddCaseSearchColumns(),
        // Issue 12: budget windows, last contact and no-show streak kept beside each case
        AddCaseAggregates(),
        // Issue 13: §8a procedures with append-only steps, the ISEF list
        CreateChildProtection(),
        // Issue 13: §47 incidents and complaints with append-only steps
        CreateSafeguarding(),
        // Issue 14: intake, staff standards, absences, on-call rota, guardian contact
        CreateStaffing(),
        // Issue 15: performance reports, DATEV settings, the statistics' entry index
        CreateStatistics(),
        // Issue 16: audit references by case, blocked and deleted files
        CreateDataProtection(),
        // Issue 16: users that are deactivated, staff that leave
        CreateAccountLifecycle(),
        // Issue 16: health records of a case (seed 003)
        CreateHealthRecords(),
        // Issue 15: monthly entry totals kept by triggers (statistics speed)
        AddEntryMonthTotals(),
        // Issue 12: lists read acknowledgements by case
        AddAlertAcknowledgementIndex(),
        // Last: it installs the work-version triggers of every table created above (decision 0028).
        AddWorkVersions(),
        AddAuditCaseDays(),
        // Decision 0030: derived tables move no version
        UncountDerivedTables(),
        // Decision 0031: PostgreSQL counts work versions too
        CountWorkOnPostgres(),
        // Decision 0036: a case's record has a version of its own
        AddRecordVersions(),
    ]
}

/// A correction of a note names the note it corrects (issue 10: "a new version that keeps the old one readable").
struct AddNoteCorrections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NoteModel.schema).field("corrects_note_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NoteModel.schema).deleteField("corrects_note_id").update()
    }
}

/// A short note per service entry (#11: "the entry form has no short note field").
struct AddServiceEntryNote: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema).field("note", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema).deleteField("note").update()
    }
}

/// The family's address on a case, for home visits (#11).
struct AddCaseFamilyAddress: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in ["family_street", "family_postal_code", "family_city"] {
            try await database.schema(CaseModel.schema).field(.string(column), .string).update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["family_street", "family_postal_code", "family_city"] {
            try await database.schema(CaseModel.schema).deleteField(.string(column)).update()
        }
    }
}

/// Each invoice line stores its unit (R17), instead of the XRechnung export guessing it from the
/// description. Lines written before: time lines count minutes; a travel line counted kilometres
/// exactly when the billing run described it as "Fahrtkosten (km)", else visits.
struct AddInvoiceLineUnit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InvoiceLineModel.schema).field("unit", .string, .required, .sql(.default(SQLLiteral.string(InvoiceLineUnit.minutes.rawValue)))).update()
        try await InvoiceLineModel.query(on: database).filter(\.$kind == InvoiceLineKind.travel.rawValue)
            .set(\.$unit, to: InvoiceLineUnit.visits.rawValue).update()
        for prefix in ["", "Storno: "] {
            try await InvoiceLineModel.query(on: database).filter(\.$kind == InvoiceLineKind.travel.rawValue)
                .filter(\.$lineDescription == prefix + InvoiceLineKind.travel.german + " (km)")
                .set(\.$unit, to: InvoiceLineUnit.kilometres.rawValue).update()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InvoiceLineModel.schema).deleteField("unit").update()
    }
}

/// Earlier versions of care plan meetings and documents, and who wrote the current one (issue 10).
struct CreateCarePlanVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CarePlanVersionModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id", onDelete: .cascade))
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("version", .int, .required)
            .field("snapshot", .string, .required)
            .field("written_by", .uuid, .required)
            .field("written_at", .datetime)
            .field("replaced_by", .uuid, .required)
            .field("replaced_at", .datetime, .required)
            .unique(on: "record_id", "version")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "care_plan_versions_case").on(CarePlanVersionModel.schema).column("case_id").run()
        }
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(CarePlanMeetingModel.schema).field("updated_by", .uuid).update()
        try await database.schema(CarePlanDocumentModel.schema).field("updated_by", .uuid).update()
        try await database.schema(CarePlanDocumentModel.schema).field("updated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CarePlanDocumentModel.schema).deleteField("updated_at").update()
        try await database.schema(CarePlanDocumentModel.schema).deleteField("updated_by").update()
        try await database.schema(CarePlanMeetingModel.schema).deleteField("updated_by").update()
        try await database.schema(CarePlanVersionModel.schema).delete()
    }
}
