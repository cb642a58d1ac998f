import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

extension BillingPages {
    /// The confirmation before cancelling an issued invoice (R16, GoBD): what is cancelled, what follows.
    public static func confirmCancel(context: PageContext, invoice: InvoiceRecord) -> String {
        let number = invoice.number ?? ""
        let file = invoice.header.map { "\($0.initials) · \($0.fileNumber)" } ?? ""
        return Layout.page(
            title: "Rechnung stornieren", context: context, current: .billing(nil),
            Layout.heading("Rechnung \(number) stornieren?"),
            .p(.text("Rechnung \(number) (\(file), \(WorkViews.monthName(invoice.month))) über "), amount(invoice.total), .text(".")),
            .ul(.li(.text("Die Rechnung selbst bleibt unverändert erhalten und wird als „storniert“ geführt.")),
                .li(.text("Es entsteht eine Stornorechnung mit der nächsten fortlaufenden Nummer und negativen Beträgen.")),
                .li(.text("Danach ist der Monat für diesen Fall wieder offen: Leistungen lassen sich korrigieren, der nächste Abrechnungslauf erstellt einen neuen Entwurf."))),
            .form(.method(.post), .action(SiteURL.cancelInvoice(invoice.id).path), Forms.csrf(context.csrfToken),
                  .button(.type(.submit), .class("button primary"), .text("Jetzt stornieren"))),
            .p(.a(.href(SiteURL.billing(invoice.month).path), .text("Abbrechen, zurück zur Abrechnung \(WorkViews.monthName(invoice.month))")))
        )
    }
}
