import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

/// Page sessions kept in `web_sessions` (#11): a session row exists only for a signed-in user;
/// the cookie holds a random secret and the table its SHA-256. Vapor's `SessionsMiddleware`
/// calls this driver after every response; it writes only when something changed.
struct PageSessionDriver: AsyncSessionDriver {
    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let secret = APITokens.newSecret()
        try await WebSessionStore.create(secretHash: APITokens.hash(secret), data: data.snapshot,
                                         userID: data[SessionKeys.userID].flatMap(UUID.init(uuidString:)),
                                         now: request.application.fallwerk.clock.now(), on: request.db)
        return SessionID(string: secret)
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard let session = try await WebSessionStore.read(secretHash: APITokens.hash(sessionID.string), on: request.db) else { return nil }
        request.storage[LoadedSessionKey.self] = session.data
        return SessionData(initialData: session.data)
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        // Unchanged data (most requests) is not written again; `lastSeen` changes once a minute.
        if request.storage[LoadedSessionKey.self] != data.snapshot {
            try await WebSessionStore.update(secretHash: APITokens.hash(sessionID.string), data: data.snapshot,
                                             userID: data[SessionKeys.userID].flatMap(UUID.init(uuidString:)),
                                             now: request.application.fallwerk.clock.now(), on: request.db)
        }
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await WebSessionStore.delete(secretHash: APITokens.hash(sessionID.string), on: request.db)
    }
}

private struct LoadedSessionKey: StorageKey {
    typealias Value = [String: String]
}

struct SessionExpiredKey: StorageKey {
    typealias Value = Bool
}

/// The CSRF token of a session that expired with this very request: its form is still genuine.
struct ExpiredSessionCSRFKey: StorageKey {
    typealias Value = String
}

/// The CSRF token of a request without a signed-in session (the login form): a cookie, not a
/// stored session (double-submit).
struct AnonymousCSRFKey: StorageKey {
    typealias Value = (token: String, isNew: Bool)
}

enum PageSessions {
    static let csrfCookie = "fallwerk-csrf"

    static func newToken() -> String {
        [UInt8].random(count: 24).hexadecimal
    }

    /// Signs a user in on a fresh session id (no fixation): the old session row is deleted, the
    /// new one gets a new CSRF token. Stale sessions of everyone are cleaned up on the way.
    static func signIn(_ user: CurrentUser, on request: Request) async throws {
        let configuration = request.application.fallwerk.configuration
        let now = request.now
        if request.hasSession, let old = request.session.id {
            try await WebSessionStore.delete(secretHash: APITokens.hash(old.string), on: request.db)
            request.session.id = nil
        }
        let stamp = String(Int(now.timeIntervalSince1970))
        request.session.data = SessionData(initialData: [
            SessionKeys.userID: user.id.uuidString,
            SessionKeys.lastSeen: stamp,
            SessionKeys.signedInAt: stamp,
            SessionKeys.csrf: newToken(),
        ])
        try await WebSessionStore.purge(idleBefore: now.addingTimeInterval(-configuration.sessionTimeout - 60),
                                        createdBefore: now.addingTimeInterval(-configuration.sessionMaxAge), on: request.db)
    }

    static func signOut(on request: Request) {
        if request.hasSession { request.session.destroy() }
    }

    /// The token forms must carry: the session's when signed in, else the anonymous cookie's.
    static func csrfToken(for request: Request) -> String {
        if request.hasSession, request.currentUser != nil, let token = request.session.data[SessionKeys.csrf] { return token }
        if let anonymous = request.storage[AnonymousCSRFKey.self] { return anonymous.token }
        let token = request.cookies[csrfCookie]?.string.nonEmpty ?? newToken()
        request.storage[AnonymousCSRFKey.self] = (token, request.cookies[csrfCookie] == nil)
        return token
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// Collects a form body before anything reads it: Vapor streams bodies over about 1.5 KB, and a
/// streamed body reads as empty (#11: long notes and tablet signatures were refused).
struct FormBodyMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method != .GET, request.method != .HEAD, request.body.data == nil {
            let limit = request.application.routes.defaultMaxBodySize.value
            do {
                _ = try await request.body.collect(max: limit).get()
            } catch let abort as any AbortError where abort.status == .payloadTooLarge {
                throw Problem(.payloadTooLarge, "Das Formular ist zu groß (mehr als \(limit / 1_000_000) MB). Bitte kürzen Sie den Text oder teilen Sie ihn auf.")
            }
        }
        return try await next.respond(to: request)
    }
}

/// Signs in the page session's user. A session without a user is not kept; one idle longer than
/// `sessionTimeout` or older than `sessionMaxAge` ends.
struct SessionAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.hasSession else { return try await next.respond(to: request) }
        let session = request.session
        guard let id = session.data[SessionKeys.userID].flatMap(UUID.init(uuidString:)) else {
            session.destroy()
            return try await next.respond(to: request)
        }
        let configuration = request.application.fallwerk.configuration
        let now = request.now.timeIntervalSince1970
        let lastSeen = session.data[SessionKeys.lastSeen].flatMap(Double.init) ?? 0
        let signedInAt = session.data[SessionKeys.signedInAt].flatMap(Double.init) ?? lastSeen
        if now - lastSeen > configuration.sessionTimeout || now - signedInAt > configuration.sessionMaxAge {
            request.storage[ExpiredSessionCSRFKey.self] = session.data[SessionKeys.csrf]
            session.destroy()
            request.storage[SessionExpiredKey.self] = true
        } else if let user = try? await UserStore.get(id, on: request.db), user.isActive {
            request.auth.login(CurrentUser(user))
            // Written at most once a minute, not on every request.
            if now - lastSeen > 60 { session.data[SessionKeys.lastSeen] = String(Int(now)) }
        } else {
            session.destroy()
        }
        return try await next.respond(to: request)
    }
}

/// Every form post must carry the CSRF token. A post whose token no longer fits (a long pause, a
/// second tab) does not lose what was typed: the values come back on a page to send again.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let expected = PageSessions.csrfToken(for: request)
        let response: Response
        if request.method == .GET || request.method == .HEAD {
            response = try await next.respond(to: request)
        } else {
            let form = FormData(request: request)
            let sent = form["_csrf"] ?? ""
            let expired = request.storage[ExpiredSessionCSRFKey.self] ?? ""
            if Self.constantTimeEqual(expected, sent) || Self.constantTimeEqual(expired, sent) {
                response = try await next.respond(to: request)
            } else {
                response = ResubmitResponse.page(for: request, form: form,
                                                 reason: "Das Formular war nicht mehr gültig (zum Beispiel nach einer langen Pause oder in einem zweiten Fenster). Ihre Eingaben sind nicht verloren: Bitte prüfen Sie sie und senden Sie sie noch einmal.",
                                                 status: .forbidden)
            }
        }
        if let anonymous = request.storage[AnonymousCSRFKey.self], anonymous.isNew, !request.hasSession {
            response.cookies[PageSessions.csrfCookie] = HTTPCookies.Value(
                string: anonymous.token, expires: nil, maxAge: nil, domain: nil, path: "/",
                isSecure: request.application.fallwerk.configuration.secureCookies, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard !x.isEmpty, x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The page that gives typed values back to be sent again (stale token, or signed out meanwhile).
enum ResubmitResponse {
    static func page(for request: Request, form: FormData, reason: String, status: HTTPResponseStatus) -> Response {
        let target = SafeRedirect.path(request.url.string) ?? SiteURL.home.path
        let fields = form.pairs.filter { !$0.0.hasPrefix("_") && !FormData.isSecret($0.0) }
        return WebContext.html(ResubmitPage.render(context: WebContext.pageContext(for: request), reason: reason,
                                                   action: target, fields: fields.map { ($0.0, $0.1) }),
                               status: status)
    }
}

/// Where a sign-in may lead: only paths of this site. Browsers treat `\` like `/` and drop tabs
/// and line breaks, so `/\evil.example` or `/%09/evil.example` would leave the site.
enum SafeRedirect {
    static func path(_ candidate: String?) -> String? {
        guard let candidate, !candidate.isEmpty else { return nil }
        guard let decoded = candidate.removingPercentEncoding else { return nil }
        for text in [candidate, decoded] {
            guard text.hasPrefix("/"), !text.hasPrefix("//") else { return nil }
            let forbidden = text.unicodeScalars.contains { $0 == "\\" || $0.value < 0x21 || $0.value == 0x7F || $0.properties.isWhitespace }
            if forbidden { return nil }
        }
        return candidate
    }
}
