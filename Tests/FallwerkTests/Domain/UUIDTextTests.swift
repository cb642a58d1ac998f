import FallwerkDomain
import Foundation
import Testing

extension AllTests {
    @Suite("A UUID's text written digit by digit (issue 12)")
    struct UUIDTextTests {
        @Test("Issue 12: idText is uuidString and lowercasedIDText its lower case, for any id")
        func sameTextAsFoundation() throws {
            var ids = (0..<2_000).map { _ in UUID() }
            ids.append(try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000000")))
            ids.append(try #require(UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")))
            ids.append(try #require(UUID(uuidString: "0123ABCD-4567-89EF-FEDC-BA9876543210")))
            for id in ids {
                #expect(id.idText == id.uuidString)
                #expect(id.lowercasedIDText == id.uuidString.lowercased())
                #expect(UUID(uuidString: id.idText) == id)
            }
        }
    }
}
