@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

/// Issue 16: accounts that end. An administrator deactivates a login (refused at once on pages and API,
/// open sessions and tokens included; never oneself; nothing deleted) and activates it again; everyone
/// changes their own password (the current one must match; other sessions and tokens end).
extension AllTests {
    @Suite("Accounts that end (issue 16)")
    struct AccountLifecycleTests {
        /// An admin login (`root`, with a token and a signed-in page) and a caseworker `mara` with an open
        /// page session and a token.
        struct World {
            let t: TestApp
            let adminID: UUID
            let admin: String
            let adminPage: WebSession
            let maraID: UUID
            let mara: String
            let maraPage: WebSession

            static func make(_ t: TestApp) async throws -> World {
                let adminID = try await t.addUser("root", .admin)
                let maraID = try await t.addUser("mara", .caseworker)
                let admin = try await Self.login(t, "root")
                let mara = try await Self.login(t, "mara")
                let adminPage = WebSession(t)
                try await adminPage.login("root")
                let maraPage = WebSession(t)
                try await maraPage.login("mara")
                return World(t: t, adminID: adminID, admin: admin, adminPage: adminPage, maraID: maraID, mara: mara, maraPage: maraPage)
            }

            static func login(_ t: TestApp, _ username: String, password: String = TestApp.password) async throws -> String {
                let response = try await t.send(.POST, "/api/v1/session", json: ["username": username, "password": password])
                #expect(response.status == .created, "login \(username)")
                return try response.json()["token"] as? String ?? ""
            }
        }

        @Test func issue16_aDeactivatedUserIsRefusedAtOnceOnPagesAndAPI() async throws {
            try await TestApp.run { t in
                // given: mara is signed in on a page and holds a token; both work
                let w = try await World.make(t)
                #expect(try await w.maraPage.get("/jugendaemter").status == .ok)
                #expect(try await t.send(.GET, "/api/v1/me", token: w.mara).status == .ok)
                // when: the administrator deactivates her
                #expect(try await t.send(.POST, "/api/v1/users/\(w.maraID)/deactivate", token: w.admin).status == .noContent)
                // then: her open page goes to the login, her token is refused, and she cannot sign in again
                let page = try await w.maraPage.get("/jugendaemter")
                #expect(page.status == .seeOther)
                #expect(page.headers.first(name: .location)?.hasPrefix("/anmelden") == true)
                let api = try await t.send(.GET, "/api/v1/me", token: w.mara)
                #expect(api.status == .unauthorized)
                #expect(api.isProblemJSON)
                #expect(try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": TestApp.password]).status == .unauthorized)
                let again = WebSession(t)
                try await again.get("/anmelden")
                let refused = try await again.post("/anmelden", [("username", "mara"), ("password", TestApp.password)])
                #expect(refused.status == .unauthorized)
                #expect(refused.body.string.contains("Benutzername oder Passwort ist falsch."))
                // Nothing is deleted: the user is still listed, as deactivated, and the change is audited.
                let user = try await t.send(.GET, "/api/v1/users/\(w.maraID)", token: w.admin).json()
                #expect(user["isActive"] as? Bool == false)
                #expect(user["deactivatedAt"] as? String != nil)
                #expect(try await w.adminPage.get("/benutzer").body.string.contains("deaktiviert"))
                let entry = try #require(try await AuditLog.recent(limit: 50, on: t.db).first {
                    $0.entity == "user" && $0.entityID == w.maraID.uuidString && $0.action == "update"
                })
                #expect(entry.changes["isActive"] == AuditChange(from: "ja", to: "nein"))
                #expect(entry.username == "root")
                // Activated again, she signs in with her old password.
                #expect(try await t.send(.POST, "/api/v1/users/\(w.maraID)/activate", token: w.admin).status == .noContent)
                #expect(try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": TestApp.password]).status == .created)
                #expect(try await t.send(.GET, "/api/v1/users/\(w.maraID)", token: w.admin).json()["deactivatedAt"] == nil)
            }
        }

        @Test func issue16_theAdministrationPageDeactivatesAfterAConfirmationAndReactivates() async throws {
            try await TestApp.run { t in
                let w = try await World.make(t)
                let userPage = try await w.adminPage.get("/benutzer/\(w.maraID.uuidString.lowercased())")
                #expect(userPage.body.string.contains("Benutzer deaktivieren"))
                // The button leads to a confirmation that says what happens; nothing is changed by looking at it.
                let confirm = try await w.adminPage.get("/benutzer/\(w.maraID.uuidString.lowercased())/deaktivieren")
                #expect(confirm.status == .ok)
                #expect(confirm.body.string.contains("Ja, Benutzer deaktivieren"))
                #expect(try await w.maraPage.get("/jugendaemter").status == .ok)
                let done = try await w.adminPage.post("/benutzer/\(w.maraID.uuidString.lowercased())/deaktivieren", [])
                #expect(done.status == .seeOther)
                #expect(try await w.maraPage.get("/jugendaemter").status == .seeOther)
                let deactivated = try await w.adminPage.get("/benutzer/\(w.maraID.uuidString.lowercased())")
                #expect(deactivated.body.string.contains("Der Zugang ist deaktiviert seit dem 22.11.2026"))
                #expect(deactivated.body.string.contains("Benutzer wieder aktivieren"))
                #expect(try await w.adminPage.post("/benutzer/\(w.maraID.uuidString.lowercased())/aktivieren", []).status == .seeOther)
                let fresh = WebSession(t)
                try await fresh.login("mara")
                #expect(try await fresh.get("/jugendaemter").status == .ok)
            }
        }

        @Test func issue16_anAdministratorCannotDeactivateThemselves() async throws {
            try await TestApp.run { t in
                let w = try await World.make(t)
                let api = try await t.send(.POST, "/api/v1/users/\(w.adminID)/deactivate", token: w.admin)
                #expect(api.status == .unprocessableEntity)
                #expect(try api.problemFields() == ["id"])
                #expect(api.body.string.contains("nicht selbst deaktivieren"))
                // The own page offers no button, and a post anyway is refused in German.
                let own = try await w.adminPage.get("/benutzer/\(w.adminID.uuidString.lowercased())")
                #expect(!own.body.string.contains("Benutzer deaktivieren"))
                let page = try await w.adminPage.post("/benutzer/\(w.adminID.uuidString.lowercased())/deaktivieren", [])
                #expect(page.status == .unprocessableEntity)
                #expect(page.body.string.contains("Sie können sich nicht selbst deaktivieren."))
                #expect(try await t.send(.GET, "/api/v1/me", token: w.admin).status == .ok)
                #expect(try await w.adminPage.get("/benutzer").status == .ok)
            }
        }

        @Test("R31 only administrators deactivate and activate logins", arguments: [Role.management, .teamLead, .caseworker, .accounting])
        func issue16_othersGet403(role: Role) async throws {
            try await TestApp.run { t in
                let target = try await t.addUser("mara", .caseworker)
                let token = try await t.token(role)
                for action in ["deactivate", "activate"] {
                    let response = try await t.send(.POST, "/api/v1/users/\(target)/\(action)", token: token)
                    #expect(response.status == .forbidden, "\(role) \(action)")
                }
                #expect(try await t.send(.POST, "/api/v1/users/\(target)/deactivate").status == .unauthorized)
                #expect(try await UserStore.get(target, on: t.db).isActive)
                // The pages refuse them as well.
                let name = try #require(try await UserStore.list(on: t.db).first { $0.roles == [role] }).username
                let browser = WebSession(t)
                try await browser.login(name)
                #expect(try await browser.get("/benutzer/\(target.uuidString.lowercased())/deaktivieren").status == .forbidden)
                #expect(try await browser.post("/benutzer/\(target.uuidString.lowercased())/deaktivieren", []).status == .forbidden)
                #expect(try await UserStore.get(target, on: t.db).isActive)
            }
        }

        @Test func issue16_deactivatingKeepsTheWorkAndItsAuthor() async throws {
            try await TestApp.run { t in
                // given: fina leads a case and has a staff record
                let w = try await CaseAPIWorld.make(t)
                let caseID = try await w.openCase(w.caseBody(fileNumber: "51.2-2026-1600"))
                let admin = try await t.token(.admin)
                let fina = try #require(try await UserStore.list(on: t.db).first { $0.username == "fina" })
                // when: her login is deactivated
                #expect(try await t.send(.POST, "/api/v1/users/\(fina.id)/deactivate", token: admin).status == .noContent)
                // then: the case still names her as lead, and her staff record keeps its login
                let record = try await t.send(.GET, "/api/v1/cases/\(caseID)", token: w.management).json()
                let staff = record["staff"] as? [[String: Any]] ?? []
                #expect(staff.contains { ($0["staffId"] as? String)?.lowercased() == w.fina.staffID.lowercased() && $0["role"] as? String == "lead" })
                #expect(try await t.send(.GET, "/api/v1/staff/\(w.fina.staffID)", token: w.management).json()["username"] as? String == "fina")
                #expect(try await t.send(.GET, "/api/v1/me", token: w.fina.token).status == .unauthorized)
            }
        }

        // MARK: The own password

        @Test func issue16_aWrongCurrentPasswordIsAFieldErrorAndTheFormStays() async throws {
            try await TestApp.run { t in
                let w = try await World.make(t)
                // The header of every page leads to the form.
                #expect(try await w.maraPage.get("/").body.string.contains("href=\"/passwort\""))
                #expect(try await w.maraPage.get("/passwort").status == .ok)
                let refused = try await w.maraPage.post("/passwort", [("currentPassword", "falsch-geraten-123"),
                                                                      ("newPassword", "Apfelbaum im Garten 7"),
                                                                      ("newPasswordRepeat", "Apfelbaum im Garten 7")])
                #expect(refused.status == .unprocessableEntity)
                let html = refused.body.string
                #expect(html.contains("Das bisherige Passwort stimmt nicht."))
                #expect(html.contains("href=\"#f-currentPassword\""))
                #expect(html.contains("name=\"newPasswordRepeat\""))
                // Passwords are never written back into the page.
                #expect(!html.contains("falsch-geraten-123") && !html.contains("Apfelbaum"))
                // Nothing changed: the old password still signs in, and her session goes on.
                #expect(try await w.maraPage.get("/jugendaemter").status == .ok)
                _ = try await World.login(t, "mara")
                // The API answers the same with a field error.
                let api = try await t.send(.PUT, "/api/v1/me/password", token: w.mara,
                                           json: ["currentPassword": "falsch-geraten-123", "newPassword": "Apfelbaum im Garten 7"])
                #expect(api.status == .unprocessableEntity)
                #expect(try api.problemFields() == ["currentPassword"])
                // A common or short new password, or a repeat that differs, is refused by the rules of user creation.
                let common = try await t.send(.PUT, "/api/v1/me/password", token: w.mara,
                                              json: ["currentPassword": TestApp.password, "newPassword": "passwort123"])
                #expect(try common.problemFields() == ["newPassword"])
                let short = try await t.send(.PUT, "/api/v1/me/password", token: w.mara,
                                             json: ["currentPassword": TestApp.password, "newPassword": "kurz"])
                #expect(short.body.string.contains("mindestens 10 Zeichen"))
                let differs = try await w.maraPage.post("/passwort", [("currentPassword", TestApp.password),
                                                                      ("newPassword", "Apfelbaum im Garten 7"),
                                                                      ("newPasswordRepeat", "Apfelbaum im Garten 8")])
                #expect(differs.status == .unprocessableEntity)
                #expect(differs.body.string.contains("Die Wiederholung stimmt nicht"))
            }
        }

        @Test func issue16_afterAPasswordChangeOtherSessionsAndTokensAreRefused() async throws {
            try await TestApp.run { t in
                // given: mara has a token, a second page session (another device) and this page
                let w = try await World.make(t)
                let otherDevice = WebSession(t)
                try await otherDevice.login("mara")
                let newPassword = "Grüne Äpfel & „Birnen“ <7>"
                // when: she changes her password on this page
                let changed = try await w.maraPage.post("/passwort", [("currentPassword", TestApp.password), ("newPassword", newPassword),
                                                                      ("newPasswordRepeat", newPassword)])
                #expect(changed.status == .seeOther, "\(changed.body.string)")
                // then: this page stays signed in (on a new session), the other device and the old token are refused
                let home = try await w.maraPage.get("/")
                #expect(home.status == .ok)
                #expect(home.body.string.contains("Ihr Passwort ist geändert."))
                #expect(try await otherDevice.get("/jugendaemter").status == .seeOther)
                #expect(try await t.send(.GET, "/api/v1/me", token: w.mara).status == .unauthorized)
                // The old password no longer signs in; the new one does.
                #expect(try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": TestApp.password]).status == .unauthorized)
                let token = try await World.login(t, "mara", password: newPassword)
                // Through the API: every token ends, the one used included.
                let api = try await t.send(.PUT, "/api/v1/me/password", token: token,
                                           json: ["currentPassword": newPassword, "newPassword": "Ein ganz anderer Satz 42"])
                #expect(api.status == .noContent)
                #expect(try await t.send(.GET, "/api/v1/me", token: token).status == .unauthorized)
                #expect(try await w.maraPage.get("/").status == .seeOther)
                // Audited, without the value.
                let entries = try await AuditLog.recent(limit: 50, on: t.db).filter { $0.entity == "user" && $0.entityID == w.maraID.uuidString && $0.action == "update" }
                #expect(entries.count == 2)
                for entry in entries {
                    #expect(entry.changes["password"] == AuditChange(from: "•••", to: "•••"))
                    #expect(!entry.changes.description.contains("Äpfel") && !entry.changes.description.contains("Satz"))
                }
            }
        }

        @Test func issue16_guessingTheCurrentPasswordIsSlowedDown() async throws {
            try await TestApp.run { t in
                let w = try await World.make(t)
                for attempt in 1...LoginThrottleStore.freeAttempts {
                    let response = try await t.send(.PUT, "/api/v1/me/password", token: w.mara,
                                                    json: ["currentPassword": "geraten-\(attempt)-xyz", "newPassword": "Apfelbaum im Garten 7"])
                    #expect(response.status == .unprocessableEntity)
                }
                let blocked = try await t.send(.PUT, "/api/v1/me/password", token: w.mara,
                                               json: ["currentPassword": TestApp.password, "newPassword": "Apfelbaum im Garten 7"])
                #expect(blocked.status == .tooManyRequests)
                #expect(blocked.headers.first(name: .retryAfter) != nil)
                t.clock.advance(by: 61)
                #expect(try await t.send(.PUT, "/api/v1/me/password", token: w.mara,
                                         json: ["currentPassword": TestApp.password, "newPassword": "Apfelbaum im Garten 7"]).status == .noContent)
            }
        }

        @Test func issue16_passwordRulesAreTheRulesOfUserCreation() {
            // The same rule text for an administrator's new user and one's own new password.
            let mine = try? PasswordChange(currentPassword: "alt", newPassword: "passwort123").validated(username: "mara")
            #expect(mine == nil)
            #expect(PasswordRules.problem("passwort123", username: "mara") != nil)
            #expect(PasswordRules.problem("kurz", username: nil)?.contains("mindestens 10") == true)
            #expect(PasswordRules.problem(String(repeating: "ä", count: 40), username: nil)?.contains("72 Bytes") == true)
            #expect(PasswordRules.problem("Apfelbaum im Garten 7", username: "mara") == nil)
            do {
                _ = try UserInput(username: "mara", roles: ["caseworker"], password: "passwort123").validated(passwordRequired: true)
                Issue.record("a common password was accepted")
            } catch {
                #expect(error.message(for: "password") == PasswordRules.problem("passwort123", username: "mara"))
            }
            do {
                _ = try PasswordChange(currentPassword: "Apfelbaum im Garten 7", newPassword: "Apfelbaum im Garten 7").validated(username: "mara")
                Issue.record("the same password was accepted")
            } catch {
                #expect(error.errors.map(\.field) == ["newPassword"])
            }
        }
    }
}
