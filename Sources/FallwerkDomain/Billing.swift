/// What an invoice line bills (R14): one line per kind and price, so a rate change inside the month
/// gives two lines.
public enum InvoiceLineKind: String, CaseIterable, Codable, Sendable {
    case serviceHours
    case reports
    case onboardingDay
    case shortNotice
    case crisis
    case travel
    /// Work beyond the budget without a confirmed increase: listed, not billed (R9).
    case overBudget

    public var german: String {
        switch self {
        case .serviceHours: "Fachleistungsstunden"
        case .reports: "Berichte an das Jugendamt"
        case .onboardingDay: "Einstiegstag"
        case .shortNotice: "kurzfristige Absagen / nicht angetroffen"
        case .crisis: "Krisenintervention"
        case .travel: "Fahrtkosten"
        case .overBudget: "nicht abgerechnet: über dem bewilligten Budget ohne bestätigte Erhöhung"
        }
    }

    static func of(_ kind: EntryKind) -> InvoiceLineKind? {
        switch kind {
        case .direct, .institution, .planningMeeting, .group: .serviceHours
        case .report: .reports
        case .onboardingDay: .onboardingDay
        case .cancelled, .noShow: .shortNotice
        case .crisis: .crisis
        case .indirect: nil
        }
    }
}

/// One entry as billing sees it: counted (R10), budgeted (R9), priced with the agreement of its day.
public struct BillableEntry: Sendable, Hashable {
    public let date: Day
    public let kind: EntryKind
    /// Billable minutes before the budget.
    public let countedMinutes: Int
    /// Billable minutes after the budget (what is billed).
    public let billableMinutes: Int
    /// The offer's hourly rate in the agreement valid on `date`; nil when there is none.
    public let hourlyRate: Cents?
    /// Travel (R10): what one unit costs and how many units (visits or km).
    public let travelUnitPrice: Cents
    public let travelQuantity: Int
    /// Whether travel is counted in kilometres (else in visits).
    public let travelPerKm: Bool

    public init(date: Day, kind: EntryKind, countedMinutes: Int, billableMinutes: Int, hourlyRate: Cents?,
                travelUnitPrice: Cents = .zero, travelQuantity: Int = 0, travelPerKm: Bool = false) {
        self.date = date
        self.kind = kind
        self.countedMinutes = countedMinutes
        self.billableMinutes = billableMinutes
        self.hourlyRate = hourlyRate
        self.travelUnitPrice = travelUnitPrice
        self.travelQuantity = travelQuantity
        self.travelPerKm = travelPerKm
    }
}

public struct InvoiceLine: Sendable, Hashable {
    public let kind: InvoiceLineKind
    public let description: String
    public let minutes: Int
    /// Hours ("12.5"), visits or kilometres, as a decimal string.
    public let quantity: String
    public let unitPrice: Cents
    public let amount: Cents
    /// What `quantity` counts, decided by the billing rules and stored with the line (R17).
    public let unit: InvoiceLineUnit

    public init(kind: InvoiceLineKind, description: String, minutes: Int, quantity: String, unitPrice: Cents, amount: Cents,
                unit: InvoiceLineUnit = .minutes) {
        self.kind = kind
        self.description = description
        self.minutes = minutes
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
        self.unit = unit
    }
}

/// The unit an invoice line counts in (R17: XRechnung's unit codes).
public enum InvoiceLineUnit: String, Sendable, CaseIterable, Codable {
    /// Time lines: the line's minutes, the hourly rate per 60 of them (exact: R13 rounds each line once).
    case minutes
    /// Travel as a flat rate per home visit: one piece per visit.
    case visits
    /// Travel per kilometre.
    case kilometres

    /// UN/ECE Recommendation 20: `MIN` minute, `C62` one (piece), `KMT` kilometre.
    public var code: String {
        switch self {
        case .minutes: "MIN"
        case .visits: "C62"
        case .kilometres: "KMT"
        }
    }
}

public enum BillingRules {
    /// The lines of one case's month (R14, R13): minutes summed per kind and hourly rate, each line
    /// priced once and rounded half up to the cent; travel per unit price; over-budget work listed at 0.
    public static func lines(_ entries: [BillableEntry]) -> [InvoiceLine] {
        struct Key: Hashable { let kind: InvoiceLineKind; let price: Cents }
        var minutes: [Key: Int] = [:]
        struct Travel: Hashable { let price: Cents; let perKm: Bool }
        var travel: [Travel: Int] = [:]
        var overBudget = 0
        for entry in entries {
            guard let kind = InvoiceLineKind.of(entry.kind) else { continue }
            if entry.billableMinutes > 0, let rate = entry.hourlyRate {
                minutes[Key(kind: kind, price: rate), default: 0] += entry.billableMinutes
            }
            overBudget += entry.countedMinutes - entry.billableMinutes
            if entry.travelQuantity > 0, entry.travelUnitPrice > .zero {
                travel[Travel(price: entry.travelUnitPrice, perKm: entry.travelPerKm), default: 0] += entry.travelQuantity
            }
        }
        let order = InvoiceLineKind.allCases
        var lines = minutes.sorted { (order.firstIndex(of: $0.key.kind)!, $0.key.price) < (order.firstIndex(of: $1.key.kind)!, $1.key.price) }
            .map { key, total in
                InvoiceLine(kind: key.kind, description: key.kind.german, minutes: total, quantity: Minutes(total).hoursString,
                            unitPrice: key.price, amount: Cents.price(minutes: total, hourlyRate: key.price))
            }
        lines += travel.sorted { ($0.key.perKm ? 1 : 0, $0.key.price) < ($1.key.perKm ? 1 : 0, $1.key.price) }.map { key, quantity in
            InvoiceLine(kind: .travel, description: InvoiceLineKind.travel.german + (key.perKm ? " (km)" : " (Pauschale je Hausbesuch)"),
                        minutes: 0, quantity: String(quantity), unitPrice: key.price, amount: Cents(key.price.value * Int64(quantity)),
                        unit: key.perKm ? .kilometres : .visits)
        }
        if overBudget > 0 {
            lines.append(InvoiceLine(kind: .overBudget, description: InvoiceLineKind.overBudget.german, minutes: overBudget,
                                     quantity: Minutes(overBudget).hoursString, unitPrice: .zero, amount: .zero))
        }
        return lines
    }

    public static func total(_ lines: [InvoiceLine]) -> Cents { lines.reduce(.zero) { $0 + $1.amount } }
}
