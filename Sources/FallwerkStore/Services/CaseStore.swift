import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// Who is looking: roles, the staff record of the login, the teams that staff member leads.
public struct Viewer: Sendable {
    public let userID: UUID
    public let roles: Set<Role>
    public let staffID: UUID?
    public let ledTeamIDs: Set<UUID>

    public init(userID: UUID, roles: Set<Role>, staffID: UUID?, ledTeamIDs: Set<UUID>) {
        self.userID = userID
        self.roles = roles
        self.staffID = staffID
        self.ledTeamIDs = ledTeamIDs
    }

    /// The login's staff record and the teams it leads, in one query.
    public static func load(userID: UUID, roles: Set<Role>, on db: any Database) async throws -> Viewer {
        let teams: SQLQueryString = """
            LEFT JOIN \(ident: TeamModel.schema) ON \(ident: TeamModel.schema).\(ident: "lead_staff_id") = \(ident: StaffModel.schema).\(ident: "id")
            """
        let rows = try await KeptStatement.rows("viewer", [.id(userID)], on: db) { values in
            StaffModel.query(on: db).filter(\.$user.$id == values[0].id).join(TeamModel.self, on: .custom(teams))
                .field(\.$id).field(TeamModel.self, \.$id).plainStatement
        }
        return Viewer(rows: rows, userID: userID, roles: roles)
    }

    /// The viewer from rows of the user's staff records (`staff_id`) joined with the teams they lead (`teams_id`).
    init(rows: [any SQLRow], userID: UUID, roles: Set<Role>) {
        let staffID = rows.lazy.compactMap { try? $0.value("staff_id", as: UUID.self) }.first
        let led = Set(rows.compactMap { (try? $0.value("teams_id", as: UUID?.self)) ?? nil })
        self.init(userID: userID, roles: roles, staffID: staffID, ledTeamIDs: led)
    }

    /// Management and accounting see every case (accounting without content).
    var seesAllCases: Bool { roles.contains(.management) || roles.contains(.accounting) }
}

public struct AssignmentRecord: Sendable, Hashable {
    /// The assignment row (to end a substitution).
    public var id: UUID? = nil
    public let staffID: UUID
    public let staffName: String
    public let role: AssignmentRole
    public let from: Day?
    public let to: Day?
}

public enum CaseStatus: String, Sendable, CaseIterable {
    case planned, running, ended

    public var german: String {
        switch self {
        case .planned: "geplant"
        case .running: "laufend"
        case .ended: "beendet"
        }
    }
}

public struct CaseRecord: Sendable, Hashable {
    public let id: UUID
    public let fileNumber: String
    public let youngPerson: Person
    public let guardians: [Person]
    public let youthOfficeID: UUID
    public let youthOfficeName: String
    public let offerID: UUID
    public let offerName: String
    public let teamID: UUID
    public let teamName: String
    public let startDate: Day
    public let endDate: Day?
    public let endReason: EndReason?
    public let youthOfficeCaseworker: String?
    public let youthOfficeCaseworkerPhone: String?
    public let familyAddress: Address?
    public let assignments: [AssignmentRecord]
    /// R32: the day the file was blocked; nil while it is not.
    public var blockedOn: Day? = nil

    /// The lead worker (one at a time; a former lead stays as an ended co-worker, see `CaseStore.update`).
    public var lead: AssignmentRecord? { assignments.first { $0.role == .lead } }

    public func status(on day: Day) -> CaseStatus {
        if day < startDate { return .planned }
        if let endDate, endDate < day { return .ended }
        return .running
    }

    /// What billing needs of the case (R31 need-to-know, SPEC "accounting"): file number, young person's
    /// name and birth date, youth office, offer, team, dates and staff. No guardians and their phones, no
    /// family address, no end reason.
    public var forBilling: CaseRecord {
        CaseRecord(id: id, fileNumber: fileNumber,
                   youngPerson: Person(firstName: youngPerson.firstName, lastName: youngPerson.lastName, birthDate: youngPerson.birthDate,
                                       id: youngPerson.id),
                   guardians: [], youthOfficeID: youthOfficeID, youthOfficeName: youthOfficeName, offerID: offerID, offerName: offerName,
                   teamID: teamID, teamName: teamName, startDate: startDate, endDate: endDate, endReason: nil,
                   youthOfficeCaseworker: youthOfficeCaseworker, youthOfficeCaseworkerPhone: youthOfficeCaseworkerPhone,
                   familyAddress: nil, assignments: assignments, blockedOn: blockedOn)
    }

    /// The record as a viewer with this access may see it.
    public func seen(with access: CaseAccess) -> CaseRecord { access == .billing ? forBilling : self }

    public func access(for viewer: Viewer, today: Day) -> CaseAccess {
        CaseAccess.of(roles: viewer.roles, staffID: viewer.staffID?.idText, ledTeamIDs: Set(viewer.ledTeamIDs.map(\.idText)),
                      caseTeamID: teamID.idText,
                      assignments: assignments.map { Assignment(staffID: $0.staffID.idText, role: $0.role, from: $0.from, to: $0.to) },
                      today: today)
    }
}

public struct CaseFilter: Sendable {
    public var text: String?
    public var teamID: UUID?
    public var staffID: UUID?
    public var youthOfficeID: UUID?
    public var status: CaseStatus?

    public init(text: String? = nil, teamID: UUID? = nil, staffID: UUID? = nil, youthOfficeID: UUID? = nil, status: CaseStatus? = nil) {
        self.text = text
        self.teamID = teamID
        self.staffID = staffID
        self.youthOfficeID = youthOfficeID
        self.status = status
    }
}

public struct CaseDraft: Sendable, Equatable {
    public var youthOfficeId: String?
    public var offerId: String?
    public var leadStaffId: String?
    public var coWorkerIds: [String] = []
    public var input = CaseInput()
    /// R26: why someone is assigned beyond 48 hours a week or without the offer's qualification.
    public var exceptionReason: String?
    /// R2: the weekly minutes the case brings before its approval is recorded (an accepted request's hours).
    public var plannedWeeklyMinutes = 0

    public init() {}
}

/// One page of a case list; `next` is where the following page starts, nil on the last page.
public struct CasePage: Sendable {
    public let records: [CaseRecord]
    public let next: CaseSearch.Cursor?
    /// The versions read with the cases, where the database keeps them (decision 0028).
    var stamps: WorkStamps? = nil
}

public enum CaseStore {
    static let entity = "case"

    /// The cases this viewer may see, filtered, in list order; a fixed number of queries whatever the count.
    public static func list(_ filter: CaseFilter = CaseFilter(), visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> [CaseRecord] {
        try await page(filter, limit: nil, visibleTo: viewer, today: today, on: db).records
    }

    /// One page of a case list and where the next one starts (issue 12). Visibility, status, filters,
    /// search, order and the page are all decided in SQL on the `cases_sort` index: a page of a
    /// hundred reads about a hundred cases, with their persons and staff in four more queries.
    public static func page(_ filter: CaseFilter = CaseFilter(), limit: Int?, after cursor: CaseSearch.Cursor? = nil, visibleTo viewer: Viewer,
                            today: Day, on db: any Database) async throws -> CasePage {
        let after: (sortName: String, id: UUID)?
        if let cursor {
            guard let id = UUID(uuidString: cursor.id) else { return CasePage(records: [], next: nil) }
            after = (cursor.sortName, id)
        } else {
            after = nil
        }
        guard let selection = CaseSelection(filter, visibleTo: viewer, today: today) else { return CasePage(records: [], next: nil) }
        let shown: [(record: CaseRecord, sortName: String)]
        let more: Bool
        var stamps: WorkStamps?
        if CaseWorkCache.serving(db) != nil {
            // The page's cases with their versions and the generation first; their records from the cache
            // where it keeps them (decision 0028). The row after the page only says that another follows:
            // not read, not audited. Its statement is kept per shape (`CaseSelection`).
            var reader = WorkStamps.Reader()
            let extra: [KeptStatement.Value] = after.map { [.text($0.sortName), .id($0.id)] } ?? []
            let key = "casePage|\(after == nil ? "first" : "after")|\(limit.map(String.init) ?? "all")"
            let rows = try await selection.rows(key, extra: extra, on: db) { query, extra in
                paged(query, limit: limit, after: extra.count == 2 ? (extra[0].text, extra[1].id) : nil).field(\.$id).fields(WorkVersions.listFields)
            }
            let ids = rows.compactMap { row -> UUID? in
                guard let id = try? row.value("cases_id", as: UUID.self) else { return nil }
                reader.read(id, in: row)
                return id
            }
            let page = limit.map { Array(ids.prefix($0)) } ?? ids
            stamps = reader.stamps
            let records = try await fullRecords(ids: page, stamps: stamps, on: db)
            shown = page.compactMap { records[$0] }
            more = ids.count > page.count
        } else {
            let rows = try await fullRecords(paged(selection.query(on: db), limit: limit, after: after), on: db)
            shown = limit.map { Array(rows.prefix($0)) } ?? rows
            more = rows.count > shown.count
        }
        let next = more ? shown.last.map { CaseSearch.Cursor(sortName: $0.sortName, id: $0.record.id.uuidString) } : nil
        return CasePage(records: shown.map { $0.record.seen(with: $0.record.access(for: viewer, today: today)) }, next: next, stamps: stamps)
    }

    /// The persons and assignments (with their staff's names) of these cases, read side by side.
    static func people(of ids: [UUID], on db: any Database) async throws
        -> (persons: [UUID: [(role: String, position: Int, person: Person)]], assignments: [UUID: [AssignmentRecord]]) {
        guard !ids.isEmpty else { return ([:], [:]) }
        let (personRows, assignmentRows) = try await db.sideBySide({
            try await KeptStatement.rows("casePersons", of: ids, on: db) { ids in
                CasePersonModel.query(on: db).filter(\.$case.$id ~~ ids)
                    .field(\.$case.$id).field(\.$role).field(\.$position).field(\.$firstName).field(\.$lastName).field(\.$birthDate)
                    .field(\.$relation).field(\.$phone).field(\.$id)
            }
        }, {
            try await KeptStatement.rows("caseAssignments", of: ids, on: db) { ids in
                CaseAssignmentModel.query(on: db).filter(\.$case.$id ~~ ids)
                    .join(StaffModel.self, on: \CaseAssignmentModel.$staff.$id == \StaffModel.$id)
                    .field(\.$id).field(\.$case.$id).field(\.$staff.$id).field(\.$role).field(\.$fromDate).field(\.$toDate)
                    .field(StaffModel.self, \.$firstName).field(StaffModel.self, \.$lastName)
            }
        })
        var persons: [UUID: [(role: String, position: Int, person: Person)]] = [:]
        var assignments: [UUID: [AssignmentRecord]] = [:]
        for row in personRows {
            func column<T: Decodable>(_ name: String, _ type: T.Type) -> T? { try? row.value("case_persons_\(name)", as: T.self) }
            guard let caseID = column("case_id", UUID.self), let role = column("role", String.self),
                  let first = column("first_name", String.self), let last = column("last_name", String.self) else { continue }
            let person = Person(firstName: first, lastName: last, birthDate: (column("birth_date", String?.self) ?? nil).flatMap(Day.init(iso:)),
                                relation: column("relation", String?.self) ?? nil, phone: column("phone", String?.self) ?? nil,
                                id: column("id", UUID.self)?.uuidString.lowercased())
            persons[caseID, default: []].append((role, column("position", Int.self) ?? 0, person))
        }
        for row in assignmentRows {
            func column<T: Decodable>(_ name: String, _ type: T.Type) -> T? { try? row.value(name, as: T.self) }
            guard let caseID = column("case_assignments_case_id", UUID.self), let staffID = column("case_assignments_staff_id", UUID.self),
                  let role = column("case_assignments_role", String.self) else { continue }
            let name = "\(column("staff_first_name", String.self) ?? "") \(column("staff_last_name", String.self) ?? "")"
            assignments[caseID, default: []].append(AssignmentRecord(
                id: column("case_assignments_id", UUID.self), staffID: staffID, staffName: name,
                role: AssignmentRole(rawValue: role) ?? .coWorker,
                from: (column("case_assignments_from_date", String?.self) ?? nil).flatMap(Day.init(iso:)),
                to: (column("case_assignments_to_date", String?.self) ?? nil).flatMap(Day.init(iso:))))
        }
        return (persons, assignments)
    }

    /// The columns `fullRecords` reads, resolved from their key paths once: Fluent resolves a key path by
    /// building a model, and this list is read on every request about a case (issue 12).
    private static let recordFields: [DatabaseQuery.Field] = {
        func own<P: QueryableProperty>(_ field: KeyPath<CaseModel, P>) -> DatabaseQuery.Field where P.Model == CaseModel {
            .extendedPath(CaseModel.path(for: field), schema: CaseModel.schemaOrAlias, space: CaseModel.spaceIfNotAliased)
        }
        return [own(\.$id), own(\.$fileNumber), own(\.$youthOffice.$id), own(\.$offer.$id), own(\.$team.$id), own(\.$startDate),
                own(\.$endDate), own(\.$endReason), own(\.$youthOfficeCaseworker), own(\.$youthOfficeCaseworkerPhone),
                own(\.$familyStreet), own(\.$familyPostalCode), own(\.$familyCity), own(\.$sortName), own(\.$blockedOn),
                .extendedPath(YouthOfficeModel.path(for: \.$name), schema: YouthOfficeModel.schemaOrAlias, space: YouthOfficeModel.spaceIfNotAliased),
                .extendedPath(OfferModel.path(for: \.$name), schema: OfferModel.schemaOrAlias, space: OfferModel.spaceIfNotAliased),
                .extendedPath(TeamModel.path(for: \.$name), schema: TeamModel.schemaOrAlias, space: TeamModel.spaceIfNotAliased)]
    }()

    /// Full records of the cases `query` selects, in its order, with each one's sort name (for the
    /// cursor): the cases with the names of youth office, offer and team in one query, persons in one,
    /// assignments with their staff's names in one; read as plain rows (issue 12). With `ids` (the
    /// cases the query selects, when known before), the three are read side by side: every request
    /// about one case resolves it here first.
    static func fullRecords(_ query: QueryBuilder<CaseModel>, ids known: [UUID]? = nil,
                            on db: any Database) async throws -> [(record: CaseRecord, sortName: String)] {
        try await fullRecords(ids: known, on: db) { try await recordQuery(query).sqlRows() }
    }

    /// The cases `query` selects with the names of youth office, offer and team: the rows `fullRecords` reads.
    private static func recordQuery(_ query: QueryBuilder<CaseModel>) -> QueryBuilder<CaseModel> {
        query
            .join(YouthOfficeModel.self, on: \CaseModel.$youthOffice.$id == \YouthOfficeModel.$id)
            .join(OfferModel.self, on: \CaseModel.$offer.$id == \OfferModel.$id)
            .join(TeamModel.self, on: \CaseModel.$team.$id == \TeamModel.$id)
            .fields(recordFields)
    }

    /// `fullRecords` of the case rows `read` returns.
    private static func fullRecords(ids known: [UUID]?, on db: any Database,
                                    read: () async throws -> [any SQLRow]) async throws -> [(record: CaseRecord, sortName: String)] {
        async let knownPeople = people(of: known ?? [], on: db)
        let rows = try await read()
        var cases: [(id: UUID, row: any SQLRow)] = []
        for row in rows {
            if let id = try? row.value("cases_id", as: UUID.self) { cases.append((id, row)) }
        }
        var (persons, assignments) = try await knownPeople
        if known == nil {
            for chunk in cases.map(\.id).chunked(1_000) {
                let (chunkPersons, chunkAssignments) = try await people(of: Array(chunk), on: db)
                persons.merge(chunkPersons) { $1 }
                assignments.merge(chunkAssignments) { $1 }
            }
        }
        let order: [AssignmentRole] = [.lead, .coWorker, .substitute]
        // Every full record read is a read of the case by the request (R31); `ReadAuditMiddleware` writes it.
        CaseReads.note(cases.map(\.id))
        return cases.compactMap { id, row in
            func column<T: Decodable>(_ name: String, _ type: T.Type) -> T? { try? row.value(name, as: T.self) }
            func optional(_ name: String) -> String? { column(name, String?.self) ?? nil }
            guard let start = column("cases_start_date", String.self).flatMap(Day.init(iso:)),
                  let office = column("cases_youth_office_id", UUID.self), let offer = column("cases_offer_id", UUID.self),
                  let team = column("cases_team_id", UUID.self) else { return nil }
            let people = (persons[id] ?? []).sorted { $0.position < $1.position }
            var address: Address?
            if let street = optional("cases_family_street"), let postal = optional("cases_family_postal_code"), let city = optional("cases_family_city") {
                address = Address(street: street, postalCode: postal, city: city)
            }
            let record = CaseRecord(
                id: id, fileNumber: column("cases_file_number", String.self) ?? "",
                youngPerson: people.first { $0.role == "youngPerson" }?.person ?? Person(firstName: "?", lastName: "?"),
                guardians: people.filter { $0.role == "guardian" }.map(\.person),
                youthOfficeID: office, youthOfficeName: column("youth_offices_name", String.self) ?? "",
                offerID: offer, offerName: column("offers_name", String.self) ?? "",
                teamID: team, teamName: column("teams_name", String.self) ?? "",
                startDate: start, endDate: optional("cases_end_date").flatMap(Day.init(iso:)),
                endReason: optional("cases_end_reason").flatMap(EndReason.init(rawValue:)),
                youthOfficeCaseworker: optional("cases_youth_office_caseworker"),
                youthOfficeCaseworkerPhone: optional("cases_youth_office_caseworker_phone"),
                familyAddress: address,
                assignments: (assignments[id] ?? []).sorted { order.firstIndex(of: $0.role)! < order.firstIndex(of: $1.role)! },
                blockedOn: optional("cases_blocked_on").flatMap(Day.init(iso:)))
            return (record, column("cases_sort_name", String.self) ?? "")
        }
    }

    /// The heads of the cases a list covers: only the columns that decide deadlines, alerts and budget
    /// (dates, end reason, youth office, offer, team, file number), in list order. Persons, staff and
    /// names stay empty: a head is never shown and never decides access. Management's lists compute
    /// over every head and load full records only for the page they show (issue 12).
    static func heads(_ filter: CaseFilter = CaseFilter(), visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> [CaseRecord] {
        try await headsAndKept(filter, visibleTo: viewer, today: today, on: db).heads
    }

    /// `heads`, and with them the last contact and no-show streak kept beside each case
    /// (`BilledMinutes`), read in the same query for the summaries of a list, and the versions of what
    /// each case's summary is made of where the database keeps them (`WorkVersions`, SQLite).
    static func headsAndKept(_ filter: CaseFilter = CaseFilter(), visibleTo viewer: Viewer, today: Day,
                             on db: any Database) async throws -> (heads: [CaseRecord], kept: [UUID: KeptContact], stamps: WorkStamps?) {
        guard let selection = CaseSelection(filter, visibleTo: viewer, today: today) else { return ([], [:], nil) }
        // The versions and the generation in the same statement as the cases: what is computed from the
        // reads after it is never older than they are.
        let stamped = CaseWorkCache.serving(db) != nil
        // Read as plain rows of a statement kept per shape: even a model with few fields selected costs
        // Fluent a pass over all its properties (children too) per row, half of everyone's deadlines in the
        // profile, and building the query was a share of every caseworker's alert list (issue 12).
        let rows = try await selection.rows(stamped ? "caseHeadsStamped" : "caseHeads", on: db) { query, _ in
            let fields = query.field(\.$id).field(\.$fileNumber).field(\.$youthOffice.$id).field(\.$offer.$id).field(\.$team.$id)
                .field(\.$startDate).field(\.$endDate).field(\.$endReason).field(\.$lastContact).field(\.$noShowStreak)
            return (stamped ? fields.fields(WorkVersions.listFields) : fields).sort(\.$sortName).sort(\.$id)
        }
        var kept: [UUID: KeptContact] = [:]
        var reader = WorkStamps.Reader()
        let heads = rows.compactMap { row -> CaseRecord? in
            func column<T: Decodable>(_ name: String, _ type: T.Type) -> T? { try? row.value("cases_\(name)", as: T.self) }
            guard let id = column("id", UUID.self), let start = column("start_date", String.self).flatMap(Day.init(iso:)),
                  let fileNumber = column("file_number", String.self), let office = column("youth_office_id", UUID.self),
                  let offer = column("offer_id", UUID.self), let team = column("team_id", UUID.self) else { return nil }
            kept[id] = try? KeptContact(row: row, prefix: "cases_")
            if stamped { reader.read(id, in: row) }
            return CaseRecord(
                id: id, fileNumber: fileNumber, youngPerson: Person(firstName: "", lastName: ""), guardians: [],
                youthOfficeID: office, youthOfficeName: "", offerID: offer, offerName: "", teamID: team, teamName: "", startDate: start,
                endDate: column("end_date", String?.self).flatMap { $0 }.flatMap(Day.init(iso:)),
                endReason: column("end_reason", String?.self).flatMap { $0 }.flatMap(EndReason.init(rawValue:)), youthOfficeCaseworker: nil,
                youthOfficeCaseworkerPhone: nil, familyAddress: nil, assignments: [])
        }
        return (heads, kept, reader.stamps)
    }

    /// `cases.work_version` (`WorkVersions`), selected beside a model's fields.
    static let workVersionField = DatabaseQuery.Field.extendedPath(["work_version"], schema: CaseModel.schema, space: nil)

    /// Full records of these cases, in the order given (the page of a list computed over heads).
    static func records(ids: [UUID], stamps: WorkStamps? = nil, on db: any Database) async throws -> [CaseRecord] {
        let byID = try await fullRecords(ids: ids, stamps: stamps, on: db)
        return ids.compactMap { byID[$0]?.record }
    }

    /// Full records of these cases with their sort names. With `stamps` (read with the cases), records the
    /// cache keeps from the same record versions are reused (decisions 0028, 0036); every record returned is noted as
    /// read by the request (R31), reused or not.
    /// `loading` reads the records the cache does not keep (default: their rows by id).
    static func fullRecords(ids: [UUID], stamps: WorkStamps?, on db: any Database,
                            loading: (@Sendable ([UUID]) async throws -> [(record: CaseRecord, sortName: String)])? = nil)
        async throws -> [UUID: (record: CaseRecord, sortName: String)] {
        @Sendable func read(_ ids: [UUID]) async throws -> [UUID: CaseRecordWithSortName] {
            var found: [UUID: CaseRecordWithSortName] = [:]
            for chunk in ids.chunked(1_000) {
                let loaded = if let loading { try await loading(Array(chunk)) } else {
                    try await fullRecords(CaseModel.query(on: db).filter(\.$id ~~ Array(chunk)), ids: Array(chunk), on: db)
                }
                for (record, sortName) in loaded { found[record.id] = CaseRecordWithSortName(record: record, sortName: sortName) }
            }
            return found
        }
        let found: [UUID: CaseRecordWithSortName]
        if let stamps, let cache = CaseWorkCache.serving(db) {
            found = try await cache.records.reusing(ids, key: { $0 }, stamp: { stamps.recordStamp($0) }, same: ==) { missing in
                try await read(missing)
            }
            // A reused record is read by the request as much as a loaded one (R31); `fullRecords` notes those it loads.
            CaseReads.note(ids.filter { found[$0] != nil })
        } else {
            found = try await read(ids)
        }
        return found.mapValues { ($0.record, $0.sortName) }
    }

    /// The query of one page, sorted, one row more than the page to know whether another follows;
    /// nil when the page is certainly empty. The query-plan tests read its plan.
    static func pageQuery(_ filter: CaseFilter, limit: Int?, after cursor: CaseSearch.Cursor?, visibleTo viewer: Viewer, today: Day,
                          on db: any Database) async throws -> QueryBuilder<CaseModel>? {
        guard let query = try await visibleQuery(filter, visibleTo: viewer, today: today, on: db) else { return nil }
        guard let cursor else { return paged(query, limit: limit, after: nil) }
        guard let id = UUID(uuidString: cursor.id) else { return nil }
        return paged(query, limit: limit, after: (cursor.sortName, id))
    }

    /// `query` sorted by name, from after the case `after` (its sort name and id) on, one row more than `limit`.
    static func paged(_ query: QueryBuilder<CaseModel>, limit: Int?, after: (sortName: String, id: UUID)?) -> QueryBuilder<CaseModel> {
        var query = query
        if let after {
            // A row-value comparison: both databases read the (sort_name, id) index from this point on;
            // the same condition spelled with OR makes PostgreSQL sort every row after it.
            query = query.filter(.sql(embed: "(\(ident: CaseModel.schema).\(ident: "sort_name"), \(ident: CaseModel.schema).\(ident: "id")) > (\(bind: after.sortName), \(bind: after.id))"))
        }
        query = query.sort(\.$sortName).sort(\.$id)
        if let limit { query = query.limit(limit + 1) }
        return query
    }

    /// How many cases a list has in all (one SQL count).
    public static func count(_ filter: CaseFilter = CaseFilter(), visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> Int {
        try await visibleQuery(filter, visibleTo: viewer, today: today, on: db)?.count() ?? 0
    }

    /// The query of the cases a viewer may see with the filter applied, unsorted; nil when it is
    /// certainly empty (a caseworker without cases).
    static func visibleQuery(_ filter: CaseFilter, visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> QueryBuilder<CaseModel>? {
        CaseSelection(filter, visibleTo: viewer, today: today)?.query(on: db)
    }

    public static func get(_ id: UUID, visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> (CaseRecord, CaseAccess) {
        let record = try await get(id, on: db)
        let access = record.access(for: viewer, today: today)
        guard access > .none else { throw RecordNotFound(entity: entity) }
        return (record.seen(with: access), access)
    }

    static func get(_ id: UUID, on db: any Database) async throws -> CaseRecord {
        guard let record = try await find(id, on: db) else { throw RecordNotFound(entity: entity) }
        return record
    }

    /// The case's full record; nil when there is no such case.
    static func find(_ id: UUID, on db: any Database) async throws -> CaseRecord? {
        guard CaseWorkCache.serving(db) != nil else {
            return try await fullRecords(ids: [id], on: db) {
                try await KeptStatement.rows("caseRecord", [.id(id)], on: db) { values in
                    recordQuery(CaseModel.query(on: db).filter(\.$id == values[0].id)).plainStatement
                }
            }.first?.record
        }
        // The case's row with its version and the generation; its persons and staff only when the cache
        // keeps no record of this record version (decisions 0028, 0031, 0036): every request about a case reads it
        // first, and an entry written to the case moves its work version but not its record's.
        let rows = try await KeptStatement.rows("caseRecordStamped", [.id(id)], on: db) { values in
            recordQuery(CaseModel.query(on: db).filter(\.$id == values[0].id)).fields(WorkVersions.listFields).plainStatement
        }
        guard let row = rows.first else { return nil }
        var reader = WorkStamps.Reader()
        reader.read(id, in: row)
        let stamps = reader.stamps
        return try await fullRecords(ids: [id], stamps: stamps, on: db) { _ in try await fullRecords(ids: [id], on: db) { rows } }[id]?.record
    }

    /// The cases `staffID` works on `today` (an ISO date): `Assignment.isActive(on:)` in SQL (ISO dates compare as text),
    /// through the assignments' index on the staff member. A subquery of the list's own statement: read
    /// first as a list of ids, it was a statement more, with every id bound, on every caseworker's start
    /// page (PostgreSQL parses and plans each statement; issue 12, decision 0033).
    static func worksOn(_ staffID: UUID, today: String) -> DatabaseQuery.Filter {
        .sql(embed: """
            \(ident: CaseModel.schema).\(ident: "id") IN (SELECT \(ident: "case_id") FROM \(ident: CaseAssignmentModel.schema) \
            WHERE \(ident: "staff_id") = \(bind: staffID) \
            AND (\(ident: "from_date") IS NULL OR \(ident: "from_date") <= \(bind: today)) \
            AND (\(ident: "to_date") IS NULL OR \(ident: "to_date") >= \(bind: today)))
            """)
    }

    /// A case draft as checked against the master data: youth office, offer, lead, co-workers, the
    /// typed fields, and a file number no other case of the youth office has.
    struct CheckedDraft {
        let officeID: UUID
        let offerID: UUID
        let lead: StaffModel
        let leadID: UUID
        let coWorkers: [UUID]
        let input: CaseInput.Checked
        let exceptionReason: String?
    }

    /// Checks `draft` into `v`; nil when something is wrong (the errors are in `v`). `caseID` is the case
    /// being corrected, left out of the file number check.
    static func validated(_ draft: CaseDraft, excluding caseID: UUID?, today: Day, into v: inout Validator, on db: any Database) async throws -> CheckedDraft? {
        let officeID = v.id(draft.youthOfficeId, "youthOfficeId", label: "das Jugendamt")
        if let officeID, !(try await YouthOfficeModel.exists(officeID, on: db)) { v.add("youthOfficeId", "Dieses Jugendamt ist unbekannt.") }
        let offerID = v.id(draft.offerId, "offerId", label: "das Angebot")
        if let offerID, !(try await OfferModel.exists(offerID, on: db)) { v.add("offerId", "Dieses Angebot ist unbekannt.") }
        let leadID = v.id(draft.leadStaffId, "leadStaffId", label: "die Bezugsbetreuung")
        var lead: StaffModel?
        if let leadID {
            lead = try await StaffModel.find(leadID, on: db)
            if lead == nil { v.add("leadStaffId", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.") }
        }
        var coWorkers: [UUID] = []
        let wanted = draft.coWorkerIds.enumerated().compactMap { index, raw in v.id(raw, "coWorkerIds[\(index)]", label: "die Co-Betreuung").map { (index, $0) } }
        // One query for all co-workers, not one per person.
        let known = wanted.isEmpty ? Set<UUID>() : Set(try await StaffModel.query(on: db).filter(\.$id ~~ wanted.map(\.1)).all().compactMap(\.id))
        for (index, id) in wanted {
            if !known.contains(id) { v.add("coWorkerIds[\(index)]", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.") }
            else if id != leadID, !coWorkers.contains(id) { coWorkers.append(id) }
        }
        let checked = draft.input.validated(into: &v, today: today)
        let reason = v.optional(draft.exceptionReason, "exceptionReason", label: "den Grund der Ausnahme", maxLength: 500)
        if let reason, reason.count < 10 { v.add("exceptionReason", "Bitte den Grund der Ausnahme in einem Satz angeben (mindestens 10 Zeichen).") }
        if let lead, let leadID, let offerID, !v.has("offerId"), !v.has("exceptionReason") {
            // R25, R26: induction for a new lead; qualification and load for everyone new on the case.
            var current: [CaseAssignmentModel] = []
            if let caseID {
                current = try await CaseAssignmentModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$toDate == nil).all()
                    .filter { $0.role != AssignmentRole.substitute.rawValue }
            }
            let onCase = Set(current.map { $0.$staff.id })
            let newLead = !current.contains { $0.$staff.id == leadID && $0.role == AssignmentRole.lead.rawValue }
            let coWorkerModels = wanted.isEmpty ? [] : try await StaffModel.query(on: db).filter(\.$id ~~ wanted.map(\.1)).all()
            let byID = Dictionary(uniqueKeysWithValues: coWorkerModels.compactMap { m in m.id.map { ($0, m) } })
            let coWorkerFields = wanted.compactMap { index, id in id == leadID ? nil : byID[id].map { (field: "coWorkerIds[\(index)]", staff: $0) } }
            var added = draft.plannedWeeklyMinutes
            if let caseID { added = try await StaffingStore.caseWeeklyMinutes(caseID, on: today, on: db) }
            try await StaffingStore.assignmentErrors(lead: lead, leadField: "leadStaffId", newLead: newLead, coWorkers: coWorkerFields,
                                                     newlyAssigned: Set(([leadID] + coWorkerFields.map { $0.staff.id! }).filter { !onCase.contains($0) }),
                                                     offerID: offerID, addedWeeklyMinutes: added, exceptionReason: reason, caseID: caseID,
                                                     startsOn: max(today, checked?.startDate ?? today), today: today, into: &v, on: db)
        }
        if let officeID, let checked {
            var query = CaseModel.query(on: db).filter(\.$youthOffice.$id == officeID).filter(\.$fileNumber == checked.fileNumber)
            if let caseID { query = query.filter(\.$id != caseID) }
            if try await query.count() > 0 { v.add("fileNumber", "Dieses Aktenzeichen gibt es bei diesem Jugendamt schon.") }
        }
        guard let officeID, let offerID, let lead, let leadID, let checked, v.errors.isEmpty else { return nil }
        return CheckedDraft(officeID: officeID, offerID: offerID, lead: lead, leadID: leadID, coWorkers: coWorkers, input: checked,
                            exceptionReason: reason)
    }

    /// Sets the columns lists sort and search by (issue 12) from the case's file number and persons.
    static func setSearchColumns(_ model: CaseModel, _ input: CaseInput.Checked) {
        model.sortName = CaseSearch.sortName(lastName: input.youngPerson.lastName, firstName: input.youngPerson.firstName)
        model.searchText = CaseSearch.text(fileNumber: input.fileNumber, names: ([input.youngPerson] + input.guardians).map(\.fullName))
    }

    /// Writes the young person and guardians of a case in their order.
    static func createPersons(_ input: CaseInput.Checked, caseID: UUID, on db: any Database) async throws {
        for (position, (person, role)) in ([(input.youngPerson, "youngPerson")] + input.guardians.map { ($0, "guardian") }).enumerated() {
            let row = CasePersonModel()
            row.$case.id = caseID
            row.role = role
            row.position = position
            row.firstName = person.firstName
            row.lastName = person.lastName
            row.birthDate = person.birthDate?.iso
            row.relation = person.relation
            row.phone = person.phone
            try await row.create(on: db)
        }
    }

    @discardableResult
    public static func create(_ draft: CaseDraft, context: WriteContext, today: Day, on db: any Database) async throws -> UUID {
        try await db.writeTransaction { db in
            var v = Validator()
            let draft = try await validated(draft, excluding: nil, today: today, into: &v, on: db)
            try v.finish()
            guard let draft else { throw ValidationFailure(v.errors) }
            let checked = draft.input

            let model = CaseModel()
            model.fileNumber = checked.fileNumber
            setSearchColumns(model, checked)
            model.$youthOffice.id = draft.officeID
            model.$offer.id = draft.offerID
            model.$team.id = draft.lead.$team.id
            model.startDate = checked.startDate.iso
            model.youthOfficeCaseworker = checked.youthOfficeCaseworker
            model.youthOfficeCaseworkerPhone = checked.youthOfficeCaseworkerPhone
            setFamilyAddress(model, checked.familyAddress)
            try await model.create(on: db)
            let caseID = try model.requireID()
            try await createPersons(checked, caseID: caseID, on: db)
            for (staffID, role) in [(draft.leadID, AssignmentRole.lead)] + draft.coWorkers.map({ ($0, AssignmentRole.coWorker) }) {
                let row = CaseAssignmentModel()
                row.$case.id = caseID
                row.$staff.id = staffID
                row.role = role.rawValue
                row.exceptionReason = draft.exceptionReason
                try await row.create(on: db)
            }
            // The log names the case and what changed, not the family's data.
            var changes = ["fileNumber": AuditChange(from: nil, to: checked.fileNumber),
                           "startDate": AuditChange(from: nil, to: checked.startDate.iso)]
            if let reason = draft.exceptionReason { changes["exceptionReason"] = AuditChange(from: nil, to: reason) }
            try await AuditLog.record(.create, entity: entity, id: caseID, changes: changes, by: context.actor, at: context.now, on: db)
            return caseID
        }
    }

    /// Adds a substitute for a date range (R27); they see the case only within it.
    public static func addSubstitute(caseID: UUID, staffID: String?, from: String?, to: String?, context: WriteContext, on db: any Database) async throws {
        try await db.writeTransaction { db in
            _ = try await CaseModel.require(caseID, entity: entity, on: db)
            var v = Validator()
            let staff = v.id(staffID, "staffId", label: "die Vertretung")
            if let staff, !(try await StaffModel.exists(staff, on: db)) { v.add("staffId", "Diese Mitarbeiterin / dieser Mitarbeiter ist unbekannt.") }
            let fromDay = v.day(from, "from", label: "den Beginn der Vertretung")
            let toDay = v.day(to, "to", label: "das Ende der Vertretung")
            if let fromDay, let toDay, toDay < fromDay { v.add("to", "Das Ende der Vertretung darf nicht vor ihrem Beginn liegen.") }
            // Issue 16: no substitution that starts after the substitute's last working day.
            if let staff, let fromDay, !v.has("staffId"), let model = try await StaffModel.find(staff, on: db),
               let refusal = Leaving.refusal(name: "\(model.firstName) \(model.lastName)", leavingDate: model.leavingDate.flatMap(Day.init(iso:)), from: fromDay) {
                v.add("staffId", refusal)
            }
            try v.finish()
            let row = CaseAssignmentModel()
            row.$case.id = caseID
            row.$staff.id = staff!
            row.role = AssignmentRole.substitute.rawValue
            row.fromDate = fromDay?.iso
            row.toDate = toDay?.iso
            try await row.create(on: db)
            try await AuditLog.record(.update, entity: entity, id: caseID,
                                      changes: ["substitute": AuditChange(from: nil, to: "\(staff!.uuidString) \(fromDay!.iso)–\(toDay!.iso)")],
                                      by: context.actor, at: context.now, on: db)
        }
    }


    /// The case whose family address the viewer may read and change: full access only (accounting
    /// sees the case, not where the family lives). One check for the page and the API.
    public static func familyAddressCase(_ caseID: UUID, viewer: Viewer, today: Day, on db: any Database) async throws -> CaseRecord {
        let (record, access) = try await get(caseID, visibleTo: viewer, today: today, on: db)
        guard access == .full else { throw NotAllowed("Die Anschrift der Familie ändert, wer im Fall arbeitet.") }
        return record
    }

    static func familyAddress(_ model: CaseModel) -> Address? {
        guard let street = model.familyStreet, let postal = model.familyPostalCode, let city = model.familyCity else { return nil }
        return Address(street: street, postalCode: postal, city: city)
    }

    static func setFamilyAddress(_ model: CaseModel, _ address: Address?) {
        (model.familyStreet, model.familyPostalCode, model.familyCity) = (address?.street, address?.postalCode, address?.city)
    }

    /// Changes the family's address (home visits); whoever may record work on the case. Audited
    /// without its content.
    public static func updateFamilyAddress(caseID: UUID, _ input: AddressInput, viewer: Viewer, context: WriteContext, today: Day,
                                           on db: any Database) async throws {
        _ = try await familyAddressCase(caseID, viewer: viewer, today: today, on: db)
        var v = Validator()
        let address = input.validatedIfGiven(into: &v, prefix: "familyAddress.")
        try v.finish()
        try await db.writeTransaction { db in
            guard let model = try await CaseModel.find(caseID, on: db) else { throw RecordNotFound(entity: entity) }
            setFamilyAddress(model, address)
            try await model.update(on: db)
            try await AuditLog.record(.update, entity: entity, id: caseID,
                                      changes: ["familyAddress": AuditChange(from: nil, to: address == nil ? "entfernt" : "geändert")],
                                      by: context.actor, at: context.now, on: db)
        }
    }
}
