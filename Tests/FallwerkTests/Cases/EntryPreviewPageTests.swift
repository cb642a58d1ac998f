@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
@testable import FallwerkWeb
import Foundation
import Testing
import Vapor

/// The entry form's preview comes from the domain, in the page and in the browser (issue 10: "the
/// browser preview and the server count cannot drift"; defect 11).
extension AllTests {
    @Suite("R9, R10 entry preview endpoint")
    struct EntryPreviewPages {
        typealias Setup = CaseWorkPages

        static func preview(_ browser: WebSession, _ caseID: String, _ query: String) async throws -> (text: String, warning: Bool) {
            let response = try await browser.get("/faelle/\(caseID)/leistungen/vorschau?\(query)")
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any] ?? [:]
            return (json["text"] as? String ?? "", json["warning"] as? Bool ?? false)
        }

        @Test("R9 the preview endpoint answers with the count after the budget, in the page's words (defect 11)")
        func R9_previewEndpointAfterBudget() async throws {
            try await TestApp.run { t in
                // given: 540 of the month's 600 minutes are used
                let s = try await Setup.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let first = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Setup.entryFields("540", start: "08:00"))
                #expect(first.status == .seeOther)
                // when: 90 more minutes are typed
                let over = try await Self.preview(browser, s.caseID, "kind=direct&date=2026-11-21&start=10:00&minutes=90")
                // then: billable after the budget, never "90 abrechenbar … 30 über dem Budget"
                #expect(over.text == "Zählt: 60 Min. abrechenbar · 90 Min. Budget, davon 30 Min. über dem Budget (ohne bestätigte Erhöhung nicht abrechenbar)")
                #expect(over.warning)
                // inside the budget: no warning
                let inside = try await Self.preview(browser, s.caseID, "kind=direct&date=2026-11-21&start=10:00&minutes=45")
                #expect(inside.text == "Zählt: 45 Min. abrechenbar · 45 Min. Budget")
                #expect(!inside.warning)
                // the same text the page shows without JavaScript
                let page = try await browser.post("/faelle/\(s.caseID)/leistungen/neu", Setup.entryFields("90", date: "2026-11-21"))
                #expect(page.body.string.contains("Zählt: 60 Min. abrechenbar · 90 Min. Budget, davon 30 Min. über dem Budget"))
            }
        }

        @Test("R10 a cancellation after the start is not previewed as short notice: the preview says what saving refuses (defect 11)")
        func R10_previewRefusesCancellationAfterStart() async throws {
            try await TestApp.run { t in
                let s = try await Setup.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let late = try await Self.preview(browser, s.caseID,
                                                  "kind=cancelled&date=2026-11-20&start=10:00&minutes=60&cancelledBy=client&cancelledAt=2026-11-20T10:30")
                #expect(late.text.hasPrefix("Noch nicht zu berechnen: Die Absage liegt nach dem Termin."))
                #expect(!late.text.contains("abrechenbar"))
                // in good time: nothing counts; at short notice: half of it
                let early = try await Self.preview(browser, s.caseID,
                                                   "kind=cancelled&date=2026-11-20&start=10:00&minutes=60&cancelledBy=client&cancelledAt=2026-11-18T09:00")
                #expect(early.text == "Zählt: 0 Min. abrechenbar · 0 Min. Budget")
                let short = try await Self.preview(browser, s.caseID,
                                                   "kind=cancelled&date=2026-11-20&start=10:00&minutes=60&cancelledBy=client&cancelledAt=2026-11-20T08:00")
                #expect(short.text == "Zählt: 30 Min. abrechenbar · 60 Min. Budget")
            }
        }

        @Test("R9 without an approval for the day the preview text bills nothing and says why (defect 11)")
        func R9_previewTextWithoutApproval() {
            let count = EntryCount(billableMinutes: 90, budgetMinutes: 90)
            let uncovered = EntryPreview(count: count, billableMinutes: 0, overBudgetMinutes: 90, travel: .zero, window: nil)
            let text = EntryFormPage.previewText(uncovered, date: Day(iso: "2026-12-02")!)
            #expect(text == "Zählt: 0 Min. abrechenbar · Für den 02.12.2026 gibt es keine Bewilligung; abrechenbar erst, wenn eine Bewilligung eingetragen ist.")
            #expect(!text.contains("90 Min. abrechenbar"))
            #expect(EntryFormPage.previewWarns(uncovered))
        }

        @Test("The entry form's script keeps no copy of the counting rules; it asks the server")
        func previewScriptHasNoRules() async throws {
            // given the script and the form
            let script = Assets.entryScript
            // then: it fetches the preview and carries none of R10/R13's numbers or formulas
            #expect(script.contains("fetch("))
            for copy in ["percent(", "round(", "shortBillable", "rounding", "onboarding", "report"] {
                #expect(!script.contains(copy), "\(copy)")
            }
            try await TestApp.run { t in
                let s = try await Setup.setUp(t)
                let browser = WebSession(t)
                try await browser.login("fina")
                let form = try await browser.get("/faelle/\(s.caseID)/leistungen/neu").body.string
                #expect(form.contains(#"data-preview-url="/faelle/\#(s.caseID)/leistungen/vorschau""#))
                #expect(!form.contains("data-short-billable"))
            }
        }
    }
}
