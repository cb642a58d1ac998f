// swift-tools-version:6.0
import PackageDescription

// A thin executable over small libraries with one job each (see README "Layout").
let package = Package(
    name: "Fallwerk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fallwerk", targets: ["fallwerk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The command line: parses arguments and starts things, nothing else.
        .executableTarget(
            name: "fallwerk",
            dependencies: [
                "FallwerkApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Pure rules (R1–R33): plain values in, plain values out. No I/O, no Vapor.
        .target(name: "FallwerkDomain"),
        // The SQLite functions the direct reader calls: those sqlite-nio links in (decision 0026).
        .target(name: "CFallwerkSQLite"),
        // Fluent models, migrations and queries.
        .target(
            name: "FallwerkStore",
            dependencies: [
                "FallwerkDomain", "CFallwerkSQLite",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                // Only to tell SQLite's "busy" from other errors (WriteTransaction).
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                // Only to read plain rows straight from PostgreSQL's cells (PlainPostgresRow).
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
        // The OpenAPI document and the types generated from it.
        .target(
            name: "FallwerkAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            resources: [.copy("openapi.yaml")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // Server-rendered German pages.
        .target(
            name: "FallwerkWeb",
            dependencies: [
                "FallwerkDomain", "FallwerkStore",
                .product(name: "Plot", package: "Plot"),
            ],
            resources: [.copy("Assets")]
        ),
        // Configuration and wiring: database, sessions, auth, routes, API handlers.
        .target(
            name: "FallwerkApp",
            dependencies: [
                "FallwerkDomain", "FallwerkStore", "FallwerkAPI", "FallwerkWeb",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                // Swift's tasks on Vapor's event loops (`NIOSingletons`, decision 0035).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
            ]
        ),
        .testTarget(
            name: "FallwerkTests",
            dependencies: [
                "FallwerkApp", "FallwerkDomain", "FallwerkStore", "FallwerkWeb",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
