@testable import FallwerkStore
import FluentKit
import Foundation
import Testing

extension AllTests {
    @Suite("Models list their properties (issue 12: no reflection per decoded row)")
    struct ModelPropertyListTests {
        /// Every model of the store. A model missing here still works (Fluent reflects over it); one whose
        /// hand-written list misses a property would silently not read or write that column, so each
        /// list is checked against what reflection finds.
        static let models: [any Model.Type] = [
            InvoiceModel.self, InvoiceLineModel.self, UserModel.self, UserTokenModel.self, LoginThrottleModel.self,
            AuditEntryModel.self, ApprovalModel.self, ApprovalIncreaseModel.self, ServiceEntryModel.self, GroupSessionModel.self,
            AlertAcknowledgementModel.self, CaseBudgetWindowModel.self, CaseModel.self, CasePersonModel.self, CaseAssignmentModel.self,
            GoalModel.self, GoalRatingModel.self, NoteModel.self, ReportModel.self, CarePlanMeetingModel.self,
            CarePlanDocumentModel.self, CalendarFeedModel.self, CarePlanVersionModel.self, WebSessionModel.self, ProviderModel.self,
            YouthOfficeModel.self, YouthOfficeContactModel.self, OfferModel.self, AgreementModel.self, AgreementRateModel.self,
            TeamModel.self, StaffModel.self, ServiceRecordSignatureModel.self,
        ]

        @Test("Issue 12: each model's property list holds exactly the properties reflection finds, in the same order")
        func listsMatchReflection() {
            for type in Self.models {
                let model = type.init()
                let listed = model.properties.map { ObjectIdentifier($0 as AnyObject) }
                let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
                    .map { ObjectIdentifier($0 as AnyObject) }
                #expect(!reflected.isEmpty, "\(type)")
                #expect(listed == reflected, "\(type): \(listed.count) listed, \(reflected.count) found by reflection")
            }
        }
    }
}
