import FallwerkDomain
import Fluent
import FluentSQL
import Foundation

/// The month's invoice totals as one hand-written SQL statement: the yardstick the billing run is
/// measured against (SPEC performance: "at most 2× the same aggregate written as one raw SQL
/// query"). It prices like `BillingRules.lines`: one line per case, line kind and hourly rate,
/// rounded half up to the cent once per line (R13), plus the stored travel (R10). Kept in the store
/// because it is SQL; portable between SQLite and PostgreSQL.
public enum BillingReference {
    public struct CaseTotal: Decodable, Sendable, Hashable {
        public let caseID: UUID
        public let totalCents: Int64

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id"
            case totalCents = "total_cents"
        }
    }

    public static func monthTotals(_ month: Month, on db: any Database) async throws -> [CaseTotal] {
        guard let sql = db as? any SQLDatabase else { return [] }
        // Integer arithmetic only: (minutes × cents + 30) / 60 is "half up" for non-negative sums.
        return try await sql.plainRows("""
            WITH lines AS (
                SELECT e.case_id,
                       CASE WHEN e.kind IN ('direct', 'institution', 'planningMeeting', 'group') THEN 'serviceHours'
                            WHEN e.kind IN ('cancelled', 'noShow') THEN 'shortNotice'
                            ELSE e.kind END AS line_kind,
                       COALESCE(r.hourly_rate_cents, 0) AS rate,
                       CAST(SUM(e.billed_minutes) AS BIGINT) AS billed,
                       CAST(SUM(e.billed_travel_cents) AS BIGINT) AS travel
                FROM service_entries e
                JOIN cases c ON c.id = e.case_id
                LEFT JOIN agreements a ON a.youth_office_id = c.youth_office_id
                     AND a.valid_from <= e.date AND (a.valid_to IS NULL OR e.date <= a.valid_to)
                LEFT JOIN agreement_rates r ON r.agreement_id = a.id AND r.offer_id = c.offer_id
                WHERE e.date >= \(bind: month.firstDay.iso) AND e.date <= \(bind: month.lastDay.iso) AND e.kind <> 'indirect'
                GROUP BY e.case_id, 2, 3
            )
            SELECT case_id, CAST(SUM((billed * rate + 30) / 60 + travel) AS BIGINT) AS total_cents
            FROM lines
            GROUP BY case_id
            HAVING SUM((billed * rate + 30) / 60 + travel) > 0
            """, decoding: CaseTotal.self)
    }
}
