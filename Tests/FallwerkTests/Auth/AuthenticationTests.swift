@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

extension AllTests {
    @Suite("Login, tokens and sessions")
    struct Authentication {
        @Test("A token is stored as its SHA-256 in lowercase hexadecimal, the same as before the formatter was replaced (tokens already issued keep working)")
        func tokenHashIsHexadecimalSHA256() {
            // the test vectors of FIPS 180-2
            #expect(APITokens.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(APITokens.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            #expect([0x00, 0x0F, 0xA0, 0xFF].hexadecimal == "000fa0ff")
            #expect(PageSessions.newToken().count == 48)
        }

        @Test("Issue 12 R21: a bearer token's one query gives the viewer Viewer.load gives: the staff record and every team it leads; a user without staff record has neither")
        func tokenGivesTheViewer() async throws {
            try await TestApp.run { t in
                let world = try await CaseAPIWorld.make(t)
                // tina leads both teams
                let tina = try await world.member("tina", [.teamLead, .caseworker], team: world.northTeamID, lastName: "Thal")
                try await world.setTeamLead(world.northTeamID, name: "Team Nord", staffID: tina.staffID)
                try await world.setTeamLead(world.southTeamID, name: "Team Süd", staffID: tina.staffID)
                let now = t.app.fallwerk.clock.now()
                for token in [tina.token, world.fina.token, world.management] {
                    let signedIn = try #require(try await TokenStore.signedIn(tokenHash: APITokens.hash(token), now: now, on: t.db))
                    let loaded = try await Viewer.load(userID: signedIn.user.id, roles: signedIn.user.roles, on: t.db)
                    #expect(signedIn.viewer.staffID == loaded.staffID)
                    #expect(signedIn.viewer.ledTeamIDs == loaded.ledTeamIDs)
                    #expect(signedIn.viewer.roles == loaded.roles)
                }
                let tinaViewer = try #require(try await TokenStore.signedIn(tokenHash: APITokens.hash(tina.token), now: now, on: t.db)).viewer
                #expect(tinaViewer.staffID?.uuidString.lowercased() == tina.staffID.lowercased())
                #expect(Set(tinaViewer.ledTeamIDs.map { $0.uuidString.lowercased() }) == [world.northTeamID.lowercased(), world.southTeamID.lowercased()])
                let managementViewer = try #require(try await TokenStore.signedIn(tokenHash: APITokens.hash(world.management), now: now, on: t.db)).viewer
                #expect(managementViewer.staffID == nil && managementViewer.ledTeamIDs.isEmpty)
                // an unknown or expired token signs in no one
                #expect(try await TokenStore.signedIn(tokenHash: APITokens.hash("unbekannt"), now: now, on: t.db) == nil)
                #expect(try await TokenStore.signedIn(tokenHash: APITokens.hash(tina.token), now: now.addingTimeInterval(86_400), on: t.db) == nil)
            }
        }

        @Test("API login returns a bearer token that opens /api/v1 and expires")
        func apiLogin() async throws {
            try await TestApp.run { t in
                // given
                try await t.addUser("mara", .caseworker)
                // when
                let response = try await t.send(.POST, "/api/v1/session", json: ["username": "Mara", "password": TestApp.password])
                // then
                #expect(response.status == .created)
                let body = try response.json()
                let token = try #require(body["token"] as? String)
                #expect((body["expiresAt"] as? String)?.hasPrefix("2026-11-22T17:00:00") == true)
                let me = try await t.send(.GET, "/api/v1/me", token: token)
                #expect(me.status == .ok)
                #expect(try me.json()["username"] as? String == "mara")

                t.clock.advance(by: 8 * 3600 + 1)
                #expect(try await t.send(.GET, "/api/v1/me", token: token).status == .unauthorized)
            }
        }

        @Test("Unknown user and wrong password get the same answer (no user enumeration)")
        func noEnumeration() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let wrong = try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": "falsch-falsch"])
                let unknown = try await t.send(.POST, "/api/v1/session", json: ["username": "niemand", "password": "falsch-falsch"])
                #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
                #expect(try wrong.json()["detail"] as? String == "Benutzername oder Passwort ist falsch.")
                #expect(try wrong.json()["detail"] as? String == unknown.json()["detail"] as? String)
                #expect(wrong.isProblemJSON)
            }
        }

        @Test("Repeated failed logins are slowed down, even with the right password, and audited")
        func throttling() async throws {
            try await TestApp.run { t in
                // given five failures in a row
                try await t.addUser("mara", .caseworker)
                for _ in 0..<LoginThrottleStore.freeAttempts {
                    _ = try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": "falsch-falsch"])
                }
                // when the right password follows at once
                let blocked = try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": TestApp.password])
                // then it is refused with 429 and a German hint, and works after the wait
                #expect(blocked.status == .tooManyRequests)
                #expect((try blocked.json()["detail"] as? String)?.contains("Bitte warten Sie") == true)
                #expect(blocked.headers.first(name: .retryAfter) != nil)
                t.clock.advance(by: 61)
                #expect(try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": TestApp.password]).status == .created)
                let failures = try await AuditLog.recent(limit: 50, on: t.db).filter { $0.action == "loginFailed" }
                #expect(failures.count == LoginThrottleStore.freeAttempts)
            }
        }

        @Test("Without a token every API route but login answers 401 problem+json")
        func apiNeedsToken() async throws {
            try await TestApp.run { t in
                for path in ["/api/v1/youth-offices", "/api/v1/offers", "/api/v1/agreements", "/api/v1/teams", "/api/v1/staff", "/api/v1/me"] {
                    let response = try await t.send(.GET, path)
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(response.isProblemJSON)
                }
                #expect(try await t.send(.GET, "/api/v1/me", token: "erfunden").status == .unauthorized)
            }
        }

        @Test("Logging out revokes the token")
        func apiLogout() async throws {
            try await TestApp.run { t in
                let token = try await t.token(.admin)
                #expect(try await t.send(.DELETE, "/api/v1/session", token: token).status == .noContent)
                #expect(try await t.send(.GET, "/api/v1/me", token: token).status == .unauthorized)
            }
        }

        @Test("Page login sets an HttpOnly SameSite session cookie; pages need it")
        func pageLogin() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                let start = try await browser.get("/")
                #expect(start.status == .seeOther)
                #expect(start.headers.first(name: .location) == "/anmelden")
                // no session before signing in (#11), only the login form's CSRF cookie
                #expect(!start.headers[.setCookie].contains { $0.hasPrefix("fallwerk-session=") })

                try await browser.get("/anmelden")
                let login = try await browser.post("/anmelden", [("username", "mara"), ("password", TestApp.password)])
                let cookie = try #require(login.headers[.setCookie].first { $0.hasPrefix("fallwerk-session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
                let home = try await browser.get("/")
                #expect(home.status == .ok)
                #expect(home.body.string.contains("Guten Tag"))
            }
        }

        @Test("A wrong password on the login page keeps the username and explains in German")
        func pageLoginFailure() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                try await browser.get("/anmelden")
                let response = try await browser.post("/anmelden", [("username", "mara"), ("password", "falsch-falsch")])
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("Benutzername oder Passwort ist falsch."))
                #expect(response.body.string.contains(#"value="mara""#))
            }
        }

        @Test("Every form post needs the session's CSRF token")
        func csrf() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                try await browser.get("/anmelden")
                let forged = try await browser.post("/anmelden", [("username", "mara"), ("password", TestApp.password)], csrf: "0000")
                #expect(forged.status == .forbidden)
                #expect(forged.body.string.contains("Formular"))
                let missing = try await browser.post("/abmelden", [], csrf: "")
                #expect(missing.status == .forbidden)
            }
        }

        @Test("A page session ends after 30 minutes without activity")
        func inactivity() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                try await browser.login("mara")
                t.clock.advance(by: 29 * 60)
                #expect(try await browser.get("/").status == .ok)
                t.clock.advance(by: 29 * 60)  // activity above moved the window
                #expect(try await browser.get("/").status == .ok)
                t.clock.advance(by: 31 * 60)
                let expired = try await browser.get("/jugendaemter")
                #expect(expired.status == .seeOther)
                let location = try #require(expired.headers.first(name: .location))
                #expect(location == "/anmelden?weiter=/jugendaemter&abgelaufen=1")
                let login = try await browser.get(location)
                #expect(login.body.string.contains("Ihre Sitzung ist abgelaufen"))
            }
        }

        @Test("Logging out of the pages ends the session")
        func pageLogout() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                try await browser.login("mara")
                try await browser.get("/")
                #expect(try await browser.post("/abmelden", []).status == .seeOther)
                #expect(try await browser.get("/").status == .seeOther)
            }
        }
    }
}
