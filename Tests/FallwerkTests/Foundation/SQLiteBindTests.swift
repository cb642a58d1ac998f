@testable import FallwerkStore
import FluentSQLiteDriver
import Foundation
import Testing

extension AllTests {
    @Suite("Values bound to SQLite statements")
    struct SQLiteBindTests {
        @Test("Issue 12: ids, text, numbers, dates, flags and absent values are bound exactly as SQLiteKit's encoder binds them")
        func bindsAsTheEncoder() throws {
            let encoder = SQLiteDataEncoder()
            var values: [any Encodable] = [
                "Grüße \" ' <&>", 42, Int64(-7), 3.25, true, false, Date(timeIntervalSince1970: 1_795_338_000.5),
                UUID?.none, String?.none, Optional("ö"), ["a", "b"], Data([0, 1, 255]),
            ]
            // every byte value in every place of an id, and the id behind an optional
            for seed in 0..<64 {
                let id = UUID(uuid: (UInt8(seed), UInt8(seed * 4 % 256), 0xFF, 0x0A, 0x9F, 0x10, 0x4C, UInt8(255 - seed),
                                     0xA0, 0x00, 0x7E, 0xC3, UInt8(seed * 3 % 256), 0x5B, 0xE9, 0xF0))
                values += [id, UUID?.some(id), UUID()]
            }
            for value in values {
                #expect(try SQLiteBinds.data(value) == encoder.encode(value), "\(value)")
            }
            let id = UUID()
            #expect(id.canonicalText == id.uuidString)
            #expect(try SQLiteBinds.data(id) == .text(id.uuidString))
        }
    }
}
