import Fluent
import FluentSQL

struct CreateInvoice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InvoiceModel.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseModel.schema, "id"))
            .field("month", .string, .required)
            .field("status", .string, .required)
            .field("number", .string)
            .field("issued_at", .datetime)
            .field("cancels_invoice_id", .uuid)
            .field("total_cents", .int64, .required)
            .field("header", .string)
            .field("created_at", .datetime)
            .unique(on: "number")
            .create()
        try await database.schema(InvoiceLineModel.schema)
            .id()
            .field("invoice_id", .uuid, .required, .references(InvoiceModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("description", .string, .required)
            .field("minutes", .int, .required)
            .field("quantity", .string, .required)
            .field("unit_price_cents", .int64, .required)
            .field("amount_cents", .int64, .required)
            .create()
        // One counter row per year; numbers are taken with an atomic UPDATE … RETURNING (R16: gapless).
        if let sql = database as? any SQLDatabase {
            try await sql.create(table: "invoice_counters")
                .column("year", type: .int, .primaryKey(autoIncrement: false))
                .column("last_number", type: .int, .notNull)
                .run()
            try await sql.create(index: "invoices_month").on(InvoiceModel.schema).column("month").run()
            try await sql.create(index: "invoices_case").on(InvoiceModel.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InvoiceLineModel.schema).delete()
        try await database.schema(InvoiceModel.schema).delete()
        if let sql = database as? any SQLDatabase { try await sql.drop(table: "invoice_counters").run() }
    }
}
