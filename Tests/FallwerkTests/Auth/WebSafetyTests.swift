@testable import FallwerkApp
import FallwerkDomain
@testable import FallwerkStore
import FallwerkWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// Issue #11: long, messy, real input survives every page; the web layer cannot be turned
/// against its users.
extension AllTests {
    @Suite("Pages keep what was typed (#11)")
    struct WebSafety {
        static let hostile = #"Verein "Hilfe" e.V. <b>&amp;</b> 'Ölbergstraße' & Söhne"#

        static func longText(_ count: Int) -> String {
            let sentence = #"Lena (14) sagte: „Ich will nicht mehr" – Mutter & Oma <dabei>; 'Schule' heute ok. "#
            // no space at the end: the stores trim what they save
            return String(String(repeating: sentence, count: count / sentence.count + 1).prefix(count - 1)) + "."
        }

        @Test("#11 a 3,000-character note with quotes and umlauts is saved from a streamed form post and comes back intact")
        func longNote() async throws {
            try await TestApp.run { t in
                // given a caseworker on a real socket (bodies over ~1.5 KB arrive streamed)
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t, live: true)
                try await browser.login("fina")
                try await browser.get("/faelle/\(s.caseID)/verlauf")
                let observation = Self.longText(3_000)
                // when
                let saved = try await browser.post("/faelle/\(s.caseID)/verlauf",
                                                   [("date", "2026-11-20"), ("observation", observation), ("assessment", Self.hostile)])
                // then it is stored exactly and shown escaped
                #expect(saved.status == .seeOther)
                let notes = try await NoteModel.query(on: t.db).all()
                #expect(notes.map(\.observation) == [observation])
                let page = try await browser.get("/faelle/\(s.caseID)/verlauf").body.string
                #expect(page.contains(HTMLEscape.text(Self.hostile)))
                #expect(!page.contains("<b>&amp;</b>"))
            }
        }

        @Test("#11 R19 a 5,000-character report section is saved from the editor, and saving keeps every section's typed text")
        func longReportSection() async throws {
            try await TestApp.run { t in
                // given a generated draft, opened on a real socket
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t, live: true)
                try await browser.login("fina")
                try await browser.get("/faelle/\(s.caseID)/berichte")
                let generated = try await browser.post("/faelle/\(s.caseID)/berichte", [("kind", "progress"), ("periodFrom", ""), ("periodTo", "")])
                let location = try #require(generated.headers.first(name: .location))
                let page = try await browser.get(location).body.string
                let assessment = Self.longText(5_000)
                // when both sections are typed and the button under the first one is pressed
                let saved = try await browser.post(location + "/abschnitte",
                                                   [("sections.assessment", assessment), ("sections.perspective", Self.hostile),
                                                    ("nach", "assessment")])
                // then both are stored and shown escaped in their text areas
                #expect(page.contains(#"action="\#(location)/abschnitte""#))
                #expect(saved.status == .seeOther)
                let report = try #require(try await ReportModel.query(on: t.db).first())
                let sections = try #require(ReportStore.record(report)?.report.sections)
                #expect(sections.first { $0.key == .assessment }?.text == assessment)
                #expect(sections.first { $0.key == .perspective }?.text == Self.hostile)
                let reloaded = try await browser.get(location).body.string
                #expect(reloaded.contains(HTMLEscape.text(Self.hostile)))
            }
        }

        @Test("#11 R15 a signature drawn on a tablet (a 250 KB data URL) is saved from the page")
        func tabletSignature() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t, live: true)
                try await browser.login("fina")
                try await browser.get("/faelle/\(s.caseID)/nachweis/2026-11")
                var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
                png.append(Data((0..<190_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
                let drawing = "data:image/png;base64," + png.base64EncodedString()
                // when
                let signed = try await browser.post("/faelle/\(s.caseID)/nachweis/2026-11",
                                                    [("status", "signed"), ("date", "2026-11-22"), ("signedBy", "Lena Sommer"), ("drawing", drawing)])
                // then
                #expect(signed.status == .seeOther, "\(signed.body.string.prefix(4000))")
                let stored = try await ServiceRecordSignatureModel.query(on: t.db).first()
                #expect(stored?.drawing.flatMap { Data(base64Encoded: $0) } == png)
            }
        }

        @Test("#11 a form with a stale CSRF token comes back with every typed value, ready to send again")
        func staleToken() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let observation = Self.longText(2_400)
                // when the token does not fit (a second tab, a restarted session)
                let refused = try await browser.post("/faelle/\(s.caseID)/verlauf",
                                                     [("date", "2026-11-20"), ("observation", observation)], csrf: "abc")
                // then nothing is saved, the text is on the page, and sending again saves it
                #expect(refused.status == .forbidden)
                #expect(refused.body.string.contains("Ihre Eingaben sind nicht verloren"))
                #expect(refused.body.string.contains(#"name="observation" value="\#(HTMLEscape.attribute(observation))""#))
                // the listed values carry German labels and dates, never field names
                #expect(refused.body.string.contains("<dt>Beobachtung</dt>"))
                #expect(refused.body.string.contains("<dt>Datum</dt><dd class=\"pre\">20.11.2026</dd>"))
                #expect(!refused.body.string.contains("<dt>observation</dt>"))
                #expect(try await NoteModel.query(on: t.db).count() == 0)
                let again = try await browser.post("/faelle/\(s.caseID)/verlauf", [("date", "2026-11-20"), ("observation", observation)])
                #expect(again.status == .seeOther, "\(again.body.string.prefix(3000))")
                #expect(try await NoteModel.query(on: t.db).all().map(\.observation) == [observation])
            }
        }

        @Test("#11 signed out while typing: the login keeps the form, and it is sent after signing in again")
        func signedOutWhileTyping() async throws {
            try await TestApp.run { t in
                // given a caseworker whose session timed out while writing
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                try await browser.get("/faelle/\(s.caseID)/verlauf")
                t.clock.advance(by: 45 * 60)
                let observation = Self.longText(1_000)
                // when
                let login = try await browser.post("/faelle/\(s.caseID)/verlauf", [("date", "2026-11-20"), ("observation", observation)])
                // then the login page carries the text, and after signing in it is offered to send
                #expect(login.status == .unauthorized)
                #expect(login.body.string.contains(#"name="_keep.observation""#))
                #expect(login.body.string.contains("weiter=/faelle/\(s.caseID)/verlauf"))
                let back = try await browser.post("/anmelden?weiter=/faelle/\(s.caseID)/verlauf",
                                                  [("_keep.date", "2026-11-20"), ("_keep.observation", observation),
                                                   ("username", "fina"), ("password", TestApp.password)])
                #expect(back.status == .ok)
                #expect(back.body.string.contains("Ihre Eingaben sind nicht verloren"))
                let saved = try await browser.post("/faelle/\(s.caseID)/verlauf", [("date", "2026-11-20"), ("observation", observation)])
                #expect(saved.status == .seeOther)
                #expect(try await NoteModel.query(on: t.db).all().map(\.observation) == [observation])
            }
        }

        @Test("#11 a youth office named with quotes keeps its whole name through the edit form; a search echo injects nothing")
        func attributeEscaping() async throws {
            try await TestApp.run { t in
                // given
                try await t.addUser("ada", .admin)
                let browser = WebSession(t)
                try await browser.login("ada")
                let name = #"Verein "Hilfe" e.V. & <Söhne> 'Nord'"#
                // when
                let saved = try await browser.post("/jugendaemter/neu", [
                    ("name", name), ("leitwegId", Fixtures.leitwegID()),
                    ("address.street", "Markt 1"), ("address.postalCode", "39104"), ("address.city", "Formstadt"),
                ])
                let location = try #require(saved.headers.first(name: .location))
                let form = try await browser.get(location).body.string
                // then the edit form shows the value escaped, and saving it again keeps it whole
                #expect(form.contains(#"value="Verein &quot;Hilfe&quot; e.V. &amp; &lt;Söhne&gt; &#39;Nord&#39;""#))
                let decoded = Self.inputValue(named: "name", in: form)
                #expect(decoded == name)
                #expect(try await browser.post(location, [
                    ("name", decoded ?? ""), ("leitwegId", Fixtures.leitwegID()),
                    ("address.street", "Markt 1"), ("address.postalCode", "39104"), ("address.city", "Formstadt"),
                ]).status == .seeOther)
                #expect(try await YouthOfficeModel.query(on: t.db).all().map(\.name) == [name])
            }
        }

        @Test("#11 the notes search echo cannot inject markup")
        func searchEcho() async throws {
            try await TestApp.run { t in
                let s = try await DocumentationAPI.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let query = #""><a href="https://evil.example">x</a><base href="https://evil.example/">"#
                let page = try await browser.get("/faelle/\(s.caseID)/verlauf?q=" + WebSession.encode(query)).body.string
                #expect(!page.contains(#"<a href="https://evil.example">"#))
                #expect(!page.contains("<base"))
                #expect(page.contains(HTMLEscape.attribute(query)))
            }
        }

        @Test("#11 every Plot helper that takes text escapes it, also before combining marks")
        func everyHelperEscapes() {
            // given text that closes an attribute or opens a tag, also as `"` + combining acute
            let v = "x\"\u{301}<\u{301}>'&y"
            let page = HTMLEscape.sampleOfEveryHelper(v)
            // then no raw quote, angle bracket or ampersand from the value remains
            let escaped = HTMLEscape.attribute(v)
            #expect(escaped == "x&quot;\u{301}&lt;\u{301}&gt;&#39;&amp;y")
            let rawTag = String(UnicodeScalar(0x3C)!) + "\u{301}"
            #expect(!page.contains(rawTag))
            #expect(!page.contains(#"="x""#))
            #expect(page.components(separatedBy: escaped).count - 1 == 16)
            #expect(page.components(separatedBy: HTMLEscape.text(v)).count - 1 == 4)
        }

        @Test("#11 sign-in leads only to paths of this site, and a deep link survives the login form")
        func safeRedirects() async throws {
            // given the tricks browsers fall for
            for evil in ["//evil.example", "/\\evil.example", "/%5Cevil.example", "/%5C%5Cevil.example", "/%09/evil.example",
                         "/\t/evil.example", "https://evil.example", "/%2F/evil.example", "javascript:alert(1)", "/%0A/evil.example"] {
                #expect(SafeRedirect.path(evil) == nil, "\(evil)")
            }
            #expect(SafeRedirect.path("/faelle?status=running&q=M%C3%BCller") == "/faelle?status=running&q=M%C3%BCller")
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                // when a deep link needs a sign-in
                let deep = try await browser.get("/jugendaemter")
                let loginURL = try #require(deep.headers.first(name: .location))
                let form = try await browser.get(loginURL).body.string
                #expect(form.contains(#"action="/anmelden?weiter=/jugendaemter""#))
                let signedIn = try await browser.post("/anmelden?weiter=/jugendaemter", [("username", "mara"), ("password", TestApp.password)])
                #expect(signedIn.headers.first(name: .location) == "/jugendaemter")
                // and an evil target is ignored
                let other = WebSession(t)
                try await other.get("/anmelden")
                let evil = try await other.post("/anmelden?weiter=/%5Cevil.example", [("username", "mara"), ("password", TestApp.password)])
                #expect(evil.headers.first(name: .location) == "/")
            }
        }

        @Test("#11 no stored session before login; a new session id at login; none after logout")
        func sessionLifecycle() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                // given anonymous page views
                try await browser.get("/")
                try await browser.get("/anmelden")
                #expect(try await WebSessionStore.count(on: t.db) == 0)
                #expect(browser.cookies["fallwerk-session"] == nil)
                // when a session cookie exists before the login (fixation attempt)
                try await browser.login("mara")
                let first = try #require(browser.cookies["fallwerk-session"])
                try await browser.login("mara")
                let second = try #require(browser.cookies["fallwerk-session"])
                // then every login gets a fresh id, and the old one is gone
                #expect(first != second)
                #expect(try await WebSessionStore.count(on: t.db) == 1)
                let response = try await browser.post("/abmelden", [])
                #expect(response.headers.first(name: .location) == "/anmelden?abgemeldet=1")
                #expect(try await WebSessionStore.count(on: t.db) == 0)
                #expect(try await browser.get("/").status == .seeOther)
            }
        }

        @Test("#11 a session ends 10 hours after sign-in however active, and stale sessions are cleaned up")
        func absoluteTimeout() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                try await t.addUser("otto", .caseworker)
                let idle = WebSession(t)
                try await idle.login("otto")
                let browser = WebSession(t)
                try await browser.login("mara")
                for _ in 0..<20 {
                    t.clock.advance(by: 29 * 60)
                    #expect(try await browser.get("/").status == .ok)
                }
                t.clock.advance(by: 29 * 60)  // 10 h 15 min after signing in
                let expired = try await browser.get("/")
                #expect(expired.status == .seeOther)
                #expect(expired.headers.first(name: .location)?.contains("abgelaufen=1") == true)
                // otto's idle session is removed at the next sign-in of anyone
                try await browser.login("mara")
                #expect(try await WebSessionStore.count(on: t.db) == 1)
            }
        }

        @Test("#11 a password reset ends the user's page sessions and API tokens")
        func passwordReset() async throws {
            try await TestApp.run { t in
                // given mara signed in twice
                let maraID = try await t.addUser("mara", .caseworker)
                let browser = WebSession(t)
                try await browser.login("mara")
                let token = try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": TestApp.password])
                let bearer = try #require(try token.json()["token"] as? String)
                // when the administration sets a new password
                try await UserStore.save(UserInput(username: "mara", displayName: "Mara", roles: ["caseworker"], password: "ein ganz neuer Satz"),
                                         id: maraID, hash: { try Bcrypt.hash($0, cost: 4) }, context: t.writeContext, on: t.db)
                // then both are gone
                #expect(try await browser.get("/").status == .seeOther)
                #expect(try await t.send(.GET, "/api/v1/me", token: bearer).status == .unauthorized)
            }
        }

        @Test("#11 failed logins from one address do not lock a colleague out elsewhere; an address guessing many accounts waits")
        func throttlePerAccountAndAddress() async throws {
            try await TestApp.run(trustForwardedFor: true) { t in
                try await t.addUser("mara", .caseworker)
                func attempt(_ user: String, _ password: String, from address: String) async throws -> HTTPStatus {
                    try await t.send(.POST, "/api/v1/session", json: ["username": user, "password": password],
                                     headers: ["X-Forwarded-For": address]).status
                }
                // given someone failing for mara from one address, many times
                for _ in 0..<(LoginThrottleStore.freeAttempts + 3) {
                    _ = try await attempt("mara", "falsch-falsch", from: "203.0.113.9")
                }
                // then that address waits, but mara at her desk gets in
                #expect(try await attempt("mara", TestApp.password, from: "203.0.113.9") == .tooManyRequests)
                #expect(try await attempt("mara", TestApp.password, from: "192.0.2.10") == .created)
                // and an address trying many accounts is stopped as a whole
                for index in 0..<LoginThrottleStore.freeAttemptsPerAddress {
                    _ = try await attempt("user\(index)", "falsch-falsch", from: "198.51.100.7")
                }
                let blocked = try await attempt("mara", TestApp.password, from: "198.51.100.7")
                #expect(blocked == .tooManyRequests)
            }
        }

        @Test("#11 many failed logins at once, with a write beside them, never end in a server error")
        func concurrentFailedLogins() async throws {
            try await TestApp.run { t in
                // given
                try await t.addUser("mara", .management)
                let admin = try await t.token(.admin)
                // when 20 wrong passwords arrive together while someone saves master data
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for index in 0..<20 {
                        group.addTask {
                            try await t.send(.POST, "/api/v1/session", json: ["username": "mara", "password": "falsch-\(index)"]).status.code
                        }
                    }
                    group.addTask {
                        try await t.send(.POST, "/api/v1/teams", token: admin, json: ["name": "Team Ost", "location": "Hagen"]).status.code
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                // then every answer is a refusal or a success, none a 500
                #expect(statuses.count == 21)
                #expect(statuses.allSatisfy { $0 < 500 }, "\(statuses)")
                #expect(statuses.filter { $0 == 401 || $0 == 429 }.count == 20)
                let throttle = try #require(try await LoginThrottleModel.query(on: t.db).all().first { $0.key == "account:mara|unbekannt" })
                // once blocked, further attempts are refused before they are counted
                #expect((LoginThrottleStore.freeAttempts...20).contains(throttle.failures), "\(throttle.failures)")
            }
        }

        @Test("#11 common passwords and the user name are refused as passwords")
        func commonPasswords() {
            for weak in ["Passwort123!", "hallohallo", "qwertz1234", "fallwerk2026", "1234567890"] {
                #expect(throws: ValidationFailure.self, "\(weak)") {
                    try UserInput(username: "mara", displayName: nil, roles: ["caseworker"], password: weak).validated(passwordRequired: true)
                }
            }
            #expect(throws: ValidationFailure.self) {
                try UserInput(username: "mara.mustermann", roles: ["caseworker"], password: "Mara.Mustermann").validated(passwordRequired: true)
            }
            #expect(throws: Never.self) {
                try UserInput(username: "mara", roles: ["caseworker"], password: "Drei Tassen Tee am Morgen").validated(passwordRequired: true)
            }
        }

        @Test("#11 pages forbid a foreign <base> and plugins in their CSP")
        func contentSecurityPolicy() async throws {
            try await TestApp.run { t in
                let page = try await WebSession(t).get("/anmelden")
                let csp = try #require(page.headers.first(name: "Content-Security-Policy"))
                #expect(csp.contains("base-uri 'none'"))
                #expect(csp.contains("object-src 'none'"))
            }
        }

        /// The decoded value of `<input name="NAME" value="…">`, as a browser reads it.
        static func inputValue(named name: String, in html: String) -> String? {
            guard let range = html.range(of: #"name="\#(name)" value=""#) else { return nil }
            let rest = html[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
    }
}
