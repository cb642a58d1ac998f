import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Vapor

enum SiteURLPaths {
    /// The login page that leads back to `next` (a same-site path only) after signing in.
    static func login(next: String?, expired: Bool = false) -> String {
        var query: [String] = []
        if let next = SafeRedirect.path(next), next != "/" { query.append("weiter=" + percentEncoded(next)) }
        if expired { query.append("abgelaufen=1") }
        return SiteURL.login.path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._~"))) ?? ""
    }
}

/// An `application/x-www-form-urlencoded` body, keeping repeated names (checkboxes) and order.
struct FormData: Sendable {
    let pairs: [(String, String)]

    init(_ body: String) {
        pairs = body.split(separator: "&").compactMap { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = kv.first else { return nil }
            return (decode(key), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    init(request: Request) {
        self.init(request.body.string ?? "")
    }

    subscript(_ name: String) -> String? { pairs.first(where: { $0.0 == name })?.1 }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// Fields whose values are never written back into a page (`password`, `currentPassword`, `newPassword` …).
    static func isSecret(_ name: String) -> Bool { name.lowercased().contains("password") }

    /// Typed values for re-rendering the form (secrets and the CSRF token left out).
    var values: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in pairs where key != "_csrf" && !Self.isSecret(key) && result[key] == nil {
            result[key] = value
        }
        return result
    }

    /// Empty text as nil, as the domain inputs expect.
    func optional(_ name: String) -> String? {
        guard let value = self[name]?.trimmed, !value.isEmpty else { return nil }
        return value
    }

    func int(_ name: String) -> Int?? {
        guard let text = optional(name) else { return .some(nil) }
        guard let value = Int(text) else { return .none }
        return .some(value)
    }
}

enum SessionKeys {
    static let userID = "userID"
    static let lastSeen = "lastSeen"
    static let csrf = "csrf"
    static let notice = "notice"
    static let signedInAt = "signedInAt"
}

enum WebContext {
    static func pageContext(for request: Request) -> PageContext {
        let user = request.currentUser.map { PageContext.User(displayName: $0.displayName, roles: $0.roles) }
        let token = PageSessions.csrfToken(for: request)
        guard request.hasSession, user != nil else { return PageContext(user: user, csrfToken: token) }
        let notice = request.session.data[SessionKeys.notice]
        if notice != nil { request.session.data[SessionKeys.notice] = nil }
        return PageContext(user: user, csrfToken: token, notice: notice)
    }

    /// A script shipped in the repo (progressive enhancement only).
    static func script(_ text: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func html(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: text))
    }

    static func redirect(_ url: SiteURL, fragment: String? = nil, notice: String? = nil, on request: Request) -> Response {
        // Only a signed-in session stores a notice; nothing is stored for anonymous visitors.
        if let notice, request.currentUser != nil, request.hasSession { request.session.data[SessionKeys.notice] = notice }
        return request.redirect(to: url.path + (fragment.map { "#" + $0 } ?? ""), redirectType: .normal)
    }
}

extension Request {
    /// This request's path and query with one parameter set to a new value: the next page of a list
    /// keeps its filters ("Weitere Fälle").
    /// Where a page of a list computed in full starts ("ab"); the start for anything that is no count.
    var listOffset: Int { max(0, query[Int.self, at: "ab"] ?? 0) }

    /// The links back to the start and on to the next page of such a list, keeping the other parameters.
    func pager<Item>(_ page: ListPage<Item>, nextLabel: String) -> Layout.Pager {
        Layout.Pager(first: page.offset > 0 ? url(removingQuery: "ab") : nil,
                     next: page.nextOffset.map { url(replacingQuery: "ab", with: String($0)) }, nextLabel: nextLabel)
    }

    func url(removingQuery name: String) -> String {
        var components = URLComponents()
        components.path = url.path
        components.percentEncodedQuery = url.query
        let items = (components.queryItems ?? []).filter { $0.name != name }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? url.path
    }

    func url(replacingQuery name: String, with value: String) -> String {
        var components = URLComponents()
        components.path = url.path
        components.percentEncodedQuery = url.query
        var items = (components.queryItems ?? []).filter { $0.name != name }
        items.append(URLQueryItem(name: name, value: value))
        components.queryItems = items
        return components.string ?? url.path
    }
}
