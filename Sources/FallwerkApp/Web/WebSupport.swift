import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

enum SiteURLPaths {
    static func login(next: String?) -> String {
        guard let next, next != "/", next.hasPrefix("/"), !next.hasPrefix("//") else { return SiteURL.login.path }
        return SiteURL.login.path + "?weiter=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-"))) ?? "")
    }
}

/// An `application/x-www-form-urlencoded` body, keeping repeated names (checkboxes) and order.
struct FormData: Sendable {
    let pairs: [(String, String)]

    init(_ body: String) {
        pairs = body.split(separator: "&").compactMap { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = kv.first else { return nil }
            return (decode(key), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    init(request: Request) {
        self.init(request.body.string ?? "")
    }

    subscript(_ name: String) -> String? { pairs.first(where: { $0.0 == name })?.1 }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// Typed values for re-rendering the form (secrets and the CSRF token left out).
    var values: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in pairs where key != "_csrf" && key != "password" && result[key] == nil {
            result[key] = value
        }
        return result
    }

    /// Empty text as nil, as the domain inputs expect.
    func optional(_ name: String) -> String? {
        guard let value = self[name]?.trimmed, !value.isEmpty else { return nil }
        return value
    }

    func int(_ name: String) -> Int?? {
        guard let text = optional(name) else { return .some(nil) }
        guard let value = Int(text) else { return .none }
        return .some(value)
    }
}

enum SessionKeys {
    static let userID = "userID"
    static let lastSeen = "lastSeen"
    static let csrf = "csrf"
    static let notice = "notice"
}

enum WebContext {
    static func pageContext(for request: Request) -> PageContext {
        let user = request.currentUser.map { PageContext.User(displayName: $0.displayName, roles: $0.roles) }
        guard request.hasSession else { return PageContext(user: user, csrfToken: "") }
        let notice = request.session.data[SessionKeys.notice]
        if notice != nil { request.session.data[SessionKeys.notice] = nil }
        return PageContext(user: user, csrfToken: request.session.data[SessionKeys.csrf] ?? "", notice: notice)
    }

    /// A script shipped in the repo (progressive enhancement only).
    static func script(_ text: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func html(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: text))
    }

    static func redirect(_ url: SiteURL, notice: String? = nil, on request: Request) -> Response {
        if let notice { request.session.data[SessionKeys.notice] = notice }
        return request.redirect(to: url.path, redirectType: .normal)
    }
}

/// Signs in the page session's user, ends sessions after inactivity, and gives every session a
/// CSRF token.
struct SessionAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let session = request.session
        if session.data[SessionKeys.csrf] == nil {
            session.data[SessionKeys.csrf] = [UInt8].random(count: 24).map { String(format: "%02x", $0) }.joined()
        }
        if let idText = session.data[SessionKeys.userID], let id = UUID(uuidString: idText) {
            let now = request.now.timeIntervalSince1970
            let lastSeen = session.data[SessionKeys.lastSeen].flatMap(Double.init) ?? 0
            if now - lastSeen > request.application.fallwerk.configuration.sessionTimeout {
                session.data[SessionKeys.userID] = nil
                session.data[SessionKeys.lastSeen] = nil
                session.data[SessionKeys.notice] = "Ihre Sitzung ist wegen Inaktivität abgelaufen. Bitte melden Sie sich erneut an."
            } else if let user = try? await UserStore.get(id, on: request.db), user.isActive {
                request.auth.login(CurrentUser(user))
                // Write the session only once a minute, not on every request.
                if now - lastSeen > 60 { session.data[SessionKeys.lastSeen] = String(Int(now)) }
            }
        }
        return try await next.respond(to: request)
    }
}

/// Every form post must carry the session's CSRF token.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD else { return try await next.respond(to: request) }
        let expected = request.session.data[SessionKeys.csrf] ?? ""
        let sent = FormData(request: request)["_csrf"] ?? ""
        guard !expected.isEmpty, Self.constantTimeEqual(expected, sent) else {
            throw Problem(.forbidden, "Das Formular war nicht mehr gültig (zum Beispiel nach langer Pause). Bitte laden Sie die Seite neu und senden Sie es noch einmal.")
        }
        return try await next.respond(to: request)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
