@testable import FallwerkDomain
import Foundation
import Testing

/// R15 with seed 004 ("Von der Unterschrift ggf. ausgenommen sind Interventionen im Krisenfall"): what a
/// recorded signature covers and when "exempt" may be chosen. Pure domain, no database.
extension AllTests {
    @Suite("Service record signature R15")
    struct ServiceRecordRuleTests {
        typealias F = DomainFixtures
        static let month = Month(iso: "2026-11")!
        static let today = F.day("2026-11-30")

        static func line(_ id: String, _ kind: EntryKind = .direct, on date: String = "2026-11-10", at start: String = "10:00",
                         minutes: Int = 60, billable: Int? = nil, staff: String = "s1") -> SheetLine {
            SheetLine(entryID: id, date: F.day(date), start: F.time(start), minutes: minutes, kind: kind, staffID: staff,
                      billableMinutes: billable ?? minutes)
        }

        /// The status as the store records it: validated against the sheet as it is at that moment.
        static func signed(_ lines: [SheetLine], status: String = "signed", requires: Bool = true) -> SignatureRecord? {
            var v = Validator()
            let sheet = ServiceSheet(month: month, lines: lines, signature: nil, requiresSignature: requires)
            return SignatureInput(status: status, date: "2026-11-28", signedBy: "Frau Muster", reason: status == "refused" ? "verreist" : nil)
                .validated(into: &v, sheet: sheet, today: today)
        }

        static let signedLines = [Self.line("a"), Self.line("b", on: "2026-11-17")]
        static let changes: [(String, [SheetLine])] = [
            ("added", signedLines + [Self.line("c", on: "2026-11-24")]),
            ("moved", [Self.line("a"), Self.line("b", on: "2026-11-18")]),
            ("longer", [Self.line("a"), Self.line("b", on: "2026-11-17", minutes: 90)]),
            ("billable after an increase", [Self.line("a"), Self.line("b", on: "2026-11-17", billable: 45)]),
            ("removed", [Self.line("a")]),
        ]
        static let notCrisisOnly: [[SheetLine]] = [[Self.line("a")], [Self.line("a", .crisis), Self.line("b")], []]

        @Test("R15 a signature allows the invoice for exactly the sheet it was given for")
        func signatureCoversSignedSheet() throws {
            // given the family signed the sheet with two entries
            let signature = try #require(Self.signed(Self.signedLines))
            // when nothing changed
            let sheet = ServiceSheet(month: Self.month, lines: Self.signedLines.reversed(), signature: signature, requiresSignature: true)
            // then it covers the sheet (order of loading does not matter) and allows the invoice
            #expect(sheet.state == .recorded(.signed))
            #expect(sheet.allowsInvoice)
            #expect(!sheet.changedAfterSigning)
        }

        @Test("R15 an entry added, changed or removed after signing asks for a new signature and blocks the invoice",
              arguments: ServiceRecordRuleTests.changes)
        func changeAfterSigning(_ change: String, _ lines: [SheetLine]) throws {
            // given a signed sheet
            let signature = try #require(Self.signed(Self.signedLines))
            // when the month's entries change afterwards
            let sheet = ServiceSheet(month: Self.month, lines: lines, signature: signature, requiresSignature: true)
            // then the signature no longer stands
            #expect(sheet.state == .changedAfterSigning, "\(change)")
            #expect(!sheet.allowsInvoice, "\(change)")
            #expect(sheet.changesSinceSigning != nil)
        }

        @Test("R15 the changes since signing are counted for the sheet's notice")
        func changesCounted() throws {
            let signature = try #require(Self.signed(Self.signedLines))
            let sheet = ServiceSheet(month: Self.month, lines: [Self.line("b", on: "2026-11-18"), Self.line("c", on: "2026-11-24")], signature: signature,
                                     requiresSignature: true)
            let changes = try #require(sheet.changesSinceSigning)
            #expect(changes.added == 1 && changes.changed == 1 && changes.removed == 1)
        }

        @Test("R15 a new signature after a change covers the new sheet")
        func newSignatureAfterChange() throws {
            let old = try #require(Self.signed(Self.signedLines))
            let changed = Self.signedLines + [Self.line("c", on: "2026-11-24")]
            // given the stale signature, a new one is recorded against the sheet as it is now
            var v = Validator()
            let stale = ServiceSheet(month: Self.month, lines: changed, signature: old, requiresSignature: true)
            let renewed = try #require(SignatureInput(status: "signed", date: "2026-11-30", signedBy: "Frau Muster")
                .validated(into: &v, sheet: stale, today: Self.today))
            let sheet = ServiceSheet(month: Self.month, lines: changed, signature: renewed, requiresSignature: true)
            #expect(sheet.allowsInvoice)
            #expect(sheet.state == .recorded(.signed))
        }

        @Test("R15 a signature recorded before fingerprints existed counts as covering the sheet")
        func legacySignatureWithoutFingerprint() {
            let legacy = SignatureRecord(status: .signed, date: F.day("2026-11-28"), signedBy: "Frau Muster", reason: nil, drawing: nil, fingerprint: nil)
            let sheet = ServiceSheet(month: Self.month, lines: Self.signedLines, signature: legacy, requiresSignature: true)
            #expect(sheet.allowsInvoice)
        }

        @Test("R15 seed 004: exempt is refused for a month with other work than crisis interventions, with a German field error",
              arguments: ServiceRecordRuleTests.notCrisisOnly)
        func exemptRefusedUnlessOnlyCrisis(_ lines: [SheetLine]) {
            var v = Validator()
            let sheet = ServiceSheet(month: Self.month, lines: lines, signature: nil, requiresSignature: true)
            let record = SignatureInput(status: "exempt", date: "2026-11-28").validated(into: &v, sheet: sheet, today: Self.today)
            #expect(record == nil)
            #expect(v.errors.first { $0.field == "status" }?.message.contains("ausschließlich Kriseninterventionen") == true)
        }

        @Test("R15 seed 004: exempt is accepted for a month of crisis interventions only, and stops covering once other work is added")
        func exemptForCrisisOnly() throws {
            let crisis = [Self.line("a", .crisis), Self.line("b", .crisis, on: "2026-11-20")]
            let exempt = try #require(Self.signed(crisis, status: "exempt"))
            #expect(ServiceSheet(month: Self.month, lines: crisis, signature: exempt, requiresSignature: true).state == .recorded(.exempt))
            let mixed = ServiceSheet(month: Self.month, lines: crisis + [Self.line("c", on: "2026-11-24")], signature: exempt, requiresSignature: true)
            #expect(mixed.state == .changedAfterSigning)
            #expect(!mixed.allowsInvoice)
        }

        @Test("R15 a legacy exempt on a month that is not crisis-only does not allow the invoice")
        func legacyExemptOnMixedMonth() {
            let legacy = SignatureRecord(status: .exempt, date: F.day("2026-11-28"), signedBy: nil, reason: nil, drawing: nil, fingerprint: nil)
            let sheet = ServiceSheet(month: Self.month, lines: Self.signedLines, signature: legacy, requiresSignature: true)
            #expect(!sheet.allowsInvoice)
        }

        @Test("R15 a month of crisis interventions only needs no signature; a changed one is not needed either")
        func crisisOnlyNeedsNoSignature() throws {
            let crisis = [Self.line("a", .crisis)]
            #expect(ServiceSheet(month: Self.month, lines: crisis, signature: nil, requiresSignature: true).state == .crisisExempt)
            #expect(ServiceSheet(month: Self.month, lines: crisis, signature: nil, requiresSignature: true).allowsInvoice)
            #expect(ServiceSheet(month: Self.month, lines: Self.signedLines, signature: nil, requiresSignature: true).state == .missing)
            #expect(!ServiceSheet(month: Self.month, lines: Self.signedLines, signature: nil, requiresSignature: true).allowsInvoice)
            #expect(ServiceSheet(month: Self.month, lines: Self.signedLines, signature: nil, requiresSignature: false).allowsInvoice)
        }

        @Test("R15 the fingerprint names ids, days, times and minutes, no names or notes")
        func fingerprintIsCanonical() {
            let a = SheetFingerprint([Self.line("B"), Self.line("a", on: "2026-11-03")])
            let b = SheetFingerprint([Self.line("a", on: "2026-11-03"), Self.line("b")])
            #expect(a == b)
            #expect(a.rawValue == "v1\na;2026-11-03;10:00;60;direct;s1;60\nb;2026-11-10;10:00;60;direct;s1;60")
        }

        @Test("R15 signature input: signed needs who, refused needs why, a drawing only with signed")
        func signatureInputChecks() {
            let sheet = ServiceSheet(month: Self.month, lines: Self.signedLines, signature: nil, requiresSignature: true)
            var v = Validator()
            #expect(SignatureInput(status: "signed", date: "2026-11-28").validated(into: &v, sheet: sheet, today: Self.today) == nil)
            #expect(v.has("signedBy"))
            v = Validator()
            #expect(SignatureInput(status: "refused", date: "2026-11-28").validated(into: &v, sheet: sheet, today: Self.today) == nil)
            #expect(v.has("reason"))
            v = Validator()
            #expect(SignatureInput(status: "signed", date: "2026-10-31", signedBy: "X").validated(into: &v, sheet: sheet, today: Self.today) == nil)
            #expect(v.has("date"))
        }
    }
}
