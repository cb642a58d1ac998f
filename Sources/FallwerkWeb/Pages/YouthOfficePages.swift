import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

public enum YouthOfficePages {
    public static func list(context: PageContext, offices: [YouthOfficeRecord], canEdit: Bool) -> String {
        Layout.page(
            title: "Jugendämter", context: context, current: .youthOffices,
            Layout.heading("Jugendämter", action: canEdit ? ("Neues Jugendamt", .newYouthOffice) : nil),
            Layout.table(
                columns: ["Name", "Ort", "Leitweg-ID", "Ansprechpersonen"],
                rows: offices.map { record in
                    [.a(.href(SiteURL.youthOffice(record.id).path), .text(record.office.name)),
                     .text(record.office.address.city),
                     .code(.text(record.office.leitwegId)),
                     .text(record.office.contacts.map(\.name).joined(separator: ", "))]
                },
                empty: "Noch keine Jugendämter erfasst."
            )
        )
    }

    /// Form values of a stored youth office, as the form's field names.
    public static func values(_ office: YouthOffice) -> [String: String] {
        var values = [
            "name": office.name, "leitwegId": office.leitwegId, "address.street": office.address.street,
            "address.postalCode": office.address.postalCode, "address.city": office.address.city,
            "email": office.email ?? "", "phone": office.phone ?? "",
        ]
        for (index, contact) in office.contacts.enumerated() {
            let p = "contacts[\(index)]."
            values[p + "name"] = contact.name
            values[p + "phone"] = contact.phone ?? ""
            values[p + "email"] = contact.email ?? ""
            values[p + "deputyName"] = contact.deputyName ?? ""
            values[p + "deputyPhone"] = contact.deputyPhone ?? ""
            values[p + "deputyEmail"] = contact.deputyEmail ?? ""
        }
        return values
    }

    /// Rows offered for contact persons: every filled one plus one empty.
    public static func contactRowCount(_ state: FormState) -> Int {
        var count = 0
        while state.values.keys.contains(where: { $0.hasPrefix("contacts[\(count)].") && !(state.values[$0] ?? "").isEmpty }) {
            count += 1
        }
        return max(count + 1, 2)
    }

    public static func form(context: PageContext, state: FormState, id: UUID?, canEdit: Bool) -> String {
        let title = id == nil ? "Neues Jugendamt" : (state["name"].isEmpty ? "Jugendamt" : state["name"])
        let action: SiteURL = id.map(SiteURL.youthOffice) ?? .newYouthOffice
        return Layout.page(
            title: title, context: context, current: .youthOffices,
            Layout.heading(title),
            Forms.errorSummary(state),
            .form(
                .method(.post), .action(action.path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                .element(named: "fieldset", nodes: [
                    .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                    .element(named: "legend", nodes: [.text("Jugendamt")]),
                    Forms.text("name", "Name", state, .init(required: true, placeholder: "Stadt Musterstadt – Jugendamt")),
                    Forms.text("leitwegId", "Leitweg-ID", state, .init(
                        hint: "Für XRechnungen, z. B. 04011000-1234512345-06 (steht in der Rechnungsanschrift des Jugendamts).",
                        required: true)),
                    Forms.text("address.street", "Straße und Hausnummer", state, .init(required: true, autocomplete: "street-address")),
                    .div(.class("row"),
                         Forms.text("address.postalCode", "PLZ", state, .init(required: true, autocomplete: "postal-code", inputMode: "numeric")),
                         Forms.text("address.city", "Ort", state, .init(required: true, autocomplete: "address-level2"))),
                    .div(.class("row"),
                         Forms.text("email", "E-Mail", state, .init(type: .email)),
                         Forms.text("phone", "Telefon", state, .init(type: .tel))),
                ]),
                .forEach(0..<contactRowCount(state)) { index in
                    let p = "contacts[\(index)]."
                    return .element(named: "fieldset", nodes: [
                        .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                        .element(named: "legend", nodes: [.text("Ansprechperson \(index + 1) (fallführende Fachkraft)")]),
                        Forms.text(p + "name", "Name", state),
                        .div(.class("row"),
                             Forms.text(p + "phone", "Telefon", state, .init(type: .tel)),
                             Forms.text(p + "email", "E-Mail", state, .init(type: .email))),
                        Forms.text(p + "deputyName", "Vertretung", state),
                        .div(.class("row"),
                             Forms.text(p + "deputyPhone", "Telefon der Vertretung", state, .init(type: .tel)),
                             Forms.text(p + "deputyEmail", "E-Mail der Vertretung", state, .init(type: .email))),
                    ])
                },
                .if(canEdit, Forms.submit(cancel: .youthOffices))
            )
        )
    }
}
