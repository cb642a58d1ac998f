import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// Which cases a statistic covers: all, or one youth office, offer or some teams (a team lead's own).
public struct StatisticsScope: Sendable, Hashable {
    public var youthOfficeID: UUID?
    public var offerID: UUID?
    /// Nil: every team.
    public var teamIDs: [UUID]?

    public init(youthOfficeID: UUID? = nil, offerID: UUID? = nil, teamIDs: [UUID]? = nil) {
        self.youthOfficeID = youthOfficeID
        self.offerID = offerID
        self.teamIDs = teamIDs
    }

    var isFiltered: Bool { youthOfficeID != nil || offerID != nil || teamIDs != nil }

    /// The scope a viewer may see: management any; a team lead only their teams (all of them, or the
    /// one asked for); accounting the whole provider (money figures only, `StatisticsView`).
    public static func allowed(for viewer: Viewer, youthOfficeID: UUID?, offerID: UUID?, teamID: UUID?) throws -> StatisticsScope {
        var scope = StatisticsScope(youthOfficeID: youthOfficeID, offerID: offerID, teamIDs: teamID.map { [$0] })
        if viewer.roles.contains(.management) || viewer.roles.contains(.accounting) { return scope }
        guard viewer.roles.contains(.teamLead), !viewer.ledTeamIDs.isEmpty else {
            throw NotAllowed("Statistiken sehen die Leitung, die Teamleitungen für ihr Team und die Verwaltung.")
        }
        if let teamID {
            guard viewer.ledTeamIDs.contains(teamID) else { throw NotAllowed("Teamleitungen sehen die Statistik ihres eigenen Teams.") }
        } else {
            scope.teamIDs = viewer.ledTeamIDs.sorted { $0.uuidString < $1.uuidString }
        }
        return scope
    }
}

/// What of the statistics a viewer sees: accounting the money and hours, never case outcomes,
/// §8a or complaint counts (SPEC roles: not documentation, §8a or health content).
public enum StatisticsView: Sendable {
    case full, money

    public static func of(_ viewer: Viewer) -> StatisticsView {
        viewer.roles.contains(.management) || viewer.roles.contains(.teamLead) ? .full : .money
    }
}

/// R29: case statistics computed in SQL, one grouped query per kind of figure; no entry is loaded.
public enum StatisticsStore {
    public static func compute(_ period: StatisticsPeriod, scope: StatisticsScope, on db: any Database) async throws -> CaseStatistics {
        guard let sql = db as? any SQLDatabase else { throw NotAllowed("Statistiken brauchen eine SQL-Datenbank.") }
        let from = period.from.iso, to = period.to.iso
        let offices = Dictionary(uniqueKeysWithValues: try await YouthOfficeModel.query(on: db).all().compactMap { o in o.id.map { ($0, o.name) } })
        let offers = Dictionary(uniqueKeysWithValues: try await OfferModel.query(on: db).all().compactMap { o in o.id.map { ($0, o.name) } })
        var grid: [Key: GroupFigures] = [:]
        func figures(_ key: Key) -> GroupFigures { grid[key] ?? GroupFigures(id: "", name: "") }

        // Cases: begun, running at start and end, ended, active, per youth office and offer.
        for row in try await sql.raw("""
            SELECT c.youth_office_id AS office, c.offer_id AS offer,
              CAST(SUM(CASE WHEN c.start_date >= \(bind: from) AND c.start_date <= \(bind: to) THEN 1 ELSE 0 END) AS BIGINT) AS begun,
              CAST(SUM(CASE WHEN c.start_date < \(bind: from) AND (c.end_date IS NULL OR c.end_date >= \(bind: from)) THEN 1 ELSE 0 END) AS BIGINT) AS at_start,
              CAST(SUM(CASE WHEN c.start_date <= \(bind: to) AND (c.end_date IS NULL OR c.end_date > \(bind: to)) THEN 1 ELSE 0 END) AS BIGINT) AS at_end,
              CAST(SUM(CASE WHEN c.end_date >= \(bind: from) AND c.end_date <= \(bind: to) THEN 1 ELSE 0 END) AS BIGINT) AS ended,
              CAST(SUM(CASE WHEN c.start_date <= \(bind: to) AND (c.end_date IS NULL OR c.end_date >= \(bind: from)) THEN 1 ELSE 0 END) AS BIGINT) AS active
            FROM cases c WHERE \(filter(scope)) GROUP BY c.youth_office_id, c.offer_id
            """).all() {
            guard let key = Key(row) else { continue }
            var f = figures(key)
            f.begun = try row.int("begun")
            f.runningAtStart = try row.int("at_start")
            f.runningAtEnd = try row.int("at_end")
            f.ended = try row.int("ended")
            f.cases = try row.int("active")
            grid[key] = f
        }

        // Entries dated in the period: delivered budget minutes per group, actual minutes per kind,
        // appointments; short-notice client cancellations are those that carry budget or bill (R10).
        var minutesByKind: [EntryKind: Int] = [:]
        var appointments = 0, shortNotice = 0
        let appointmentKinds = EntryKind.allCases.filter(\.isAppointment).map(\.rawValue)
        // Whole months come from the totals the triggers keep (`AddEntryMonthTotals`: a few thousand rows
        // for years); only the days before the first and after the last whole month are read from the
        // entries, summed per case on the covering index before the join to the cases (issue 15 bench).
        let split = period.wholeMonths
        var parts: [SQLQueryString] = []
        if let months = split.months {
            parts.append("""
                SELECT c.youth_office_id AS office, c.offer_id AS offer, c.kind AS kind, c.minutes AS minutes, c.budget AS budget,
                  c.entries AS entries, c.short_notice AS short_notice
                FROM \(ident: AddEntryMonthTotals.table) c
                WHERE c.month >= \(bind: months.lowerBound.iso) AND c.month <= \(bind: months.upperBound.iso) AND \(filter(scope))
                """)
        }
        for edge in split.edges {
            parts.append("""
                SELECT c.youth_office_id AS office, c.offer_id AS offer, x.kind AS kind, x.minutes AS minutes, x.budget AS budget,
                  x.entries AS entries, x.short_notice AS short_notice
                FROM (SELECT e.case_id AS case_id, e.kind AS kind, SUM(e.minutes) AS minutes, SUM(e.budget_minutes) AS budget, COUNT(*) AS entries,
                        SUM(\(unsafeRaw: AddEntryMonthTotals.shortNotice("e"))) AS short_notice
                      FROM service_entries e WHERE e.date >= \(bind: edge.lowerBound.iso) AND e.date <= \(bind: edge.upperBound.iso)
                      GROUP BY e.case_id, e.kind) x
                JOIN cases c ON c.id = x.case_id
                WHERE \(filter(scope))
                """)
        }
        var union: SQLQueryString = ""
        for (index, part) in parts.enumerated() { union = index == 0 ? part : union + " UNION ALL " + part }
        for row in try await sql.raw("""
            SELECT t.office AS office, t.offer AS offer, t.kind AS kind, CAST(SUM(t.minutes) AS BIGINT) AS minutes,
              CAST(SUM(t.budget) AS BIGINT) AS budget, CAST(SUM(t.entries) AS BIGINT) AS entries, CAST(SUM(t.short_notice) AS BIGINT) AS short_notice
            FROM (\(union)) t
            GROUP BY t.office, t.offer, t.kind
            """).all() {
            guard let key = Key(row), let kind = EntryKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            var f = figures(key)
            f.deliveredMinutes += try row.int("budget")
            grid[key] = f
            minutesByKind[kind, default: 0] += try row.int("minutes")
            if appointmentKinds.contains(kind.rawValue) { appointments += try row.int("entries") }
            shortNotice += try row.int("short_notice")
        }

        // Approved: the budget windows that begin in the period.
        for row in try await sql.raw("""
            SELECT c.youth_office_id AS office, c.offer_id AS offer, CAST(SUM(w.approved_minutes) AS BIGINT) AS approved
            FROM case_budget_windows w JOIN cases c ON c.id = w.case_id
            WHERE w.from_date >= \(bind: from) AND w.from_date <= \(bind: to) AND \(filter(scope))
            GROUP BY c.youth_office_id, c.offer_id
            """).all() {
            guard let key = Key(row) else { continue }
            var f = figures(key)
            f.approvedMinutes += try row.int("approved")
            grid[key] = f
        }

        // Billed: the numbered invoices of the period's months; a cancellation carries the negative amount.
        for row in try await sql.raw("""
            SELECT c.youth_office_id AS office, c.offer_id AS offer, CAST(SUM(i.total_cents) AS BIGINT) AS billed
            FROM invoices i JOIN cases c ON c.id = i.case_id
            WHERE i.number IS NOT NULL AND i.month >= \(bind: period.months.lowerBound.iso) AND i.month <= \(bind: period.months.upperBound.iso)
              AND \(filter(scope))
            GROUP BY c.youth_office_id, c.offer_id
            """).all() {
            guard let key = Key(row) else { continue }
            var f = figures(key)
            f.billed = f.billed + Cents(Int64(try row.int("billed")))
            grid[key] = f
        }

        // Ended helps: reasons and lengths (only the ended ones are read, a few hundred a year).
        var endReasons: [EndReason: Int] = [:], lengths: [Int] = []
        for row in try await sql.raw("""
            SELECT c.start_date AS start_date, c.end_date AS end_date, c.end_reason AS end_reason FROM cases c
            WHERE c.end_date >= \(bind: from) AND c.end_date <= \(bind: to) AND \(filter(scope))
            """).all() {
            guard let start = Day(iso: try row.decode(column: "start_date", as: String.self)),
                  let end = Day(iso: try row.decode(column: "end_date", as: String.self)) else { continue }
            endReasons[(try? row.decode(column: "end_reason", as: String?.self))?.flatMap(EndReason.init(rawValue:)) ?? .other, default: 0] += 1
            lengths.append(HelpLength.days(start: start, end: end))
        }

        // Goals: the latest rating in the period of each goal rated in it.
        var attainment: [GoalAttainment: Int] = [:]
        for row in try await sql.raw("""
            SELECT latest.value AS value, COUNT(*) AS goals FROM (
              SELECT r.value AS value, ROW_NUMBER() OVER (PARTITION BY r.goal_id ORDER BY r.rated_on DESC, r.id DESC) AS n
              FROM goal_ratings r JOIN goals g ON g.id = r.goal_id JOIN cases c ON c.id = g.case_id
              WHERE r.rated_on >= \(bind: from) AND r.rated_on <= \(bind: to) AND \(filter(scope))
            ) latest WHERE latest.n = 1 GROUP BY latest.value
            """).all() {
            if let value = GoalAttainment(rawValue: try row.int("value")) { attainment[value, default: 0] += try row.int("goals") }
        }

        // Complaints, §8a procedures and incidents: counts only. Filtered statistics count those of the
        // scope's cases; the provider's total counts every one.
        let complaints = try await count(sql, table: "complaints", day: "received_on", period: period, scope: scope)
        let procedures = try await count(sql, table: "child_protection_procedures", day: "noticed_on", period: period, scope: scope)
        let incidents = try await count(sql, table: "incidents", day: "occurred_on", period: period, scope: scope)

        var total = GroupFigures(id: "", name: "Gesamt")
        var byOffice: [UUID: GroupFigures] = [:], byOffer: [UUID: GroupFigures] = [:]
        // Groups with nothing in the period are left out (the grid holds every office and offer with a case).
        for (key, f) in grid where f.cases > 0 || f.approvedMinutes > 0 || f.deliveredMinutes > 0 || f.billed.value != 0 {
            total.add(f)
            byOffice[key.office, default: GroupFigures(id: key.office.uuidString.lowercased(), name: offices[key.office] ?? "–")].add(f)
            byOffer[key.offer, default: GroupFigures(id: key.offer.uuidString.lowercased(), name: offers[key.offer] ?? "–")].add(f)
        }
        return CaseStatistics(
            period: period, total: total,
            byYouthOffice: byOffice.values.sorted { $0.name < $1.name }, byOffer: byOffer.values.sorted { $0.name < $1.name },
            endReasons: endReasons, length: HelpLength(lengths), minutesByKind: minutesByKind, appointments: appointments,
            shortNoticeCancellations: shortNotice, goalAttainment: attainment, complaints: complaints, childProtectionProcedures: procedures,
            incidents: incidents)
    }

    struct Key: Hashable {
        let office: UUID
        let offer: UUID

        init?(_ row: any SQLRow) {
            guard let office = try? row.decode(column: "office", as: UUID.self), let offer = try? row.decode(column: "offer", as: UUID.self)
            else { return nil }
            self.office = office
            self.offer = offer
        }
    }

    /// The scope as a condition on the cases table `c`.
    static func filter(_ scope: StatisticsScope) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        if let office = scope.youthOfficeID { condition = condition + " AND c.youth_office_id = \(bind: office)" }
        if let offer = scope.offerID { condition = condition + " AND c.offer_id = \(bind: offer)" }
        if let teams = scope.teamIDs {
            if teams.isEmpty { return "1 = 0" }
            condition = condition + " AND c.team_id IN (\(binds: teams))"
        }
        return condition
    }

    static func count(_ sql: any SQLDatabase, table: String, day: String, period: StatisticsPeriod, scope: StatisticsScope) async throws -> Int {
        let join: SQLQueryString = scope.isFiltered ? " JOIN cases c ON c.id = t.case_id AND \(filter(scope))" : ""
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n FROM \(ident: table) t\(join)
            WHERE t.\(ident: day) >= \(bind: period.from.iso) AND t.\(ident: day) <= \(bind: period.to.iso)
            """).first()
        return try row?.int("n") ?? 0
    }
}

extension SQLRow {
    /// An integer column; SUM over no rows is NULL (0), and PostgreSQL's SUM of integers is a bigint.
    func int(_ column: String) throws -> Int {
        if let value = try? decode(column: column, as: Int?.self) { return value ?? 0 }
        if let value = try? decode(column: column, as: Int64?.self) { return Int(value ?? 0) }
        if let text = (try? decode(column: column, as: String?.self)) ?? nil { return Int(text) ?? 0 }
        return Int(try decode(column: column, as: Double.self))
    }
}
