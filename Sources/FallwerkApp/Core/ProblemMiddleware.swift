import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import FluentSQLiteDriver
import OpenAPIRuntime
import Vapor

/// The outermost middleware: every error becomes a German problem+json (API) or a calm German
/// page (browser). Nothing reaches a person as a stack trace or English text; nothing about a
/// case reaches the log (only the error's type).
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = Self.problem(for: error, request: request)
            if problem.status.code >= 500 {
                // The OpenAPI runtime wraps every handler error; its own type alone says nothing.
                let cause = (error as? ServerError)?.underlyingError ?? error
                request.logger.error("request failed", metadata: ["error": .string(String(reflecting: type(of: cause)))])
            }
            if let blocked = error as? BlockedFile, !Self.wantsProblemJSON(request) {
                return WebContext.html(BlockedFilePage.render(context: WebContext.pageContext(for: request), path: request.url.path,
                                                              message: blocked.detail, reasonGiven: blocked.reasonGiven,
                                                              typed: try? request.query.get(String.self, at: "grund")), status: .forbidden)
            }
            if Self.wantsProblemJSON(request) {
                let response = problem.response(instance: request.url.path)
                if problem.status == .unauthorized, request.url.path.hasPrefix("/api/") {
                    response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"fallwerk\"")
                }
                return response
            }
            let html = ErrorPage.render(context: WebContext.pageContext(for: request), status: Int(problem.status.code), message: problem.detail)
            var headers = problem.headers
            headers.contentType = .html
            return Response(status: problem.status, headers: headers, body: .init(string: html))
        }
    }

    static func wantsProblemJSON(_ request: Request) -> Bool {
        request.url.path.hasPrefix("/api/") || request.url.path == "/openapi.yaml"
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let failure as ValidationFailure:
            return Problem(.unprocessableEntity, "Einige Angaben sind ungültig. Bitte prüfen Sie die genannten Felder.", errors: failure.errors)
        case is RecordNotFound:
            return .notFound
        case let blocked as BlockedFile:
            return Problem(.forbidden, blocked.detail, errors: [FieldError("reason", blocked.reasonGiven
                ? "Mindestens \(BlockedFile.minimumReason) Zeichen." : "Bitte den Grund angeben, aus dem die gesperrte Akte gelesen wird.")])
        case is DatabaseBusy:
            return .databaseBusy
        case let sqlite as SQLiteError where sqlite.reason == .busy || sqlite.reason == .locked:
            return .databaseBusy
        case let denied as NotAllowed:
            return Problem(.forbidden, denied.reason)
        case let serverError as ServerError:
            return problem(forServerError: serverError, request: request)
        case let decoding as DecodingError:
            return problem(for: decoding)
        case let abort as any AbortError:
            return problem(for: abort, request: request)
        default:
            return Problem(.internalServerError, "Ein unerwarteter Fehler ist aufgetreten. Ihre bisherigen Eingaben sind gespeichert, soweit sie bestätigt wurden. Bitte versuchen Sie es erneut oder wenden Sie sich an die Administration.")
        }
    }

    /// The OpenAPI runtime wraps every error; unwrap it. Anything that failed before the
    /// request became typed input is the client's mistake (400), never ours (500), except the
    /// database's own errors (the driver's, or the direct reader's and writer's): those are ours.
    static func problem(forServerError error: ServerError, request: Request) -> Problem {
        let inner = error.underlyingError
        if inner is Problem || inner is ValidationFailure || inner is RecordNotFound || inner is NotAllowed || inner is DecodingError
            || inner is DatabaseBusy || inner is any DatabaseError || inner is BlockedFile {
            return problem(for: inner, request: request)
        }
        if error.operationInput == nil {
            if error.causeDescription.lowercased().contains("content-type") || error.causeDescription.lowercased().contains("content type") {
                return Problem(.unsupportedMediaType, "Bitte senden Sie den Inhalt als JSON (Content-Type: application/json).")
            }
            return Problem(.badRequest, "Die Anfrage konnte nicht gelesen werden. Bitte prüfen Sie Parameter und JSON.")
        }
        return problem(for: inner, request: request)
    }

    static func problem(for error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue { text += "[\(index)]" }
                else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return Problem(.unprocessableEntity, "Ein Pflichtfeld fehlt.", errors: [FieldError(field, "Das Feld „\(field)“ fehlt.")])
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return Problem(.unprocessableEntity, "Ein Feld hat den falschen Typ.", errors: [FieldError(field, "Das Feld „\(field)“ hat den falschen Typ.")])
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return Problem(.badRequest, "Der Inhalt ist kein gültiges JSON.")
            }
            let field = path(context.codingPath)
            return Problem(.unprocessableEntity, "Ein Feld hat einen ungültigen Wert.", errors: [FieldError(field, "Der Wert von „\(field)“ ist nicht erlaubt.")])
        @unknown default:
            return Problem(.badRequest, "Die Anfrage konnte nicht gelesen werden.")
        }
    }

    static func problem(for abort: any AbortError, request: Request) -> Problem {
        var result: Problem
        switch abort.status.code {
        case 404:
            if methodNotAllowed(request) {
                result = Problem(.methodNotAllowed, "Diese Adresse unterstützt die Methode \(request.method.rawValue) nicht.")
            } else {
                result = Problem(.notFound, "Diese Adresse gibt es nicht.")
            }
        case 401: result = .unauthorized
        case 403: result = .forbidden
        case 413: result = Problem(.payloadTooLarge, "Die Anfrage ist zu groß.")
        case 415: result = Problem(.unsupportedMediaType, "Dieses Format wird hier nicht angenommen.")
        case 400..<500: result = Problem(abort.status, "Die Anfrage konnte nicht verarbeitet werden.")
        default: result = Problem(.internalServerError, "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.")
        }
        result.headers = abort.headers
        return result
    }

    /// Whether another method is registered for this path (then 405 is the truthful answer).
    static func methodNotAllowed(_ request: Request) -> Bool {
        let parts = request.url.path.split(separator: "/").map(String.init)
        return request.application.routes.all.contains { route in
            route.method != request.method && matches(route.path, parts)
        }
    }

    static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return index < parts.count
            case .anything, .parameter: guard index < parts.count else { return false }
            case .constant(let text): guard index < parts.count, parts[index] == text else { return false }
            }
            index += 1
        }
        return index == parts.count
    }
}

/// Headers every response carries: no sniffing, no framing, no referrer leaks, only our own assets.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
        if response.headers.first(name: .cacheControl) == nil {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
