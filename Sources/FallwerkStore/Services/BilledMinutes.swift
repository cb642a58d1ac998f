import FallwerkDomain
import Fluent
import FluentSQL
import FluentSQLiteDriver
import Foundation

/// Keeps each entry's billed minutes (its billable minutes after the budget, R9) and billed travel
/// (R10: once per home visit, none while the visit is over budget) stored beside it, so that a month's
/// billing is one SQL aggregate however many cases there are (R14 at scale). The ledger decides both.
///
/// The budget of a window is consumed in the order of the work, and a visit's travel depends on the
/// other staff's entries of the day, so one change can move later entries of its window over or back
/// under the budget. Windows do not share budget (R9): a change of entries refreshes the windows from
/// the changed day on (`refresh(caseID:changedOn:)`, issue 12); a change of approvals, increases or
/// agreements refreshes the whole case. Always inside the writing transaction.
public enum BilledMinutes {
    /// How far before the first changed day an entry refresh reads, so that the latest contact and the
    /// end of a no-show streak (R7a, R12) are almost always among the entries it reads anyway.
    public static let tailDays = 92

    /// What a refresh of one case reads before its entries: the case's offer, youth office and kept
    /// contact, and its approvals. Read before the entry is written, side by side with the write's checks.
    struct Basis: Sendable {
        let officeID: UUID
        let offerID: UUID
        let kept: KeptContact
        let approvals: [ApprovalModel]
    }

    /// The case's kept columns (one plain row; every entry write passes here) and its approvals, read side by side.
    static func basis(of caseID: UUID, on db: any Database) async throws -> Basis? {
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        let (rows, approvals) = try await db.sideBySide({
            try await sql.plainRows("""
                SELECT youth_office_id, offer_id, last_contact, no_show_streak FROM cases WHERE id = \(bind: caseID)
                """ as SQLQueryString)
        }, {
            try await CaseWorkStore.approvals(of: [caseID], on: db)
        })
        guard let row = rows.first else { return nil }
        return Basis(officeID: try row.value("youth_office_id", as: UUID.self), offerID: try row.value("offer_id", as: UUID.self),
                     kept: try KeptContact(row: row), approvals: approvals)
    }

    /// After entries of one case changed on `days` (old and new days of a moved entry): recounts the
    /// budget windows from the first changed day on, and the case's last contact and no-show streak.
    /// Reads the entries from a little before that day (`readFrom`), not the case's whole history; where those do
    /// not decide the last contact or the streak, it refreshes the whole case. Equal to `refresh(caseIDs:)`
    /// (tested against it).
    /// `book` and `basis` are the case's youth office's settings and what `basis(of:on:)` reads, when the
    /// caller has them already (an entry write reads them beside its checks).
    ///
    /// Reads that do not depend on one another, and writes to different rows, run side by side on the
    /// transaction's connection (issue 12: inside SQLite's single writer every round trip to the database
    /// thread delays every other write; SQLite serialises them on the connection, PostgreSQL queues them).
    public static func refresh(caseID: UUID, changedOn days: [Day], tailDays: Int = tailDays, book given: SettingsBook? = nil,
                               on db: any Database) async throws {
        try await refresh(caseID: caseID, changedOn: days, tailDays: tailDays, book: given, basis: nil, on: db)
    }

    static func refresh(caseID: UUID, changedOn days: [Day], tailDays: Int = tailDays, book given: SettingsBook?, basis known: Basis?,
                        on db: any Database) async throws {
        guard let recount = try await recount(caseID: caseID, changedOn: days, tailDays: tailDays, book: given, basis: known, on: db) else { return }
        try await write(recount, on: db)
    }

    /// What a recount of one case after its entries changed from some day on reads: the entries and
    /// stored windows from the start of the window that holds the tail's first day (every window read is
    /// read whole), with the case's basis and settings. `write` writes what it counts.
    struct Recount: Sendable {
        let caseID: UUID
        let basis: Basis
        let book: SettingsBook
        let budget: [Approval]
        let start: Day
        let rows: [LedgerRow]
        let stored: [CaseBudgetWindowModel]
    }

    /// What `write` changed: nothing, some of the case's stored values, or the whole case (recounted
    /// from all its entries, where the recent ones did not decide its last contact or streak).
    enum Written: Equatable {
        case nothing, changes, wholeCase
    }

    /// `refresh`, answering what it wrote (debug builds: a recount from reads made ahead of the writer must
    /// leave nothing for this one to write).
    static func refreshed(caseID: UUID, changedOn days: [Day], on db: any Database) async throws -> Written {
        guard let recount = try await recount(caseID: caseID, changedOn: days, book: nil, basis: nil, on: db) else { return .nothing }
        return try await write(recount, on: db)
    }

    /// Reads what a recount after entries of one case changed on `days` needs; nil for no day or no case.
    static func recount(caseID: UUID, changedOn days: [Day], tailDays: Int = tailDays, book given: SettingsBook?, basis known: Basis?,
                        on db: any Database) async throws -> Recount? {
        guard let first = days.min() else { return nil }
        var basis = known
        if basis == nil { basis = try await Self.basis(of: caseID, on: db) }
        guard let basis else { return nil }
        let offerID = basis.offerID
        let book: SettingsBook
        if let given { book = given } else {
            book = try await SettingsBook.load(youthOfficeIDs: [basis.officeID], on: db)[basis.officeID]
                ?? SettingsBook(agreements: [], offerOnboardingMinutes: [:])
        }
        let budget = basis.approvals.compactMap { CaseWorkStore.approval(from: $0, book: book, offerID: offerID)?.domain }
        // From the case's kept last contact where that lies within the tail, otherwise from the tail, and
        // never after the first changed day; then from the start of the window that holds that day: every
        // window read is read whole.
        let from = min(first, readFrom(lastContact: basis.kept.lastContact, tail: first.adding(days: -tailDays)))
        let start = budget.flatMap(\.windows).first(where: { $0.from <= from && from <= $0.to })?.from ?? from
        let (entryRows, stored) = try await db.sideBySide({
            try await ledgerRows("case_id = \(bind: caseID) AND date >= \(bind: start.iso)", on: db)
        }, {
            try await storedWindows(of: caseID, from: start, on: db)
        })
        return Recount(caseID: caseID, basis: basis, book: book, budget: budget, start: start, rows: entryRows, stored: stored)
    }

    /// Where a recount's entries can start for the last contact and streak: the kept last contact, when it
    /// lies within the tail, else the tail's first day. Whatever day the read starts on, `write` keeps a
    /// result only where the entries read decide the last contact and the streak (`Alerts.decidedByRecent`:
    /// a contact among them means the latest is among them) and otherwise recounts the whole case, so a
    /// stale kept value costs time, never correctness. A caseworker's entries follow the last contact by
    /// days: an entry write read three months of its case's entries for what the last few decide (issue 12).
    static func readFrom(lastContact kept: String?, tail: Day) -> Day {
        guard let kept = kept.flatMap(Day.init(iso:)) else { return tail }
        return max(kept, tail)
    }

    /// Counts what `recount` read, with `added` (entries written since it was read, from its start on),
    /// and writes the windows, billed values, last contact and streak that changed.
    @discardableResult
    static func write(_ recount: Recount, adding added: [LedgerRow] = [], on db: any Database) async throws -> Written {
        try await apply(plan(recount, adding: added), on: db)
    }

    /// What `write` writes for a recount: decided from what the recount read alone, so an entry write
    /// decides it ahead of SQLite's writer, with its other reads (decision 0033).
    struct Plan: Sendable {
        let caseID: UUID
        /// nil where the recent entries do not decide the last contact or the streak: the whole case is recounted.
        let changes: Changes?

        struct Changes: Sendable {
            /// The last contact to keep, where it (or a streak the recent entries ended) changed.
            let lastContact: Day?
            let windows: WindowChanges
            let billed: [Billed: [UUID]]
        }
    }

    /// `write`'s decision for `recount` with `added`.
    static func plan(_ recount: Recount, adding added: [LedgerRow] = []) -> Plan {
        let rows = recount.rows + added, book = recount.book, offerID = recount.basis.offerID
        let records = rows.map(\.record)
        // Where older entries could change the last contact or the streak, count the whole case.
        guard let lastContact = Alerts.decidedByRecent(records.map(\.facts), settings: { day in
            book.settings(on: day, offerID: offerID)
        }) else {
            return Plan(caseID: recount.caseID, changes: nil)
        }
        let ledger = BudgetLedger(approvals: recount.budget, entries: records.map(\.ledgerEntry))
        let windows = ledger.windows.filter { $0.from >= recount.start }, kept = recount.basis.kept
        let contactChanged = kept.lastContact != lastContact.iso || (kept.streak ?? "") != ""
        return Plan(caseID: recount.caseID, changes: Plan.Changes(
            lastContact: contactChanged ? lastContact : nil, windows: windowChanges(windows, stored: recount.stored),
            billed: billedChanges([(rows, ledger)])))
    }

    /// Writes what `plan` decided.
    @discardableResult
    static func apply(_ plan: Plan, on db: any Database) async throws -> Written {
        // As Fluent's update stamps the entries it changes: the wall clock, where no request gave a time.
        try await PlannedWrite(plan, for: db, at: Date()).run(on: db)
    }

    /// What `apply` writes for a plan, as statements built ahead of the transaction they run in (decision 0035).
    struct PlannedWrite: Sendable {
        let caseID: UUID
        /// nil where the plan recounts the whole case.
        let statements: [PlannedStatement]?

        /// The statements for `db`'s dialect; `now`: the changed entries' `updated_at`.
        init(_ plan: Plan, for db: any Database, at now: Date) throws {
            caseID = plan.caseID
            guard let changes = plan.changes else {
                statements = nil
                return
            }
            var statements: [PlannedStatement] = []
            if let lastContact = changes.lastContact {
                // A streak the recent entries ended, or a newer contact.
                statements.append(try CaseModel.query(on: db).filter(\.$id == plan.caseID)
                    .settingKept(lastContact: lastContact.iso, streak: "").planned(.update))
            }
            statements += try windowStatements(changes.windows, of: plan.caseID, for: db)
            statements += try billedStatements(changes.billed, for: db, at: now)
            self.statements = statements
        }

        /// Runs them in the write transaction `db`, or recounts the whole case.
        @discardableResult
        func run(on db: any Database) async throws -> Written {
            guard let statements else {
                try await refresh(caseIDs: [caseID], on: db)
                return .wholeCase
            }
            try await statements.run(on: db)
            return statements.isEmpty ? .nothing : .changes
        }
    }

    /// The case's stored windows from `start` on.
    static func storedWindows(of caseID: UUID, from start: Day, on db: any Database) async throws -> [CaseBudgetWindowModel] {
        try CaseBudgetWindowModel.fromRows(try await KeptStatement.rows("storedWindows", [.id(caseID), .text(start.iso)], on: db) { values in
            CaseBudgetWindowModel.query(on: db).filter(\.$caseID == values[0].id).filter(\.$fromDate >= values[1].text)
                .fields(for: CaseBudgetWindowModel.self).plainStatement
        })
    }

    /// Makes the case's stored windows from `start` on equal `windows`, writing only the rows that differ:
    /// an entry changes one window, and deleting and inserting every window of the tail was a quarter of
    /// every entry write (issue 12). Rows that no longer match are rewritten in place, then deleted or
    /// added for the difference in number.
    static func keep(windows: [BudgetStatus], of caseID: UUID, from start: Day, on db: any Database) async throws {
        try await keep(windows: windows, stored: try await storedWindows(of: caseID, from: start, on: db), of: caseID, on: db)
    }

    /// `keep`, with the stored windows from the same day on already read; whether it wrote any.
    @discardableResult
    static func keep(windows: [BudgetStatus], stored: [CaseBudgetWindowModel], of caseID: UUID, on db: any Database) async throws -> Bool {
        try await apply(windowChanges(windows, stored: stored), of: caseID, on: db)
    }

    /// How stored windows become `windows`: rows that no longer match rewritten in place, then deleted or
    /// added for the difference in number.
    struct WindowChanges: Sendable {
        var rewritten: [(id: UUID, window: BudgetStatus)] = []
        var surplus: [UUID] = []
        var added: [BudgetStatus] = []
    }

    static func windowChanges(_ windows: [BudgetStatus], stored: [CaseBudgetWindowModel]) -> WindowChanges {
        var wanted = windows
        var stale: [CaseBudgetWindowModel] = []
        for model in stored {
            if let status = model.status, let index = wanted.firstIndex(of: status) { wanted.remove(at: index) } else { stale.append(model) }
        }
        var changes = WindowChanges()
        for (model, window) in zip(stale, wanted) {
            if let id = model.id { changes.rewritten.append((id, window)) }
        }
        changes.surplus = stale.dropFirst(wanted.count).compactMap(\.id)
        changes.added = Array(wanted.dropFirst(stale.count))
        return changes
    }

    /// Writes `changes`; whether there were any.
    static func apply(_ changes: WindowChanges, of caseID: UUID, on db: any Database) async throws -> Bool {
        let statements = try windowStatements(changes, of: caseID, for: db)
        try await statements.run(on: db)
        return !statements.isEmpty
    }

    /// The statements that make the stored windows change as `changes` says, for `db`'s dialect.
    static func windowStatements(_ changes: WindowChanges, of caseID: UUID, for db: any Database) throws -> [PlannedStatement] {
        var statements = try changes.rewritten.map { id, window in
            // Every entry write rewrites a window: its text is kept (issue 12).
            let approvalID = window.approvalID.flatMap(UUID.init(uuidString:)), overSince = window.overBudgetSince?.iso
            return try PlannedStatement.kept("windowRewrite", binds: [
                PlannedStatement.optionalField(approvalID), window.from.iso, window.to.iso, window.approvedMinutes, window.usedMinutes,
                window.crisisOverBudgetMinutes, PlannedStatement.optionalField(overSince), id,
            ], for: db) {
                try CaseBudgetWindowModel.query(on: db).filter(\.$id == id)
                    .set(\.$approvalID, to: approvalID).set(\.$fromDate, to: window.from.iso)
                    .set(\.$toDate, to: window.to.iso).set(\.$approvedMinutes, to: window.approvedMinutes).set(\.$usedMinutes, to: window.usedMinutes)
                    .set(\.$crisisOverMinutes, to: window.crisisOverBudgetMinutes).set(\.$overSince, to: overSince)
                    .planned(.update)
            }
        }
        if !changes.surplus.isEmpty { statements.append(try CaseBudgetWindowModel.query(on: db).filter(\.$id ~~ changes.surplus).planned(.delete)) }
        statements += try changes.added.map { try PlannedStatement.insert(CaseBudgetWindowModel(caseID: caseID, $0), for: db) }
        return statements
    }

    /// An entry's billed minutes and travel.
    struct Billed: Hashable, Sendable { let minutes: Int; let travel: Int64 }

    /// The entries whose billed minutes and travel the ledgers change, by their new values.
    static func billedChanges(_ ledgers: [(rows: [LedgerRow], ledger: BudgetLedger)]) -> [Billed: [UUID]] {
        var changed: [Billed: [UUID]] = [:]
        for (rows, ledger) in ledgers {
            for row in rows {
                let id = row.record.id
                let budgeted = ledger.entries[id.idText]
                let billed = Billed(minutes: budgeted?.billableMinutes ?? row.record.count.billableMinutes,
                                    travel: budgeted?.billedTravel.value ?? row.record.count.travel.value)
                guard billed != Billed(minutes: row.billedMinutes, travel: row.billedTravelCents) else { continue }
                changed[billed, default: []].append(id)
            }
        }
        return changed
    }

    /// Writes each entry's billed minutes and travel where the ledger changed them: one UPDATE per pair
    /// of values, not one per entry. Whether it changed any.
    @discardableResult
    static func store(billed changed: [Billed: [UUID]], on db: any Database) async throws -> Bool {
        // As Fluent's update stamps the entries it changes: the wall clock, where no request gave a time.
        try await billedStatements(changed, for: db, at: Date()).run(on: db)
        return !changed.isEmpty
    }

    /// The updates of the entries' billed values `changed` lists, one per value and 500 entries, for `db`'s
    /// dialect; `now`: their `updated_at`.
    static func billedStatements(_ changed: [Billed: [UUID]], for db: any Database, at now: Date) throws -> [PlannedStatement] {
        try changed.flatMap { billed, ids in
            try ids.chunked(500).map { chunk in
                try ServiceEntryModel.query(on: db).filter(\.$id ~~ Array(chunk)).set(\.$billedMinutes, to: billed.minutes)
                    .set(\.$billedTravelCents, to: billed.travel).set(\.$updatedAt, to: now).planned(.update)
            }
        }
    }

    /// Recounts whole cases: every budget window, every entry's billed values, last contact and streak.
    public static func refresh(caseIDs: Set<UUID>, on db: any Database) async throws {
        guard !caseIDs.isEmpty else { return }
        let cases = try await CaseModel.query(on: db).filter(\.$id ~~ caseIDs).all()
        let books = try await SettingsBook.load(youthOfficeIDs: Set(cases.map { $0.$youthOffice.id }), on: db)
        let approvals = Dictionary(grouping: try await ApprovalModel.query(on: db).filter(\.$case.$id ~~ caseIDs).with(\.$increases).all(),
                                   by: { $0.$case.id })
        let entries = Dictionary(grouping: try await ledgerRows("case_id IN (\(binds: Array(caseIDs)))", on: db), by: \.record.caseID)
        var ledgers: [(rows: [LedgerRow], ledger: BudgetLedger)] = []
        var windows: [CaseBudgetWindowModel] = []
        struct Kept: Hashable { let lastContact: String?; let streak: String }
        var keptChanged: [Kept: [UUID]] = [:]
        for model in cases {
            guard let caseID = model.id else { continue }
            let rows = entries[caseID] ?? []
            let book = books[model.$youthOffice.id] ?? SettingsBook(agreements: [], offerOnboardingMinutes: [:])
            let budget = (approvals[caseID] ?? []).compactMap { CaseWorkStore.approval(from: $0, book: book, offerID: model.$offer.id)?.domain }
            let records = rows.map(\.record)
            let ledger = BudgetLedger(approvals: budget, entries: records.map(\.ledgerEntry))
            windows += ledger.windows.map { CaseBudgetWindowModel(caseID: caseID, $0) }
            // What lists show and alert on (R7a, R12), kept with the case so no list reads its entries.
            let lastContact = Alerts.lastContact(records.map(\.facts))?.iso
            let streak = Alerts.noShowStreak(records.map(\.facts).filter { $0.kind.isAppointment }, settings: { [offerID = model.$offer.id] day in
                book.settings(on: day, offerID: offerID)
            }).map(\.iso).joined(separator: ",")
            if model.lastContact != lastContact || (model.noShowStreak ?? "") != streak {
                keptChanged[Kept(lastContact: lastContact, streak: streak), default: []].append(caseID)
            }
            ledgers.append((rows, ledger))
        }
        for (kept, ids) in keptChanged {
            for chunk in ids.chunked(500) {
                try await CaseModel.query(on: db).filter(\.$id ~~ Array(chunk))
                    .settingKept(lastContact: kept.lastContact, streak: kept.streak).update()
            }
        }
        try await CaseBudgetWindowModel.query(on: db).filter(\.$caseID ~~ caseIDs).delete()
        for chunk in windows.chunked(500) { try await Array(chunk).create(on: db) }
        try await store(billed: billedChanges(ledgers), on: db)
    }
}

struct LedgerRowUnreadable: Error {
    let column: String
}

/// An entry as the ledger reads it, with the billed values stored beside it.
struct LedgerRow: Sendable {
    let record: EntryRecord
    let billedMinutes: Int
    let billedTravelCents: Int64
}

extension BilledMinutes {
    /// The entries `condition` selects, with the columns the ledger needs (no note), read as plain rows:
    /// decoding whole Fluent models was a fifth of every entry write (issue 12). Staff names stay empty.
    /// Rows of SQLite's direct connections are read by position (`PositionedColumns`): by name, decoding
    /// them was still a twelfth of an entry write's CPU.
    static func ledgerRows(_ condition: SQLQueryString, on db: any Database) async throws -> [LedgerRow] {
        guard let sql = db as? any SQLDatabase else { throw RawRowsUnsupported() }
        let query: SQLQueryString = "SELECT \(unsafeRaw: LedgerColumn.allCases.map(\.name).joined(separator: ", ")) FROM service_entries WHERE \(condition)"
        let rows = try await sql.plainRows(query)
        guard let positions = PositionedColumns.Positions(of: rows.first) else { return try rows.map { try ledgerRow(NamedColumns(row: $0)) } }
        return try rows.map { row in
            guard let positioned = positions.columns(of: row) else { return try ledgerRow(NamedColumns(row: row)) }
            return try ledgerRow(positioned)
        }
    }

    /// One ledger row, every column decoded strictly: a value that does not decode fails the write, never
    /// counts as 0.
    static func ledgerRow<Columns: LedgerColumns>(_ row: Columns) throws -> LedgerRow {
        func column<T: Decodable>(_ column: LedgerColumn, _ type: T.Type = T.self) throws -> T { try row.value(column, as: T.self) }
        func parsed<T>(_ column: LedgerColumn, _ value: T?) throws -> T {
            guard let value else { throw LedgerRowUnreadable(column: column.name) }
            return value
        }
        let facts = EntryFacts(kind: try parsed(.kind, EntryKind(rawValue: try column(.kind))),
                               date: try parsed(.date, Day(iso: try column(.date))),
                               start: try parsed(.startMinute, TimeOfDay(minuteOfDay: try column(.startMinute))),
                               minutes: try column(.minutes),
                               cancelledBy: try column(.cancelledBy, String?.self).flatMap(CancelledBy.init(rawValue:)),
                               cancelledAt: try column(.cancelledAt, Date?.self),
                               homeVisit: try column(.homeVisit), kilometres: try column(.kilometres, Int?.self))
        let count = EntryCount(billableMinutes: try column(.billableMinutes), budgetMinutes: try column(.budgetMinutes),
                               onboardingMinutes: try column(.onboardingMinutes), travel: Cents(try column(.travelCents, Int64.self)))
        let record = EntryRecord(id: try column(.id), caseID: try column(.caseID), staffID: try column(.staffID), staffName: "–",
                                 facts: facts, groupSessionID: try column(.groupSessionID, UUID?.self), count: count,
                                 createdBy: try column(.createdBy), note: nil, guardianContact: try column(.guardianContact))
        return LedgerRow(record: record, billedMinutes: try column(.billedMinutes), billedTravelCents: try column(.billedTravelCents))
    }
}

/// The columns of `service_entries` the ledger reads, in the order its query selects them.
enum LedgerColumn: Int, CaseIterable {
    case id, caseID, staffID, date, startMinute, minutes, kind, cancelledBy, cancelledAt, homeVisit, kilometres, groupSessionID
    case billableMinutes, budgetMinutes, onboardingMinutes, travelCents, billedMinutes, billedTravelCents, createdBy, guardianContact

    var name: String {
        switch self {
        case .id: "id"
        case .caseID: "case_id"
        case .staffID: "staff_id"
        case .date: "date"
        case .startMinute: "start_minute"
        case .minutes: "minutes"
        case .kind: "kind"
        case .cancelledBy: "cancelled_by"
        case .cancelledAt: "cancelled_at"
        case .homeVisit: "home_visit"
        case .kilometres: "kilometres"
        case .groupSessionID: "group_session_id"
        case .billableMinutes: "billable_minutes"
        case .budgetMinutes: "budget_minutes"
        case .onboardingMinutes: "onboarding_minutes"
        case .travelCents: "travel_cents"
        case .billedMinutes: "billed_minutes"
        case .billedTravelCents: "billed_travel_cents"
        case .createdBy: "created_by"
        case .guardianContact: "guardian_contact"
        }
    }

    /// The names in the order of the cases, as the ledger's query selects them.
    static let names = allCases.map(\.name)
}

/// A row of the ledger's query, read column by column.
protocol LedgerColumns {
    func value<T: Decodable>(_ column: LedgerColumn, as type: T.Type) throws -> T
}

/// Any database's row, read by column name.
struct NamedColumns: LedgerColumns {
    let row: any SQLRow

    func value<T: Decodable>(_ column: LedgerColumn, as type: T.Type) throws -> T { try row.value(column.name, as: T.self) }
}

/// A row of an SQLite direct connection whose columns are the ledger's, in its order: read by position,
/// each value as `PlainSQLiteRow` decodes it by name.
struct PositionedColumns: LedgerColumns {
    let values: [SQLiteData]

    /// The columns of one statement's rows (shared by all of them), when they are the ledger's in its order.
    struct Positions {
        let columns: PlainSQLiteRow.Columns

        /// Nil for a row of the driver, or one whose columns are not the ledger's in its order.
        init?(of row: (any SQLRow)?) {
            guard let (columns, _) = (row as? PlainSQLiteRow)?.positional, columns.names == LedgerColumn.names else { return nil }
            self.columns = columns
        }

        /// `row` by position, when it has these columns.
        func columns(of row: any SQLRow) -> PositionedColumns? {
            guard let (columns, values) = (row as? PlainSQLiteRow)?.positional, columns === self.columns else { return nil }
            return PositionedColumns(values: values)
        }
    }

    func value<T: Decodable>(_ column: LedgerColumn, as type: T.Type) throws -> T {
        try PlainSQLiteRow.decode(values[column.rawValue], as: T.self)
    }
}

extension CaseBudgetWindowModel {
    convenience init(caseID: UUID, _ window: BudgetStatus) {
        self.init()
        id = UUID()
        self.caseID = caseID
        approvalID = window.approvalID.flatMap(UUID.init(uuidString:))
        fromDate = window.from.iso
        toDate = window.to.iso
        approvedMinutes = window.approvedMinutes
        usedMinutes = window.usedMinutes
        crisisOverMinutes = window.crisisOverBudgetMinutes
        overSince = window.overBudgetSince?.iso
    }

    var status: BudgetStatus? {
        guard let from = Day(iso: fromDate), let to = Day(iso: toDate) else { return nil }
        return BudgetStatus(approvalID: approvalID?.uuidString, from: from, to: to, approvedMinutes: approvedMinutes, usedMinutes: usedMinutes,
                            crisisOverBudgetMinutes: crisisOverMinutes, overBudgetSince: overSince.flatMap(Day.init(iso:)))
    }
}

/// Adds `service_entries.billed_minutes` and fills it for the entries there are.
struct AddBilledMinutes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema)
            .field("billed_minutes", .int, .required, .sql(.default(0)))
            .update()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("UPDATE service_entries SET billed_minutes = billable_minutes").run()
            try await sql.create(index: "service_entries_date").on(ServiceEntryModel.schema).column("date").run()
        }
        // The ledger's values follow in `AddBilledTravel`, whose refresh reads the column it adds.
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema).deleteField("billed_minutes").update()
    }
}

/// Adds `service_entries.billed_travel_cents` (R10: travel once per home visit, none while the visit is
/// over budget; decision 0015) and fills it through the ledger for the entries there are.
struct AddBilledTravel: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema)
            .field("billed_travel_cents", .int64, .required, .sql(.default(0)))
            .update()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("UPDATE service_entries SET billed_travel_cents = travel_cents").run()
        }
        let caseIDs = try await CaseModel.query(on: database).all(\.$id)
        for start in stride(from: 0, to: caseIDs.count, by: 200) {
            try await BilledMinutes.refresh(caseIDs: Set(caseIDs[start..<min(start + 200, caseIDs.count)]), on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceEntryModel.schema).deleteField("billed_travel_cents").update()
    }
}

extension QueryBuilder where Model == CaseModel {
    /// Sets the last contact and no-show streak kept beside the case, which its entries decide. The statement
    /// moves the case's work version itself: the triggers take a statement that moves it at its word and
    /// leave the record version, which only the case's record moves (decision 0036). A new last contact
    /// comes with most entries, and the record of the case would otherwise be read again after each.
    func settingKept(lastContact: String?, streak: String) -> Self {
        // Fluent's update writes the fields it lists (all of the model's when it lists none) with the values its
        // input holds: the version, which is no field of the model, is added to both (first: `set(_:)` replaces
        // the input).
        let query = set([FieldKey("work_version"): .custom(SQLRaw("work_version + 1"))]).fields(for: CaseModel.self)
        query.query.fields.append(CaseStore.workVersionField)
        return query.set(\.$lastContact, to: lastContact).set(\.$noShowStreak, to: streak)
    }
}
