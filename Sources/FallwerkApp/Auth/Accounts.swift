import FallwerkDomain
import FallwerkStore
import Vapor

/// Accounts that end and passwords their owners change (issue 16), shared by the page and the API.
enum Accounts {
    /// Changes the signed-in user's own password. A wrong current password counts like a failed sign-in
    /// of that account (throttled, so a left-open session is no way to guess it); every session and
    /// token of the user ends (the page signs itself in again).
    static func changeOwnPassword(_ change: PasswordChange, on req: Request) async throws {
        let user = try req.requireUser()
        let now = req.now
        let key = "password:\(user.id.uuidString)"
        if let until = try await LoginThrottleStore.blockedUntil(key: key, now: now, on: req.db) {
            let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
            var problem = Problem(.tooManyRequests, "Das bisherige Passwort wurde zu oft falsch eingegeben. Bitte warten Sie \(minutes) Minute\(minutes == 1 ? "" : "n") und versuchen Sie es dann erneut.")
            problem.headers.replaceOrAdd(name: .retryAfter, value: "\(minutes * 60)")
            throw problem
        }
        let passwords = req.password.async
        do {
            try await UserStore.changeOwnPassword(user.id, change, verify: { password, hash in try await passwords.verify(password, created: hash) },
                                                  hash: PasswordHashing.hasher(for: req.application),
                                                  context: WriteContext(actor: user.auditActor, now: now), on: req.db)
        } catch let failure as ValidationFailure where failure.errors.contains(PasswordChange.wrongCurrentPassword) {
            try await LoginThrottleStore.recordFailure(key: key, now: now, on: req.db)
            throw failure
        }
        try await LoginThrottleStore.reset(key: key, on: req.db)
    }
}
