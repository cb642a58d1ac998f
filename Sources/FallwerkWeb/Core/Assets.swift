import Foundation

/// Static files shipped inside the module, so the server needs no working directory.
public enum Assets {
    public static let stylesheet = load("fallwerk", "css")
    /// The entry form's live preview and quick lengths (progressive enhancement).
    public static let entryScript = load("leistung", "js")
    /// Drawing the signature on the service record sheet (progressive enhancement).
    public static let signatureScript = load("unterschrift", "js")

    static func load(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Assets")
                ?? Bundle.module.url(forResource: name, withExtension: ext),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }
}
