import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Accounting's month and the printable service record sheet (R14–R16).
public enum BillingPages {
    public static func month(context: PageContext, month: Month, rows: [BillingRow]) -> String {
        let previous = Month(containing: month.firstDay.adding(days: -1))
        let next = Month(containing: month.lastDay.adding(days: 1))
        let total = rows.compactMap(\.invoice).filter { $0.status != .cancelled }.reduce(Cents.zero) { $0 + $1.total }
        let offices = Dictionary(grouping: rows, by: \.work.record.youthOfficeName).sorted { $0.key < $1.key }
        let ready = rows.filter { $0.invoice?.status == .draft && $0.blockers.isEmpty }.count
        let blocked = rows.filter { $0.invoice?.status == .draft && !$0.blockers.isEmpty }.count
        return Layout.page(
            title: "Abrechnung", context: context, current: .billing(nil),
            Layout.heading("Abrechnung \(WorkViews.monthName(month))"),
            .div(.class("month-nav"),
                 .a(.href(SiteURL.billing(previous).path), .text("‹ \(WorkViews.monthName(previous))")),
                 .a(.href(SiteURL.billing(next).path), .text("\(WorkViews.monthName(next)) ›"))),
            .div(.class("actions"),
                 .form(.method(.post), .action(SiteURL.billingRun(month).path), Forms.csrf(context.csrfToken),
                       .button(.type(.submit), .class("button primary"), .text("Abrechnungslauf für \(WorkViews.monthName(month)) starten"))),
                 .if(ready > 0, .form(.method(.post), .action(SiteURL.issueAll(month).path), Forms.csrf(context.csrfToken),
                                      .button(.type(.submit), .class("button"), .text("Alle \(ready) freien Rechnungen stellen")))),
                 .a(.class("button"), .href(SiteURL.invoicesCSV(month).path), .text("CSV für die Buchhaltung"))),
            .p(.class("meta"), .text("Summe der Rechnungen: \(total.german)"
                + (blocked > 0 ? " · \(blocked) Entwürfe warten auf Klärung (siehe „Hindernis“)." : ""))),
            .if(rows.isEmpty, .p(.class("empty"), .text("In diesem Monat ist keine abrechenbare Arbeit erfasst."))),
            .forEach(offices) { office, rows in
                .section(
                    .h2(.text("\(office) · \(Minutes(rows.reduce(0) { $0 + $1.sheet.billableMinutes }).germanHours) Std. · "
                              + rows.compactMap(\.invoice).filter { $0.status != .cancelled }.reduce(Cents.zero) { $0 + $1.total }.german)),
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
            .a(.href(SiteURL.serviceRecord(record.id, month).path), .text("\(record.youngPerson.initials) · \(record.fileNumber)")),
            .text("\(Minutes(row.sheet.billableMinutes).germanHours) Std."),
            .text(signatureText(row.sheet)),
            invoice.map { invoice in
                .a(.href(SiteURL.invoice(invoice.id).path), .text((invoice.number.map { "\($0) " } ?? "") + invoice.status.german))
            } ?? .text("–"),
            .text(invoice?.total.german ?? "–"),
            .group(
                .if(!row.blockers.isEmpty, .span(.class("over-tag"), .text(row.blockers.map(\.german).joined(separator: "; ")))),
                .if(invoice?.status == .draft && !row.blockers.contains(where: \.refusesIssue),
                    .form(.method(.post), .action(SiteURL.issueInvoice(invoice?.id ?? SiteURL.anyID).path), Forms.csrf(context.csrfToken),
                          .button(.type(.submit), .class("button"), .text("Rechnung stellen")))),
                .if(invoice?.number != nil, .a(.href(SiteURL.xrechnung(invoice?.id ?? SiteURL.anyID).path), .text("XRechnung")))
            ),
        ]
    }

    /// "unterschrieben (03.11.2026)", "fehlt", "nicht verlangt", …
    public static func signatureText(_ sheet: ServiceRecord) -> String {
        sheet.signature.map { "\($0.status.german) (\($0.date.german))" }
            ?? (sheet.requiresSignature ? (sheet.onlyCrisis ? "Krisenintervention, ausgenommen" : "fehlt") : "nicht verlangt")
    }

    /// An invoice for print on A4 (R16, R17): the frozen header, the lines, the VAT exemption.
    public static func invoice(context: PageContext, invoice: InvoiceRecord, draftHeader: String?) -> String {
        let h = invoice.header
        let title = invoice.status == .cancellation ? "Stornorechnung" : "Rechnung"
        return Layout.page(
            title: "\(title) \(invoice.number ?? "Entwurf")", context: context,
            .p(.class("no-print"), .a(.href(SiteURL.billing(invoice.month).path), .text("‹ Zurück zur Abrechnung \(WorkViews.monthName(invoice.month))")),
               .text(" · Zum Drucken die Druckfunktion des Browsers verwenden (Strg+P)."),
               .if(invoice.number != nil, .group(.text(" · "), .a(.href(SiteURL.xrechnung(invoice.id).path), .text("XRechnung herunterladen"))))),
            .article(.class("sheet invoice"),
                .if(invoice.number == nil, .p(.class("draft-mark"), .text("Entwurf – noch keine Rechnung. \(draftHeader ?? "")"))),
                .unwrap(h) { h in
                    .div(.class("invoice-head"),
                         .p(.class("sender"), .text("\(h.providerName) · \(h.providerAddress)")),
                         .div(.class("recipient"), .p(.text(h.youthOfficeName)), .p(.text(h.youthOfficeAddress))),
                         .dl(.dt(.text("Rechnungsnummer")), .dd(.text(invoice.number ?? "–")),
                             .dt(.text("Leistungszeitraum")), .dd(.text("\(Day(iso: h.periodFrom)?.german ?? h.periodFrom) – \(Day(iso: h.periodTo)?.german ?? h.periodTo)")),
                             .dt(.text("Aktenzeichen")), .dd(.text(h.fileNumber)),
                             .dt(.text("Junger Mensch")), .dd(.text(h.initials)),
                             .dt(.text("Leitweg-ID")), .dd(.text(h.leitwegID)),
                             .dt(.text("Steuernummer")), .dd(.text(h.providerTaxNumber))))
                },
                .h1(.text("\(title) \(invoice.number ?? "")")),
                Layout.table(
                    columns: ["Pos.", "Leistung", "Menge", "Einzelpreis", "Betrag"],
                    rows: invoice.lines.enumerated().map { index, line in
                        [.text(String(index + 1)), .text(line.description),
                         .text(line.kind == .travel ? line.quantity : line.quantity.replacingOccurrences(of: ".", with: ",") + " Std."),
                         .text(line.unitPrice.german), .text(line.amount.german)]
                    },
                    empty: "Keine Positionen."),
                .p(.class("invoice-total"), .strong(.text("Rechnungsbetrag: \(invoice.total.german)"))),
                .unwrap(h) { h in
                    .group(
                        .p(.text(h.vatNote)),
                        .p(.text(invoice.status == .cancellation ? "Der Betrag wird mit der stornierten Rechnung verrechnet."
                                 : "Zahlbar innerhalb von 30 Tagen ohne Abzug auf das Konto \(h.providerIBAN)\(h.providerBIC.map { " (BIC \($0))" } ?? ""), Verwendungszweck \(invoice.number ?? "")."))
                    )
                })
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
                 .if(sheet.signature?.drawing != nil,
                     .div(.class("signature-drawn"),
                             .img(.src(SiteURL.signatureImage(record.id, sheet.month).path), .alt("Unterschrift von \(sheet.signature?.signedBy ?? "")")),
                             .p(.text("Unterschrieben am \(sheet.signature?.date.german ?? "") von \(sheet.signature?.signedBy ?? "")"))),
                     else: .div(.class("signature-lines"),
                                .p(.text("Ort, Datum: ______________________")),
                                .p(.text("Unterschrift Klient:in / Sorgeberechtigte: ______________________"))))),
            .section(.class("no-print"),
                     .h2(.text("Unterschrift")),
                     .p(.text(sheet.signature.map { "Erfasst: \($0.status.german) am \($0.date.german)" + ($0.signedBy.map { " von \($0)" } ?? "") + ($0.reason.map { " – \($0)" } ?? "") }
                              ?? (sheet.requiresSignature ? "Noch nicht unterschrieben. Die Vereinbarung verlangt die Unterschrift." : "Die Vereinbarung verlangt keine Unterschrift."))),
                     .if(canSign, .form(
                         .method(.post), .action(SiteURL.serviceRecord(record.id, sheet.month).path),
                         Forms.csrf(context.csrfToken),
                         Forms.errorSummary(state),
                         Forms.select("status", "Status", state, options: SignatureStatus.allCases.map { ($0.rawValue, $0.german) }, required: true),
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
