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

extension AllTests.ModelPropertyListTests {
    @Test("Issue 12: an insert built ahead of the writer stores what Fluent's create stores, nil values and quotes included (SQLite and PostgreSQL)")
    func plannedInsertEqualsCreate() async throws {
        try await TestApp.run { t in
            #expect(try await AllTests.DemoDataTests.seed(t, now: TestApp.referenceNow))
            let stamped = TestApp.referenceNow
            /// A copy of `model` under a new id, once through Fluent's `create` and once through `PlannedStatement`,
            /// read back: equal but for the ids and timestamps, and the planned one with the timestamps it was given.
            func same<M: Model>(_ model: M, change: (M) -> Void = { _ in }) async throws where M.IDValue == UUID {
                let data = try JSONEncoder().encode(model)
                let created = try JSONDecoder().decode(M.self, from: data), planned = try JSONDecoder().decode(M.self, from: data)
                (created.id, planned.id) = (UUID(), UUID())
                change(created)
                change(planned)
                for timestamp in planned.properties.compactMap({ $0 as? TimestampProperty<M, DefaultTimestampFormat> }) {
                    timestamp.wrappedValue = stamped
                }
                try await created.create(on: t.db)
                try await t.db.writeTransaction { db in try await PlannedStatement.insert(planned, for: db).run(on: db) }
                let fromCreate = try #require(try await M.find(created.id, on: t.db))
                let fromPlanned = try #require(try await M.find(planned.id, on: t.db))
                func withoutIDAndTimes(_ model: M) throws -> String {
                    let json = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(model)) as? [String: Any])
                    // Only the id and the timestamps differ; `cancelledAt` is data and compared.
                    let kept = json.filter { key, _ in !["id", "createdAt", "updatedAt"].contains(key) }
                    return String(decoding: try JSONSerialization.data(withJSONObject: kept, options: .sortedKeys), as: UTF8.self)
                }
                #expect(try withoutIDAndTimes(fromCreate) == withoutIDAndTimes(fromPlanned), "\(M.self)")
                for timestamp in fromPlanned.properties.compactMap({ $0 as? TimestampProperty<M, DefaultTimestampFormat> }) {
                    let value = try #require(timestamp.wrappedValue, "\(M.self): a timestamp not stored")
                    #expect(abs(value.timeIntervalSince(stamped)) < 0.001, "\(M.self)")
                }
            }
            // an entry with a cancellation and one without, each with the values a caseworker types
            let entries = try await ServiceEntryModel.query(on: t.db).all()
            let cancelled = try #require(entries.first { $0.cancelledBy != nil })
            let plain = try #require(entries.first { $0.cancelledBy == nil && $0.kilometres == nil })
            // (the second of each shape through the insert's kept text)
            try await same(cancelled) { $0.note = #"Mutter sagt: "Geht's so?" <b>&</b> Übergabe an Jörg"# }
            try await same(cancelled) { $0.note = "Zweiter Termin, 'kurz' & knapp" }
            try await same(plain) { $0.note = nil }
            try await same(plain) { $0.note = nil; $0.minutes = 30 }
            let window = try #require(try await CaseBudgetWindowModel.query(on: t.db).filter(\.$overSince == nil).first())
            try await same(window)
            try await same(window) { $0.usedMinutes += 15 }
        }
    }
}

extension AllTests.ModelPropertyListTests {
    @Test("Issue 12: ids made for entries and audit entries are version 7: they sort by the instant they were made, and never repeat")
    func timeOrderedIDs() throws {
        let start = try #require(ISO8601DateFormatter().date(from: "2026-12-07T21:00:00Z"))
        let instants = (0..<500).map { start.addingTimeInterval(Double($0 / 5) * 0.001) }
        let ids = instants.map(UUID.timeOrdered(at:))
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let text = id.uuidString
            #expect(Array(text)[14] == "7", "\(text)")
            #expect("89AB".contains(Array(text)[19]), "\(text)")
        }
        // the first twelve hex digits are the milliseconds since 1970
        #expect(String(ids[0].uuidString.prefix(13)).replacingOccurrences(of: "-", with: "") == String(1_796_677_200_000, radix: 16, uppercase: true).leftPadded(to: 12))
        // ids made later sort after ids made earlier, as the stored text sorts (two milliseconds apart: an
        // instant is a floating-point number of seconds, a millisecond's edge may round to the one before)
        for (earlier, later) in zip(ids, ids.dropFirst(10)) {
            #expect(earlier.uuidString < later.uuidString)
        }
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
