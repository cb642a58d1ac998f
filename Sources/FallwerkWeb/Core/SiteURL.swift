import FallwerkDomain
import Foundation

/// Every page URL in one place; views and routes never spell a path themselves.
public enum SiteURL: Sendable, Hashable {
    case home
    case login
    case logout
    case stylesheet
    case youthOffices, newYouthOffice, youthOffice(UUID)
    case offers, newOffer, offer(UUID)
    case agreements, newAgreement, agreement(UUID)
    case teams, newTeam, team(UUID)
    case staff, newStaff, staffMember(UUID)
    case users, newUser, user(UUID)
    case provider
    case auditLog
    case openAPIDocument
    // Case work: entries, approvals, alerts (the case page itself may be defined with the case pages).
    case cases, newCase
    case caseWork(UUID)
    /// Corrections of a case's data, persons and staff.
    case editCase(UUID)
    /// Ends a substitution (R27) on a day.
    case endSubstitute(UUID, UUID)
    case substitutes(UUID)
    case familyAddress(UUID)
    case newEntry(UUID)
    case editEntry(UUID, UUID)
    case deleteEntry(UUID, UUID)
    case groupSessions, groupSession(UUID), deleteGroupSession(UUID)
    /// The entry form's live preview (R9, R10): the server's count for what is typed.
    case entryPreview(UUID)
    case approvals(UUID)
    case increases(UUID, UUID)
    /// Corrects (POST) an approval; `deleteApproval` and `deleteIncrease` remove one (R8, R9, R16).
    case approval(UUID, UUID), deleteApproval(UUID, UUID), deleteIncrease(UUID, UUID, UUID)
    case acknowledgeAlert(UUID)
    case teamOverview
    case alertsOverview
    case entryScript
    case billing(Month?)
    case billingRun(Month)
    case issueInvoice(UUID)
    /// The confirmation (GET) and the cancellation (POST) of an issued invoice (R16).
    case cancelInvoice(UUID)
    case serviceRecord(UUID, Month)
    case signatureScript
    // Care plan cycle (R3–R6)
    case carePlan(UUID)
    case carePlanMeetings(UUID)
    case carePlanMeeting(UUID, UUID)
    case editCarePlanMeeting(UUID, UUID)
    case carePlanDocuments(UUID)
    case editCarePlanDocument(UUID, UUID)
    case endCase(UUID)
    case deadlines(String?)
    case calendarFeed
    case signatureImage(UUID, Month)
    case issueAll(Month)
    case invoicesCSV(Month)
    case invoice(UUID)
    case xrechnung(UUID)
    case xrechnungArchive(Month)
    case printScript
    // Documentation (#5): goals, notes, reports
    case goals(UUID)
    case goal(UUID, UUID)
    case goalRatings(UUID, UUID)
    case notes(UUID, query: String? = nil)
    // Data protection (issue 16): who saw a file, retention, subject access
    case caseAccess(UUID)
    case retention
    case personExport(UUID)
    case personExportJSON(UUID)
    case reports(UUID)
    case report(UUID)
    case reportSections(UUID)
    case reportStep(UUID, ReportStep)
    case reportDocx(UUID)
    case reportPrint(UUID)
    // Child protection (#13): §8a procedures
    case caseChildProtection(UUID)
    case childProtection(UUID, step: String? = nil)
    case childProtectionSteps(UUID)
    case meldebogen(UUID)
    case meldebogenDocx(UUID)
    case childProtectionOverview
    case isefExperts
    case safeguardingReport, incidents, complaints, safeguardingSettings
    case incident(UUID), incidentSteps(UUID), complaint(UUID), complaintSteps(UUID)
    // People and capacity (issue 14)
    case intake, intakeRequest(UUID, lead: UUID?), acceptRequest(UUID), declineRequest(UUID)
    case staffStandards(year: Int?, teamID: UUID?), staffRecord(UUID, year: Int?), staffEvidence(UUID), staffAbsences(UUID)
    case absence(UUID), absenceSubstitute(UUID), absenceReplacement(UUID)
    case onCall(Month?), deleteOnCall(UUID)
    case independentLiving(UUID)
    // Statistics, performance report, DATEV (issue 15)
    case statistics(String?), statisticsCSV(String)
    case performanceReports, performanceReport(UUID), performanceReportSection(UUID, String), performanceReportStep(UUID, String), performanceReportDocx(UUID)
    case datevSettings, datevExport(Month)
    // Accounts that end, health records (issue 16)
    case deactivateUser(UUID), activateUser(UUID), ownPassword
    case health(UUID), healthRecord(UUID, UUID), deleteHealthRecord(UUID, UUID)

    public var path: String {
        switch self {
        case .home: "/"
        case .login: "/anmelden"
        case .logout: "/abmelden"
        case .stylesheet: "/assets/fallwerk.css"
        case .youthOffices: "/jugendaemter"
        case .newYouthOffice: "/jugendaemter/neu"
        case .youthOffice(let id): "/jugendaemter/\(id.uuidString.lowercased())"
        case .offers: "/angebote"
        case .newOffer: "/angebote/neu"
        case .offer(let id): "/angebote/\(id.uuidString.lowercased())"
        case .agreements: "/vereinbarungen"
        case .newAgreement: "/vereinbarungen/neu"
        case .agreement(let id): "/vereinbarungen/\(id.uuidString.lowercased())"
        case .teams: "/teams"
        case .newTeam: "/teams/neu"
        case .team(let id): "/teams/\(id.uuidString.lowercased())"
        case .staff: "/mitarbeitende"
        case .newStaff: "/mitarbeitende/neu"
        case .staffMember(let id): "/mitarbeitende/\(id.uuidString.lowercased())"
        case .users: "/benutzer"
        case .newUser: "/benutzer/neu"
        case .user(let id): "/benutzer/\(id.uuidString.lowercased())"
        case .provider: "/traeger"
        case .auditLog: "/protokoll"
        case .openAPIDocument: "/openapi.yaml"
        case .caseChildProtection(let id): "/faelle/\(id.uuidString.lowercased())/kinderschutz"
        case .childProtection(let id, let step): "/kinderschutz/\(id.uuidString.lowercased())" + (step.map { "?schritt=\($0)#schritt" } ?? "")
        case .childProtectionSteps(let id): "/kinderschutz/\(id.uuidString.lowercased())/schritte"
        case .meldebogen(let id): "/kinderschutz/\(id.uuidString.lowercased())/meldebogen"
        case .meldebogenDocx(let id): "/kinderschutz/\(id.uuidString.lowercased())/meldebogen.docx"
        case .childProtectionOverview: "/kinderschutz"
        case .isefExperts: "/kinderschutz/isef"
        case .safeguardingReport: "/melden"
        case .incidents: "/vorkommnisse"
        case .complaints: "/beschwerden"
        case .safeguardingSettings: "/kinderschutz/einstellungen"
        case .incident(let id): "/vorkommnisse/\(id.uuidString.lowercased())"
        case .incidentSteps(let id): "/vorkommnisse/\(id.uuidString.lowercased())/schritte"
        case .complaint(let id): "/beschwerden/\(id.uuidString.lowercased())"
        case .complaintSteps(let id): "/beschwerden/\(id.uuidString.lowercased())/schritte"
        case .cases: "/faelle"
        case .newCase: "/faelle/neu"
        case .caseWork(let id): "/faelle/\(id.uuidString.lowercased())"
        case .editCase(let id): "/faelle/\(id.uuidString.lowercased())/bearbeiten"
        case .endSubstitute(let id, let assignment): "/faelle/\(id.uuidString.lowercased())/vertretungen/\(assignment.uuidString.lowercased())/beenden"
        case .substitutes(let id): "/faelle/\(id.uuidString.lowercased())/vertretungen"
        case .familyAddress(let id): "/faelle/\(id.uuidString.lowercased())/anschrift"
        case .newEntry(let id): "/faelle/\(id.uuidString.lowercased())/leistungen/neu"
        case .editEntry(let id, let entry): "/faelle/\(id.uuidString.lowercased())/leistungen/\(entry.uuidString.lowercased())"
        case .deleteEntry(let id, let entry): "/faelle/\(id.uuidString.lowercased())/leistungen/\(entry.uuidString.lowercased())/loeschen"
        case .entryPreview(let id): "/faelle/\(id.uuidString.lowercased())/leistungen/vorschau"
        case .groupSessions: "/gruppenangebote"
        case .groupSession(let id): "/gruppenangebote/\(id.uuidString.lowercased())"
        case .deleteGroupSession(let id): "/gruppenangebote/\(id.uuidString.lowercased())/loeschen"
        case .approvals(let id): "/faelle/\(id.uuidString.lowercased())/bewilligungen"
        case .increases(let id, let approval): "/faelle/\(id.uuidString.lowercased())/bewilligungen/\(approval.uuidString.lowercased())/erhoehungen"
        case .approval(let id, let approval): "/faelle/\(id.uuidString.lowercased())/bewilligungen/\(approval.uuidString.lowercased())"
        case .deleteApproval(let id, let approval): "/faelle/\(id.uuidString.lowercased())/bewilligungen/\(approval.uuidString.lowercased())/loeschen"
        case .deleteIncrease(let id, let approval, let increase):
            "/faelle/\(id.uuidString.lowercased())/bewilligungen/\(approval.uuidString.lowercased())/erhoehungen/\(increase.uuidString.lowercased())/loeschen"
        case .acknowledgeAlert(let id): "/faelle/\(id.uuidString.lowercased())/hinweise"
        case .teamOverview: "/uebersicht"
        case .alertsOverview: "/hinweise"
        case .entryScript: "/assets/leistung.js"
        case .billing(let month): "/abrechnung" + (month.map { "?monat=\($0.iso)" } ?? "")
        case .billingRun(let month): "/abrechnung/\(month.iso)/lauf"
        case .issueInvoice(let id): "/rechnungen/\(id.uuidString.lowercased())/stellen"
        case .cancelInvoice(let id): "/rechnungen/\(id.uuidString.lowercased())/stornieren"
        case .serviceRecord(let id, let month): "/faelle/\(id.uuidString.lowercased())/nachweis/\(month.iso)"
        case .signatureScript: "/assets/unterschrift.js"
        case .carePlan(let id): "/faelle/\(id.uuidString.lowercased())/hilfeplan"
        case .carePlanMeetings(let id): "/faelle/\(id.uuidString.lowercased())/hilfeplan/gespraeche"
        case .carePlanMeeting(let id, let meeting): "/faelle/\(id.uuidString.lowercased())/hilfeplan/gespraeche/\(meeting.uuidString.lowercased())"
        case .editCarePlanMeeting(let id, let meeting): "/faelle/\(id.uuidString.lowercased())/hilfeplan?gespraech=\(meeting.uuidString.lowercased())#gespraech-form"
        case .carePlanDocuments(let id): "/faelle/\(id.uuidString.lowercased())/hilfeplan/dokumente"
        case .editCarePlanDocument(let id, let document): "/faelle/\(id.uuidString.lowercased())/hilfeplan?dokument=\(document.uuidString.lowercased())#dokument-form"
        case .endCase(let id): "/faelle/\(id.uuidString.lowercased())/beenden"
        case .deadlines(let scope): scope.map { "/fristen?bereich=\($0)" } ?? "/fristen"
        case .calendarFeed: "/fristen/kalender"
        case .signatureImage(let id, let month): "/faelle/\(id.uuidString.lowercased())/nachweis/\(month.iso)/unterschrift.png"
        case .issueAll(let month): "/abrechnung/\(month.iso)/stellen"
        case .invoicesCSV(let month): "/abrechnung/\(month.iso)/rechnungen.csv"
        case .invoice(let id): "/rechnungen/\(id.uuidString.lowercased())"
        case .xrechnung(let id): "/rechnungen/\(id.uuidString.lowercased())/xrechnung.xml"
        case .xrechnungArchive(let month): "/abrechnung/\(month.iso)/xrechnungen.zip"
        case .printScript: "/assets/drucken.js"
        case .goals(let id): "/faelle/\(id.uuidString.lowercased())/ziele"
        case .goal(let id, let goal): "/faelle/\(id.uuidString.lowercased())/ziele/\(goal.uuidString.lowercased())"
        case .goalRatings(let id, let goal): "/faelle/\(id.uuidString.lowercased())/ziele/\(goal.uuidString.lowercased())/bewertungen"
        case .caseAccess(let id): "/faelle/\(id.uuidString.lowercased())/zugriffe"
        case .retention: "/aufbewahrung"
        case .personExport(let id): "/personen/\(id.uuidString.lowercased())/auskunft"
        case .personExportJSON(let id): "/personen/\(id.uuidString.lowercased())/auskunft.json"
        case .notes(let id, let query): "/faelle/\(id.uuidString.lowercased())/verlauf"
            + (query.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) }.map { "?q=\($0)" } ?? "")
        case .reports(let id): "/faelle/\(id.uuidString.lowercased())/berichte"
        case .report(let id): "/berichte/\(id.uuidString.lowercased())"
        case .reportSections(let id): "/berichte/\(id.uuidString.lowercased())/abschnitte"
        case .reportStep(let id, let step): "/berichte/\(id.uuidString.lowercased())/\(step.rawValue)"
        case .reportDocx(let id): "/berichte/\(id.uuidString.lowercased())/bericht.docx"
        case .reportPrint(let id): "/berichte/\(id.uuidString.lowercased())/druck"
        case .intake: "/anfragen"
        case .intakeRequest(let id, let lead): "/anfragen/\(id.uuidString.lowercased())" + (lead.map { "?lead=\($0.uuidString.lowercased())" } ?? "")
        case .acceptRequest(let id): "/anfragen/\(id.uuidString.lowercased())/annehmen"
        case .declineRequest(let id): "/anfragen/\(id.uuidString.lowercased())/ablehnen"
        case .staffStandards(let year, let team):
            "/personalstandards" + Self.query(["jahr": year.map(String.init), "team": team?.uuidString.lowercased()])
        case .staffRecord(let id, let year): "/mitarbeitende/\(id.uuidString.lowercased())/standards" + Self.query(["jahr": year.map(String.init)])
        case .staffEvidence(let id): "/mitarbeitende/\(id.uuidString.lowercased())/nachweise"
        case .staffAbsences(let id): "/mitarbeitende/\(id.uuidString.lowercased())/abwesenheiten"
        case .absence(let id): "/abwesenheiten/\(id.uuidString.lowercased())"
        case .absenceSubstitute(let id): "/abwesenheiten/\(id.uuidString.lowercased())/vertretung"
        case .absenceReplacement(let id): "/abwesenheiten/\(id.uuidString.lowercased())/ersatz"
        case .onCall(let month): "/rufbereitschaft" + Self.query(["monat": month?.iso])
        case .deleteOnCall(let id): "/rufbereitschaft/\(id.uuidString.lowercased())/entfernen"
        case .independentLiving(let id): "/faelle/\(id.uuidString.lowercased())/verselbstaendigung"
        case .statistics(let query): "/statistik" + (query.map { "?" + $0 } ?? "")
        case .statisticsCSV(let query): "/statistik.csv?" + query
        case .performanceReports: "/leistungsberichte"
        case .performanceReport(let id): "/leistungsberichte/\(id.uuidString.lowercased())"
        case .performanceReportSection(let id, let section): "/leistungsberichte/\(id.uuidString.lowercased())/abschnitte/\(section)"
        case .performanceReportStep(let id, let step): "/leistungsberichte/\(id.uuidString.lowercased())/\(step)"
        case .performanceReportDocx(let id): "/leistungsberichte/\(id.uuidString.lowercased())/leistungsbericht.docx"
        case .datevSettings: "/abrechnung/datev"
        case .datevExport(let month): "/abrechnung/\(month.iso)/datev.csv"
        case .deactivateUser(let id): "/benutzer/\(id.uuidString.lowercased())/deaktivieren"
        case .activateUser(let id): "/benutzer/\(id.uuidString.lowercased())/aktivieren"
        case .ownPassword: "/passwort"
        case .health(let id): "/faelle/\(id.uuidString.lowercased())/gesundheit"
        case .healthRecord(let id, let record): "/faelle/\(id.uuidString.lowercased())/gesundheit/\(record.uuidString.lowercased())"
        case .deleteHealthRecord(let id, let record): "/faelle/\(id.uuidString.lowercased())/gesundheit/\(record.uuidString.lowercased())/loeschen"
        }
    }

    /// The route pattern for registering, with `:id` where a record id goes.
    public var pattern: [String] {
        switch self {
        case .youthOffice, .offer, .agreement, .team, .staffMember, .user:
            Array(path.split(separator: "/").dropLast().map(String.init)) + [":id"]
        default:
            path.split(separator: "/").map(String.init)
        }
    }

    /// `?a=1&b=2` of the given values, in key order; empty when none is set.
    static func query(_ items: [String: String?]) -> String {
        let set = items.compactMap { key, value in value.map { (key, $0) } }.sorted { $0.0 < $1.0 }
        return set.isEmpty ? "" : "?" + set.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Placeholder id for patterns of record URLs.
    public static let anyID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}
