import FallwerkDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers

/// The versions a list read with its cases (`WorkVersions`): each case's own, and the generation of
/// everything else, read before the cases (so what is computed from later reads is never older).
struct WorkStamps: Sendable {
    let versions: [UUID: Int]
    let generation: Int
}

/// Case summaries (alerts, deadlines, budget windows), deadline lists and full case records computed before, each kept
/// with the versions it was computed from, on SQLite (decision 0028). A list reuses one only when the
/// case's version, the generation and the day are the ones it read now: the database's triggers move a
/// version with every change of what the summary or record is made of, so a reused one is the one the
/// list would compute. Never inside a transaction: its reads see its own writes, which may roll back.
///
/// Debug builds (the tests) compute every reused summary and record again and fail the request with
/// `Stale` where they differ, so the whole test suite checks that no change escapes the versions.
public final class CaseWorkCache: Sendable {
    struct SummaryKey: Hashable {
        let caseID: UUID
        /// Whether the §8a alerts and deadlines were computed in (R21: only for viewers who may know).
        let childProtection: Bool
    }

    struct Stamp: Hashable {
        let version: Int
        let generation: Int
        /// The day a summary was computed for (alerts and deadlines move with the day); nil for records.
        let day: Day?
    }

    /// A reused summary or record that differs from the one computed now: a change the versions missed.
    struct Stale: Error, CustomStringConvertible {
        let caseID: UUID
        let what: String
        var description: String { "CaseWorkCache: the kept \(what) of case \(caseID) is stale" }
    }

    private let summaries = NIOLockedValueBox<[SummaryKey: (stamp: Stamp, work: CaseWork)]>([:])
    private let records = NIOLockedValueBox<[UUID: (stamp: Stamp, record: CaseRecord, sortName: String)]>([:])
    private let deadlineLists = NIOLockedValueBox<[SummaryKey: (stamp: Stamp, deadlines: [Deadline])]>([:])
    private let reuses = NIOLockedValueBox((summaries: 0, records: 0, deadlines: 0))
    /// Entries kept at most, each kind: about every case of a large provider (11,600), within the memory target.
    let capacity: Int

    #if DEBUG
    static let verifies = true
    #else
    static let verifies = false
    #endif

    public init(capacity: Int = 16_000) {
        self.capacity = capacity
    }

    /// The cache of the database `db` reads, when it keeps one and `db` is outside a transaction.
    static func serving(_ db: any Database) -> CaseWorkCache? {
        guard !db.inTransaction else { return nil }
        return (db.context.configuration as? DirectSQLiteConfiguration)?.cache
    }

    func summary(_ key: SummaryKey, _ stamp: Stamp) -> CaseWork? {
        let work = summaries.withLockedValue { $0[key] }.flatMap { $0.stamp == stamp ? $0.work : nil }
        if work != nil { reuses.withLockedValue { $0.summaries += 1 } }
        return work
    }

    func keep(_ work: CaseWork, _ key: SummaryKey, _ stamp: Stamp) {
        summaries.withLockedValue { kept in
            if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
            kept[key] = (stamp, work)
        }
    }

    func deadlines(_ key: SummaryKey, _ stamp: Stamp) -> [Deadline]? {
        let kept = deadlineLists.withLockedValue { $0[key] }.flatMap { $0.stamp == stamp ? $0.deadlines : nil }
        if kept != nil { reuses.withLockedValue { $0.deadlines += 1 } }
        return kept
    }

    func keep(_ deadlines: [Deadline], _ key: SummaryKey, _ stamp: Stamp) {
        deadlineLists.withLockedValue { kept in
            if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
            kept[key] = (stamp, deadlines)
        }
    }

    func record(_ caseID: UUID, _ stamp: Stamp) -> (record: CaseRecord, sortName: String)? {
        let kept = records.withLockedValue { $0[caseID] }.flatMap { $0.stamp == stamp ? ($0.record, $0.sortName) : nil }
        if kept != nil { reuses.withLockedValue { $0.records += 1 } }
        return kept
    }

    func keep(_ record: CaseRecord, sortName: String, _ stamp: Stamp) {
        records.withLockedValue { kept in
            if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
            kept[record.id] = (stamp, record, sortName)
        }
    }

    /// How many summaries and records are kept (tests).
    var counts: (summaries: Int, records: Int) {
        (summaries.withLockedValue(\.count), records.withLockedValue(\.count))
    }

    /// How often a summary, a record and a deadline list were reused (tests).
    var reused: (summaries: Int, records: Int, deadlines: Int) { reuses.withLockedValue { $0 } }
}

extension CaseWork {
    /// Whether `other` shows the same: record, approvals, budget windows, alerts, deadlines, settings, last contact.
    func showsTheSame(as other: CaseWork) -> Bool {
        record == other.record && approvals == other.approvals && ledger.windows == other.ledger.windows && alerts == other.alerts
            && deadlines == other.deadlines && settingsToday == other.settingsToday && lastContact == other.lastContact
    }
}
