import FallwerkDomain
import Fluent
import Foundation

public enum ProviderStore {
    static let entity = "provider"

    /// The provider's data, or nil before it was first entered.
    public static func get(on db: any Database) async throws -> ProviderProfile? {
        try await ProviderModel.query(on: db).first().map(profile)
    }

    public static func save(_ input: ProviderInput, context: WriteContext, on db: any Database) async throws {
        let profile = try input.validated()
        try await db.writeTransaction { db in
            let existing = try await ProviderModel.query(on: db).first()
            let model = existing ?? ProviderModel()
            let before = existing.map { snapshot(self.profile($0)) } ?? [:]
            model.name = profile.name
            model.street = profile.address.street
            model.postalCode = profile.address.postalCode
            model.city = profile.address.city
            model.taxNumber = profile.taxNumber
            model.iban = profile.iban
            model.bic = profile.bic
            model.bankName = profile.bankName
            model.email = profile.email
            model.phone = profile.phone
            model.productivePercent = profile.productivePercent
            model.requestAlertDays = profile.requestAlertDays
            try await model.save(on: db)
            try await AuditLog.record(existing == nil ? .create : .update, entity: entity, id: model.id,
                                      changes: AuditLog.diff(from: before, to: snapshot(profile)),
                                      by: context.actor, at: context.now, on: db)
        }
    }

    static func profile(_ model: ProviderModel) -> ProviderProfile {
        var profile = ProviderProfile(name: model.name,
                                      address: Address(street: model.street, postalCode: model.postalCode, city: model.city),
                                      taxNumber: model.taxNumber, iban: model.iban, bic: model.bic, bankName: model.bankName,
                                      email: model.email, phone: model.phone)
        profile.productivePercent = model.productivePercent ?? Capacity.defaultProductivePercent
        profile.requestAlertDays = model.requestAlertDays ?? IntakeRules.defaultAlertDays
        return profile
    }

    static func snapshot(_ p: ProviderProfile) -> [String: String] {
        var fields = ["name": p.name, "address": p.address.singleLine, "taxNumber": p.taxNumber, "iban": p.iban]
        fields["bic"] = p.bic
        fields["bankName"] = p.bankName
        fields["email"] = p.email
        fields["phone"] = p.phone
        fields["productivePercent"] = String(p.productivePercent)
        fields["requestAlertDays"] = String(p.requestAlertDays)
        return fields
    }
}
