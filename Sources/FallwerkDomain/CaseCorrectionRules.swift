/// What a correction of a case may change (issue 10), decided from what the store loaded: invoices
/// were issued with the youth office and offer (R16), and work already recorded and the case's end
/// bound its start (R6, R8).
public enum CaseCorrectionRules {
    /// The field errors of a correction. Ids as the store's ids in any stable text form.
    public static func errors(youthOffice: (old: String, new: String), offer: (old: String, new: String), invoiced: Bool,
                              newStart: Day, firstEntry: Day?, end: Day?) -> [FieldError] {
        var errors: [FieldError] = []
        if invoiced, youthOffice.old != youthOffice.new {
            errors.append(FieldError("youthOfficeId", "Für diesen Fall gibt es schon Rechnungen; das Jugendamt kann nicht mehr geändert werden."))
        }
        if invoiced, offer.old != offer.new {
            errors.append(FieldError("offerId", "Für diesen Fall gibt es schon Rechnungen; das Angebot kann nicht mehr geändert werden."))
        }
        if let firstEntry, firstEntry < newStart {
            errors.append(FieldError("startDate", "Am \(firstEntry.german) ist schon Arbeit erfasst; die Hilfe kann nicht erst danach beginnen."))
        }
        if let end, end < newStart {
            errors.append(FieldError("startDate", "Die Hilfe endete am \(end.german); der Beginn kann nicht danach liegen."))
        }
        return errors
    }
}
