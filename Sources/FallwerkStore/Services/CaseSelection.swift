import FallwerkDomain
import FluentKit
import FluentSQL
import Foundation

/// What a list of cases selects by: whose cases a viewer sees and the filter, as the values the query binds.
/// The query is a function of these values, so the statements lists run on every request (a caseworker's
/// start page, alerts and case list) are kept per shape (`KeptStatement`) instead of built through Fluent
/// and written out each time (issue 12).
struct CaseSelection {
    /// The viewer's staff record where assignments count (caseworkers and team leads).
    var mine: UUID?
    /// The teams the viewer leads, for team leads.
    var led: [UUID]
    var status: CaseStatus?
    /// Today as an ISO date: dates compare as text in both databases.
    var today: String
    var teamID: UUID?
    var youthOfficeID: UUID?
    var staffID: UUID?
    /// `CaseSearch.likePattern` of the filter's text.
    var pattern: String?

    /// Nil when the viewer certainly sees no case (no staff record on a case and no led team).
    init?(_ filter: CaseFilter, visibleTo viewer: Viewer, today: Day) {
        if viewer.seesAllCases {
            mine = nil
            led = []
        } else {
            // As in `CaseAccess.of`: an assignment counts only for caseworkers and team leads, so an
            // administrator whose staff record is on a case still sees no case content (SPEC "Roles").
            let worksOnCases = viewer.roles.contains(.caseworker) || viewer.roles.contains(.teamLead)
            mine = worksOnCases ? viewer.staffID : nil
            led = viewer.roles.contains(.teamLead) ? Array(viewer.ledTeamIDs) : []
            if mine == nil && led.isEmpty { return nil }
        }
        restricted = !viewer.seesAllCases
        status = filter.status
        self.today = today.iso
        teamID = filter.teamID
        youthOfficeID = filter.youthOfficeID
        staffID = filter.staffID
        pattern = CaseSearch.likePattern(filter.text)
    }

    /// Whether only the viewer's own and led teams' cases are selected.
    private var restricted: Bool

    /// The query, unsorted.
    func query(on db: any Database) -> QueryBuilder<CaseModel> {
        // R32: a blocked file is gone from every list and search; management opens it by id with a reason.
        var query = CaseModel.query(on: db).filter(\.$blockedOn == nil)
        if restricted {
            query = query.group(.or) { group in
                if let mine { group.filter(CaseStore.worksOn(mine, today: today)) }
                if !led.isEmpty { group.filter(\.$team.$id ~~ led) }
            }
        }
        // ISO dates compare as text; `CaseRecord.status(on:)` is the same definition, tested on both databases.
        switch status {
        case .planned?: query = query.filter(\.$startDate > today)
        case .running?:
            query = query.filter(\.$startDate <= today).group(.or) { $0.filter(\.$endDate == nil).filter(\.$endDate >= today) }
        case .ended?: query = query.filter(\.$endDate < today)
        case nil: break
        }
        if let teamID { query = query.filter(\.$team.$id == teamID) }
        if let youthOfficeID { query = query.filter(\.$youthOffice.$id == youthOfficeID) }
        if let staffID { query = query.filter(CaseStore.worksOn(staffID, today: today)) }
        if let pattern {
            query = query.filter(.sql(embed: "\(ident: CaseModel.schema).\(ident: "search_text") LIKE \(bind: pattern) ESCAPE '\\'"))
        }
        return query
    }

    /// The values the query binds, in the order `replacing` reads them.
    var values: [KeptStatement.Value] {
        var values: [KeptStatement.Value] = []
        if let mine { values.append(.id(mine)) }
        values += led.map { .id($0) }
        values.append(.text(today))
        for id in [teamID, youthOfficeID, staffID] { if let id { values.append(.id(id)) } }
        if let pattern { values.append(.text(pattern)) }
        return values
    }

    /// What tells one statement from another: which values there are, not what they are.
    var shape: String {
        [restricted ? "r" : "a", mine == nil ? "" : "m", "l\(led.count)", status.map { "\($0)" } ?? "-",
         teamID == nil ? "" : "t", youthOfficeID == nil ? "" : "o", staffID == nil ? "" : "s", pattern == nil ? "" : "p"].joined()
    }

    /// This selection with `values` in the places `values` gave (the same shape, other values).
    func replacing(_ values: [KeptStatement.Value]) -> CaseSelection {
        var copy = self
        var next = values.makeIterator()
        if mine != nil { copy.mine = next.next()?.id }
        copy.led = led.map { _ in next.next()?.id ?? UUID() }
        copy.today = next.next()?.text ?? ""
        if teamID != nil { copy.teamID = next.next()?.id }
        if youthOfficeID != nil { copy.youthOfficeID = next.next()?.id }
        if staffID != nil { copy.staffID = next.next()?.id }
        if pattern != nil { copy.pattern = next.next()?.text }
        return copy
    }

    /// The rows of the statement `finish` makes of this selection's query, kept per shape under `key`
    /// (`finish` may add fields, sorting and a cursor, and must not branch on the values either; the values it
    /// binds itself come after the selection's, as `extra`).
    func rows(_ key: String, extra: [KeptStatement.Value] = [], on db: any Database,
              finish: @escaping (QueryBuilder<CaseModel>, [KeptStatement.Value]) -> QueryBuilder<CaseModel>) async throws -> [any SQLRow] {
        let own = values
        return try await KeptStatement.rows(key + "|" + shape, own + extra, on: db) { values in
            finish(replacing(Array(values.prefix(own.count))).query(on: db), Array(values.dropFirst(own.count))).plainStatement
        }
    }
}
