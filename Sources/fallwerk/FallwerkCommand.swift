import ArgumentParser
import FallwerkApp
import FallwerkDomain
import Foundation

/// `fallwerk`: parses the command line and starts things; everything else lives in the libraries.
@main
struct FallwerkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fallwerk",
        abstract: "Case management, documentation and billing for ambulatory youth welfare.",
        discussion: """
        Data lives in an SQLite file (--data, default ./fallwerk.sqlite) unless DATABASE_URL is set
        (postgres://user:pass@host:5432/db?sslmode=disable, or sqlite:///path/to/file).
        """,
        subcommands: [Serve.self, Migrate.self, User.self, Demo.self, Retention.self, Bench.self],
        defaultSubcommand: Serve.self
    )

    /// As `AsyncParsableCommand`'s own `main`, with Swift's tasks moved onto the event loops first: on the
    /// main thread, before any task runs (decision 0035).
    static func main() async {
        FallwerkServer.runTasksOnEventLoops()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand { try await command.run() } else { try command.run() }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command shares: where the data lives.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file to use when DATABASE_URL is not set.")
    var data: String = "fallwerk.sqlite"

    func configuration(secureCookies: Bool = false) throws -> AppConfiguration {
        let choice = try DatabaseChoice.from(databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"], dataPath: data)
        return AppConfiguration(database: choice, secureCookies: secureCookies)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the web server (pages and /api/v1); migrates the database first.")

    @OptionGroup var storage: StorageOptions

    @Flag(help: "On first start, fill an empty database with a fictional demo provider and print its logins.")
    var demo = false

    @Option(help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Flag(help: "Mark the session cookie Secure; use whenever Fallwerk is reached over HTTPS.")
    var secureCookies = false

    @Flag(help: "Trust X-Forwarded-For for the client address (login throttling); only behind a reverse proxy that sets it.")
    var behindProxy = false

    @Option(help: "Minutes of inactivity after which a page session ends.")
    var sessionIdleMinutes = 30

    @Option(help: "Hours after sign-in after which a page session ends, however active.")
    var sessionMaxHours = 10

    @Option(help: "Vapor environment name (development, production).")
    var env = "production"

    func validate() throws {
        guard (5...480).contains(sessionIdleMinutes) else { throw ValidationError("--session-idle-minutes must be 5 to 480.") }
        guard (1...24).contains(sessionMaxHours) else { throw ValidationError("--session-max-hours must be 1 to 24.") }
    }

    func run() async throws {
        var configuration = try storage.configuration(secureCookies: secureCookies)
        configuration.trustForwardedFor = behindProxy
        configuration.sessionTimeout = TimeInterval(sessionIdleMinutes * 60)
        configuration.sessionMaxAge = TimeInterval(sessionMaxHours * 3600)
        let app = try await FallwerkServer.makeApplication(
            configuration,
            vaporArguments: ["fallwerk", "serve", "--hostname", hostname, "--port", String(port), "--env", env])
        do {
            try await FallwerkServer.migrate(app)
            if demo, try await FallwerkServer.seedDemo(app) {
                print("Demo data created.")
            }
            if try await FallwerkServer.userCount(app) == 0 {
                print("""
                The database has no users yet. Create the first administrator with:
                  echo 'a-long-password' | swift run fallwerk user add admin --role admin --password-stdin
                or start with demo data: swift run fallwerk serve --demo
                """)
            } else if demo {
                print("Demo logins (password for all: \(DemoData.password)):")
                for login in DemoData.logins {
                    print("  \(login.username.padding(toLength: 12, withPad: " ", startingAt: 0)) \(login.roles.map(\.german).joined(separator: ", "))")
                }
            }
            print("Fallwerk runs at http://\(hostname):\(port)/  (API: /api/v1, spec: /openapi.yaml)")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date and exit.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let app = try await FallwerkServer.makeApplication(try storage.configuration(), vaporArguments: ["fallwerk", "--log", "warning"])
        do {
            try await FallwerkServer.migrate(app)
            print("Database is up to date.")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

struct Retention: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Retention (R32): block, delete and purge case files as the agreements say.",
                                                    subcommands: [Apply.self])

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the retention settings today; prints what was blocked and deleted (counts and file numbers).",
            discussion: "One transaction; idempotent. --dry-run only prints what a run would do.")

        @OptionGroup var storage: StorageOptions

        @Flag(help: "Print what would happen, change nothing.")
        var dryRun = false

        func run() async throws {
            let app = try await FallwerkServer.makeApplication(try storage.configuration(), vaporArguments: ["fallwerk", "--log", "warning"])
            do {
                try await FallwerkServer.migrate(app)
                print(try await FallwerkServer.applyRetention(app, dryRun: dryRun).joined(separator: "\n"))
            } catch let failure as FallwerkServer.CommandFailure {
                try? await app.asyncShutdown()
                print(failure.message)
                throw ExitCode(1)
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage logins.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a login. Reads the password from standard input.",
            discussion: "Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")). Repeat --role for several.")

        @OptionGroup var storage: StorageOptions

        @Argument(help: "The username (letters, digits, . _ -).")
        var name: String

        @Option(name: .customLong("role"), help: "A role; repeat for several.")
        var roles: [String] = []

        @Option(help: "Name shown in the pages; defaults to the username.")
        var displayName: String?

        @Flag(help: "Read the password from standard input (required).")
        var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("Pass --password-stdin and pipe the password in.") }
            guard !roles.isEmpty else { throw ValidationError("Give at least one --role.") }
        }

        func run() async throws {
            let password = readLine(strippingNewline: true) ?? ""
            let app = try await FallwerkServer.makeApplication(try storage.configuration(), vaporArguments: ["fallwerk", "--log", "warning"])
            do {
                try await FallwerkServer.migrate(app)
                try await FallwerkServer.addUser(app, username: name, roles: roles, password: password, displayName: displayName)
                print("User \(name.lowercased()) added.")
            } catch let failure as ValidationFailure {
                try? await app.asyncShutdown()
                for error in failure.errors { print("\(error.field): \(error.message)") }
                throw ExitCode(1)
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill an empty database with demo data and exit.",
        discussion: "--scale large builds the reference data set of the performance targets (300 staff, 3,000 running cases, five years, about 2.3 million entries).")

    @OptionGroup var storage: StorageOptions

    @Option(help: "demo (the 25-case demo provider), small or large.")
    var scale = "demo"

    func run() async throws {
        let size: ScaleData.Size? = switch scale {
        case "large": .large
        case "small": .small
        case "demo": nil
        default: throw ValidationError("--scale takes demo, small or large.")
        }
        let app = try await FallwerkServer.makeApplication(try storage.configuration(), vaporArguments: ["fallwerk", "--log", "warning"])
        do {
            try await FallwerkServer.migrate(app)
            let started = ContinuousClock.now
            if let size {
                guard let summary = try await FallwerkServer.seedScale(app, size: size, progress: { print($0) }) else {
                    print("The database holds data already; nothing was added.")
                    throw ExitCode(1)
                }
                print("Created \(summary.staff) staff, \(summary.cases) cases (\(summary.runningCases) running), \(summary.entries) entries "
                      + "in \(ContinuousClock.now - started).")
            } else if try await FallwerkServer.seedDemo(app) {
                print("Demo data created.")
            } else {
                print("The database holds data already; nothing was added.")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks, run on purpose (see docs/performance.md).",
                                                    subcommands: [Billing.self, HTTP.self, Writes.self, Statistics.self])

    struct Statistics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the statistics of the last year and the last five years (whole provider), as the page computes them.")

        @OptionGroup var storage: StorageOptions

        @Option(help: "How many times to compute each.")
        var runs = 5

        func run() async throws {
            try await storage.withApplication { app in try await StatisticsBenchmark.run(app, runs: runs) { print($0) } }
        }
    }

    struct Billing: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the monthly billing run against one raw SQL aggregate on the same data; checks both give the same totals.")

        @OptionGroup var storage: StorageOptions

        @Option(help: "The month to bill, YYYY-MM; default: the month before today.")
        var month: String?

        @Option(help: "How many times to run each side.")
        var runs = 5

        func run() async throws {
            let today = BerlinTime.local(Date()).day
            guard let chosen = month.map(Month.init(iso:)) ?? Month(containing: today.adding(days: -today.day)) else {
                throw ValidationError("--month takes YYYY-MM.")
            }
            try await storage.withApplication { app in
                let report = try await BillingBenchmark.run(app, month: chosen, runs: runs)
                print(report.text)
                if !report.totalsMatch { throw ExitCode(1) }
            }
        }
    }

    struct Writes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a copy of the SQLite file (or the DATABASE_URL database) on a loopback port and post entries from concurrent clients (entries/s, p50/p95/p99).")

        @OptionGroup var storage: StorageOptions

        @Option(help: "Loopback port for the server under test.")
        var port = 18_182

        @Option(help: "Concurrent clients, each one staff member writing to running cases they lead.")
        var clients = 16

        @Option(help: "Entries each client posts.")
        var entries = 60

        @Option(help: "Running cases of its staff member each client writes to, in turn (1: all on one case).")
        var casesPerClient = 10

        func validate() throws {
            // From 18:45 a quarter of an hour each over five days: more than 100 would run past midnight.
            guard (1...100).contains(entries) else { throw ValidationError("--entries takes 1 to 100.") }
            guard (1...50).contains(casesPerClient) else { throw ValidationError("--cases-per-client takes 1 to 50.") }
        }

        func run() async throws {
            // The entries stay where they are written: never in the reference data the other benchmarks read.
            // A SQLite file is copied here; a PostgreSQL database named in DATABASE_URL is written to as it
            // is, so name a scratch copy (`CREATE DATABASE scratch TEMPLATE reference`).
            let configuration: AppConfiguration
            var copy: String?
            if ProcessInfo.processInfo.environment["DATABASE_URL"] != nil {
                configuration = try storage.configuration()
            } else {
                copy = try WriteBenchmark.copy(storage.data)
                configuration = AppConfiguration(database: .sqliteFile(copy!))
            }
            defer { copy.map(WriteBenchmark.remove) }
            let app = try await FallwerkServer.makeApplication(configuration, vaporArguments: ["fallwerk", "--log", "warning"])
            do {
                try await FallwerkServer.migrate(app)
                let ok = try await WriteBenchmark.run(app, port: port, clients: clients, entriesPerClient: entries, casesPerClient: casesPerClient,
                                                      today: BerlinTime.local(Date()).day) { print($0) }
                try await app.asyncShutdown()
                if !ok { throw ExitCode(1) }
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
    }

    struct HTTP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: "Serve the data on a loopback port and time the read targets of issue 12 from concurrent clients (p50/p95/p99, memory).")

        @OptionGroup var storage: StorageOptions

        @Option(help: "Loopback port for the server under test.")
        var port = 18_181

        @Option(help: "Only targets whose name contains this text.")
        var only: String?

        @Option(help: "Seconds one request may take before it counts as failed.")
        var timeout: Int64 = 120

        @Option(help: "Requests a second that each target's clients send together, on a fixed schedule; without it they send without pause.")
        var rate: Int?

        func run() async throws {
            try await storage.withApplication { app in
                try await HTTPBenchmark.run(app, port: port, only: only, timeout: timeout, rate: rate) { print($0) }
            }
        }
    }
}

extension StorageOptions {
    /// Opens the data for a benchmark, migrates it, runs `body`, and shuts the application down whatever happens.
    func withApplication(_ body: @escaping (FallwerkServer.Running) async throws -> Void) async throws {
        try await FallwerkServer.withMigratedApplication(try configuration(), body)
    }
}
