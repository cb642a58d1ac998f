/// Passwords that guessers try first (international and German lists of the most used ones).
/// A new password is refused when it is one of them, also with digits or `!` appended
/// ("Passwort123!"), or the user name itself (#11).
public enum CommonPasswords {
    static let list: Set<String> = [
        "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910", "0123456789", "987654321",
        "111111", "11111111", "000000", "00000000", "123123", "123123123", "112233", "121212", "654321", "666666",
        "password", "passwort", "passwd", "kennwort", "geheim", "geheimnis", "qwertz", "qwertzu", "qwertzuiop",
        "qwerty", "qwertyuiop", "asdfgh", "asdfghjk", "asdfghjkl", "yxcvbnm", "abc123", "abcdef", "abcdefgh",
        "hallo", "hallohallo", "halloo", "willkommen", "welcome", "letmein", "iloveyou", "ichliebedich",
        "schatz", "schatzi", "sommer", "winter", "fruehling", "herbst", "sonne", "sonnenschein", "blume",
        "fussball", "football", "dragon", "monkey", "master", "admin", "administrator", "root", "login",
        "test", "testtest", "test1234", "changeme", "default", "start", "startstart", "benutzer", "user",
        "jugendamt", "fallwerk", "sozialarbeit", "familie", "familienhilfe", "mitarbeiter", "verwaltung",
        "leitung", "teamleitung", "fachkraft", "deutschland", "berlin", "hamburg", "muenchen", "schalke",
        "borussia", "bayern", "dortmund", "ficken", "arschloch", "superman", "batman", "pokemon", "starwars",
        "michael", "thomas", "andreas", "stefan", "daniel", "sabine", "susanne", "nicole", "julia", "anna",
        "januar", "februar", "maerz", "april", "august", "september", "oktober", "november", "dezember",
        "princess", "sunshine", "shadow", "trustno1", "baseball", "whatever", "freedom", "zaq12wsx", "1q2w3e4r",
        "1qaz2wsx", "q1w2e3r4", "a1b2c3d4", "aa123456", "passw0rd", "p@ssw0rd", "p@ssword", "pa$$wort",
    ]

    /// Whether `password` is on the list (ignoring case and trailing digits or punctuation) or
    /// equals the user name.
    public static func contains(_ password: String, username: String? = nil) -> Bool {
        let lowered = password.lowercased()
        if let username, !username.isEmpty, lowered == username.lowercased() { return true }
        if list.contains(lowered) { return true }
        let stem = String(lowered.reversed().drop { $0.isNumber || "!?.#*$-_ ".contains($0) }.reversed())
        return !stem.isEmpty && list.contains(stem)
    }
}
