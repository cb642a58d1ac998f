import FallwerkDomain
import Fluent
import Foundation

/// The performance report (R30): drafted by management or a team lead (for the own team), approved by
/// management, submitted to the youth office; the *Trägergespräch* is due 12 weeks later.
public enum PerformanceReportStore {
    static let entity = "performanceReport"

    public static func create(from: String?, to: String?, teamID: String?, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        let period = try PerformanceReport.validatedPeriod(from: from, to: to, today: today)
        var team: UUID?
        if let text = teamID?.trimmed, !text.isEmpty {
            guard let id = UUID(uuidString: text), try await TeamModel.exists(id, on: db) else {
                throw ValidationFailure([FieldError("teamId", "Dieses Team ist unbekannt.")])
            }
            team = id
        }
        let scope = try StatisticsScope.allowed(for: viewer, youthOfficeID: nil, offerID: nil, teamID: team)
        if !viewer.roles.contains(.management), team == nil, scope.teamIDs?.count != 1 {
            throw ValidationFailure([FieldError("teamId", "Bitte das Team wählen, für das der Bericht gilt.")])
        }
        let figures = try await StatisticsStore.compute(period, scope: scope, on: db).rows(full: true)
        let reportTeam = team ?? (viewer.roles.contains(.management) ? nil : scope.teamIDs?.first)
        return try await db.writeTransaction { db in
            let model = PerformanceReportModel()
            model.fromDate = period.from.iso
            model.toDate = period.to.iso
            model.teamID = reportTeam
            model.status = PerformanceReportStatus.draft.rawValue
            model.texts = "{}"
            model.figures = try encode(figures)
            model.createdBy = viewer.userID
            try await model.create(on: db)
            try await AuditLog.record(.create, entity: entity, id: model.id,
                                      changes: ["from": AuditChange(from: nil, to: period.from.iso), "to": AuditChange(from: nil, to: period.to.iso)],
                                      by: context.actor, at: context.now, on: db)
            return try model.requireID()
        }
    }

    /// The reports the viewer may see: all for management, the own teams' for a team lead.
    public static func list(viewer: Viewer, on db: any Database) async throws -> [PerformanceReport] {
        let models = try await PerformanceReportModel.query(on: db).sort(\.$toDate, .descending).all()
        return try await records(models.filter { visible($0, to: viewer) }, on: db)
    }

    public static func get(_ id: UUID, viewer: Viewer, on db: any Database) async throws -> PerformanceReport {
        guard let model = try await PerformanceReportModel.find(id, on: db), visible(model, to: viewer),
              let report = try await records([model], on: db).first else { throw RecordNotFound(entity: entity) }
        return report
    }

    static func visible(_ model: PerformanceReportModel, to viewer: Viewer) -> Bool {
        viewer.roles.contains(.management) || (viewer.roles.contains(.teamLead) && model.teamID.map(viewer.ledTeamIDs.contains) == true)
    }

    public static func updateText(_ id: UUID, section: String?, text: String?, viewer: Viewer, context: WriteContext, on db: any Database) async throws {
        guard let key = section.flatMap(PerformanceReportSection.init(rawValue:)) else {
            throw ValidationFailure([FieldError("section", "Diesen Abschnitt gibt es im Leistungsbericht nicht.")])
        }
        var v = Validator()
        let value = v.optional(text, "text", label: "den Text", maxLength: 20_000)
        try v.finish()
        try await change(id, viewer: viewer, context: context, on: db, audit: ["section": key.rawValue]) { model in
            guard model.status == PerformanceReportStatus.draft.rawValue else {
                throw NotAllowed("Ein freigegebener Leistungsbericht wird nicht mehr geändert.")
            }
            var texts = decodeTexts(model.texts)
            texts[key.rawValue] = value ?? ""
            model.texts = String(decoding: try JSONSerialization.data(withJSONObject: texts, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// Recomputes the figures of a draft (data corrected since it was created).
    public static func refreshFigures(_ id: UUID, viewer: Viewer, context: WriteContext, on db: any Database) async throws {
        let report = try await get(id, viewer: viewer, on: db)
        guard report.status == .draft else { throw NotAllowed("Die Zahlen eines freigegebenen Berichts bleiben, wie sie freigegeben wurden.") }
        let model = try await PerformanceReportModel.require(id, entity: entity, on: db)
        let scope = StatisticsScope(teamIDs: model.teamID.map { [$0] })
        let figures = try await StatisticsStore.compute(StatisticsPeriod(from: report.from, to: report.to), scope: scope, on: db).rows(full: true)
        try await change(id, viewer: viewer, context: context, on: db, audit: ["figures": "neu berechnet"]) { model in
            model.figures = try encode(figures)
        }
    }

    /// Management approves a draft (like reports, R19).
    public static func approve(_ id: UUID, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        _ = try await get(id, viewer: viewer, on: db)
        guard viewer.roles.contains(.management) else { throw NotAllowed("Den Leistungsbericht gibt die Leitung frei.") }
        try await change(id, viewer: viewer, context: context, on: db, audit: ["status": PerformanceReportStatus.approved.rawValue]) { model in
            guard model.status == PerformanceReportStatus.draft.rawValue else { throw stateError("Der Bericht ist schon freigegeben.") }
            model.status = PerformanceReportStatus.approved.rawValue
            model.approvedOn = today.iso
            model.approvedBy = viewer.userID
        }
    }

    /// Submitted to the youth office on `date`: the *Trägergespräch* is due 12 weeks later [004].
    public static func submit(_ id: UUID, date: String?, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        let day = try StandardsInput.pastDay(date, "date", label: "den Tag der Vorlage", today: today)
        try await change(id, viewer: viewer, context: context, on: db, audit: ["submittedOn": day.iso]) { model in
            guard model.status == PerformanceReportStatus.approved.rawValue else {
                throw stateError(model.status == PerformanceReportStatus.draft.rawValue
                    ? "Vorgelegt wird ein Bericht, nachdem die Leitung ihn freigegeben hat." : "Der Bericht ist schon vorgelegt.")
            }
            if let approved = model.approvedOn.flatMap(Day.init(iso:)), day < approved {
                throw ValidationFailure([FieldError("date", "Der Bericht kann nicht vor seiner Freigabe (\(approved.german)) vorgelegt worden sein.")])
            }
            model.status = PerformanceReportStatus.submitted.rawValue
            model.submittedOn = day.iso
        }
    }

    public static func recordMeeting(_ id: UUID, date: String?, viewer: Viewer, context: WriteContext, today: Day, on db: any Database) async throws {
        let day = try StandardsInput.pastDay(date, "date", label: "den Tag des Trägergesprächs", today: today)
        try await change(id, viewer: viewer, context: context, on: db, audit: ["meetingOn": day.iso]) { model in
            guard let submitted = model.submittedOn.flatMap(Day.init(iso:)) else {
                throw stateError("Das Trägergespräch folgt auf die Vorlage des Berichts; bitte zuerst die Vorlage eintragen.")
            }
            if day < submitted { throw ValidationFailure([FieldError("date", "Das Gespräch kann nicht vor der Vorlage (\(submitted.german)) gewesen sein.")]) }
            model.meetingOn = day.iso
        }
    }

    /// R30: the open *Trägergespräch* deadlines of the reports the viewer sees (start pages, `Fristen`).
    public static func meetingDeadlines(viewer: Viewer, today: Day, on db: any Database) async throws -> [(PerformanceReport, Deadline)] {
        let models = try await PerformanceReportModel.query(on: db).filter(\.$submittedOn != nil).filter(\.$meetingOn == nil).all()
        return try await records(models.filter { visible($0, to: viewer) }, on: db).compactMap { report in
            report.meetingDeadline(today: today).map { (report, $0) }
        }
    }

    static func stateError(_ message: String) -> ValidationFailure { ValidationFailure([FieldError("status", message)]) }

    static func change(_ id: UUID, viewer: Viewer, context: WriteContext, on db: any Database, audit: [String: String],
                       _ body: @escaping @Sendable (PerformanceReportModel) throws -> Void) async throws {
        _ = try await get(id, viewer: viewer, on: db)
        try await db.writeTransaction { db in
            let model = try await PerformanceReportModel.require(id, entity: entity, on: db)
            try body(model)
            try await model.update(on: db)
            try await AuditLog.record(.update, entity: entity, id: id, changes: audit.mapValues { AuditChange(from: nil, to: $0) },
                                      by: context.actor, at: context.now, on: db)
        }
    }

    static func encode(_ rows: [StatisticsRow]) throws -> String { String(decoding: try JSONEncoder().encode(rows), as: UTF8.self) }

    static func decodeTexts(_ json: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String] ?? [:]
    }

    static func records(_ models: [PerformanceReportModel], on db: any Database) async throws -> [PerformanceReport] {
        let teamIDs = Set(models.compactMap(\.teamID))
        let teams = teamIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await TeamModel.query(on: db).filter(\.$id ~~ teamIDs).all()
            .compactMap { t in t.id.map { ($0, t.name) } })
        return models.compactMap { model in
            guard let id = model.id, let from = Day(iso: model.fromDate), let to = Day(iso: model.toDate),
                  let status = PerformanceReportStatus(rawValue: model.status) else { return nil }
            var texts: [PerformanceReportSection: String] = [:]
            for (key, value) in decodeTexts(model.texts) { if let section = PerformanceReportSection(rawValue: key) { texts[section] = value } }
            let figures = (try? JSONDecoder().decode([StatisticsRow].self, from: Data(model.figures.utf8))) ?? []
            return PerformanceReport(id: id.uuidString, from: from, to: to, teamName: model.teamID.flatMap { teams[$0] }, status: status, texts: texts,
                                     figures: figures, approvedOn: model.approvedOn.flatMap(Day.init(iso:)),
                                     submittedOn: model.submittedOn.flatMap(Day.init(iso:)), meetingOn: model.meetingOn.flatMap(Day.init(iso:)))
        }
    }
}
