import FallwerkDomain
import Fluent
import FluentSQL
import Foundation
import Logging
import NIOConcurrencyHelpers

/// The versions a list read with its cases (`WorkVersions`): each case's own, and the generation of
/// everything else, read before the cases (so what is computed from later reads is never older).
struct WorkStamps: Sendable {
    let versions: [UUID: Int]
    /// Each case's record version (decision 0036): moved by its row, persons and staff only.
    let records: [UUID: Int]
    let generation: Int

    /// The stamp of a case read with these versions, for values that move with `day` (nil: they do not).
    func stamp(_ caseID: UUID, day: Day?) -> CaseWorkCache.Stamp? {
        versions[caseID].map { CaseWorkCache.Stamp(version: $0, generation: generation, day: day) }
    }

    /// The stamp of a case's record (`CaseWorkCache.records`).
    func recordStamp(_ caseID: UUID) -> CaseWorkCache.Stamp? {
        records[caseID].map { CaseWorkCache.Stamp(version: $0, generation: generation, day: nil) }
    }

    /// Collects the stamps of the rows of a statement that selected `WorkVersions.listFields`.
    struct Reader {
        private var versions: [UUID: Int] = [:]
        private var records: [UUID: Int] = [:]
        private var generation: Int?

        /// Notes the versions of case `id` in `row`.
        mutating func read(_ id: UUID, in row: any SQLRow) {
            versions[id] = WorkVersions.version(in: row)
            records[id] = WorkVersions.recordVersion(in: row)
            if generation == nil { generation = WorkVersions.generation(in: row) }
        }

        /// The stamps read; nil when no row had the generation.
        var stamps: WorkStamps? { generation.map { WorkStamps(versions: versions, records: records, generation: $0) } }
    }
}

/// Case summaries (alerts, deadlines, budget windows), deadline lists and full case records computed
/// before, each kept with the versions it was computed from, on SQLite (decision 0028) and PostgreSQL
/// (0031). A list reuses one only when the case's version, the generation and the day are the ones it
/// read now: the database's triggers move a version with every change of what the value is made of, so a
/// reused one is the one the list would compute. Never inside a transaction: its reads see its own writes,
/// which may roll back.
///
/// Debug builds (the tests) compute every reused value again and fail the request with `Stale` where they
/// differ, so the whole test suite checks that no change escapes the versions.
public final class CaseWorkCache: Sendable {
    struct SummaryKey: Hashable {
        let caseID: UUID
        /// Whether the §8a alerts and deadlines were computed in (R21: only for viewers who may know).
        let childProtection: Bool
    }

    struct Stamp: Hashable {
        let version: Int
        let generation: Int
        /// The day a value was computed for (alerts and deadlines move with the day); nil for records.
        let day: Day?
    }

    /// A reused value that differs from the one computed now: a change the versions missed. It names
    /// the case and the kind of value, never its content (no case data in logs).
    struct Stale: Error, CustomStringConvertible {
        let caseID: UUID
        let what: String
        var description: String { "CaseWorkCache: the kept \(what) of case \(caseID) is stale" }
    }

    /// Values of one kind, each with the stamp it was computed for.
    final class Shelf<Key: Hashable & Sendable, Value: Sendable>: Sendable {
        private let kept = NIOLockedValueBox<[Key: (stamp: Stamp, value: Value)]>([:])
        private let reuses = NIOLockedValueBox(0)
        /// Values kept at most: about every case of a large provider (11,600), within the memory target;
        /// when full, the shelf starts again empty.
        let capacity: Int
        let what: String

        init(_ what: String, capacity: Int) {
            self.what = what
            self.capacity = capacity
        }

        /// How many values are kept, and how often one was reused (tests).
        var count: Int { kept.withLockedValue(\.count) }
        var reused: Int { reuses.withLockedValue { $0 } }

        func value(_ key: Key, _ stamp: Stamp) -> Value? {
            let value = kept.withLockedValue { $0[key] }.flatMap { $0.stamp == stamp ? $0.value : nil }
            if value != nil { reuses.withLockedValue { $0 += 1 } }
            return value
        }

        func keep(_ value: Value, _ key: Key, _ stamp: Stamp) {
            kept.withLockedValue { kept in
                if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
                kept[key] = (stamp, value)
            }
        }

        /// The values of these cases: kept ones where their stamp is the case's now, the others from
        /// `compute` (given the cases not reused), kept for next time. Debug builds compute the reused
        /// ones again and throw `Stale` where `same` says they differ.
        func reusing(_ caseIDs: [UUID], key: (UUID) -> Key, stamp: (UUID) -> Stamp?, same: (Value, Value) -> Bool,
                     compute: ([UUID]) async throws -> [UUID: Value]) async throws -> [UUID: Value] {
            var found: [UUID: Value] = [:]
            var missing: [UUID] = []
            for id in caseIDs {
                if let stamp = stamp(id), let value = value(key(id), stamp) { found[id] = value } else { missing.append(id) }
            }
            let reused = caseIDs.filter { found[$0] != nil }
            if !missing.isEmpty {
                for (id, value) in try await compute(missing) {
                    found[id] = value
                    if let stamp = stamp(id) { keep(value, key(id), stamp) }
                }
            }
            if CaseWorkCache.verifies, !reused.isEmpty {
                let fresh = try await compute(reused)
                for id in reused where fresh[id].map({ !same($0, found[id]!) }) ?? true {
                    let stale = Stale(caseID: id, what: what)
                    Logger(label: "fallwerk.cache").error("\(stale.description)")
                    throw stale
                }
            }
            return found
        }
    }

    let summaries: Shelf<SummaryKey, CaseWork>
    let records: Shelf<UUID, CaseRecordWithSortName>
    let deadlines: Shelf<SummaryKey, [Deadline]>

    #if DEBUG
    static let verifies = true
    #else
    static let verifies = false
    #endif

    /// The settings book of each youth office as an entry write last read it ahead of SQLite's writer,
    /// with the generation (`WorkVersions`) that write's stamp held (decision 0033). Agreements and offers
    /// belong to no case, so every change of them moves the generation: a book kept for the generation a
    /// later stamp holds is the book a read would give. A book is kept only once its write found the stamp
    /// unchanged inside its transaction, so nothing changed between stamp and read, and the generation is
    /// committed. Every entry write read and decoded its office's agreements and all offers (issue 12).
    private let books = NIOLockedValueBox<[UUID: (generation: Int, book: SettingsBook)]>([:])

    func settingsBook(of officeID: UUID, generation: Int) -> SettingsBook? {
        books.withLockedValue { books in books[officeID].flatMap { $0.generation == generation ? $0.book : nil } }
    }

    /// Keeps `book` for `generation`, unless one for a later generation is kept (one per youth office).
    func keep(_ book: SettingsBook, of officeID: UUID, generation: Int) {
        books.withLockedValue { books in
            if books[officeID].map({ $0.generation < generation }) ?? true { books[officeID] = (generation, book) }
        }
    }

    public init(capacity: Int = 16_000) {
        summaries = Shelf("summary", capacity: capacity)
        records = Shelf("record", capacity: capacity)
        deadlines = Shelf("deadlines", capacity: capacity)
    }

    /// The cache of the database `db` reads, when it keeps one and `db` is outside a transaction.
    static func serving(_ db: any Database) -> CaseWorkCache? {
        guard !db.inTransaction else { return nil }
        return (db.context.configuration as? any KeepsCaseWork)?.cache
    }
}

/// A database configuration that keeps a `CaseWorkCache` for its lists.
protocol KeepsCaseWork {
    var cache: CaseWorkCache { get }
}

extension DirectSQLiteConfiguration: KeepsCaseWork {}

/// A PostgreSQL configuration whose lists reuse what they computed, by the versions its triggers keep
/// (`WorkVersions.Postgres`, decision 0031).
public struct CaseWorkConfiguration: DatabaseConfiguration, KeepsCaseWork {
    var wrapped: any DatabaseConfiguration
    public let cache: CaseWorkCache

    public var middleware: [any AnyModelMiddleware] {
        get { wrapped.middleware }
        set { wrapped.middleware = newValue }
    }

    public func makeDriver(for databases: Databases) -> any DatabaseDriver { wrapped.makeDriver(for: databases) }
}

extension DatabaseConfigurationFactory {
    /// `configuration`, with one `CaseWorkCache` for every database it makes.
    public static func keepingCaseWork(_ configuration: DatabaseConfigurationFactory) -> Self {
        let cache = CaseWorkCache()
        return .init { CaseWorkConfiguration(wrapped: configuration.make(), cache: cache) }
    }
}

/// A full case record with the name lists sort it by (the cursor of the next page).
struct CaseRecordWithSortName: Sendable, Equatable {
    let record: CaseRecord
    let sortName: String
}

extension CaseWork {
    /// Whether `other` shows the same made from the rows around the case: approvals, budget windows, alerts,
    /// deadlines, settings, last contact. Not the record: a reused summary always takes the record its caller
    /// read (a list's head, or the start page's full record), so the same summary serves both.
    func showsTheSame(as other: CaseWork) -> Bool {
        record.id == other.record.id && approvals == other.approvals && ledger.windows == other.ledger.windows
            && alerts == other.alerts && deadlines == other.deadlines && settingsToday == other.settingsToday
            && lastContact == other.lastContact
    }
}
