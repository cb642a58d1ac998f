import Fluent
import FluentSQL
import Foundation

/// A signed-in page session. Only the SHA-256 of the cookie's secret is stored, with the user
/// (so a password reset can end every session of that user) and the times the timeouts need.
public final class WebSessionModel: Model, @unchecked Sendable {
    public static let schema = "web_sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "secret_hash") public var secretHash: String
    @OptionalField(key: "user_id") public var userID: UUID?
    /// The session's values as JSON (user id, CSRF token, one-off notice).
    @Field(key: "data") public var data: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $secretHash, $userID, $data, $createdAt, $lastSeenAt] }

    public init() {}
}

/// Page sessions in a table of their own (#11): hashed secrets, user, creation and last use, so
/// that sessions expire, are cleaned up and end when the user's password is reset.
struct CreateWebSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WebSessionModel.schema)
            .id()
            .field("secret_hash", .string, .required)
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .unique(on: "secret_hash")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "web_sessions_user").on(WebSessionModel.schema).column("user_id").run()
            try await sql.create(index: "web_sessions_last_seen").on(WebSessionModel.schema).column("last_seen_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebSessionModel.schema).delete()
    }
}
