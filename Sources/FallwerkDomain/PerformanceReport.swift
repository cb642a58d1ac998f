/// The provider's biennial performance report (*Leistungsbericht*, R30 [004]): the statistics of a
/// two-year period, frozen as rows, and the texts the provider writes; approved by management, then
/// submitted to the youth office, which makes the *Trägergespräch* due 12 weeks later.
public enum PerformanceReportStatus: String, Sendable, CaseIterable {
    case draft, approved, submitted

    public var german: String {
        switch self {
        case .draft: "Entwurf"
        case .approved: "freigegeben"
        case .submitted: "dem Jugendamt vorgelegt"
        }
    }
}

public enum PerformanceReportSection: String, Sendable, CaseIterable {
    case offer, staff, quality, outlook

    public var heading: String {
        switch self {
        case .offer: "Angebot und Leistungen"
        case .staff: "Personal und Qualifikation"
        case .quality: "Qualitätsentwicklung"
        case .outlook: "Ausblick"
        }
    }

    /// What the section is for, for the person writing it.
    public var hint: String {
        switch self {
        case .offer: "Welche Hilfen der Träger anbietet, für welche Zielgruppen, was sich im Zeitraum verändert hat."
        case .staff: "Personalausstattung, Qualifikationen, Fortbildung und Supervision (siehe Personalstandards)."
        case .quality: "Qualitätsdialog, Beschwerden und was daraus folgte, Kinderschutz, Partizipation."
        case .outlook: "Vorhaben für die nächsten zwei Jahre."
        }
    }
}

public struct PerformanceReport: Sendable, Hashable {
    public var id: String
    public var from: Day
    public var to: Day
    public var teamName: String?
    public var status: PerformanceReportStatus
    public var texts: [PerformanceReportSection: String]
    public var figures: [StatisticsRow]
    public var approvedOn: Day?
    public var submittedOn: Day?
    public var meetingOn: Day?

    public init(id: String, from: Day, to: Day, teamName: String?, status: PerformanceReportStatus, texts: [PerformanceReportSection: String],
                figures: [StatisticsRow], approvedOn: Day?, submittedOn: Day?, meetingOn: Day?) {
        (self.id, self.from, self.to, self.teamName, self.status, self.texts, self.figures) = (id, from, to, teamName, status, texts, figures)
        (self.approvedOn, self.submittedOn, self.meetingOn) = (approvedOn, submittedOn, meetingOn)
    }

    /// [004]: the *Trägergespräch* at the latest 12 weeks after the report was submitted.
    public static let meetingWeeks = 12
    public var meetingDue: Day? { submittedOn?.adding(days: Self.meetingWeeks * 7) }

    public var editable: Bool { status == .draft }

    /// The *Trägergespräch* as a deadline: open until held, overdue after its day.
    public func meetingDeadline(today: Day) -> Deadline? {
        guard let due = meetingDue else { return nil }
        return Deadline(key: "traegergespraech-\(id.lowercased())", kind: .providerMeeting, due: due,
                        refersTo: .performanceReport(reportID: id.lowercased()), doneOn: meetingOn,
                        status: Deadlines.status(due: due, doneOn: meetingOn, today: today),
                        title: "Trägergespräch zum Leistungsbericht \(from.german)–\(to.german)",
                        note: "Spätestens 12 Wochen nach Vorlage des Leistungsberichts mit dem Jugendamt führen und hier eintragen.")
    }

    /// The period a report covers: two years (the day before the second anniversary), as [004] asks.
    public static func validatedPeriod(from: String?, to: String?, today: Day) throws(ValidationFailure) -> StatisticsPeriod {
        let period = try StatisticsPeriod.validated(from: from, to: to, today: today)
        if period.to > today {
            throw ValidationFailure([FieldError("to", "Der Berichtszeitraum muss abgeschlossen sein (Ende spätestens heute).")])
        }
        if period.from.days(until: period.to) < 300 {
            throw ValidationFailure([FieldError("to", "Ein Leistungsbericht umfasst zwei Jahre, mindestens aber ein Jahr.")])
        }
        return period
    }

    /// The editable document: title, period, the figures as tables per section, then the texts.
    public func document(providerName: String) -> DocxDocument {
        var sections: [DocxSection] = []
        var order: [String] = []
        var grouped: [String: [StatisticsRow]] = [:]
        for row in figures {
            if grouped[row.section] == nil { order.append(row.section) }
            grouped[row.section, default: []].append(row)
        }
        var figureSections: [DocxSection] = []
        for section in order {
            let rows = grouped[section] ?? []
            let groups = Set(rows.map(\.group))
            let table = groups.count > 1
                ? [["Kennzahl", "Gruppe", "Wert"]] + rows.map { [$0.figure, $0.group, $0.value] }
                : [["Kennzahl", "Wert"]] + rows.map { [$0.figure, $0.value] }
            figureSections.append(DocxSection(heading: section, paragraphs: [], level: 2, table: table))
        }
        sections.append(DocxSection(heading: "Kennzahlen \(from.german) – \(to.german)",
                                    paragraphs: ["Die Zahlen sind aus Fallwerk berechnet (Stand der Freigabe); sie nennen keine Personen."]))
        sections += figureSections
        for section in PerformanceReportSection.allCases {
            let text = texts[section]?.trimmed ?? ""
            sections.append(DocxSection(heading: section.heading, paragraphs: text.isEmpty ? ["(noch nicht ausgefüllt)"] : Self.paragraphs(text)))
        }
        return DocxDocument(title: "Leistungsbericht", preamble: [providerName, "Berichtszeitraum: \(from.german) – \(to.german)"]
                                + (teamName.map { ["Team: \($0)"] } ?? []) + ["Stand: \(status.german)"],
                            sections: sections)
    }

    public static func paragraphs(_ text: String) -> [String] {
        text.replacingAll("\r\n", with: "\n").components(separatedBy: "\n\n").map(\.trimmed).filter { !$0.isEmpty }
    }
}
