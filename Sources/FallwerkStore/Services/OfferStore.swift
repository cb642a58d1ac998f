import FallwerkDomain
import Fluent
import Foundation

public struct OfferRecord: Sendable, Hashable {
    public let id: UUID
    public let offer: Offer
}

public enum OfferStore {
    static let entity = "offer"

    public static func list(on db: any Database) async throws -> [OfferRecord] {
        try await OfferModel.query(on: db).sort(\.$name).all().map(record)
    }

    public static func get(_ id: UUID, on db: any Database) async throws -> OfferRecord {
        record(try await OfferModel.require(id, entity: entity, on: db))
    }

    @discardableResult
    public static func save(_ input: OfferInput, id: UUID? = nil, context: WriteContext, on db: any Database) async throws -> UUID {
        let offer = try input.validated()
        return try await db.writeTransaction { db in
            let model = try await OfferModel.existingOrNew(id, entity: entity, on: db)
            let before = id == nil ? [:] : snapshot(record(model).offer)
            model.name = offer.name
            model.legalBasis = offer.legalBasis
            model.offerDescription = offer.description
            model.firstReviewMonths = offer.firstReviewMonths
            model.onboardingDayMinutes = offer.onboardingDayMinutes
            model.requiredQualification = offer.requiredQualification?.rawValue
            try await model.save(on: db)
            try await AuditLog.record(id == nil ? .create : .update, entity: entity, id: model.id,
                                      changes: AuditLog.diff(from: before, to: snapshot(offer)),
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    static func record(_ model: OfferModel) -> OfferRecord {
        OfferRecord(id: model.id!, offer: Offer(
            name: model.name, legalBasis: model.legalBasis, description: model.offerDescription,
            firstReviewMonths: model.firstReviewMonths, onboardingDayMinutes: model.onboardingDayMinutes,
            requiredQualification: model.requiredQualification.flatMap(Qualification.init(rawValue:))
        ))
    }

    static func snapshot(_ offer: Offer) -> [String: String] {
        var fields = ["name": offer.name, "legalBasis": offer.legalBasis]
        fields["description"] = offer.description
        fields["firstReviewMonths"] = offer.firstReviewMonths.map(String.init)
        fields["onboardingDayHours"] = offer.onboardingDayMinutes.map { Minutes($0).hoursString }
        fields["requiredQualification"] = offer.requiredQualification?.rawValue
        return fields
    }
}
