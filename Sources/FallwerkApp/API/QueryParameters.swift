import FallwerkDomain
import Foundation

/// The query parameters that are not free text, checked before the generated decoder reads them.
/// The decoder refuses `weeks=x` or `scope=foo` without saying which parameter it was (and calls
/// a bad enum "not JSON"); a person needs the name. Mirrors openapi.yaml; the API robustness
/// tests send a bad value for every entry.
enum QueryParameters {
    enum Rule: Sendable {
        case required
        case integer(min: Int, max: Int)
        case oneOf([String])
    }

    static let table: [String: [(name: String, rule: Rule)]] = [
        "listDeadlines": [("scope", .oneOf(["mine", "team", "all"])), ("weeks", .integer(min: 1, max: 52)),
                          ("limit", .integer(min: 1, max: 500)), ("offset", .integer(min: 0, max: Int.max))],
        "listAlerts": [("limit", .integer(min: 1, max: 500)), ("offset", .integer(min: 0, max: Int.max))],
        "listCases": [("limit", .integer(min: 1, max: 500))],
        "listAuditEntries": [("limit", .integer(min: 1, max: 500)), ("offset", .integer(min: 0, max: Int.max))],
        "listInvoices": [("month", .required)],
        "exportInvoicesCSV": [("month", .required)],
        "exportInvoicesDatev": [("month", .required)],
        "getStatistics": [("from", .required), ("to", .required)],
        "exportStatisticsCSV": [("from", .required), ("to", .required)],
        "listIntakeRequests": [("status", .oneOf(["open", "accepted", "declined"]))],
        "listStaffStandards": [("year", .integer(min: 2000, max: 2100))],
        "getStaffStandards": [("year", .integer(min: 2000, max: 2100))],
    ]

    /// An optional id parameter (`teamId=…`): nil when absent, a 400 naming it when it is no id.
    static func id(_ text: String?, _ name: String) throws -> UUID? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw Problem(.badRequest, "Der Parameter \(name) muss eine Id sein.", errors: [FieldError(name, "Keine gültige Id.")])
        }
        return id
    }

    /// Throws a 400 naming the first parameter of `operationID` whose value breaks its rule.
    static func check(operationID: String, query: String?) throws {
        guard let rules = table[operationID] else { return }
        var components = URLComponents()
        components.percentEncodedQuery = query
        let items = components.queryItems ?? []
        for (name, rule) in rules {
            let values = items.filter { $0.name == name }.map { $0.value ?? "" }
            switch rule {
            case .required:
                if values.isEmpty {
                    throw Problem(.badRequest, "Der Parameter \(name) fehlt.", errors: [FieldError(name, "Pflichtparameter.")])
                }
            case .integer(let min, let max):
                for value in values {
                    guard let number = Int(value), number >= min, number <= max else {
                        let range = max == Int.max ? "mindestens \(min)" : "von \(min) bis \(max)"
                        throw Problem(.badRequest, "Der Parameter \(name) muss eine ganze Zahl \(range) sein.",
                                      errors: [FieldError(name, "Eine ganze Zahl \(range).")])
                    }
                }
            case .oneOf(let allowed):
                for value in values where !allowed.contains(value) {
                    throw Problem(.badRequest, "Der Parameter \(name) muss \(allowed.joined(separator: ", ")) sein.",
                                  errors: [FieldError(name, "Erlaubt: \(allowed.joined(separator: ", ")).")])
                }
            }
        }
    }
}
