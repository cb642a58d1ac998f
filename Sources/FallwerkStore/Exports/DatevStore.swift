import FallwerkDomain
import Fluent
import Foundation

/// The accountant's settings for the DATEV export: consultant and client number, fiscal year, the
/// revenue account for VAT-exempt social services, and each youth office's debtor account.
public struct DatevConfiguration: Sendable, Hashable {
    public var settings: DatevSettings?
    /// Youth office → debtor account.
    public var debtorAccounts: [UUID: String]

    public init(settings: DatevSettings?, debtorAccounts: [UUID: String]) {
        self.settings = settings
        self.debtorAccounts = debtorAccounts
    }
}

/// What an accountant types on the settings page or sends to the API.
public struct DatevConfigurationInput: Sendable, Equatable {
    public var consultantNumber: Int?
    public var clientNumber: Int?
    public var fiscalYearStartMonth: Int?
    public var accountLength: Int?
    public var revenueAccount: String?
    /// Youth office id (text) → account (text, empty: none).
    public var debtorAccounts: [String: String] = [:]

    public init() {}
}

public enum DatevStore {
    static let entity = "datevSettings"

    public static func configuration(on db: any Database) async throws -> DatevConfiguration {
        guard let model = try await DatevSettingsModel.query(on: db).first(),
              let object = (try? JSONSerialization.jsonObject(with: Data(model.settings.utf8))) as? [String: Any] else {
            return DatevConfiguration(settings: nil, debtorAccounts: [:])
        }
        let settings = (object["consultantNumber"] as? Int).flatMap { consultant in
            (object["clientNumber"] as? Int).map { client in
                DatevSettings(consultantNumber: consultant, clientNumber: client, fiscalYearStartMonth: object["fiscalYearStartMonth"] as? Int ?? 1,
                              accountLength: object["accountLength"] as? Int ?? DatevSettings.defaultAccountLength,
                              revenueAccount: object["revenueAccount"] as? String ?? DatevSettings.defaultRevenueAccount)
            }
        }
        var accounts: [UUID: String] = [:]
        for (key, value) in object["debtorAccounts"] as? [String: String] ?? [:] {
            if let id = UUID(uuidString: key) { accounts[id] = value }
        }
        return DatevConfiguration(settings: settings, debtorAccounts: accounts)
    }

    public static func save(_ input: DatevConfigurationInput, context: WriteContext, on db: any Database) async throws {
        var v = Validator()
        var settings: DatevSettings?
        do {
            settings = try DatevSettings.validated(consultantNumber: input.consultantNumber, clientNumber: input.clientNumber,
                                                   fiscalYearStartMonth: input.fiscalYearStartMonth, accountLength: input.accountLength,
                                                   revenueAccount: input.revenueAccount)
        } catch let failure {
            for error in failure.errors { v.add(error.field, error.message) }
        }
        let offices = try await YouthOfficeModel.query(on: db).all()
        var accounts: [String: String] = [:]
        for (key, raw) in input.debtorAccounts {
            let account = raw.trimmed
            guard let id = UUID(uuidString: key), let office = offices.first(where: { $0.id == id }) else {
                v.add("debtorAccounts", "Ein Jugendamt ist unbekannt.")
                continue
            }
            if account.isEmpty { continue }
            if let settings, !settings.isDebtorAccount(account) {
                v.add("debtorAccounts.\(id.uuidString.lowercased())",
                      "Die Debitorennummer für \(office.name) muss \(settings.accountLength + 1) Ziffern haben und mit 1 bis 6 beginnen (z. B. 10000).")
                continue
            }
            accounts[id.uuidString.lowercased()] = account
        }
        try v.finish()
        guard let settings else { return }
        let object: [String: Any] = ["consultantNumber": settings.consultantNumber, "clientNumber": settings.clientNumber,
                                     "fiscalYearStartMonth": settings.fiscalYearStartMonth, "accountLength": settings.accountLength,
                                     "revenueAccount": settings.revenueAccount, "debtorAccounts": accounts]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        try await db.writeTransaction { db in
            let model = try await DatevSettingsModel.query(on: db).first() ?? DatevSettingsModel()
            let before = model.id == nil ? nil : model.settings
            model.settings = json
            try await model.save(on: db)
            try await AuditLog.record(before == nil ? .create : .update, entity: entity, id: model.id,
                                      changes: ["settings": AuditChange(from: before == nil ? nil : "…", to: "geändert")],
                                      by: context.actor, at: context.now, on: db)
        }
    }

    /// The invoices and cancellations issued in a month (their invoice date, Berlin time) as a DATEV
    /// Buchungsstapel: an invoice debits the youth office's debtor account against the revenue account; a
    /// cancellation credits it. Refused, with what is missing in German, while the settings or a youth
    /// office's debtor account are missing.
    public static func export(month: Month, context: WriteContext, on db: any Database) async throws -> (fileName: String, bytes: [UInt8]) {
        let configuration = try await configuration(on: db)
        guard let settings = configuration.settings else {
            throw ValidationFailure([FieldError("settings", "Für den DATEV-Export fehlen noch Berater- und Mandantennummer (Abrechnung › DATEV-Einstellungen).")])
        }
        let start = BerlinTime.instant(month.firstDay, TimeOfDay(minuteOfDay: 0)!)
        let end = BerlinTime.instant(month.lastDay.adding(days: 1), TimeOfDay(minuteOfDay: 0)!)
        let invoices = try await InvoiceModel.query(on: db).filter(\.$number != nil).filter(\.$issuedAt >= start).filter(\.$issuedAt < end)
            .sort(\.$number).all()
        let caseIDs = Set(invoices.map { $0.$case.id })
        let cases = caseIDs.isEmpty ? [] : try await CaseModel.query(on: db).filter(\.$id ~~ caseIDs).all()
        let officeOf = Dictionary(uniqueKeysWithValues: cases.compactMap { c in c.id.map { ($0, (c.$youthOffice.id, c.fileNumber)) } })
        let offices = try await YouthOfficeModel.query(on: db).all()
        let originals = Dictionary(uniqueKeysWithValues: invoices.compactMap { i in i.id.map { ($0, i.number ?? "") } })
        var missing: Set<String> = []
        var bookings: [DatevBooking] = []
        for invoice in invoices where invoice.totalCents != 0 {
            guard let number = invoice.number, let (officeID, fileNumber) = officeOf[invoice.$case.id] else { continue }
            guard let account = configuration.debtorAccounts[officeID] else {
                missing.insert(offices.first { $0.id == officeID }?.name ?? "–")
                continue
            }
            guard let issuedAt = invoice.issuedAt else { continue }
            let issued = BerlinTime.local(issuedAt).day
            let cancellation = invoice.status == "cancellation"
            let text = cancellation
                ? "Storno \(number) zu \(invoice.cancelsInvoiceID.flatMap { originals[$0] } ?? "") Az \(fileNumber)"
                : "Rechnung \(number) Az \(fileNumber)"
            bookings.append(DatevBooking(amount: Cents(abs(invoice.totalCents)), debit: invoice.totalCents > 0, account: account,
                                         contraAccount: settings.revenueAccount, documentDate: issued,
                                         documentNumber: number, bookingText: text))
        }
        if !missing.isEmpty {
            throw ValidationFailure([FieldError("debtorAccounts", "Für \(missing.sorted().joined(separator: ", ")) fehlt die Debitorennummer (Abrechnung › DATEV-Einstellungen).")])
        }
        let created = BerlinTime.local(context.now)
        let bytes = DatevExport.buchungsstapel(settings: settings, from: month.firstDay, to: month.lastDay,
                                               createdAt: (created.day, created.time.hour, created.time.minuteOfDay % 60, 0),
                                               description: "Rechnungen \(month.german)", bookings: bookings)
        try await AuditLog.record(.read, entity: "datevExport", id: nil, changes: ["month": AuditChange(from: nil, to: month.iso),
                                                                               "bookings": AuditChange(from: nil, to: String(bookings.count))],
                                  by: context.actor, at: context.now, on: db)
        return (DatevExport.fileName(from: month.firstDay, to: month.lastDay), bytes)
    }
}
