import Foundation

/// The OpenAPI document the server types are generated from, shipped as a resource so the
/// server can serve the very same bytes at `/openapi.yaml`.
public enum APIDocument {
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("openapi.yaml is missing from the FallwerkAPI bundle") }
        return text
    }()
}
