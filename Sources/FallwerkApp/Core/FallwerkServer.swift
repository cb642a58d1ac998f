import FallwerkDomain
import FallwerkStore
import FallwerkWeb
import Fluent
import NIOCore
import NIOPosix
import Vapor

/// What the command line can ask of Fallwerk. The executable only parses arguments and calls these.
public enum FallwerkServer {
    /// Makes the event loops Vapor serves on (`MultiThreadedEventLoopGroup.singleton`, one a core) Swift's
    /// global executor, so that a request's task runs where its socket is served and no hand-over between
    /// them wakes another thread (decision 0035). Once, on the main thread, before any task runs: first
    /// thing in `main`.
    public static func runTasksOnEventLoops() {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Builds and configures an application; `vaporArguments` are handed to Vapor's own commands.
    public static func makeApplication(_ configuration: AppConfiguration, vaporArguments: [String]) async throws -> Application {
        var environment = try Environment.detect(arguments: vaporArguments)
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try await configure(app, configuration)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    public static func migrate(_ app: Application) async throws {
        try await app.autoMigrate()
    }

    /// Fills an empty database with the demo provider; false when it held users already.
    public static func seedDemo(_ app: Application) async throws -> Bool {
        try await DemoData.seed(on: app.db, hash: PasswordHashing.hasher(for: app), now: app.fallwerk.clock.now())
    }

    public static func userCount(_ app: Application) async throws -> Int {
        try await UserStore.count(on: app.db)
    }

    /// A command that could not run, with a German message for the person at the console.
    public struct CommandFailure: Error {
        public let message: String
    }

    /// R32 from the command line: applies retention today (or, dry, reports what it would do) and returns
    /// the report's lines. The run is one transaction; a busy database leaves everything as it was.
    public static func applyRetention(_ app: Application, dryRun: Bool) async throws -> [String] {
        let now = app.fallwerk.clock.now()
        do {
            let report = try await RetentionStore.apply(today: BerlinTime.local(now).day, dryRun: dryRun,
                                                        context: WriteContext(actor: .commandLine, now: now), on: app.db)
            return RetentionText.lines(report, dryRun: dryRun)
        } catch is DatabaseBusy {
            throw CommandFailure(message: "Die Datenbank ist gerade belegt; es wurde nichts geändert. Bitte später erneut versuchen.")
        }
    }

    /// Adds a login from the command line; German field messages on bad input.
    public static func addUser(_ app: Application, username: String, roles: [String], password: String, displayName: String?) async throws {
        let context = WriteContext(actor: .commandLine, now: app.fallwerk.clock.now())
        try await UserStore.save(UserInput(username: username, displayName: displayName, roles: roles, password: password),
                                 hash: PasswordHashing.hasher(for: app), context: context, on: app.db)
    }
}
