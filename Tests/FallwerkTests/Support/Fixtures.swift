import Foundation
import FallwerkDomain

/// Valid request bodies; tests change one field at a time.
enum Fixtures {
    static func leitwegID(_ coarse: String = "15003000", fine: String = "JA51") -> String {
        "\(coarse)-\(fine)-\(LeitwegID.checkDigits(for: coarse + fine))"
    }

    static func youthOffice(name: String = "Jugendamt Teststadt") -> [String: Any] {
        ["name": name, "leitwegId": leitwegID(),
         "address": ["street": "Rathausplatz 1", "postalCode": "39104", "city": "Teststadt"]]
    }

    static func offer(name: String = "Familienhilfe") -> [String: Any] {
        ["name": name, "legalBasis": "§ 27 i. V. m. § 31 SGB VIII"]
    }

    static func team(name: String = "Team Nord") -> [String: Any] {
        ["name": name, "location": "Iserlohn"]
    }

    static func staff(teamId: String, lastName: String = "Muster") -> [String: Any] {
        ["firstName": "Erika", "lastName": lastName, "weeklyHours": "39", "teamId": teamId, "qualification": "socialWorker",
         "inductionCompleted": "2025-01-15"]
    }

    static func provider() -> [String: Any] {
        ["name": "Testträger gGmbH", "address": ["street": "Lindenweg 1", "postalCode": "58636", "city": "Iserlohn"],
         "taxNumber": "332/5790/0815", "iban": "DE02120300000000202051", "bic": "BYLADEM1001",
         "email": "abrechnung@testtraeger.example", "phone": "02371 000 100"]
    }
}
