/// Leitweg-ID of a public buyer for XRechnung (BT-10): `Grobadressierung[-Feinadressierung]-Prüfziffer`,
/// the check digits computed by ISO/IEC 7064 MOD 97-10 (KoSIT, "Formatspezifikation Leitweg-ID").
public enum LeitwegID {
    public static func isValid(_ raw: String) -> Bool {
        let text = raw.uppercased()
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return false }
        let coarse = parts[0], check = parts[parts.count - 1]
        guard (2...12).contains(coarse.count), coarse.allSatisfy({ $0.isASCII && $0.isNumber }),
              check.count == 2, check.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        var body = String(coarse)
        if parts.count == 3 {
            let fine = parts[1]
            guard (1...30).contains(fine.count), fine.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) })
            else { return false }
            body += fine
        }
        return checkDigits(for: body) == String(check)
    }

    /// The two check digits for the address part (letters count A=10 … Z=35).
    public static func checkDigits(for body: String) -> String {
        let remainder = mod97(body.uppercased() + "00")
        let digits = 98 - remainder
        return digits < 10 ? "0\(digits)" : "\(digits)"
    }

    static func mod97(_ text: String) -> Int {
        var remainder = 0
        for character in text {
            let value: Int
            if let digit = character.wholeNumberValue {
                value = digit
            } else if let ascii = character.asciiValue, (65...90).contains(ascii) {
                value = Int(ascii) - 55
            } else {
                return -1
            }
            for digit in String(value) {
                remainder = (remainder * 10 + digit.wholeNumberValue!) % 97
            }
        }
        return remainder
    }
}

/// International bank account number, checked by its MOD 97 check digits (ISO 13616).
public enum IBAN {
    /// The IBAN without spaces, upper-cased, or nil when it is not valid.
    public static func normalized(_ raw: String) -> String? {
        let text = raw.uppercased().filter { !$0.isWhitespace }
        guard (15...34).contains(text.count),
              text.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }),
              text.prefix(2).allSatisfy(\.isLetter), text.dropFirst(2).prefix(2).allSatisfy(\.isNumber)
        else { return nil }
        if text.hasPrefix("DE"), text.count != 22 { return nil }
        let rearranged = String(text.dropFirst(4) + text.prefix(4))
        return LeitwegID.mod97(rearranged) == 1 ? text : nil
    }

    /// Grouped in fours for reading: `DE02 1203 0000 0000 2020 51`.
    public static func grouped(_ iban: String) -> String {
        var out = ""
        for (index, character) in iban.enumerated() {
            if index > 0, index % 4 == 0 { out.append(" ") }
            out.append(character)
        }
        return out
    }
}

/// German postal code: five digits.
public enum PostalCode {
    public static func isValid(_ text: String) -> Bool {
        text.count == 5 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// A deliberately modest e-mail check: something@something.tld, no spaces.
public enum EmailAddress {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !text.contains(where: \.isWhitespace)
        else { return false }
        return true
    }
}

extension Sequence<UInt8> {
    /// Lowercase hexadecimal, two digits a byte, as `%02x` writes them: token hashes and the list cursor's
    /// sort name. Without Foundation's formatter (every API request hashes its token: `String(format:)`
    /// was 3 % of a request's CPU; issue 12).
    public var hexadecimal: String { Hexadecimal.text(of: Array(self), uppercase: false) }
}

/// Bytes as hexadecimal digits, written straight into the string's storage: the one encoder of token
/// hashes, sort keys and ids bound to SQLite (a generic version over slices was 6 % of a case list's CPU,
/// issue 12).
public enum Hexadecimal {
    /// `bytes` as two digits each, with a `-` before the byte at each offset in `dashes` (a UUID's canonical form).
    @inlinable
    public static func text(of bytes: some Collection<UInt8>, uppercase: Bool, dashes: [Int] = []) -> String {
        let letters: UInt8 = uppercase ? 0x41 - 10 : 0x61 - 10
        return String(unsafeUninitializedCapacity: bytes.count * 2 + dashes.count) { buffer in
            var position = 0, offset = 0
            for byte in bytes {
                if dashes.contains(offset) {
                    buffer[position] = 0x2D
                    position += 1
                }
                let high = byte >> 4, low = byte & 0x0F
                buffer[position] = high < 10 ? 0x30 + high : letters + high
                buffer[position + 1] = low < 10 ? 0x30 + low : letters + low
                position += 2
                offset += 1
            }
            return position
        }
    }
}
