import Foundation
import Vapor
import VaporTesting

/// A browser stand-in: keeps the session cookie and the page's CSRF token between requests.
final class WebSession {
    let test: TestApp
    private(set) var cookie: String?
    private(set) var csrf: String = ""

    init(_ test: TestApp) { self.test = test }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        let response = try await test.app.testing().sendRequest(.GET, path, headers: headers)
        remember(response)
        return response
    }

    /// Posts a form as a browser would, with the CSRF token of the last page unless given.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf override: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        let all = [("_csrf", override ?? csrf)] + fields
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await test.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Signs in through the login form.
    func login(_ username: String, password: String = TestApp.password) async throws {
        try await get("/anmelden")
        let response = try await post("/anmelden", [("username", username), ("password", password)])
        guard response.status == .seeOther else {
            throw Abort(.internalServerError, reason: "login failed with \(response.status)")
        }
    }

    private func remember(_ response: TestingHTTPResponse) {
        if let set = response.headers.first(name: .setCookie), let pair = set.split(separator: ";").first {
            cookie = String(pair)
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
