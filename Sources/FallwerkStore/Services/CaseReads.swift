import Foundation

/// The cases one request has read, collected where case data is loaded (full case records, invoices)
/// and written as one read audit entry per request by the web layer (`ReadAuditMiddleware`, R31).
/// Stores note what they load; no handler writes a read audit of its own, so a new list, page or export
/// is audited the moment it reads a case.
public final class CaseReadLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var ordered: [UUID] = []
    private var seen: Set<UUID> = []
    private var refusedIDs: [UUID] = []
    private var actorOverride: AuditActor?
    private var subjectID: UUID?

    public init() {}

    /// Adds cases read by this request (each once, in the order first read).
    public func note(_ ids: some Sequence<UUID>) {
        lock.withLock {
            for id in ids where seen.insert(id).inserted { ordered.append(id) }
        }
    }

    /// A case this request tried to reach and was refused (R31: refused attempts are audited too).
    public func refused(_ id: UUID) {
        lock.withLock { refusedIDs.append(id) }
    }

    /// Who reads when no one is signed in (a calendar feed read with its secret address).
    public func readBy(_ actor: AuditActor) {
        lock.withLock { actorOverride = actor }
    }

    /// The case a case-scoped route resolved: the case its writes' audit entries refer to.
    public func resolved(_ id: UUID) {
        lock.withLock { subjectID = id }
    }

    public var subject: UUID? { lock.withLock { subjectID } }
    public var caseIDs: [UUID] { lock.withLock { ordered } }
    public var refusedCaseIDs: [UUID] { lock.withLock { refusedIDs } }
    public var actor: AuditActor? { lock.withLock { actorOverride } }
}

public enum CaseReads {
    /// The ledger of the request being handled; nil outside a request (command line, tests of stores).
    @TaskLocal public static var ledger: CaseReadLedger?

    /// Notes cases as read by the current request, if any.
    public static func note(_ ids: some Sequence<UUID>) {
        ledger?.note(ids)
    }

    public static func note(_ id: UUID) {
        ledger?.note(CollectionOfOne(id))
    }
}
