import FallwerkDomain
import Fluent
import Foundation

/// A service entry as typed: who, and the entry's own facts.
public struct EntryDraft: Sendable, Equatable {
    /// Empty: the signed-in staff member.
    public var staffId: String?
    public var input = EntryInput()
    /// R7: the guardians were contacted in this piece of work.
    public var guardianContact = false

    public init(staffId: String? = nil, input: EntryInput = EntryInput(), guardianContact: Bool = false) {
        self.staffId = staffId
        self.input = input
        self.guardianContact = guardianContact
    }
}

public enum EntryStore {
    static let entity = "serviceEntry"

    /// Records one entry (R10, R11): counted under the agreement valid on its day.
    @discardableResult
    /// Without a request (demo data): the case resolved with `CasePolicies.entries` here.
    public static func create(caseID: UUID, _ draft: EntryDraft, viewer: Viewer, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        let resolved = try await CaseResolution.resolve(caseID, policy: CasePolicies.entries, viewer: viewer, today: today, on: db)
        return try await create(in: resolved, draft, context: context, today: today, on: db)
    }

    /// Records one entry on the case the request resolved with `CasePolicies.entries` (R27: access is
    /// checked there, once; the case is not loaded again).
    ///
    /// What the write reads about its case (settings, approvals, invoiced month, onboarding day, the
    /// ledger's entries and windows) is read ahead of SQLite's one writer (`writeTransaction(readingAhead:)`,
    /// decision 0030); inside it reads only the staff member's entries around the day (R10a overlap, other
    /// cases included), and writes.
    @discardableResult
    public static func create(in resolved: ResolvedCase, _ draft: EntryDraft, context: WriteContext, today: Day,
                              on db: any Database) async throws -> UUID {
        let record = resolved.record, viewer = resolved.viewer, caseID = resolved.record.id
        let input = checkInput(draft, viewer: viewer, today: today)
        guard let staffID = input.staffID, let facts = input.facts else { throw ValidationFailure(input.validator.errors) }
        let id = UUID.timeOrdered(at: context.now)
        let cache = CaseWorkCache.serving(db)
        return try await db.writeTransaction(readingAhead: caseID) { db, ahead in
            let reads = try await CaseReads.read(case: record, on: facts.date, kind: facts.kind, kept: ahead.flatMap { ahead in
                cache?.settingsBook(of: record.youthOfficeID, generation: ahead.generation)
            }, on: db)
            // The entry as it will be stored, its audit and what it changes in the ledger, decided from the reads
            // (ahead of the writer when they are read ahead, decision 0033): inside, the rules only refuse.
            let model = ServiceEntryModel()
            model.id = id
            model.$case.id = caseID
            model.createdBy = viewer.userID
            model.note = input.note
            model.guardianContact = draft.guardianContact
            fill(model, staffID: staffID, facts: facts, case: record, book: reads.book)
            model.createdAt = context.now
            model.updatedAt = context.now
            let added = CaseWorkStore.entry(from: model, staffNames: [:]).map {
                LedgerRow(record: $0, billedMinutes: model.billedMinutes, billedTravelCents: model.billedTravelCents)
            }
            let plan = reads.recount.flatMap { recount in added.map { BilledMinutes.plan(recount, adding: [$0]) } }
            // Its statements too, so that the writer only runs them (decision 0035).
            return Prepared(reads: reads, insert: try PlannedStatement.insert(model, for: db),
                            audit: try AuditLog.entry(.create, entity: entity, id: id, changes: auditFields(model, caseID: caseID, old: nil),
                                                      by: context.actor, at: context.now),
                            ledger: try plan.map { try BilledMinutes.PlannedWrite($0, for: db, at: context.now) })
        } _: { db, prepared, readAhead in
            let reads = prepared.reads
            if let readAhead, let book = reads.book { cache?.keep(book, of: record.youthOfficeID, generation: readAhead.generation) }
            let nearby = try await nearby(staffID: staffID, around: facts.date, excluding: nil, on: db)
            try finish(input, context: ruleContext(for: facts, case: record, invoiced: reads.invoiced,
                                                   hasOnboarding: reads.hasOnboarding, nearby: nearby, viewer: viewer))
            try await prepared.insert.run(on: db)
            try await AuditLog.write(prepared.audit, on: db)
            if let ledger = prepared.ledger {
                try await ledger.run(on: db)
                #if DEBUG
                // The recount from what was read ahead must be the one the transaction would count now.
                if readAhead != nil, try await BilledMinutes.refreshed(caseID: caseID, changedOn: [facts.date], on: db) == .changes {
                    throw ReadAheadStale(what: "entry recount")
                }
                #endif
            }
            return id
        }
    }

    /// An entry write's reads, with the entry, its audit and its ledger's changes decided from them and
    /// built as the statements the writer runs.
    struct Prepared: Sendable {
        let reads: CaseReads
        let insert: PlannedStatement
        let audit: WrittenEntry
        /// nil where the case has nothing to recount.
        let ledger: BilledMinutes.PlannedWrite?
    }

    /// What an entry write reads about its case, all covered by the case's stamp (`CaseStamp`).
    struct CaseReads: Sendable {
        let book: SettingsBook?
        let invoiced: Bool
        let hasOnboarding: Bool
        /// The ledger's entries and windows from before the entry's day on, with the case's basis.
        let recount: BilledMinutes.Recount?

        /// `kept`: the case's settings as an earlier write kept them for the generation read ahead.
        static func read(case record: CaseRecord, on day: Day, kind: EntryKind, kept: SettingsBook?,
                         on db: any Database) async throws -> CaseReads {
            let officeID = record.youthOfficeID
            let ((invoiced, onboarding), (book, basis)) = try await db.sideBySide({
                try await db.sideBySide({
                    try await BillingStore.isInvoiced(caseID: record.id, month: Month(containing: day), on: db)
                }, {
                    kind == .onboardingDay ? try await hasOnboardingDay(caseID: record.id, excluding: nil, on: db) : false
                })
            }, {
                try await db.sideBySide({ () async throws -> SettingsBook? in
                    #if DEBUG
                    // As the lists' cache: debug builds (the tests) read the book again and fail where a kept one differs.
                    if let kept, try await SettingsBook.load(youthOfficeIDs: [officeID], on: db)[officeID] != kept {
                        throw ReadAheadStale(what: "kept settings book")
                    }
                    #endif
                    if let kept { return kept }
                    return try await SettingsBook.load(youthOfficeIDs: [officeID], on: db)[officeID]
                }, {
                    try await BilledMinutes.basis(of: record.id, on: db)
                })
            })
            let recount = try await BilledMinutes.recount(caseID: record.id, changedOn: [day], book: book, basis: basis, on: db)
            return CaseReads(book: book, invoiced: invoiced, hasOnboarding: onboarding, recount: recount)
        }
    }

    /// Runs every check of `create` (or `update`) without saving; throws the same `ValidationFailure`.
    public static func validate(in resolved: ResolvedCase, _ draft: EntryDraft, replacing entryID: UUID?, today: Day,
                                on db: any Database) async throws {
        _ = try await check(draft, case: resolved.record, excluding: entryID, viewer: resolved.viewer, today: today, on: db)
    }

    /// Changes an entry; caseworkers change their own entries, leads any on their cases.
    public static func update(in resolved: ResolvedCase, entryID: UUID, _ draft: EntryDraft, context: WriteContext, today: Day,
                              on db: any Database) async throws {
        let record = resolved.record, viewer = resolved.viewer, caseID = resolved.record.id
        try await db.writeTransaction { db in
            let model = try await ownEntry(entryID, caseID: caseID, viewer: viewer, on: db)
            if model.$groupSession.id != nil {
                throw NotAllowed("Anteile eines Gruppenangebots werden über das Gruppenangebot geändert.")
            }
            let old = auditFields(model, caseID: caseID, old: nil)
            let oldDay = Day(iso: model.date)
            let (staffID, facts, note) = try await check(draft, case: record, excluding: entryID, viewer: viewer, today: today, on: db)
            model.note = note
            model.guardianContact = draft.guardianContact
            let book = try await fill(model, staffID: staffID, facts: facts, case: record, on: db)
            try await model.update(on: db)
            try await BilledMinutes.refresh(caseID: caseID, changedOn: [facts.date] + [oldDay].compactMap { $0 }, book: book, on: db)
            var changes: [String: AuditChange] = [:]
            for (key, change) in auditFields(model, caseID: caseID, old: nil) where old[key]?.to != change.to {
                changes[key] = AuditChange(from: old[key]?.to, to: change.to)
            }
            try await AuditLog.record(.update, entity: entity, id: entryID, changes: changes, by: context.actor, at: context.now, on: db)
        }
    }

    public static func delete(in resolved: ResolvedCase, entryID: UUID, context: WriteContext, today: Day,
                              on db: any Database) async throws {
        let viewer = resolved.viewer, caseID = resolved.record.id
        try await db.writeTransaction { db in
            let model = try await ownEntry(entryID, caseID: caseID, viewer: viewer, on: db)
            if model.$groupSession.id != nil {
                throw NotAllowed("Anteile eines Gruppenangebots werden mit dem Gruppenangebot gelöscht.")
            }
            let old = auditFields(model, caseID: caseID, old: nil)
            let oldDay = Day(iso: model.date)
            try await model.delete(on: db)
            if let oldDay { try await BilledMinutes.refresh(caseID: caseID, changedOn: [oldDay], on: db) }
            else { try await BilledMinutes.refresh(caseIDs: [caseID], on: db) }
            try await AuditLog.record(.delete, entity: entity, id: entryID,
                                      changes: old.mapValues { AuditChange(from: $0.to, to: nil) },
                                      by: context.actor, at: context.now, on: db)
        }
    }

    // MARK: - Checks

    /// The entry, if this viewer may change it: own entries, or any entry for team leads and management.
    static func ownEntry(_ entryID: UUID, caseID: UUID, viewer: Viewer, on db: any Database) async throws -> ServiceEntryModel {
        guard let model = try await ServiceEntryModel.find(entryID, on: db), model.$case.id == caseID else {
            throw RecordNotFound(entity: entity)
        }
        let isLead = viewer.roles.contains(.teamLead) || viewer.roles.contains(.management)
        guard isLead || model.createdBy == viewer.userID || model.$staff.id == viewer.staffID else {
            throw NotAllowed("Sie können nur Ihre eigenen Einträge ändern.")
        }
        if let day = Day(iso: model.date), try await BillingStore.isInvoiced(caseID: caseID, month: Month(containing: day), on: db) {
            throw NotAllowed("Der Monat \(Month(containing: day).iso) ist schon abgerechnet; dieser Eintrag bleibt, wie er ist. Korrekturen gehen nur über eine Stornorechnung.")
        }
        return model
    }

    static func check(_ draft: EntryDraft, case record: CaseRecord, excluding entryID: UUID?, viewer: Viewer, today: Day,
                      on db: any Database) async throws -> (UUID, EntryFacts, String?) {
        let input = checkInput(draft, viewer: viewer, today: today)
        guard let staffID = input.staffID, let facts = input.facts else { throw ValidationFailure(input.validator.errors) }
        try finish(input, context: try await context(for: facts, staffID: staffID, case: record, excluding: entryID, viewer: viewer, on: db))
        return (staffID, facts, input.note)
    }

    /// An entry as typed, checked on its own: its facts, note and staff member, with the errors found.
    struct CheckedInput: Sendable {
        var validator: Validator
        let staffID: UUID?
        let facts: EntryFacts?
        let note: String?
    }

    /// The checks of `check` that read nothing. Without staff member or facts there is an error.
    static func checkInput(_ draft: EntryDraft, viewer: Viewer, today: Day) -> CheckedInput {
        var v = Validator()
        let facts = draft.input.validated(into: &v, today: today)
        let note = draft.input.validatedNote(into: &v)
        var staffID: UUID?
        if let raw = draft.staffId?.trimmed, !raw.isEmpty {
            staffID = v.id(raw, "staffId", label: "die Fachkraft")
        } else if let own = viewer.staffID {
            staffID = own
        } else {
            v.add("staffId", "Bitte die Fachkraft angeben, die die Leistung erbracht hat.")
        }
        return CheckedInput(validator: v, staffID: v.has("staffId") ? nil : staffID, facts: facts, note: note)
    }

    /// The rules of `EntryRules` on top of the input's own checks: every error at once (the note is the input's).
    static func finish(_ input: CheckedInput, context: EntryRules.EntryContext) throws {
        var v = input.validator
        if let staffID = input.staffID, let facts = input.facts {
            for error in EntryRules.errors(facts, staffID: staffID.idText, context: context) { v.add(error.field, error.message) }
        }
        try v.finish()
    }

    /// The facts `EntryRules` decides from: the case's dates and assignments, its invoiced months, an
    /// onboarding day already recorded, the staff member's entries around the day.
    static func context(for facts: EntryFacts, staffID: UUID, case record: CaseRecord, excluding entryID: UUID?, viewer: Viewer,
                        on db: any Database) async throws -> EntryRules.EntryContext {
        // Side by side (an entry write checks inside SQLite's single writer).
        async let isInvoiced = BillingStore.isInvoiced(caseID: record.id, month: Month(containing: facts.date), on: db)
        async let onboarding = facts.kind == .onboardingDay ? hasOnboardingDay(caseID: record.id, excluding: entryID, on: db) : false
        async let nearbyEntries = nearby(staffID: staffID, around: facts.date, excluding: entryID, on: db)
        return ruleContext(for: facts, case: record, invoiced: try await isInvoiced, hasOnboarding: try await onboarding,
                           nearby: try await nearbyEntries, viewer: viewer)
    }

    /// Whether the case has an onboarding day recorded (other than `entryID`): there is one per case.
    static func hasOnboardingDay(caseID: UUID, excluding entryID: UUID?, on db: any Database) async throws -> Bool {
        var query = ServiceEntryModel.query(on: db).filter(\.$case.$id == caseID).filter(\.$kind == EntryKind.onboardingDay.rawValue)
        if let entryID { query = query.filter(\.$id != entryID) }
        return try await query.count() > 0
    }

    /// `EntryRules`' facts from what was read.
    static func ruleContext(for facts: EntryFacts, case record: CaseRecord, invoiced: Bool, hasOnboarding: Bool,
                            nearby: [EntryRules.NearbyEntry], viewer: Viewer) -> EntryRules.EntryContext {
        EntryRules.EntryContext(
            caseStart: record.startDate, caseEnd: record.endDate,
            assignments: record.assignments.map { Assignment(staffID: $0.staffID.uuidString, role: $0.role, from: $0.from, to: $0.to) },
            invoicedMonths: invoiced ? [Month(containing: facts.date)] : [], hasOtherOnboardingDay: hasOnboarding, nearby: nearby,
            viewerIsLead: viewer.roles.contains(.teamLead) || viewer.roles.contains(.management), viewerStaffID: viewer.staffID?.uuidString)
    }

    /// The staff member's entries the day before, on and after `day`.
    static func nearby(staffID: UUID, around day: Day, excluding entryID: UUID?, on db: any Database) async throws -> [EntryRules.NearbyEntry] {
        let days: [KeptStatement.Value] = [.text(day.adding(days: -1).iso), .text(day.iso), .text(day.adding(days: 1).iso)]
        // Only the four columns the overlap rule reads, kept (an entry write checks inside SQLite's single writer).
        let rows = try await KeptStatement.rows(entryID == nil ? "entryNearby" : "entryNearbyExcluding",
                                                [.id(staffID)] + days + (entryID.map { [.id($0)] } ?? []), on: db) { values in
            var query = ServiceEntryModel.query(on: db).filter(\.$staff.$id == values[0].id).filter(\.$date ~~ values[1...3].map(\.text))
            if values.count > 4 { query = query.filter(\.$id != values[4].id) }
            return query.field(\.$date).field(\.$startMinute).field(\.$minutes).field(\.$kind).plainStatement
        }
        return rows.compactMap { row in
            func column<T: Decodable>(_ name: String, _ type: T.Type) -> T? { try? row.value("service_entries_\(name)", as: T.self) }
            guard let date = column("date", String.self).flatMap(Day.init(iso:)),
                  let start = column("start_minute", Int.self).flatMap(TimeOfDay.init(minuteOfDay:)),
                  let minutes = column("minutes", Int.self), let kind = column("kind", String.self).flatMap(EntryKind.init(rawValue:))
            else { return nil }
            return EntryRules.NearbyEntry(date: date, start: start, minutes: minutes, kind: kind)
        }
    }

    /// A German message when the staff member has another entry at that time (`EntryRules.overlap`).
    static func overlapping(staffID: UUID, facts: EntryFacts, excluding entryID: UUID?, on db: any Database) async throws -> String? {
        EntryRules.overlap(facts, nearby: try await nearby(staffID: staffID, around: facts.date, excluding: entryID, on: db))
    }

    /// Fills in the staff member and the counts under the agreement of the entry's day; answers the
    /// youth office's settings it read (the ledger's refresh reads the same).
    @discardableResult
    static func fill(_ model: ServiceEntryModel, staffID: UUID, facts: EntryFacts, case record: CaseRecord,
                     on db: any Database) async throws -> SettingsBook? {
        let book = try await SettingsBook.load(youthOfficeIDs: [record.youthOfficeID], on: db)[record.youthOfficeID]
        fill(model, staffID: staffID, facts: facts, case: record, book: book)
        return book
    }

    /// `fill` with the youth office's settings already read.
    static func fill(_ model: ServiceEntryModel, staffID: UUID, facts: EntryFacts, case record: CaseRecord, book: SettingsBook?) {
        let settings = book?.settings(on: facts.date, offerID: record.offerID) ?? AgreementSettings()
        model.$staff.id = staffID
        set(model, facts: facts, count: ServiceRules.count(facts, settings: settings))
    }

    static func set(_ model: ServiceEntryModel, facts: EntryFacts, count: EntryCount) {
        model.date = facts.date.iso
        model.startMinute = facts.start.minuteOfDay
        model.minutes = facts.minutes
        model.kind = facts.kind.rawValue
        model.cancelledBy = facts.cancelledBy?.rawValue
        model.cancelledAt = facts.cancelledAt
        model.homeVisit = facts.homeVisit
        model.kilometres = facts.kilometres
        if model.$guardianContact.value == nil { model.guardianContact = false }
        model.billableMinutes = count.billableMinutes
        model.billedMinutes = count.billableMinutes
        model.budgetMinutes = count.budgetMinutes
        model.onboardingMinutes = count.onboardingMinutes
        model.travelCents = count.travel.value
        model.billedTravelCents = count.travel.value
    }

    /// What the audit log keeps of an entry: when, how long, what kind; never content.
    static func auditFields(_ model: ServiceEntryModel, caseID: UUID, old: ServiceEntryModel?) -> [String: AuditChange] {
        [
            "case": AuditChange(from: nil, to: caseID.uuidString),
            "staff": AuditChange(from: nil, to: model.$staff.id.uuidString),
            "date": AuditChange(from: nil, to: model.date),
            "start": AuditChange(from: nil, to: TimeOfDay(minuteOfDay: model.startMinute)?.text ?? ""),
            "minutes": AuditChange(from: nil, to: String(model.minutes)),
            "kind": AuditChange(from: nil, to: model.kind),
        ]
    }
}
