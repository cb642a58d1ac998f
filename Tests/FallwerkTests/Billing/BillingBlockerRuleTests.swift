@testable import FallwerkDomain
import Foundation
import Testing

extension AllTests {
    /// The billing blockers decided by the domain from the month's facts, without a database.
    @Suite("Billing blocker rules R8 R9 R14 R15")
    struct BillingBlockerRules {
        static func day(_ iso: String) -> Day { Day(iso: iso)! }
        static let rate = RateLookup.rate(Cents(6_240))

        static func work(_ date: String, _ minutes: Int, over: Int = 0, approved: Bool = true, rate: RateLookup = rate) -> BillingWorkFact {
            BillingWorkFact(date: day(date), billableMinutes: minutes, overBudgetMinutes: over, approved: approved, rate: rate)
        }

        static func decide(_ work: [BillingWorkFact], signed: Bool = true) -> [BillingBlocker] {
            BillingBlockers.decide(BillingMonthFacts(offerName: "Erziehungsbeistandschaft", signatureAllowsInvoice: signed, work: work))
        }

        @Test("R14 billable work without an hourly rate in the agreement of its day is a blocker naming offer, agreement and day")
        func missingRateR14() throws {
            // given: the agreement from 1 Nov names no rate for the offer; two entries fall under it
            let noRate = RateLookup.noRate(agreementFrom: Self.day("2026-11-01"), agreementTo: Self.day("2026-12-31"))
            // when
            let blockers = Self.decide([Self.work("2026-11-12", 60, rate: noRate), Self.work("2026-11-05", 90, rate: noRate),
                                        Self.work("2026-11-20", 30)])
            // then
            let blocker = try #require(blockers.first)
            #expect(blockers.count == 1)
            #expect(blocker.code == "missingRate")
            #expect(blocker.refusesIssue)
            #expect(blocker == .missingRate(MissingRate(offerName: "Erziehungsbeistandschaft", agreementFrom: Self.day("2026-11-01"),
                                                        agreementTo: Self.day("2026-12-31"), firstDay: Self.day("2026-11-05"), minutes: 150)))
            #expect(blocker.german == "Stundensatz fehlt: 2,5 Std. „Erziehungsbeistandschaft“ ab dem 05.11.2026 – die Vereinbarung ab 01.11.2026 bis 31.12.2026 nennt für dieses Angebot keinen Stundensatz")
        }

        @Test("R14 work on a day no agreement covers has no rate either; work that counts nothing needs none")
        func noAgreementR14() {
            let blockers = Self.decide([Self.work("2026-11-03", 45, rate: .noAgreement), Self.work("2026-11-04", 0, rate: .noAgreement)])
            #expect(blockers.map(\.code) == ["missingRate"])
            #expect(blockers.first?.german.hasSuffix("an diesem Tag gilt keine Vereinbarung mit dem Jugendamt") == true)
            #expect(Self.decide([Self.work("2026-11-04", 0, rate: .noAgreement)]).isEmpty)
        }

        @Test("R8 R9 R15 unsigned, no approval and over budget, in that order; over budget alone does not refuse issuing")
        func otherBlockers() {
            let blockers = Self.decide([Self.work("2026-11-10", 60, approved: false), Self.work("2026-11-03", 30, approved: false),
                                        Self.work("2026-11-20", 90, over: 45)], signed: false)
            #expect(blockers == [.unsigned, .noApproval(Self.day("2026-11-03")), .overBudget(minutes: 45)])
            #expect(blockers.map(\.code) == ["unsigned", "noApproval", "overBudget"])
            #expect(Self.decide([Self.work("2026-11-20", 90, over: 45)]).allSatisfy { !$0.refusesIssue })
            #expect(Self.decide([Self.work("2026-11-20", 90)]).isEmpty)
        }
    }
}
