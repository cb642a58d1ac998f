import FallwerkDomain
import FallwerkStore
import Vapor

/// The one login check shared by the page and the API: throttled per username, the same answer
/// for unknown users and wrong passwords, every attempt audited.
enum LoginService {
    static func authenticate(username rawUsername: String, password: String, on request: Request) async throws -> CurrentUser {
        let username = rawUsername.trimmed.lowercased()
        let settings = request.application.fallwerk
        let now = settings.clock.now()
        let db = request.db
        // Throttled per account from one address, and per address over all accounts: a guesser is
        // slowed down, but nobody elsewhere can keep a colleague locked out (#11).
        let address = clientAddress(request)
        let keys = [(key: "account:\(username)|\(address)", free: LoginThrottleStore.freeAttempts),
                    (key: "address:\(address)", free: LoginThrottleStore.freeAttemptsPerAddress)]
        for throttle in keys {
            if let until = try await LoginThrottleStore.blockedUntil(key: throttle.key, now: now, on: db) {
                let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
                var problem = Problem(.tooManyRequests, "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie \(minutes) Minute\(minutes == 1 ? "" : "n") und versuchen Sie es dann erneut.")
                problem.headers.replaceOrAdd(name: .retryAfter, value: "\(minutes * 60)")
                throw problem
            }
        }
        let found = try await UserStore.credentials(username: username, on: db)
        // Hash even for unknown users, so that timing does not tell which usernames exist.
        let hash = found?.passwordHash ?? settings.dummyPasswordHash
        let valid = (try? await request.password.async.verify(password, created: hash)) ?? false
        guard let (user, _) = found, valid else {
            var failures = 0
            for throttle in keys {
                failures = max(failures, try await LoginThrottleStore.recordFailure(key: throttle.key, freeAttempts: throttle.free, now: now, on: db))
            }
            try await AuditLog.record(.loginFailed, entity: "session", id: found?.0.id, by: AuditActor(userID: nil, username: username),
                                      at: now, on: db)
            request.logger.warning("failed login", metadata: ["failuresInARow": "\(failures)"])
            throw Problem(.unauthorized, "Benutzername oder Passwort ist falsch.")
        }
        try await LoginThrottleStore.reset(key: keys[0].key, on: db)
        try await AuditLog.record(.login, entity: "session", id: user.id, by: AuditActor(userID: user.id, username: user.username),
                                  at: now, on: db)
        return CurrentUser(user)
    }

    /// The client's address: the socket's, or with `trustForwardedFor` (behind one TLS proxy) the
    /// last address the proxy appended to `X-Forwarded-For`.
    static func clientAddress(_ request: Request) -> String {
        if request.application.fallwerk.configuration.trustForwardedFor,
           let forwarded = request.headers.first(name: .xForwardedFor)?.split(separator: ",").last {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return request.remoteAddress?.ipAddress ?? "unbekannt"
    }
}

/// API bearer tokens: a random secret for the client, its SHA-256 for the database.
enum APITokens {
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexadecimal
    }

    /// 32 random bytes, URL-safe base64 without padding (also the secret of calendar feeds).
    static func newSecret() -> String {
        Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func issue(for user: CurrentUser, on request: Request) async throws -> (token: String, expiresAt: Date) {
        let settings = request.application.fallwerk
        let token = newSecret()
        let expiresAt = settings.clock.now().addingTimeInterval(settings.configuration.tokenLifetime)
        try await TokenStore.create(userID: user.id, tokenHash: hash(token), expiresAt: expiresAt, on: request.db)
        return (token, expiresAt)
    }
}

/// Reads `Authorization: Bearer …` on API requests.
struct BearerAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let now = request.application.fallwerk.clock.now()
        if let (user, viewer) = try await TokenStore.signedIn(tokenHash: APITokens.hash(bearer.token), now: now, on: request.db) {
            request.auth.login(CurrentUser(user))
            request.storage[ViewerKey.self] = viewer
        }
    }
}
