import FallwerkDomain
import Fluent
import Foundation

/// A login. Roles are stored as a comma-separated list of `Role` raw values.
public final class UserModel: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "roles") public var rolesText: String
    @Field(key: "is_active") public var isActive: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// When an administrator deactivated the login (issue 16); nil while active.
    @OptionalField(key: "deactivated_at") public var deactivatedAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $username, $displayName, $passwordHash, $rolesText, $isActive, $createdAt, $deactivatedAt] }

    public init() {}

    public init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, roles: Set<Role>) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.rolesText = UserModel.encode(roles)
        self.isActive = true
    }

    public var roles: Set<Role> {
        get { Set(rolesText.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
        set { rolesText = UserModel.encode(newValue) }
    }

    static func encode(_ roles: Set<Role>) -> String {
        roles.sorted().map(\.rawValue).joined(separator: ",")
    }

    /// Usernames are matched case-insensitively; they are stored lower-cased.
    public static func find(username: String, on db: any Database) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$username == username.lowercased()).first()
    }
}

/// An API bearer token. Only the SHA-256 hash of the secret is stored.
public final class UserTokenModel: Model, @unchecked Sendable {
    public static let schema = "user_tokens"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "expires_at") public var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $user, $tokenHash, $expiresAt, $createdAt] }

    public init() {}

    public init(userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

/// Failed logins per username, shared by all instances (so a load balancer cannot be used to
/// multiply attempts).
public final class LoginThrottleModel: Model, @unchecked Sendable {
    public static let schema = "login_throttles"

    @ID(key: .id) public var id: UUID?
    @Field(key: "key") public var key: String
    @Field(key: "failures") public var failures: Int
    @Field(key: "last_failure_at") public var lastFailureAt: Date
    @OptionalField(key: "blocked_until") public var blockedUntil: Date?

    /// Every stored property, listed so that decoding a row needs no reflection (issue 12; `ModelPropertyListTests`).
    public var properties: [any AnyProperty] { [$id, $key, $failures, $lastFailureAt, $blockedUntil] }

    public init() {}

    public init(key: String, at: Date) {
        self.key = key
        self.failures = 0
        self.lastFailureAt = at
    }
}
