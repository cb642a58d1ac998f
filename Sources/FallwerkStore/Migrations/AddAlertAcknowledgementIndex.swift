import Fluent
import FluentSQL

/// Management's lists read every running case's alert acknowledgements in one statement (issue 12); the
/// table had no index on its case, so that statement read all of it.
struct AddAlertAcknowledgementIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "alert_acknowledgements_case").on(AlertAcknowledgementModel.schema).column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "alert_acknowledgements_case").run()
    }
}
