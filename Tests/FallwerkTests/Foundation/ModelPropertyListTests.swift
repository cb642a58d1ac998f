@testable import FallwerkStore
@testable import FallwerkApp
import FluentKit
import Foundation
import Fluent
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
            ChildProtectionProcedureModel.self, ChildProtectionStepModel.self, IsefExpertModel.self,
            IncidentModel.self, ComplaintModel.self, SafeguardingStepModel.self, SafeguardingSettingsModel.self,
            IntakeRequestModel.self, StaffEvidenceModel.self, StaffAbsenceModel.self, AbsenceReplacementModel.self, OnCallShiftModel.self,
            IndependentLivingModel.self, PerformanceReportModel.self, DatevSettingsModel.self,
            HealthRecordModel.self,
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

extension AllTests.ModelPropertyListTests {
    /// Every model as JSON with sorted keys, in id order.
    static func json<M: Model>(_ models: [M]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try models.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.sorted()
    }

    @Test("Issue 12: models read from plain rows equal the models Fluent reads (SQLite and PostgreSQL)")
    func rowsEqualFluent() async throws {
        try await TestApp.run { t in
            // given the demo provider: entries with cancellations, notes, group shares; approvals, agreements, meetings
            #expect(try await AllTests.DemoDataTests.seed(t, now: TestApp.referenceNow))
            func same<M: Model>(_ type: M.Type) async throws {
                let fluent = try Self.json(try await M.query(on: t.db).all())
                let rows = try Self.json(try await M.query(on: t.db).allFromRows())
                #expect(!fluent.isEmpty, "\(M.self)")
                #expect(fluent == rows, "\(M.self)")
            }
            try await same(ServiceEntryModel.self)
            try await same(ApprovalModel.self)
            try await same(AgreementModel.self)
            try await same(OfferModel.self)
            try await same(CarePlanMeetingModel.self)
            try await same(CaseAssignmentModel.self)
            try await same(StaffModel.self)
            try await same(CaseModel.self)
            // and a model read from rows is known to exist: saving it updates, never inserts a copy
            let entry = try #require(try await ServiceEntryModel.query(on: t.db).limit(1).allFromRows().first)
            let count = try await ServiceEntryModel.query(on: t.db).count()
            entry.note = "geändert"
            try await entry.save(on: t.db)
            #expect(try await ServiceEntryModel.query(on: t.db).count() == count)
            #expect(try await ServiceEntryModel.find(entry.id, on: t.db)?.note == "geändert")
        }
    }
}

extension AllTests.ModelPropertyListTests {
    @Test("Issue 12: stored UUID text parses byte by byte exactly as Foundation parses it, and nothing else parses")
    func canonicalUUIDs() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(UUID(canonical: id.uuidString) == id)
            #expect(UUID(canonical: id.uuidString.lowercased()) == id)
        }
        for bad in ["", "not-a-uuid", "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
                    "123e4567xe89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-42661417400g", "123e4567-e89b-12d3-a456-42661417400ö"] {
            #expect(UUID(canonical: bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "\(bad)")
        }
    }
}
