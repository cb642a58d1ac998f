import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

extension Assets {
    /// The print button of printable pages (progressive enhancement; the CSP allows no inline script).
    public static let printScript = load("drucken", "js")
}

/// Accounting's month and the printable service record sheet (R14–R16).
public enum BillingPages {
    public static func month(context: PageContext, month: Month, rows: [BillingRow]) -> String {
        let previous = Month(containing: month.firstDay.adding(days: -1))
        let next = Month(containing: month.lastDay.adding(days: 1))
        let total = rows.compactMap(\.invoice).filter { $0.status != .cancelled }.reduce(Cents.zero) { $0 + $1.total }
        let offices = Dictionary(grouping: rows, by: \.work.record.youthOfficeName).sorted { $0.key < $1.key }
        let ready = rows.filter { $0.invoice?.status == .draft && $0.blockers.isEmpty }.count
        let blocked = rows.filter { $0.invoice?.status == .draft && !$0.blockers.isEmpty }.count
        let issued = rows.filter { $0.invoice?.number != nil }.count
        return Layout.page(
            title: "Abrechnung", context: context, current: .billing(nil),
            Layout.heading("Abrechnung \(WorkViews.monthName(month))"),
            .div(.class("month-nav"),
                 .a(.href(SiteURL.billing(previous).path), .text("‹ \(WorkViews.monthName(previous))")),
                 .a(.href(SiteURL.billing(next).path), .text("\(WorkViews.monthName(next)) ›"))),
            .div(.class("actions"),
                 .form(.method(.post), .action(SiteURL.billingRun(month).path), Forms.csrf(context.csrfToken),
                       .button(.type(.submit), .class("button primary"), .text("Abrechnungslauf für \(WorkViews.monthName(month)) starten"))),
                 // Issuing is irreversible (numbers, frozen data): a confirmation page says what happens first.
                 .if(ready > 0, .a(.class("button"), .href(SiteURL.issueAll(month).path), .text("Alle \(ready) freien Rechnungen stellen …"))),
                 .a(.class("button"), .href(SiteURL.invoicesCSV(month).path), .text("CSV für die Buchhaltung")),
                 .a(.class("button"), .href(SiteURL.datevExport(month).path), .text("DATEV-Buchungsstapel")),
                 .a(.href(SiteURL.datevSettings.path), .text("DATEV-Einstellungen")),
                 .if(issued > 0, .a(.class("button"), .href(SiteURL.xrechnungArchive(month).path), .text("Alle \(issued) XRechnungen als ZIP")))),
            .p(.class("meta"), .text("Summe der Rechnungen: "), amount(total),
               .text(blocked > 0 ? " · \(blocked) Entwürfe warten auf Klärung (siehe „Hindernis“)." : "")),
            .if(rows.isEmpty, .p(.class("empty"), .text("In diesem Monat ist keine abrechenbare Arbeit erfasst."))),
            .forEach(offices) { office, rows in
                .section(
                    .h2(.text("\(office) · "), .span(.class("nowrap"), .text("\(Minutes(rows.reduce(0) { $0 + $1.sheet.billableMinutes }).germanHours) Std.")),
                        .text(" · "), amount(rows.compactMap(\.invoice).filter { $0.status != .cancelled }.reduce(Cents.zero) { $0 + $1.total })),
                    Layout.table(
                        columns: ["Fall", "abrechenbar", "Nachweis", "Rechnung", "Betrag", "Hindernis / nächster Schritt"],
                        rows: rows.map { row($0, month: month, context: context) },
                        empty: "")
                )
            }
        )
    }

    static func row(_ row: BillingRow, month: Month, context: PageContext) -> [Node<HTML.BodyContext>] {
        let record = row.work.record
        let invoice = row.invoice
        return [
            .a(.class("nowrap"), .href(SiteURL.serviceRecord(record.id, month).path), .text("\(record.youngPerson.initials) · \(record.fileNumber)")),
            .span(.class("nowrap"), .text("\(Minutes(row.sheet.billableMinutes).germanHours) Std.")),
            .text(signatureText(row.sheet)),
            invoice.map { invoice in
                .a(.class("nowrap"), .href(SiteURL.invoice(invoice.id).path), .text((invoice.number.map { "\($0) " } ?? "") + invoice.status.german))
            } ?? .text("–"),
            invoice.map { amount($0.total) } ?? .text("–"),
            .group(
                .if(!row.blockers.isEmpty, .span(.class("over-tag"), .forEach(Array(row.blockers.enumerated())) { index, blocker in
                    .group(.if(index > 0, .text("; ")), blockerNode(blocker, row: row, month: month))
                })),
                .if(invoice?.status == .draft && !row.blockers.contains(where: \.refusesIssue),
                    .form(.method(.post), .action(SiteURL.issueInvoice(invoice?.id ?? SiteURL.anyID).path), Forms.csrf(context.csrfToken),
                          .button(.type(.submit), .class("button"), .text("Rechnung stellen")))),
                .if(invoice?.number != nil, .a(.href(SiteURL.xrechnung(invoice?.id ?? SiteURL.anyID).path), .text("XRechnung"))),
                // R16: a correction is a cancellation invoice; a confirmation page says what happens first.
                .if(invoice?.status == .issued, .group(.text(" · "),
                    .a(.href(SiteURL.cancelInvoice(invoice?.id ?? SiteURL.anyID).path), .text("Stornieren …"))))
            ),
        ]
    }

    /// A blocker with the way to clear it: the missing signature links to the case's service record sheet.
    static func blockerNode(_ blocker: BillingBlocker, row: BillingRow, month: Month) -> Node<HTML.BodyContext> {
        switch blocker {
        case .unsigned: .a(.href(SiteURL.serviceRecord(row.work.record.id, month).path), .text(blocker.german))
        case .noApproval, .overBudget, .missingRate: .text(blocker.german)
        }
    }

    /// An amount that never breaks across lines: "14.420,17 €".
    static func amount(_ cents: Cents) -> Node<HTML.BodyContext> { .span(.class("nowrap"), .text(cents.german)) }

    /// An IBAN as printed: groups of four ("DE02 1203 0000 0000 2020 51").
    public static func groupedIBAN(_ iban: String) -> String {
        let compact = Array(iban.filter { !$0.isWhitespace }.uppercased())
        return stride(from: 0, to: compact.count, by: 4).map { String(compact[$0..<min($0 + 4, compact.count)]) }.joined(separator: " ")
    }

    /// The confirmation before issuing all free drafts (irreversible): how many, which, what total, what happens.
    public static func confirmIssueAll(context: PageContext, month: Month, rows: [BillingRow]) -> String {
        let ready = rows.filter { $0.invoice?.status == .draft && $0.blockers.isEmpty }
        let blocked = rows.filter { $0.invoice?.status == .draft && !$0.blockers.isEmpty }.count
        let total = ready.compactMap(\.invoice).reduce(Cents.zero) { $0 + $1.total }
        let noun = ready.count == 1 ? "Rechnung" : "Rechnungen"
        return Layout.page(
            title: "Rechnungen stellen", context: context, current: .billing(nil),
            Layout.heading("\(ready.count) \(noun) für \(WorkViews.monthName(month)) stellen?"),
            .if(ready.isEmpty, .p(.class("empty"), .text("Es gibt keine freien Entwürfe in diesem Monat."))),
            .if(!ready.isEmpty, .group(
                .p(.text("Gestellt werden \(ready.count) \(noun) über zusammen "), amount(total), .text(".")),
                .ul(.li(.text("Jede Rechnung bekommt die nächste fortlaufende Rechnungsnummer des Jahres.")),
                    .li(.text("Anschriften, Positionen und Beträge werden eingefroren: eine gestellte Rechnung lässt sich danach nicht mehr ändern, nur stornieren.")),
                    .li(.text("Danach stehen die XRechnungen zum Herunterladen bereit."))),
                Layout.table(
                    columns: ["Fall", "Jugendamt", "Betrag"],
                    rows: ready.map { row in
                        [.span(.class("nowrap"), .text("\(row.work.record.youngPerson.initials) · \(row.work.record.fileNumber)")),
                         .text(row.work.record.youthOfficeName), row.invoice.map { amount($0.total) } ?? .text("–")]
                    },
                    empty: ""),
                .form(.method(.post), .action(SiteURL.issueAll(month).path), Forms.csrf(context.csrfToken),
                      .button(.type(.submit), .class("button primary"), .text(ready.count == 1 ? "Jetzt 1 Rechnung ausstellen" : "Jetzt alle \(ready.count) Rechnungen ausstellen"))))),
            .if(blocked > 0, .p(.class("meta"), .text("\(blocked) Entwürfe mit Hindernis bleiben Entwürfe und werden nicht gestellt."))),
            .p(.a(.href(SiteURL.billing(month).path), .text("Abbrechen, zurück zur Abrechnung \(WorkViews.monthName(month))")))
        )
    }

    /// "unterschrieben (03.11.2026)", "fehlt", "nicht verlangt", …
    public static func signatureText(_ sheet: ServiceRecord) -> String {
        switch sheet.decision.state {
        case .recorded(let status): "\(status.german) (\(sheet.signature?.date.german ?? ""))"
        case .changedAfterSigning: SheetSignatureState.changedText
        case .notRequired: "nicht verlangt"
        case .crisisExempt: "Krisenintervention, ausgenommen"
        case .missing: "fehlt"
        }
    }

    /// The sheet's signature paragraph: what is recorded, or what is missing (R15).
    static func signatureNotice(_ sheet: ServiceRecord) -> Node<HTML.BodyContext> {
        guard let s = sheet.signature else {
            return .p(.text(sheet.requiresSignature ? (sheet.onlyCrisis ? "Nur Kriseninterventionen: keine Unterschrift nötig (Qualitätsstandards, Abrechnung)."
                                                                          : "Noch nicht unterschrieben. Die Vereinbarung verlangt die Unterschrift.")
                                                    : "Die Vereinbarung verlangt keine Unterschrift."))
        }
        let recorded = "Erfasst: \(s.status.german) am \(s.date.german)" + (s.signedBy.map { " von \($0)" } ?? "") + (s.reason.map { " – \($0)" } ?? "")
        guard sheet.changedAfterSigning else { return .p(.text(recorded)) }
        let changes = sheet.decision.changesSinceSigning.map { c in
            [(c.added, "neu"), (c.changed, "geändert"), (c.removed, "entfernt")].filter { $0.0 > 0 }
                .map { "\($0.0) \($0.0 == 1 ? "Leistung" : "Leistungen") \($0.1)" }.joined(separator: ", ")
        } ?? ""
        return .div(.class("notice warning"), .attribute(named: "role", value: "status"),
                    .p(.strong(.text(SheetSignatureState.changedText + "."))),
                    .p(.text(recorded + ". Seitdem haben sich die Leistungen dieses Monats geändert" + (changes.isEmpty ? "" : " (\(changes))")
                             + (sheet.allowsInvoice ? "." : "; bis zur neuen Unterschrift kann für diesen Monat keine Rechnung gestellt werden."))))
    }

    /// An invoice for print on A4 (R16, R17): the frozen header, the lines, the VAT exemption.
    public static func invoice(context: PageContext, invoice: InvoiceRecord, draftHeader: String?) -> String {
        let h = invoice.header
        let title = invoice.status == .cancellation ? "Stornorechnung" : "Rechnung"
        return Layout.page(
            title: "\(title) \(invoice.number ?? "Entwurf")", context: context,
            .div(.class("no-print invoice-tools"),
                 .a(.href(SiteURL.billing(invoice.month).path), .text("‹ Zurück zur Abrechnung \(WorkViews.monthName(invoice.month))")),
                 // Shown by drucken.js (the CSP allows no inline script); without it the hint below remains.
                 .button(.type(.button), .class("button"), .data(named: "print", value: "invoice"), .attribute(named: "hidden", value: "hidden"),
                         .text("Drucken")),
                 .span(.class("meta"), .text("Drucken: Strg+P")),
                 .if(invoice.number != nil, .a(.href(SiteURL.xrechnung(invoice.id).path), .text("XRechnung herunterladen")))),
            .article(.class("sheet invoice"),
                .if(invoice.number == nil, .p(.class("draft-mark"), .text("Entwurf – noch keine Rechnung. \(draftHeader ?? "")"))),
                .unwrap(h) { h in
                    .div(.class("invoice-head"),
                         .p(.class("sender"), .text("\(h.providerName) · \(h.providerAddress)")),
                         .div(.class("recipient"), .p(.text(h.youthOfficeName)), .p(.text(h.youthOfficeAddress))),
                         .dl(.dt(.text("Rechnungsnummer")), .dd(.class("nowrap"), .text(invoice.number ?? "–")),
                             .dt(.text("Rechnungsdatum")), .dd(.class("nowrap"), .text(invoice.issuedAt.map { BerlinTime.local($0).day.german } ?? "–")),
                             .dt(.text("Leistungszeitraum")), .dd(.text("\(Day(iso: h.periodFrom)?.german ?? h.periodFrom) – \(Day(iso: h.periodTo)?.german ?? h.periodTo)")),
                             .dt(.text("Aktenzeichen")), .dd(.class("nowrap"), .text(h.fileNumber)),
                             .dt(.text("Junger Mensch")), .dd(.text(h.initials)),
                             .dt(.text("Leitweg-ID")), .dd(.class("nowrap"), .text(h.leitwegID)),
                             .dt(.text("Steuernummer")), .dd(.class("nowrap"), .text(h.providerTaxNumber))))
                },
                .h1(.text("\(title) \(invoice.number ?? "")")),
                Layout.table(
                    columns: ["Pos.", "Leistung", "Menge", "Einzelpreis", "Betrag"],
                    rows: invoice.lines.enumerated().map { index, line in
                        [.text(String(index + 1)), .text(line.description),
                         .span(.class("nowrap"), .text(line.kind == .travel ? line.quantity : line.quantity.replacingOccurrences(of: ".", with: ",") + " Std.")),
                         amount(line.unitPrice), amount(line.amount)]
                    },
                    empty: "Keine Positionen."),
                .p(.class("invoice-total nowrap"), .strong(.text("Rechnungsbetrag: \(invoice.total.german)"))),
                .unwrap(h) { h in
                    .group(
                        .p(.text(h.vatNote)),
                        invoice.status == .cancellation ? .p(.text("Der Betrag wird mit der stornierten Rechnung verrechnet."))
                            : .p(.text("Zahlbar innerhalb von 30 Tagen ohne Abzug auf das Konto "),
                                 .span(.class("nowrap"), .text("IBAN \(groupedIBAN(h.providerIBAN))")),
                                 .text(h.providerBIC.map { " (BIC \($0))" } ?? ""), .text(", Verwendungszweck "),
                                 .span(.class("nowrap"), .text(invoice.number ?? "")), .text("."))
                    )
                }),
            .script(.src(SiteURL.printScript.path), .attribute(named: "defer", value: "defer"))
        )
    }

    /// The service record sheet on A4, for the family to sign; with the signature form on screen.
    public static func serviceRecord(context: PageContext, sheet: ServiceRecord, state: FormState, canSign: Bool) -> String {
        let record = sheet.work.record
        return Layout.page(
            title: "Leistungsnachweis", context: context,
            .div(.class("sheet"),
                 .h1(.text("Leistungsnachweis \(WorkViews.monthName(sheet.month))")),
                 .p(.text("\(record.youngPerson.fullName) · Aktenzeichen \(record.fileNumber) · \(record.offerName) · \(record.youthOfficeName)")),
                 Layout.table(
                     columns: ["Datum", "Zeit", "Dauer", "Art", "Fachkraft", "abrechenbar"],
                     rows: sheet.entries.map { c in
                         [.text(c.entry.facts.date.german), .text(c.entry.facts.start.text), .text("\(c.entry.facts.minutes) Min."),
                          .text(c.entry.facts.kind.german), .text(c.entry.staffName), .text("\(c.billableMinutes) Min.")]
                     },
                     empty: "Keine abrechenbaren Leistungen in diesem Monat."),
                 .p(.strong(.text("Summe: \(Minutes(sheet.billableMinutes).germanHours) Stunden"))),
                 .if(sheet.signature?.drawing != nil && !sheet.changedAfterSigning,
                     .div(.class("signature-drawn"),
                             .img(.src(SiteURL.signatureImage(record.id, sheet.month).path), .alt("Unterschrift von \(sheet.signature?.signedBy ?? "")")),
                             .p(.text("Unterschrieben am \(sheet.signature?.date.german ?? "") von \(sheet.signature?.signedBy ?? "")"))),
                     else: .div(.class("signature-lines"),
                                .p(.text("Ort, Datum: ______________________")),
                                .p(.text("Unterschrift Klient:in / Sorgeberechtigte: ______________________"))))),
            .section(.class("no-print"),
                     .h2(.text("Unterschrift")),
                     signatureNotice(sheet),
                     .if(canSign, .form(
                         .method(.post), .action(SiteURL.serviceRecord(record.id, sheet.month).path),
                         Forms.csrf(context.csrfToken),
                         Forms.errorSummary(state),
                         // "Not needed" only for a month of crisis interventions only (seed 004); the store refuses it otherwise.
                         Forms.select("status", "Status", state, options: SignatureStatus.allCases.filter { $0 != .exempt || sheet.onlyCrisis }
                             .map { ($0.rawValue, $0.german) }, required: true),
                         .div(.class("row"),
                              Forms.text("date", "Datum", state, .init(type: .date, required: true)),
                              Forms.text("signedBy", "Unterschrieben von", state)),
                         Forms.text("reason", "Grund (bei verweigert / nicht möglich)", state),
                         .div(.id("signature-pad"), .class("signature-pad"), .attribute(named: "hidden", value: "hidden"),
                              .p(.text("Auf dem Tablet oder Telefon: hier mit Finger oder Stift unterschreiben.")),
                              .element(named: "canvas", nodes: [.attribute(named: "aria-label", value: "Feld für die Unterschrift")]),
                              .button(.type(.button), .id("signature-clear"), .class("link-button"), .text("Unterschrift löschen"))),
                         .input(.type(.hidden), .name("drawing"), .id("drawing"), .value("")),
                         Forms.submit("Unterschrift erfassen")))),
            .script(.src(SiteURL.signatureScript.path), .attribute(named: "defer", value: "defer")),
            .p(.class("no-print"), .a(.href(SiteURL.caseWork(record.id).path), .text("Zurück zum Fall")))
        )
    }
}
