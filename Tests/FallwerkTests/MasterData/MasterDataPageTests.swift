@testable import FallwerkApp
import FallwerkDomain
import FallwerkStore
import Foundation
import Testing
import Vapor
import FallwerkWeb

extension AllTests {
    @Suite("Master data pages")
    struct MasterDataPages {
        @Test("An administrator creates and edits a youth office through the form")
        func createYouthOffice() async throws {
            try await TestApp.run { t in
                try await t.addUser("ada", .admin)
                let browser = WebSession(t)
                try await browser.login("ada")
                let form = try await browser.get("/jugendaemter/neu")
                #expect(form.status == .ok)
                #expect(form.body.string.contains("Leitweg-ID"))
                let saved = try await browser.post("/jugendaemter/neu", [
                    ("name", "Jugendamt Formstadt"), ("leitwegId", Fixtures.leitwegID()),
                    ("address.street", "Markt 1"), ("address.postalCode", "39104"), ("address.city", "Formstadt"),
                    ("contacts[0].name", "Frau Schubert"), ("contacts[0].deputyName", "Herr Albrecht"),
                ])
                #expect(saved.status == .seeOther)
                let location = try #require(saved.headers.first(name: .location))
                let page = try await browser.get(location)
                #expect(page.body.string.contains("Das Jugendamt ist gespeichert."))
                #expect(page.body.string.contains(#"value="Herr Albrecht""#))

                let edited = try await browser.post(location, [
                    ("name", "Jugendamt Formstadt-Süd"), ("leitwegId", Fixtures.leitwegID()),
                    ("address.street", "Markt 1"), ("address.postalCode", "39104"), ("address.city", "Formstadt"),
                ])
                #expect(edited.status == .seeOther)
                let list = try await browser.get("/jugendaemter")
                #expect(list.body.string.contains("Jugendamt Formstadt-Süd"))
            }
        }

        @Test("Bad input shows German messages beside the fields and keeps everything typed")
        func badInputKeepsValues() async throws {
            try await TestApp.run { t in
                try await t.addUser("ada", .admin)
                let browser = WebSession(t)
                try await browser.login("ada")
                try await browser.get("/jugendaemter/neu")
                let response = try await browser.post("/jugendaemter/neu", [
                    ("name", "Jugendamt Tippfehler"), ("leitwegId", "123"),
                    ("address.street", "Markt 1"), ("address.postalCode", "391"), ("address.city", ""),
                ])
                let html = response.body.string
                #expect(response.status == .unprocessableEntity)
                #expect(html.contains("Bitte prüfen Sie Ihre Eingaben"))
                #expect(html.contains("Die Leitweg-ID ist ungültig"))
                #expect(html.contains("Die Postleitzahl muss aus fünf Ziffern bestehen."))
                #expect(html.contains("Bitte den Ort angeben."))
                #expect(html.contains(#"value="Jugendamt Tippfehler""#))
                #expect(html.contains(#"value="391""#))
                #expect(html.contains(#"aria-invalid="true""#))
                #expect(try await YouthOfficeStore.list(on: t.db).isEmpty)
            }
        }

        @Test("An agreement form starts with every default and saves settings and rates")
        func agreementForm() async throws {
            try await TestApp.run { t in
                try await t.addUser("jonas", .accounting)
                let office = try await YouthOfficeStore.save(Self.youthOfficeInput(), context: t.writeContext, on: t.db)
                var offerInput = OfferInput()
                offerInput.name = "MoPäD"
                offerInput.legalBasis = "§ 31 SGB VIII"
                let offer = try await OfferStore.save(offerInput, context: t.writeContext, on: t.db)
                let browser = WebSession(t)
                try await browser.login("jonas")
                let form = try await browser.get("/vereinbarungen/neu")
                #expect(form.body.string.contains(#"name="settings.reportLeadDays" value="14""#))
                #expect(form.body.string.contains(#"name="settings.deleteAfterAge" value="100""#))

                var fields = AgreementPagesDefaults.fields
                fields += [("youthOfficeId", office.uuidString), ("validFrom", "2026-01-01"),
                           ("rate.\(offer.uuidString)", "64,15")]
                fields = fields.map { $0.0 == "settings.roundingMinutes" ? ($0.0, "15") : $0 }
                let saved = try await browser.post("/vereinbarungen/neu", fields)
                #expect(saved.status == .seeOther, "\(saved.body.string)")
                let agreement = try #require(try await AgreementStore.list(on: t.db).first)
                #expect(agreement.settings.roundingMinutes == 15)
                #expect(agreement.rates.first?.hourlyRate == Cents(6415))

                let invalid = try await browser.post("/vereinbarungen/neu", fields.map {
                    $0.0 == "settings.roundingMinutes" ? ($0.0, "7") : $0.0 == "rate.\(offer.uuidString)" ? ($0.0, "viel") : $0
                } + [("validTo", "2025-01-01")])
                #expect(invalid.status == .unprocessableEntity)
                let html = invalid.body.string
                #expect(html.contains("Die Rundungseinheit muss ein Teiler von 60 Minuten sein"))
                #expect(html.contains("Bitte den Stundensatz für „MoPäD“ als Betrag wie 58,40 angeben"), "each rate's message names its offer (#11)")
                #expect(html.contains(#"id="f-rate-\#(offer.uuidString)""#))
                #expect(html.contains(#"value="viel""#))

                // #11: the edit form shows German decimal commas, an emptied number is an error, messages read as German
                let edit = try await browser.get("/vereinbarungen/\(agreement.id.uuidString.lowercased())").body.string
                #expect(edit.contains(#"value="64,15""#))
                #expect(!edit.contains(#"value="64.15""#))
                let emptied = try await browser.post("/vereinbarungen/neu", fields.map { $0.0 == "settings.reportLeadDays" ? ($0.0, "") : $0 })
                #expect(emptied.status == .unprocessableEntity)
                #expect(emptied.body.string.contains("Die Berichtsvorlaufzeit fehlt. Bitte eine ganze Zahl angeben."))
                let tooHigh = try await browser.post("/vereinbarungen/neu", fields.map { $0.0 == "settings.shortNoticeBillablePercent" ? ($0.0, "120") : $0 })
                #expect(tooHigh.body.string.contains("Bitte den abrechenbaren Anteil kurzfristiger Absagen (%) als ganze Zahl von 0 bis 100 angeben."))
            }
        }

        @Test("A caseworker reads master data but sees no edit button and cannot post")
        func readOnlyForCaseworkers() async throws {
            try await TestApp.run { t in
                try await t.addUser("mara", .caseworker)
                let office = try await YouthOfficeStore.save(Self.youthOfficeInput(), context: t.writeContext, on: t.db)
                let browser = WebSession(t)
                try await browser.login("mara")
                let list = try await browser.get("/jugendaemter")
                #expect(!list.body.string.contains("Neues Jugendamt"))
                let page = try await browser.get("/jugendaemter/\(office.uuidString.lowercased())")
                #expect(page.body.string.contains("disabled"))
                #expect(!page.body.string.contains("Speichern"))
                let post = try await browser.post("/jugendaemter/\(office.uuidString.lowercased())", [("name", "Gekapert")])
                #expect(post.status == .forbidden)
            }
        }

        @Test("Staff, teams, offers, users and provider pages render for an administrator")
        func otherPages() async throws {
            try await TestApp.run { t in
                try await t.addUser("ada", .admin)
                let browser = WebSession(t)
                try await browser.login("ada")
                for path in ["/teams", "/teams/neu", "/mitarbeitende", "/mitarbeitende/neu", "/angebote", "/angebote/neu",
                             "/benutzer", "/benutzer/neu", "/traeger", "/vereinbarungen"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .ok, "\(path)")
                    #expect(page.body.string.contains("<html lang=\"de\">"), "\(path)")
                }
                let provider = try await browser.post("/traeger", [("name", "Träger"), ("iban", "DE00")])
                #expect(provider.status == .unprocessableEntity)
                #expect(provider.body.string.contains("Die IBAN ist ungültig"))
                #expect(provider.body.string.contains(#"value="Träger""#))
            }
        }

        @Test("The stylesheet ships with the server")
        func stylesheet() async throws {
            try await TestApp.run { t in
                let css = try await t.send(.GET, "/assets/fallwerk.css")
                #expect(css.status == .ok)
                #expect(css.body.string.contains("--accent"))
            }
        }

        static func youthOfficeInput() -> YouthOfficeInput {
            var input = YouthOfficeInput()
            input.name = "Jugendamt Teststadt"
            input.leitwegId = Fixtures.leitwegID()
            input.address = AddressInput(street: "Markt 1", postalCode: "39104", city: "Teststadt")
            return input
        }
    }
}

/// The agreement form's default setting fields, as a browser would post them.
enum AgreementPagesDefaults {
    static var fields: [(String, String)] {
        FallwerkWeb.AgreementPages.settingValues(.defaults).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
