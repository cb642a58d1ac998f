@testable import FallwerkDomain
import Foundation
import Testing

/// Europe/Berlin computed without tzdata (CET, CEST from the last Sunday of March to the last Sunday of
/// October, switching at 01:00 UTC), and the API's ISO 8601 date-times.
extension AllTests {
    @Suite("Berlin time and ISO date-times")
    struct BerlinTimeTests {
        typealias F = DomainFixtures

        static func utc(_ text: String) -> Date { F.at(text + "Z") }
        static func berlin(_ day: String, _ time: String) -> Date { BerlinTime.instant(F.day(day), F.time(time)) }

        @Test("Berlin winter time is UTC+1, summer time UTC+2")
        func offsets() {
            #expect(Self.berlin("2026-01-15", "12:00") == Self.utc("2026-01-15T11:00"))
            #expect(Self.berlin("2026-12-31", "23:30") == Self.utc("2026-12-31T22:30"))
            #expect(Self.berlin("2026-07-15", "12:00") == Self.utc("2026-07-15T10:00"))
            #expect(Self.berlin("2026-07-15", "00:30") == Self.utc("2026-07-14T22:30"))
            #expect(DateTimeText.format(Self.utc("2026-01-15T11:00")) == "2026-01-15T12:00:00+01:00")
            #expect(DateTimeText.format(Self.utc("2026-07-15T10:00")) == "2026-07-15T12:00:00+02:00")
        }

        @Test("Berlin switches to summer time on Sunday 29.03.2026 at 02:00 local (01:00 UTC)")
        func springSwitch() {
            #expect(BerlinTime.lastSunday(year: 2026, month: 3) == F.day("2026-03-29"))
            #expect(Self.berlin("2026-03-29", "01:59") == Self.utc("2026-03-29T00:59"))
            #expect(Self.berlin("2026-03-29", "03:00") == Self.utc("2026-03-29T01:00"))
            #expect(Self.berlin("2026-03-28", "12:00") == Self.utc("2026-03-28T11:00"))
            #expect(Self.berlin("2026-03-30", "12:00") == Self.utc("2026-03-30T10:00"))
            // 02:30 does not exist that night; it is read as winter time.
            #expect(Self.berlin("2026-03-29", "02:30") == Self.utc("2026-03-29T01:30"))
            // The day has 23 hours.
            #expect(Self.berlin("2026-03-30", "00:00").timeIntervalSince(Self.berlin("2026-03-29", "00:00")) == 23 * 3_600)
            #expect(BerlinTime.local(Self.utc("2026-03-29T00:59")) == (F.day("2026-03-29"), F.time("01:59")))
            #expect(BerlinTime.local(Self.utc("2026-03-29T01:00")) == (F.day("2026-03-29"), F.time("03:00")))
        }

        @Test("Berlin switches back to winter time on Sunday 25.10.2026 at 03:00 local (01:00 UTC)")
        func autumnSwitch() {
            #expect(BerlinTime.lastSunday(year: 2026, month: 10) == F.day("2026-10-25"))
            #expect(Self.berlin("2026-10-25", "01:59") == Self.utc("2026-10-24T23:59"))
            #expect(Self.berlin("2026-10-25", "03:00") == Self.utc("2026-10-25T02:00"))
            #expect(Self.berlin("2026-10-24", "12:00") == Self.utc("2026-10-24T10:00"))
            #expect(Self.berlin("2026-10-26", "12:00") == Self.utc("2026-10-26T11:00"))
            // 02:30 happens twice; the earlier (summer-time) instant is taken.
            #expect(Self.berlin("2026-10-25", "02:30") == Self.utc("2026-10-25T00:30"))
            // The day has 25 hours.
            #expect(Self.berlin("2026-10-26", "00:00").timeIntervalSince(Self.berlin("2026-10-25", "00:00")) == 25 * 3_600)
            #expect(BerlinTime.local(Self.utc("2026-10-25T00:59")) == (F.day("2026-10-25"), F.time("02:59")))
            #expect(BerlinTime.local(Self.utc("2026-10-25T01:00")) == (F.day("2026-10-25"), F.time("02:00")))
        }

        @Test("Berlin switch days follow the last Sundays in other years too")
        func otherYears() {
            #expect(BerlinTime.lastSunday(year: 2027, month: 3) == F.day("2027-03-28"))
            #expect(BerlinTime.lastSunday(year: 2027, month: 10) == F.day("2027-10-31"))
            #expect(BerlinTime.lastSunday(year: 2025, month: 3) == F.day("2025-03-30"))
            #expect(BerlinTime.lastSunday(year: 2025, month: 10) == F.day("2025-10-26"))
            #expect(Self.berlin("2027-03-28", "12:00") == Self.utc("2027-03-28T10:00"))
            #expect(Self.berlin("2027-03-27", "12:00") == Self.utc("2027-03-27T11:00"))
            #expect(Self.berlin("2027-10-30", "12:00") == Self.utc("2027-10-30T10:00"))
            #expect(Self.berlin("2027-10-31", "12:00") == Self.utc("2027-10-31T11:00"))
        }

        @Test("Berlin local time round-trips through an instant, all year")
        func roundTrip() {
            var day = F.day("2026-01-01")
            while day <= F.day("2026-12-31") {
                for minute in stride(from: 0, to: 1_440, by: 97) {
                    let time = TimeOfDay(minuteOfDay: minute)!
                    // Skip the hour that does not exist in spring.
                    if day == F.day("2026-03-29") && (120..<180).contains(minute) { continue }
                    let local = BerlinTime.local(BerlinTime.instant(day, time))
                    #expect(local.day == day && local.time == time, "\(day) \(time)")
                }
                day = day.adding(days: 1)
            }
        }

        @Test("Berlin ISO date-times parse with Z, with an offset, and without one as Berlin time")
        func parsing() {
            let instant = Self.utc("2026-11-20T07:15")
            #expect(DateTimeText.parse("2026-11-20T07:15:00Z") == instant)
            #expect(DateTimeText.parse("2026-11-20T07:15:00z") == instant)
            #expect(DateTimeText.parse("2026-11-20T08:15:00+01:00") == instant)
            #expect(DateTimeText.parse("2026-11-20T09:15:00+02:00") == instant)
            #expect(DateTimeText.parse("2026-11-20T02:15:00-05:00") == instant)
            #expect(DateTimeText.parse("2026-11-20T08:15+0100") == instant)
            #expect(DateTimeText.parse("2026-11-20T08:15:00.250+01:00") == instant)
            // Without an offset: Berlin, winter and summer.
            #expect(DateTimeText.parse("2026-11-20T08:15") == instant)
            #expect(DateTimeText.parse("2026-11-20 08:15:00") == instant)
            #expect(DateTimeText.parse("2026-07-20T09:15") == Self.utc("2026-07-20T07:15"))
            // Seconds are kept.
            #expect(DateTimeText.parse("2026-11-20T08:15:30+01:00") == instant.addingTimeInterval(30))
            // What format writes, parse reads.
            for text in ["2026-11-20T08:15:00+01:00", "2026-07-20T09:15:00+02:00", "2026-03-29T03:00:00+02:00"] {
                #expect(DateTimeText.format(DateTimeText.parse(text)!) == text)
            }
        }

        @Test("Berlin ISO date-times reject garbage", arguments: [
            "", "gestern", "2026-11-20", "2026-11-20T", "20.11.2026 08:15", "2026-11-20X08:15",
            "2026-02-30T08:15", "2026-11-20T24:00", "2026-11-20T08:60", "2026-11-20T08:15:60",
            "2026-11-20Tab:cd", "2026-11-20T08:15+1", "2026-11-20T08:15+01:00:00", "2026-11-20T08:15:00+01:00 Uhr",
            "2026-11-20T08:15:00+99:99", "2026-11-20T08:15:00+01:75",
        ])
        func garbage(text: String) {
            #expect(DateTimeText.parse(text) == nil)
        }

        @Test("Times of day are whole minutes from 00:00 to 23:59")
        func timeOfDay() {
            #expect(TimeOfDay(text: "14:30")?.minuteOfDay == 870)
            #expect(TimeOfDay(text: "7:05")?.text == "07:05")
            #expect(TimeOfDay(text: "14:30:00")?.minuteOfDay == 870)
            #expect(TimeOfDay(text: "14:30:15") == nil)
            #expect(TimeOfDay(text: "24:00") == nil)
            #expect(TimeOfDay(text: "12:60") == nil)
            #expect(TimeOfDay(text: "1430") == nil)
            #expect(TimeOfDay(minuteOfDay: 1_440) == nil)
            #expect(TimeOfDay(minuteOfDay: 1_439)?.text == "23:59")
        }
    }
}
