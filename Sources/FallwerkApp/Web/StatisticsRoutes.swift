import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Foundation
import Vapor

/// Pages for statistics (R29), the performance report (R30) and the DATEV export. Statistics: management,
/// team leads (their teams) and accounting (money figures); reports: management and team leads; DATEV:
/// accounting and management.
enum StatisticsRoutes {
    static func register(on pages: any RoutesBuilder) {
        let statistics = PolicyRoutes(pages, Policies.statistics, whenDenied: .redirectToLogin)
        statistics.get("statistik") { req in try await page(req) }
        statistics.get("statistik.csv") { req in try await csv(req) }
        let reports = PolicyRoutes(pages, Policies.openCases, whenDenied: .redirectToLogin)
        reports.get("leistungsberichte") { req in try await reportList(req) }
        reports.post("leistungsberichte") { req in try await createReport(req) }
        reports.get("leistungsberichte", ":id") { req in try await report(req) }
        reports.get("leistungsberichte", ":id", "leistungsbericht.docx") { req in try await docx(req) }
        reports.post("leistungsberichte", ":id", "abschnitte", ":section") { req in try await saveSection(req) }
        reports.post("leistungsberichte", ":id", ":step") { req in try await step(req) }
        let billing = PolicyRoutes(pages, Policies.billing, whenDenied: .redirectToLogin)
        billing.get("abrechnung", "datev") { req in try await datevSettings(req) }
        billing.post("abrechnung", "datev") { req in try await saveDatevSettings(req) }
        billing.get("abrechnung", ":month", "datev.csv") { req in try await datevExport(req) }
    }

    static func write(_ req: Request) throws -> WriteContext { try DocumentationRoutes.write(req) }

    // MARK: Statistics (R29)

    /// The period asked for, default this calendar year up to today.
    static func parameters(_ req: Request) -> [String: String] {
        var values = (try? req.query.decode([String: String].self)) ?? [:]
        if (values["from"] ?? "").isEmpty { values["from"] = Day(year: req.today.year, month: 1, day: 1)!.iso }
        if (values["to"] ?? "").isEmpty { values["to"] = req.today.iso }
        return values
    }

    static func query(_ values: [String: String]) -> String {
        ["from", "to", "youthOfficeId", "offerId", "teamId"].compactMap { key in
            values[key].flatMap { $0.isEmpty ? nil : "\(key)=\(SiteURLPaths.percentEncoded($0))" }
        }.joined(separator: "&")
    }

    static func page(_ req: Request) async throws -> Response {
        let values = parameters(req)
        let viewer = try await req.viewer()
        let offices = try await YouthOfficeStore.list(on: req.db).map { (value: $0.id.uuidString.lowercased(), label: $0.office.name) }
        let offers = try await OfferStore.list(on: req.db).map { (value: $0.id.uuidString.lowercased(), label: $0.offer.name) }
        let teams = try await TeamStore.list(on: req.db)
            .filter { viewer.roles.contains(.management) || viewer.roles.contains(.accounting) || viewer.ledTeamIDs.contains($0.id) }
            .map { (value: $0.id.uuidString.lowercased(), label: $0.name) }
        do {
            let (stats, view) = try await StatisticsRequest.load(from: values["from"], to: values["to"], youthOfficeId: values["youthOfficeId"],
                                                                  offerId: values["offerId"], teamId: values["teamId"], req: req)
            return WebContext.html(StatisticsPages.statistics(
                context: WebContext.pageContext(for: req), stats: stats, full: view == .full, filter: FormState(values: values), offices: offices,
                offers: offers, teams: teams, csvURL: SiteURL.statisticsCSV(query(values)).path,
                canReport: Policies.openCases.allows(req.currentUser)))
        } catch let failure as ValidationFailure {
            // A period that cannot be: this year, with the message over the form.
            var fallback = values
            fallback["from"] = Day(year: req.today.year, month: 1, day: 1)!.iso
            fallback["to"] = req.today.iso
            let (stats, view) = try await StatisticsRequest.load(from: fallback["from"], to: fallback["to"], youthOfficeId: values["youthOfficeId"],
                                                                  offerId: values["offerId"], teamId: values["teamId"], req: req)
            return WebContext.html(StatisticsPages.statistics(
                context: WebContext.pageContext(for: req), stats: stats, full: view == .full,
                filter: FormState(values: values, errors: failure.errors), offices: offices, offers: offers, teams: teams,
                csvURL: SiteURL.statisticsCSV(query(fallback)).path, canReport: Policies.openCases.allows(req.currentUser)),
                status: .unprocessableEntity)
        }
    }

    static func csv(_ req: Request) async throws -> Response {
        let values = parameters(req)
        let (stats, view) = try await StatisticsRequest.load(from: values["from"], to: values["to"], youthOfficeId: values["youthOfficeId"],
                                                              offerId: values["offerId"], teamId: values["teamId"], req: req)
        let response = Response(status: .ok, body: .init(string: StatisticsCSV.document(stats, view: view)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "Statistik-\(stats.period.from.iso)-\(stats.period.to.iso).csv")
        return response
    }

    // MARK: Performance report (R30)

    static func teamOptions(_ req: Request) async throws -> [(value: String, label: String)] {
        let viewer = try await req.viewer()
        return try await TeamStore.list(on: req.db).filter { viewer.roles.contains(.management) || viewer.ledTeamIDs.contains($0.id) }
            .map { (value: $0.id.uuidString.lowercased(), label: $0.name) }
    }

    static func reportList(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let reports = try await PerformanceReportStore.list(viewer: try await req.viewer(), on: req.db)
        var shown = state ?? FormState()
        if shown.values["from"] == nil { shown.values["from"] = Day(year: req.today.year - 2, month: 1, day: 1)!.iso }
        if shown.values["to"] == nil { shown.values["to"] = Day(year: req.today.year - 1, month: 12, day: 31)!.iso }
        return WebContext.html(StatisticsPages.reports(context: WebContext.pageContext(for: req), reports: reports, state: shown,
                                                       teams: try await teamOptions(req)), status: status)
    }

    static func createReport(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        do {
            let id = try await PerformanceReportStore.create(from: form.optional("from"), to: form.optional("to"), teamID: form.optional("teamId"),
                                                             viewer: try await req.viewer(), context: try write(req), today: req.today, on: req.db)
            return WebContext.redirect(.performanceReport(id), notice: "Der Entwurf ist angelegt; die Zahlen sind eingetragen. Jetzt die Texte schreiben.", on: req)
        } catch let failure as ValidationFailure {
            return try await reportList(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func report(_ req: Request, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let viewer = try await req.viewer()
        let report = try await PerformanceReportStore.get(try req.uuid("id"), viewer: viewer, on: req.db)
        return WebContext.html(StatisticsPages.report(context: WebContext.pageContext(for: req), report, canApprove: viewer.roles.contains(.management),
                                                      state: state, today: req.today), status: status)
    }

    static func docx(_ req: Request) async throws -> Response {
        let (name, data) = try await PerformanceReportDocument.docx(try req.uuid("id"), req: req)
        return DocumentationRoutes.docxResponse(name: name, data: data)
    }

    static func saveSection(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let section = req.parameters.get("section") ?? ""
        let form = FormData(request: req)
        do {
            try await PerformanceReportStore.updateText(id, section: section, text: form["text"], viewer: try await req.viewer(), context: try write(req),
                                                        on: req.db)
            return WebContext.redirect(.performanceReport(id), notice: "Der Abschnitt ist gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            var values = form.values
            values["section"] = section
            return try await report(req, state: FormState(values: values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func step(_ req: Request) async throws -> Response {
        let id = try req.uuid("id")
        let form = FormData(request: req)
        let viewer = try await req.viewer(), context = try write(req)
        do {
            switch req.parameters.get("step") {
            case "zahlen":
                try await PerformanceReportStore.refreshFigures(id, viewer: viewer, context: context, on: req.db)
                return WebContext.redirect(.performanceReport(id), notice: "Die Zahlen sind neu berechnet.", on: req)
            case "freigeben":
                try await PerformanceReportStore.approve(id, viewer: viewer, context: context, today: req.today, on: req.db)
                return WebContext.redirect(.performanceReport(id), notice: "Der Leistungsbericht ist freigegeben; die Zahlen sind festgeschrieben.", on: req)
            case "vorlegen":
                try await PerformanceReportStore.submit(id, date: form.optional("date"), viewer: viewer, context: context, today: req.today, on: req.db)
                return WebContext.redirect(.performanceReport(id), notice: "Die Vorlage ist eingetragen; das Trägergespräch ist in 12 Wochen fällig.", on: req)
            case "gespraech":
                try await PerformanceReportStore.recordMeeting(id, date: form.optional("date"), viewer: viewer, context: context, today: req.today, on: req.db)
                return WebContext.redirect(.performanceReport(id), notice: "Das Trägergespräch ist eingetragen.", on: req)
            default:
                throw Abort(.notFound)
            }
        } catch let failure as ValidationFailure {
            return try await report(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    // MARK: DATEV

    static func officeOptions(_ req: Request) async throws -> [(value: String, label: String)] {
        try await YouthOfficeStore.list(on: req.db).map { (value: $0.id.uuidString.lowercased(), label: $0.office.name) }
    }

    static func datevSettings(_ req: Request, state: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        var shown = state
        if shown == nil {
            let configuration = try await DatevStore.configuration(on: req.db)
            var values: [String: String] = ["fiscalYearStartMonth": "1", "accountLength": String(DatevSettings.defaultAccountLength),
                                            "revenueAccount": DatevSettings.defaultRevenueAccount]
            if let s = configuration.settings {
                values["consultantNumber"] = String(s.consultantNumber)
                values["clientNumber"] = String(s.clientNumber)
                values["fiscalYearStartMonth"] = String(s.fiscalYearStartMonth)
                values["accountLength"] = String(s.accountLength)
                values["revenueAccount"] = s.revenueAccount
            }
            for (office, account) in configuration.debtorAccounts { values["debtorAccounts.\(office.uuidString.lowercased())"] = account }
            shown = FormState(values: values)
        }
        return WebContext.html(StatisticsPages.datev(context: WebContext.pageContext(for: req), offices: try await officeOptions(req), state: shown!),
                               status: status)
    }

    static func saveDatevSettings(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        var input = DatevConfigurationInput()
        var errors: [FieldError] = []
        for (name, keyPath) in [("consultantNumber", \DatevConfigurationInput.consultantNumber), ("clientNumber", \.clientNumber),
                                ("fiscalYearStartMonth", \.fiscalYearStartMonth), ("accountLength", \.accountLength)] {
            switch form.int(name) {
            case .some(let value): input[keyPath: keyPath] = value
            case .none: errors.append(FieldError(name, "Bitte eine ganze Zahl angeben."))
            }
        }
        input.revenueAccount = form.optional("revenueAccount")
        for (key, value) in form.pairs where key.hasPrefix("debtorAccounts.") {
            input.debtorAccounts[String(key.dropFirst("debtorAccounts.".count))] = value
        }
        do {
            if !errors.isEmpty { throw ValidationFailure(errors) }
            try await DatevStore.save(input, context: try write(req), on: req.db)
            return WebContext.redirect(.billing(nil), notice: "Die DATEV-Einstellungen sind gespeichert.", on: req)
        } catch let failure as ValidationFailure {
            return try await datevSettings(req, state: FormState(values: form.values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    static func datevExport(_ req: Request) async throws -> Response {
        guard let month = req.parameters.get("month").flatMap(Month.init(iso:)) else { throw Abort(.notFound) }
        do {
            let (name, bytes) = try await DatevStore.export(month: month, context: try write(req), on: req.db)
            let response = Response(status: .ok, body: .init(buffer: ByteBuffer(bytes: bytes)))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "windows-1252"])
            response.headers.contentDisposition = .init(.attachment, filename: name)
            return response
        } catch let failure as ValidationFailure {
            return WebContext.redirect(.datevSettings, notice: failure.errors.map(\.message).joined(separator: " "), on: req)
        }
    }
}
