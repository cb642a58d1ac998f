/// What an approval may be (R8) and when it may still be corrected (R16): decided here, from what the
/// store loaded; the store only gathers the facts and writes.
public enum ApprovalRules {
    /// A span of days (an approval's from…to).
    public struct Span: Sendable, Hashable {
        public let from: Day
        public let to: Day
        public init(from: Day, to: Day) {
            self.from = from
            self.to = to
        }

        func overlaps(_ other: Span) -> Bool { from <= other.to && other.from <= to }

        /// The months the span touches.
        var months: [Month] {
            var result: [Month] = []
            var month = Month(containing: from)
            while month.firstDay <= to {
                result.append(month)
                month = Month(containing: month.lastDay.adding(days: 1))
            }
            return result
        }
    }

    /// The field errors of an approval's dates against the case and its other approvals: approvals of one
    /// case never overlap, and an approval lies at least partly within the case's time.
    public static func dateErrors(_ span: Span, others: [Span], caseStart: Day, caseEnd: Day?) -> [FieldError] {
        var errors: [FieldError] = []
        if let clash = others.first(where: { $0.overlaps(span) }) {
            errors.append(FieldError("from", "Diese Bewilligung überschneidet sich mit der vom \(clash.from.german) bis \(clash.to.german)."))
        }
        if let caseEnd, span.from > caseEnd { errors.append(FieldError("from", "Der Fall endet am \(caseEnd.german); die Bewilligung beginnt danach.")) }
        if span.to < caseStart { errors.append(FieldError("to", "Der Fall beginnt am \(caseStart.german); die Bewilligung endet davor.")) }
        return errors
    }

    /// Why an approval (or one of its increases) can no longer be corrected or deleted, or nil: an issued
    /// invoice of a month the approval covers, before or after the change, was counted with it (R16:
    /// an issued invoice never changes; cancel it first).
    public static func correctionRefusal(before: Span, after: Span?, invoicedMonths: Set<Month>) -> String? {
        let touched = Set(before.months + (after?.months ?? []))
        guard let month = touched.intersection(invoicedMonths).min() else { return nil }
        return "Für \(Self.german(month)) ist schon eine Rechnung gestellt, die mit dieser Bewilligung gezählt wurde. "
            + "Stornieren Sie zuerst die Rechnung, dann lässt sich die Bewilligung ändern."
    }

    static func german(_ month: Month) -> String { month.german }
}
