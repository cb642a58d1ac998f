import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

public enum OfferPages {
    public static func list(context: PageContext, offers: [OfferRecord], canEdit: Bool) -> String {
        Layout.page(
            title: "Angebote", context: context, current: .offers,
            Layout.heading("Angebote", action: canEdit ? ("Neues Angebot", .newOffer) : nil),
            Layout.table(
                columns: ["Angebot", "Rechtsgrundlage", "Erste Überprüfung", "Einstiegstag"],
                rows: offers.map { record in
                    [.a(.href(SiteURL.offer(record.id).path), .text(record.offer.name)),
                     .text(record.offer.legalBasis),
                     .text(record.offer.firstReviewMonths.map { "nach \($0) Monaten" } ?? "laut Vereinbarung"),
                     .text(record.offer.onboardingDayMinutes.map { "\(Minutes($0).germanHours) FLS" } ?? "–")]
                },
                empty: "Noch keine Angebote erfasst."
            )
        )
    }

    public static func values(_ offer: Offer) -> [String: String] {
        [
            "name": offer.name, "legalBasis": offer.legalBasis, "description": offer.description ?? "",
            "firstReviewMonths": offer.firstReviewMonths.map(String.init) ?? "",
            "onboardingDayHours": offer.onboardingDayMinutes.map { Minutes($0).germanHours } ?? "",
            "requiredQualification": offer.requiredQualification?.rawValue ?? "",
        ]
    }

    public static func form(context: PageContext, state: FormState, id: UUID?, canEdit: Bool) -> String {
        let title = id == nil ? "Neues Angebot" : (state["name"].isEmpty ? "Angebot" : state["name"])
        return Layout.page(
            title: title, context: context, current: .offers,
            Layout.heading(title),
            Forms.errorSummary(state),
            .form(
                .method(.post), .action((id.map(SiteURL.offer) ?? .newOffer).path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                .element(named: "fieldset", nodes: [
                    .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                    .element(named: "legend", nodes: [.text("Angebot")]),
                    Forms.text("name", "Name", state, .init(required: true, placeholder: "Sozialpädagogische Familienhilfe")),
                    Forms.text("legalBasis", "Rechtsgrundlage", state, .init(hint: "z. B. § 27 i. V. m. § 30 SGB VIII", required: true)),
                    Forms.textArea("description", "Beschreibung", state),
                    .div(.class("row"),
                         Forms.text("firstReviewMonths", "Erste Hilfeplanüberprüfung nach (Monaten)", state, .init(
                            type: .number, hint: "Leer lassen: Wert der Vereinbarung (üblich 6). MoPäD: 3.", inputMode: "numeric")),
                         Forms.text("onboardingDayHours", "Einstiegstag (Fachleistungsstunden)", state, .init(
                            hint: "Einmalig je Fall, eigenes Kontingent. Einzelfallhilfe: 10.", inputMode: "decimal"))),
                    Forms.select("requiredQualification", "Erforderliche Qualifikation", state,
                                 options: Qualification.allCases.map { ($0.rawValue, $0.german) }, emptyLabel: "keine besondere"),
                ]),
                .if(canEdit, Forms.submit(cancel: .offers))
            )
        )
    }
}
