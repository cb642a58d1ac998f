@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

extension AllTests {
    /// R10 group sessions through the API and the page: fina (caseworker) leads every case; the
    /// agreement rounds to 15 minutes; "today" is 22 November 2026.
    @Suite("Group sessions")
    struct GroupSessions {
        struct World {
            let api: CaseAPIWorld
            let cases: [String]
        }

        static func make(_ t: TestApp, cases count: Int, rounding: Int = 15) async throws -> World {
            let api = try await CaseAPIWorld.make(t)
            _ = try await t.create("/api/v1/agreements", token: api.management, [
                "youthOfficeId": api.officeID, "validFrom": "2026-01-01",
                "rates": [["offerId": api.offerID, "hourlyRate": "60.00"]], "settings": ["roundingMinutes": rounding]])
            var cases: [String] = []
            for index in 0..<count {
                let id = try await api.openCase(api.caseBody(fileNumber: "51.2-2026-09\(String(format: "%02d", index))", firstName: "Kind\(index)"))
                _ = try await t.create("/api/v1/cases/\(id)/approvals", token: api.management,
                                       ["from": "2026-10-01", "to": "2027-03-31", "hours": "20", "per": "month"])
                cases.append(id)
            }
            return World(api: api, cases: cases)
        }

        static func session(_ t: TestApp, _ w: World, minutes: Int, cases: [String]? = nil, date: String = "2026-11-20",
                            token: String? = nil) async throws -> TestingHTTPResponse {
            try await t.send(.POST, "/api/v1/group-sessions", token: token ?? w.api.fina.token, json: [
                "date": date, "start": "16:00", "minutes": minutes, "staffIds": [w.api.fina.staffID], "caseIds": cases ?? w.cases])
        }

        /// The group share entries of a case in November.
        static func shares(_ t: TestApp, _ w: World, _ caseID: String) async throws -> [[String: Any]] {
            try await t.send(.GET, "/api/v1/cases/\(caseID)/entries?month=2026-11", token: w.api.management).jsonArray()
                .filter { $0["kind"] as? String == "group" }
        }

        static func billed(_ t: TestApp, _ w: World) async throws -> Int {
            var total = 0
            for id in w.cases { total += try await shares(t, w, id).reduce(0) { $0 + ($1["billableMinutes"] as? Int ?? 0) } }
            return total
        }

        /// An issued invoice of the case for the month (the fact the rules look at).
        static func invoice(_ t: TestApp, _ caseID: String, month: String) async throws {
            let invoice = InvoiceModel()
            invoice.$case.id = UUID(uuidString: caseID)!
            invoice.month = month
            invoice.status = InvoiceStatus.issued.rawValue
            invoice.number = "2026-0001"
            invoice.totalCents = 100
            try await invoice.create(on: t.db)
        }

        @Test("R10 R13 nine cases of a 63-minute session bill the rounded hour once, not 0; seven cases of 60 minutes bill 60, not 105")
        func roundedOnce() async throws {
            try await TestApp.run { t in
                let nine = try await Self.make(t, cases: 9)
                #expect(try await Self.session(t, nine, minutes: 63).status == .created)
                #expect(try await Self.billed(t, nine) == 60)
            }
            try await TestApp.run { t in
                let seven = try await Self.make(t, cases: 7)
                #expect(try await Self.session(t, seven, minutes: 60).status == .created)
                #expect(try await Self.billed(t, seven) == 60)
                // the budget follows the stored shares (R9): 9 minutes of the first case
                let budget = try await t.send(.GET, "/api/v1/cases/\(seven.cases[0])/budget?date=2026-11-20", token: seven.api.fina.token).json()
                #expect(budget["usedMinutes"] as? Int == 9)
            }
        }

        @Test("R10 R16 a group session dated in an invoiced month of one of its cases is refused in German, naming the case")
        func invoicedMonthRefused() async throws {
            try await TestApp.run { t in
                let w = try await Self.make(t, cases: 2)
                try await Self.invoice(t, w.cases[1], month: "2026-11")
                let refused = try await Self.session(t, w, minutes: 60)
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["caseIds[1]"])
                #expect(refused.body.string.contains("51.2-2026-0901"))
                #expect(try await Self.shares(t, w, w.cases[0]).isEmpty)
                // October is open
                #expect(try await Self.session(t, w, minutes: 60, date: "2026-10-20").status == .created)
            }
        }

        @Test("R10 a session is corrected and deleted as a whole with all its shares, audited; never in an invoiced month")
        func correctAndDelete() async throws {
            try await TestApp.run { t in
                // given
                let w = try await Self.make(t, cases: 3, rounding: 1)
                let id = try await t.create("/api/v1/group-sessions", token: w.api.fina.token, [
                    "date": "2026-11-20", "start": "16:00", "minutes": 90, "staffIds": [w.api.fina.staffID], "caseIds": w.cases])
                // when: 60 minutes, two cases
                let corrected = try await t.send(.PUT, "/api/v1/group-sessions/\(id)", token: w.api.fina.token, json: [
                    "date": "2026-11-20", "start": "16:00", "minutes": 60, "staffIds": [w.api.fina.staffID], "caseIds": Array(w.cases.prefix(2))])
                // then
                #expect(corrected.status == .noContent, "\(corrected.body.string)")
                #expect(try await Self.shares(t, w, w.cases[0]).map { $0["billableMinutes"] as? Int } == [30])
                #expect(try await Self.shares(t, w, w.cases[2]).isEmpty)
                let listed = try await t.send(.GET, "/api/v1/group-sessions", token: w.api.fina.token).jsonArray()
                #expect(listed.count == 1)
                #expect(listed.first?["minutes"] as? Int == 60)
                #expect((listed.first?["cases"] as? [[String: Any]])?.compactMap { $0["minutes"] as? Int } == [30, 30])

                // a share is changed only with its session
                let shareID = try #require(try await Self.shares(t, w, w.cases[0]).first?["id"] as? String)
                let single = try await t.send(.DELETE, "/api/v1/cases/\(w.cases[0])/entries/\(shareID)", token: w.api.fina.token)
                #expect(single.status == .forbidden)
                #expect(try await Self.shares(t, w, w.cases[0]).count == 1)

                // R16: not once a case's month is invoiced
                try await Self.invoice(t, w.cases[1], month: "2026-11")
                let late = try await t.send(.DELETE, "/api/v1/group-sessions/\(id)", token: w.api.fina.token)
                #expect(late.status == .forbidden)
                #expect(late.body.string.contains("51.2-2026-0901"))
                _ = try await InvoiceModel.query(on: t.db).delete()
                let deleted = try await t.send(.DELETE, "/api/v1/group-sessions/\(id)", token: w.api.fina.token)
                #expect(deleted.status == .noContent)
                #expect(try await Self.shares(t, w, w.cases[0]).isEmpty)
                let audit = try await AuditEntryModel.query(on: t.db).filter(\.$entity == "groupSession").all().map(\.action)
                #expect(audit.sorted() == ["create", "delete", "update"])
            }
        }

        @Test("R10 the group sessions page lists, records with the viewer's cases as checkboxes, and keeps the input of a refused form")
        func page() async throws {
            try await TestApp.run { t in
                let w = try await Self.make(t, cases: 2, rounding: 1)
                let web = WebSession(t)
                try await web.login("fina")
                let form = try await web.get("/gruppenangebote")
                #expect(form.status == .ok)
                #expect(form.body.string.contains("51.2-2026-0900"))
                #expect(form.body.string.contains("Anwesende Fälle"))
                let bad = try await web.post("/gruppenangebote", [("date", "2026-11-20"), ("start", "16:00"), ("minutes", "abc"),
                                                                  ("staffIds", w.api.fina.staffID), ("caseIds", w.cases[0])])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("ganzen Minuten"))
                #expect(bad.body.string.contains("value=\"abc\""))
                let saved = try await web.post("/gruppenangebote", [("date", "2026-11-20"), ("start", "16:00"), ("minutes", "90"),
                                                                    ("staffIds", w.api.fina.staffID), ("caseIds", w.cases[0]), ("caseIds", w.cases[1])])
                #expect(saved.status == .seeOther || saved.status == .found, "\(saved.status)")
                let list = try await web.get("/gruppenangebote")
                #expect(list.body.string.contains("20.11.2026"))
                #expect(list.body.string.contains("Korrigieren"))
                #expect(try await Self.shares(t, w, w.cases[1]).map { $0["billableMinutes"] as? Int } == [45])
                let none = try await web.post("/gruppenangebote", [("date", "2026-11-21"), ("start", "16:00"), ("minutes", "30"),
                                                                   ("staffIds", w.api.fina.staffID)])
                #expect(none.status == .unprocessableEntity)
                #expect(none.body.string.contains("mindestens einen anwesenden Fall"))
            }
        }
    }
}
