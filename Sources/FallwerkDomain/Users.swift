/// A login as typed by an administrator (page, API or command line).
public struct UserInput: Sendable, Equatable {
    public var username: String?
    public var displayName: String?
    public var roles: [String] = []
    /// Required when creating; when editing, empty keeps the current password.
    public var password: String?

    public init(username: String? = nil, displayName: String? = nil, roles: [String] = [], password: String? = nil) {
        self.username = username
        self.displayName = displayName
        self.roles = roles
        self.password = password
    }

    public static let minimumPasswordLength = 10

    public struct Checked: Sendable, Equatable {
        public let username: String
        public let displayName: String
        public let roles: Set<Role>
        public let password: String?
    }

    public func validated(passwordRequired: Bool) throws(ValidationFailure) -> Checked {
        var v = Validator()
        let username = v.required(username, "username", label: "den Benutzernamen", maxLength: 40)?.lowercased()
        if let username, !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) || username.count < 3 {
            v.add("username", "Der Benutzername darf nur Buchstaben (ohne Umlaute), Ziffern, Punkt, Binde- und Unterstrich enthalten und muss mindestens 3 Zeichen lang sein.")
        }
        let display = v.optional(displayName, "displayName", label: "den Anzeigenamen", maxLength: 100)
        var roles = Set<Role>()
        for raw in self.roles {
            if let role = Role(rawValue: raw.trimmed) { roles.insert(role) }
            else { v.add("roles", "Die Rolle „\(raw)“ gibt es nicht. Möglich sind: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") }
        }
        if roles.isEmpty, v.errors.allSatisfy({ $0.field != "roles" }) {
            v.add("roles", "Bitte mindestens eine Rolle wählen.")
        }
        let password = self.password ?? ""
        if password.isEmpty {
            if passwordRequired { v.add("password", "Bitte ein Passwort angeben.") }
        } else if let problem = PasswordRules.problem(password, username: username) {
            v.add("password", problem)
        }
        try v.finish()
        return Checked(username: username!, displayName: display ?? username!, roles: roles,
                       password: password.isEmpty ? nil : password)
    }
}

/// The rules every new password follows, set by an administrator or by its owner (#11, issue 16).
public enum PasswordRules {
    /// Why `password` may not be used, in German; nil when it may.
    public static func problem(_ password: String, username: String?) -> String? {
        if password.count < UserInput.minimumPasswordLength {
            return "Das Passwort muss mindestens \(UserInput.minimumPasswordLength) Zeichen lang sein."
        }
        // bcrypt reads at most 72 bytes; longer would silently be cut.
        if password.utf8.count > 72 { return "Das Passwort darf höchstens 72 Bytes lang sein." }
        if CommonPasswords.contains(password, username: username) {
            return "Dieses Passwort ist zu leicht zu erraten (es steht auf Listen häufiger Passwörter). Bitte wählen Sie ein anderes, zum Beispiel einen Satz aus mehreren Wörtern."
        }
        return nil
    }
}

/// A user changing their own password (issue 16): the current one, and a new one that follows
/// `PasswordRules` and differs from the current one. Whether the current one is right, only the
/// store can tell (it holds the hash).
public struct PasswordChange: Sendable, Equatable {
    public var currentPassword: String?
    public var newPassword: String?

    public init(currentPassword: String?, newPassword: String?) {
        self.currentPassword = currentPassword
        self.newPassword = newPassword
    }

    /// The new password, when both fields are acceptable as typed.
    public func validated(username: String) throws(ValidationFailure) -> (current: String, new: String) {
        var v = Validator()
        let current = currentPassword ?? ""
        let new = newPassword ?? ""
        if current.isEmpty { v.add("currentPassword", "Bitte Ihr bisheriges Passwort angeben.") }
        if new.isEmpty {
            v.add("newPassword", "Bitte ein neues Passwort angeben.")
        } else if let problem = PasswordRules.problem(new, username: username) {
            v.add("newPassword", problem)
        } else if new == current {
            v.add("newPassword", "Das neue Passwort muss sich vom bisherigen unterscheiden.")
        }
        try v.finish()
        return (current, new)
    }

    public static let wrongCurrentPassword = FieldError("currentPassword", "Das bisherige Passwort stimmt nicht. Bitte geben Sie es noch einmal ein.")
}
