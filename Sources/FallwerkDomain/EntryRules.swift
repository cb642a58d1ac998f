/// The checks of a service entry against its case (R6, R10, R11, R16), decided from what the store
/// loaded; the store gathers `EntryContext` and writes. The typed fields themselves are `EntryInput`'s.
public enum EntryRules {
    /// Another entry of the same staff member near the entry's day (the day before, the day, the day after).
    public struct NearbyEntry: Sendable, Hashable {
        public let date: Day
        public let start: TimeOfDay
        public let minutes: Int
        public let kind: EntryKind

        public init(date: Day, start: TimeOfDay, minutes: Int, kind: EntryKind) {
            self.date = date
            self.start = start
            self.minutes = minutes
            self.kind = kind
        }
    }

    /// What the checks need to know about the case, the viewer and the staff member's other work.
    public struct EntryContext: Sendable {
        public var caseStart: Day
        public var caseEnd: Day?
        /// The case's assignments; the staff ids as the store's ids, in any stable text form.
        public var assignments: [Assignment]
        /// Months of the case with an issued invoice (R16: they never change).
        public var invoicedMonths: Set<Month>
        /// Whether the case already has an onboarding day (other than the entry being changed).
        public var hasOtherOnboardingDay: Bool
        /// The staff member's other entries around the day (the entry being changed left out).
        public var nearby: [NearbyEntry]
        /// Team leads and management record for any staff member of the case.
        public var viewerIsLead: Bool
        public var viewerStaffID: String?

        public init(caseStart: Day, caseEnd: Day?, assignments: [Assignment], invoicedMonths: Set<Month>, hasOtherOnboardingDay: Bool,
                    nearby: [NearbyEntry], viewerIsLead: Bool, viewerStaffID: String?) {
            self.caseStart = caseStart
            self.caseEnd = caseEnd
            self.assignments = assignments
            self.invoicedMonths = invoicedMonths
            self.hasOtherOnboardingDay = hasOtherOnboardingDay
            self.nearby = nearby
            self.viewerIsLead = viewerIsLead
            self.viewerStaffID = viewerStaffID
        }
    }

    /// Every field error of an entry by `staffID` with these facts, in the order a form shows them.
    public static func errors(_ facts: EntryFacts, staffID: String, context c: EntryContext) -> [FieldError] {
        var errors: [FieldError] = []
        var staffOK = true
        if !c.viewerIsLead, staffID != c.viewerStaffID {
            errors.append(FieldError("staffId", "Sie können nur Ihre eigenen Leistungen erfassen."))
            staffOK = false
        } else if !c.assignments.contains(where: { $0.staffID == staffID && $0.isActive(on: facts.date) }) {
            // R11, R27: on the day, as lead, co-worker or substitute within the substitution.
            errors.append(FieldError("staffId", "Diese Fachkraft ist dem Fall am \(facts.date.german) nicht zugeordnet."))
            staffOK = false
        }
        if facts.date < c.caseStart {
            errors.append(FieldError("date", "Die Hilfe beginnt erst am \(c.caseStart.german)."))
        } else if let end = c.caseEnd, facts.date > end {
            errors.append(FieldError("date", "Die Hilfe endete am \(end.german)."))
        }
        let month = Month(containing: facts.date)
        if c.invoicedMonths.contains(month) {
            errors.append(FieldError("date", "Der Monat \(month.iso) ist schon abgerechnet. Korrekturen gehen nur über eine Stornorechnung."))
        }
        if facts.kind == .onboardingDay, c.hasOtherOnboardingDay {
            errors.append(FieldError("kind", "Der Einstiegstag ist für diesen Fall schon erfasst; es gibt ihn einmal je Fall."))
        }
        if staffOK, let clash = overlap(facts, nearby: c.nearby) { errors.append(FieldError("start", clash)) }
        return errors
    }

    /// A German message when the staff member has another entry at that time. A cancelled appointment
    /// leaves the time free, on either side.
    public static func overlap(_ facts: EntryFacts, nearby: [NearbyEntry]) -> String? {
        guard facts.kind != .cancelled else { return nil }
        let start = facts.date.ordinal * 1_440 + facts.start.minuteOfDay
        let end = start + facts.minutes
        for other in nearby where other.kind != .cancelled {
            let otherStart = other.date.ordinal * 1_440 + other.start.minuteOfDay
            if otherStart < end && start < otherStart + other.minutes {
                return "Zu dieser Zeit ist schon ein Eintrag dieser Fachkraft erfasst (\(other.date.german), \(other.start.text) Uhr, \(other.minutes) Min.)."
            }
        }
        return nil
    }
}
