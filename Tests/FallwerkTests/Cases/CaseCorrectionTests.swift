@testable import FallwerkApp
@testable import FallwerkDomain
@testable import FallwerkStore
import Fluent
import FallwerkWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// Corrections users need daily (issue 10): a case's data, persons and staff; ending a substitution;
/// an approval or increase corrected or deleted while no issued invoice was counted with it (R8, R9, R16).
extension AllTests {
    @Suite("Corrections of cases and approvals")
    struct CaseCorrectionTests {
        typealias F = DomainFixtures

        static func span(_ from: String, _ to: String) -> ApprovalRules.Span { ApprovalRules.Span(from: F.day(from), to: F.day(to)) }

        @Test("R16 R8 an approval is fixed once an issued invoice of a month it covers (before or after the change) was counted with it")
        func correctionRefusalDomain() {
            let invoiced: Set<Month> = [Month(iso: "2026-10")!]
            // an approval from November on is free to change; moving it into October is not
            #expect(ApprovalRules.correctionRefusal(before: Self.span("2026-11-01", "2027-04-30"), after: Self.span("2026-11-01", "2027-03-31"),
                                                    invoicedMonths: invoiced) == nil)
            #expect(ApprovalRules.correctionRefusal(before: Self.span("2026-11-01", "2027-04-30"), after: Self.span("2026-10-15", "2027-04-30"),
                                                    invoicedMonths: invoiced)?.contains("Oktober 2026") == true)
            // deleting one that covers October is refused, naming the month
            let refusal = ApprovalRules.correctionRefusal(before: Self.span("2026-09-01", "2027-02-28"), after: nil, invoicedMonths: invoiced)
            #expect(refusal?.contains("Für Oktober 2026 ist schon eine Rechnung gestellt") == true)
            #expect(refusal?.contains("Stornieren Sie zuerst die Rechnung") == true)
        }

        @Test("R8 approvals of a case never overlap and lie within the case; the approval being corrected is not its own clash")
        func dateErrorsDomain() {
            let others = [Self.span("2026-04-01", "2026-09-30")]
            let clash = ApprovalRules.dateErrors(Self.span("2026-09-01", "2027-02-28"), others: others, caseStart: F.day("2026-04-01"), caseEnd: nil)
            #expect(clash == [FieldError("from", "Diese Bewilligung überschneidet sich mit der vom 01.04.2026 bis 30.09.2026.")])
            #expect(ApprovalRules.dateErrors(Self.span("2026-10-01", "2027-03-31"), others: others, caseStart: F.day("2026-04-01"), caseEnd: nil).isEmpty)
            let outside = ApprovalRules.dateErrors(Self.span("2027-01-01", "2027-06-30"), others: [], caseStart: F.day("2026-04-01"),
                                                   caseEnd: F.day("2026-12-31"))
            #expect(outside.map(\.field) == ["from"])
            #expect(ApprovalRules.dateErrors(Self.span("2025-01-01", "2025-12-31"), others: [], caseStart: F.day("2026-04-01"), caseEnd: nil)
                .map(\.field) == ["to"])
        }

        @Test("R8 an approval keeps the staff it names: read back through the API as they were sent")
        func approvalNamesItsStaff() async throws {
            try await TestApp.run { t in
                let w = try await CaseWorld.make(t)
                // when an approval names the case's worker
                _ = try await t.create("/api/v1/cases/\(w.lenaCase)/approvals", token: w.managementToken,
                                       ["from": "2026-10-01", "to": "2027-03-31", "hours": "10", "per": "month", "staffIds": [w.finaStaffID]])
                // then the case's approvals name exactly that worker
                let approvals = try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)/approvals", token: w.managementToken).jsonArray()
                #expect(approvals.count == 1)
                #expect((approvals.first?["staffIds"] as? [String])?.map { $0.lowercased() } == [w.finaStaffID.lowercased()])
            }
        }

        @Test("R16 R6 R8 a correction keeps youth office and offer once invoiced, and the start before recorded work and the end")
        func correctionRulesDomain() {
            func fields(office: String = "a", offer: String = "o", invoiced: Bool = false, start: String = "2026-10-01",
                        first: String? = nil, end: String? = nil) -> [String] {
                CaseCorrectionRules.errors(youthOffice: ("a", office), offer: ("o", offer), invoiced: invoiced, newStart: F.day(start),
                                           firstEntry: first.map(F.day), end: end.map(F.day)).map(\.field)
            }
            #expect(fields(office: "b", offer: "p").isEmpty)
            #expect(fields(office: "b", offer: "p", invoiced: true) == ["youthOfficeId", "offerId"])
            #expect(fields(invoiced: true).isEmpty)
            #expect(fields(start: "2026-11-03", first: "2026-11-02") == ["startDate"])
            #expect(fields(start: "2026-11-02", first: "2026-11-02").isEmpty)
            #expect(fields(start: "2026-12-01", end: "2026-11-30") == ["startDate"])
        }

        @Test("PUT /cases/{id} corrects file number, persons and lead; the former lead keeps their work as an ended co-worker; audited without names")
        func apiCorrectsCase() async throws {
            try await TestApp.run { t in
                // given Lena's case led by fina, with an entry of fina's
                let w = try await CaseWorld.make(t)
                _ = try await t.create("/api/v1/cases/\(w.lenaCase)/entries", token: w.managementToken,
                                       ["staffId": w.finaStaffID, "date": "2026-11-02", "start": "10:00", "minutes": 60, "kind": "direct"])
                let vera = try await t.create("/api/v1/staff", token: w.managementToken, Fixtures.staff(teamId: w.northTeamID, lastName: "Vogt"))
                var body = Fixtures.caseBody(youthOfficeId: w.officeID, offerId: w.offerID, leadStaffId: vera, fileNumber: "51.2-2026-0001a",
                                             firstName: "Lena", lastName: "Sommer-Kühn")
                body["guardians"] = [["firstName": "Sabine", "lastName": "Sommer", "relation": "Mutter", "phone": "0171 9999999"]]
                // when management corrects it
                let saved = try await t.send(.PUT, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken, json: body)
                // then
                #expect(saved.status == .noContent, "\(saved.body.string)")
                let read = try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken).json()
                #expect(read["fileNumber"] as? String == "51.2-2026-0001a")
                #expect((read["youngPerson"] as? [String: Any])?["lastName"] as? String == "Sommer-Kühn")
                #expect(((read["guardians"] as? [[String: Any]])?.first)?["phone"] as? String == "0171 9999999")
                let staff = try #require(read["staff"] as? [[String: Any]])
                #expect(staff.contains { ($0["staffId"] as? String)?.lowercased() == vera.lowercased() && $0["role"] as? String == "lead" })
                let former = try #require(staff.first { ($0["staffId"] as? String)?.lowercased() == w.finaStaffID.lowercased() })
                #expect(former["role"] as? String == "coWorker")
                #expect(former["to"] as? String == "2026-11-21")  // yesterday: from today on she no longer works on the case
                let entries = try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)/entries?month=2026-11", token: w.managementToken).jsonArray()
                #expect(entries.count == 1)
                let audit = try await AuditEntryModel.query(on: t.db).filter(\.$entity == "case").filter(\.$action == "update").all()
                let logged = audit.map(\.changes).joined()
                #expect(logged.contains("fileNumber") && logged.contains("lead") && logged.contains("persons"))
                #expect(!logged.contains("Sommer-Kühn") && !logged.contains("0171"))

                // a file number another case of the office has is a field error; nothing changes
                body["fileNumber"] = "51.2-2026-0002"  // Jonas's, at the neighbouring office
                body["youthOfficeId"] = w.otherOfficeID
                let clash = try await t.send(.PUT, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken, json: body)
                #expect(clash.status == .unprocessableEntity)
                #expect(try clash.problemFields() == ["fileNumber"])
                #expect(try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken).json()["fileNumber"] as? String == "51.2-2026-0001a")
            }
        }

        @Test("R6 R31 only the lead worker's team lead and management correct a case: a caseworker is refused in the API and on the page alike")
        func correctionsNeedLead() async throws {
            try await TestApp.run { t in
                let w = try await CaseWorld.make(t)
                let session = try await t.send(.POST, "/api/v1/session", json: ["username": "fina", "password": TestApp.password])
                let fina = try session.json()["token"] as? String ?? ""
                let body = Fixtures.caseBody(youthOfficeId: w.officeID, offerId: w.offerID, leadStaffId: w.finaStaffID, fileNumber: "51.2-2026-0009",
                                             firstName: "Lena", lastName: "Sommer")
                let api = try await t.send(.PUT, "/api/v1/cases/\(w.lenaCase)", token: fina, json: body)
                #expect(api.status == .forbidden)
                #expect(api.isProblemJSON)
                let page = WebSession(t)
                try await page.login("fina")
                #expect(try await page.get("/faelle/\(w.lenaCase.lowercased())/bearbeiten").status == .forbidden)
                // a team lead of another team who only substitutes on the case is refused by the case policy, not the role
                let user = try await t.addUser("sven", .teamLead)
                var staff = Fixtures.staff(teamId: w.southTeamID, lastName: "Sauer")
                staff["userId"] = user.uuidString
                let sven = try await t.create("/api/v1/staff", token: w.managementToken, staff)
                #expect(try await t.send(.POST, "/api/v1/cases/\(w.lenaCase)/substitutes", token: w.managementToken,
                                         json: ["staffId": sven, "from": "2026-11-01", "to": "2026-12-31"]).status == .noContent)
                let svenToken = try (try await t.send(.POST, "/api/v1/session", json: ["username": "sven", "password": TestApp.password])).json()["token"] as? String ?? ""
                #expect(try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)", token: svenToken).status == .ok)
                let substitute = try await t.send(.PUT, "/api/v1/cases/\(w.lenaCase)", token: svenToken, json: body)
                #expect(substitute.status == .forbidden)
                #expect(substitute.body.string.contains("fallführende Fachkraft, die Teamleitung und die Leitung"))
                let svenPage = WebSession(t)
                try await svenPage.login("sven")
                #expect(try await svenPage.get("/faelle/\(w.lenaCase.lowercased())/bearbeiten").status == .forbidden)
                #expect(try await t.send(.GET, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken).json()["fileNumber"] as? String == "51.2-2026-0001")
            }
        }

        @Test("The edit page shows the stored values escaped, keeps what was typed on an error, and saves a correction")
        func editPage() async throws {
            try await TestApp.run { t in
                // given a case whose youth office caseworker has quotes in the name
                let w = try await CaseWorld.make(t)
                let odd = #"Frau "Albers" <Amt> & 'Co'"#
                var body = Fixtures.caseBody(youthOfficeId: w.officeID, offerId: w.offerID, leadStaffId: w.finaStaffID, fileNumber: "51.2-2026-0001",
                                             firstName: "Lena", lastName: "Sommer")
                body["youthOfficeCaseworker"] = odd
                #expect(try await t.send(.PUT, "/api/v1/cases/\(w.lenaCase)", token: w.managementToken, json: body).status == .noContent)
                let lead = try await t.addUser("tina", .teamLead)
                let tina = try await t.create("/api/v1/staff", token: w.managementToken, {
                    var staff = Fixtures.staff(teamId: w.northTeamID, lastName: "Thal"); staff["userId"] = lead.uuidString; return staff }())
                var team = Fixtures.team()
                team["leadStaffId"] = tina
                #expect(try await t.send(.PUT, "/api/v1/teams/\(w.northTeamID)", token: w.managementToken, json: team).status == .noContent)
                let page = WebSession(t)
                try await page.login("tina")
                let path = "/faelle/\(w.lenaCase.lowercased())/bearbeiten"
                // when the team lead opens the form
                let form = try await page.get(path)
                // then the values are there, escaped
                #expect(form.status == .ok)
                #expect(form.body.string.contains(#"value="Frau &quot;Albers&quot; &lt;Amt&gt; &amp; &#39;Co&#39;""#))
                #expect(form.body.string.contains(#"value="51.2-2026-0001""#))
                // when a required field is emptied, the typed values stay
                let typed = "Neue Schreibweise „Sommer“ – 3 000 Zeichen später"
                let failed = try await page.post(path, [
                    "youthOfficeId": w.officeID, "offerId": w.offerID, "leadStaffId": w.finaStaffID, "fileNumber": "",
                    "startDate": "2026-10-01", "youngPerson.firstName": "Lena", "youngPerson.lastName": typed,
                    "youngPerson.birthDate": "2012-04-03", "youthOfficeCaseworker": odd])
                #expect(failed.status == .unprocessableEntity)
                #expect(failed.body.string.contains("Bitte prüfen Sie Ihre Eingaben"))
                #expect(failed.body.string.contains(HTMLEscape.attribute(typed)))
                // when saved properly, the case page shows it
                let saved = try await page.post(path, [
                    "youthOfficeId": w.officeID, "offerId": w.offerID, "leadStaffId": w.finaStaffID, "fileNumber": "51.2-2026-0001b",
                    "startDate": "2026-10-01", "youngPerson.firstName": "Lena", "youngPerson.lastName": "Sommer",
                    "youngPerson.birthDate": "2012-04-03", "youthOfficeCaseworker": odd])
                #expect(saved.status == .seeOther)
                #expect(try await page.get("/faelle/\(w.lenaCase.lowercased())").body.string.contains("51.2-2026-0001b"))
            }
        }

        @Test("R27 a substitution is ended from the case page on a day; one that has not begun is removed")
        func endSubstitution() async throws {
            try await TestApp.run { t in
                let w = try await CaseWorld.make(t)
                let vera = try await t.create("/api/v1/staff", token: w.managementToken, Fixtures.staff(teamId: w.northTeamID, lastName: "Vogt"))
                #expect(try await t.send(.POST, "/api/v1/cases/\(w.lenaCase)/substitutes", token: w.managementToken,
                                         json: ["staffId": vera, "from": "2026-11-15", "to": "2026-12-31"]).status == .noContent)
                let row = try #require(try await CaseAssignmentModel.query(on: t.db).filter(\.$role == "substitute").first())
                let page = WebSession(t)
                try await t.addUser("leitung", .management, .accounting)
                try await page.login("leitung")
                let detail = try await page.get("/faelle/\(w.lenaCase.lowercased())")
                #expect(detail.body.string.contains("Vertretung heute beenden"))
                let ended = try await page.post("/faelle/\(w.lenaCase.lowercased())/vertretungen/\(row.id!.uuidString.lowercased())/beenden",
                                                ["lastDay": "2026-11-22"])
                #expect(ended.status == .seeOther)
                #expect(try await CaseAssignmentModel.find(row.id, on: t.db)?.toDate == "2026-11-22")
                // one that starts later is removed when ended before it began
                #expect(try await t.send(.POST, "/api/v1/cases/\(w.lenaCase)/substitutes", token: w.managementToken,
                                         json: ["staffId": vera, "from": "2027-01-10", "to": "2027-01-31"]).status == .noContent)
                let later = try #require(try await CaseAssignmentModel.query(on: t.db).filter(\.$fromDate == "2027-01-10").first())
                _ = try await page.post("/faelle/\(w.lenaCase.lowercased())/vertretungen/\(later.id!.uuidString.lowercased())/beenden",
                                        ["lastDay": "2026-11-22"])
                #expect(try await CaseAssignmentModel.find(later.id, on: t.db) == nil)
            }
        }

        @Test("R8 R9 R16 an approval is corrected and deleted through the API and the page, its increase too, until an invoice of its months is issued")
        func approvalCorrections() async throws {
            try await TestApp.run { t in
                // given a case with 8 h per month from October and 3 h in November
                let w = try await GoldenWorld.make(t, offer: ["name": "Erziehungsbeistand", "legalBasis": "§ 30 SGB VIII"],
                                                   agreements: [("2026-01-01", nil, "60.00", ["requireClientSignature": false])])
                let c = try await w.openCase("51.2-2026-0611", approval: ("2026-10-01", "2027-03-31", "8", "month"))
                try await w.record(c, "2026-11-03", "10:00", 180, "direct")
                let approval = try #require(try await t.send(.GET, "/api/v1/cases/\(c)/approvals", token: w.admin).jsonArray().first?["id"] as? String)
                func budget() async throws -> Int? {
                    try await t.send(.GET, "/api/v1/cases/\(c)/budget?date=2026-11-10", token: w.admin).json()["approvedMinutes"] as? Int
                }
                #expect(try await budget() == 480)
                // when the hours were a typo (6, not 8)
                let fixed = try await t.send(.PUT, "/api/v1/cases/\(c)/approvals/\(approval)", token: w.admin,
                                             json: ["from": "2026-10-01", "to": "2027-03-31", "hours": "6", "per": "month"])
                #expect(fixed.status == .noContent, "\(fixed.body.string)")
                #expect(try await budget() == 360)
                // an overlap with another approval is a field error
                _ = try await t.create("/api/v1/cases/\(c)/approvals", token: w.admin, ["from": "2027-04-01", "to": "2027-09-30", "hours": "6", "per": "month"])
                let overlap = try await t.send(.PUT, "/api/v1/cases/\(c)/approvals/\(approval)", token: w.admin,
                                               json: ["from": "2026-10-01", "to": "2027-04-30", "hours": "6", "per": "month"])
                #expect(overlap.status == .unprocessableEntity)
                #expect(try overlap.problemFields() == ["from"])
                // an increase recorded by mistake is deleted
                let increase = try await t.create("/api/v1/cases/\(c)/approvals/\(approval)/increases", token: w.admin,
                                                  ["hours": "2", "confirmedOn": "2026-11-10"])
                #expect(try await budget() == 480)
                #expect(try await t.send(.DELETE, "/api/v1/cases/\(c)/approvals/\(approval)/increases/\(increase)", token: w.admin).status == .noContent)
                #expect(try await budget() == 360)
                // on the page, the correction form shows the stored hours and saves a correction
                let page = WebSession(t)
                try await t.addUser("leitung", .management, .accounting)
                try await page.login("leitung")
                let casePage = try await page.get("/faelle/\(c.lowercased())")
                #expect(casePage.body.string.contains("Bewilligung korrigieren"))
                let pageFix = try await page.post("/faelle/\(c.lowercased())/bewilligungen/\(approval.lowercased())",
                                                  ["from": "2026-10-01", "to": "2027-03-31", "hours": "7,5", "per": "month"])
                #expect(pageFix.status == .seeOther)
                #expect(try await budget() == 450)
                let badFix = try await page.post("/faelle/\(c.lowercased())/bewilligungen/\(approval.lowercased())",
                                                 ["from": "2026-10-01", "to": "2026-09-01", "hours": "7,5", "per": "month"])
                #expect(badFix.status == .unprocessableEntity)
                #expect(badFix.body.string.contains("Das Ende der Bewilligung liegt vor ihrem Beginn."))
                #expect(badFix.body.string.contains(#"value="2026-09-01""#))

                // when November is issued, the approval is fixed: correcting and deleting are refused in German
                let draft = try await w.bill("2026-11", caseID: c)
                let issued = try await t.send(.POST, "/api/v1/invoices/\(draft.id)/issue", token: w.admin)
                #expect(issued.status == .ok, "\(issued.body.string)")
                let late = try await t.send(.PUT, "/api/v1/cases/\(c)/approvals/\(approval)", token: w.admin,
                                            json: ["from": "2026-10-01", "to": "2027-03-31", "hours": "20", "per": "month"])
                #expect(late.status == .unprocessableEntity)
                #expect(late.body.string.contains("Für November 2026 ist schon eine Rechnung gestellt"))
                let delete = try await t.send(.DELETE, "/api/v1/cases/\(c)/approvals/\(approval)", token: w.admin)
                #expect(delete.status == .unprocessableEntity)
                #expect(try await budget() == 450)
                // the later approval, untouched by the invoice, can still be deleted
                let later = try #require(try await t.send(.GET, "/api/v1/cases/\(c)/approvals", token: w.admin).jsonArray()
                    .first { $0["from"] as? String == "2027-04-01" }?["id"] as? String)
                #expect(try await t.send(.DELETE, "/api/v1/cases/\(c)/approvals/\(later)", token: w.admin).status == .noContent)
                #expect(try await t.send(.GET, "/api/v1/cases/\(c)/approvals", token: w.admin).jsonArray().count == 1)
                #expect(try await AuditEntryModel.query(on: t.db).filter(\.$entity == "approval").filter(\.$action == "delete").count() == 1)
            }
        }
    }
}

extension WebSession {
    /// Posts a form given as a literal list of fields, in order.
    @discardableResult
    func post(_ path: String, _ fields: KeyValuePairs<String, String>) async throws -> PageResponse {
        try await post(path, fields.map { ($0.key, $0.value) })
    }
}
