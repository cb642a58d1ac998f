import FluentSQL
import Logging
import NIOCore

/// The database as SQLKit's serializer sees it when the stores serialize their own statements
/// (`plainRows`, `sqlRows`, `plainUpdate`): the same dialect, except that an identifier is written
/// between its quotes as it is. SQLKit searches every table, column and alias name for quotes to double
/// with a generic `replacing`; that search alone was about a tenth of a busy server's CPU (issue 12,
/// decision 0025). The names in these statements are this code's tables, columns and aliases, never
/// input, and none holds a quote: `VerbatimIdentifiersTests` checks the output is SQLKit's own.
struct VerbatimIdentifiers: SQLDatabase {
    let base: any SQLDatabase
    let dialect: any SQLDialect

    init(_ base: any SQLDatabase) {
        self.base = base
        self.dialect = VerbatimDialect(base: base.dialect)
    }

    /// `query` as SQL text with its bound values, for the database it came from.
    static func serialize(_ query: any SQLExpression, for database: any SQLDatabase) -> (sql: String, binds: [any Encodable & Sendable]) {
        var serializer = SQLSerializer(database: VerbatimIdentifiers(database))
        query.serialize(to: &serializer)
        return (serializer.sql, serializer.binds)
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession(closure)
    }
}

/// SQL text already serialized, with its bound values: runs as written (its placeholders are the dialect's).
struct SerializedSQL: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: binds)
    }
}

/// A dialect as it is, but with an identifier quote that is not `SQLRaw`: `SQLIdentifier` then writes the
/// quote, the name and the quote, without its search for quotes inside the name.
private struct VerbatimDialect: SQLDialect {
    let base: any SQLDialect
    let identifierQuote: any SQLExpression

    init(base: any SQLDialect) {
        self.base = base
        self.identifierQuote = (base.identifierQuote as? SQLRaw).map { Quote(mark: $0.sql) } ?? base.identifierQuote
    }

    private struct Quote: SQLExpression {
        let mark: String
        func serialize(to serializer: inout SQLSerializer) { serializer.write(mark) }
    }

    var name: String { base.name }
    var literalStringQuote: any SQLExpression { base.literalStringQuote }
    var supportsAutoIncrement: Bool { base.supportsAutoIncrement }
    var autoIncrementClause: any SQLExpression { base.autoIncrementClause }
    var autoIncrementFunction: (any SQLExpression)? { base.autoIncrementFunction }
    func bindPlaceholder(at position: Int) -> any SQLExpression { base.bindPlaceholder(at: position) }
    func literalBoolean(_ value: Bool) -> any SQLExpression { base.literalBoolean(value) }
    var literalDefault: any SQLExpression { base.literalDefault }
    var supportsIfExists: Bool { base.supportsIfExists }
    var enumSyntax: SQLEnumSyntax { base.enumSyntax }
    var supportsDropBehavior: Bool { base.supportsDropBehavior }
    var supportsReturning: Bool { base.supportsReturning }
    var triggerSyntax: SQLTriggerSyntax { base.triggerSyntax }
    var alterTableSyntax: SQLAlterTableSyntax { base.alterTableSyntax }
    func customDataType(for dataType: SQLDataType) -> (any SQLExpression)? { base.customDataType(for: dataType) }
    func normalizeSQLConstraint(identifier: any SQLExpression) -> any SQLExpression {
        base.normalizeSQLConstraint(identifier: identifier)
    }
    var upsertSyntax: SQLUpsertSyntax { base.upsertSyntax }
    var unionFeatures: SQLUnionFeatures { base.unionFeatures }
    var sharedSelectLockExpression: (any SQLExpression)? { base.sharedSelectLockExpression }
    var exclusiveSelectLockExpression: (any SQLExpression)? { base.exclusiveSelectLockExpression }
    func nestedSubpathExpression(in column: any SQLExpression, for path: [String]) -> (any SQLExpression)? {
        base.nestedSubpathExpression(in: column, for: path)
    }
}
