import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

/// The master-data pages: what each kind shows and how its form reads.
enum MasterDataRoutes {
    static func register(on routes: any RoutesBuilder) {
        youthOffices.register(on: routes)
        offers.register(on: routes)
        agreements.register(on: routes)
        teams.register(on: routes)
        staff.register(on: routes)
        users.register(on: routes)
    }

    static let youthOffices = MasterDataPages<YouthOfficeInput>(
        list: .youthOffices, new: .newYouthOffice, record: SiteURL.youthOffice,
        read: Policies.readMasterData, edit: Policies.editMasterData, savedNotice: "Das Jugendamt ist gespeichert.",
        renderList: { req, context, canEdit in
            YouthOfficePages.list(context: context, offices: try await YouthOfficeStore.list(on: req.db), canEdit: canEdit)
        },
        renderForm: { _, context, state, id, canEdit in
            YouthOfficePages.form(context: context, state: state, id: id, canEdit: canEdit)
        },
        defaults: { _ in [:] },
        load: { req, id in YouthOfficePages.values(try await YouthOfficeStore.get(id, on: req.db).office) },
        parse: { form in
            var input = YouthOfficeInput()
            input.name = form["name"]
            input.leitwegId = form["leitwegId"]
            input.address = AddressInput(street: form["address.street"], postalCode: form["address.postalCode"], city: form["address.city"])
            input.email = form["email"]
            input.phone = form["phone"]
            var index = 0
            while form.pairs.contains(where: { $0.0.hasPrefix("contacts[\(index)].") }) {
                let p = "contacts[\(index)]."
                input.contacts.append(ContactPersonInput(
                    name: form[p + "name"], phone: form[p + "phone"], email: form[p + "email"],
                    deputyName: form[p + "deputyName"], deputyPhone: form[p + "deputyPhone"], deputyEmail: form[p + "deputyEmail"]))
                index += 1
            }
            return (input, [])
        },
        save: { input, id, context, req in try await YouthOfficeStore.save(input, id: id, context: context, on: req.db) }
    )

    static let offers = MasterDataPages<OfferInput>(
        list: .offers, new: .newOffer, record: SiteURL.offer,
        read: Policies.readMasterData, edit: Policies.editMasterData, savedNotice: "Das Angebot ist gespeichert.",
        renderList: { req, context, canEdit in
            OfferPages.list(context: context, offers: try await OfferStore.list(on: req.db), canEdit: canEdit)
        },
        renderForm: { _, context, state, id, canEdit in OfferPages.form(context: context, state: state, id: id, canEdit: canEdit) },
        defaults: { _ in [:] },
        load: { req, id in OfferPages.values(try await OfferStore.get(id, on: req.db).offer) },
        parse: { form in
            var errors: [FieldError] = []
            var input = OfferInput()
            input.name = form["name"]
            input.legalBasis = form["legalBasis"]
            input.description = form["description"]
            input.firstReviewMonths = form.integer("firstReviewMonths", label: "Die erste Überprüfung", into: &errors)
            input.onboardingDayHours = form["onboardingDayHours"]
            input.requiredQualification = form["requiredQualification"]
            return (input, errors)
        },
        save: { input, id, context, req in try await OfferStore.save(input, id: id, context: context, on: req.db) }
    )

    static let agreements = MasterDataPages<AgreementDraft>(
        list: .agreements, new: .newAgreement, record: SiteURL.agreement,
        read: Policies.readAgreements, edit: Policies.editAgreements, savedNotice: "Die Vereinbarung ist gespeichert.",
        renderList: { req, context, canEdit in
            AgreementPages.list(context: context, agreements: try await AgreementStore.list(on: req.db), canEdit: canEdit)
        },
        renderForm: { req, context, state, id, canEdit in
            let offices = try await YouthOfficeStore.list(on: req.db).map { (id: $0.id, name: $0.office.name) }
            let offers = try await OfferStore.list(on: req.db).map { (id: $0.id, name: $0.offer.name) }
            return AgreementPages.form(context: context, state: state, id: id, canEdit: canEdit, youthOffices: offices, offers: offers)
        },
        defaults: { _ in AgreementPages.settingValues(.defaults) },
        load: { req, id in AgreementPages.values(try await AgreementStore.get(id, on: req.db)) },
        parse: { form in
            var errors: [FieldError] = []
            var draft = AgreementDraft()
            draft.youthOfficeId = form["youthOfficeId"]
            draft.terms.validFrom = form["validFrom"]
            draft.terms.validTo = form["validTo"]
            for (key, value) in form.pairs where key.hasPrefix("rate.") && !value.trimmed.isEmpty {
                draft.offerIds.append(String(key.dropFirst("rate.".count)))
                draft.terms.hourlyRates.append(value)
            }
            draft.terms.settings = settings(from: form, errors: &errors)
            return (draft, errors)
        },
        save: { draft, id, context, req in try await AgreementStore.save(draft, id: id, context: context, on: req.db) },
        formField: { field, form in
            // rates[k].… refers to the k-th filled rate field of this form.
            guard field.hasPrefix("rates["), let close = field.firstIndex(of: "]"),
                  let k = Int(field[field.index(field.startIndex, offsetBy: 6)..<close])
            else { return field }
            let filled = form.pairs.filter { $0.0.hasPrefix("rate.") && !$0.1.trimmed.isEmpty }
            return k < filled.count ? filled[k].0 : field
        }
    )

    static func settings(from form: FormData, errors: inout [FieldError]) -> AgreementSettingsInput {
        var s = AgreementSettingsInput()
        func int(_ name: String, _ label: String) -> Int? {
            form.integer("settings." + name, label: label, required: true, into: &errors)
        }
        s.firstReviewMonths = int("firstReviewMonths", "Die erste Überprüfung")
        s.reviewIntervalMonths = int("reviewIntervalMonths", "Der Überprüfungsabstand")
        s.reportLeadDays = int("reportLeadDays", "Die Berichtsvorlaufzeit")
        s.planDocumentDays = int("planDocumentDays", "Die Frist für den Hilfeplan")
        s.costApprovalDays = int("costApprovalDays", "Die Frist für die Kostenzusage")
        s.specificationWeeksFrom = int("specificationWeeksFrom", "Der Beginn der Konkretisierung")
        s.specificationWeeksTo = int("specificationWeeksTo", "Das Ende der Konkretisierung")
        s.noContactAlertDays = int("noContactAlertDays", "Die Warnung ohne Kontakt")
        s.shortNoticeHours = int("shortNoticeHours", "Die Frist für kurzfristige Absagen")
        s.shortNoticeBillablePercent = int("shortNoticeBillablePercent", "Der abrechenbare Anteil")
        s.shortNoticeBudgetPercent = int("shortNoticeBudgetPercent", "Der Kontingentanteil")
        s.noShowAlertAfter = int("noShowAlertAfter", "Die Zahl der Ausfälle")
        s.roundingMinutes = int("roundingMinutes", "Die Rundungseinheit")
        s.blockAfterYears = int("blockAfterYears", "Die Sperrfrist")
        s.deleteAfterAge = int("deleteAfterAge", "Das Löschalter")
        s.invoiceRetentionYears = int("invoiceRetentionYears", "Die Aufbewahrung von Rechnungen")
        s.balancing = form.optional("settings.balancing")
        s.travelMode = form.optional("settings.travelMode")
        func decimal(_ name: String, _ label: String) -> String? {
            if form["settings." + name] != nil, form.optional("settings." + name) == nil {
                errors.append(FieldError("settings." + name, "\(label) fehlt. Bitte einen Wert wie 1,5 angeben."))
            }
            return form.optional("settings." + name)
        }
        s.reportHours = decimal("reportHours", "Die Stunden je Bericht")
        s.onboardingDayHours = decimal("onboardingDayHours", "Die Stunden des Einstiegstags")
        s.travelFlatRate = decimal("travelFlatRate", "Die Fahrtkostenpauschale")
        s.travelRatePerKm = decimal("travelRatePerKm", "Der Kilometersatz")
        s.requireClientSignature = form.optional("settings.requireClientSignature").map { $0 == "true" }
        return s
    }

    static let teams = MasterDataPages<TeamDraft>(
        list: .teams, new: .newTeam, record: SiteURL.team,
        read: Policies.readMasterData, edit: Policies.editMasterData, savedNotice: "Das Team ist gespeichert.",
        renderList: { req, context, canEdit in
            TeamPages.list(context: context, teams: try await TeamStore.list(on: req.db), canEdit: canEdit)
        },
        renderForm: { req, context, state, id, canEdit in
            TeamPages.form(context: context, state: state, id: id, canEdit: canEdit, staff: try await StaffStore.list(on: req.db))
        },
        defaults: { _ in [:] },
        load: { req, id in TeamPages.values(try await TeamStore.get(id, on: req.db)) },
        parse: { form in
            var draft = TeamDraft()
            draft.team = TeamInput(name: form["name"], location: form["location"])
            draft.leadStaffId = form["leadStaffId"]
            return (draft, [])
        },
        save: { draft, id, context, req in try await TeamStore.save(draft, id: id, context: context, on: req.db) }
    )

    static let staff = MasterDataPages<StaffDraft>(
        list: .staff, new: .newStaff, record: SiteURL.staffMember,
        read: Policies.readMasterData, edit: Policies.editMasterData, savedNotice: "Die Angaben sind gespeichert.",
        renderList: { req, context, canEdit in
            StaffPages.list(context: context, staff: try await StaffStore.list(on: req.db), canEdit: canEdit)
        },
        renderForm: { req, context, state, id, canEdit in
            StaffPages.form(context: context, state: state, id: id, canEdit: canEdit,
                            teams: try await TeamStore.list(on: req.db), users: try await UserStore.list(on: req.db))
        },
        defaults: { _ in [:] },
        load: { req, id in StaffPages.values(try await StaffStore.get(id, on: req.db)) },
        parse: { form in
            var draft = StaffDraft()
            draft.staff.firstName = form["firstName"]
            draft.staff.lastName = form["lastName"]
            draft.staff.qualification = form["qualification"]
            draft.staff.weeklyHours = form["weeklyHours"]
            draft.staff.email = form["email"]
            draft.staff.inductionCompleted = form["inductionCompleted"]
            draft.staff.leavingDate = form["leavingDate"]
            draft.teamId = form["teamId"]
            draft.userId = form["userId"]
            return (draft, [])
        },
        save: { draft, id, context, req in try await StaffStore.save(draft, id: id, context: context, on: req.db) }
    )

    static let users: MasterDataPages<UserInput> = {
        var pages = MasterDataPages<UserInput>(
            list: .users, new: .newUser, record: SiteURL.user,
            read: Policies.manageUsers, edit: Policies.manageUsers, savedNotice: "Der Benutzer ist gespeichert.",
            renderList: { req, context, _ in UserPages.list(context: context, users: try await UserStore.list(on: req.db)) },
            renderForm: { req, context, state, id, _ in
                var account: (user: UserRecord, isSelf: Bool)?
                if let id { account = (try await UserStore.get(id, on: req.db), id == req.currentUser?.id) }
                return UserPages.form(context: context, state: state, id: id, account: account)
            },
            defaults: { _ in [:] },
            load: { req, id in
                let user = try await UserStore.get(id, on: req.db)
                return ["username": user.username, "displayName": user.displayName]
            },
            parse: { form in
                (UserInput(username: form["username"], displayName: form["displayName"], roles: form.all("roles"),
                           password: form["password"]), [])
            },
            save: { input, id, context, req in
                try await UserStore.save(input, id: id, hash: PasswordHashing.hasher(for: req.application),
                                         context: context, on: req.db)
            }
        )
        pages.multiValues = { req, id in ["roles": try await UserStore.get(id, on: req.db).roles.map(\.rawValue)] }
        return pages
    }()
}
