@testable import HNASEngine
import Foundation
import XCTest

final class ParallelTests: XCTestCase {
    private var saved = 1

    override func setUp() { saved = Parallel.threads }
    override func tearDown() { Parallel.threads = saved }

    /// Every index runs exactly once, for loop sizes around the piece counts and thread counts
    /// above the cores.
    func testEveryIndexRunsOnceForManyLoopsAndThreadCounts() {
        for threads in [2, 3, 5] {
            Parallel.threads = threads
            for count in [1, 2, 3, 7, 8, 9, 20, 1000] {
                var hits = [Int](repeating: 0, count: count)
                hits.withUnsafeMutableBufferPointer { h in Parallel.forEach(count) { h[$0] += 1 } }
                XCTAssertEqual(hits, [Int](repeating: 1, count: count), "threads \(threads), count \(count)")
            }
        }
        // Thousands of short loops back to back: no lost piece, no hang.
        Parallel.threads = 2
        var total = [Int](repeating: 0, count: 16)
        for _ in 0..<5000 {
            total.withUnsafeMutableBufferPointer { t in Parallel.forEach(16) { t[$0] += $0 } }
        }
        XCTAssertEqual(total, (0..<16).map { $0 * 5000 })
    }

    func testANestedLoopRunsSeriallyOnItsThread() {
        Parallel.threads = 2
        var inner = [[Int]](repeating: [], count: 8)
        inner.withUnsafeMutableBufferPointer { rows in
            Parallel.forEach(8) { i in
                let thread = pthread_self()
                var same = true, seen: [Int] = []
                Parallel.forEach(4) { j in
                    same = same && pthread_equal(pthread_self(), thread) != 0
                    seen.append(j)
                }
                rows[i] = same ? seen : []
            }
        }
        XCTAssertEqual(inner, [[Int]](repeating: [0, 1, 2, 3], count: 8))
    }

    /// After the workers have gone to sleep (well past their polling window), a loop still wakes
    /// one: some of 16 pieces of 2 ms run off the calling thread.
    func testSleepingWorkersWakeForTheNextLoop() {
        Parallel.threads = 2
        Parallel.forEach(4) { _ in }
        usleep(50_000)
        let caller = pthread_self()
        var offCaller = [Bool](repeating: false, count: 16)
        offCaller.withUnsafeMutableBufferPointer { flags in
            Parallel.forEach(16) { i in
                usleep(2000)
                flags[i] = pthread_equal(pthread_self(), caller) == 0
            }
        }
        XCTAssertTrue(offCaller.contains(true), "no piece ran on a pool thread")
    }

    /// Two threads submitting at once both get every index done (one of them serially).
    func testConcurrentSubmittersBothComplete() {
        Parallel.threads = 2
        var results = [[Int]](repeating: [], count: 2)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: 2) { submitter in
                var sums = [Int](repeating: 0, count: 64)
                for _ in 0..<200 {
                    sums.withUnsafeMutableBufferPointer { s in Parallel.forEach(64) { s[$0] += 1 } }
                }
                out[submitter] = sums
            }
        }
        XCTAssertEqual(results, [[Int]](repeating: [Int](repeating: 200, count: 64), count: 2))
    }
}
