import Fluent

/// The provider's own invoice data.
struct CreateProvider: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProviderModel.schema)
            .id()
            .field("name", .string, .required)
            .field("street", .string, .required)
            .field("postal_code", .string, .required)
            .field("city", .string, .required)
            .field("tax_number", .string, .required)
            .field("iban", .string, .required)
            .field("bic", .string)
            .field("bank_name", .string)
            .field("email", .string)
            .field("phone", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProviderModel.schema).delete()
    }
}

/// Youth offices that grant and pay the help.
struct CreateYouthOffice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(YouthOfficeModel.schema)
            .id()
            .field("name", .string, .required)
            .field("street", .string, .required)
            .field("postal_code", .string, .required)
            .field("city", .string, .required)
            .field("leitweg_id", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(YouthOfficeModel.schema).delete()
    }
}

/// Contact persons of a youth office, each with a deputy [004].
struct CreateYouthOfficeContact: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(YouthOfficeContactModel.schema)
            .id()
            .field("youth_office_id", .uuid, .required, .references(YouthOfficeModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("phone", .string)
            .field("email", .string)
            .field("deputy_name", .string)
            .field("deputy_phone", .string)
            .field("deputy_email", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(YouthOfficeContactModel.schema).delete()
    }
}

/// Offers (help types) with their legal basis and defaults.
struct CreateOffer: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OfferModel.schema)
            .id()
            .field("name", .string, .required)
            .field("legal_basis", .string, .required)
            .field("description", .string)
            .field("first_review_months", .int)
            .field("onboarding_day_minutes", .int)
            .field("required_qualification", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OfferModel.schema).delete()
    }
}

/// Agreements (LEQ) with a youth office; settings as JSON.
struct CreateAgreement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgreementModel.schema)
            .id()
            .field("youth_office_id", .uuid, .required, .references(YouthOfficeModel.schema, "id"))
            .field("valid_from", .string, .required)
            .field("valid_to", .string)
            .field("settings", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgreementModel.schema).delete()
    }
}

/// Hourly rate per offer within an agreement.
struct CreateAgreementRate: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgreementRateModel.schema)
            .id()
            .field("agreement_id", .uuid, .required, .references(AgreementModel.schema, "id", onDelete: .cascade))
            .field("offer_id", .uuid, .required, .references(OfferModel.schema, "id"))
            .field("hourly_rate_cents", .int64, .required)
            .unique(on: "agreement_id", "offer_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgreementRateModel.schema).delete()
    }
}

/// Teams at a location.
struct CreateTeam: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TeamModel.schema)
            .id()
            .field("name", .string, .required)
            .field("location", .string, .required)
            .field("lead_staff_id", .uuid)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TeamModel.schema).delete()
    }
}

/// Staff members, optionally linked to a login.
struct CreateStaff: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StaffModel.schema)
            .id()
            .field("first_name", .string, .required)
            .field("last_name", .string, .required)
            .field("qualification", .string, .required)
            .field("weekly_minutes", .int, .required)
            .field("team_id", .uuid, .required, .references(TeamModel.schema, "id"))
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .field("email", .string)
            .field("induction_completed", .string)
            .unique(on: "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StaffModel.schema).delete()
    }
}
