import FallwerkDomain
import Fluent
import Foundation

/// A report with what the pages and the API need around it.
public struct ReportRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let report: Report
    public let authorStaffID: UUID?
    public let createdBy: UUID
    /// The report's service entry (R10), once the report was sent.
    public let serviceEntryID: UUID?
}

/// What to generate, as typed: the kind and, optionally, the period.
public struct ReportRequest: Sendable, Equatable {
    public var kind: String?
    public var periodFrom: String?
    public var periodTo: String?

    public init(kind: String? = nil, periodFrom: String? = nil, periodTo: String? = nil) {
        self.kind = kind
        self.periodFrom = periodFrom
        self.periodTo = periodTo
    }
}

/// Reports to the youth office (R19): generated from the case, edited section by section, submitted,
/// approved by someone else than its author, sent (creating its report entry, R10) and discussed
/// with the family [001].
public enum ReportStore {
    static let entity = "report"

    public static func list(caseID: UUID, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws -> [ReportRecord] {
        _ = try await DocumentationAccess.documentedCase(caseID, viewer: viewer, today: today, on: db)
        return try await ReportModel.query(on: db).filter(\.$case.$id == caseID).all().compactMap(record)
            .sorted { ($0.report.periodTo, $0.id.uuidString) > ($1.report.periodTo, $1.id.uuidString) }
    }

    /// One report and its case, if the viewer may see the case's documentation.
    /// The case a report belongs to, or nil for an unknown report (for the case resolver).
    public static func caseID(of reportID: UUID, on db: any Database) async throws -> UUID? {
        try await ReportModel.find(reportID, on: db)?.$case.id
    }

    public static func get(_ reportID: UUID, viewer: Viewer, context: WriteContext, today: Day,
                           on db: any Database) async throws -> (ReportRecord, CaseRecord) {
        let (model, record) = try await load(reportID, viewer: viewer, today: today, on: db)
        guard let report = Self.record(model) else { throw RecordNotFound(entity: entity) }
        return (report, record)
    }

    /// A new draft generated from the case (R19): period, hours approved and delivered (from the
    /// same budget ledger as the case page), goals with their rating history, observations.
    @discardableResult
    public static func generate(caseID: UUID, _ request: ReportRequest, viewer: Viewer, context: WriteContext, today: Day,
                                on db: any Database) async throws -> UUID {
        let (work, access) = try await CaseWorkStore.load(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw NotAllowed(DocumentationAccess.refusal) }
        let record = work.record
        return try await db.writeTransaction { db in
            var v = Validator()
            var kind: ReportKind?
            if let raw = request.kind?.trimmed, !raw.isEmpty {
                kind = ReportKind(rawValue: raw)
                if kind == nil { v.add("kind", "Diese Berichtsart ist unbekannt.") }
            } else {
                v.add("kind", "Bitte die Art des Berichts wählen.")
            }
            let earlier = try await ReportModel.query(on: db).filter(\.$case.$id == caseID).all()
            let to = v.day(request.periodTo, "periodTo", label: "das Ende des Berichtszeitraums", required: false)
                ?? min(today, record.endDate ?? today)
            // By default a report continues where the last one ended.
            let lastEnd = earlier.compactMap { Day(iso: $0.periodTo) }.filter { $0 < to }.max()
            let from = v.day(request.periodFrom, "periodFrom", label: "den Beginn des Berichtszeitraums", required: false)
                ?? max(record.startDate, lastEnd?.adding(days: 1) ?? record.startDate)
            if from > to {
                v.add("periodTo", "Das Ende des Berichtszeitraums (\(to.german)) liegt vor seinem Beginn (\(from.german)).")
            } else if from < record.startDate {
                v.add("periodFrom", "Der Berichtszeitraum kann nicht vor dem Beginn der Hilfe (\(record.startDate.german)) beginnen.")
            }
            try v.finish()
            guard let kind else { throw ValidationFailure(v.errors) }
            let entries = work.entries.map {
                LedgerEntry(id: $0.id.uuidString, date: $0.facts.date, start: $0.facts.start, kind: $0.facts.kind, count: $0.count)
            }
            let hours = ReportDraftInput.hours(windows: work.ledger.windows, entries: entries, from: from, to: to)
            let goals = try await GoalStore.records(caseID: caseID, on: db).map(\.goal)
            let notes = try await NoteStore.records(caseID: caseID, on: db).map(\.note)
            let report = ReportDraft.generate(ReportDraftInput(kind: kind, periodFrom: from, periodTo: to, approvedMinutes: hours.approved,
                                                               deliveredMinutes: hours.delivered, goals: goals, notes: notes))
            let model = ReportModel()
            model.$case.id = caseID
            model.createdBy = viewer.userID
            model.authorStaffID = viewer.staffID ?? record.lead?.staffID
            fill(model, report)
            try await model.create(on: db)
            let id = try model.requireID()
            try await AuditLog.record(.create, entity: entity, id: id,
                                      changes: ["case": AuditChange(from: nil, to: caseID.uuidString), "kind": AuditChange(from: nil, to: kind.rawValue),
                                                "periodFrom": AuditChange(from: nil, to: from.iso), "periodTo": AuditChange(from: nil, to: to.iso)],
                                      by: context.actor, at: context.now, on: db)
            return id
        }
    }

    /// Saves one section (the API's call).
    public static func editSection(_ reportID: UUID, key rawKey: String, text: String, viewer: Viewer, context: WriteContext, today: Day,
                                   on db: any Database) async throws {
        guard ReportSectionKey(rawValue: rawKey) != nil else {
            throw ValidationFailure([FieldError("key", "Diesen Abschnitt gibt es in einem Bericht nicht.")])
        }
        try await editSections(reportID, texts: [(key: rawKey, text: text)], viewer: viewer, context: context, today: today, on: db)
    }

    /// Saves every section the editor sent in one write, so text typed in one section is never lost by
    /// saving another; all sections' errors come back together.
    public static func editSections(_ reportID: UUID, texts: [(key: String, text: String)], viewer: Viewer, context: WriteContext,
                                    today: Day, on db: any Database) async throws {
        var sections: [(ReportSectionKey, String)] = []
        var errors: [FieldError] = []
        for (rawKey, text) in texts {
            guard let key = ReportSectionKey(rawValue: rawKey) else {
                errors.append(FieldError("sections.\(rawKey)", "Diesen Abschnitt gibt es in einem Bericht nicht."))
                continue
            }
            sections.append((key, text))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let changed = sections.map(\.0.rawValue).joined(separator: ",")
        let edits = sections
        try await change(reportID, viewer: viewer, context: context, today: today,
                         audit: ["sections": AuditChange(from: nil, to: changed)], on: db) { report, _, _, _ in
            var failures: [FieldError] = []
            for (key, text) in edits {
                do throws(FieldError) { try report.edit(key, text: text) } catch { failures.append(error) }
            }
            if !failures.isEmpty { throw ValidationFailure(failures) }
        }
    }

    public static func submit(_ reportID: UUID, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        try await change(reportID, viewer: viewer, context: context, today: today, on: db) { report, _, _, _ in try report.submit(on: today) }
    }

    public static func returnForRevision(_ reportID: UUID, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        try await change(reportID, viewer: viewer, context: context, today: today, on: db) { report, _, record, _ in
            try requireApprover(viewer, case: record)
            try report.returnForRevision()
        }
    }

    /// The team lead of the case's team or management approves, never the report's own author.
    public static func approve(_ reportID: UUID, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        try await change(reportID, viewer: viewer, context: context, today: today, on: db) { report, model, record, _ in
            try requireApprover(viewer, case: record)
            if model.createdBy == viewer.userID || (viewer.staffID != nil && model.authorStaffID == viewer.staffID) {
                throw NotAllowed("Einen Bericht gibt nicht frei, wer ihn verfasst hat (Vier-Augen-Prinzip). Bitte die Teamleitung oder die Leitung bitten.")
            }
            // Management without a staff record is named by its login.
            try report.approve(on: today, byStaffID: (viewer.staffID ?? viewer.userID).uuidString)
            model.approvedBy = viewer.userID
        }
    }

    /// R19, R10: records the sending and, in the same transaction and only on this transition, the
    /// report's one service entry (`reportHours`, [002] "1 FLS je Bericht"). Whoever marks it sent
    /// (author, team lead, management), the entry is the author's.
    public static func markSent(_ reportID: UUID, on rawDay: String?, viewer: Viewer, context: WriteContext, today: Day,
                                on db: any Database) async throws {
        try await change(reportID, viewer: viewer, context: context, today: today, on: db) { report, model, record, db in
            var v = Validator()
            let day = v.day(rawDay, "sentOn", label: "das Versanddatum", required: false) ?? today
            if day > today { v.add("sentOn", "Der Versand kann nicht in der Zukunft liegen.") }
            try v.finish()
            try report.markSent(on: day)
            if model.serviceEntryID != nil { throw FieldError("status", "Der Bericht wurde bereits versandt.") }
            model.serviceEntryID = try await reportEntry(model, report: report, case: record, day: day, viewer: viewer,
                                                         context: context, on: db)
        }
    }

    /// R19 [001]: "nicht ohne deren Wissen".
    public static func recordDiscussed(_ reportID: UUID, on rawDay: String?, viewer: Viewer, context: WriteContext, today: Day,
                                       on db: any Database) async throws {
        try await change(reportID, viewer: viewer, context: context, today: today, on: db) { report, _, _, _ in
            var v = Validator()
            let day = v.day(rawDay, "discussedWithFamilyOn", label: "den Tag des Gesprächs mit der Familie", required: false) ?? today
            try v.finish()
            try report.recordDiscussedWithFamily(on: day, today: today)
        }
    }

    /// The report as an editable DOCX (R19) and a file name without umlauts or slashes.
    public static func docx(_ reportID: UUID, viewer: Viewer, context: WriteContext, today: Day,
                            on db: any Database) async throws -> (fileName: String, data: Data) {
        let (report, record) = try await get(reportID, viewer: viewer, context: context, today: today, on: db)
        let document = DocxDocument(report: report.report, preamble: preamble(record))
        return ("\(report.report.kind.german)-\(fileNamePart(record.fileNumber)).docx",
                document.data(modified: DosTimestamp(day: today, time: TimeOfDay(minuteOfDay: 0)!)))
    }

    /// A file number as it may stand in a download's file name (ASCII letters, digits, `.` and `-`).
    static func fileNamePart(_ fileNumber: String) -> String {
        String(fileNumber.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "-" })
    }

    /// The lines above the first section, in the DOCX and the print view alike.
    public static func preamble(_ record: CaseRecord) -> [String] {
        ["Junger Mensch: \(record.youngPerson.fullName)", "Aktenzeichen: \(record.fileNumber)",
         "Hilfe: \(record.offerName)", "Jugendamt: \(record.youthOfficeName)"]
    }
}

// MARK: - Loading and saving

extension ReportStore {
    /// The stored report and its case; documentation access only.
    static func load(_ reportID: UUID, viewer: Viewer, today: Day, on db: any Database) async throws -> (ReportModel, CaseRecord) {
        guard let model = try await ReportModel.find(reportID, on: db) else { throw RecordNotFound(entity: entity) }
        let record = try await DocumentationAccess.documentedCase(model.$case.id, viewer: viewer, today: today, on: db)
        return (model, record)
    }

    /// Loads, lets the domain change the report, saves and audits the changed status (never content).
    /// Domain refusals (`FieldError`) become a `ValidationFailure` (422 with the field).
    static func change(_ reportID: UUID, viewer: Viewer, context: WriteContext, today: Day, audit: [String: AuditChange] = [:],
                       on db: any Database,
                       _ body: @escaping @Sendable (inout Report, ReportModel, CaseRecord, any Database) async throws -> Void) async throws {
        _ = try await load(reportID, viewer: viewer, today: today, on: db)
        try await db.writeTransaction { db in
            let (model, record) = try await load(reportID, viewer: viewer, today: today, on: db)
            guard var report = Self.record(model)?.report else { throw RecordNotFound(entity: entity) }
            let before = report.status
            do {
                try await body(&report, model, record, db)
            } catch let error as FieldError {
                throw ValidationFailure([error])
            }
            fill(model, report)
            try await model.update(on: db)
            var changes = audit
            if before != report.status { changes["status"] = AuditChange(from: before.rawValue, to: report.status.rawValue) }
            if let entryID = model.serviceEntryID { changes["serviceEntry"] = AuditChange(from: nil, to: entryID.uuidString) }
            try await AuditLog.record(.update, entity: entity, id: reportID, changes: changes, by: context.actor, at: context.now, on: db)
        }
    }

    static func requireApprover(_ viewer: Viewer, case record: CaseRecord) throws {
        guard viewer.roles.contains(.management) || (viewer.roles.contains(.teamLead) && viewer.ledTeamIDs.contains(record.teamID)) else {
            throw NotAllowed("Berichte gibt die Teamleitung des Falls oder die Leitung frei.")
        }
    }

    /// The report's entry (R10): a report entry typed by hand for this report is taken over
    /// (`ReportEntryRule.manualEntry`), so the hour counts once; otherwise one is booked to the author on
    /// the day it was sent, at a time the author has no other entry. Not through `EntryStore.create`:
    /// an end report is sent after the case ended, and the author need not be the one marking it sent.
    static func reportEntry(_ model: ReportModel, report: Report, case record: CaseRecord, day: Day, viewer: Viewer,
                            context: WriteContext, on db: any Database) async throws -> UUID {
        let invoiced = try await BillingStore.isInvoiced(caseID: record.id, month: Month(containing: day), on: db)
        if let refusal = ReportEntryRule.refusal(kind: report.kind, day: day, caseStart: record.startDate, caseEnd: record.endDate,
                                                 invoiced: invoiced) {
            throw FieldError("sentOn", refusal)
        }
        let linked = Set(try await ReportModel.query(on: db).filter(\.$case.$id == record.id).all().compactMap(\.serviceEntryID))
        let typed = try await ServiceEntryModel.query(on: db).filter(\.$case.$id == record.id)
            .filter(\.$kind == EntryKind.report.rawValue).filter(\.$groupSession.$id == nil).all()
            .compactMap { entry -> (id: UUID, date: Day)? in
                guard let id = entry.id, !linked.contains(id), let date = Day(iso: entry.date) else { return nil }
                return (id, date)
            }
        if let id = ReportEntryRule.manualEntry(typed, periodFrom: report.periodFrom, sentOn: day) { return id }

        guard let staffID = model.authorStaffID ?? record.lead?.staffID else {
            throw FieldError("sentOn", "Für den Berichtseintrag fehlt die Fachkraft des Falls.")
        }
        let settings = try await SettingsBook.load(youthOfficeIDs: [record.youthOfficeID], on: db)[record.youthOfficeID]?
            .settings(on: day, offerID: record.offerID) ?? AgreementSettings()
        let minutes = max(1, settings.reportMinutes)
        var facts = EntryFacts(kind: .report, date: day, start: TimeOfDay(minuteOfDay: 8 * 60)!, minutes: minutes)
        for minute in stride(from: 8 * 60, through: 22 * 60, by: 30) {
            let candidate = EntryFacts(kind: .report, date: day, start: TimeOfDay(minuteOfDay: minute)!, minutes: minutes)
            if try await EntryStore.overlapping(staffID: staffID, facts: candidate, excluding: nil, on: db) == nil {
                facts = candidate
                break
            }
        }
        let entry = ServiceEntryModel()
        entry.$case.id = record.id
        entry.$staff.id = staffID
        entry.createdBy = viewer.userID
        EntryStore.set(entry, facts: facts, count: ServiceRules.count(facts, settings: settings))
        try await entry.create(on: db)
        try await BilledMinutes.refresh(caseIDs: [record.id], on: db)
        let id = try entry.requireID()
        try await AuditLog.record(.create, entity: EntryStore.entity, id: id,
                                  changes: EntryStore.auditFields(entry, caseID: record.id, old: nil)
                                      .merging(["report": AuditChange(from: nil, to: model.id?.uuidString)]) { $1 },
                                  by: context.actor, at: context.now, on: db)
        return id
    }

    static func record(_ model: ReportModel) -> ReportRecord? {
        guard let id = model.id, let kind = ReportKind(rawValue: model.kind), let from = Day(iso: model.periodFrom),
              let to = Day(iso: model.periodTo), let status = ReportStatus(rawValue: model.status)
        else { return nil }
        let stored = (try? JSONDecoder().decode([StoredSection].self, from: Data(model.sections.utf8))) ?? []
        let report = Report(kind: kind, periodFrom: from, periodTo: to, status: status,
                            sections: stored.compactMap { s in ReportSectionKey(rawValue: s.key).map { ReportSection(key: $0, paragraphs: s.paragraphs) } },
                            submittedOn: model.submittedOn.flatMap(Day.init(iso:)), approvedOn: model.approvedOn.flatMap(Day.init(iso:)),
                            approvedByStaffID: model.approvedByStaffID, sentOn: model.sentOn.flatMap(Day.init(iso:)),
                            discussedWithFamilyOn: model.discussedWithFamilyOn.flatMap(Day.init(iso:)))
        return ReportRecord(id: id, caseID: model.$case.id, report: report, authorStaffID: model.authorStaffID,
                            createdBy: model.createdBy, serviceEntryID: model.serviceEntryID)
    }

    static func fill(_ model: ReportModel, _ report: Report) {
        model.kind = report.kind.rawValue
        model.periodFrom = report.periodFrom.iso
        model.periodTo = report.periodTo.iso
        model.status = report.status.rawValue
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let sections = report.sections.map { StoredSection(key: $0.key.rawValue, paragraphs: $0.paragraphs) }
        model.sections = String(decoding: (try? encoder.encode(sections)) ?? Data("[]".utf8), as: UTF8.self)
        model.submittedOn = report.submittedOn?.iso
        model.approvedOn = report.approvedOn?.iso
        model.approvedByStaffID = report.approvedByStaffID
        model.sentOn = report.sentOn?.iso
        model.discussedWithFamilyOn = report.discussedWithFamilyOn?.iso
    }

    struct StoredSection: Codable {
        let key: String
        let paragraphs: [String]
    }
}
