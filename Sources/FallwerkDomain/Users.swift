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
        } else if password.count < UserInput.minimumPasswordLength {
            v.add("password", "Das Passwort muss mindestens \(UserInput.minimumPasswordLength) Zeichen lang sein.")
        } else if password.utf8.count > 72 {
            // bcrypt reads at most 72 bytes; longer would silently be cut.
            v.add("password", "Das Passwort darf höchstens 72 Bytes lang sein.")
        } else if CommonPasswords.contains(password, username: username) {
            v.add("password", "Dieses Passwort ist zu leicht zu erraten (es steht auf Listen häufiger Passwörter). Bitte wählen Sie ein anderes, zum Beispiel einen Satz aus mehreren Wörtern.")
        }
        try v.finish()
        return Checked(username: username!, displayName: display ?? username!, roles: roles,
                       password: password.isEmpty ? nil : password)
    }
}
