@testable import FallwerkDomain
import Foundation
import Testing

/// Checking a service entry as typed (R10, R13): every rule with the field it names and a German message.
extension AllTests {
    @Suite("EntryInput validation: minutes, times, cancellations, dates, home visits")
    struct EntryInputTests {
        typealias F = DomainFixtures

        static let today = F.day("2026-11-22")
        static let base = EntryInput(date: "2026-11-20", start: "10:00", minutes: 60, kind: "direct")

        static func check(_ input: EntryInput, allowedKinds: [EntryKind] = EntryKind.recordable) -> (facts: EntryFacts?, errors: [FieldError]) {
            var v = Validator()
            let facts = input.validated(into: &v, today: today, allowedKinds: allowedKinds)
            return (facts, v.errors)
        }

        static func fields(_ input: EntryInput) -> [String] { check(input).errors.map(\.field) }
        static func message(_ input: EntryInput, _ field: String) -> String {
            check(input).errors.first { $0.field == field }?.message ?? ""
        }

        static func with(_ change: (inout EntryInput) -> Void) -> EntryInput {
            var input = base
            change(&input)
            return input
        }

        @Test("EntryInput a plain entry passes and becomes facts")
        func valid() {
            let result = Self.check(Self.base)
            #expect(result.errors.isEmpty)
            #expect(result.facts == EntryFacts(kind: .direct, date: F.day("2026-11-20"), start: F.time("10:00"), minutes: 60))
        }

        @Test("EntryInput minutes 0, negative and 1441 are rejected; 1 and 1440 pass", arguments: [0, -1, -60, 1_441, 10_000])
        func badMinutes(minutes: Int) {
            let input = Self.with { $0.minutes = minutes }
            #expect(Self.fields(input) == ["minutes"])
            #expect(Self.check(input).facts == nil)
            let message = Self.message(input, "minutes")
            #expect(message.contains("Minute") || message.contains("Dauer"))
        }

        @Test("EntryInput a whole day (1440 minutes) and a single minute are fine")
        func boundaryMinutes() {
            #expect(Self.check(Self.with { $0.minutes = 1_440 }).facts?.minutes == 1_440)
            #expect(Self.check(Self.with { $0.minutes = 1 }).facts?.minutes == 1)
            #expect(Self.message(Self.with { $0.minutes = 1_441 }, "minutes").contains("1440"))
            #expect(Self.message(Self.with { $0.minutes = 0 }, "minutes").contains("mindestens eine Minute"))
        }

        @Test("EntryInput an end before (or at) the start is rejected on 'end'; an end after it gives the minutes")
        func endAndStart() {
            let backwards = Self.with { $0.minutes = nil; $0.end = "09:30" }
            #expect(Self.fields(backwards) == ["end"])
            #expect(Self.message(backwards, "end").contains("vor dem Beginn"))
            #expect(Self.fields(Self.with { $0.minutes = nil; $0.end = "10:00" }) == ["end"])
            #expect(Self.check(Self.with { $0.minutes = nil; $0.end = "11:30" }).facts?.minutes == 90)
            #expect(Self.check(Self.with { $0.minutes = 90; $0.end = "11:30" }).facts?.minutes == 90)
            #expect(Self.fields(Self.with { $0.minutes = 60; $0.end = "11:30" }) == ["minutes"])
            #expect(Self.fields(Self.with { $0.minutes = nil }) == ["minutes"])
            #expect(Self.fields(Self.with { $0.start = "25:00" }) == ["start"])
            #expect(Self.fields(Self.with { $0.start = nil }) == ["start"])
        }

        static func cancellation(by: String? = "client", at: String?, date: String = "2026-11-20") -> EntryInput {
            EntryInput(date: date, start: "10:00", minutes: 60, kind: "cancelled", cancelledBy: by, cancelledAt: at)
        }

        @Test("EntryInput a cancellation after the appointment's start is rejected; at or before it is fine")
        func cancellationAfterAppointment() {
            let late = Self.cancellation(at: "2026-11-20T10:01")
            #expect(Self.fields(late) == ["cancelledAt"])
            #expect(Self.message(late, "cancelledAt").contains("nach dem Termin"))
            #expect(Self.fields(Self.cancellation(at: "2026-11-20T09:01:00Z")) == ["cancelledAt"])  // 10:01 Berlin
            #expect(Self.fields(Self.cancellation(at: "2026-11-20T10:00")).isEmpty)
            let facts = Self.check(Self.cancellation(at: "2026-11-19T18:00")).facts
            #expect(facts?.cancelledBy == .client)
            #expect(facts?.cancelledAt == F.at("2026-11-19T18:00"))
        }

        @Test("EntryInput a cancellation needs who cancelled; a client's also when")
        func cancellationNeedsWho() {
            let nobody = Self.cancellation(by: nil, at: "2026-11-19T10:00")
            #expect(Self.fields(nobody) == ["cancelledBy"])
            #expect(Self.message(nobody, "cancelledBy").contains("abgesagt"))
            #expect(Self.fields(Self.cancellation(by: "jemand", at: "2026-11-19T10:00")) == ["cancelledBy"])
            let when = Self.cancellation(by: "client", at: nil)
            #expect(Self.fields(when) == ["cancelledAt"])
            #expect(Self.message(when, "cancelledAt").contains("Absage"))
            #expect(Self.fields(Self.cancellation(by: "client", at: "gestern")) == ["cancelledAt"])
            // The provider's own cancellation counts nothing, so its time is optional.
            #expect(Self.fields(Self.cancellation(by: "provider", at: nil)).isEmpty)
        }

        @Test("EntryInput a future date is rejected except for a cancellation recorded ahead")
        func futureDate() {
            let tomorrow = Self.with { $0.date = "2026-11-23" }
            #expect(Self.fields(tomorrow) == ["date"])
            #expect(Self.message(tomorrow, "date").contains("Zukunft"))
            #expect(Self.fields(Self.with { $0.date = "2026-11-22" }).isEmpty)
            for kind in ["noShow", "crisis", "report", "indirect"] {
                #expect(Self.fields(Self.with { $0.date = "2026-11-23"; $0.kind = kind }) == ["date"], "\(kind)")
            }
            #expect(Self.fields(Self.cancellation(at: "2026-11-21T10:00", date: "2026-11-30")).isEmpty)
        }

        @Test("EntryInput a home visit on a report (or other non-visit) is rejected; on a contact it is fine")
        func homeVisit() {
            let report = Self.with { $0.kind = "report"; $0.homeVisit = true }
            #expect(Self.fields(report) == ["homeVisit"])
            #expect(Self.message(report, "homeVisit").contains("Hausbesuch"))
            for kind in ["institution", "planningMeeting", "indirect"] {
                #expect(Self.fields(Self.with { $0.kind = kind; $0.homeVisit = true }) == ["homeVisit"], "\(kind)")
            }
            // R10, decision 0015: "nicht angetroffen" at the door was a trip
            #expect(Self.fields(Self.with { $0.kind = "noShow"; $0.homeVisit = true }).isEmpty)
            let visit = Self.check(Self.with { $0.homeVisit = true; $0.kilometres = 12 })
            #expect(visit.errors.isEmpty)
            #expect(visit.facts?.homeVisit == true && visit.facts?.kilometres == 12)
            #expect(Self.fields(Self.with { $0.homeVisit = true; $0.kilometres = -1 }) == ["kilometres"])
        }

        @Test("EntryInput kinds: unknown or empty rejected, group shares only where allowed")
        func kinds() {
            #expect(Self.fields(Self.with { $0.kind = "kaffee" }) == ["kind"])
            #expect(Self.fields(Self.with { $0.kind = nil }) == ["kind"])
            #expect(Self.fields(Self.with { $0.kind = "group" }) == ["kind"])
            #expect(Self.check(Self.with { $0.kind = "group" }, allowedKinds: EntryKind.allCases).facts?.kind == .group)
            #expect(Self.message(Self.with { $0.kind = "kaffee" }, "kind").contains("Art der Leistung"))
        }

        @Test("EntryInput reports every problem at once, each in German")
        func allErrorsAtOnce() {
            let input = EntryInput(date: "2026-13-01", start: "x", minutes: 0, kind: "report", homeVisit: true)
            let errors = Self.check(input).errors
            #expect(Set(errors.map(\.field)) == ["date", "start", "minutes", "homeVisit"])
            #expect(errors.allSatisfy { $0.message.hasPrefix("Bitte") || $0.message.contains(" ") })
            #expect(errors.allSatisfy { !$0.message.isEmpty && $0.message.hasSuffix(".") })
        }
    }
}
