import FallwerkDomain
import Foundation

/// R29: the statistics as CSV for spreadsheets (UTF-8 with BOM, semicolons, CRLF, decimal commas), one row
/// per figure: section, figure, group, value (`CaseStatistics.rows`). Only what `view` may show; never a
/// name of a person.
public enum StatisticsCSV {
    public static let columns = ["Abschnitt", "Kennzahl", "Gruppe", "Wert"]

    public static func document(_ s: CaseStatistics, view: StatisticsView) -> String {
        let period = StatisticsRow(section: "Zeitraum", figure: "\(s.period.from.german)–\(s.period.to.german)", group: "Tage",
                                   value: String(s.period.from.days(until: s.period.to) + 1))
        let rows = ([period] + s.rows(full: view == .full)).map { row in
            [row.section, row.figure, row.group].map(CSVText.field).joined(separator: ";") + ";" + CSVText.number(row.value)
        }
        return CSVText.document([columns.csvRow] + rows)
    }
}
