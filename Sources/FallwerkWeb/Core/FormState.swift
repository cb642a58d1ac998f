import FallwerkDomain

/// What a form shows: the values as typed (so nothing is lost after a failed save) and the
/// German messages per field.
public struct FormState: Sendable {
    public var values: [String: String]
    public var multiValues: [String: [String]]
    public var errors: [FieldError]
    /// Prefixes the fields' ids when one page holds several forms with the same field names.
    public var idScope = ""

    public init(values: [String: String] = [:], multiValues: [String: [String]] = [:], errors: [FieldError] = []) {
        self.values = values
        self.multiValues = multiValues
        self.errors = errors
    }

    public subscript(_ name: String) -> String { values[name] ?? "" }

    /// The same state with its fields' ids prefixed by `scope`.
    public func scoped(_ scope: String) -> FormState {
        var copy = self
        copy.idScope = scope
        return copy
    }

    public func error(_ name: String) -> String? {
        errors.first(where: { $0.field == name })?.message
    }

    public var hasErrors: Bool { !errors.isEmpty }
}

/// Data shared by every page: who is signed in, their CSRF token, a one-time notice.
public struct PageContext: Sendable {
    public struct User: Sendable {
        public let displayName: String
        public let roles: Set<Role>

        public init(displayName: String, roles: Set<Role>) {
            self.displayName = displayName
            self.roles = roles
        }
    }

    public let user: User?
    public let csrfToken: String
    public let notice: String?

    public init(user: User?, csrfToken: String, notice: String? = nil) {
        self.user = user
        self.csrfToken = csrfToken
        self.notice = notice
    }

    public func may(_ roles: Role...) -> Bool {
        guard let user else { return false }
        return !user.roles.isDisjoint(with: roles)
    }
}
