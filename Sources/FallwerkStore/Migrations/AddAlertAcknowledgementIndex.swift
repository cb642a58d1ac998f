import Fluent

/// Management's lists read every running case's alert acknowledgements in one statement (issue 12); the
/// table had no index on its case, so that statement read all of it.
struct AddAlertAcknowledgementIndex: IndexMigration {
    static let index = "alert_acknowledgements_case"
    static let table = AlertAcknowledgementModel.schema
    static let column = "case_id"
}
