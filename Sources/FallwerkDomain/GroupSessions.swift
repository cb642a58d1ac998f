// R10 group sessions [001: "fallübergreifende Gruppenangebote … Hierbei erfolgt die Leistungsabrechnung
// aus dem Kontingent der Fachleistungsstunden der betroffenen Fälle/ Familien"]: each case present is
// charged session minutes × staff present ÷ cases present, as one share entry per staff member and case.

extension ServiceRules {
    /// `total` minutes split over `count` parts in whole minutes, the remainder handed out one minute
    /// at a time from the first part, so that the parts add up exactly to `total`.
    public static func groupShares(sessionMinutes total: Int, caseCount count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let base = total / count
        let remainder = total % count
        return (0..<count).map { base + ($0 < remainder ? 1 : 0) }
    }
}

/// A case present at a group session, as the store loaded it.
public struct GroupSessionCase: Sendable, Hashable {
    public var fileNumber: String
    public var startDate: Day
    public var endDate: Day?
    /// Whether the viewer works on the case (full access) and may record work on it.
    public var mayRecord: Bool
    /// The case's months that already have an invoice (R16).
    public var invoicedMonths: Set<Month>
    /// The rounding unit of the case's agreement on the session's day (R13).
    public var roundingMinutes: Int

    public init(fileNumber: String, startDate: Day, endDate: Day?, mayRecord: Bool, invoicedMonths: Set<Month>, roundingMinutes: Int) {
        self.fileNumber = fileNumber
        self.startDate = startDate
        self.endDate = endDate
        self.mayRecord = mayRecord
        self.invoicedMonths = invoicedMonths
        self.roundingMinutes = roundingMinutes
    }
}

public enum GroupSessionRules {
    /// The minutes of each share entry: per case present (in order), one value per staff member present.
    ///
    /// R13: the SESSION is rounded once, never each share (nine cases × 7 minutes would otherwise bill
    /// nothing, seven cases of a one-hour session 105 minutes). Decision: the rounding unit is a term of
    /// each case's agreement, so the session is rounded with the unit of each case's agreement, and the
    /// case's share is its part of that rounded session × staff present. Where the cases share one unit
    /// (one youth office, the usual group), the shares add up exactly to rounded session × staff present;
    /// a case under another unit gets what its own agreement's rounding of the session gives it. The
    /// remainder goes one minute at a time to the first cases, then to the first staff member.
    public static func shares(sessionMinutes: Int, staffCount: Int, roundingUnits: [Int]) -> [[Int]] {
        let caseCount = roundingUnits.count
        guard staffCount > 0 else { return roundingUnits.map { _ in [] } }
        var perUnit: [Int: [Int]] = [:]
        var result: [[Int]] = []
        for (index, unit) in roundingUnits.enumerated() {
            let perCase = perUnit[unit] ?? ServiceRules.groupShares(
                sessionMinutes: ServiceRules.round(sessionMinutes, to: unit) * staffCount, caseCount: caseCount)
            perUnit[unit] = perCase
            result.append(ServiceRules.groupShares(sessionMinutes: perCase[index], caseCount: staffCount))
        }
        return result
    }

    /// How a share entry counts: its minutes as they are, billable and against the budget (R10),
    /// never rounded again (the session was rounded once) and without travel.
    public static func count(share minutes: Int) -> EntryCount {
        EntryCount(billableMinutes: minutes, budgetMinutes: minutes)
    }

    /// Why a case cannot be recorded as present on `date`, in German; nil when it can.
    public static func refusal(_ presentCase: GroupSessionCase, on date: Day) -> String? {
        if !presentCase.mayRecord { return "Für den Fall \(presentCase.fileNumber) dürfen Sie keine Leistungen erfassen." }
        if date < presentCase.startDate || presentCase.endDate.map({ date > $0 }) == true {
            return "Der Fall \(presentCase.fileNumber) läuft am \(date.german) nicht."
        }
        if presentCase.invoicedMonths.contains(Month(containing: date)) {
            return "Der Monat \(Month(containing: date).iso) ist für den Fall \(presentCase.fileNumber) schon abgerechnet. "
                + "Korrekturen gehen nur über eine Stornorechnung."
        }
        return nil
    }

    /// Why a recorded session cannot be changed or deleted, in German; nil when it can. Its shares
    /// change only with the session, and not in a month already invoiced for any of its cases (R16).
    public static func changeRefusal(date: Day, cases: [GroupSessionCase]) -> String? {
        let month = Month(containing: date)
        let invoiced = cases.filter { $0.invoicedMonths.contains(month) }.map(\.fileNumber).sorted()
        guard !invoiced.isEmpty else { return nil }
        return "Das Gruppenangebot vom \(date.german) gehört zum Monat \(month.iso), der für "
            + (invoiced.count == 1 ? "den Fall \(invoiced[0])" : "die Fälle \(invoiced.joined(separator: ", "))")
            + " schon abgerechnet ist; es bleibt, wie es ist. Korrekturen gehen nur über eine Stornorechnung."
    }

    /// A caseworker records group sessions only with themselves present; team leads and management
    /// for anyone. Correcting a session, a caseworker who was present may keep the colleagues who were
    /// present with them (`alreadyPresent`), but not add others.
    public static func staffRefusal(staffIDs: [String], alreadyPresent: Set<String> = [], viewerStaffID: String?,
                                    isLead: Bool) -> String? {
        guard !isLead else { return nil }
        guard let own = viewerStaffID, staffIDs.contains(own), staffIDs.allSatisfy({ $0 == own || alreadyPresent.contains($0) }) else {
            return "Sie können Gruppenangebote nur mit sich selbst als anwesender Fachkraft erfassen."
        }
        return nil
    }

    /// Who may correct or delete a recorded session: team leads and management, or a staff member who
    /// was present.
    public static func mayChange(staffIDs: Set<String>, viewerStaffID: String?, isLead: Bool) -> Bool {
        isLead || viewerStaffID.map(staffIDs.contains) == true
    }
}
