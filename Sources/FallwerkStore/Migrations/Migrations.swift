import Fluent

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
    ]
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
