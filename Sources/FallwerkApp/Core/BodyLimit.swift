import Vapor

/// The API's request bodies are streamed to the OpenAPI runtime, which would collect any size: four
/// parallel 100 MB posts to the login took the server to 1.3 GB (issue 12). This limit applies
/// before anything reads the body: a declared length over it is refused without reading a byte,
/// and a body without a declared length is collected only up to it.
struct BodyLimitMiddleware: AsyncMiddleware {
    /// JSON bodies are small; the largest is a signature drawing of at most 300 kB as base64 text.
    static let apiLimit = 1_000_000

    let limit: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD else { return try await next.respond(to: request) }
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > limit {
            throw Self.tooLarge(limit)
        }
        if request.body.data == nil {
            do {
                _ = try await request.body.collect(max: limit).get()
            } catch let abort as any AbortError where abort.status == .payloadTooLarge {
                throw Self.tooLarge(limit)
            }
        }
        return try await next.respond(to: request)
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(.payloadTooLarge, "Die Anfrage ist zu groß (höchstens \(limit / 1_000) kB). Bitte kürzen Sie den Inhalt.")
    }
}
