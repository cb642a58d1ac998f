import Fluent
import FluentSQL

/// SQLite has one writer at a time. Two transactions that both read before they write can block
/// each other, and SQLite then fails one of them at once (`SQLITE_BUSY` on a file, `SQLITE_LOCKED`
/// on the shared in-memory database) instead of waiting. On SQLite, write transactions of this
/// process therefore queue here, first come, first served; PostgreSQL runs them side by side.
actor WriteQueue {
    static let shared = WriteQueue()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

extension Database {
    /// A transaction for work that writes; nested calls join the transaction they are in.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction, (self as? any SQLDatabase)?.dialect.name == "sqlite" else { return try await transaction(body) }
        await WriteQueue.shared.acquire()
        do {
            let result = try await transaction(body)
            await WriteQueue.shared.release()
            return result
        } catch {
            await WriteQueue.shared.release()
            throw error
        }
    }
}
