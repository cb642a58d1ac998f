#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A load generator that costs the server's machine as little as it can: each client a thread of its
/// own with one blocking keep-alive HTTP/1.1 connection over loopback, writing a request and reading the
/// answer's status line, headers and declared length of body, as `wrk` does.
///
/// The benchmarks run the server and its clients on the same two cores. Through the application's
/// AsyncHTTPClient each entry write cost the clients about a fifth of the server's CPU again (issue 12,
/// session of 2026-12-07, eighth), which the figures then counted against the server. The clients
/// still send every request over a real socket and check every answer's status.
enum LeanHTTPClient {
    /// One request: method, path with query, headers and body.
    struct Request: Sendable {
        var method = "GET"
        var path: String
        var headers: [(String, String)] = []
        var body = ""
    }

    /// `clients` clients on their own threads, each sending one uncounted request (index -1: a server that
    /// has been running has its caches warm; the first request of a fresh process reads its pages from disk)
    /// and then, once every client has, `requests` requests one after another as `make` builds them (client
    /// number, request number); an answer is a success when its status is `expecting`.
    ///
    /// Without `rate` the clients send without pause (closed loop: the figures are those of a saturated
    /// server). With `rate`, the clients together start `rate` requests a second on a fixed schedule and
    /// each request's time counts from when it was due, so a request that had to wait for the one before
    /// it counts the wait too (no coordinated omission). An answer that takes longer than `timeoutSeconds`
    /// fails.
    static func load(port: Int, clients: Int, requests: Int, expecting: Int, rate: Int? = nil, timeoutSeconds: Int = 60,
                     _ make: @escaping @Sendable (Int, Int) -> Request) async -> HTTPBenchmark.LoadRun {
        // Waiting for the clients blocks a thread: one of its own, not a task's (the tasks run on the server's event loops).
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: run(port: port, clients: clients, requests: requests, expecting: expecting, rate: rate,
                                                   timeoutSeconds: timeoutSeconds, make))
            }.start()
        }
    }

    /// When the timed requests began: set before the clients are let go (the semaphore orders it).
    private final class Started: @unchecked Sendable {
        var instant = ContinuousClock.now
    }

    private final class Runs: @unchecked Sendable {
        private let lock = NSLock()
        private var runs: [HTTPBenchmark.LoadRun] = []

        func add(_ run: HTTPBenchmark.LoadRun) { lock.withLock { runs.append(run) } }

        var all: HTTPBenchmark.LoadRun {
            lock.withLock {
                var all = HTTPBenchmark.LoadRun()
                for part in runs {
                    all.milliseconds += part.milliseconds
                    all.failures += part.failures
                    all.firstFailures += part.firstFailures
                }
                return all
            }
        }
    }

    private static func run(port: Int, clients: Int, requests: Int, expecting: Int, rate: Int?, timeoutSeconds: Int,
                            _ make: @escaping @Sendable (Int, Int) -> Request) -> HTTPBenchmark.LoadRun {
        let ready = DispatchGroup(), start = DispatchSemaphore(value: 0), done = DispatchGroup(), runs = Runs()
        let started = Started()
        let interval: Duration? = rate.map { .nanoseconds(1_000_000_000 / Int64(max(1, $0))) }
        for clientIndex in 0..<clients {
            ready.enter()
            done.enter()
            Thread {
                var local = HTTPBenchmark.LoadRun()
                let connection = Connection(port: port, timeoutSeconds: timeoutSeconds)
                if let failure = connection.send(make(clientIndex, -1), expecting: expecting) {
                    local.firstFailures.append("client \(clientIndex), first request: \(failure)")
                }
                ready.leave()
                start.wait()
                for index in 0..<requests {
                    var begin = ContinuousClock.now
                    if let interval {
                        let due = started.instant + interval * (index * clients + clientIndex)
                        if due > begin { Thread.sleep(forTimeInterval: HTTPBenchmark.milliseconds(due - begin) / 1000) }
                        begin = due
                    }
                    let failure = connection.send(make(clientIndex, index), expecting: expecting)
                    local.milliseconds.append(HTTPBenchmark.milliseconds(ContinuousClock.now - begin))
                    if let failure {
                        if local.failures.isEmpty { local.firstFailures.append("client \(clientIndex), request \(index): \(failure)") }
                        local.failures.append(failure)
                    }
                }
                connection.close()
                runs.add(local)
                done.leave()
            }.start()
        }
        ready.wait()
        started.instant = ContinuousClock.now
        for _ in 0..<clients { start.signal() }
        done.wait()
        var all = runs.all
        all.seconds = HTTPBenchmark.milliseconds(ContinuousClock.now - started.instant) / 1000
        return all
    }

    /// One keep-alive connection to 127.0.0.1, used by one thread.
    final class Connection {
        private var socket: Int32 = -1
        private let port: Int
        private let timeoutSeconds: Int
        private var pending: [UInt8] = []

        init(port: Int, timeoutSeconds: Int) {
            self.port = port
            self.timeoutSeconds = timeoutSeconds
        }

        /// Sends `request` and reads its answer; nil when its status is `expecting`, else what went wrong.
        func send(_ request: Request, expecting: Int) -> String? {
            if socket < 0, let failure = connect() { return failure }
            var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
            for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
            let body = Array(request.body.utf8)
            head += "Content-Length: \(body.count)\r\n\r\n"
            guard write(Array(head.utf8) + body) else { return fail("write: errno \(errno)") }
            guard let (status, answer) = readAnswer() else { return fail("no complete answer (errno \(errno))") }
            return status == expecting ? nil : "\(status) \(String(decoding: answer, as: UTF8.self))"
        }

        func close() {
            if socket >= 0 { _ = systemClose(socket) }
            socket = -1
        }

        private func fail(_ reason: String) -> String {
            close()
            return reason
        }

        private func connect() -> String? {
            #if canImport(Glibc)
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let fd = Darwin.socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard fd >= 0 else { return "socket: errno \(errno)" }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let status = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard status == 0 else {
                _ = systemClose(fd)
                return "connect: errno \(errno)"
            }
            socket = fd
            return nil
        }

        private func write(_ bytes: [UInt8]) -> Bool {
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { systemWrite(socket, $0.baseAddress, $0.count) }
                guard count > 0 else { return false }
                sent += count
            }
            return true
        }

        /// Reads until the head and the body its `Content-Length` declares are in; the status and the body.
        private func readAnswer() -> (Int, [UInt8])? {
            var headEnd: Int?
            var length = 0
            while true {
                if headEnd == nil, let end = Self.find([13, 10, 13, 10], in: pending) {
                    headEnd = end + 4
                    let head = String(decoding: pending[..<end], as: UTF8.self).lowercased()
                    for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                        length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
                if let headEnd, pending.count >= headEnd + length {
                    let status = String(decoding: pending[..<headEnd], as: UTF8.self).split(separator: " ").dropFirst().first.flatMap { Int($0) }
                    let body = Array(pending[headEnd..<(headEnd + length)])
                    pending.removeFirst(headEnd + length)
                    return status.map { ($0, body) }
                }
                var chunk = [UInt8](repeating: 0, count: 16_384)
                let count = chunk.withUnsafeMutableBytes { systemRead(socket, $0.baseAddress, $0.count) }
                guard count > 0 else { return nil }
                pending += chunk[..<count]
            }
        }

        private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                if Array(haystack[start..<(start + needle.count)]) == needle { return start }
            }
            return nil
        }
    }
}

// The C functions under names that the connection's own methods do not shadow.
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 { connect(fd, address, length) }
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemRead(_ fd: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, bytes, count) }
