/// How case lists are sorted, searched and paged (issue 12): the database does it, from two columns
/// kept beside each case, so that a list of thousands of cases is one indexed query, not every case
/// loaded and filtered in memory.
public enum CaseSearch {
    /// The sort key of a case: the young person's last and first name as German phone books file
    /// them (DIN 5007-2: ä as ae, ö as oe, ü as ue, ß as ss), in lower case. Byte order of this key is
    /// the list's order, on SQLite and PostgreSQL alike.
    public static func sortName(lastName: String, firstName: String) -> String {
        folded(lastName) + " " + folded(firstName)
    }

    /// What a search looks in: the file number and the names of the young person and the guardians,
    /// in lower case, one per line (a search never matches across two of them).
    public static func text(fileNumber: String, names: [String]) -> String {
        ([fileNumber] + names).map { $0.lowercased() }.joined(separator: "\n")
    }

    /// The SQL `LIKE` pattern for a search as typed: lower case, anywhere, with `%`, `_` and the
    /// escape character itself taken literally (use with `ESCAPE '\'`). Nil for an empty search.
    public static func likePattern(_ query: String?) -> String? {
        let text = (query ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !text.isEmpty else { return nil }
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    static func folded(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            switch character {
            case "ä": result += "ae"
            case "ö": result += "oe"
            case "ü": result += "ue"
            case "ß": result += "ss"
            default: result.append(character)
            }
        }
        return result
    }

    /// Where the next page of a list starts: after the case with this sort key and id. Opaque to
    /// clients (hex of the key, a dot, the id), so that no name appears in a URL or log.
    public struct Cursor: Sendable, Equatable {
        public let sortName: String
        public let id: String

        public init(sortName: String, id: String) {
            self.sortName = sortName
            self.id = id
        }

        public init?(_ token: String) {
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count % 2 == 0, !parts[1].isEmpty else { return nil }
            var bytes: [UInt8] = []
            var index = parts[0].startIndex
            while index < parts[0].endIndex {
                let next = parts[0].index(index, offsetBy: 2)
                guard let byte = UInt8(parts[0][index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            guard let name = String(validating: bytes, as: UTF8.self) else { return nil }
            sortName = name
            id = String(parts[1])
        }

        public var token: String {
            sortName.utf8.hexadecimal + "." + id.lowercased()
        }
    }
}
