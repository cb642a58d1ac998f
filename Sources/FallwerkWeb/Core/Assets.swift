import Foundation

/// Static files shipped inside the module, so the server needs no working directory.
public enum Assets {
    public static let stylesheet: String = {
        guard let url = Bundle.module.url(forResource: "fallwerk", withExtension: "css", subdirectory: "Assets")
                ?? Bundle.module.url(forResource: "fallwerk", withExtension: "css"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }()
}
