import Foundation

extension UUID {
    /// `uuidString` (upper case), written digit by digit. Foundation on Linux prints a UUID's text through
    /// `snprintf`; a ledger names each of its entries by id, and lists write each case's team and staff ids
    /// for the access check: those prints were 2–4 % of an entry write's and a case list's CPU (issue 12).
    public var idText: String { written(digits: UUID.upperDigits) }

    /// `uuidString.lowercased()`, as the API writes ids, written digit by digit (`idText`).
    public var lowercasedIDText: String { written(digits: UUID.lowerDigits) }

    private static let upperDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerDigits = Array("0123456789abcdef".utf8)

    private func written(digits: [UInt8]) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = digits[Int(byte >> 4)]
                    text[at + 1] = digits[Int(byte & 0x0F)]
                    at += 2
                }
                return at
            }
        }
    }
}
