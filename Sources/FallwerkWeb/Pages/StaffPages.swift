import FallwerkDomain
import FallwerkStore
import Foundation
import Plot

public enum TeamPages {
    public static func list(context: PageContext, teams: [TeamRecord], canEdit: Bool) -> String {
        Layout.page(
            title: "Teams", context: context, current: .teams,
            Layout.heading("Teams", action: canEdit ? ("Neues Team", .newTeam) : nil),
            Layout.table(
                columns: ["Team", "Standort", "Teamleitung", "Mitarbeitende"],
                rows: teams.map { team in
                    [.a(.href(SiteURL.team(team.id).path), .text(team.name)), .text(team.location),
                     .text(team.leadName ?? "–"), .text("\(team.memberCount)")]
                },
                empty: "Noch keine Teams erfasst."
            )
        )
    }

    public static func values(_ team: TeamRecord) -> [String: String] {
        ["name": team.name, "location": team.location, "leadStaffId": team.leadStaffID?.uuidString ?? ""]
    }

    public static func form(context: PageContext, state: FormState, id: UUID?, canEdit: Bool, staff: [StaffRecord]) -> String {
        let title = id == nil ? "Neues Team" : (state["name"].isEmpty ? "Team" : state["name"])
        return Layout.page(
            title: title, context: context, current: .teams,
            Layout.heading(title),
            .unwrap(id) { .p(.a(.href(SiteURL.staffRecord($0, year: nil).path), .text("Personalstandards, Nachweise und Abwesenheiten"))) },
            Forms.errorSummary(state),
            .form(
                .method(.post), .action((id.map(SiteURL.team) ?? .newTeam).path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                .element(named: "fieldset", nodes: [
                    .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                    .element(named: "legend", nodes: [.text("Team")]),
                    Forms.text("name", "Name", state, .init(required: true)),
                    Forms.text("location", "Standort", state, .init(required: true)),
                    Forms.select("leadStaffId", "Teamleitung", state,
                                 options: staff.map { ($0.id.uuidString, "\($0.fullName) (\($0.teamName))") }, emptyLabel: "noch keine"),
                ]),
                .if(canEdit, Forms.submit(cancel: .teams))
            )
        )
    }
}

public enum StaffPages {
    public static func list(context: PageContext, staff: [StaffRecord], canEdit: Bool) -> String {
        Layout.page(
            title: "Mitarbeitende", context: context, current: .staff,
            Layout.heading("Mitarbeitende", action: canEdit ? ("Neue:r Mitarbeiter:in", .newStaff) : nil),
            Layout.table(
                columns: ["Name", "Team", "Qualifikation", "Wochenstunden", "Anmeldung"],
                rows: staff.map { member in
                    [.a(.href(SiteURL.staffMember(member.id).path), .text("\(member.member.lastName), \(member.member.firstName)")),
                     .text(member.teamName), .text(member.member.qualification.german),
                     .text(Minutes(member.member.weeklyMinutes).germanHours), .text(member.username ?? "–")]
                },
                empty: "Noch keine Mitarbeitenden erfasst."
            )
        )
    }

    public static func values(_ record: StaffRecord) -> [String: String] {
        let m = record.member
        return ["firstName": m.firstName, "lastName": m.lastName, "qualification": m.qualification.rawValue,
                "weeklyHours": Minutes(m.weeklyMinutes).germanHours, "teamId": record.teamID.uuidString,
                "userId": record.userID?.uuidString ?? "", "email": m.email ?? "",
                "inductionCompleted": m.inductionCompleted?.iso ?? "", "leavingDate": m.leavingDate?.iso ?? ""]
    }

    public static func form(context: PageContext, state: FormState, id: UUID?, canEdit: Bool,
                            teams: [TeamRecord], users: [UserRecord]) -> String {
        let title = id == nil ? "Neue:r Mitarbeiter:in" : "\(state["firstName"]) \(state["lastName"])"
        return Layout.page(
            title: title, context: context, current: .staff,
            Layout.heading(title),
            Forms.errorSummary(state),
            .form(
                .method(.post), .action((id.map(SiteURL.staffMember) ?? .newStaff).path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                .element(named: "fieldset", nodes: [
                    .if(!canEdit, .attribute(named: "disabled", value: "disabled")),
                    .element(named: "legend", nodes: [.text("Mitarbeiter:in")]),
                    .div(.class("row"),
                         Forms.text("firstName", "Vorname", state, .init(required: true)),
                         Forms.text("lastName", "Nachname", state, .init(required: true))),
                    Forms.select("qualification", "Qualifikation", state,
                                 options: Qualification.allCases.map { ($0.rawValue, $0.german) }, required: true),
                    .div(.class("row"),
                         Forms.text("weeklyHours", "Wochenstunden laut Vertrag", state, .init(
                            hint: "z. B. 39 oder 19,5 (höchstens 48).", required: true, inputMode: "decimal")),
                         Forms.select("teamId", "Team", state, options: teams.map { ($0.id.uuidString, "\($0.name) (\($0.location))") }, required: true)),
                    Forms.text("email", "Dienstliche E-Mail", state, .init(type: .email)),
                    Forms.text("inductionCompleted", "Einarbeitung (beide Module) abgeschlossen am", state, .init(
                        type: .date, hint: "Erst danach Bezugsbetreuung möglich. Einzelne Module trägt die Teamleitung bei den Personalstandards ein.")),
                    Forms.text("leavingDate", "Letzter Arbeitstag", state, .init(
                        type: .date, hint: "Nur bei Ausscheiden. Danach wird die Person nicht mehr für Fälle, Aufnahmen und Vertretungen vorgeschlagen.")),
                    Forms.select("userId", "Anmeldung (Benutzer)", state,
                                 options: users.map { ($0.id.uuidString, "\($0.username) – \($0.displayName)") }, emptyLabel: "keine"),
                ]),
                .if(canEdit, Forms.submit(cancel: .staff))
            )
        )
    }
}

public enum UserPages {
    public static func list(context: PageContext, users: [UserRecord]) -> String {
        Layout.page(
            title: "Benutzer", context: context, current: .users,
            Layout.heading("Benutzer", action: ("Neuer Benutzer", .newUser)),
            Layout.table(
                columns: ["Benutzername", "Name", "Rollen", "Status"],
                rows: users.map { user in
                    [.a(.href(SiteURL.user(user.id).path), .text(user.username)), .text(user.displayName),
                     .text(user.roles.sorted().map(\.german).joined(separator: ", ")),
                     .text(user.isActive ? "aktiv" : "deaktiviert")]
                },
                empty: "Noch keine Benutzer."
            )
        )
    }

    /// `account`: the stored login and whether it is the viewer's own, for the section that deactivates it.
    public static func form(context: PageContext, state: FormState, id: UUID?, account: (user: UserRecord, isSelf: Bool)? = nil) -> String {
        let title = id == nil ? "Neuer Benutzer" : "Benutzer \(state["username"])"
        return Layout.page(
            title: title, context: context, current: .users,
            Layout.heading(title),
            Forms.errorSummary(state),
            .form(
                .method(.post), .action((id.map(SiteURL.user) ?? .newUser).path), .attribute(named: "novalidate", value: "novalidate"),
                Forms.csrf(context.csrfToken),
                .element(named: "fieldset", nodes: [
                    .element(named: "legend", nodes: [.text("Anmeldung")]),
                    Forms.text("username", "Benutzername", state, .init(required: true, autocomplete: "off")),
                    Forms.text("displayName", "Anzeigename", state),
                    Forms.text("password", id == nil ? "Passwort" : "Neues Passwort", state, .init(
                        type: .password, hint: id == nil ? "Mindestens 10 Zeichen." : "Leer lassen, um das Passwort zu behalten.",
                        required: id == nil, autocomplete: "new-password")),
                ]),
                Forms.checkboxes("roles", "Rollen", state, options: Role.allCases.map { ($0.rawValue, $0.german) }),
                Forms.submit(cancel: .users)
            ),
            .unwrap(account) { AccountPages.statusSection(context: context, user: $0.user, isSelf: $0.isSelf) }
        )
    }
}
