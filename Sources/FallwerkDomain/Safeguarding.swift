/// Incidents under §47 SGB VIII (R22) and complaints (R23).
///
/// [001 3.4]: "Bei besonderen Vorkommnissen erfolgt … eine interne Meldung an die Bereichs- bzw.
/// Geschäftsleitung … eine Meldung an das Landesjugendamt, das örtliche und das/die zuständige(n)
/// Jugendamt/Jugendämter sowie den Diözesan-Caritasverband … Fortlaufende Dokumentation … bis zum
/// Abschluss … Information der Betroffenen … Aufarbeitung". [001 3.3, 003, 004]: a described complaint
/// procedure with internal and external contacts ("Ombudschaft Jugendhilfe NRW"), counted in statistics.
/// Like the §8a procedure, both run in dated, attributed steps that are never changed afterwards.

/// Where incidents are reported and how fast; the ombudsperson complainants are offered.
public struct SafeguardingSettings: Sendable, Equatable, Codable {
    /// External recipients besides the youth offices concerned (state youth office, umbrella organisation).
    public var incidentRecipients: [String]
    /// An incident not reported externally within this many hours is an alert to management (R22).
    public var incidentReportHours: Int
    /// A complaint not acknowledged within this many days is an alert to management (R23).
    public var complaintAcknowledgeDays: Int
    /// The external ombudsperson shown to whoever complains.
    public var ombudsperson: String

    public init(incidentRecipients: [String] = ["Landesjugendamt", "Spitzenverband (Dachverband des Trägers)"],
                incidentReportHours: Int = 24, complaintAcknowledgeDays: Int = 3,
                ombudsperson: String = "Ombudschaft Jugendhilfe NRW (unabhängige Beschwerdestelle)") {
        self.incidentRecipients = incidentRecipients
        self.incidentReportHours = incidentReportHours
        self.complaintAcknowledgeDays = complaintAcknowledgeDays
        self.ombudsperson = ombudsperson
    }

    public static let defaults = SafeguardingSettings()

    public static func validated(recipients: String?, reportHours: Int?, acknowledgeDays: Int?, ombudsperson: String?,
                                 into v: inout Validator) -> SafeguardingSettings? {
        let list = (recipients ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        if list.count > 20 { v.add("incidentRecipients", "Bitte höchstens 20 Meldestellen eintragen.") }
        if list.contains(where: { $0.count > 200 }) { v.add("incidentRecipients", "Bitte jede Meldestelle mit höchstens 200 Zeichen angeben.") }
        let hours = v.integer(reportHours, "incidentReportHours", label: "die Frist für die externe Meldung in Stunden", range: 1...168)
        let days = v.integer(acknowledgeDays, "complaintAcknowledgeDays", label: "die Frist für die Eingangsbestätigung in Tagen", range: 1...60)
        let ombud = v.required(ombudsperson, "ombudsperson", label: "die unabhängige Beschwerdestelle mit Erreichbarkeit", maxLength: 500)
        guard let hours, let days, let ombud, v.errors.isEmpty else { return nil }
        return SafeguardingSettings(incidentRecipients: list, incidentReportHours: hours, complaintAcknowledgeDays: days, ombudsperson: ombud)
    }
}

/// A day and minute, for the hours of R22 (Berlin local time, as the clock gives it).
public struct DayTime: Hashable, Sendable, Comparable {
    public let day: Day
    public let time: TimeOfDay

    public init(day: Day, time: TimeOfDay) {
        self.day = day
        self.time = time
    }

    var minutes: Int { day.ordinal * 1_440 + time.minuteOfDay }
    public func adding(hours: Int) -> DayTime {
        let total = minutes + hours * 60
        // Floored, so that days before the ordinal's zero (a typed year 12) stay whole days and minutes.
        let days = total >= 0 ? total / 1_440 : -((-total + 1_439) / 1_440)
        let minute = total - days * 1_440
        return DayTime(day: Day(ordinal: days), time: TimeOfDay(minuteOfDay: minute) ?? time)
    }

    public static func < (a: DayTime, b: DayTime) -> Bool { a.minutes < b.minutes }
    public var german: String { "\(day.german), \(time.text) Uhr" }
}

/// One step of an incident or a complaint; never changed afterwards.
public struct SafeguardingStep: Hashable, Sendable, Identifiable {
    public var id: String
    public var kind: String
    public var date: Day
    public var recipient: String?
    public var way: String?
    public var note: String
    public var recordedBy: String
    public var sequence: Int

    public init(id: String, kind: String, date: Day, recipient: String? = nil, way: String? = nil, note: String, recordedBy: String, sequence: Int) {
        self.id = id
        self.kind = kind
        self.date = date
        self.recipient = recipient
        self.way = way
        self.note = note
        self.recordedBy = recordedBy
        self.sequence = sequence
    }
}

// MARK: - Incidents (R22)

public enum IncidentCategory: String, CaseIterable, Codable, Sendable {
    case violenceByStaff, violenceAmongYoungPeople, sexualAssault, selfHarm, missing, accident, crime, other

    public var german: String {
        switch self {
        case .violenceByStaff: "Grenzverletzung oder Gewalt durch Mitarbeitende"
        case .violenceAmongYoungPeople: "Gewalt unter jungen Menschen"
        case .sexualAssault: "Sexualisierte Gewalt"
        case .selfHarm: "Selbstverletzung oder Suizidgefahr"
        case .missing: "Abgängigkeit / vermisst"
        case .accident: "Unfall oder medizinischer Notfall"
        case .crime: "Polizeieinsatz oder Straftat"
        case .other: "Sonstiges Vorkommnis"
        }
    }
}

public enum IncidentStepKind: String, CaseIterable, Codable, Sendable {
    case internalReport, externalReport, documentation, affectedInformed, review, closed

    public var german: String {
        switch self {
        case .internalReport: "Interne Meldung an Bereichs- und Geschäftsleitung"
        case .externalReport: "Externe Meldung (§ 47 SGB VIII)"
        case .documentation: "Dokumentation"
        case .affectedInformed: "Information der Betroffenen"
        case .review: "Aufarbeitung mit Maßnahmen"
        case .closed: "Abschluss"
        }
    }
}

public struct Incident: Hashable, Sendable, Identifiable {
    public var id: String
    public var occurred: DayTime
    public var category: IncidentCategory
    public var description: String
    public var personsInvolved: String
    public var caseID: String?
    public var recordedBy: String
    public var steps: [SafeguardingStep]

    public init(id: String, occurred: DayTime, category: IncidentCategory, description: String, personsInvolved: String, caseID: String?,
                recordedBy: String, steps: [SafeguardingStep]) {
        self.id = id
        self.occurred = occurred
        self.category = category
        self.description = description
        self.personsInvolved = personsInvolved
        self.caseID = caseID
        self.recordedBy = recordedBy
        self.steps = steps.sorted { $0.sequence < $1.sequence }
    }

    func has(_ kind: IncidentStepKind) -> Bool { steps.contains { $0.kind == kind.rawValue } }
    public var isClosed: Bool { has(.closed) }

    /// R22: no external report within the setting's hours of the incident: an alert to management.
    public func externalReportOverdue(now: DayTime, settings: SafeguardingSettings) -> Bool {
        !isClosed && !has(.externalReport) && now >= occurred.adding(hours: settings.incidentReportHours)
    }

    public var reportDue: DayTime? { has(.externalReport) ? nil : occurred }

    /// Why `kind` cannot be recorded now, or nil.
    public func refusal(for kind: IncidentStepKind) -> String? {
        if isClosed { return "Das Vorkommnis ist abgeschlossen." }
        guard kind == .closed else { return nil }
        let missing = [IncidentStepKind.internalReport, .externalReport, .affectedInformed, .review].filter { !has($0) }
        return missing.isEmpty ? nil
            : "Vor dem Abschluss fehlt noch: " + missing.map(\.german).joined(separator: ", ") + "."
    }

    public var nextKinds: [IncidentStepKind] { IncidentStepKind.allCases.filter { refusal(for: $0) == nil } }
}

public struct IncidentInput: Sendable, Equatable {
    public var occurredOn: String?
    public var occurredAt: String?
    public var category: String?
    public var description: String?
    public var personsInvolved: String?

    public init(occurredOn: String? = nil, occurredAt: String? = nil, category: String? = nil, description: String? = nil,
                personsInvolved: String? = nil) {
        self.occurredOn = occurredOn
        self.occurredAt = occurredAt
        self.category = category
        self.description = description
        self.personsInvolved = personsInvolved
    }

    public func validated(into v: inout Validator, id: String, caseID: String?, recordedBy: String, now: DayTime) -> Incident? {
        let day = v.day(occurredOn, "occurredOn", label: "den Tag des Vorkommnisses")
        var time: TimeOfDay?
        let text = occurredAt?.trimmed ?? ""
        if text.isEmpty { v.add("occurredAt", "Bitte die Uhrzeit des Vorkommnisses angeben.") }
        else if let parsed = TimeOfDay(text: text) { time = parsed }
        else { v.add("occurredAt", "Bitte die Uhrzeit als SS:MM angeben.") }
        if let day, let time, DayTime(day: day, time: time) > now { v.add("occurredOn", "Ein Vorkommnis kann nicht in der Zukunft liegen.") }
        let category = IncidentCategory(rawValue: category?.trimmed ?? "")
        if category == nil { v.add("category", "Bitte die Art des Vorkommnisses wählen.") }
        let what = v.required(description, "description", label: "was geschehen ist", maxLength: 10_000)
        let persons = v.required(personsInvolved, "personsInvolved", label: "die beteiligten Personen", maxLength: 2_000)
        guard let day, let time, let category, let what, let persons, v.errors.isEmpty else { return nil }
        return Incident(id: id, occurred: DayTime(day: day, time: time), category: category, description: what, personsInvolved: persons,
                        caseID: caseID, recordedBy: recordedBy, steps: [])
    }
}

// MARK: - Complaints (R23)

public enum ComplaintSource: String, CaseIterable, Codable, Sendable {
    case youngPerson, guardian, staff, other
    public var german: String {
        switch self {
        case .youngPerson: "junger Mensch"
        case .guardian: "Sorgeberechtigte"
        case .staff: "Mitarbeitende"
        case .other: "andere"
        }
    }
}

public enum ComplaintChannel: String, CaseIterable, Codable, Sendable {
    case inPerson, phone, letter, email, complaintBox, other
    public var german: String {
        switch self {
        case .inPerson: "persönlich"
        case .phone: "telefonisch"
        case .letter: "Brief"
        case .email: "E-Mail"
        case .complaintBox: "Beschwerdebriefkasten"
        case .other: "anders"
        }
    }
}

public enum ComplaintCategory: String, CaseIterable, Codable, Sendable {
    case staffConduct, serviceQuality, participation, dataProtection, organisation, other
    public var german: String {
        switch self {
        case .staffConduct: "Verhalten von Mitarbeitenden"
        case .serviceQuality: "Qualität der Hilfe"
        case .participation: "Beteiligung und Mitsprache"
        case .dataProtection: "Datenschutz"
        case .organisation: "Termine und Organisation"
        case .other: "Sonstiges"
        }
    }
}

public enum ComplaintStepKind: String, CaseIterable, Codable, Sendable {
    case acknowledged, handled, resolved
    public var german: String {
        switch self {
        case .acknowledged: "Eingang bestätigt"
        case .handled: "Bearbeitet"
        case .resolved: "Erledigt mit Ergebnis"
        }
    }
}

public struct Complaint: Hashable, Sendable, Identifiable {
    public var id: String
    public var receivedOn: Day
    public var source: ComplaintSource
    public var channel: ComplaintChannel
    public var category: ComplaintCategory
    public var about: String
    public var caseID: String?
    /// R23: the external ombudsperson's contact was offered to the person who complained.
    public var ombudspersonOffered: Bool
    public var recordedBy: String
    public var steps: [SafeguardingStep]

    public init(id: String, receivedOn: Day, source: ComplaintSource, channel: ComplaintChannel, category: ComplaintCategory, about: String,
                caseID: String?, ombudspersonOffered: Bool, recordedBy: String, steps: [SafeguardingStep]) {
        self.id = id
        self.receivedOn = receivedOn
        self.source = source
        self.channel = channel
        self.category = category
        self.about = about
        self.caseID = caseID
        self.ombudspersonOffered = ombudspersonOffered
        self.recordedBy = recordedBy
        self.steps = steps.sorted { $0.sequence < $1.sequence }
    }

    func has(_ kind: ComplaintStepKind) -> Bool { steps.contains { $0.kind == kind.rawValue } }
    public var isResolved: Bool { has(.resolved) }
    public var status: String { isResolved ? "resolved" : has(.handled) ? "handled" : has(.acknowledged) ? "acknowledged" : "received" }

    /// R23: not acknowledged within the setting's days: an alert to management.
    public func acknowledgementOverdue(today: Day, settings: SafeguardingSettings) -> Bool {
        !has(.acknowledged) && today > receivedOn.adding(days: settings.complaintAcknowledgeDays)
    }

    /// Received → acknowledged → handled → resolved, each once.
    public func refusal(for kind: ComplaintStepKind) -> String? {
        if isResolved { return "Die Beschwerde ist erledigt." }
        switch kind {
        case .acknowledged: return has(.acknowledged) ? "Der Eingang ist schon bestätigt." : nil
        case .handled: return has(.acknowledged) ? nil : "Bitte zuerst den Eingang bestätigen."
        case .resolved: return has(.handled) ? nil : "Vor dem Ergebnis bitte eintragen, wie die Beschwerde bearbeitet wurde."
        }
    }

    public var nextKinds: [ComplaintStepKind] { ComplaintStepKind.allCases.filter { refusal(for: $0) == nil } }
}

public struct ComplaintInput: Sendable, Equatable {
    public var receivedOn: String?
    public var source: String?
    public var channel: String?
    public var category: String?
    public var about: String?
    public var ombudspersonOffered: Bool?

    public init(receivedOn: String? = nil, source: String? = nil, channel: String? = nil, category: String? = nil, about: String? = nil,
                ombudspersonOffered: Bool? = nil) {
        self.receivedOn = receivedOn
        self.source = source
        self.channel = channel
        self.category = category
        self.about = about
        self.ombudspersonOffered = ombudspersonOffered
    }

    public func validated(into v: inout Validator, id: String, caseID: String?, recordedBy: String, today: Day) -> Complaint? {
        let day = v.day(receivedOn, "receivedOn", label: "den Tag des Eingangs")
        if let day, day > today { v.add("receivedOn", "Der Eingang kann nicht in der Zukunft liegen.") }
        let source = ComplaintSource(rawValue: source?.trimmed ?? "")
        if source == nil { v.add("source", "Bitte angeben, von wem die Beschwerde kommt.") }
        let channel = ComplaintChannel(rawValue: channel?.trimmed ?? "")
        if channel == nil { v.add("channel", "Bitte angeben, wie die Beschwerde einging.") }
        let category = ComplaintCategory(rawValue: category?.trimmed ?? "")
        if category == nil { v.add("category", "Bitte wählen, worum es geht.") }
        let about = v.required(about, "about", label: "worüber sich beschwert wird", maxLength: 10_000)
        // R23: whoever complains learns of the independent ombudsperson; the record says it was offered.
        if ombudspersonOffered != true {
            v.add("ombudspersonOffered", "Bitte der Person die unabhängige Beschwerdestelle nennen und das hier bestätigen.")
        }
        guard let day, let source, let channel, let category, let about, v.errors.isEmpty else { return nil }
        return Complaint(id: id, receivedOn: day, source: source, channel: channel, category: category, about: about, caseID: caseID,
                         ombudspersonOffered: true, recordedBy: recordedBy, steps: [])
    }
}

/// Complaints counted per category and source for a period (R23, R29).
public struct ComplaintCounts: Sendable, Equatable {
    public var total: Int
    public var resolved: Int
    public var byCategory: [ComplaintCategory: Int]
    public var bySource: [ComplaintSource: Int]

    public init(_ complaints: [Complaint], from: Day, to: Day) {
        let inPeriod = complaints.filter { $0.receivedOn >= from && $0.receivedOn <= to }
        total = inPeriod.count
        resolved = inPeriod.filter(\.isResolved).count
        byCategory = Dictionary(grouping: inPeriod, by: \.category).mapValues(\.count)
        bySource = Dictionary(grouping: inPeriod, by: \.source).mapValues(\.count)
    }
}

/// A step of an incident or a complaint as typed; checked against the record's kinds and order.
public struct SafeguardingStepInput: Sendable, Equatable {
    public var kind: String?
    public var date: String?
    public var recipient: String?
    public var way: String?
    public var note: String?

    public init(kind: String? = nil, date: String? = nil, recipient: String? = nil, way: String? = nil, note: String? = nil) {
        self.kind = kind
        self.date = date
        self.recipient = recipient
        self.way = way
        self.note = note
    }

    /// - Parameters:
    ///   - refusal: the record's order rule for a kind (nil: allowed); unknown kinds are refused.
    ///   - needsRecipient: kinds that name whom and how (reports).
    ///   - noteLabel: what the note is for this kind (German, for the message), nil when optional.
    public func validated(into v: inout Validator, kinds: [String], refusal: (String) -> String?, needsRecipient: Set<String>,
                          noteLabel: (String) -> String?, earliest: Day, today: Day, id: String, recordedBy: String,
                          sequence: Int) -> SafeguardingStep? {
        guard let kind = kind?.trimmed, kinds.contains(kind) else {
            v.add("kind", "Bitte einen Schritt wählen.")
            return nil
        }
        if let reason = refusal(kind) {
            v.add("kind", reason)
            return nil
        }
        let date = v.day(date, "date", label: "das Datum")
        if let date, date > today { v.add("date", "Ein Schritt kann nicht in der Zukunft liegen.") }
        if let date, date < earliest { v.add("date", "Der Schritt kann nicht vor dem \(earliest.german) liegen.") }
        var recipient: String?, way: String?
        if needsRecipient.contains(kind) {
            recipient = v.required(self.recipient, "recipient", label: "an wen gemeldet wurde", maxLength: 300)
            way = v.required(self.way, "way", label: "wie gemeldet wurde", maxLength: 200)
        }
        let text = noteLabel(kind).map { v.required(note, "note", label: $0, maxLength: 10_000) }
            ?? v.optional(note, "note", label: "die Anmerkung", maxLength: 10_000)
        guard let date, v.errors.isEmpty else { return nil }
        return SafeguardingStep(id: id, kind: kind, date: date, recipient: recipient, way: way, note: text ?? "", recordedBy: recordedBy,
                                sequence: sequence)
    }
}

extension Incident {
    /// Records a step of this incident (R22).
    public func step(_ input: SafeguardingStepInput, into v: inout Validator, today: Day, id: String, recordedBy: String) -> SafeguardingStep? {
        input.validated(into: &v, kinds: IncidentStepKind.allCases.map(\.rawValue),
                        refusal: { refusal(for: IncidentStepKind(rawValue: $0)!) },
                        needsRecipient: [IncidentStepKind.internalReport.rawValue, IncidentStepKind.externalReport.rawValue],
                        noteLabel: { kind in
                            switch IncidentStepKind(rawValue: kind)! {
                            case .documentation: "was dokumentiert wird"
                            case .affectedInformed: "wer wann informiert wurde"
                            case .review: "die Maßnahmen der Aufarbeitung"
                            case .closed: "das Ergebnis"
                            case .internalReport, .externalReport: nil
                            }
                        },
                        earliest: occurred.day, today: today, id: id, recordedBy: recordedBy, sequence: (steps.map(\.sequence).max() ?? 0) + 1)
    }
}

extension Complaint {
    /// Records a step of this complaint (R23).
    public func step(_ input: SafeguardingStepInput, into v: inout Validator, today: Day, id: String, recordedBy: String) -> SafeguardingStep? {
        input.validated(into: &v, kinds: ComplaintStepKind.allCases.map(\.rawValue),
                        refusal: { refusal(for: ComplaintStepKind(rawValue: $0)!) }, needsRecipient: [],
                        noteLabel: { kind in
                            switch ComplaintStepKind(rawValue: kind)! {
                            case .acknowledged: nil
                            case .handled: "wie die Beschwerde bearbeitet wurde"
                            case .resolved: "das Ergebnis"
                            }
                        },
                        earliest: receivedOn, today: today, id: id, recordedBy: recordedBy, sequence: (steps.map(\.sequence).max() ?? 0) + 1)
    }
}
