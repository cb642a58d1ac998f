@testable import FallwerkApp
import Foundation
import Testing
import Vapor

extension AllTests {
    @Suite("Temporary databases")
    struct TemporaryDatabaseTests {
        @Test("An application on in-memory SQLite leaves no file behind: SQLiteKit keeps it in a temporary file")
        func inMemoryDatabaseFileIsRemovedAtShutdown() async throws {
            let app = try await Application.make(.testing)
            try await configure(app, AppConfiguration(database: .sqliteMemory, clock: FixedClock(TestApp.referenceNow)))
            try await app.autoMigrate()
            let file = try #require(app.storage[TemporaryDatabaseFile.self])
            // the file is where SQLiteKit puts it (so this test notices when SQLiteKit moves it)
            #expect(FileManager.default.fileExists(atPath: file.path))
            try await app.asyncShutdown()
            #expect(!FileManager.default.fileExists(atPath: file.path))
        }
    }
}
