@testable import FallwerkApp
@testable import FallwerkDomain
@testable import FallwerkStore
import Foundation
import Testing
import Vapor
import VaporTesting

/// R6, R8: a case cannot end before work recorded after that day (it would stay billable for days
/// without help). Issue 10, defect 3. The rule is the domain's; page and API give the same answer.
extension AllTests {
    @Suite("Case end and the entries after it (R6, R8)")
    struct CaseEndTests {
        typealias F = DomainFixtures

        static func entry(_ id: String, _ date: String, _ kind: EntryKind = .direct, group: String? = nil) -> EntryAfterEnd {
            EntryAfterEnd(entryID: id, date: F.day(date), start: F.time("10:00"), kind: kind, staffName: "Erika Fink", groupSessionID: group)
        }

        @Test("R6 R8 the entries after the end keep a case from ending; the end day itself, earlier days and reports do not")
        func entriesAfterEndDomain() {
            // given
            let entries = [Self.entry("a", "2026-11-30"), Self.entry("b", "2026-12-02", .noShow), Self.entry("c", "2026-12-01", .group, group: "g"),
                           Self.entry("d", "2026-12-03", .report), Self.entry("e", "2026-11-02")]
            // when
            let after = CaseEnd.entriesAfter(F.day("2026-11-30"), in: entries)
            // then: sorted by day; the group session's share counts; the final report may follow the end
            #expect(after.map(\.entryID) == ["c", "b"])
            var v = Validator()
            CaseEnd.check(F.day("2026-12-05"), entries: entries, into: &v)
            #expect(v.errors.isEmpty)
        }

        @Test("R6 R8 the refusal names each entry's day, time, kind and staff, and a share as a share")
        func refusalTextDomain() {
            var v = Validator()
            CaseEnd.check(F.day("2026-11-30"), entries: [Self.entry("b", "2026-12-02"), Self.entry("c", "2026-12-01", .group, group: "g")], into: &v)
            let message = v.errors.first { $0.field == "date" }?.message ?? ""
            #expect(message.contains("Nach dem 30.11.2026 sind noch 2 Leistungen erfasst"))
            #expect(message.contains("01.12.2026, 10:00, Gruppenangebot – Anteil am Gruppenangebot (Erika Fink)"))
            #expect(message.contains("02.12.2026, 10:00, Kontakt mit Klient:in (Erika Fink)"))
            #expect(message.contains("verschieben oder löschen"))
            let many = (1...12).map { Self.entry("e\($0)", "2026-12-\($0 < 10 ? "0" : "")\($0)") }
            #expect(CaseEnd.refusal(end: F.day("2026-11-30"), entries: many).contains("und 2 weitere"))
        }

        @Test("R6 R8 the API refuses an end before recorded work, a group session share included, naming them; the end day itself is fine")
        func apiRefusesEndBeforeWork() async throws {
            try await TestApp.run { t in
                // given a contact on 2 November (setUp) and a group session share on 5 November
                let s = try await DocumentationAPI.setUp(t)
                let fina = s.world.fina
                let group = try await t.send(.POST, "/api/v1/group-sessions", token: fina.token,
                                             json: ["date": "2026-11-05", "start": "16:00", "minutes": 90, "staffIds": [fina.staffID], "caseIds": [s.caseID]])
                #expect(group.status == .created, "group session: \(group.body.string)")
                // when the case is ended on 31 October
                let refused = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/end", token: fina.token,
                                               json: ["date": "2026-10-31", "reason": "goalsReached"])
                // then it is a field error naming both entries, and the case runs on
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.problemFields() == ["date"])
                let text = refused.body.string
                #expect(text.contains("02.11.2026, 10:00, Kontakt mit Klient:in (Erika Fink)"))
                #expect(text.contains("05.11.2026, 16:00"))
                #expect(text.contains("Anteil am Gruppenangebot"))
                #expect(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db)?.endDate == nil)
                // when ended on the day of the last work, it ends
                let ended = try await t.send(.POST, "/api/v1/cases/\(s.caseID)/end", token: fina.token,
                                             json: ["date": "2026-11-05", "reason": "goalsReached"])
                #expect(ended.status == .noContent, "\(ended.body.string)")
                #expect(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db)?.endDate == "2026-11-05")
            }
        }

        @Test("R6 R8 the end confirmation lists the entries after the end with links to correct them and offers no confirmation")
        func pageListsEntriesForCorrection() async throws {
            try await TestApp.run { t in
                // given
                let s = try await DocumentationAPI.setUp(t)
                let entryID = try #require(try await ServiceEntryModel.query(on: t.db).first()?.id).uuidString.lowercased()
                let browser = WebSession(t)
                try await browser.login("fina")
                try await browser.get("/faelle/\(s.caseID)/hilfeplan")
                // when the end form is sent with a day before the recorded contact
                let asked = try await browser.post("/faelle/\(s.caseID)/beenden", [("date", "2026-10-31"), ("reason", "goalsReached")])
                // then the page lists the contact with a link to its form, and nothing can be confirmed
                #expect(asked.status == .unprocessableEntity)
                let page = asked.body.string
                #expect(page.contains("erst die Leistungen danach korrigieren"))
                #expect(page.contains("02.11.2026"))
                #expect(page.contains("Kontakt mit Klient:in"))
                #expect(page.contains("Erika Fink"))
                #expect(page.contains(#"href="/faelle/\#(s.caseID.lowercased())/leistungen/\#(entryID)""#))
                #expect(!page.contains(#"name="bestaetigt""#))
                // when the confirmation is forced anyway
                let forced = try await browser.post("/faelle/\(s.caseID)/beenden", [("date", "2026-10-31"), ("reason", "goalsReached"), ("bestaetigt", "ja")])
                // then it is refused with the same German message, and the case runs on
                #expect(forced.status == .unprocessableEntity)
                #expect(forced.body.string.contains("Nach dem 31.10.2026 ist noch 1 Leistung erfasst"))
                #expect(try await CaseModel.find(UUID(uuidString: s.caseID), on: t.db)?.endDate == nil)
            }
        }

        @Test("R6 only the lead worker, the team lead and management end a case; a co-worker is refused in the API and on the page")
        func onlyLeadEndsCase() async throws {
            try await TestApp.run { t in
                // given a case led by fina with cora as co-worker
                let world = try await CaseAPIWorld.make(t)
                let cora = try await world.member("cora", [.caseworker], team: world.northTeamID, lastName: "Cordes")
                var body = world.caseBody(fileNumber: "51.2-2026-0200")
                body["coWorkerIds"] = [cora.staffID]
                let caseID = try await world.openCase(body)
                // when the co-worker ends it
                let api = try await t.send(.POST, "/api/v1/cases/\(caseID)/end", token: cora.token, json: ["date": "2026-11-20", "reason": "goalsReached"])
                let browser = WebSession(t)
                try await browser.login("cora")
                let plan = try await browser.get("/faelle/\(caseID)/hilfeplan")
                #expect(plan.status == .ok)
                #expect(!plan.body.string.contains("Hilfe beenden"))  // the form is not offered to a co-worker
                let page = try await browser.post("/faelle/\(caseID)/beenden", [("date", "2026-11-20"), ("reason", "goalsReached"), ("bestaetigt", "ja")])
                // then both refuse, and the case runs on
                #expect(api.status == .forbidden)
                #expect(page.status == .forbidden)
                #expect(try await CaseModel.find(UUID(uuidString: caseID), on: t.db)?.endDate == nil)
                // when the lead worker ends it, it ends
                let lead = try await t.send(.POST, "/api/v1/cases/\(caseID)/end", token: world.fina.token, json: ["date": "2026-11-20", "reason": "goalsReached"])
                #expect(lead.status == .noContent)
            }
        }
    }
}
