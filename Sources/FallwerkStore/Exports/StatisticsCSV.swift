import FallwerkDomain
import Foundation

/// R29: the statistics as CSV for spreadsheets (UTF-8 with BOM, semicolons, CRLF, decimal commas), one row
/// per figure: section, figure, group, value. Only what `view` may show; never a name of a person.
public enum StatisticsCSV {
    public static let columns = ["Abschnitt", "Kennzahl", "Gruppe", "Wert"]

    public static func document(_ s: CaseStatistics, view: StatisticsView) -> String {
        var rows = [columns.csvRow]
        func row(_ section: String, _ figure: String, _ group: String, _ value: String) {
            rows.append([section, figure, group].map(CSVText.field).joined(separator: ";") + ";" + CSVText.number(value))
        }
        let period = "\(s.period.from.german)–\(s.period.to.german)"
        row("Zeitraum", "Tage", period, String(s.period.from.days(until: s.period.to) + 1))
        for (name, value) in [("begonnen", s.total.begun), ("laufend zu Beginn", s.total.runningAtStart), ("laufend am Ende", s.total.runningAtEnd),
                              ("beendet", s.total.ended)] {
            row("Fälle", name, "Gesamt", String(value))
        }
        if view == .full {
            for reason in EndReason.allCases { row("Beendigungsgründe", reason.german, "Gesamt", String(s.endReasons[reason] ?? 0)) }
            if let length = s.length {
                row("Hilfedauer (Tage)", "Median", "beendete Hilfen", HelpLength.german(tenths: length.medianTenths))
                row("Hilfedauer (Tage)", "Mittelwert", "beendete Hilfen", HelpLength.german(tenths: length.meanTenths))
                for (bucket, count) in zip(HelpLength.buckets, length.distribution) { row("Hilfedauer (Tage)", bucket.label, "beendete Hilfen", String(count)) }
            }
        }
        for (section, groups) in [("Jugendamt", s.byYouthOffice), ("Angebot", s.byOffer)] {
            for g in groups {
                row(section, "Fälle im Zeitraum", g.name, String(g.cases))
                row(section, "begonnen", g.name, String(g.begun))
                row(section, "beendet", g.name, String(g.ended))
                row(section, "bewilligte Stunden", g.name, Minutes(g.approvedMinutes).germanHours)
                row(section, "geleistete Stunden (Kontingent)", g.name, Minutes(g.deliveredMinutes).germanHours)
                row(section, "abgerechnet (EUR)", g.name, CSVText.euro(g.billed))
            }
        }
        for kind in CaseStatistics.kindOrder where (s.minutesByKind[kind] ?? 0) > 0 {
            row("Stunden nach Art", kind.german, "Gesamt", Minutes(s.minutesByKind[kind] ?? 0).germanHours)
        }
        row("Termine", "Termine", "Gesamt", String(s.appointments))
        row("Termine", "kurzfristige Absagen", "Gesamt", String(s.shortNoticeCancellations))
        if view == .full {
            for value in GoalAttainment.allCases { row("Zielerreichung", value.german, "Ziele", String(s.goalAttainment[value] ?? 0)) }
            row("Qualität", "Beschwerden", "Gesamt", String(s.complaints))
            row("Qualität", "§ 8a-Verfahren", "Gesamt", String(s.childProtectionProcedures))
            row("Qualität", "besondere Vorkommnisse (§ 47)", "Gesamt", String(s.incidents))
        }
        return CSVText.document(rows)
    }
}
