import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// Accounting's month and the printable service record sheet (R14–R16).
public enum BillingPages {
    public struct Row: Sendable {
        public let record: CaseRecord
        public let invoice: InvoiceRecord?
        public let sheet: ServiceRecord

        public init(record: CaseRecord, invoice: InvoiceRecord?, sheet: ServiceRecord) {
            self.record = record
            self.invoice = invoice
            self.sheet = sheet
        }
    }

    public static func month(context: PageContext, month: Month, rows: [Row]) -> String {
        let previous = Month(containing: month.firstDay.adding(days: -1))
        let next = Month(containing: month.lastDay.adding(days: 1))
        let total = rows.compactMap(\.invoice).filter { $0.status != .cancelled }.reduce(Cents.zero) { $0 + $1.total }
        return Layout.page(
            title: "Abrechnung", context: context, current: .billing(nil),
            Layout.heading("Abrechnung \(WorkViews.monthName(month))"),
            .div(.class("month-nav"),
                 .a(.href(SiteURL.billing(previous).path), .text("‹ \(WorkViews.monthName(previous))")),
                 .a(.href(SiteURL.billing(next).path), .text("\(WorkViews.monthName(next)) ›"))),
            .form(.method(.post), .action(SiteURL.billingRun(month).path),
                  Forms.csrf(context.csrfToken),
                  .div(.class("actions"), .button(.type(.submit), .class("button primary"), .text("Abrechnungslauf für \(WorkViews.monthName(month)) starten")))),
            .p(.class("meta"), .text("Summe der Rechnungen: \(total.german)")),
            Layout.table(
                columns: ["Fall", "Jugendamt", "abrechenbar", "Nachweis", "Rechnung", "Betrag", ""],
                rows: rows.map { row in
                    let sheet = row.sheet
                    let signature = sheet.signature.map { "\($0.status.german) (\($0.date.german))" }
                        ?? (sheet.requiresSignature ? (sheet.onlyCrisis ? "Krisenintervention, ausgenommen" : "fehlt") : "nicht verlangt")
                    let blockers = [sheet.allowsInvoice ? nil : "Unterschrift fehlt"].compactMap { $0 }
                    return [
                        .a(.href(SiteURL.serviceRecord(row.record.id, month).path), .text("\(row.record.youngPerson.initials) · \(row.record.fileNumber)")),
                        .text(row.record.youthOfficeName),
                        .text("\(Minutes(sheet.billableMinutes).germanHours) Std."),
                        .text(signature),
                        .text(row.invoice.map { ($0.number.map { "\($0) " } ?? "") + $0.status.german } ?? "–"),
                        .text(row.invoice?.total.german ?? "–"),
                        .if(row.invoice?.status == .draft,
                            .if(blockers.isEmpty,
                                .form(.method(.post), .action(SiteURL.issueInvoice(row.invoice!.id).path),
                                      Forms.csrf(context.csrfToken),
                                      .button(.type(.submit), .class("button"), .text("Rechnung stellen"))),
                                else: .span(.class("over-tag"), .text(blockers.joined(separator: ", "))))),
                    ]
                },
                empty: "In diesem Monat ist keine abrechenbare Arbeit erfasst, oder der Abrechnungslauf wurde noch nicht gestartet."
            )
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
                 .div(.class("signature-lines"),
                      .p(.text("Ort, Datum: ______________________")),
                      .p(.text("Unterschrift Klient:in / Sorgeberechtigte: ______________________")))),
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
                         Forms.submit("Unterschrift erfassen")))),
            .p(.class("no-print"), .a(.href(SiteURL.caseWork(record.id).path), .text("Zurück zum Fall")))
        )
    }
}
