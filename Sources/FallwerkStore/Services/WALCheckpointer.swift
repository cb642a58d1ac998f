import Foundation
import NIOConcurrencyHelpers

/// Runs SQLite's checkpoints on a thread of their own instead of inside the writer's commits (issue 12).
///
/// SQLite copies the write-ahead log back into the database file when a commit finds the log longer
/// than a thousand pages, in that commit: the transaction that happened to cross the limit wrote pages
/// all over the 2 GB file and waited for the disk, on one of the two threads every request runs on, and
/// every read whose audit entry was in that commit waited with it. Under sixteen clients reading their
/// lists the server's threads spent a sixth of their time waiting for the disk while the processor was
/// partly idle. The writer's connection now only reports how long the log is (`logGrew(to:)`); past
/// `pages`, this thread checkpoints passively on a connection of its own, without blocking readers or
/// the writer.
///
/// It also makes the read audit's commits durable (`Durability.soon`): those commit without waiting
/// for the disk, and `syncDelay` later this thread checkpoints, which first syncs the log with everything
/// committed before it that it copies back (as does any durable commit in between).
public final class WALCheckpointer: @unchecked Sendable {
    /// The log length, in pages, from which a checkpoint runs: four times SQLite's default for its automatic
    /// one, so that the pages every entry write changes (its case, its windows, the indexes' upper pages) are
    /// copied back once for more writes (decision 0033; 16 MB of log between checkpoints).
    public static let pages = 4_000
    /// How long a commit that did not wait for the disk waits for its checkpoint, so that one checkpoint
    /// serves the commits of that time.
    static let syncDelay = 0.5

    private let path: String
    private let wake = DispatchSemaphore(value: 0)
    private let state = NIOLockedValueBox(State())
    private let finished = DispatchSemaphore(value: 0)
    /// Cuts the wait of `syncDelay` short when the thread is to stop.
    private let stopping = DispatchSemaphore(value: 0)

    private struct State {
        var signalled = false
        var unsynced = false
        var stopped = false
        var started = false
        var completed = 0
    }

    /// How many checkpoints this thread has run (tests).
    var completed: Int { state.withLockedValue(\.completed) }

    public init(path: String) {
        self.path = path
    }

    /// Called by SQLite on the writer's thread after every commit, with the log's length in pages.
    func logGrew(to pages: Int) {
        guard pages >= Self.pages else { return }
        wakeUp { state in
            defer { state.signalled = true }
            return !state.signalled && !state.unsynced
        }
    }

    /// The writer committed without waiting for the disk (`Durability.soon`).
    func committedWithoutSync() {
        wakeUp { state in
            defer { state.unsynced = true }
            return !state.signalled && !state.unsynced
        }
    }

    /// Notes what happened and wakes the thread (starting it the first time) where `note` says so.
    private func wakeUp(_ note: (inout State) -> Bool) {
        let (signal, start) = state.withLockedValue { state -> (Bool, Bool) in
            guard !state.stopped, note(&state) else { return (false, false) }
            defer { state.started = true }
            return (true, !state.started)
        }
        if start {
            let thread = Thread { [self] in run() }
            thread.name = "fallwerk-checkpoint"
            thread.start()
        }
        if signal { wake.signal() }
    }

    /// Ends the thread after the checkpoint it may be running; the last connection to close checkpoints
    /// whatever is left.
    public func stop() {
        let started = state.withLockedValue { state in
            state.stopped = true
            return state.started
        }
        guard started else { return }
        stopping.signal()
        wake.signal()
        finished.wait()
    }

    private func run() {
        var connection: DirectSQLiteConnection?
        while true {
            wake.wait()
            // Commits that only need to be durable soon wait together; a long log is copied back at once.
            if state.withLockedValue({ !$0.signalled && !$0.stopped }) {
                _ = stopping.wait(timeout: .now() + Self.syncDelay)
            }
            let stopped = state.withLockedValue { state in
                state.signalled = false
                state.unsynced = false
                return state.stopped
            }
            if stopped { break }
            do {
                if connection == nil { connection = try DirectSQLiteConnection(path: path, readOnly: false) }
                try connection?.checkpoint()
                state.withLockedValue { $0.completed += 1 }
            } catch {
                // Tried again at the next signal, on a new connection: a checkpoint that did not run
                // leaves the log longer, never the data wrong.
                connection?.close()
                connection = nil
            }
        }
        connection?.close()
        finished.signal()
    }
}
