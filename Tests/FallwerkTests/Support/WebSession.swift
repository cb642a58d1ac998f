import Foundation
import Vapor
import VaporTesting

/// A browser stand-in: keeps the session cookie and the page's CSRF token between requests.
final class WebSession {
    let test: TestApp
    /// The cookies the server set (session, anonymous CSRF), as a browser keeps them.
    private(set) var cookies: [String: String] = [:]
    var cookie: String? { cookies.isEmpty ? nil : cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    private(set) var csrf: String = ""

    /// Posts go over a real socket (`live`): bodies above ~1.5 KB arrive streamed, as from a browser.
    let live: Bool

    init(_ test: TestApp, live: Bool = false) {
        self.test = test
        self.live = live
    }

    /// One request over a real socket with curl (which, unlike the test client, leaves redirects alone).
    /// Sends over a real socket, so that the server streams a long body in chunks as it does for a browser.
    private func liveSend(_ path: String, headers: HTTPHeaders, body: String) async throws -> PageResponse {
        let app = test.app
        try await app.asyncBoot()
        // Port 0: the system picks a free one. A random fixed port could be one an outgoing connection
        // (to PostgreSQL, say) holds already, and the bind failed with "Address already in use" in CI.
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "test server has no port") }
            let response = try await app.client.post(URI(string: "http://127.0.0.1:\(port)\(path)"), headers: headers) { request in
                request.body = ByteBuffer(string: body)
            }
            await app.server.shutdown()
            return PageResponse(status: response.status, headers: response.headers, body: response.body ?? ByteBuffer())
        } catch {
            await app.server.shutdown()
            throw error
        }
    }

    @discardableResult
    func get(_ path: String) async throws -> PageResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        let response = PageResponse(try await test.app.testing().sendRequest(.GET, path, headers: headers))
        remember(response)
        return response
    }

    /// Posts a form as a browser would, with the CSRF token of the last page unless given.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf override: String? = nil, live: Bool? = nil) async throws -> PageResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        let all = [("_csrf", override ?? csrf)] + fields
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = (live ?? self.live)
            ? try await liveSend(path, headers: headers, body: body)
            : PageResponse(try await test.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body)))
        remember(response)
        return response
    }

    /// Signs in through the login form.
    func login(_ username: String, password: String = TestApp.password) async throws {
        try await get("/anmelden")
        let response = try await post("/anmelden", [("username", username), ("password", password)], live: false)
        guard response.status == .seeOther else {
            throw Abort(.internalServerError, reason: "login failed with \(response.status)")
        }
        // A browser follows the redirect; the signed-in session has a CSRF token of its own.
        try await get(response.headers.first(name: .location) ?? "/")
    }

    private func remember(_ response: PageResponse) {
        for set in response.headers[.setCookie] {
            guard let pair = set.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            // Only the attributes say whether the cookie is removed: a random token may well contain "1970".
            let attributes = set.split(separator: ";").dropFirst().joined(separator: ";").lowercased()
            if value.isEmpty || attributes.contains("max-age=0") || attributes.contains("1970") { cookies[name] = nil } else { cookies[name] = value }
        }
        let html = response.body.string
        if let range = html.range(of: #"name="_csrf" value="([0-9a-f]+)""#, options: .regularExpression) {
            let match = html[range]
            csrf = String(match.split(separator: "\"")[3])
        }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// What a page request answered (from the in-memory tester or a real socket).
struct PageResponse {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let body: ByteBuffer

    init(status: HTTPStatus, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    init(_ response: TestingHTTPResponse) {
        self.init(status: response.status, headers: response.headers, body: response.body)
    }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
    }
}
