import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

public struct IncreaseRecord: Sendable, Hashable {
    public let id: UUID
    public let minutes: Int
    public let confirmedOn: Day
    public let appliesOn: Day
    public let note: String?
}

public struct ApprovalRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let from: Day
    public let to: Day
    public let minutesPerUnit: Int
    public let unit: BudgetUnit
    public let reference: String?
    public let namedStaffIDs: [UUID]
    public let increases: [IncreaseRecord]
    public let balancing: Balancing

    public var domain: Approval {
        Approval(id: id.uuidString, from: from, to: to, minutesPerUnit: minutesPerUnit, unit: unit, balancing: balancing,
                 increases: increases.map { BudgetIncrease(minutes: $0.minutes, confirmedOn: $0.confirmedOn, appliesOn: $0.appliesOn) })
    }
}

public struct EntryRecord: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let staffID: UUID
    public let staffName: String
    public let facts: EntryFacts
    public let groupSessionID: UUID?
    /// As counted under the agreement of the entry's day, before the budget (R10, R13).
    public let count: EntryCount
    public let createdBy: UUID
    /// The short note (internal).
    public var note: String? = nil
    /// R7: the guardians were contacted.
    public var guardianContact = false

    var ledgerEntry: LedgerEntry {
        LedgerEntry(id: id.idText, date: facts.date, start: facts.start, minutes: facts.minutes, kind: facts.kind, count: count)
    }
}

/// An entry with its numbers after the budget (R9).
public struct CountedEntry: Sendable, Hashable {
    public let entry: EntryRecord
    public let billableMinutes: Int
    public let budgetMinutes: Int
    public let overBudgetMinutes: Int
}

/// The last contact and no-show streak `BilledMinutes` keeps beside a case, as stored.
struct KeptContact: Sendable {
    let lastContact: String?
    let streak: String?

    /// As read with the case's `last_contact` and `no_show_streak` columns, named with `prefix` (`cases_`
    /// where Fluent named them); a value that is not text fails.
    init(row: any SQLRow, prefix: String = "") throws {
        lastContact = try row.value(prefix + "last_contact", as: String?.self)
        streak = try row.value(prefix + "no_show_streak", as: String?.self)
    }
}

/// Everything about a case's work that budget, alerts and pages need, read in a fixed number of queries.
public struct CaseWork: Sendable {
    public let record: CaseRecord
    public let approvals: [ApprovalRecord]
    public let entries: [EntryRecord]
    public let ledger: BudgetLedger
    public let alerts: [CaseAlert]
    /// The care plan deadlines (R3–R6), done ones included.
    public let deadlines: [Deadline]
    /// The settings valid today (for forms: what an entry will count).
    public let settingsToday: AgreementSettings
    let book: SettingsBook
    /// The day of the latest client contact (R7a).
    public let lastContact: Day?

    /// The settings of the agreement valid on `day` for this case's offer.
    public func settings(on day: Day) -> AgreementSettings { book.settings(on: day, offerID: record.offerID) }

    /// What an entry would change if saved now (R9, R10, R13): for the form's preview and over-budget
    /// warning; the domain's `EntryPreview` decides.
    /// - Parameter replacing: the entry being edited, left out of the budget.
    public func preview(_ facts: EntryFacts, replacing entryID: UUID? = nil) -> EntryPreview {
        let count = ServiceRules.count(facts, settings: settings(on: facts.date))
        let entry = LedgerEntry(id: "preview", date: facts.date, start: facts.start, minutes: facts.minutes, kind: facts.kind, count: count)
        return EntryPreview.make(entry, approvals: approvals.map(\.domain), entries: entries.map(\.ledgerEntry),
                                 replacing: entryID?.uuidString)
    }

    public func counted(_ entry: EntryRecord) -> CountedEntry {
        let budgeted = ledger.entries[entry.id.idText]
        return CountedEntry(entry: entry, billableMinutes: budgeted?.billableMinutes ?? entry.count.billableMinutes,
                            budgetMinutes: entry.count.budgetMinutes, overBudgetMinutes: budgeted?.overBudgetMinutes ?? 0)
    }

    public func entries(in month: Month) -> [CountedEntry] {
        entries.filter { Month(containing: $0.facts.date) == month }
            .sorted { ($0.facts.date, $0.facts.start) > ($1.facts.date, $1.facts.start) }
            .map(counted)
    }

    public var onboardingRecorded: Bool { entries.contains { $0.facts.kind == .onboardingDay } }
}

extension CaseWork {
    /// The same work with the case's full record in place of its head.
    func with(_ record: CaseRecord) -> CaseWork {
        CaseWork(record: record, approvals: approvals, entries: entries, ledger: ledger, alerts: alerts, deadlines: deadlines,
                 settingsToday: settingsToday, book: book, lastContact: lastContact)
    }

    /// The work as a viewer with this access may see it (R31 need-to-know): billing-only access sees the
    /// record for billing, the alerts billing acts on, and no care plan deadlines.
    public func seen(with access: CaseAccess) -> CaseWork {
        guard access == .billing else { return self }
        return CaseWork(record: record.forBilling, approvals: approvals, entries: entries, ledger: ledger,
                        alerts: alerts.filter(\.kind.concernsBilling), deadlines: [], settingsToday: settingsToday, book: book,
                        lastContact: lastContact)
    }
}

/// The agreements of one youth office, answering "which settings hold on this day for this offer".
public struct SettingsBook: Sendable, Equatable {
    let agreements: [(from: Day, to: Day?, settings: AgreementSettings)]
    let offerOnboardingMinutes: [UUID: Int]
    /// Offers that set their own first review (MoPäD: 3 months [001]); the offer's value wins.
    var offerFirstReviewMonths: [UUID: Int] = [:]

    public static func == (a: SettingsBook, b: SettingsBook) -> Bool {
        a.agreements.count == b.agreements.count
            && zip(a.agreements, b.agreements).allSatisfy { $0.from == $1.from && $0.to == $1.to && $0.settings == $1.settings }
            && a.offerOnboardingMinutes == b.offerOnboardingMinutes && a.offerFirstReviewMonths == b.offerFirstReviewMonths
    }

    /// The agreement's settings valid on `day`, with the offer's own orientation-day hours where it
    /// sets them (SPEC: "the offer's value wins"); the defaults where no agreement is valid.
    public func settings(on day: Day, offerID: UUID) -> AgreementSettings {
        let settings = agreements.first { $0.from <= day && ($0.to.map { day <= $0 } ?? true) }?.settings ?? AgreementSettings()
        return settings.applying(firstReviewMonths: offerFirstReviewMonths[offerID], onboardingDayMinutes: offerOnboardingMinutes[offerID])
    }

    public static func load(youthOfficeIDs: Set<UUID>, on db: any Database) async throws -> [UUID: SettingsBook] {
        guard !youthOfficeIDs.isEmpty else { return [:] }
        // Kept for one youth office: every entry write reads its case's (issue 12).
        async let agreementModels = KeptStatement.models("agreementsOfOffice", of: Array(youthOfficeIDs), on: db) { ids in
            AgreementModel.query(on: db).filter(\.$youthOffice.$id ~~ ids).sort(\.$validFrom, .descending)
        }
        async let offerModels = KeptStatement.models("offerSettings", [], on: db) { _ in
            OfferModel.query(on: db).field(\.$id).field(\.$onboardingDayMinutes).field(\.$firstReviewMonths)
        }
        let agreements = try await agreementModels, offers = try await offerModels
        var onboarding: [UUID: Int] = [:], firstReview: [UUID: Int] = [:]
        for offer in offers {
            guard let id = offer.id else { continue }
            if let minutes = offer.onboardingDayMinutes { onboarding[id] = minutes }
            if let months = offer.firstReviewMonths { firstReview[id] = months }
        }
        var books: [UUID: SettingsBook] = [:]
        for officeID in youthOfficeIDs {
            let rows = agreements.filter { $0.$youthOffice.id == officeID }.compactMap { model -> (Day, Day?, AgreementSettings)? in
                guard let from = Day(iso: model.validFrom) else { return nil }
                return (from, model.validTo.flatMap(Day.init(iso:)), AgreementStore.decode(model.settingsJSON))
            }
            books[officeID] = SettingsBook(agreements: rows.map { (from: $0.0, to: $0.1, settings: $0.2) }, offerOnboardingMinutes: onboarding,
                                           offerFirstReviewMonths: firstReview)
        }
        return books
    }
}

public enum CaseWorkStore {
    /// The work of one case the viewer may see.
    public static func load(_ caseID: UUID, visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> (CaseWork, CaseAccess) {
        let (record, access) = try await CaseStore.get(caseID, visibleTo: viewer, today: today, on: db)
        let work = try await load([record], today: today, childProtectionFor: access == .full ? [record.id] : [], on: db)
        return (work[0].seen(with: access), access)
    }

    /// The work of many cases in six queries, whatever their number (start pages, alert lists).
    /// `childProtectionFor`: the cases whose §8a alerts and deadlines the viewer may see (R21); none by default.
    public static func load(_ records: [CaseRecord], today: Day, childProtectionFor known: Set<UUID> = [],
                            on db: any Database) async throws -> [CaseWork] {
        guard !records.isEmpty else { return [] }
        let caseIDs = records.map(\.id)
        let books = try await SettingsBook.load(youthOfficeIDs: Set(records.map(\.youthOfficeID)), on: db)
        let approvalModels = try await approvals(of: caseIDs, on: db)
        let entryModels = try await ServiceEntryModel.query(on: db).filter(\.$case.$id ~~ caseIDs).allFromRows()
        let staffIDs = Set(entryModels.map { $0.$staff.id })
        var staffNames: [UUID: String] = [:]
        if !staffIDs.isEmpty {
            for staff in try await StaffModel.query(on: db).filter(\.$id ~~ staffIDs).allFromRows() {
                if let id = staff.id { staffNames[id] = "\(staff.firstName) \(staff.lastName)" }
            }
        }
        let acknowledgements = try await AlertAcknowledgementModel.query(on: db).filter(\.$case.$id ~~ caseIDs).allFromRows()

        let approvalsByCase = Dictionary(grouping: approvalModels, by: { $0.$case.id })
        let entriesByCase = Dictionary(grouping: entryModels, by: { $0.$case.id })
        let acknowledgedByCase = Dictionary(grouping: acknowledgements, by: { $0.$case.id })
        let procedures = try await ChildProtectionStore.open(caseIDs: caseIDs.filter(known.contains), on: db)
        let deadlinesByCase = try await CarePlanStore.deadlines(records, books: books, today: today, childProtection: procedures, on: db)
        let guardianAlerts = try await GuardianContactStore.alerts(records, today: today, on: db)
        return records.map { record in
            let book = books[record.youthOfficeID] ?? SettingsBook(agreements: [], offerOnboardingMinutes: [:])
            let approvals = (approvalsByCase[record.id] ?? []).compactMap { approval(from: $0, book: book, offerID: record.offerID) }
                .sorted { $0.from < $1.from }
            let entries = (entriesByCase[record.id] ?? []).compactMap { entry(from: $0, staffNames: staffNames) }
            let ledger = BudgetLedger(approvals: approvals.map(\.domain), entries: entries.map(\.ledgerEntry))
            let settings = book.settings(on: today, offerID: record.offerID)
            let deadlines = deadlinesByCase[record.id] ?? []
            let alerts = Self.alerts(record, book: book, approvals: approvals, ledger: ledger, today: today, deadlines: deadlines,
                                     acknowledgements: acknowledgedByCase[record.id] ?? []) { facts in
                facts.appointments = entries.map(\.facts).filter { $0.kind.isAppointment }
                facts.lastContact = Alerts.lastContact(entries.map(\.facts), upTo: today)
            }.adding(childProtection: procedures[record.id], guardianContact: guardianAlerts[record.id])
            return CaseWork(record: record, approvals: approvals, entries: entries, ledger: ledger,
                            alerts: alerts, deadlines: deadlines, settingsToday: settings, book: book,
                            lastContact: Alerts.lastContact(entries.map(\.facts)))
        }
    }

    /// The work of many cases for lists (start pages, overviews, alert lists; issue 12): budget windows,
    /// last contact and the no-show streak as `BilledMinutes.refresh` keeps them beside each case, so no
    /// entry is read. Alerts, budget status and last contact equal `load(_:today:on:)`'s; `entries` is
    /// empty, the ledger holds only the windows lists need (those over budget and the one of
    /// `statusDay`, default today) and `approvals` only those the alerts read (not ended before today,
    /// and the last that ended), so forms, the approvals table and the month's list still use `load`.
    public static func summaries(_ records: [CaseRecord], today: Day, statusDay: Day? = nil, childProtectionFor known: Set<UUID> = [],
                                 on db: any Database) async throws -> [CaseWork] {
        try await summaries(records, today: today, statusDay: statusDay, childProtectionFor: known, kept: nil, on: db)
    }

    /// `summaries`, with the kept last contact and streak already read (`CaseStore.headsAndKept`) or read here.
    static func summaries(_ records: [CaseRecord], today: Day, statusDay: Day? = nil, childProtectionFor known: Set<UUID> = [],
                          kept given: [UUID: KeptContact]?, on db: any Database) async throws -> [CaseWork] {
        let statusDay = statusDay ?? today
        guard !records.isEmpty else { return [] }
        let caseIDs = records.map(\.id)
        // The tables are read side by side (issue 12: a caseworker's start page waited for each of a dozen
        // reads in turn); plain rows where management's lists read thousands (Fluent's decoding was the cost).
        async let settingsBooks = SettingsBook.load(youthOfficeIDs: Set(records.map(\.youthOfficeID)), on: db)
        async let approvalModels = approvals(of: caseIDs, alertsOn: today, on: db)
        // Only the windows an alert or a budget bar reads: a long case has dozens.
        async let windowRows = budgetWindows(CaseBudgetWindowModel.query(on: db).filter(CaseBudgetWindowModel.schema, "case_id", inIDs: caseIDs)
            .group(.or) { or in
                or.filter(.sql(embed: "\(ident: "used_minutes") > \(ident: "approved_minutes")"))
                or.group(.and) { $0.filter(\.$fromDate <= statusDay.iso).filter(\.$toDate >= statusDay.iso) }
            })
        async let acknowledgementModels = AlertAcknowledgementModel.query(on: db)
            .filter(AlertAcknowledgementModel.schema, "case_id", inIDs: caseIDs).allFromRows()
        async let readKept = given == nil ? keptContacts(of: caseIDs, on: db) : [:]
        async let openProcedures = ChildProtectionStore.open(caseIDs: caseIDs.filter(known.contains), on: db)
        async let guardianContact = GuardianContactStore.alerts(records, today: today, on: db)
        let books = try await settingsBooks, procedures = try await openProcedures
        async let deadlineLists = CarePlanStore.deadlines(records, books: books, today: today, childProtection: procedures, on: db)
        var kept = try await readKept
        if let given { kept = given }
        let approvalsByCase = Dictionary(grouping: try await approvalModels, by: { $0.$case.id })
        let windowsByCase = Dictionary(grouping: try await windowRows, by: \.caseID).mapValues { $0.map(\.status) }
        let acknowledgedByCase = Dictionary(grouping: try await acknowledgementModels, by: { $0.$case.id })
        let deadlinesByCase = try await deadlineLists
        let guardianAlerts = try await guardianContact
        // Each case's alerts are computed from what was read, independently: in parallel on the cores
        // for management's lists of thousands (issue 12).
        let summarise: @Sendable (CaseRecord) -> CaseWork = { [kept] record in
            let book = books[record.youthOfficeID] ?? SettingsBook(agreements: [], offerOnboardingMinutes: [:])
            let approvals = (approvalsByCase[record.id] ?? []).compactMap { approval(from: $0, book: book, offerID: record.offerID) }
                .sorted { $0.from < $1.from }
            let ledger = BudgetLedger(windows: windowsByCase[record.id] ?? [])
            let settings = book.settings(on: today, offerID: record.offerID)
            let lastContact = kept[record.id]?.lastContact.flatMap(Day.init(iso:))
            let streak = (kept[record.id]?.streak ?? "").split(separator: ",").compactMap { Day(iso: String($0)) }
            let deadlines = deadlinesByCase[record.id] ?? []
            let alerts = Self.alerts(record, book: book, approvals: approvals, ledger: ledger, today: today, deadlines: deadlines,
                                     acknowledgements: acknowledgedByCase[record.id] ?? []) { facts in
                facts.lastContact = lastContact.flatMap { $0 <= today ? $0 : nil }
                facts.storedNoShowStreak = streak
            }.adding(childProtection: procedures[record.id], guardianContact: guardianAlerts[record.id])
            return CaseWork(record: record, approvals: approvals, entries: [], ledger: ledger, alerts: alerts, deadlines: deadlines,
                            settingsToday: settings, book: book, lastContact: lastContact)
        }
        return await records.concurrentMap(parts: ProcessInfo.processInfo.activeProcessorCount, atLeast: 250, summarise)
    }

    /// The last contact and no-show streak `BilledMinutes` keeps beside these cases.
    static func keptContacts(of caseIDs: [UUID], on db: any Database) async throws -> [UUID: KeptContact] {
        var kept: [UUID: KeptContact] = [:]
        for row in try await CaseModel.query(on: db).filter(CaseModel.schema, "id", inIDs: caseIDs)
            .field(\.$id).field(\.$lastContact).field(\.$noShowStreak).sqlRows() {
            guard let id = try? row.value("cases_id", as: UUID.self) else { continue }
            kept[id] = try? KeptContact(row: row, prefix: "cases_")
        }
        return kept
    }

    /// The budget status of a case on `day` (R9) as the case-work core keeps its windows: one query.
    public static func budgetStatus(of caseID: UUID, on day: Day, on db: any Database) async throws -> BudgetStatus? {
        try await KeptStatement.rows("budgetStatus", [.id(caseID), .text(day.iso), .text(day.iso)], on: db) { values in
            windowFields(CaseBudgetWindowModel.query(on: db).filter(\.$caseID == values[0].id)
                .filter(\.$fromDate <= values[1].text).filter(\.$toDate >= values[2].text)).plainStatement
        }.compactMap(budgetWindow).first?.status
    }

    /// Kept budget windows read as plain rows (management's lists read thousands).
    static func budgetWindows(_ query: QueryBuilder<CaseBudgetWindowModel>) async throws -> [(caseID: UUID, status: BudgetStatus)] {
        try await windowFields(query).sqlRows().compactMap(budgetWindow)
    }

    /// The columns `budgetWindow` reads.
    private static func windowFields(_ query: QueryBuilder<CaseBudgetWindowModel>) -> QueryBuilder<CaseBudgetWindowModel> {
        query.field(\.$caseID).field(\.$approvalID).field(\.$fromDate).field(\.$toDate).field(\.$approvedMinutes).field(\.$usedMinutes)
            .field(\.$crisisOverMinutes).field(\.$overSince)
    }

    /// A kept budget window from its plain row.
    private static func budgetWindow(_ row: any SQLRow) -> (caseID: UUID, status: BudgetStatus)? {
        guard let caseID = try? row.value("case_budget_windows_case_id", as: UUID.self),
              let from = (try? row.value("case_budget_windows_from_date", as: String.self)).flatMap(Day.init(iso:)),
              let to = (try? row.value("case_budget_windows_to_date", as: String.self)).flatMap(Day.init(iso:)),
              let approved = try? row.value("case_budget_windows_approved_minutes", as: Int.self),
              let used = try? row.value("case_budget_windows_used_minutes", as: Int.self),
              let crisis = try? row.value("case_budget_windows_crisis_over_minutes", as: Int.self) else { return nil }
        let approvalID = (try? row.value("case_budget_windows_approval_id", as: String?.self)) ?? nil
        let overSince = (try? row.value("case_budget_windows_over_since", as: String?.self)) ?? nil
        // As `CaseBudgetWindowModel.status`, without a model per row.
        return (caseID, BudgetStatus(approvalID: approvalID.flatMap(UUID.init(canonical:))?.uuidString, from: from, to: to,
                                     approvedMinutes: approved, usedMinutes: used, crisisOverBudgetMinutes: crisis,
                                     overBudgetSince: overSince.flatMap(Day.init(iso:))))
    }

    /// `summaries`, reusing those the cache keeps from the same versions and day (decision 0028). A summary
    /// is made of its case's record and the rows around it; the record given (a list's head or a full
    /// record) is the one returned.
    static func summaries(_ records: [CaseRecord], today: Day, childProtectionFor known: Set<UUID>, kept: [UUID: KeptContact]?,
                          stamps: WorkStamps?, on db: any Database) async throws -> [CaseWork] {
        guard let stamps, let cache = CaseWorkCache.serving(db) else {
            return try await summaries(records, today: today, childProtectionFor: known, kept: kept, on: db)
        }
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let found = try await cache.summaries.reusing(
            records.map(\.id), key: { .init(caseID: $0, childProtection: known.contains($0)) }, stamp: { stamps.stamp($0, day: today) },
            same: { $0.showsTheSame(as: $1) }
        ) { missing in
            let computed = try await summaries(missing.compactMap { byID[$0] }, today: today, childProtectionFor: known, kept: kept, on: db)
            return Dictionary(computed.map { ($0.record.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        // The record is the caller's own (a head or a full record); only what is made from the rows around it is reused.
        return records.compactMap { record in found[record.id]?.with(record) }
    }

    /// A caseworker's start page (*Meine Fälle*): the running cases the staff member works on, in list
    /// order, as full records with their summaries.
    public static func startPage(staffID: UUID, visibleTo viewer: Viewer, today: Day, on db: any Database) async throws -> [CaseWork] {
        let page = try await CaseStore.page(CaseFilter(staffID: staffID, status: .running), limit: nil, visibleTo: viewer, today: today, on: db)
        let known = try await ChildProtectionStore.knownCases(page.records, viewer: viewer, today: today, on: db)
        return try await summaries(page.records, today: today, childProtectionFor: known, kept: nil, stamps: page.stamps, on: db)
    }

    /// A page of a list of case summaries (management's *Übersicht* and *Hinweise*; issue 12): summaries
    /// of every case the filter covers are computed from heads, `choose` filters and orders them, and
    /// only the cases of the page from `offset` are loaded in full.
    public static func summaryPage(_ filter: CaseFilter, visibleTo viewer: Viewer, today: Day, offset: Int = 0, limit: Int? = nil,
                                   choose: ([CaseWork]) -> [CaseWork], on db: any Database) async throws -> ListPage<CaseWork> {
        let (heads, kept, stamps) = try await CaseStore.headsAndKept(filter, visibleTo: viewer, today: today, on: db)
        let known = try await ChildProtectionStore.knownCases(heads, viewer: viewer, today: today, on: db)
        // Heads carry no staff, so per-case access is not known here; a viewer who works on no case sees them for billing.
        let billingOnly = CaseAccess.isBillingOnly(viewer.roles)
        let all = try await summaries(heads, today: today, childProtectionFor: known, kept: kept, stamps: stamps, on: db)
        let chosen = choose(billingOnly ? all.map { $0.seen(with: .billing) } : all)
        let shown = Array(chosen.dropFirst(max(0, offset)).prefix(limit ?? chosen.count))
        let records = Dictionary(uniqueKeysWithValues: try await CaseStore.records(ids: shown.map(\.record.id), stamps: stamps, on: db)
            .map { ($0.id, $0) })
        return ListPage(items: shown.compactMap { work in records[work.record.id].map { work.with(billingOnly ? $0.forBilling : $0) } },
                        total: chosen.count, offset: max(0, offset))
    }

    /// The approvals of these cases with their increases, both read as plain rows. With
    /// `alertsOn`, only those the alerts of that day read (`Alerts.evaluate`): every approval that has
    /// not ended before the day, and the one that ended last before it (issue 12: a case of five years
    /// has ten approvals, and management's lists read them for 3,000 cases).
    static func approvals(of caseIDs: [UUID], alertsOn day: Day? = nil, on db: any Database) async throws -> [ApprovalModel] {
        // One case by its id, so that the statement is kept (every entry write reads its case's); many as one
        // bound list.
        @Sendable func approvalsOf(_ ids: [UUID]) -> QueryBuilder<ApprovalModel> {
            let query = ApprovalModel.query(on: db)
            return (ids.count == 1 ? query.filter(\.$case.$id == ids[0]) : query.filter(ApprovalModel.schema, "case_id", inIDs: ids))
                .field(\.$id).field(\.$case.$id).field(\.$fromDate).field(\.$toDate).field(\.$minutesPerUnit).field(\.$unit)
                .field(\.$reference).field(\.$namedStaffIDs)
        }
        @Sendable func increasesOf(_ ids: [UUID]) -> QueryBuilder<ApprovalIncreaseModel> {
            let query = ApprovalIncreaseModel.query(on: db).join(ApprovalModel.self, on: \ApprovalIncreaseModel.$approval.$id == \ApprovalModel.$id)
            return ids.count == 1 ? query.filter(ApprovalModel.self, \.$case.$id == ids[0]) : query.filter(ApprovalModel.schema, "case_id", inIDs: ids)
        }
        let (rows, increaseModels) = try await db.sideBySide({
            guard let day else { return try await KeptStatement.rows("approvalsOfCase", of: caseIDs, on: db, build: approvalsOf) }
            return try await approvalsOf(caseIDs).filter(.sql(embed: """
                (\(ident: "approvals").\(ident: "to_date") >= \(bind: day.iso) OR \(ident: "approvals").\(ident: "to_date") = \
                (SELECT MAX(\(ident: "ended").\(ident: "to_date")) FROM \(ident: "approvals") AS \(ident: "ended") \
                WHERE \(ident: "ended").\(ident: "case_id") = \(ident: "approvals").\(ident: "case_id") AND \(ident: "ended").\(ident: "to_date") < \(bind: day.iso)))
                """)).sqlRows()
        }, {
            try await KeptStatement.models("increasesOfCase", of: caseIDs, on: db, build: increasesOf)
        })
        let increases = Dictionary(grouping: increaseModels, by: { $0.$approval.id })
        return rows.compactMap { row in
            func column<T: Decodable>(_ name: String, _ type: T.Type) -> T? { try? row.value("approvals_\(name)", as: T.self) }
            guard let id = column("id", UUID.self), let caseID = column("case_id", UUID.self), let from = column("from_date", String.self),
                  let to = column("to_date", String.self), let minutes = column("minutes_per_unit", Int.self), let unit = column("unit", String.self)
            else { return nil }
            let model = ApprovalModel()
            (model.id, model.$case.id, model.fromDate, model.toDate, model.minutesPerUnit, model.unit) = (id, caseID, from, to, minutes, unit)
            model.reference = column("reference", String?.self) ?? nil
            model.namedStaffIDs = column("named_staff_ids", String.self) ?? ""
            model.$increases.value = increases[id] ?? []
            return model
        }
    }

    /// A case's alerts (R7a, R9, R12, approvals, deadlines) from what its loader gathered; `contact`
    /// fills in appointments and last contact (from entries, or as kept beside the case).
    static func alerts(_ record: CaseRecord, book: SettingsBook, approvals: [ApprovalRecord], ledger: BudgetLedger, today: Day,
                       deadlines: [Deadline], acknowledgements: [AlertAcknowledgementModel], contact: (inout AlertFacts) -> Void) -> [CaseAlert] {
        let settings = book.settings(on: today, offerID: record.offerID)
        let acknowledged = Set(acknowledgements.filter { $0.kind == AlertKind.noShowStreak.rawValue }.compactMap { Day(iso: $0.since) })
        var facts = AlertFacts(
            startDate: record.startDate, endDate: record.endDate, approvals: approvals.map(\.domain), ledger: ledger, appointments: [],
            lastContact: nil, noContactAlertDays: settings.noContactAlertDays, noShowAlertAfter: settings.noShowAlertAfter,
            acknowledged: acknowledged, settings: { [book, offerID = record.offerID] day in book.settings(on: day, offerID: offerID) })
        contact(&facts)
        return (Alerts.evaluate(facts, today: today) + Alerts.deadlines(deadlines, today: today)).sorted { $0.since < $1.since }
    }

    static func approval(from model: ApprovalModel, book: SettingsBook, offerID: UUID) -> ApprovalRecord? {
        guard let id = model.id, let from = Day(iso: model.fromDate), let to = Day(iso: model.toDate),
              let unit = BudgetUnit(rawValue: model.unit)
        else { return nil }
        return ApprovalRecord(
            id: id, caseID: model.$case.id, from: from, to: to, minutesPerUnit: model.minutesPerUnit, unit: unit,
            reference: model.reference,
            namedStaffIDs: model.namedStaffIDs.split(separator: ",").compactMap { UUID(canonical: String($0)) },
            increases: model.increases.compactMap { increase in
                guard let increaseID = increase.id, let confirmed = Day(iso: increase.confirmedOn),
                      let applies = Day(iso: increase.appliesOn) else { return nil }
                return IncreaseRecord(id: increaseID, minutes: increase.minutes, confirmedOn: confirmed, appliesOn: applies, note: increase.note)
            }.sorted { $0.confirmedOn < $1.confirmedOn },
            balancing: book.settings(on: from, offerID: offerID).balancing)
    }

    static func entry(from model: ServiceEntryModel, staffNames: [UUID: String]) -> EntryRecord? {
        guard let id = model.id, let date = Day(iso: model.date), let start = TimeOfDay(minuteOfDay: model.startMinute),
              let kind = EntryKind(rawValue: model.kind)
        else { return nil }
        let facts = EntryFacts(kind: kind, date: date, start: start, minutes: model.minutes,
                               cancelledBy: model.cancelledBy.flatMap(CancelledBy.init(rawValue:)), cancelledAt: model.cancelledAt,
                               homeVisit: model.homeVisit, kilometres: model.kilometres)
        return EntryRecord(id: id, caseID: model.$case.id, staffID: model.$staff.id, staffName: staffNames[model.$staff.id] ?? "–",
                           facts: facts, groupSessionID: model.$groupSession.id,
                           count: EntryCount(billableMinutes: model.billableMinutes, budgetMinutes: model.budgetMinutes,
                                             onboardingMinutes: model.onboardingMinutes, travel: Cents(model.travelCents)),
                           createdBy: model.createdBy, note: model.note, guardianContact: model.$guardianContact.value ?? false)
    }
}

extension Array where Element == CaseAlert {
    /// With the Meldebogen alerts of these §8a procedures (R21), in order of `since`.
    /// With the R7 alert of a minor moving to independent living, too.
    func adding(childProtection procedures: [ChildProtectionProcedure]?, guardianContact: CaseAlert?) -> [CaseAlert] {
        let extra = (procedures ?? []).compactMap(\.reportAlert) + [guardianContact].compactMap { $0 }
        guard !extra.isEmpty else { return self }
        return (self + extra).sorted { $0.since < $1.since }
    }
}
