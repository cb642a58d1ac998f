import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Plot
import Vapor

/// Page routes: sign-in, start page, master data, provider, audit log.
enum WebRoutes {
    static func register(on app: Application) {
        let open = PolicyRoutes(app, .open, whenDenied: .problem)
        open.get("assets", "fallwerk.css") { _ in stylesheet() }

        // Vapor's sessions middleware is future-based: the async ones after it run in the route's one task (decision 0033).
        let pages = InlineGroup(app.grouped(FormBodyMiddleware(), app.sessions.middleware), SessionAuthMiddleware(), CSRFMiddleware())
        let public_ = PolicyRoutes(pages, .open, whenDenied: .redirectToLogin)
        public_.get("anmelden") { req in loginPage(req, username: "", message: nil, status: .ok) }
        public_.post("anmelden", use: login)
        public_.post("abmelden", use: logout)

        PolicyRoutes(pages, .signedIn, whenDenied: .redirectToLogin).get { req in try await home(req) }
        MasterDataRoutes.register(on: pages)
        WorkRoutes.register(on: pages)
        CasePageRoutes.register(on: pages)
        CarePlanRoutes.register(on: pages, open: app)
        BillingRoutes.register(on: pages)
        DocumentationRoutes.register(on: pages)
        ChildProtectionRoutes.register(on: pages)
        SafeguardingRoutes.register(on: pages)
        GroupSessionRoutes.register(on: pages)
        StaffingRoutes.register(on: pages)
        StatisticsRoutes.register(on: pages)
        AccountRoutes.register(on: pages)
        HealthRoutes.register(on: pages)

        PolicyRoutes(pages, Policies.readProvider, whenDenied: .redirectToLogin).get("traeger") { req in
            let profile = try await ProviderStore.get(on: req.db)
            let state = FormState(values: profile.map(ProviderPage.values) ?? [:])
            return WebContext.html(ProviderPage.form(context: WebContext.pageContext(for: req), state: state,
                                                     canEdit: Policies.editProvider.allows(req.currentUser)))
        }
        PolicyRoutes(pages, Policies.editProvider, whenDenied: .redirectToLogin).post("traeger") { req in
            let form = FormData(request: req)
            var input = ProviderInput()
            input.name = form["name"]
            input.address = AddressInput(street: form["address.street"], postalCode: form["address.postalCode"], city: form["address.city"])
            input.taxNumber = form["taxNumber"]
            input.iban = form["iban"]
            input.bic = form["bic"]
            input.bankName = form["bankName"]
            input.email = form["email"]
            input.phone = form["phone"]
            var numbers: [FieldError] = []
            for (name, keyPath) in [("productivePercent", \ProviderInput.productivePercent), ("requestAlertDays", \ProviderInput.requestAlertDays)] {
                switch form.int(name) {
                case .some(let value): input[keyPath: keyPath] = value
                case .none: numbers.append(FieldError(name, "Bitte eine ganze Zahl angeben."))
                }
            }
            do {
                if !numbers.isEmpty { throw ValidationFailure(numbers) }
                try await ProviderStore.save(input, context: WriteContext(actor: try req.requireUser().auditActor, now: req.now), on: req.db)
                return WebContext.redirect(.provider, notice: "Die Angaben des Trägers sind gespeichert.", on: req)
            } catch let failure as ValidationFailure {
                let state = FormState(values: form.values, errors: failure.errors)
                return WebContext.html(ProviderPage.form(context: WebContext.pageContext(for: req), state: state, canEdit: true),
                                       status: .unprocessableEntity)
            }
        }
        DataProtectionRoutes.register(pages)
    }

    static func stylesheet() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: Assets.stylesheet))
    }

    static func loginPage(_ req: Request, username: String, message: String?, status: HTTPResponseStatus,
                          keep: [(String, String)] = [], next explicitNext: String? = nil) -> Response {
        let next = SafeRedirect.path(explicitNext ?? (try? req.query.get(String.self, at: "weiter")))
        if req.currentUser != nil, status == .ok, keep.isEmpty { return req.redirect(to: next ?? SiteURL.home.path) }
        var notice: String?
        if (try? req.query.get(String.self, at: "abgelaufen")) != nil || req.storage[SessionExpiredKey.self] == true {
            notice = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
        } else if (try? req.query.get(String.self, at: "abgemeldet")) != nil {
            notice = "Sie sind abgemeldet."
        }
        let base = WebContext.pageContext(for: req)
        let context = PageContext(user: nil, csrfToken: base.csrfToken, notice: notice ?? base.notice)
        return WebContext.html(LoginPage.render(context: context, username: username, message: message,
                                                action: SiteURLPaths.login(next: next), keep: keep),
                               status: status)
    }

    @Sendable static func login(_ req: Request) async throws -> Response {
        let form = FormData(request: req)
        let username = form["username"] ?? ""
        // Values of a form that was sent while signed out (see `PolicyMiddleware`), to be sent again.
        let kept = form.pairs.compactMap { name, value in
            name.hasPrefix(LoginPage.keepPrefix) ? (String(name.dropFirst(LoginPage.keepPrefix.count)), value) : nil
        }
        do {
            let user = try await LoginService.authenticate(username: username, password: form["password"] ?? "", on: req)
            try await PageSessions.signIn(user, on: req)
            req.auth.login(user)
            let next = SafeRedirect.path(try? req.query.get(String.self, at: "weiter")) ?? SiteURL.home.path
            if !kept.isEmpty {
                return WebContext.html(ResubmitPage.render(
                    context: WebContext.pageContext(for: req),
                    reason: "Sie sind wieder angemeldet. Ihre Eingaben sind nicht verloren: Bitte prüfen Sie sie und senden Sie sie jetzt ab.",
                    action: next, fields: kept))
            }
            return req.redirect(to: next)
        } catch let problem as Problem {
            return loginPage(req, username: username, message: problem.detail, status: problem.status, keep: kept)
        }
    }

    @Sendable static func logout(_ req: Request) async throws -> Response {
        if let user = req.currentUser {
            try await AuditLog.record(.logout, entity: "session", id: user.id, by: user.auditActor, at: req.now, on: req.db)
        }
        PageSessions.signOut(on: req)
        return req.redirect(to: SiteURL.login.path + "?abgemeldet=1")
    }

    static func home(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let staff = try await StaffStore.forUser(user.id, on: req.db)
        var tiles: [HomePage.Tile] = []
        let roles = user.roles
        if !roles.isDisjoint(with: [.admin, .management]) {
            tiles += [
                .init(title: "Jugendämter", text: "Anschriften, Leitweg-IDs, Ansprechpersonen", url: .youthOffices),
                .init(title: "Angebote", text: "Hilfearten mit Rechtsgrundlage und Vorgaben", url: .offers),
                .init(title: "Teams und Mitarbeitende", text: "Standorte, Qualifikationen, Wochenstunden", url: .staff),
            ]
        }
        if !roles.isDisjoint(with: [.admin, .management, .accounting]) {
            tiles += [
                .init(title: "Vereinbarungen", text: "Stundensätze und Regeln je Jugendamt", url: .agreements),
                .init(title: "Träger", text: "Angaben für Rechnungen", url: .provider),
            ]
        }
        if roles.contains(.admin) { tiles.append(.init(title: "Benutzer", text: "Anmeldungen und Rollen", url: .users)) }
        if let staff { tiles.append(.init(title: "Meine Personalstandards", text: "Fortbildungen, Supervisionen, Führungszeugnis", url: .staffRecord(staff.id, year: nil))) }
        if roles.contains(.management) {
            tiles.append(.init(title: "Protokoll", text: "Wer hat wann was gesehen oder geändert", url: .auditLog))
            tiles.append(.init(title: "Aufbewahrung", text: "Akten sperren und löschen (R32)", url: .retention))
        }
        if !roles.isDisjoint(with: [.caseworker, .teamLead]), roles.isDisjoint(with: [.admin, .management]) {
            tiles += [
                .init(title: "Jugendämter", text: "Ansprechpersonen nachschlagen", url: .youthOffices),
                .init(title: "Mein Team", text: "Kolleginnen und Kollegen", url: .teams),
            ]
        }
        var hint: String?
        if roles.contains(.admin) || roles.contains(.management), try await ProviderStore.get(on: req.db) == nil {
            hint = "Die Angaben des Trägers fehlen noch; sie werden für Rechnungen gebraucht."
        }
        // The caseworker's start: their own running cases with budget, last contact and alerts.
        var myCases: [CaseWork]?
        if let staffID = staff?.id, !roles.isDisjoint(with: [.caseworker, .teamLead]) {
            let viewer = try await req.viewer()
            myCases = try await CaseWorkStore.startPage(staffID: staffID, visibleTo: viewer, today: req.today, on: req.db)
        }
        // Management and team leads first see what is due across their cases, most urgent first.
        var due: Node<HTML.BodyContext>?
        if !roles.isDisjoint(with: [.management, .teamLead]) {
            let viewer = try await req.viewer()
            let scope = CarePlanRoutes.scopes(for: viewer).last ?? .mine
            let page = try await DeadlineStore.upcoming(scope, weeks: CarePlanPages.dueSoonWeeks, limit: 10, viewer: viewer, today: req.today, on: req.db)
            due = CarePlanPages.dueSoon(page, scope: scope, today: req.today)
        }
        let safeguarding = roles.contains(.management) ? try await SafeguardingStore.overdue(now: req.nowInBerlin, on: req.db) : nil
        // Issue 14: who is on call now for everyone who works on cases; for planners what needs them.
        var staffing: Node<HTML.BodyContext>?
        if !roles.isDisjoint(with: [.caseworker, .teamLead, .management]) {
            let viewer = try await req.viewer()
            let planner = !roles.isDisjoint(with: [.teamLead, .management])
            staffing = StaffingPages.homeBox(
                onCall: try await OnCallStore.now(req.nowInBerlin, on: req.db),
                certificates: try await StaffingStore.certificateNotices(viewer: viewer, today: req.today, on: req.db),
                overdueRequests: planner ? try await IntakeStore.overdue(today: req.today, on: req.db).count : 0,
                gaps: planner ? try await OnCallStore.upcomingGaps(today: req.today, on: req.db) : nil)
        }
        return WebContext.html(HomePage.render(context: WebContext.pageContext(for: req),
                                               staffName: staff.map { $0.member.firstName }, tiles: tiles, setupHint: hint, due: due,
                                               myCases: myCases.map { OverviewPages.myCases($0, today: req.today) }, safeguarding: safeguarding,
                                               staffing: staffing))
    }
}
