import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

extension BillingStore {
    static func header(for invoice: InvoiceModel, on db: any Database) async throws -> String {
        guard let provider = try await ProviderStore.get(on: db) else {
            throw ValidationFailure([FieldError("provider", "Die Angaben des Trägers (Anschrift, Steuernummer, IBAN) fehlen noch; ohne sie kann keine Rechnung gestellt werden.")])
        }
        if (provider.email ?? "").trimmed.isEmpty || (provider.phone ?? "").trimmed.isEmpty {
            // XRechnung (R17) names the seller's e-mail address and a contact with phone and e-mail.
            throw ValidationFailure([FieldError("provider", "Für die E-Rechnung fehlen E-Mail-Adresse und Telefonnummer des Trägers. Bitte unter „Träger“ ergänzen.")])
        }
        guard let caseModel = try await CaseModel.query(on: db).filter(\.$id == invoice.$case.id).with(\.$youthOffice).with(\.$offer).with(\.$persons).first(),
              let month = Month(iso: invoice.month)
        else { throw RecordNotFound(entity: entity) }
        let office = caseModel.youthOffice
        let young = caseModel.persons.first { $0.role == "youngPerson" }
        func address(_ a: Address) -> String { "\(a.street), \(a.postalCode) \(a.city)" }
        let header = InvoiceHeader(
            providerName: provider.name, providerAddress: address(provider.address), providerTaxNumber: provider.taxNumber, providerIBAN: provider.iban,
            youthOfficeName: office.name, youthOfficeAddress: "\(office.street), \(office.postalCode) \(office.city)", leitwegID: office.leitwegId,
            fileNumber: caseModel.fileNumber,
            initials: young.map { Person(firstName: $0.firstName, lastName: $0.lastName).initials } ?? "",
            periodFrom: month.firstDay.iso, periodTo: month.lastDay.iso, vatNote: InvoiceHeader.vatExemption,
            providerStreet: provider.address.street, providerPostalCode: provider.address.postalCode, providerCity: provider.address.city,
            providerEmail: provider.email, providerPhone: provider.phone, providerBIC: provider.bic,
            youthOfficeStreet: office.street, youthOfficePostalCode: office.postalCode, youthOfficeCity: office.city,
            offerName: caseModel.offer.name)
        return String(decoding: try JSONEncoder().encode(header), as: UTF8.self)
    }
}
