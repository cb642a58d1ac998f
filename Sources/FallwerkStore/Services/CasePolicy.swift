import FallwerkDomain
import Fluent
import Foundation

/// A case as one request sees it: loaded once, with the viewer's access to it.
public struct ResolvedCase: Sendable {
    public let record: CaseRecord
    public let access: CaseAccess
    public let viewer: Viewer

    public init(record: CaseRecord, access: CaseAccess, viewer: Viewer) {
        self.record = record
        self.access = access
        self.viewer = viewer
    }

    /// Whether the viewer leads this case: its lead worker, the lead of its team, or management.
    public var viewerLeadsCase: Bool {
        viewerIsSupervisor || (viewer.staffID != nil && record.lead?.staffID == viewer.staffID)
    }

    /// Management, or the team lead of the case's team.
    public var viewerIsSupervisor: Bool {
        viewer.roles.contains(.management) || (viewer.roles.contains(.teamLead) && viewer.ledTeamIDs.contains(record.teamID))
    }
}

/// What a route or operation needs of the case it names, on top of the role policy. Policies
/// compose with `and`; each says in German why it refuses. Seeing the case at all is checked
/// before any policy: a case one may not see does not exist for one (404).
public struct CasePolicy: Sendable {
    public let name: String
    let refusal: @Sendable (ResolvedCase) -> String?
    /// Refused, the case is "not found" rather than "not allowed" (its content's existence stays hidden).
    public let hidesCase: Bool

    public init(_ name: String, hidesCase: Bool = false, refusal: @escaping @Sendable (ResolvedCase) -> String?) {
        self.name = name
        self.hidesCase = hidesCase
        self.refusal = refusal
    }

    /// Refused, answer as if the case did not exist.
    public func hidingCase() -> CasePolicy { CasePolicy(name, hidesCase: true, refusal: refusal) }

    /// Nil when allowed, else the German reason.
    public func refusal(for resolved: ResolvedCase) -> String? { refusal(resolved) }

    /// Both policies must allow; the first refusal is given.
    public func and(_ other: CasePolicy) -> CasePolicy {
        CasePolicy("\(name)+\(other.name)", hidesCase: hidesCase || other.hidesCase) { resolved in refusal(resolved) ?? other.refusal(resolved) }
    }

    /// The same policy with its own refusal text.
    public func refusing(_ reason: String) -> CasePolicy {
        CasePolicy(name, hidesCase: hidesCase) { resolved in refusal(resolved) == nil ? nil : reason }
    }

    /// Anyone who may see the case (accounting with billing access included).
    public static let visible = CasePolicy("visible") { _ in nil }

    /// The case's staff on the day, their team lead and management: everything but billing-only access.
    public static let caseWork = CasePolicy("caseWork") { resolved in
        resolved.access == .full ? nil : "Das tun die Fachkräfte des Falls, ihre Teamleitung und die Leitung."
    }

    /// The lead worker, the team lead of the case's team, or management (ending a case, substitutes,
    /// corrections of the case's data and staff).
    public static let caseLead = CasePolicy.caseWork.and(CasePolicy("caseLead") { resolved in
        resolved.viewerLeadsCase ? nil : "Das tun die fallführende Fachkraft, die Teamleitung und die Leitung."
    })

    /// The team lead of the case's team or management (e.g. who works on the case).
    public static let supervisor = CasePolicy.caseWork.and(CasePolicy("supervisor") { resolved in
        resolved.viewerIsSupervisor ? nil : "Das tun die Teamleitung und die Leitung."
    })
}

public enum CaseResolution {
    /// Loads the case once and checks `policy` (R27, R31): `RecordNotFound` when the viewer may not see
    /// it, `NotAllowed` with the policy's German reason when they may see but not do this.
    public static func resolve(_ caseID: UUID, policy: CasePolicy, viewer: Viewer, today: Day, on db: any Database,
                               unblocking: BlockedFileReading? = nil) async throws -> ResolvedCase {
        let (record, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        if record.blockedOn != nil {
            // R32, §84 SGB X: a blocked file is read by management only, with a recorded reason.
            guard viewer.roles.contains(.management) else { throw RecordNotFound(entity: CaseStore.entity) }
            let reason = unblocking?.reason?.trimmed ?? ""
            guard Retention.readingReasonSuffices(reason) else { throw BlockedFile(reasonGiven: !reason.isEmpty) }
            if let unblocking {
                try await AuditLog.record(.read, entity: "blockedCase", id: caseID, changes: ["reason": AuditChange(from: nil, to: reason)],
                                          cases: [caseID], by: unblocking.actor, at: unblocking.now, on: db)
            }
        }
        let resolved = ResolvedCase(record: record, access: access, viewer: viewer)
        if let reason = policy.refusal(for: resolved) {
            if policy.hidesCase { throw RecordNotFound(entity: CaseStore.entity) }
            throw NotAllowed(reason)
        }
        return resolved
    }
}

extension CaseWorkStore {
    /// The work of a case already resolved for this request (no second access check).
    public static func load(_ resolved: ResolvedCase, today: Day, on db: any Database) async throws -> CaseWork {
        try await load([resolved.record], today: today, childProtectionFor: resolved.access == .full ? [resolved.record.id] : [], on: db)[0]
            .seen(with: resolved.access)
    }
}

extension ResolvedCase {
    /// Whether `policy` would allow this viewer on this case (for showing or hiding a form).
    public func allows(_ policy: CasePolicy) -> Bool { policy.refusal(for: self) == nil }
}

/// The case policies of the things pages and API both do, so that both give the same answer.
public enum CasePolicies {
    /// R27: substitutes are entered by team leads and management (the role policy) who work on the
    /// case: the case's own team lead, management, or a team lead who is on the case themselves.
    public static let substitutes = CasePolicy.caseWork.refusing("Vertretungen tragen die Teamleitung oder die Leitung ein.")
    /// Where the family lives: those who work on the case.
    public static let familyAddress = CasePolicy.caseWork.refusing("Die Anschrift der Familie ändert, wer im Fall arbeitet.")
    /// R8, R9: approvals and increases.
    public static let approvals = CasePolicy.caseWork.refusing("Bewilligungen trägt die Fallführung oder die Leitung ein.")
    /// R10, R11: service entries.
    public static let entries = CasePolicy.caseWork.refusing("Leistungen erfassen die Fachkräfte des Falls und die Leitung.")
    /// R6: ending a case, and corrections of the case's data and staff.
    public static let caseLead = CasePolicy.caseLead
    /// R18–R20: documentation is for those who work on the case.
    public static let documentation = CasePolicy.caseWork.refusing("Die Dokumentation sehen die Fachkräfte des Falls, ihre Teamleitung und die Leitung.")
    /// R3–R6: the care plan is case work; others do not learn what it holds.
    public static let carePlan = CasePolicy.caseWork.hidingCase()
    /// R15: the service record sheet is signed by the case's staff; accounting may record it too.
    public static let signature = CasePolicy("signature") { resolved in
        resolved.access == .full || resolved.viewer.roles.contains(.accounting) ? nil : "Unterschriften tragen die Fachkräfte des Falls ein."
    }
}

/// R32: the file is blocked; management may read it with a reason of at least `minimumReason` characters.
public struct BlockedFile: Error, Sendable {
    public static var minimumReason: Int { Retention.minimumReadingReason }
    public let reasonGiven: Bool

    public var detail: String {
        reasonGiven
            ? "Bitte den Grund genauer angeben (mindestens \(Self.minimumReason) Zeichen)."
            : "Diese Akte ist gesperrt (§ 84 SGB X). Die Leitung kann sie mit einem Grund öffnen; der Grund wird protokolliert."
    }
}

/// The reason management gives to read a blocked file, and who gives it when (for the audit entry).
public struct BlockedFileReading: Sendable {
    public let reason: String?
    public let actor: AuditActor
    public let now: Date

    public init(reason: String?, actor: AuditActor, now: Date) {
        self.reason = reason
        self.actor = actor
        self.now = now
    }
}
