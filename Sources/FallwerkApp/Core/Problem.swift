import FallwerkDomain
import Vapor

/// An error the user is meant to see: an HTTP status and a German sentence, optionally per field.
/// Rendered as RFC 9457 problem+json for the API and as a calm page (or form message) for people.
public struct Problem: Error, Sendable {
    public let status: HTTPResponseStatus
    public let detail: String
    public let errors: [FieldError]
    public var headers: HTTPHeaders = [:]

    public init(_ status: HTTPResponseStatus, _ detail: String, errors: [FieldError] = []) {
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    public static let unauthorized = Problem(.unauthorized, "Bitte melden Sie sich an.")
    public static let forbidden = Problem(.forbidden, "Für diese Aktion fehlt Ihnen die Berechtigung.")
    public static let notFound = Problem(.notFound, "Der Datensatz wurde nicht gefunden.")
    /// SQLite stayed busy through the retries (another program held the file): nothing was saved.
    public static var databaseBusy: Problem {
        var problem = Problem(.serviceUnavailable, "Fallwerk ist gerade stark beschäftigt; es wurde nichts gespeichert. "
                              + "Bitte senden Sie dieselben Angaben in ein paar Sekunden noch einmal.")
        problem.headers.replaceOrAdd(name: .retryAfter, value: "2")
        return problem
    }

    static func title(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "Ungültige Anfrage"
        case 401: "Nicht angemeldet"
        case 403: "Keine Berechtigung"
        case 404: "Nicht gefunden"
        case 405: "Methode nicht erlaubt"
        case 409: "Konflikt"
        case 413: "Anfrage zu groß"
        case 415: "Falsches Format"
        case 422: "Eingaben prüfen"
        case 429: "Zu viele Versuche"
        case 503: "Vorübergehend nicht verfügbar"
        default: "Interner Fehler"
        }
    }

    struct Body: Content {
        struct Field: Content {
            let field: String
            let detail: String
        }

        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String?
        let errors: [Field]?
    }

    func response(instance: String?) -> Response {
        let body = Body(type: "about:blank", title: Problem.title(for: status), status: Int(status.code), detail: detail,
                        instance: instance, errors: errors.isEmpty ? nil : errors.map { .init(field: $0.field, detail: $0.message) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = self.headers
        headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
        let data = (try? encoder.encode(body)) ?? Data()
        return Response(status: status, headers: headers, body: .init(data: data))
    }
}
