import FallwerkDomain
import Fluent
import Foundation

public struct YouthOfficeRecord: Sendable, Hashable {
    public let id: UUID
    public let office: YouthOffice
}

public enum YouthOfficeStore {
    static let entity = "youthOffice"

    public static func list(on db: any Database) async throws -> [YouthOfficeRecord] {
        try await YouthOfficeModel.query(on: db).with(\.$contacts).sort(\.$name).all().map(record)
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> YouthOfficeRecord {
        guard let model = try await YouthOfficeModel.query(on: db).filter(\.$id == id).with(\.$contacts).first()
        else { throw RecordNotFound(entity: entity) }
        return record(model)
    }

    /// Creates (id nil) or replaces a youth office with its contact persons.
    @discardableResult
    public static func save(_ input: YouthOfficeInput, id: UUID? = nil, context: WriteContext, on db: any Database) async throws -> UUID {
        let office = try input.validated()
        return try await db.writeTransaction { db in
            let model: YouthOfficeModel
            var before: [String: String] = [:]
            if let id {
                guard let existing = try await YouthOfficeModel.query(on: db).filter(\.$id == id).with(\.$contacts).first()
                else { throw RecordNotFound(entity: entity) }
                model = existing
                before = snapshot(record(existing).office)
                try await YouthOfficeContactModel.query(on: db).filter(\.$youthOffice.$id == id).delete()
            } else {
                model = YouthOfficeModel()
            }
            model.name = office.name
            model.street = office.address.street
            model.postalCode = office.address.postalCode
            model.city = office.address.city
            model.leitwegId = office.leitwegId
            model.email = office.email
            model.phone = office.phone
            try await model.save(on: db)
            let officeID = try model.requireID()
            for (position, contact) in office.contacts.enumerated() {
                let row = YouthOfficeContactModel()
                row.$youthOffice.id = officeID
                row.position = position
                row.name = contact.name
                row.phone = contact.phone
                row.email = contact.email
                row.deputyName = contact.deputyName
                row.deputyPhone = contact.deputyPhone
                row.deputyEmail = contact.deputyEmail
                try await row.create(on: db)
            }
            try await AuditLog.record(id == nil ? .create : .update, entity: entity, id: officeID,
                                      changes: AuditLog.diff(from: before, to: snapshot(office)),
                                      by: context.actor, at: context.now, on: db)
            return officeID
        }
    }

    static func record(_ model: YouthOfficeModel) -> YouthOfficeRecord {
        let contacts = model.$contacts.value ?? []
        return YouthOfficeRecord(id: model.id!, office: YouthOffice(
            name: model.name,
            address: Address(street: model.street, postalCode: model.postalCode, city: model.city),
            leitwegId: model.leitwegId, email: model.email, phone: model.phone,
            contacts: contacts.sorted { $0.position < $1.position }.map {
                ContactPerson(name: $0.name, phone: $0.phone, email: $0.email,
                              deputyName: $0.deputyName, deputyPhone: $0.deputyPhone, deputyEmail: $0.deputyEmail)
            }
        ))
    }

    static func snapshot(_ office: YouthOffice) -> [String: String] {
        var fields = [
            "name": office.name, "address": office.address.singleLine, "leitwegId": office.leitwegId,
        ]
        fields["email"] = office.email
        fields["phone"] = office.phone
        for (index, contact) in office.contacts.enumerated() {
            fields["contacts[\(index)]"] = [contact.name, contact.phone, contact.email,
                                            contact.deputyName, contact.deputyPhone, contact.deputyEmail]
                .map { $0 ?? "" }.joined(separator: " | ")
        }
        return fields
    }
}
