import FallwerkDomain
import Testing

extension AllTests {
    @Suite("Group session rules")
    struct GroupSessionRuleTests {
        static func total(_ shares: [[Int]]) -> Int { shares.flatMap { $0 }.reduce(0, +) }

        @Test("R10 R13 a group session is rounded once: nine cases of 63 minutes bill the rounded hour, not nothing")
        func nineCases() {
            // Rounding each 7-minute share to 15 would bill 0.
            let shares = GroupSessionRules.shares(sessionMinutes: 63, staffCount: 1, roundingUnits: Array(repeating: 15, count: 9))
            #expect(Self.total(shares) == 60)
            #expect(shares.map { $0.reduce(0, +) } == [7, 7, 7, 7, 7, 7, 6, 6, 6])
        }

        @Test("R10 R13 seven cases of a one-hour session bill 60 minutes, not 105")
        func sevenCases() {
            let shares = GroupSessionRules.shares(sessionMinutes: 60, staffCount: 1, roundingUnits: Array(repeating: 15, count: 7))
            #expect(Self.total(shares) == 60)
            #expect(shares.map { $0.reduce(0, +) } == [9, 9, 9, 9, 8, 8, 8])
        }

        @Test("R10 shares add up exactly to the session × staff present, one share per staff member and case")
        func addsUp() {
            #expect(GroupSessionRules.shares(sessionMinutes: 90, staffCount: 2, roundingUnits: [1, 1, 1]) == [[30, 30], [30, 30], [30, 30]])
            #expect(GroupSessionRules.shares(sessionMinutes: 100, staffCount: 2, roundingUnits: [1, 1, 1]) == [[34, 33], [34, 33], [33, 33]])
            for (session, staff, cases, unit) in [(100, 2, 3, 1), (61, 3, 7, 15), (240, 1, 9, 10), (1, 2, 2, 1), (47, 2, 5, 15)] {
                let shares = GroupSessionRules.shares(sessionMinutes: session, staffCount: staff, roundingUnits: Array(repeating: unit, count: cases))
                #expect(Self.total(shares) == ServiceRules.round(session, to: unit) * staff, "\(session) × \(staff) ÷ \(cases) @\(unit)")
                #expect(shares.allSatisfy { $0.count == staff })
            }
            #expect(GroupSessionRules.shares(sessionMinutes: 60, staffCount: 0, roundingUnits: [1, 1]) == [[], []])
        }

        @Test("R10 R13 cases under different rounding units: each case's share comes from the session as its agreement rounds it")
        func mixedUnits() {
            // 50 minutes: rounded to 15 → 45 (23 + 22 for two cases), unrounded 50 (25 + 25)
            let shares = GroupSessionRules.shares(sessionMinutes: 50, staffCount: 1, roundingUnits: [15, 1])
            #expect(shares == [[23], [25]])
        }

        @Test("R10 a share counts its minutes as they are, never rounded again, without travel")
        func shareCount() {
            #expect(GroupSessionRules.count(share: 7) == EntryCount(billableMinutes: 7, budgetMinutes: 7))
        }

        @Test("R10 R16 a session in an invoiced month of one of its cases is refused, naming the case")
        func invoicedMonth() {
            let day = Day(iso: "2026-11-20")!
            let open = GroupSessionCase(fileNumber: "51.2-A", startDate: Day(iso: "2026-10-01")!, endDate: nil, mayRecord: true,
                                        invoicedMonths: [], roundingMinutes: 1)
            var billed = open
            billed.fileNumber = "51.2-B"
            billed.invoicedMonths = [Month(containing: day)]
            #expect(GroupSessionRules.refusal(open, on: day) == nil)
            #expect(GroupSessionRules.refusal(billed, on: day)?.contains("51.2-B") == true)
            #expect(GroupSessionRules.refusal(billed, on: day)?.contains("2026-11") == true)
            #expect(GroupSessionRules.changeRefusal(date: day, cases: [open]) == nil)
            #expect(GroupSessionRules.changeRefusal(date: day, cases: [open, billed])?.contains("den Fall 51.2-B") == true)
            var ended = open
            ended.endDate = Day(iso: "2026-11-10")!
            #expect(GroupSessionRules.refusal(ended, on: day)?.contains("läuft am 20.11.2026 nicht") == true)
            var foreign = open
            foreign.mayRecord = false
            #expect(GroupSessionRules.refusal(foreign, on: day) != nil)
        }

        @Test("R10 a caseworker records sessions with themselves present; correcting, the colleagues present may stay")
        func staff() {
            #expect(GroupSessionRules.staffRefusal(staffIDs: ["a"], viewerStaffID: "a", isLead: false) == nil)
            #expect(GroupSessionRules.staffRefusal(staffIDs: ["a", "b"], viewerStaffID: "a", isLead: false) != nil)
            #expect(GroupSessionRules.staffRefusal(staffIDs: ["b"], viewerStaffID: "a", isLead: false) != nil)
            #expect(GroupSessionRules.staffRefusal(staffIDs: ["a", "b"], alreadyPresent: ["a", "b"], viewerStaffID: "a", isLead: false) == nil)
            #expect(GroupSessionRules.staffRefusal(staffIDs: ["b", "c"], viewerStaffID: nil, isLead: true) == nil)
            #expect(GroupSessionRules.mayChange(staffIDs: ["a", "b"], viewerStaffID: "b", isLead: false))
            #expect(!GroupSessionRules.mayChange(staffIDs: ["a"], viewerStaffID: "b", isLead: false))
        }
    }
}
