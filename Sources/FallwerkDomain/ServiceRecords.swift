import Foundation

/// How a month's service record sheet was confirmed (R15).
public enum SignatureStatus: String, Sendable, CaseIterable {
    case signed
    /// Refused or impossible; needs a reason.
    case refused
    /// Not needed: only for a month of crisis interventions only (seed 004: "Von der Unterschrift
    /// ggf. ausgenommen sind Interventionen im Krisenfall").
    case exempt

    public var german: String {
        switch self {
        case .signed: "unterschrieben"
        case .refused: "Unterschrift verweigert / nicht möglich"
        case .exempt: "keine Unterschrift nötig"
        }
    }
}

/// One line of a month's sheet as the family sees and signs it (R15).
public struct SheetLine: Sendable, Hashable {
    public let entryID: String
    public let date: Day
    public let start: TimeOfDay
    public let minutes: Int
    public let kind: EntryKind
    public let staffID: String
    public let billableMinutes: Int

    public init(entryID: String, date: Day, start: TimeOfDay, minutes: Int, kind: EntryKind, staffID: String, billableMinutes: Int) {
        self.entryID = entryID
        self.date = date
        self.start = start
        self.minutes = minutes
        self.kind = kind
        self.staffID = staffID
        self.billableMinutes = billableMinutes
    }
}

/// What a signature covers: the sheet's lines in a canonical text (ids, days, times, minutes, kind,
/// staff, billable minutes; no names, no notes). Stored with the signature and compared on every
/// read, so a change after signing is seen without a hash library in the domain. Plain text rather
/// than a hash: the comparison is exact, and the lines that changed can be named.
public struct SheetFingerprint: Sendable, Hashable, RawRepresentable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    static let version = "v1"

    public init(_ lines: [SheetLine]) {
        let rows = lines.sorted { ($0.date, $0.start.minuteOfDay, $0.entryID) < ($1.date, $1.start.minuteOfDay, $1.entryID) }
            .map { [$0.entryID.lowercased(), $0.date.iso, $0.start.text, String($0.minutes), $0.kind.rawValue, $0.staffID.lowercased(),
                    String($0.billableMinutes)].joined(separator: ";") }
        rawValue = ([Self.version] + rows).joined(separator: "\n")
    }

    /// The entry ids of the lines.
    var entryIDs: Set<String> {
        Set(rawValue.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ";").first.map(String.init) })
    }
}

/// A recorded signature status of one month.
public struct SignatureRecord: Sendable, Hashable {
    public let status: SignatureStatus
    public let date: Day
    public let signedBy: String?
    public let reason: String?
    /// The drawn signature as PNG, when it was signed on screen.
    public let drawing: Data?
    /// The sheet as it was when the status was recorded; nil for statuses recorded before
    /// fingerprints existed (and not filled in by the migration), which count as covering the sheet.
    public let fingerprint: SheetFingerprint?

    public init(status: SignatureStatus, date: Day, signedBy: String?, reason: String?, drawing: Data?, fingerprint: SheetFingerprint?) {
        self.status = status
        self.date = date
        self.signedBy = signedBy
        self.reason = reason
        self.drawing = drawing
        self.fingerprint = fingerprint
    }
}

/// Where a month's sheet stands with its signature (R15).
public enum SheetSignatureState: Sendable, Hashable {
    /// The agreement asks for no signature.
    case notRequired
    /// Only crisis interventions: no signature needed (seed 004).
    case crisisExempt
    case missing
    /// Recorded, and it covers the sheet as it is now.
    case recorded(SignatureStatus)
    /// Recorded for a sheet that changed since: a new signature is needed.
    case changedAfterSigning

    public static let changedText = "Nach der Unterschrift geändert – bitte neu unterschreiben lassen"
}

/// A month's service record sheet and what its signature allows (R15), decided without a database.
public struct ServiceSheet: Sendable {
    public let month: Month
    public let lines: [SheetLine]
    public let signature: SignatureRecord?
    public let requiresSignature: Bool

    public init(month: Month, lines: [SheetLine], signature: SignatureRecord?, requiresSignature: Bool) {
        self.month = month
        self.lines = lines
        self.signature = signature
        self.requiresSignature = requiresSignature
    }

    /// Crisis interventions may be exempt from the signature (seed 004): a month of nothing else.
    public var onlyCrisis: Bool { !lines.isEmpty && lines.allSatisfy { $0.kind == .crisis } }

    /// The sheet as it is now.
    public var fingerprint: SheetFingerprint { SheetFingerprint(lines) }

    /// Whether the recorded status still stands for the sheet as it is: the same lines as when it was
    /// recorded, and "exempt" only while the month holds crisis interventions only.
    public var signatureCoversSheet: Bool {
        guard let signature else { return false }
        if signature.status == .exempt, !onlyCrisis { return false }
        return signature.fingerprint.map { $0 == fingerprint } ?? true
    }

    public var changedAfterSigning: Bool { signature != nil && !signatureCoversSheet }

    public var state: SheetSignatureState {
        if let signature { return signatureCoversSheet ? .recorded(signature.status) : .changedAfterSigning }
        if !requiresSignature { return .notRequired }
        return onlyCrisis ? .crisisExempt : .missing
    }

    /// Whether an invoice may be issued for this month as far as the signature goes (R15).
    public var allowsInvoice: Bool { !requiresSignature || onlyCrisis || signatureCoversSheet }

    /// How many lines were added, changed or removed since the signature (for the page's notice).
    public var changesSinceSigning: (added: Int, changed: Int, removed: Int)? {
        guard changedAfterSigning, let old = signature?.fingerprint else { return nil }
        let oldRows = Set(old.rawValue.split(separator: "\n").dropFirst().map(String.init))
        let newRows = Set(fingerprint.rawValue.split(separator: "\n").dropFirst().map(String.init))
        let oldIDs = old.entryIDs, newIDs = fingerprint.entryIDs
        let added = newIDs.subtracting(oldIDs).count, removed = oldIDs.subtracting(newIDs).count
        let changed = newRows.subtracting(oldRows).count - added
        return (added, max(0, changed), removed)
    }
}

/// A signature status as typed on the sheet's page or sent to the API (R15).
public struct SignatureInput: Sendable, Equatable {
    public var status: String?
    public var date: String?
    public var signedBy: String?
    public var reason: String?
    /// A PNG data URL from the sheet's drawing surface; empty means none.
    public var drawing: String?

    public static let maxDrawingBytes = 300_000

    public init(status: String? = nil, date: String? = nil, signedBy: String? = nil, reason: String? = nil, drawing: String? = nil) {
        self.status = status
        self.date = date
        self.signedBy = signedBy
        self.reason = reason
        self.drawing = drawing
    }

    /// The record to store, covering the sheet as it is now, or nil with German field errors.
    public func validated(into v: inout Validator, sheet: ServiceSheet, today: Day) -> SignatureRecord? {
        let parsed = status.flatMap { SignatureStatus(rawValue: $0.trimmed) }
        if parsed == nil { v.add("status", "Bitte angeben: unterschrieben, verweigert/nicht möglich oder nicht nötig.") }
        if parsed == .exempt, !sheet.onlyCrisis {
            v.add("status", "„Keine Unterschrift nötig“ gilt nur für einen Monat mit ausschließlich Kriseninterventionen. "
                + "In diesem Monat sind \(sheet.lines.isEmpty ? "keine Kriseninterventionen" : "auch andere Leistungen") erfasst: "
                + "bitte unterschreiben lassen oder „verweigert / nicht möglich“ mit Grund eintragen.")
        }
        let day = v.day(date, "date", label: "das Datum")
        if let day, day > today { v.add("date", "Das Datum liegt in der Zukunft.") }
        if let day, day < sheet.month.firstDay { v.add("date", "Der Nachweis kann erst im abgerechneten Monat oder danach unterschrieben werden.") }
        let by = v.optional(signedBy, "signedBy", label: "wer unterschrieben hat", maxLength: 120)
        let why = v.optional(reason, "reason", label: "den Grund", maxLength: 500)
        if parsed == .signed, by == nil { v.add("signedBy", "Bitte angeben, wer unterschrieben hat.") }
        if parsed == .refused, why == nil { v.add("reason", "Bitte den Grund angeben, warum nicht unterschrieben wurde.") }
        let png = Self.drawing(drawing, into: &v)
        if png != nil, parsed != .signed { v.add("drawing", "Eine gezeichnete Unterschrift passt nur zum Status „unterschrieben“.") }
        guard let parsed, let day, v.errors.isEmpty else { return nil }
        return SignatureRecord(status: parsed, date: day, signedBy: by, reason: why, drawing: png, fingerprint: sheet.fingerprint)
    }

    /// A drawn signature as sent by the sheet's canvas: a PNG data URL. Empty means none.
    static func drawing(_ text: String?, into v: inout Validator) -> Data? {
        guard let text = text?.trimmed, !text.isEmpty else { return nil }
        let prefix = "data:image/png;base64,"
        guard text.hasPrefix(prefix), text.count <= maxDrawingBytes * 4 / 3 + prefix.count + 4,
              let data = Data(base64Encoded: String(text.dropFirst(prefix.count))),
              data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        else {
            v.add("drawing", "Die gezeichnete Unterschrift ließ sich nicht lesen. Bitte noch einmal unterschreiben.")
            return nil
        }
        return data
    }
}
