import Fluent
import FluentSQL

/// Issue 16: accounts that end. A user keeps the moment they were deactivated (shown to administrators;
/// nothing of their work is deleted), and a staff member gets a last working day, after which they are
/// not offered for cases.
struct CreateAccountLifecycle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(UserModel.schema).field("deactivated_at", .datetime).update()
        try await database.schema(StaffModel.schema).field("leaving_date", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StaffModel.schema).deleteField("leaving_date").update()
        try await database.schema(UserModel.schema).deleteField("deactivated_at").update()
    }
}
