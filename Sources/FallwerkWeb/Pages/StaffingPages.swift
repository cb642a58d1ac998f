import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

/// People and capacity (issue 14): intake requests answered from free capacity (R1, R2), staff
/// standards (R24, R25), the person's own record, absences with substitutes (R27), the on-call rota (R28).
public enum StaffingPages {
    public typealias Option = (value: String, label: String)

    static func hours(_ minutes: Int) -> String { Minutes(minutes).germanHours }

    static func stateCell(_ state: StandardState, _ detail: String) -> Node<HTML.BodyContext> {
        .span(.class("state state-\(state.rawValue)"), .strong(.text(state.german)), .text(detail.isEmpty ? "" : " · \(detail)"))
    }

    // MARK: Intake (R1, R2)

    public static func intake(context: PageContext, requests: [IntakeRequestRecord], alertDays: Int, today: Day, offices: [Option],
                              offers: [Option], state: FormState) -> String {
        let open = requests.filter { $0.status == .open }, decided = requests.filter { $0.status != .open }
        return Layout.page(
            title: "Anfragen", context: context, current: .intake,
            .h1(.text("Anfragen der Jugendämter")),
            .p(.class("hint"), .text("Eine Anfrage nennt den jungen Menschen nur mit Initialen. Offene Anfragen älter als \(alertDays) Tage werden hervorgehoben.")),
            .element(named: "details", nodes: [
                .class("card"), .id("neu"),
                .if(state.hasErrors || open.isEmpty, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Neue Anfrage erfassen")]),
                .form(.method(.post), .action(SiteURL.intake.path),
                      Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                      Forms.text("receivedOn", "Eingegangen am", state, .init(type: .date, required: true)),
                      Forms.select("youthOfficeId", "Jugendamt", state, options: offices, required: true),
                      Forms.text("contact", "Ansprechperson im Jugendamt", state),
                      Forms.select("offerId", "Angebot", state, options: offers, required: true),
                      .div(.class("row"),
                           Forms.text("hours", "Angefragte Stunden", state, .init(required: true, inputMode: "decimal", placeholder: "5")),
                           Forms.select("per", "je", state, options: [BudgetUnit.week, .month, .halfYear].map { ($0.rawValue, $0.german) }, required: true)),
                      Forms.select("urgency", "Dringlichkeit", state, options: RequestUrgency.allCases.map { ($0.rawValue, $0.german) }, required: true),
                      Forms.text("initials", "Initialen des jungen Menschen", state, .init(hint: "Nur Initialen, z. B. „L. S.“ – kein Name.")),
                      Forms.textArea("reason", "Anlass (kurz)", state),
                      Forms.submit("Anfrage speichern"))
            ]),
            .h2(.text("Offen (\(open.count))")),
            Layout.table(
                columns: ["Eingang", "Jugendamt", "Angebot", "Umfang", "Dringlichkeit", "Initialen", ""],
                rows: open.map { r in
                    let overdue = IntakeRules.isOverdue(receivedOn: r.fields.receivedOn, today: today, alertDays: alertDays)
                    return [.group(.text(r.fields.receivedOn.german), .if(overdue, .span(.class("badge warning"), .text(" seit \(r.fields.receivedOn.days(until: today)) Tagen offen")))),
                            .text(r.youthOfficeName), .text(r.offerName),
                            .text("\(hours(r.fields.minutesPerUnit)) Std. \(r.fields.unit.german)"), .text(r.fields.urgency.german),
                            .text(r.fields.initials ?? "–"),
                            .a(.href(SiteURL.intakeRequest(r.id, lead: nil).path), .text("Kapazität prüfen"))]
                },
                empty: "Keine offenen Anfragen."),
            .h2(.text("Entschieden")),
            Layout.table(
                columns: ["Eingang", "Jugendamt", "Angebot", "Entscheidung", ""],
                rows: decided.prefix(50).map { r in
                    [.text(r.fields.receivedOn.german), .text(r.youthOfficeName), .text(r.offerName),
                     .text("\(r.status.german) am \(r.decidedOn?.german ?? "–")"),
                     .a(.href(SiteURL.intakeRequest(r.id, lead: nil).path), .text("ansehen"))]
                },
                empty: "Noch keine entschiedenen Anfragen.")
        )
    }

    public static func request(context: PageContext, _ r: IntakeRequestRecord, capacity: [(StaffCapacity, qualified: Bool)], today: Day,
                               accept: FormState, decline: FormState) -> String {
        let f = r.fields
        let leadOptions: [Option] = capacity.map { row, qualified in
            (row.staff.id.uuidString.lowercased(),
             "\(row.staff.fullName) – frei \(hours(row.freeMinutes)) Std." + (qualified ? "" : " (Qualifikation fehlt)")
                + (row.absence.map { " (abwesend bis \($0.to.german))" } ?? ""))
        }
        return Layout.page(
            title: "Anfrage vom \(f.receivedOn.german)", context: context, current: .intake,
            .p(.a(.href(SiteURL.intake.path), .text("← Alle Anfragen"))),
            .h1(.text("Anfrage \(r.youthOfficeName) vom \(f.receivedOn.german)")),
            .dl(.class("facts"),
                .dt("Angebot"), .dd(.text(r.offerName + (r.requiredQualification.map { " – erfordert: \($0.german)" } ?? ""))),
                .dt("Umfang"), .dd(.text("\(hours(f.minutesPerUnit)) Std. \(f.unit.german) (≈ \(hours(f.weeklyMinutes)) Std. pro Woche)")),
                .dt("Dringlichkeit"), .dd(.text(f.urgency.german)),
                .dt("Ansprechperson"), .dd(.text(f.contact ?? "–")),
                .dt("Initialen"), .dd(.text(f.initials ?? "–")),
                .dt("Anlass"), .dd(.text(f.reason)),
                .dt("Stand"), .dd(.text(r.status.german + (r.decidedOn.map { " am \($0.german)" } ?? "")))),
            .unwrap(r.declineReason) { .p(.text("Grund der Ablehnung: \($0)")) },
            // A request decided meanwhile (by a colleague, or a second click) shows why nothing happened.
            .if(r.status != .open, .group(Forms.errorSummary(accept), Forms.errorSummary(decline))),
            .unwrap(r.caseID) { .p(.a(.class("button"), .href(SiteURL.caseWork($0).path), .text("Zum angelegten Fall"))) },
            .if(r.status == .open, .group(
                .h2(.text("Freie Kapazität")),
                .p(.class("hint"), .text("Frei = Wochenstunden × produktiver Anteil − Wochenstunden der laufenden Bewilligungen. Meiste freie Zeit zuerst.")),
                Layout.table(
                    columns: ["Fachkraft", "Team", "Qualifikation", "Vertrag", "Bewilligt", "Frei", "Geplant", ""],
                    rows: capacity.map { row, qualified in
                        [.text(row.staff.fullName + (row.absence.map { " (abwesend bis \($0.to.german))" } ?? "")), .text(row.staff.teamName),
                         .group(.text(row.staff.member.qualification.german), .if(!qualified, .span(.class("badge warning"), .text(" erforderliche Qualifikation fehlt")))),
                         .text(hours(row.staff.member.weeklyMinutes) + " Std."), .text(hours(row.budgetMinutes) + " Std."),
                         .strong(.text(hours(row.freeMinutes) + " Std.")), .text(hours(row.plannedLoadMinutes) + " Std."),
                         .a(.href(SiteURL.intakeRequest(r.id, lead: row.staff.id).path + "#annehmen"), .text("auswählen"))]
                    },
                    empty: "Keine Mitarbeitenden erfasst."),
                .section(.class("card"), .id("annehmen"),
                         .h2(.text("Annehmen und Fall anlegen")),
                         .form(.method(.post), .action(SiteURL.acceptRequest(r.id).path),
                               Forms.csrf(context.csrfToken), Forms.errorSummary(accept),
                               Forms.select("leadStaffId", "Bezugsbetreuung", accept, options: leadOptions, required: true),
                               Forms.text("fileNumber", "Aktenzeichen des Jugendamts", accept, .init(required: true)),
                               Forms.text("startDate", "Beginn der Hilfe", accept, .init(type: .date, required: true)),
                               .div(.class("row"),
                                    Forms.text("youngPerson.firstName", "Vorname des jungen Menschen", accept, .init(required: true)),
                                    Forms.text("youngPerson.lastName", "Nachname", accept, .init(required: true))),
                               Forms.text("youngPerson.birthDate", "Geburtsdatum", accept, .init(type: .date, required: true)),
                               Forms.textArea("exceptionReason", "Grund für eine Ausnahme (nur wenn nötig)", accept,
                                              hint: "Nur ausfüllen, wenn die Fachkraft über 48 Stunden pro Woche verplant wäre oder die erforderliche Qualifikation fehlt."),
                               Forms.submit("Anfrage annehmen"))),
                .section(.class("card"), .id("ablehnen"),
                         .h2(.text("Ablehnen")),
                         .form(.method(.post), .action(SiteURL.declineRequest(r.id).path),
                               Forms.csrf(context.csrfToken), Forms.errorSummary(decline.scoped("ablehnen")),
                               Forms.textArea("reason", "Grund der Ablehnung", decline.scoped("ablehnen")),
                               Forms.submit("Anfrage ablehnen")))
            ))
        )
    }

    // MARK: Staff standards (R24–R26)

    static func certificateDetail(_ s: StaffStandards) -> String { s.certificateValidUntil.map { "gültig bis \($0.german)" } ?? "keins erfasst" }

    public static func standards(context: PageContext, year: Int, teamID: UUID?, teams: [Option], rows: [(StaffCapacity, StaffStandards)]) -> String {
        let counts = Dictionary(grouping: rows, by: { $0.1.overall }).mapValues(\.count)
        return Layout.page(
            title: "Personalstandards \(year)", context: context, current: .staffStandards(year: nil, teamID: nil),
            .h1(.text("Personalstandards \(year)")),
            .p(.class("lead"), .text("\(counts[.met] ?? 0) erfüllt · \(counts[.open] ?? 0) bald fällig · \(counts[.missing] ?? 0) mit Lücken")),
            .form(.method(.get), .action(SiteURL.staffStandards(year: nil, teamID: nil).path), .class("no-print filters"),
                  Forms.text("jahr", "Jahr", FormState(values: ["jahr": String(year)]), .init(type: .number)),
                  Forms.select("team", "Team", FormState(values: ["team": teamID?.uuidString.lowercased() ?? ""]), options: teams, emptyLabel: "Alle Teams"),
                  .button(.type(.submit), .text("Anzeigen")), .text(" "),
                  .button(.type(.button), .class("secondary"), .attribute(named: "data-print", value: "true"), .text("Drucken"))),
            .p(.class("hint"), .text("Führungszeugnis alle 5 Jahre (Hinweis 3 Monate vorher); 15,6 Std. Fortbildung und 8 Supervisionen à 120 Min. im Kalenderjahr; "
                                     + "jährliche Kenntnisnahme des § 8a-Verfahrens; beide Einarbeitungsmodule; höchstens 48 Std. geplante Wochenlast.")),
            .div(.class("standards"), Layout.table(
                columns: ["Name", "Team", "Führungszeugnis", "Fortbildung", "Supervision", "§ 8a", "Einarbeitung", "Auslastung", "Gesamt"],
                rows: rows.map { row, s in
                    [.a(.href(SiteURL.staffRecord(row.staff.id, year: year).path), .text(row.staff.fullName)), .text(row.staff.teamName),
                     stateCell(s.state(.certificate), certificateDetail(s)),
                     stateCell(s.state(.training), "\(hours(s.trainingMinutes)) Std."),
                     stateCell(s.state(.supervision), "\(s.supervisionsCounted) von 8"),
                     stateCell(s.state(.acknowledgement), ""),
                     stateCell(s.state(.induction), ""),
                     stateCell(s.state(.load), "\(hours(s.plannedWeeklyMinutes)) Std."),
                     .strong(.text(s.overall.german))]
                },
                empty: "Keine Mitarbeitenden in dieser Auswahl.")),
            .script(.src(SiteURL.printScript.path), .attribute(named: "defer", value: "defer"))
        )
    }

    public struct RecordForms: Sendable {
        public var training = FormState()
        public var supervision = FormState()
        public var acknowledgement = FormState()
        public var certificate = FormState()
        public var induction = FormState()
        public var absence = FormState()
        public init() {}

        /// The form of an evidence kind by its raw value ("training", …; "induction1" for both modules).
        public subscript(_ kind: String) -> FormState {
            get {
                switch kind {
                case "training": training
                case "supervision": supervision
                case "acknowledgement": acknowledgement
                case "certificate": certificate
                default: induction
                }
            }
            set {
                switch kind {
                case "training": training = newValue
                case "supervision": supervision = newValue
                case "acknowledgement": acknowledgement = newValue
                case "certificate": certificate = newValue
                default: induction = newValue
                }
            }
        }
    }

    public static func record(context: PageContext, staff: StaffRecord, year: Int, capacity: StaffCapacity, standards s: StaffStandards,
                              evidence: [EvidenceRecord], absences: [AbsenceRecord], manages: Bool, forms: RecordForms, today: Day) -> String {
        let action = SiteURL.staffEvidence(staff.id).path
        func form(_ kind: EvidenceKind, _ title: String, _ state: FormState, _ fields: [Node<HTML.FormContext>]) -> Node<HTML.BodyContext> {
            let scoped = state.scoped(kind.rawValue)
            return .element(named: "details", nodes: [
                .class("card"), .id(kind.rawValue),
                .if(state.hasErrors, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text(title)]),
                .form(.method(.post), .action(action), Forms.csrf(context.csrfToken), Forms.errorSummary(scoped),
                      .input(.type(.hidden), .name("kind"), .value(kind.rawValue)),
                      .group(fields), Forms.submit("Eintragen"))
            ])
        }
        let own = [
            form(.training, "Fortbildung eintragen", forms.training, [
                Forms.text("date", "Datum", forms.training.scoped("training"), .init(type: .date, required: true)),
                Forms.text("title", "Titel", forms.training.scoped("training"), .init(required: true)),
                Forms.text("hours", "Stunden", forms.training.scoped("training"), .init(required: true, inputMode: "decimal", placeholder: "7,5"))]),
            form(.supervision, "Supervision eintragen", forms.supervision, [
                Forms.text("date", "Datum", forms.supervision.scoped("supervision"), .init(type: .date, required: true)),
                Forms.text("minutes", "Dauer in Minuten", forms.supervision.scoped("supervision"),
                           .init(type: .number, hint: "Nur Sitzungen ab 120 Minuten zählen für den Standard.", required: true))]),
            form(.acknowledgement, "Kenntnisnahme des § 8a-Verfahrens eintragen", forms.acknowledgement, [
                Forms.text("date", "Datum", forms.acknowledgement.scoped("acknowledgement"), .init(type: .date, required: true))]),
        ]
        let managed: [Node<HTML.BodyContext>] = !manages ? [] : [
            form(.certificate, "Erweitertes Führungszeugnis eintragen", forms.certificate, [
                Forms.text("date", "Ausgestellt am", forms.certificate.scoped("certificate"), .init(type: .date, required: true))]),
            form(.induction1, "Einarbeitungsmodul abgeschlossen", forms.induction, [
                Forms.select("module", "Modul", forms.induction.scoped("induction1"), options: [("1", "Modul 1"), ("2", "Modul 2")], required: true),
                Forms.text("date", "Abgeschlossen am", forms.induction.scoped("induction1"), .init(type: .date, required: true))]),
            .element(named: "details", nodes: [
                .class("card"), .id("abwesenheit"),
                .if(forms.absence.hasErrors, .attribute(named: "open", value: "open")),
                .element(named: "summary", nodes: [.text("Abwesenheit eintragen")]),
                .form(.method(.post), .action(SiteURL.staffAbsences(staff.id).path), Forms.csrf(context.csrfToken), Forms.errorSummary(forms.absence),
                      .div(.class("row"),
                           Forms.text("from", "Von", forms.absence, .init(type: .date, required: true)),
                           Forms.text("to", "Bis", forms.absence, .init(type: .date, required: true))),
                      Forms.select("kind", "Art", forms.absence, options: AbsenceKind.allCases.map { ($0.rawValue, $0.german) }, required: true),
                      Forms.submit("Abwesenheit speichern"))
            ]),
        ]
        return Layout.page(
            title: "Personalstandards \(staff.fullName)", context: context,
            .h1(.text("\(staff.fullName) – Personalstandards \(year)")),
            .p(.class("lead"), .text("\(staff.teamName) · \(staff.member.qualification.german) · \(hours(staff.member.weeklyMinutes)) Std. Vertrag")),
            .dl(.class("facts"),
                .dt("Führungszeugnis"), .dd(stateCell(s.state(.certificate), certificateDetail(s))),
                .dt("Fortbildung"), .dd(stateCell(s.state(.training), "\(hours(s.trainingMinutes)) von 15,6 Std.")),
                .dt("Supervision"), .dd(stateCell(s.state(.supervision), "\(s.supervisionsCounted) von 8 (ab 120 Min.)")),
                .dt("Kenntnisnahme § 8a"), .dd(stateCell(s.state(.acknowledgement), s.acknowledged ? "für \(year) erfolgt" : "")),
                .dt("Einarbeitung"), .dd(stateCell(s.state(.induction), s.inductionComplete ? "beide Module" : "noch keine Bezugsbetreuung möglich")),
                .dt("Geplante Wochenlast"), .dd(stateCell(s.state(.load), "\(hours(capacity.plannedLoadMinutes)) Std. (davon Bewilligungen \(hours(capacity.budgetMinutes)) Std.)")),
                .dt("Frei für neue Fälle"), .dd(.text("\(hours(capacity.freeMinutes)) Std. pro Woche"))),
            .group(own), .group(managed),
            .h2(.text("Nachweise")),
            Layout.table(columns: ["Datum", "Art", "Angabe"], rows: evidence.map { e in
                [.text(e.date.german), .text(e.kind.german),
                 .text([e.title, e.minutes.map { e.kind == .supervision ? "\($0) Min." : "\(hours($0)) Std." }].compactMap { $0 }.joined(separator: " · "))]
            }, empty: "Noch keine Nachweise."),
            .h2(.text("Abwesenheiten")),
            Layout.table(columns: ["Zeitraum", "Art", ""], rows: absences.map { a in
                [.text("\(a.absence.from.german)–\(a.absence.to.german) (\(a.absence.days) Tage)" + (a.absence.isLong ? ", länger als 6 Wochen" : "")),
                 .text(a.absence.kind.german),
                 manages ? .a(.href(SiteURL.absence(a.id).path), .text("Vertretung regeln")) : .text("")]
            }, empty: "Keine Abwesenheiten erfasst.")
        )
    }

    // MARK: Absence (R27)

    public static func absence(context: PageContext, staff: StaffRecord, _ absence: AbsenceRecord, cases: [AbsenceCase], proposals: [StaffCapacity],
                               state: FormState, today: Day) -> String {
        let options: [Option] = proposals.map { ($0.staff.id.uuidString.lowercased(), "\($0.staff.fullName) (\($0.staff.teamName), frei \(hours($0.freeMinutes)) Std.)") }
        let a = absence.absence
        return Layout.page(
            title: "Abwesenheit \(staff.fullName)", context: context,
            .p(.a(.href(SiteURL.staffRecord(staff.id, year: nil).path), .text("← \(staff.fullName)"))),
            .h1(.text("\(a.kind.german): \(staff.fullName), \(a.from.german)–\(a.to.german)")),
            .if(a.isLong, .p(.class("notice warning"), .text("Länger als 6 Wochen: Bis \(a.replacementDue.german) für jeden Fall einen Ersatz mit Jugendamt und Familie vereinbaren."))),
            Forms.errorSummary(state),
            .p(.class("hint"), .text("Vorgeschlagen werden Kolleg:innen mit gleicher Qualifikation (\(staff.member.qualification.german)) und freier Kapazität, die in dieser Zeit nicht selbst abwesend sind.")),
            .forEach(cases) { item in
                .section(.class("card"),
                         .h2(.a(.href(SiteURL.caseWork(item.record.id).path), .text("\(item.record.youngPerson.fullName) (\(item.record.fileNumber))"))),
                         .p(.text(item.substitutes.isEmpty ? "Noch keine Vertretung." : "Vertretung: \(item.substitutes.joined(separator: ", "))")),
                         .form(.method(.post), .action(SiteURL.absenceSubstitute(absence.id).path),
                               Forms.csrf(context.csrfToken), .input(.type(.hidden), .name("caseId"), .value(item.record.id.uuidString.lowercased())),
                               Forms.select("staffId", "Vertretung durch", FormState().scoped(item.record.id.uuidString.lowercased()), options: options,
                                            required: true),
                               Forms.submit("Vertretung für die ganze Abwesenheit eintragen")),
                         .if(a.isLong, .form(.method(.post), .action(SiteURL.absenceReplacement(absence.id).path),
                                             Forms.csrf(context.csrfToken), .input(.type(.hidden), .name("caseId"), .value(item.record.id.uuidString.lowercased())),
                                             .p(.text(item.replacementAgreedOn.map { "Ersatz vereinbart am \($0.german)." } ?? "Ersatz noch nicht vereinbart.")),
                                             Forms.text("date", "Ersatz vereinbart am", FormState(values: ["date": today.iso]).scoped("r" + item.record.id.uuidString.lowercased()),
                                                        .init(type: .date, required: true)),
                                             Forms.submit("Vereinbarung eintragen"))))
            },
            .if(cases.isEmpty, .p(.text("In dieser Zeit betreut \(staff.fullName) keine Fälle als Bezugs- oder Co-Betreuung.")))
        )
    }

    // MARK: On-call rota (R28)

    public static func onCall(context: PageContext, month: Month, shifts: [OnCallRecord], gaps: [OnCallShift], now: OnCallRecord?, staff: [Option],
                              canPlan: Bool, state: FormState) -> String {
        let previous = Month(containing: month.firstDay.adding(days: -1)), next = Month(containing: month.lastDay.adding(days: 1))
        return Layout.page(
            title: "Rufbereitschaft \(month.german)", context: context, current: .onCall(nil),
            .h1(.text("Rufbereitschaft \(month.german)")),
            .p(.class("lead"), .text(now.map { "Jetzt erreichbar: \($0.staffName) (bis \($0.shift.to.german))" } ?? "Jetzt ist niemand eingeteilt.")),
            .p(.class("no-print"), .a(.href(SiteURL.onCall(previous).path), .text("← \(previous.german)")), .text(" · "),
               .a(.href(SiteURL.onCall(next).path), .text("\(next.german) →")), .text(" · "),
               .button(.type(.button), .class("secondary"), .attribute(named: "data-print", value: "true"), .text("Plan drucken"))),
            .if(!gaps.isEmpty, .div(.class("card alert-card"), .attribute(named: "role", value: "alert"),
                                    .h2(.text("Lücken in der 24-Stunden-Bereitschaft")),
                                    .ul(.forEach(gaps) { gap in .li(.text("\(gap.from.german) bis \(gap.to.german)")) }))),
            Layout.table(columns: canPlan ? ["Von", "Bis", "Bereitschaft", ""] : ["Von", "Bis", "Bereitschaft"], rows: shifts.map { s in
                [.text(s.shift.from.german), .text(s.shift.to.german), .text(s.staffName)]
                    + (canPlan ? [.form(.method(.post), .action(SiteURL.deleteOnCall(s.id).path), .class("inline no-print"), Forms.csrf(context.csrfToken),
                                        .button(.type(.submit), .class("link-button"), .text("entfernen")))] : [])
            }, empty: "Für diesen Monat ist noch kein Dienst eingeteilt."),
            .if(canPlan, .section(.class("card no-print"), .id("dienst"),
                                  .h2(.text("Dienst eintragen")),
                                  .form(.method(.post), .action(SiteURL.onCall(nil).path), Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                                        Forms.select("staffId", "Mitarbeiter:in", state, options: staff, required: true),
                                        .div(.class("row"),
                                             Forms.text("from", "Beginn", state, .init(type: .init(rawValue: "datetime-local") ?? .text, required: true)),
                                             Forms.text("to", "Ende", state, .init(type: .init(rawValue: "datetime-local") ?? .text, required: true))),
                                        Forms.submit("Dienst speichern")))),
            .script(.src(SiteURL.printScript.path), .attribute(named: "defer", value: "defer"))
        )
    }

    /// The start page's box: who is on call now, and for those who plan what needs them (R1, R24, R28).
    public static func homeBox(onCall: OnCallRecord?, certificates: [(StaffRecord, StandardState, Day?)], overdueRequests: Int,
                               gaps: (Month, [OnCallShift])?) -> Node<HTML.BodyContext> {
        .group(
            .p(.class("on-call"), .text("Rufbereitschaft jetzt: "),
               .a(.href(SiteURL.onCall(nil).path), .text(onCall.map { "\($0.staffName) (bis \($0.shift.to.german))" } ?? "niemand eingeteilt"))),
            .if(!certificates.isEmpty || overdueRequests > 0 || gaps != nil, .div(
                .class("card alert-card"), .attribute(named: "role", value: "alert"),
                .h2(.text("Personal und Planung")),
                .ul(
                    .if(overdueRequests > 0, .li(.a(.href(SiteURL.intake.path), .text("\(overdueRequests) Anfrage(n) warten zu lange auf eine Antwort.")))),
                    .unwrap(gaps) { month, gaps in
                        .li(.a(.href(SiteURL.onCall(month).path), .text("Rufbereitschaft \(month.german): \(gaps.count) Lücke(n) im Plan.")))
                    },
                    .forEach(certificates.prefix(10)) { staff, state, until in
                        .li(.a(.href(SiteURL.staffRecord(staff.id, year: nil).path),
                               .text(state == .open ? "Führungszeugnis von \(staff.fullName) läuft am \(until?.german ?? "") ab."
                                                    : "Führungszeugnis von \(staff.fullName) fehlt oder ist abgelaufen – keine Arbeit mit Kindern ohne gültiges Zeugnis.")))
                    },
                    .if(certificates.count > 10, .li(.a(.href(SiteURL.staffStandards(year: nil, teamID: nil).path), .text("… und \(certificates.count - 10) weitere"))))
                )
            ))
        )
    }

    // MARK: Guardian contact (R7)

    public static func independentLiving(context: PageContext, record: CaseRecord, since: Day?, state: FormState) -> String {
        Layout.page(
            title: "Verselbständigung", context: context,
            .p(.a(.href(SiteURL.caseWork(record.id).path), .text("← \(record.youngPerson.fullName) (\(record.fileNumber))"))),
            .h1(.text("Minderjährige:r in der Verselbständigung")),
            .p(.text("Bei Minderjährigen, die in eine eigene Wohnung ziehen, ist mindestens ein Kontakt im Monat mit den Sorgeberechtigten nötig. "
                     + "Ein Monat ohne einen Eintrag „Kontakt mit den Sorgeberechtigten“ wird als Hinweis gezeigt.")),
            .p(.strong(.text(since.map { "Markiert seit \($0.german)." } ?? "Dieser Fall ist nicht markiert."))),
            .form(.method(.post), .action(SiteURL.independentLiving(record.id).path), Forms.csrf(context.csrfToken), Forms.errorSummary(state),
                  Forms.text("since", "Verselbständigung seit", state, .init(type: .date, hint: "Leer lassen, um die Markierung aufzuheben.")),
                  Forms.submit("Speichern", cancel: .caseWork(record.id)))
        )
    }
}
