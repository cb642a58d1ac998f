import FallwerkDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers

public struct AgreementRateRecord: Sendable, Hashable {
    public let offerID: UUID
    public let offerName: String
    public let hourlyRate: Cents
}

public struct AgreementRecord: Sendable, Hashable {
    public let id: UUID
    public let youthOfficeID: UUID
    public let youthOfficeName: String
    public let validFrom: Day
    public let validTo: Day?
    public let rates: [AgreementRateRecord]
    public let settings: AgreementSettings
}

/// An agreement as typed: the references as raw ids beside the checked terms.
public struct AgreementDraft: Sendable, Equatable {
    public var youthOfficeId: String?
    /// Parallel to `terms.hourlyRates`.
    public var offerIds: [String?] = []
    public var terms = AgreementInput()

    public init() {}
}

public enum AgreementStore {
    static let entity = "agreement"

    public static func list(youthOfficeID: UUID? = nil, on db: any Database) async throws -> [AgreementRecord] {
        var query = AgreementModel.query(on: db).with(\.$youthOffice).with(\.$rates) { $0.with(\.$offer) }
        if let youthOfficeID { query = query.filter(\.$youthOffice.$id == youthOfficeID) }
        return try await query.sort(\.$validFrom, .descending).all().map(record)
            .sorted { ($0.youthOfficeName, $1.validFrom) < ($1.youthOfficeName, $0.validFrom) }
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> AgreementRecord {
        guard let model = try await AgreementModel.query(on: db).filter(\.$id == id)
            .with(\.$youthOffice).with(\.$rates, { $0.with(\.$offer) }).first()
        else { throw RecordNotFound(entity: entity) }
        return record(model)
    }

    @discardableResult
    public static func save(_ draft: AgreementDraft, id: UUID? = nil, context: WriteContext, on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            let existing: AgreementRecord? = if let id { try await get(id, on: db) } else { nil }
            var v = Validator()
            let officeID = v.id(draft.youthOfficeId, "youthOfficeId", label: "das Jugendamt")
            if let officeID, !(try await YouthOfficeModel.exists(officeID, on: db)) {
                v.add("youthOfficeId", "Dieses Jugendamt ist unbekannt.")
            }
            var offerIDs: [UUID] = []
            let offerNames = Dictionary(uniqueKeysWithValues: try await OfferModel.query(on: db).all().compactMap { o in o.id.map { ($0, o.name) } })
            for (index, raw) in draft.offerIds.enumerated() {
                let field = "rates[\(index)].offerId"
                guard let offerID = v.id(raw, field, label: "das Angebot") else { continue }
                if offerIDs.contains(offerID) {
                    v.add(field, "Für dieses Angebot ist bereits ein Stundensatz angegeben.")
                } else if offerNames[offerID] == nil {
                    v.add(field, "Dieses Angebot ist unbekannt.")
                }
                offerIDs.append(offerID)
            }
            var terms = draft.terms
            terms.rateLabels = draft.offerIds.map { raw in raw.flatMap { UUID(uuidString: $0.trimmed) }.flatMap { offerNames[$0] } ?? "Angebot" }
            if terms.hourlyRates.count < draft.offerIds.count {
                terms.hourlyRates += Array(repeating: nil, count: draft.offerIds.count - terms.hourlyRates.count)
            }
            let checked = terms.validated(into: &v)
            if let officeID, let checked {
                let others = try await AgreementModel.query(on: db).filter(\.$youthOffice.$id == officeID).all()
                for other in others where other.id != id {
                    let otherFrom = Day(iso: other.validFrom)!, otherTo = other.validTo.flatMap(Day.init(iso:))
                    if AgreementTerms.periodsOverlap((checked.validFrom, checked.validTo), (otherFrom, otherTo)) {
                        v.add("validFrom", "Für dieses Jugendamt gilt in diesem Zeitraum schon eine Vereinbarung (ab \(otherFrom.german)\(otherTo.map { " bis \($0.german)" } ?? "")). Zeiträume dürfen sich nicht überschneiden.")
                        break
                    }
                }
            }
            try v.finish()
            guard let officeID, let checked else { throw ValidationFailure(v.errors) }

            let model = try await AgreementModel.existingOrNew(id, entity: entity, on: db)
            model.$youthOffice.id = officeID
            model.validFrom = checked.validFrom.iso
            model.validTo = checked.validTo?.iso
            model.settingsJSON = try encode(checked.settings)
            try await model.save(on: db)
            let agreementID = try model.requireID()
            try await AgreementRateModel.query(on: db).filter(\.$agreement.$id == agreementID).delete()
            for (offerID, rate) in zip(offerIDs, checked.hourlyRates) {
                let row = AgreementRateModel()
                row.$agreement.id = agreementID
                row.$offer.id = offerID
                row.hourlyRateCents = rate.value
                try await row.create(on: db)
            }
            // One recount path (R10, R13): every entry on a day the old or new validity covers counts again.
            var periods: [(from: Day, to: Day?)] = [(checked.validFrom, checked.validTo)]
            if let existing { periods.append((existing.validFrom, existing.validTo)) }
            try await AgreementRecount.apply(youthOfficeID: officeID, span: .init(periods), on: db)
            if let existing, existing.youthOfficeID != officeID {
                try await AgreementRecount.apply(youthOfficeID: existing.youthOfficeID, span: .init(periods), on: db)
            }
            let after = try await get(agreementID, on: db)
            try await AuditLog.record(id == nil ? .create : .update, entity: entity, id: agreementID,
                                      changes: AuditLog.diff(from: existing.map(snapshot) ?? [:], to: snapshot(after)),
                                      by: context.actor, at: context.now, on: db)
            return agreementID
        }
    }

    static func encode(_ settings: AgreementSettings) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(settings), as: UTF8.self)
    }

    static func decode(_ json: String) -> AgreementSettings {
        if let known = decoded.withLockedValue({ $0[json] }) { return known }
        // A row that cannot be read must not silently bill with other numbers; but settings are
        // only ever written by `encode`, so this fallback is unreachable in practice.
        let settings = (try? JSONDecoder().decode(AgreementSettings.self, from: Data(json.utf8))) ?? .defaults
        decoded.withLockedValue { known in
            if known.count >= 256 { known.removeAll() }
            known[json] = settings
        }
        return settings
    }

    /// Settings by their stored text: every list and every entry write reads the same few agreements, and
    /// decoding them was more of a caseworker's alert list than reading them (issue 12). The text is the
    /// whole value, so a changed agreement is a new key.
    private static let decoded = NIOLockedValueBox<[String: AgreementSettings]>([:])

    static func record(_ model: AgreementModel) -> AgreementRecord {
        AgreementRecord(
            id: model.id!, youthOfficeID: model.$youthOffice.id, youthOfficeName: model.youthOffice.name,
            validFrom: Day(iso: model.validFrom)!, validTo: model.validTo.flatMap(Day.init(iso:)),
            rates: model.rates.map {
                AgreementRateRecord(offerID: $0.$offer.id, offerName: $0.offer.name, hourlyRate: Cents($0.hourlyRateCents))
            }.sorted { germanOrder($0.offerName, $1.offerName) },
            settings: decode(model.settingsJSON)
        )
    }

    static func snapshot(_ record: AgreementRecord) -> [String: String] {
        var fields = ["youthOfficeId": record.youthOfficeID.uuidString, "validFrom": record.validFrom.iso]
        fields["validTo"] = record.validTo?.iso
        for rate in record.rates { fields["rate[\(rate.offerName)]"] = rate.hourlyRate.decimalString }
        if let data = try? JSONEncoder().encode(record.settings),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for (key, value) in object { fields["settings.\(key)"] = "\(value)" }
        }
        return fields
    }
}
