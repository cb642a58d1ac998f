import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

public enum AgreementPages {
    public static func list(context: PageContext, agreements: [AgreementRecord], canEdit: Bool) -> String {
        Layout.page(
            title: "Vereinbarungen", context: context, current: .agreements,
            Layout.heading("Vereinbarungen", action: canEdit ? ("Neue Vereinbarung", .newAgreement) : nil),
            .p(.class("lead"), .text("Leistungs-, Entgelt- und Qualitätsentwicklungsvereinbarungen mit den Jugendämtern: Stundensätze und alle Abrechnungs- und Fristenregeln.")),
            Layout.table(
                columns: ["Jugendamt", "Gültig", "Stundensätze", "Rundung", "Unterschrift"],
                rows: agreements.map { record in
                    [.a(.href(SiteURL.agreement(record.id).path), .text(record.youthOfficeName)),
                     .text(period(record)),
                     .text(record.rates.map { "\($0.offerName): \($0.hourlyRate.german)" }.joined(separator: "; ")),
                     .text(record.settings.roundingMinutes == 1 ? "minutengenau" : "\(record.settings.roundingMinutes) Minuten"),
                     .text(record.settings.requireClientSignature ? "erforderlich" : "nicht erforderlich")]
                },
                empty: "Noch keine Vereinbarungen erfasst."
            )
        )
    }

    static func period(_ record: AgreementRecord) -> String {
        "ab \(record.validFrom.german)" + (record.validTo.map { " bis \($0.german)" } ?? " (unbefristet)")
    }

    public static func values(_ record: AgreementRecord) -> [String: String] {
        var values = ["youthOfficeId": record.youthOfficeID.uuidString, "validFrom": record.validFrom.iso,
                      "validTo": record.validTo?.iso ?? ""]
        for rate in record.rates { values["rate.\(rate.offerID.uuidString)"] = rate.hourlyRate.formValue }
        return values.merging(settingValues(record.settings)) { $1 }
    }

    public static func settingValues(_ s: AgreementSettings) -> [String: String] {
        let p = "settings."
        return [
            p + "firstReviewMonths": "\(s.firstReviewMonths)", p + "reviewIntervalMonths": "\(s.reviewIntervalMonths)",
            p + "reportLeadDays": "\(s.reportLeadDays)", p + "planDocumentDays": "\(s.planDocumentDays)",
            p + "costApprovalDays": "\(s.costApprovalDays)", p + "specificationWeeksFrom": "\(s.specificationWeeksFrom)",
            p + "specificationWeeksTo": "\(s.specificationWeeksTo)", p + "noContactAlertDays": "\(s.noContactAlertDays)",
            p + "balancing": s.balancing.rawValue, p + "reportHours": Minutes(s.reportMinutes).germanHours,
            p + "onboardingDayHours": Minutes(s.onboardingDayMinutes).germanHours,
            p + "shortNoticeHours": "\(s.shortNoticeHours)", p + "shortNoticeBillablePercent": "\(s.shortNoticeBillablePercent)",
            p + "shortNoticeBudgetPercent": "\(s.shortNoticeBudgetPercent)", p + "travelMode": s.travelMode.rawValue,
            p + "travelFlatRate": s.travelFlatRate.formValue, p + "travelRatePerKm": s.travelRatePerKm.formValue,
            p + "noShowAlertAfter": "\(s.noShowAlertAfter)", p + "roundingMinutes": "\(s.roundingMinutes)",
            p + "requireClientSignature": s.requireClientSignature ? "true" : "false",
            p + "blockAfterYears": "\(s.blockAfterYears)", p + "deleteAfterAge": "\(s.deleteAfterAge)",
            p + "invoiceRetentionYears": "\(s.invoiceRetentionYears)",
        ]
    }

    public static func form(
        context: PageContext, state: FormState, id: UUID?, canEdit: Bool,
        youthOffices: [(id: UUID, name: String)], offers: [(id: UUID, name: String)]
    ) -> String {
        let title = id == nil ? "Neue Vereinbarung" : "Vereinbarung"
        func number<C: HTML.BodyContext>(_ name: String, _ label: String, _ hint: String? = nil) -> Node<C> {
            Forms.text("settings." + name, label, state, .init(type: .number, hint: hint, inputMode: "numeric"))
        }
        func decimal<C: HTML.BodyContext>(_ name: String, _ label: String, _ hint: String? = nil) -> Node<C> {
            Forms.text("settings." + name, label, state, .init(hint: hint, inputMode: "decimal"))
        }
        func section(_ legend: String, _ nodes: Node<HTML.BodyContext>...) -> Node<HTML.FormContext> {
            .element(named: "fieldset", nodes: [
                .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                .element(named: "legend", nodes: [.text(legend)]),
            ] + nodes)
        }
        return Layout.page(
            title: title, context: context, current: .agreements,
            Layout.heading(title),
            Forms.errorSummary(state),
            .form(
                .method(.post), .action((id.map(SiteURL.agreement) ?? .newAgreement).path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                section("Vertragspartner und Laufzeit",
                        Forms.select("youthOfficeId", "Jugendamt", state, options: youthOffices.map { ($0.id.uuidString, $0.name) }, required: true),
                        .div(.class("row"),
                             Forms.text("validFrom", "Gültig ab", state, .init(type: .date, required: true)),
                             Forms.text("validTo", "Gültig bis", state, .init(type: .date, hint: "Leer lassen, wenn unbefristet.")))),
                section("Stundensätze je Fachleistungsstunde (60 Minuten)",
                        .p(.class("hint"), .text("Betrag in Euro, z. B. 58,40. Leer lassen, wenn das Angebot nicht Teil der Vereinbarung ist.")),
                        .div(.class("grid"), .forEach(offers) { offer in
                            Forms.text("rate.\(offer.id.uuidString)", offer.name, state, .init(inputMode: "decimal"))
                        })),
                section("Fristen (Hilfeplanung)",
                        .div(.class("grid"),
                             number("firstReviewMonths", "Erste Überprüfung nach (Monaten)", "Ein Angebot kann eigene Werte haben."),
                             number("reviewIntervalMonths", "Weitere Überprüfungen alle (Monate)"),
                             number("reportLeadDays", "Entwicklungsbericht vor dem Termin (Tage)"),
                             number("planDocumentDays", "Unterschriebener Hilfeplan binnen (Tagen)"),
                             number("costApprovalDays", "Kostenzusage binnen (Tagen)"),
                             number("specificationWeeksFrom", "Konkretisierung frühestens nach (Wochen)"),
                             number("specificationWeeksTo", "Konkretisierung spätestens nach (Wochen)"),
                             number("noContactAlertDays", "Warnung ohne Klientenkontakt nach (Tagen)"))),
                section("Kontingent und Abrechnung",
                        .div(.class("grid"),
                             Forms.select("settings.balancing", "Kontingent", state, options: Balancing.allCases.map { ($0.rawValue, $0.german) }, emptyLabel: nil),
                             Forms.text("settings.roundingMinutes", "Rundungseinheit (Minuten)", state, .init(type: .number, hint: "1 = minutengenau; z. B. 15", inputMode: "numeric")),
                             decimal("reportHours", "Stunden je Bericht an das Jugendamt"),
                             decimal("onboardingDayHours", "Stunden des Einstiegstags", "Ein Angebot kann eigene Werte haben."),
                             number("shortNoticeHours", "Kurzfristige Absage: weniger als (Stunden) vorher"),
                             number("shortNoticeBillablePercent", "Kurzfristige Absage: abrechenbar (%)"),
                             number("shortNoticeBudgetPercent", "Kurzfristige Absage: vom Kontingent (%)"),
                             number("noShowAlertAfter", "Warnung nach Ausfällen in Folge"),
                             Forms.select("settings.travelMode", "Fahrtkosten", state, options: TravelMode.allCases.map { ($0.rawValue, $0.german) }, emptyLabel: nil),
                             decimal("travelFlatRate", "Fahrtkostenpauschale je Hausbesuch (€)"),
                             decimal("travelRatePerKm", "Kilometersatz (€)"),
                             Forms.select("settings.requireClientSignature", "Unterschrift auf dem Nachweisblatt", state,
                                          options: [("true", "erforderlich"), ("false", "nicht erforderlich")], emptyLabel: nil))),
                section("Aufbewahrung und Sperrung",
                        .div(.class("grid"),
                             number("blockAfterYears", "Akte sperren nach Hilfeende (Jahre)"),
                             number("deleteAfterAge", "Löschen, wenn die Person so alt ist (Jahre)", "§ 9b SGB VIII: 30. Geburtstag + 70 Jahre = 100."),
                             number("invoiceRetentionYears", "Rechnungen aufbewahren (Jahre)", "§ 147 AO: mindestens 8."))),
                .if(canEdit, Forms.submit(cancel: .agreements))
            )
        )
    }
}
