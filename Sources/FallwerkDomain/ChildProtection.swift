/// The child-protection procedure under §8a SGB VIII (R21).
///
/// [000 section 9]: "Die Einschätzung erfolgt im Rahmen fachlicher Beratung und unter Einbezug einer
/// insoweit erfahrenen Fachkraft (ISEF)"; [001 2.4]: "Einsatz zweier Kolleg*innen … im Sinne eines
/// 4-Augen-Prinzips"; [004 Krisenintervention]: "Bei Vorlage gewichtiger Anhaltspunkte … sofort ein
/// Meldebogen … an das Jugendamt zu übermitteln." A procedure runs in steps; each step is dated,
/// attributed and never changed afterwards: a correction is a new step that names the one it corrects.

/// The steps of a procedure, in the order the procedure usually runs.
public enum ChildProtectionStepKind: String, CaseIterable, Codable, Sendable {
    case consultation
    case riskAssessment
    case guardiansInvolved
    case protectionPlan
    case reportToYouthOffice
    case followUp
    case closed

    public var german: String {
        switch self {
        case .consultation: "Interne Fallberatung"
        case .riskAssessment: "Gefährdungseinschätzung mit ISEF"
        case .guardiansInvolved: "Beteiligung von Sorgeberechtigten und Kind"
        case .protectionPlan: "Schutzplan"
        case .reportToYouthOffice: "Meldung an das Jugendamt (Meldebogen)"
        case .followUp: "Überprüfung"
        case .closed: "Abschluss"
        }
    }
}

/// The basic needs the risk assessment rates (after the Stuttgarter Kinderschutzbogen's
/// "Grundversorgung" and the issue's minimum list).
public enum BasicNeed: String, CaseIterable, Codable, Sendable {
    case careAndFood
    case hygiene
    case health
    case supervision
    case protectionFromViolence
    case protectionFromSexualAbuse
    case emotionalDevelopment
    case schooling

    public var german: String {
        switch self {
        case .careAndFood: "Versorgung und Ernährung"
        case .hygiene: "Körperpflege und Hygiene"
        case .health: "Gesundheit und medizinische Versorgung"
        case .supervision: "Aufsicht"
        case .protectionFromViolence: "Schutz vor Gewalt"
        case .protectionFromSexualAbuse: "Schutz vor sexueller Gewalt"
        case .emotionalDevelopment: "Emotionale Entwicklung und Zuwendung"
        case .schooling: "Schule, Kita und Bildung"
        }
    }
}

/// The four-step scale of each basic need (Stuttgarter Kinderschutzbogen: ++, +, −, −−).
public enum NeedRating: String, CaseIterable, Codable, Sendable {
    case good
    case sufficient
    case borderline
    case insufficient

    public var german: String {
        switch self {
        case .good: "gut (++)"
        case .sufficient: "ausreichend (+)"
        case .borderline: "grenzwertig (−)"
        case .insufficient: "unzureichend (−−)"
        }
    }
}

/// The overall result of a risk assessment.
public enum RiskLevel: String, CaseIterable, Codable, Sendable {
    case none
    case low
    case high
    case acute

    public var german: String {
        switch self {
        case .none: "keine Gefährdung erkennbar"
        case .low: "geringes Risiko"
        case .high: "hoch: gewichtige Anhaltspunkte"
        case .acute: "akute Gefährdung"
        }
    }

    /// Weighty indications: the youth office gets a Meldebogen at once [004].
    public var isWeighty: Bool { self == .high || self == .acute }
}

/// An *insoweit erfahrene Fachkraft* from the provider's list: external, or a staff member trained as one.
public struct IsefExpert: Hashable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var organisation: String?
    public var contact: String?
    /// Set when the ISEF is one of the provider's own staff.
    public var staffID: String?

    public init(id: String, name: String, organisation: String? = nil, contact: String? = nil, staffID: String? = nil) {
        self.id = id
        self.name = name
        self.organisation = organisation
        self.contact = contact
        self.staffID = staffID
    }

    /// "Name (Organisation)" for lists and the Meldebogen.
    public var label: String { organisation.map { "\(name) (\($0))" } ?? name }
}

/// A measure of a protection plan: what, who does it, by when.
public struct ProtectionMeasure: Hashable, Sendable {
    public var what: String
    public var who: String
    public var byWhen: Day?

    public init(what: String, who: String, byWhen: Day?) {
        self.what = what
        self.who = who
        self.byWhen = byWhen
    }
}

/// What a step records besides its date and note.
public enum ChildProtectionDetails: Hashable, Sendable {
    case consultation(participants: String)
    /// Four eyes: at least two of the provider's professionals, and an ISEF.
    case riskAssessment(professionalStaffIDs: [String], isef: IsefExpert, needs: [BasicNeed: NeedRating], riskLevel: RiskLevel)
    case guardiansInvolved(guardians: Bool, child: Bool, reasonNot: String?)
    case protectionPlan(measures: [ProtectionMeasure], howChecked: String, checkDates: [Day])
    case reportToYouthOffice(recipient: String, way: String)
    case followUp
    case closed(outcome: String)

    public var kind: ChildProtectionStepKind {
        switch self {
        case .consultation: .consultation
        case .riskAssessment: .riskAssessment
        case .guardiansInvolved: .guardiansInvolved
        case .protectionPlan: .protectionPlan
        case .reportToYouthOffice: .reportToYouthOffice
        case .followUp: .followUp
        case .closed: .closed
        }
    }
}

/// One recorded step. Never changed: a correction is a later step with `corrects` set.
public struct ChildProtectionStep: Hashable, Sendable, Identifiable {
    public var id: String
    public var date: Day
    /// What happened, in the words of who recorded it.
    public var note: String
    public var details: ChildProtectionDetails
    /// The earlier step of the same kind this one replaces.
    public var corrects: String?
    /// Staff member (or user) who recorded it, and the order it was recorded in.
    public var recordedBy: String
    public var sequence: Int

    public init(id: String, date: Day, note: String, details: ChildProtectionDetails, corrects: String? = nil,
                recordedBy: String, sequence: Int) {
        self.id = id
        self.date = date
        self.note = note
        self.details = details
        self.corrects = corrects
        self.recordedBy = recordedBy
        self.sequence = sequence
    }

    public var kind: ChildProtectionStepKind { details.kind }
}

/// A procedure with every step ever recorded, in the order recorded.
public struct ChildProtectionProcedure: Hashable, Sendable, Identifiable {
    public var id: String
    public var caseID: String
    public var noticedOn: Day
    /// The indications observed when the procedure was opened.
    public var indications: String
    public var openedBy: String
    public var steps: [ChildProtectionStep]

    public init(id: String, caseID: String, noticedOn: Day, indications: String, openedBy: String, steps: [ChildProtectionStep]) {
        self.id = id
        self.caseID = caseID
        self.noticedOn = noticedOn
        self.indications = indications
        self.openedBy = openedBy
        self.steps = steps.sorted { $0.sequence < $1.sequence }
    }

    /// Ids of steps a later step corrects.
    public var correctedIDs: Set<String> { Set(steps.compactMap(\.corrects)) }

    /// The steps that count: every step not corrected by a later one, in the order recorded.
    public var current: [ChildProtectionStep] {
        let corrected = correctedIDs
        return steps.filter { !corrected.contains($0.id) }
    }

    public func latest(_ kind: ChildProtectionStepKind) -> ChildProtectionStep? { current.last { $0.kind == kind } }

    public var isClosed: Bool { latest(.closed) != nil }

    /// The overall risk of the latest risk assessment.
    public var riskLevel: RiskLevel? {
        guard case .riskAssessment(_, _, _, let level)? = latest(.riskAssessment)?.details else { return nil }
        return level
    }

    /// Weighty indications without a report to the youth office since the assessment that found them:
    /// the Meldebogen is due from that assessment's day on [004 "sofort"].
    public var reportDueSince: Day? {
        guard !isClosed, let assessment = latest(.riskAssessment), riskLevel?.isWeighty == true else { return nil }
        let reported = current.contains { $0.kind == .reportToYouthOffice && $0.sequence > assessment.sequence }
        return reported ? nil : assessment.date
    }

    /// The day of the latest step (or the day noticed): management's page lists the longest-waiting first.
    public var lastActivity: Day { current.map(\.date).max() ?? noticedOn }

    /// The checks of the latest protection plan, each done by the follow-ups recorded on or after the
    /// plan's day, matched in order (R21: "Überprüfung").
    public var protectionChecks: [(due: Day, doneOn: Day?)] {
        guard case .protectionPlan(_, _, let dates)? = latest(.protectionPlan)?.details, let plan = latest(.protectionPlan) else { return [] }
        let followUps = current.filter { $0.kind == .followUp && $0.sequence > plan.sequence }.map(\.date).sorted()
        return dates.sorted().enumerated().map { index, due in (due, index < followUps.count ? followUps[index] : nil) }
    }

    /// Why `kind` cannot be recorded now (R21's order), or nil. A report to the youth office is never held
    /// back by the order: protecting the child comes first.
    public func refusal(for kind: ChildProtectionStepKind) -> String? {
        if isClosed { return "Das Verfahren ist abgeschlossen. Neue Anhaltspunkte bitte als neues Verfahren eröffnen." }
        let has = { (kind: ChildProtectionStepKind) in self.latest(kind) != nil }
        switch kind {
        case .consultation, .reportToYouthOffice:
            return nil
        case .riskAssessment:
            return has(.consultation) ? nil : "Vor der Gefährdungseinschätzung bitte die interne Fallberatung eintragen."
        case .guardiansInvolved:
            return has(.riskAssessment) ? nil : "Vor der Beteiligung bitte die Gefährdungseinschätzung eintragen."
        case .protectionPlan:
            if !has(.riskAssessment) { return "Vor dem Schutzplan bitte die Gefährdungseinschätzung eintragen." }
            return has(.guardiansInvolved) ? nil
                : "Vor dem Schutzplan bitte eintragen, ob Sorgeberechtigte und Kind beteiligt wurden (oder warum nicht)."
        case .followUp:
            return has(.protectionPlan) || has(.reportToYouthOffice) ? nil
                : "Eine Überprüfung folgt auf einen Schutzplan oder eine Meldung an das Jugendamt."
        case .closed:
            if !has(.riskAssessment) { return "Ohne Gefährdungseinschätzung kann das Verfahren nicht abgeschlossen werden." }
            if reportDueSince != nil {
                return "Bei gewichtigen Anhaltspunkten wird das Verfahren erst nach der Meldung an das Jugendamt abgeschlossen."
            }
            return nil
        }
    }

    /// The steps that may be recorded now, in the usual order.
    public var nextKinds: [ChildProtectionStepKind] { ChildProtectionStepKind.allCases.filter { refusal(for: $0) == nil } }
}

/// Opening a procedure: the day the indications were noticed and what was observed.
public struct ChildProtectionOpening: Sendable, Equatable {
    public var noticedOn: String?
    public var indications: String?

    public init(noticedOn: String? = nil, indications: String? = nil) {
        self.noticedOn = noticedOn
        self.indications = indications
    }

    public static let maxTextLength = 10_000

    public func validated(into v: inout Validator, caseStart: Day, today: Day) -> (Day, String)? {
        let day = v.day(noticedOn, "noticedOn", label: "das Datum, an dem die Anhaltspunkte bemerkt wurden")
        if let day, day > today { v.add("noticedOn", "Das Datum kann nicht in der Zukunft liegen.") }
        if let day, day < caseStart.adding(days: -365) {
            v.add("noticedOn", "Das Datum liegt mehr als ein Jahr vor Beginn der Hilfe; bitte prüfen.")
        }
        let text = v.required(indications, "indications", label: "die wahrgenommenen Anhaltspunkte", maxLength: Self.maxTextLength)
        guard let day, let text, v.errors.isEmpty else { return nil }
        return (day, text)
    }
}

/// A step as typed in a form or sent to the API; `validated` checks it against the procedure.
public struct ChildProtectionStepInput: Sendable, Equatable {
    public var kind: String?
    public var date: String?
    public var note: String?
    public var corrects: String?
    // consultation
    public var participants: String?
    // risk assessment
    public var professionalStaffIDs: [String] = []
    public var isefExpertID: String?
    public var needs: [String: String] = [:]
    public var riskLevel: String?
    // involvement
    public var guardiansInvolved: Bool?
    public var childInvolved: Bool?
    public var reasonNotInvolved: String?
    // protection plan
    public var measures: [(what: String?, who: String?, byWhen: String?)] = []
    public var howChecked: String?
    public var checkDates: [String] = []
    // report
    public var recipient: String?
    public var way: String?
    // closing
    public var outcome: String?

    public init(kind: String? = nil, date: String? = nil, note: String? = nil) {
        self.kind = kind
        self.date = date
        self.note = note
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.kind == b.kind && a.date == b.date && a.note == b.note && a.corrects == b.corrects && a.participants == b.participants
            && a.professionalStaffIDs == b.professionalStaffIDs && a.isefExpertID == b.isefExpertID && a.needs == b.needs
            && a.riskLevel == b.riskLevel && a.guardiansInvolved == b.guardiansInvolved && a.childInvolved == b.childInvolved
            && a.reasonNotInvolved == b.reasonNotInvolved && a.howChecked == b.howChecked && a.checkDates == b.checkDates
            && a.recipient == b.recipient && a.way == b.way && a.outcome == b.outcome
            && a.measures.map { [$0.what, $0.who, $0.byWhen] } == b.measures.map { [$0.what, $0.who, $0.byWhen] }
    }

    public static let maxTextLength = 10_000
    public static let maxMeasures = 20

    /// - Parameters:
    ///   - staffIDs: the provider's staff (lower-case ids), for the four eyes.
    ///   - experts: the provider's ISEF list by lower-case id.
    public func validated(into v: inout Validator, procedure: ChildProtectionProcedure, id: String, recordedBy: String, sequence: Int,
                          today: Day, staffIDs: Set<String>, experts: [String: IsefExpert]) -> ChildProtectionStep? {
        guard let kind = kind.flatMap(ChildProtectionStepKind.init(rawValue:)) else {
            v.add("kind", "Bitte einen Schritt des Verfahrens wählen.")
            return nil
        }
        var corrected: ChildProtectionStep?
        if let raw = corrects?.trimmed.lowercased(), !raw.isEmpty {
            if let old = procedure.current.first(where: { $0.id.lowercased() == raw }), old.kind == kind {
                corrected = old
            } else if procedure.steps.contains(where: { $0.id.lowercased() == raw }) {
                v.add("corrects", "Dieser Schritt ist schon korrigiert oder von anderer Art; bitte die neueste Fassung korrigieren.")
            } else {
                v.add("corrects", "Diesen Schritt gibt es in diesem Verfahren nicht.")
            }
        }
        // A correction is checked against the procedure without the step it replaces.
        var basis = procedure
        if let corrected { basis.steps.removeAll { $0.id == corrected.id } }
        // Out of order, the step's fields do not matter yet: only the reason is shown.
        if let refusal = basis.refusal(for: kind) {
            v.add("kind", refusal)
            return nil
        }

        let date = v.day(date, "date", label: "das Datum des Schritts")
        if let date {
            if date > today { v.add("date", "Ein Schritt kann nicht in der Zukunft liegen.") }
            else if date < procedure.noticedOn {
                v.add("date", "Ein Schritt kann nicht vor dem Bemerken der Anhaltspunkte (\(procedure.noticedOn.german)) liegen.")
            }
        }
        // The consultation's result and the check's result are the step itself; elsewhere a note is optional.
        let noteRequired = kind == .consultation || kind == .followUp
        let text = noteRequired
            ? v.required(note, "note", label: kind == .followUp ? "das Ergebnis der Überprüfung" : "das Ergebnis der Fallberatung",
                         maxLength: Self.maxTextLength)
            : v.optional(note, "note", label: "die Anmerkung", maxLength: Self.maxTextLength)

        let details: ChildProtectionDetails?
        switch kind {
        case .consultation:
            details = v.required(participants, "participants", label: "wer beraten hat", maxLength: 1_000).map { .consultation(participants: $0) }
        case .riskAssessment:
            details = riskAssessment(into: &v, staffIDs: staffIDs, experts: experts)
        case .guardiansInvolved:
            let guardians = guardiansInvolved ?? false, child = childInvolved ?? false
            let reason = v.optional(reasonNotInvolved, "reasonNotInvolved", label: "den Grund", maxLength: Self.maxTextLength)
            if (!guardians || !child) && reason == nil {
                v.add("reasonNotInvolved",
                      "Bitte den Grund angeben, warum Sorgeberechtigte oder Kind nicht beteiligt wurden (z. B. weil es das Kind gefährden würde).")
            }
            details = .guardiansInvolved(guardians: guardians, child: child, reasonNot: reason)
        case .protectionPlan:
            details = protectionPlan(into: &v, today: today)
        case .reportToYouthOffice:
            let recipient = v.required(recipient, "recipient", label: "an wen im Jugendamt gemeldet wurde", maxLength: 300)
            let way = v.required(way, "way", label: "wie die Meldung übermittelt wurde", maxLength: 200)
            details = recipient.flatMap { r in way.map { .reportToYouthOffice(recipient: r, way: $0) } }
        case .followUp:
            details = .followUp
        case .closed:
            details = v.required(outcome, "outcome", label: "das Ergebnis des Verfahrens", maxLength: 2_000).map { .closed(outcome: $0) }
        }
        guard let date, let details, v.errors.isEmpty else { return nil }
        return ChildProtectionStep(id: id, date: date, note: text ?? "", details: details, corrects: corrected?.id,
                                   recordedBy: recordedBy, sequence: sequence)
    }

    private func riskAssessment(into v: inout Validator, staffIDs: Set<String>, experts: [String: IsefExpert]) -> ChildProtectionDetails? {
        var professionals: [String] = []
        for (index, raw) in professionalStaffIDs.enumerated() {
            let id = raw.trimmed.lowercased()
            if id.isEmpty || professionals.contains(id) { continue }
            if staffIDs.contains(id) { professionals.append(id) }
            else { v.add("professionalIds[\(index)]", "Diese Person ist keine Fachkraft des Trägers.") }
        }
        if professionals.count < 2 && !v.errors.contains(where: { $0.field.hasPrefix("professionalIds") }) {
            v.add("professionalIds", "Die Gefährdungseinschätzung treffen mindestens zwei Fachkräfte des Trägers (Vier-Augen-Prinzip).")
        }
        var isef: IsefExpert?
        let isefID = isefExpertID?.trimmed.lowercased() ?? ""
        if isefID.isEmpty {
            v.add("isef", "Bitte die insoweit erfahrene Fachkraft (ISEF) angeben, die hinzugezogen wurde.")
        } else if let expert = experts[isefID] {
            if let staff = expert.staffID?.lowercased(), professionals.contains(staff) {
                v.add("isef", "Die ISEF berät von außerhalb des Falls: Sie kann nicht zugleich eine der beiden einschätzenden Fachkräfte sein.")
            } else {
                isef = expert
            }
        } else {
            v.add("isef", "Diese ISEF steht nicht in der Liste des Trägers.")
        }
        var ratings: [BasicNeed: NeedRating] = [:]
        for need in BasicNeed.allCases {
            let raw = needs[need.rawValue]?.trimmed ?? ""
            if let rating = NeedRating(rawValue: raw) { ratings[need] = rating }
            else { v.add("needs.\(need.rawValue)", "Bitte „\(need.german)“ einschätzen.") }
        }
        let level = RiskLevel(rawValue: riskLevel?.trimmed ?? "")
        if level == nil { v.add("riskLevel", "Bitte die Gesamteinschätzung des Risikos wählen.") }
        guard let isef, let level, professionals.count >= 2, ratings.count == BasicNeed.allCases.count else { return nil }
        return .riskAssessment(professionalStaffIDs: professionals, isef: isef, needs: ratings, riskLevel: level)
    }

    private func protectionPlan(into v: inout Validator, today: Day) -> ChildProtectionDetails? {
        var planned: [ProtectionMeasure] = []
        for (index, measure) in measures.prefix(Self.maxMeasures).enumerated() {
            let what = measure.what?.trimmed ?? "", who = measure.who?.trimmed ?? "", by = measure.byWhen?.trimmed ?? ""
            if what.isEmpty && who.isEmpty && by.isEmpty { continue }
            let field = "measures[\(index)]"
            let checkedWhat = v.required(what, "\(field).what", label: "die Maßnahme", maxLength: 2_000)
            let checkedWho = v.required(who, "\(field).who", label: "wer die Maßnahme übernimmt", maxLength: 300)
            let day = v.day(by, "\(field).byWhen", label: "bis wann", required: false)
            if let checkedWhat, let checkedWho { planned.append(ProtectionMeasure(what: checkedWhat, who: checkedWho, byWhen: day)) }
        }
        if planned.isEmpty && !v.errors.contains(where: { $0.field.hasPrefix("measures") }) {
            v.add("measures", "Bitte mindestens eine vereinbarte Maßnahme eintragen (was, wer, bis wann).")
        }
        let how = v.required(howChecked, "howChecked", label: "wie die Umsetzung überprüft wird", maxLength: 2_000)
        var checks: [Day] = []
        for (index, raw) in checkDates.enumerated() where !raw.trimmed.isEmpty {
            if let day = v.day(raw, "checkDates[\(index)]", label: "den Überprüfungstermin") { checks.append(day) }
        }
        if checks.isEmpty && !v.errors.contains(where: { $0.field.hasPrefix("checkDates") }) {
            v.add("checkDates", "Bitte mindestens einen Termin für die Überprüfung des Schutzplans angeben.")
        }
        guard let how, !planned.isEmpty, !checks.isEmpty else { return nil }
        return .protectionPlan(measures: planned, howChecked: how, checkDates: Array(Set(checks)).sorted())
    }
}

extension ChildProtectionProcedure {
    /// The protection plan's check dates as deadlines (R21), like the care plan's: the deadlines page,
    /// alerts and the calendar feed show them. Open ones only while the procedure runs.
    public func deadlines(today: Day) -> [Deadline] {
        protectionChecks.enumerated().compactMap { index, check in
            if isClosed && check.doneOn == nil { return nil }
            return Deadline(key: "kinderschutz-\(id.lowercased())-\(index + 1)", kind: .protectionCheck, due: check.due,
                            refersTo: .childProtection(procedureID: id, check: index + 1), doneOn: check.doneOn,
                            status: Deadlines.status(due: check.due, doneOn: check.doneOn, today: today),
                            title: "Überprüfung des Schutzplans (§ 8a), \(index + 1). Termin",
                            note: "Überprüfung durchführen und als Schritt „Überprüfung“ im Kinderschutzverfahren eintragen.")
        }
    }

    /// R21 [004]: weighty indications make the Meldebogen due at once, until a report step is recorded.
    public var reportAlert: CaseAlert? {
        guard let since = reportDueSince else { return nil }
        return CaseAlert(kind: .childProtectionReport, since: since,
                         title: "Meldebogen an das Jugendamt fällig (§ 8a, Einschätzung vom \(since.german))",
                         action: "Jetzt den Meldebogen an das Jugendamt übermitteln und die Meldung im Kinderschutzverfahren eintragen.")
    }
}

/// What the Meldebogen names besides the procedure (R21 [004]: "sofort ein Meldebogen … an das Jugendamt").
public struct MeldebogenFacts: Sendable {
    public var providerName: String
    public var providerContact: [String]
    public var fileNumber: String
    public var youthOfficeName: String
    public var youthOfficeCaseworker: String?
    public var child: Person
    public var guardians: [Person]
    public var familyAddress: String?
    public var leadWorker: String?
    /// Names of the staff who assessed, by lower-case staff id.
    public var staffNames: [String: String]

    public init(providerName: String, providerContact: [String], fileNumber: String, youthOfficeName: String, youthOfficeCaseworker: String?,
                child: Person, guardians: [Person], familyAddress: String?, leadWorker: String?, staffNames: [String: String]) {
        self.providerName = providerName
        self.providerContact = providerContact
        self.fileNumber = fileNumber
        self.youthOfficeName = youthOfficeName
        self.youthOfficeCaseworker = youthOfficeCaseworker
        self.child = child
        self.guardians = guardians
        self.familyAddress = familyAddress
        self.leadWorker = leadWorker
        self.staffNames = staffNames
    }
}

/// The Meldebogen to the youth office, as an editable DOCX and a print view with the same sections.
public enum Meldebogen {
    public static let title = "Meldebogen an das Jugendamt bei gewichtigen Anhaltspunkten für eine Kindeswohlgefährdung (§ 8a SGB VIII)"

    public static func preamble(_ facts: MeldebogenFacts, today: Day) -> [String] {
        ["Aktenzeichen: \(facts.fileNumber)", "An: \(facts.youthOfficeName)" + (facts.youthOfficeCaseworker.map { ", \($0)" } ?? ""),
         "Stand: \(today.german)"]
    }

    public static func sections(_ p: ChildProtectionProcedure, facts: MeldebogenFacts) -> [DocxSection] {
        var out: [DocxSection] = []
        out.append(DocxSection(heading: "1. Meldender Träger", paragraphs: [facts.providerName] + facts.providerContact
            + (facts.leadWorker.map { ["Fallführende Fachkraft: \($0)"] } ?? [])))
        var child = [facts.child.fullName]
        if let birth = facts.child.birthDate { child.append("geboren am \(birth.german)") }
        if let address = facts.familyAddress { child.append("Anschrift: \(address)") }
        out.append(DocxSection(heading: "2. Kind oder Jugendliche/r", paragraphs: [child.joined(separator: ", ")]))
        let guardians = facts.guardians.map { g in
            [g.fullName, g.relation, g.phone.map { "Tel. \($0)" }].compactMap { $0 }.joined(separator: ", ")
        }
        out.append(DocxSection(heading: "3. Sorgeberechtigte und Sorgerecht",
                               paragraphs: (guardians.isEmpty ? ["Keine Sorgeberechtigten erfasst."] : guardians)
                                   + ["Sorgerecht: bitte ergänzen, soweit bekannt (gemeinsam, allein, Vormundschaft)."]))
        out.append(DocxSection(heading: "4. Wahrgenommene Anhaltspunkte",
                               paragraphs: ["Bemerkt am \(p.noticedOn.german) (\(p.openedBy)):", p.indications]))
        if let step = p.latest(.riskAssessment), case let .riskAssessment(professionals, isef, needs, level) = step.details {
            let names = professionals.map { facts.staffNames[$0.lowercased()] ?? $0 }
            var grid = BasicNeed.allCases.map { need in "\(need.german): \(needs[need]?.german ?? "nicht eingeschätzt")" }
            grid.append("Gesamteinschätzung: \(level.german)")
            if !step.note.isEmpty { grid.append(step.note) }
            out.append(DocxSection(heading: "5. Gefährdungseinschätzung vom \(step.date.german)", paragraphs: grid))
            out.append(DocxSection(heading: "6. Beteiligte Fachkräfte und insoweit erfahrene Fachkraft",
                                   paragraphs: ["Einschätzende Fachkräfte (Vier-Augen-Prinzip): \(names.joined(separator: ", "))",
                                                "Insoweit erfahrene Fachkraft (ISEF): \(isef.label)" + (isef.contact.map { ", \($0)" } ?? "")
                                                    + ", beraten am \(step.date.german)"]))
        } else {
            out.append(DocxSection(heading: "5. Gefährdungseinschätzung", paragraphs: ["Noch keine Gefährdungseinschätzung eingetragen."]))
        }
        var involvement: [String] = []
        if let step = p.latest(.guardiansInvolved), case let .guardiansInvolved(guardians, child, reason) = step.details {
            involvement.append("Sorgeberechtigte beteiligt: \(guardians ? "ja" : "nein"); Kind beteiligt: \(child ? "ja" : "nein") (\(step.date.german))")
            if let reason { involvement.append("Grund: \(reason)") }
            if !step.note.isEmpty { involvement.append(step.note) }
        } else {
            involvement.append("Noch nicht eingetragen.")
        }
        out.append(DocxSection(heading: "7. Beteiligung von Sorgeberechtigten und Kind", paragraphs: involvement))
        var measures: [String] = []
        for step in p.current where step.kind == .consultation || step.kind == .protectionPlan || step.kind == .followUp {
            switch step.details {
            case .consultation(let participants):
                measures.append("\(step.date.german) Fallberatung (\(participants)): \(step.note)")
            case .protectionPlan(let planned, let how, let checks):
                measures.append("\(step.date.german) Schutzplan: "
                    + planned.map { "\($0.what) – \($0.who)" + ($0.byWhen.map { " bis \($0.german)" } ?? "") }.joined(separator: "; "))
                measures.append("Überprüfung: \(how); Termine: \(checks.map(\.german).joined(separator: ", "))")
            case .followUp:
                measures.append("\(step.date.german) Überprüfung: \(step.note)")
            default: break
            }
        }
        out.append(DocxSection(heading: "8. Bisherige Maßnahmen", paragraphs: measures.isEmpty ? ["Keine."] : measures))
        return out
    }

    public static func document(_ p: ChildProtectionProcedure, facts: MeldebogenFacts, today: Day) -> DocxDocument {
        DocxDocument(title: title, preamble: preamble(facts, today: today), sections: sections(p, facts: facts))
    }
}
