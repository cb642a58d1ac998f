@testable import FallwerkStore
import Testing

extension AllTests {
    @Suite("Work on every core")
    struct ConcurrentMapTests {
        @Test("Issue 12: a list's per-case work split over the cores comes back complete and in the list's order")
        func concurrentMapKeepsOrder() async {
            let numbers = Array(0..<1_003)
            // split into three pieces of at least 250: the last one shorter, each computed in its own task
            let split = await numbers.concurrentMap(parts: 3, atLeast: 250) { $0 * 2 }
            #expect(split == numbers.map { $0 * 2 })
            // too few for two pieces of 250: computed in one
            let whole = await Array(0..<499).concurrentMap(parts: 8, atLeast: 250) { $0 + 1 }
            #expect(whole == Array(1..<500))
        }
    }
}
