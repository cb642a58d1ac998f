import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Case list with search and filters, the new-case form and the case page.
public enum CaseFolderPages {
    public typealias Options = [(value: String, label: String)]

    public struct Filters: Sendable {
        public let teams: Options
        public let staff: Options
        public let youthOffices: Options

        public init(teams: Options, staff: Options, youthOffices: Options) {
            self.teams = teams
            self.staff = staff
            self.youthOffices = youthOffices
        }
    }

    /// Cases per page of the list.
    public static let pageSize = 50

    /// - Parameters:
    ///   - total: the cases of the list in all; `cases` is one page of them.
    ///   - continued: this page is not the first.
    ///   - next: the URL of the next page, nil on the last.
    public static func list(context: PageContext, cases: [CaseRecord], total: Int, continued: Bool = false, next: String? = nil,
                            filters: Filters, query: FormState, today: Day, canOpen: Bool) -> String {
        Layout.page(
            title: "Fälle", context: context, current: .cases,
            Layout.heading("Fälle", action: canOpen ? ("Neuer Fall", .newCase) : nil),
            .form(
                .method(.get), .action(SiteURL.cases.path), .class("filters card"),
                .div(.class("grid"),
                     Forms.text("q", "Suche", query, .init(type: .search, hint: "Name oder Aktenzeichen")),
                     Forms.select("status", "Status", query, options: CaseStatus.allCases.map { ($0.rawValue, $0.german) }, emptyLabel: "alle"),
                     Forms.select("teamId", "Team", query, options: filters.teams, emptyLabel: "alle"),
                     Forms.select("staffId", "Fachkraft", query, options: filters.staff, emptyLabel: "alle"),
                     Forms.select("youthOfficeId", "Jugendamt", query, options: filters.youthOffices, emptyLabel: "alle")),
                .div(.class("actions"),
                     .button(.type(.submit), .class("button primary"), .text("Suchen")),
                     .a(.class("button secondary"), .href(SiteURL.cases.path), .text("Zurücksetzen")))
            ),
            .p(.class("meta"), .text(Layout.count(total, shown: cases.count, continued: continued, one: "Fall", many: "Fälle"))),
            Layout.table(
                columns: ["Junger Mensch", "Aktenzeichen", "Angebot", "Jugendamt", "Bezugsbetreuung", "Status", "Beginn"],
                rows: cases.map { record in
                    [
                        .a(.href(SiteURL.caseWork(record.id).path), .text(record.youngPerson.fullName)),
                        .text(record.fileNumber),
                        .text(record.offerName),
                        .text(record.youthOfficeName),
                        .text(record.lead?.staffName ?? "–"),
                        .text(record.status(on: today).german),
                        .text(record.startDate.german),
                    ]
                },
                empty: "Keine Fälle gefunden."
            ),
            Layout.pager(Layout.Pager(first: continued ? SiteURL.cases.path + pagerQuery(query) : nil, next: next, nextLabel: "Weitere Fälle"))
        )
    }

    /// The list's filters as a query string, for the link back to the first page.
    static func pagerQuery(_ query: FormState) -> String {
        var components = URLComponents()
        components.queryItems = ["q", "status", "teamId", "staffId", "youthOfficeId"].compactMap { name in
            query[name].isEmpty ? nil : URLQueryItem(name: name, value: query[name])
        }
        return (components.queryItems ?? []).isEmpty ? "" : "?" + (components.percentEncodedQuery ?? "")
    }

    public struct NewCaseOptions: Sendable {
        public let youthOffices: Options
        public let offers: Options
        public let staff: Options

        public init(youthOffices: Options, offers: Options, staff: Options) {
            self.youthOffices = youthOffices
            self.offers = offers
            self.staff = staff
        }
    }

    public static func newCase(context: PageContext, state: FormState, options: NewCaseOptions) -> String {
        caseForm(context: context, state: state, options: options, title: "Neuer Fall", back: nil, action: .newCase,
                 submit: "Fall anlegen", cancel: .cases)
    }

    /// Corrections of a case: the new-case form, filled with what is stored.
    public static func editCase(context: PageContext, record: CaseRecord, state: FormState, options: NewCaseOptions) -> String {
        caseForm(context: context, state: state, options: options, title: "Fall bearbeiten", back: record, action: .editCase(record.id),
                 submit: "Änderungen speichern", cancel: .caseWork(record.id))
    }

    /// The form values of a stored case, named as the form's fields.
    public static func caseValues(_ record: CaseRecord) -> (values: [String: String], coWorkers: [String]) {
        var values = addressValues(record.familyAddress)
        values["youthOfficeId"] = record.youthOfficeID.uuidString
        values["offerId"] = record.offerID.uuidString
        values["fileNumber"] = record.fileNumber
        values["startDate"] = record.startDate.iso
        values["youthOfficeCaseworker"] = record.youthOfficeCaseworker ?? ""
        values["youthOfficeCaseworkerPhone"] = record.youthOfficeCaseworkerPhone ?? ""
        func put(_ person: Person, _ prefix: String) {
            values[prefix + "firstName"] = person.firstName
            values[prefix + "lastName"] = person.lastName
            values[prefix + "birthDate"] = person.birthDate?.iso ?? ""
            values[prefix + "relation"] = person.relation ?? ""
            values[prefix + "phone"] = person.phone ?? ""
        }
        put(record.youngPerson, "youngPerson.")
        for (index, guardian) in record.guardians.prefix(2).enumerated() { put(guardian, "guardians[\(index)].") }
        values["leadStaffId"] = record.lead?.staffID.uuidString ?? ""
        let coWorkers = record.assignments.filter { $0.role == .coWorker && $0.to == nil }.map(\.staffID.uuidString)
        return (values, coWorkers)
    }

    static func caseForm(context: PageContext, state: FormState, options: NewCaseOptions, title: String, back: CaseRecord?,
                         action: SiteURL, submit: String, cancel: SiteURL) -> String {
        Layout.page(
            title: title, context: context, current: .cases,
            .unwrap(back) { record in .p(.class("back"), .a(.href(SiteURL.caseWork(record.id).path), .text("← \(record.youngPerson.fullName) (\(record.fileNumber))"))) },
            Layout.heading(title),
            Forms.errorSummary(state),
            .form(
                .method(.post), .action(action.path),
                Forms.csrf(context.csrfToken),
                .element(named: "fieldset", nodes: [
                    .element(named: "legend", nodes: [.text("Hilfe")]),
                    .div(.class("row"),
                         Forms.select("youthOfficeId", "Jugendamt", state, options: options.youthOffices, required: true),
                         Forms.select("offerId", "Angebot", state, options: options.offers, required: true)),
                    .div(.class("row"),
                         Forms.text("fileNumber", "Aktenzeichen des Jugendamts", state, .init(required: true)),
                         Forms.text("startDate", "Beginn der Hilfe", state, .init(type: .date, required: true))),
                    .div(.class("row"),
                         Forms.text("youthOfficeCaseworker", "Fallführende Fachkraft des Jugendamts", state),
                         Forms.text("youthOfficeCaseworkerPhone", "Telefon", state, .init(type: .tel))),
                ]),
                .element(named: "fieldset", nodes: [
                    .element(named: "legend", nodes: [.text("Anschrift der Familie (für Hausbesuche)")]),
                    addressFields(state),
                ]),
                .element(named: "fieldset", nodes: [
                    .element(named: "legend", nodes: [.text("Junger Mensch")]),
                    .div(.class("grid"),
                         Forms.text("youngPerson.firstName", "Vorname", state, .init(required: true)),
                         Forms.text("youngPerson.lastName", "Nachname", state, .init(required: true)),
                         Forms.text("youngPerson.birthDate", "Geburtsdatum", state, .init(type: .date, required: true))),
                ]),
                .forEach([0, 1]) { index in
                    .element(named: "fieldset", nodes: [
                        .element(named: "legend", nodes: [.text(index == 0 ? "Sorgeberechtigte / weitere Person" : "Weitere Person (optional)")]),
                        .div(.class("grid"),
                             Forms.text("guardians[\(index)].firstName", "Vorname", state),
                             Forms.text("guardians[\(index)].lastName", "Nachname", state),
                             Forms.text("guardians[\(index)].relation", "Beziehung", state, .init(placeholder: "z. B. Mutter")),
                             Forms.text("guardians[\(index)].phone", "Telefon", state, .init(type: .tel))),
                    ])
                },
                .element(named: "fieldset", nodes: [
                    .element(named: "legend", nodes: [.text("Fachkräfte")]),
                    Forms.select("leadStaffId", "Bezugsbetreuung", state, options: options.staff, required: true),
                    Forms.checkboxes("coWorkerIds", "Co-Betreuung", state, options: options.staff),
                ]),
                .if(back != nil, .p(.class("hint"), .text("Wer ersetzt wird und schon Leistungen erfasst hat, bleibt bis gestern als Co-Betreuung eingetragen; seine Leistungen bleiben seine."))),
                Forms.submit(submit, cancel: cancel)
            )
        )
    }

    /// The case page: the work sections first (alerts, budget, "Leistung erfassen", entries, approvals: what a
    /// caseworker needs on a phone), then master data, persons and staff.
    public static func detail(context: PageContext, record: CaseRecord, access: CaseAccess, today: Day, canManageStaff: Bool,
                              canEditAddress: Bool = false, canEditCase: Bool = false,
                              staffOptions: Options, substituteState: FormState, sections: [Node<HTML.BodyContext>]) -> String {
        // R31, R33: management sees who read the file and exports what is stored about a person.
        let isManagement = context.user?.roles.contains(.management) == true
        func subjectAccess(_ person: Person) -> [Node<HTML.BodyContext>] {
            guard isManagement else { return [] }
            guard let id = person.id.flatMap(UUID.init(uuidString:)) else { return [.text("–")] }
            return [.a(.href(SiteURL.personExport(id).path), .text("Auskunft (Art. 15 DSGVO)"))]
        }
        return Layout.page(
            title: record.youngPerson.fullName, context: context, current: .cases,
            .h1(.text(record.youngPerson.fullName)),
            .p(.class("lead"), .text("\(record.fileNumber) · \(record.offerName) · \(record.status(on: today).german)")),
            .group(sections),
            // Documentation (R18–R20): only with full access; accounting sees none of it.
            .if(access == .full, .section(
                .id("dokumentation"),
                .h2(.text("Dokumentation")),
                .ul(.class("doc-links"),
                    .li(.a(.href(SiteURL.goals(record.id).path), .text("Ziele"))),
                    .li(.a(.href(SiteURL.notes(record.id).path), .text("Verlauf (Notizen)"))),
                    .li(.a(.href(SiteURL.reports(record.id).path), .text("Berichte"))),
                    .li(.a(.href(SiteURL.caseChildProtection(record.id).path), .text("Kinderschutz (§ 8a)"))),
                    // Issue 16: health records, the same need-to-know as §8a (`CasePolicies.health`: full access).
                    .li(.a(.href(SiteURL.health(record.id).path), .text("Gesundheit"))))
            )),
            .section(
                .id("stammdaten"),
                .h2(.text("Stammdaten")),
                .if(canEditCase, .p(.a(.href(SiteURL.editCase(record.id).path), .text("Fall bearbeiten (Daten, Personen, Fachkräfte)")), .text(" · "),
                                    .a(.href(SiteURL.independentLiving(record.id).path), .text("Verselbständigung Minderjähriger")))),
                .dl(.class("facts"),
                    .dt(.text("Jugendamt")), .dd(.text(record.youthOfficeName)),
                    .dt(.text("Angebot")), .dd(.text(record.offerName)),
                    .dt(.text("Team")), .dd(.text(record.teamName)),
                    .dt(.text("Beginn")), .dd(.text(record.startDate.german)),
                    .dt(.text("Ende")), .dd(.text(record.endDate.map { $0.german + (record.endReason.map { " (\($0.german))" } ?? "") } ?? "–")),
                    .if(access == .full, .group(
                        .dt(.text("Anschrift der Familie")),
                        .dd(.text(record.familyAddress?.singleLine ?? "nicht erfasst"),
                            .if(canEditAddress, .group(.text(" "), .a(.class("nowrap"), .href(SiteURL.familyAddress(record.id).path),
                                                                     .text(record.familyAddress == nil ? "Anschrift eintragen" : "Anschrift ändern"))))))),
                    .dt(.text("Fachkraft des Jugendamts")),
                    .dd(.text(record.youthOfficeCaseworker ?? (record.youthOfficeCaseworkerPhone == nil ? "–" : "")),
                        .if(record.youthOfficeCaseworker != nil && record.youthOfficeCaseworkerPhone != nil, .text(", ")),
                        .unwrap(record.youthOfficeCaseworkerPhone) { Layout.phone($0) }))
            ),
            .section(
                .id("personen"),
                .h2(.text("Personen")),
                Layout.table(
                    columns: ["Name", "Rolle", "Geburtsdatum", "Telefon"] + (isManagement ? ["Auskunft"] : []),
                    rows: [[.text(record.youngPerson.fullName), .text("junger Mensch"), .text(record.youngPerson.birthDate?.german ?? "–"), .text("–")]
                           + subjectAccess(record.youngPerson)]
                        + record.guardians.map { person in
                            [.text(person.fullName), .text(person.relation ?? "Sorgeberechtigte:r"), .text(person.birthDate?.german ?? "–"), Layout.phone(person.phone)]
                                + subjectAccess(person)
                        },
                    empty: ""
                ),
                .if(isManagement, .p(.a(.href(SiteURL.caseAccess(record.id).path), .text("Wer hat diese Akte gesehen? (Zugriffe)"))))
            ),
            .section(
                .id("fachkraefte"),
                .h2(.text("Fachkräfte")),
                Layout.table(
                    columns: ["Name", "Aufgabe", "Zeitraum"] + (canManageStaff ? [""] : []),
                    rows: record.assignments.map { a in
                        let range: String = switch (a.from, a.to) {
                        case (nil, nil): "–"
                        case (let from?, let to?): "\(from.german)–\(to.german)" + (a.to! < today ? " (beendet)" : "")
                        case (let from?, nil): "ab \(from.german)"
                        case (nil, let to?): "bis \(to.german)"
                        }
                        let endable = canManageStaff && a.role == .substitute && (a.to.map { $0 >= today } ?? true)
                        let end: [Node<HTML.BodyContext>] = !canManageStaff ? [] : [endable && a.id != nil
                            ? .form(.method(.post), .action(SiteURL.endSubstitute(record.id, a.id!).path), .class("inline"),
                                    Forms.csrf(context.csrfToken),
                                    .input(.type(.hidden), .name("lastDay"), .value(today.iso)),
                                    .button(.type(.submit), .class("secondary"), .text("Vertretung heute beenden")))
                            : .text("")]
                        return [.text(a.staffName), .text(a.role.german), .text(range)] + end
                    },
                    empty: "Keine Fachkräfte zugeordnet."
                ),
                .if(canManageStaff, .element(named: "details", nodes: [
                    .if(substituteState.hasErrors, .attribute(named: "open", value: "open")),
                    .element(named: "summary", nodes: [.text("Vertretung eintragen")]),
                    .form(
                        .method(.post), .action(SiteURL.substitutes(record.id).path),
                        Forms.csrf(context.csrfToken),
                        Forms.errorSummary(substituteState),
                        Forms.select("staffId", "Vertretung durch", substituteState, options: staffOptions, required: true),
                        .div(.class("row"),
                             Forms.text("from", "Von", substituteState, .init(type: .date, required: true)),
                             Forms.text("to", "Bis", substituteState, .init(type: .date, required: true))),
                        Forms.submit("Vertretung speichern")
                    ),
                ]))
            )
        )
    }
}

extension CaseFolderPages {
    static func addressFields<C: HTML.BodyContext>(_ state: FormState) -> Node<C> {
        .div(.class("grid"),
             Forms.text("familyAddress.street", "Straße und Hausnummer", state, .init(autocomplete: "street-address")),
             Forms.text("familyAddress.postalCode", "Postleitzahl", state, .init(autocomplete: "postal-code", inputMode: "numeric")),
             Forms.text("familyAddress.city", "Ort", state, .init(autocomplete: "address-level2")))
    }

    public static func addressValues(_ address: Address?) -> [String: String] {
        ["familyAddress.street": address?.street ?? "", "familyAddress.postalCode": address?.postalCode ?? "",
         "familyAddress.city": address?.city ?? ""]
    }

    /// The family's address on its own small page (home visits); all fields empty removes it.
    public static func addressForm(context: PageContext, record: CaseRecord, state: FormState) -> String {
        Layout.page(
            title: "Anschrift der Familie", context: context, current: .cases,
            .p(.class("back"), .a(.href(SiteURL.caseWork(record.id).path), .text("← \(record.youngPerson.fullName) (\(record.fileNumber))"))),
            Layout.heading("Anschrift der Familie"),
            .form(.method(.post), .action(SiteURL.familyAddress(record.id).path), .class("stack"),
                  Forms.csrf(context.csrfToken),
                  Forms.errorSummary(state),
                  .p(.class("hint"), .text("Für Hausbesuche. Alle Felder leeren entfernt die Anschrift.")),
                  addressFields(state),
                  Forms.submit("Anschrift speichern", cancel: .caseWork(record.id)))
        )
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
