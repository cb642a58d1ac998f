import FallwerkAPI
import FallwerkStore
import Fluent
import FluentSQL
import FluentPostgresDriver
import FluentSQLiteDriver
import OpenAPIRuntime
import OpenAPIVapor
import Vapor

/// Wires one application: database, migrations, sessions, middleware, pages and API.
public func configure(_ app: Application, _ configuration: AppConfiguration) async throws {
    switch configuration.database {
    case .sqliteFile(let path):
        app.databases.use(DirectSQLite.configuration(.sqlite(.file(path)), path: path, for: app), as: .sqlite)
        // Write-ahead logging: readers (a backup, a report tool, the other pages) never block the
        // writer and the writer never blocks them. The mode is stored in the file, so one statement
        // at start is enough for every connection and for the command-line tools too.
        if let sql = app.db as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode = WAL").run()
        }
    case .sqliteMemory:
        // SQLiteKit fakes an in-memory database with a temporary file and never removes it (every test
        // application left 0.7 MB in the temporary directory): removed when the application shuts down.
        let identifier = UUID().uuidString
        let file = TemporaryDatabaseFile(path: TemporaryDatabaseFile.path(identifier: identifier))
        app.databases.use(DirectSQLite.configuration(.sqlite(SQLiteConfiguration(storage: .memory(identifier: identifier))),
                                                     path: file.path, for: app), as: .sqlite)
        app.storage[TemporaryDatabaseFile.self] = file
        app.lifecycle.use(file)
    case .postgres(let url, let searchPath):
        var postgres = try SQLPostgresConfiguration(url: url)
        postgres.searchPath = searchPath
        // Lists reuse what they computed by the versions PostgreSQL's triggers keep (decision 0031).
        app.databases.use(.keepingCaseWork(.postgres(configuration: postgres)), as: .psql)
    }
    app.migrations.add(FallwerkMigrations.all)
    app.migrations.add(SessionRecord.migration)

    let dummyHash = try Bcrypt.hash("fallwerk-timing-equaliser", cost: configuration.bcryptCost)
    app.fallwerk = FallwerkState(configuration: configuration, dummyPasswordHash: dummyHash)

    // Sessions live in the database, so several instances behind a load balancer share them.
    app.sessions.use { _ in PageSessionDriver() }
    let secure = configuration.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: "fallwerk-session") { id in
        HTTPCookies.Value(string: id.string, expires: nil, maxAge: nil, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
    app.routes.defaultMaxBodySize = "1mb"
    app.routes.caseInsensitive = false

    app.middleware = Middlewares()
    // One task for the three (`InlineMiddleware`), not one each.
    app.middleware.use(InlineMiddleware(SecurityHeadersMiddleware(), ProblemMiddleware(), ReadAuditMiddleware()))

    WebRoutes.register(on: app)
    try registerAPI(on: app)
}

func registerAPI(on app: Application) throws {
    PolicyRoutes(app, .open, whenDenied: .problem).get("openapi.yaml") { _ in
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/yaml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: APIDocument.yaml))
    }
    let api = InlineGroup(app, BodyLimitMiddleware(limit: BodyLimitMiddleware.apiLimit), BearerAuthenticator(), APIContextMiddleware())
    let transport = VaporTransport(routesBuilder: PolicyRoutes(api, enforcedElsewhereAs: "operationTable"))
    // Compact JSON with sorted keys: the same answer gives the same bytes, without the indentation the
    // generator's default adds (a tenth of a list's CPU went to encoding, issue 12).
    try APIHandler().registerHandlers(on: transport, configuration: OpenAPIRuntime.Configuration(jsonEncodingOptions: [.sortedKeys]),
                                      middlewares: [OperationPolicyMiddleware(), CaseOperationMiddleware()])
}

/// Closes the direct reader's and writer's connections when the application shuts down (decisions 0026, 0027).
struct DirectSQLite: LifecycleHandler {
    let reader: DirectSQLiteReader
    let writer: DirectSQLiteWriter

    /// `configuration` with a reader and a writer of the SQLite file at `path`, closed with `app`.
    static func configuration(_ configuration: DatabaseConfigurationFactory, path: String, for app: Application) -> DatabaseConfigurationFactory {
        let direct = DirectSQLite(reader: DirectSQLiteReader(path: path), writer: DirectSQLiteWriter(path: path))
        app.lifecycle.use(direct)
        return .directSQLite(configuration, reader: direct.reader, writer: direct.writer)
    }

    func shutdown(_ application: Application) { close() }
    func shutdownAsync(_ application: Application) async { close() }

    private func close() {
        reader.close()
        writer.close()
    }
}

/// The file SQLiteKit keeps an "in-memory" database in (`SQLiteConfiguration.Storage.memory(identifier:)`),
/// removed with its journal when the application shuts down. Unlinking a file SQLite still has open is fine.
struct TemporaryDatabaseFile: LifecycleHandler, StorageKey {
    typealias Value = TemporaryDatabaseFile
    let path: String

    static func path(identifier: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("sqlite-kit_memorydb-\(ProcessInfo.processInfo.processIdentifier)-\(identifier).sqlite3").path
    }

    func shutdown(_ application: Application) {
        Self.remove(path)
    }

    /// Removes an SQLite file with its journal, write-ahead log and shared-memory index, where there are any.
    static func remove(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
