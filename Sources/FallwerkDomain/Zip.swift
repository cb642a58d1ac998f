import Foundation

/// CRC-32 as ZIP uses it (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF).
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// The MS-DOS date and time a ZIP entry carries. Passed in, never read from a clock, so the same
/// document gives the same bytes.
public struct DosTimestamp: Hashable, Sendable {
    public let date: UInt16
    public let time: UInt16

    /// DOS time has two-second steps and starts in 1980.
    public init(day: Day, time: TimeOfDay, seconds: Int = 0) {
        let year = min(max(day.year, 1980), 2107)
        self.date = UInt16((year - 1980) << 9 | day.month << 5 | day.day)
        self.time = UInt16(time.hour << 11 | time.minute << 5 | (seconds / 2))
    }

    /// 1 January 1980, 00:00: the earliest DOS timestamp.
    public static let epoch = DosTimestamp(day: Day(year: 1980, month: 1, day: 1)!, time: TimeOfDay(minuteOfDay: 0)!)
}

public struct ZipEntry: Hashable, Sendable {
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

public enum ZipError: Error, Hashable, Sendable {
    case noEndRecord
    case truncated
    case badSignature(offset: Int)
    case compressed(name: String)
    case nameMismatch(String)
    case crcMismatch(name: String)
}

/// A ZIP archive of STORED (uncompressed) entries: enough for DOCX, and simple enough to write and
/// check without a compression library. No ZIP64: every part must stay below 4 GiB.
public enum StoredZip {
    public static func archive(_ entries: [ZipEntry], modified: DosTimestamp) -> Data {
        var out = Data()
        var central = Data()
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = CRC32.checksum(entry.data)
            let size = UInt32(entry.data.count)
            let offset = UInt32(out.count)
            // Bit 11: the name is UTF-8.
            let flags: UInt16 = name.allSatisfy { $0 < 0x80 } ? 0 : 0x0800

            out.le32(0x0403_4B50)
            out.le16(20); out.le16(flags); out.le16(0)
            out.le16(modified.time); out.le16(modified.date)
            out.le32(crc); out.le32(size); out.le32(size)
            out.le16(UInt16(name.count)); out.le16(0)
            out.append(contentsOf: name)
            out.append(entry.data)

            central.le32(0x0201_4B50)
            central.le16(20); central.le16(20); central.le16(flags); central.le16(0)
            central.le16(modified.time); central.le16(modified.date)
            central.le32(crc); central.le32(size); central.le32(size)
            central.le16(UInt16(name.count)); central.le16(0); central.le16(0)
            central.le16(0); central.le16(0); central.le32(0)
            central.le32(offset)
            central.append(contentsOf: name)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.le32(0x0605_4B50)
        out.le16(0); out.le16(0)
        out.le16(UInt16(entries.count)); out.le16(UInt16(entries.count))
        out.le32(UInt32(central.count)); out.le32(centralOffset)
        out.le16(0)
        return out
    }

    /// Reads a stored archive through its central directory and checks every entry: local header,
    /// name and CRC-32. For tests and for checking an uploaded file.
    public static func read(_ data: Data) throws(ZipError) -> [ZipEntry] {
        let bytes = [UInt8](data)
        guard bytes.count >= 22 else { throw .noEndRecord }
        var end = bytes.count - 22
        while end >= 0, le32(bytes, end) != 0x0605_4B50 { end -= 1 }
        guard end >= 0 else { throw .noEndRecord }
        let count = Int(le16(bytes, end + 10))
        var at = Int(le32(bytes, end + 16))
        var entries: [ZipEntry] = []
        for _ in 0..<count {
            guard at + 46 <= bytes.count else { throw .truncated }
            guard le32(bytes, at) == 0x0201_4B50 else { throw .badSignature(offset: at) }
            let method = le16(bytes, at + 10)
            let crc = le32(bytes, at + 16)
            let size = Int(le32(bytes, at + 20))
            let nameLength = Int(le16(bytes, at + 28))
            let extra = Int(le16(bytes, at + 30)), comment = Int(le16(bytes, at + 32))
            let local = Int(le32(bytes, at + 42))
            guard at + 46 + nameLength <= bytes.count else { throw .truncated }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard method == 0 else { throw .compressed(name: name) }
            guard local + 30 <= bytes.count, le32(bytes, local) == 0x0403_4B50 else { throw .badSignature(offset: local) }
            let localNameLength = Int(le16(bytes, local + 26)), localExtra = Int(le16(bytes, local + 28))
            let start = local + 30 + localNameLength + localExtra
            guard start + size <= bytes.count else { throw .truncated }
            let localName = String(decoding: bytes[(local + 30)..<(local + 30 + localNameLength)], as: UTF8.self)
            guard localName == name, le32(bytes, local + 14) == crc else { throw .nameMismatch(name) }
            let content = bytes[start..<(start + size)]
            guard CRC32.checksum(content) == crc else { throw .crcMismatch(name: name) }
            entries.append(ZipEntry(name: name, data: Data(content)))
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    static func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}

extension Data {
    mutating func le16(_ value: UInt16) { append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)]) }
    mutating func le32(_ value: UInt32) {
        append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)])
    }
}
