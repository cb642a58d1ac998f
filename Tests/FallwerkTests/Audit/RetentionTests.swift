@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

extension AllTests {
    /// R32: blocking after `blockAfterYears`, deletion at `deleteAfterAge`, invoices kept `invoiceRetentionYears`
    /// after their calendar year; one transaction, idempotent, reported and audited.
    @Suite("Retention")
    struct RetentionTests {
        @Test("R32 the days: blocked on the day five years after the end, deleted on the 100th birthday, invoices kept to the end of year + 8")
        func days() {
            let ended = Day(iso: "2021-03-31")!
            #expect(Retention.blockDay(ended: ended, years: 5) == Day(iso: "2026-03-31"))
            var settings = AgreementSettings()
            settings.blockAfterYears = 5
            #expect(Retention.step(ended: ended, birthDate: nil, settings: settings, today: Day(iso: "2026-03-30")!) == .keep)
            #expect(Retention.step(ended: ended, birthDate: nil, settings: settings, today: Day(iso: "2026-03-31")!) == .block)
            let born = Day(iso: "1926-11-22")!
            #expect(Retention.step(ended: ended, birthDate: born, settings: settings, today: Day(iso: "2026-11-21")!) == .block)
            #expect(Retention.step(ended: ended, birthDate: born, settings: settings, today: Day(iso: "2026-11-22")!) == .delete)
            #expect(Retention.deleteDay(birthDate: Day(iso: "2008-02-29")!, age: 30) == Day(iso: "2038-02-28"))
            #expect(Retention.invoiceDeleteDay(issuedIn: 2018, years: 8) == Day(iso: "2027-01-01"))
            // §84 SGB X: reading a blocked file needs a reason of ten characters, spaces around not counted
            #expect(!Retention.readingReasonSuffices(nil))
            #expect(!Retention.readingReasonSuffices("  123456789  "))
            #expect(Retention.readingReasonSuffices("1234567890"))
            // a running case is never due
            #expect(Retention.step(ended: nil, birthDate: born, settings: settings, today: Day(iso: "2026-11-22")!) == .keep)
        }

        @Test("R32 a run blocks, deletes and keeps invoices as due — not a day early; dry run changes nothing; a second run does nothing")
        func apply() async throws {
            try await TestApp.run { t in
                let w = try await CaseAPIWorld.make(t)
                let today = BerlinTime.local(TestApp.referenceNow).day
                func open(_ file: String, born: String, ended: Day) async throws -> UUID {
                    let id = try await w.openCase(w.caseBody(fileNumber: file, startDate: "2026-10-01", firstName: "Kim", lastName: "Ärmel-\(file.suffix(1))",
                                                             birthDate: born))
                    let uuid = UUID(uuidString: id)!
                    let model = try #require(try await CaseModel.find(uuid, on: t.db))
                    model.startDate = ended.adding(days: -100).iso
                    model.endDate = ended.iso
                    try await model.update(on: t.db)
                    return uuid
                }
                let blockedToday = try await open("R-1", born: "2005-01-01", ended: today.adding(months: -60))
                let notYet = try await open("R-2", born: "2005-01-01", ended: today.adding(months: -60).adding(days: 1))
                let hundred = today.adding(months: -1_200)
                let erased = try await open("R-3", born: hundred.iso, ended: today.adding(months: -120))
                let dayEarly = try await open("R-4", born: hundred.adding(days: 1).iso, ended: today.adding(months: -120))
                let purged = try await open("R-5", born: hundred.iso, ended: today.adding(months: -130))
                // R-3 has an invoice issued eight years ago: kept to the end of that year + 8; R-5's is older and goes
                for (caseID, yearsAgo) in [(erased, 8), (purged, 9)] {
                    let invoice = InvoiceModel()
                    invoice.$case.id = caseID
                    invoice.month = "\(today.year - yearsAgo)-05"
                    invoice.status = "issued"
                    invoice.number = "RE-\(yearsAgo)"
                    invoice.issuedAt = BerlinTime.instant(Day(year: today.year - yearsAgo, month: 6, day: 1)!, TimeOfDay(minuteOfDay: 600)!)
                    invoice.totalCents = 12_345
                    try await invoice.create(on: t.db)
                }
                #expect(try await t.send(.POST, "/api/v1/cases/\(erased.uuidString)/notes", token: w.management,
                                         json: ["date": today.adding(months: -121).iso, "observation": "Geheimer Inhalt"]).status != .internalServerError)

                let context = WriteContext(actor: .commandLine, now: TestApp.referenceNow)
                let dry = try await RetentionStore.apply(today: today, dryRun: true, context: context, on: t.db)
                #expect(Set(dry.blocked) == ["R-1", "R-3", "R-4", "R-5"])
                #expect(dry.erased.sorted() == ["R-3", "R-5"])
                #expect(dry.purged == ["R-5"])
                #expect(dry.invoicesDeleted == 1)
                #expect(try await CaseModel.query(on: t.db).filter(\.$blockedOn != nil).count() == 0, "a dry run changes nothing")

                let report = try await RetentionStore.apply(today: today, dryRun: false, context: context, on: t.db)
                #expect(report == dry)
                #expect(try await CaseModel.find(notYet, on: t.db)?.blockedOn == nil, "one day early: not blocked")
                #expect(try await CaseModel.find(blockedToday, on: t.db)?.blockedOn == today.iso)
                #expect(try await CasePersonModel.query(on: t.db).filter(\.$case.$id == dayEarly).count() == 1, "one day early: not deleted")
                #expect(try await CasePersonModel.query(on: t.db).filter(\.$case.$id == erased).count() == 0)
                #expect(try await NoteModel.query(on: t.db).filter(\.$case.$id == erased).count() == 0)
                #expect(try await CaseModel.find(erased, on: t.db)?.erasedOn == today.iso)
                #expect(try await InvoiceModel.query(on: t.db).filter(\.$case.$id == erased).count() == 1, "an invoice still to be kept stays")
                #expect(try await CaseModel.find(purged, on: t.db) == nil)
                #expect(try await InvoiceModel.query(on: t.db).filter(\.$case.$id == purged).count() == 0)
                let log = try await AuditLog.entries(AuditFilter(entity: "retention"), limit: 5, on: t.db)
                #expect(log.count == 1 && log.first?.changes["erased"]?.to?.contains("R-3") == true)

                let again = try await RetentionStore.apply(today: today, dryRun: false, context: context, on: t.db)
                #expect(again.isEmpty, "idempotent")
                #expect(try await AuditLog.entries(AuditFilter(entity: "retention"), limit: 5, on: t.db).count == 1)

                // blocked: gone from lists and search; management opens it with a reason, others not at all
                let list = try await t.send(.GET, "/api/v1/cases?limit=500", token: w.management).body.string
                #expect(!list.contains("R-1") && list.contains("R-2"))
                #expect(!(try await t.send(.GET, "/api/v1/cases?q=R-1", token: w.management).body.string.contains("R-1")))
                let refused = try await t.send(.GET, "/api/v1/cases/\(blockedToday.uuidString)", token: w.management)
                #expect(refused.status == .forbidden)
                #expect(try refused.problemFields() == ["reason"])
                let short = try await t.send(.GET, "/api/v1/cases/\(blockedToday.uuidString)?reason=ab", token: w.management)
                #expect(short.status == .forbidden)
                #expect(try short.json()["detail"] as? String == "Bitte den Grund genauer angeben (mindestens 10 Zeichen).")
                let reason = "Anfrage des Jugendamts zur Akteneinsicht"
                let opened = try await t.send(.GET, "/api/v1/cases/\(blockedToday.uuidString)?reason=\(reason.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                              token: w.management)
                #expect(opened.status == .ok)
                let reads = try await AuditLog.entries(AuditFilter(entity: "blockedCase"), limit: 5, on: t.db)
                #expect(reads.first?.changes["reason"]?.to == reason)
                #expect(try await t.send(.GET, "/api/v1/cases/\(blockedToday.uuidString)?reason=\(reason.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                         token: w.fina.token).status == .notFound)
                // the page asks for the reason in German
                try await t.addUser("lea", .management)
                let page = WebSession(t)
                try await page.login("lea")
                let form = try await page.get("/faelle/\(blockedToday.uuidString.lowercased())")
                #expect(form.status == .forbidden)
                #expect(form.body.string.contains("Grund für das Öffnen"))
                // too short: the German message, and what was typed stays in the field
                let tooShort = try await page.get("/faelle/\(blockedToday.uuidString.lowercased())?grund=%22%C3%84rger%22")
                #expect(tooShort.status == .forbidden)
                #expect(tooShort.body.string.contains("mindestens 10 Zeichen"))
                #expect(tooShort.body.string.contains("value=\"&quot;Ärger&quot;\""))
                // quotes, angle brackets and umlauts in the reason reach the log as typed
                let typed = "Anfrage \"Jugendamt\" <Akteneinsicht> & Rückfrage der Großmutter"
                let openedPage = try await page.get("/faelle/\(blockedToday.uuidString.lowercased())?grund=\(typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                #expect(openedPage.status == .ok)
                let logged = try await AuditLog.entries(AuditFilter(entity: "blockedCase", userID: try await UserModel.find(username: "lea", on: t.db)?.id),
                                                        limit: 5, on: t.db)
                #expect(logged.first?.changes["reason"]?.to == typed)
                #expect(try await page.get("/aufbewahrung").status == .ok)
            }
        }

        // SQLite only: PostgreSQL has row locks, no file lock; skipped (not passed) there.
        @Test("R32 a retention run on a database another process holds ends with a German message and changes nothing; later it runs",
              .enabled(if: TestApp.postgresURL == nil))
        func busyDatabase() async throws {
            try await OtherProcess.withFileDatabase { t, other in
                let server = t.app
                let w = try await CaseAPIWorld.make(t)
                let id = try #require(UUID(uuidString: try await w.openCase(w.caseBody(fileNumber: "R-9"))))
                let model = try #require(try await CaseModel.find(id, on: server.db))
                (model.startDate, model.endDate) = ("2019-01-01", "2020-06-30")
                try await model.update(on: server.db)
                // another process holds the write lock
                let message: String? = try await OtherProcess.holdingWriteLock(other) {
                    do {
                        _ = try await FallwerkServer.applyRetention(server, dryRun: false)
                        return nil
                    } catch let failure as FallwerkServer.CommandFailure {
                        return failure.message
                    }
                }
                #expect(message == "Die Datenbank ist gerade belegt; es wurde nichts geändert. Bitte später erneut versuchen.")
                #expect(try await CaseModel.find(id, on: server.db)?.blockedOn == nil)
                let lines = try await FallwerkServer.applyRetention(server, dryRun: false)
                #expect(lines.contains("Gesperrt: 1 Akte(n): R-9"), "\(lines)")
            }
        }
    }
}
