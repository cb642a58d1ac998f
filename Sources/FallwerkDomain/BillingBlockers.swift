/// Which hourly rate prices an entry (R14): the offer's rate in the agreement valid on the entry's day.
public enum RateLookup: Sendable, Hashable {
    case rate(Cents)
    /// No agreement with the youth office is valid on the day.
    case noAgreement
    /// The agreement valid on the day names no rate for the case's offer.
    case noRate(agreementFrom: Day, agreementTo: Day?)
}

/// One entry of a case's month as the blocker decision needs it.
public struct BillingWorkFact: Sendable, Hashable {
    public let date: Day
    /// Billable minutes before the budget (R10).
    public let billableMinutes: Int
    /// Minutes beyond the budget without a confirmed increase (R9).
    public let overBudgetMinutes: Int
    /// Whether an approval covers the day (R8).
    public let approved: Bool
    public let rate: RateLookup

    public init(date: Day, billableMinutes: Int, overBudgetMinutes: Int, approved: Bool, rate: RateLookup) {
        (self.date, self.billableMinutes, self.overBudgetMinutes, self.approved, self.rate) =
            (date, billableMinutes, overBudgetMinutes, approved, rate)
    }
}

/// What the store gathered about one case's month for billing: its work, its offer, its signature.
public struct BillingMonthFacts: Sendable, Hashable {
    public let offerName: String
    /// The service record sheet allows the invoice as far as the signature goes (R15).
    public let signatureAllowsInvoice: Bool
    public let work: [BillingWorkFact]

    public init(offerName: String, signatureAllowsInvoice: Bool, work: [BillingWorkFact]) {
        (self.offerName, self.signatureAllowsInvoice, self.work) = (offerName, signatureAllowsInvoice, work)
    }
}

/// Billable work that no hourly rate prices (R14): named, never billed silently at 0.
public struct MissingRate: Sendable, Hashable {
    public let offerName: String
    /// The agreement valid on the days; nil when none is valid.
    public let agreementFrom: Day?
    public let agreementTo: Day?
    /// The first day of the month's work without a rate, and the minutes concerned.
    public let firstDay: Day
    public let minutes: Int
}

/// What stands between a month's draft and its invoice.
public enum BillingBlocker: Hashable, Sendable {
    /// R15: the agreement requires the family's signature and it is missing.
    case unsigned
    /// R8: work on a day no approval covers; the youth office pays nothing without one.
    case noApproval(Day)
    /// R9: work beyond the budget without a confirmed increase; not billed, to be clarified first.
    case overBudget(minutes: Int)
    /// R14: billable work the agreement gives no hourly rate for; the invoice would lose it.
    case missingRate(MissingRate)

    /// Hard blockers refuse issuing; over budget only keeps the invoice out of "issue all".
    public var refusesIssue: Bool {
        switch self {
        case .unsigned, .noApproval, .missingRate: true
        case .overBudget: false
        }
    }

    /// The blocker's code in the API (`GET /api/v1/billing-runs/{month}`).
    public var code: String {
        switch self {
        case .unsigned: "unsigned"
        case .noApproval: "noApproval"
        case .overBudget: "overBudget"
        case .missingRate: "missingRate"
        }
    }

    public var german: String {
        switch self {
        case .unsigned: "Unterschrift fehlt"
        case .noApproval(let day): "keine Bewilligung für den \(day.german)"
        case .overBudget(let minutes): "\(Minutes(minutes).germanHours) Std. über Budget, nicht abgerechnet"
        case .missingRate(let missing):
            "Stundensatz fehlt: \(Minutes(missing.minutes).germanHours) Std. „\(missing.offerName)“ ab dem \(missing.firstDay.german) – "
                + (missing.agreementFrom.map { from in
                    "die Vereinbarung ab \(from.german)\(missing.agreementTo.map { " bis \($0.german)" } ?? "") nennt für dieses Angebot keinen Stundensatz"
                } ?? "an diesem Tag gilt keine Vereinbarung mit dem Jugendamt")
        }
    }
}

public enum BillingBlockers {
    /// What blocks the invoice of a case's month (R8, R9, R14, R15), in the order accounting clears them.
    public static func decide(_ facts: BillingMonthFacts) -> [BillingBlocker] {
        var found: [BillingBlocker] = []
        if !facts.signatureAllowsInvoice { found.append(.unsigned) }
        let billable = facts.work.filter { $0.billableMinutes > 0 }
        if let day = billable.filter({ !$0.approved }).map(\.date).min() {
            found.append(.noApproval(day))
        }
        // Work without any approval is named above; over budget is what exceeds an approval.
        let over = facts.work.filter(\.approved).reduce(0) { $0 + $1.overBudgetMinutes }
        if over > 0 { found.append(.overBudget(minutes: over)) }
        found += missingRates(billable, offerName: facts.offerName).map(BillingBlocker.missingRate)
        return found
    }

    /// One missing rate per agreement (or per stretch without one), from its first day.
    static func missingRates(_ work: [BillingWorkFact], offerName: String) -> [MissingRate] {
        struct Key: Hashable { let from: Day?; let to: Day? }
        var found: [Key: (first: Day, minutes: Int)] = [:]
        for fact in work {
            let key: Key
            switch fact.rate {
            case .rate: continue
            case .noAgreement: key = Key(from: nil, to: nil)
            case .noRate(let from, let to): key = Key(from: from, to: to)
            }
            let known = found[key]
            found[key] = (min(known?.first ?? fact.date, fact.date), (known?.minutes ?? 0) + fact.billableMinutes)
        }
        return found.map { MissingRate(offerName: offerName, agreementFrom: $0.key.from, agreementTo: $0.key.to, firstDay: $0.value.first,
                                       minutes: $0.value.minutes) }
            .sorted { $0.firstDay < $1.firstDay }
    }
}
