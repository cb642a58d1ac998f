@testable import FallwerkDomain
import Testing

/// R21: the §8a procedure in the domain: order of steps, four eyes and ISEF, the basic-needs grid,
/// the Meldebogen due at once on weighty indications, append-only corrections, protection checks.
extension AllTests {
    @Suite("Child protection R21 (domain)")
    struct ChildProtectionRuleTests {
        typealias F = DomainFixtures

        static let today = F.day("2026-12-05")
        static let staff: Set<String> = ["a1", "b2", "c3"]
        static let external = IsefExpert(id: "isef-1", name: "Dr. Karin Vogt", organisation: "Kinderschutzzentrum")
        static let ownISEF = IsefExpert(id: "isef-2", name: "Selin Aydın", staffID: "c3")
        static let experts = ["isef-1": external, "isef-2": ownISEF]
        static let allNeeds = Dictionary(uniqueKeysWithValues: BasicNeed.allCases.map { ($0.rawValue, NeedRating.sufficient.rawValue) })

        static func procedure(_ steps: [ChildProtectionStep] = []) -> ChildProtectionProcedure {
            ChildProtectionProcedure(id: "p1", caseID: "c1", noticedOn: F.day("2026-12-01"), indications: "Hämatome", openedBy: "Mara", steps: steps)
        }

        /// Records `input` on `p`; the step, or the errors.
        static func record(_ input: ChildProtectionStepInput, on p: ChildProtectionProcedure) -> (ChildProtectionStep?, [FieldError]) {
            var v = Validator()
            let step = input.validated(into: &v, procedure: p, id: "s\(p.steps.count + 1)", recordedBy: "Mara", sequence: p.steps.count + 1,
                                       today: today, staffIDs: staff, experts: experts)
            return (step, v.errors)
        }

        /// Records `input` and returns the procedure with it; fails the test when refused.
        static func adding(_ input: ChildProtectionStepInput, to p: ChildProtectionProcedure) throws -> ChildProtectionProcedure {
            let (step, errors) = record(input, on: p)
            #expect(errors.isEmpty, "\(errors)")
            var next = p
            next.steps.append(try #require(step))
            return next
        }

        static func consultation(_ date: String = "2026-12-02") -> ChildProtectionStepInput {
            var input = ChildProtectionStepInput(kind: "consultation", date: date, note: "Beraten")
            input.participants = "Team"
            return input
        }

        static func assessment(_ level: RiskLevel, professionals: [String] = ["a1", "b2"], isef: String? = "isef-1",
                               date: String = "2026-12-02") -> ChildProtectionStepInput {
            var input = ChildProtectionStepInput(kind: "riskAssessment", date: date)
            input.professionalStaffIDs = professionals
            input.isefExpertID = isef
            input.needs = allNeeds
            input.riskLevel = level.rawValue
            return input
        }

        static func report(_ date: String = "2026-12-03") -> ChildProtectionStepInput {
            var input = ChildProtectionStepInput(kind: "reportToYouthOffice", date: date)
            input.recipient = "Jugendamt, Frau Schubert"
            input.way = "Fax"
            return input
        }

        static func assessed(_ level: RiskLevel) throws -> ChildProtectionProcedure {
            try adding(assessment(level), to: adding(consultation(), to: procedure()))
        }

        // MARK: Order

        @Test("R21 steps run in order: no assessment before the consultation, no plan before involvement, no close before an assessment")
        func order() throws {
            let (_, early) = Self.record(Self.assessment(.low), on: Self.procedure())
            #expect(early.contains { $0.field == "kind" && $0.message.contains("Fallberatung") })
            #expect(early.count == 1, "out of order, only the reason: \(early)")
            var close = ChildProtectionStepInput(kind: "closed", date: "2026-12-03")
            close.outcome = "erledigt"
            let (_, closing) = Self.record(close, on: try Self.adding(Self.consultation(), to: Self.procedure()))
            #expect(closing.contains { $0.field == "kind" && $0.message.contains("Gefährdungseinschätzung") })
            var plan = ChildProtectionStepInput(kind: "protectionPlan", date: "2026-12-03")
            plan.measures = [(what: "Betreuung", who: "Vater", byWhen: nil)]
            plan.howChecked = "Hausbesuch"
            plan.checkDates = ["2026-12-20"]
            let (_, planned) = Self.record(plan, on: try Self.assessed(.low))
            #expect(planned.contains { $0.field == "kind" && $0.message.contains("beteiligt") })
            let (_, followUp) = Self.record(ChildProtectionStepInput(kind: "followUp", date: "2026-12-03", note: "geprüft"), on: try Self.assessed(.low))
            #expect(followUp.contains { $0.field == "kind" })
            // A report is never held back by the order.
            #expect(Self.record(Self.report(), on: Self.procedure()).1.isEmpty)
            #expect(Self.procedure().nextKinds == [.consultation, .reportToYouthOffice])
        }

        @Test("R21 a step cannot lie in the future or before the indications were noticed")
        func dates() {
            let (_, future) = Self.record(Self.consultation("2026-12-06"), on: Self.procedure())
            #expect(future.contains { $0.field == "date" && $0.message.contains("Zukunft") })
            let (_, before) = Self.record(Self.consultation("2026-11-30"), on: Self.procedure())
            #expect(before.contains { $0.field == "date" && $0.message.contains("01.12.2026") })
        }

        // MARK: Four eyes and ISEF

        @Test("R21 four eyes: the risk assessment needs two of the provider's professionals")
        func fourEyes() throws {
            let p = try Self.adding(Self.consultation(), to: Self.procedure())
            let (one, alone) = Self.record(Self.assessment(.low, professionals: ["a1"]), on: p)
            #expect(one == nil)
            #expect(alone.contains { $0.field == "professionalIds" && $0.message.contains("Vier-Augen-Prinzip") })
            let (_, twice) = Self.record(Self.assessment(.low, professionals: ["a1", "A1"]), on: p)
            #expect(twice.contains { $0.field == "professionalIds" })
            let (_, stranger) = Self.record(Self.assessment(.low, professionals: ["a1", "zz"]), on: p)
            #expect(stranger.contains { $0.field == "professionalIds[1]" && $0.message.contains("keine Fachkraft") })
            #expect(Self.record(Self.assessment(.low), on: p).1.isEmpty)
        }

        @Test("R21 the risk assessment needs an ISEF from the provider's list, not one of the two assessing")
        func isef() throws {
            let p = try Self.adding(Self.consultation(), to: Self.procedure())
            #expect(Self.record(Self.assessment(.low, isef: nil), on: p).1.contains { $0.field == "isef" && $0.message.contains("ISEF") })
            #expect(Self.record(Self.assessment(.low, isef: "unknown"), on: p).1.contains { $0.field == "isef" && $0.message.contains("Liste") })
            let (_, own) = Self.record(Self.assessment(.low, professionals: ["a1", "c3"], isef: "isef-2"), on: p)
            #expect(own.contains { $0.field == "isef" && $0.message.contains("nicht zugleich") })
            #expect(Self.record(Self.assessment(.low, professionals: ["a1", "b2"], isef: "isef-2"), on: p).1.isEmpty)
        }

        @Test("R21 every basic need is rated on the four-step scale, with an overall risk level")
        func grid() throws {
            let p = try Self.adding(Self.consultation(), to: Self.procedure())
            var input = Self.assessment(.low)
            input.needs.removeValue(forKey: BasicNeed.schooling.rawValue)
            input.needs[BasicNeed.hygiene.rawValue] = "mittel"
            input.riskLevel = "medium"
            let (_, errors) = Self.record(input, on: p)
            #expect(errors.contains { $0.field == "needs.schooling" })
            #expect(errors.contains { $0.field == "needs.hygiene" })
            #expect(errors.contains { $0.field == "riskLevel" })
            #expect(BasicNeed.allCases.count == 8 && NeedRating.allCases.count == 4)
            #expect(RiskLevel.allCases.map(\.rawValue) == ["none", "low", "high", "acute"])
        }

        // MARK: Meldebogen at once

        @Test("R21 weighty indications make the Meldebogen due at once, until a report is recorded; closing waits for it")
        func reportDue() throws {
            let low = try Self.assessed(.low)
            #expect(low.reportDueSince == nil && low.reportAlert == nil)
            for level in [RiskLevel.high, .acute] {
                let weighty = try Self.assessed(level)
                #expect(weighty.reportDueSince == F.day("2026-12-02"))
                let alert = try #require(weighty.reportAlert)
                #expect(alert.kind == .childProtectionReport && alert.since == F.day("2026-12-02"))
                var close = ChildProtectionStepInput(kind: "closed", date: "2026-12-04")
                close.outcome = "Gefahr abgewendet"
                #expect(Self.record(close, on: weighty).1.contains { $0.field == "kind" && $0.message.contains("Meldung") })
                let reported = try Self.adding(Self.report(), to: weighty)
                #expect(reported.reportDueSince == nil && reported.reportAlert == nil)
                #expect(Self.record(close, on: reported).1.isEmpty)
            }
            // A new weighty assessment after the report makes a new Meldebogen due.
            let again = try Self.adding(Self.assessment(.acute, date: "2026-12-04"), to: try Self.adding(Self.report(), to: try Self.assessed(.high)))
            #expect(again.reportDueSince == F.day("2026-12-04"))
        }

        // MARK: Append-only

        @Test("R21 a correction is a new step naming the one it replaces; the old one stays, and cannot be corrected twice")
        func corrections() throws {
            let weighty = try Self.assessed(.high)
            let first = try #require(weighty.latest(.riskAssessment))
            var correction = Self.assessment(.low)
            correction.corrects = first.id
            let corrected = try Self.adding(correction, to: weighty)
            #expect(corrected.steps.count == 3)
            #expect(corrected.steps.contains(first))
            #expect(!corrected.current.contains(first))
            #expect(corrected.riskLevel == .low && corrected.reportDueSince == nil)
            var twice = Self.assessment(.acute)
            twice.corrects = first.id
            #expect(Self.record(twice, on: corrected).1.contains { $0.field == "corrects" })
            var otherKind = Self.consultation()
            otherKind.corrects = try #require(corrected.latest(.riskAssessment)).id
            #expect(Self.record(otherKind, on: corrected).1.contains { $0.field == "corrects" })
        }

        // MARK: Protection plan

        @Test("R21 a protection plan's check dates are deadlines, done by the follow-ups recorded after it")
        func checks() throws {
            var involved = ChildProtectionStepInput(kind: "guardiansInvolved", date: "2026-12-02")
            involved.guardiansInvolved = true
            involved.childInvolved = false
            #expect(Self.record(involved, on: try Self.assessed(.low)).1.contains { $0.field == "reasonNotInvolved" })
            involved.reasonNotInvolved = "Das Kind ist zwei Jahre alt."
            var p = try Self.adding(involved, to: try Self.assessed(.low))
            var plan = ChildProtectionStepInput(kind: "protectionPlan", date: "2026-12-03")
            plan.measures = [(what: "Kita täglich", who: "Mutter", byWhen: "2026-12-10")]
            plan.howChecked = "Rückfrage Kita"
            plan.checkDates = ["2026-12-04", "2026-12-20"]
            p = try Self.adding(plan, to: p)
            let before = p.deadlines(today: Self.today)
            #expect(before.map(\.due) == [F.day("2026-12-04"), F.day("2026-12-20")])
            #expect(before.map(\.status) == [.overdue, .open])
            #expect(before.allSatisfy { $0.kind == .protectionCheck })
            p = try Self.adding(ChildProtectionStepInput(kind: "followUp", date: "2026-12-05", note: "Kita bestätigt"), to: p)
            let after = p.deadlines(today: Self.today)
            #expect(after.map(\.status) == [.done, .open])
            #expect(after[0].doneOn == F.day("2026-12-05"))
        }
    }
}
