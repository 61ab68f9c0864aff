@testable import HNASEngine
import XCTest

final class StoragePoolTests: XCTestCase {
    private var savedLimit = 0

    override func setUp() {
        savedLimit = StoragePool.limitBytes
        StoragePool.drain()
    }

    override func tearDown() {
        StoragePool.drain()
        StoragePool.limitBytes = savedLimit
    }

    func testSizeClassesCoverTheRequestWithAtMostAnEighthSlackAndWholePages() {
        var count = StoragePool.minimumCount
        while count < 1 << 26 {
            for n in [count - 1, count, count + 1, count + count / 3] where n >= StoragePool.minimumCount {
                let bytes = StoragePool.classBytes(n)
                let needed = n * MemoryLayout<Float>.stride
                XCTAssertGreaterThanOrEqual(bytes, needed, "count \(n)")
                XCTAssertEqual(bytes % 4096, 0, "count \(n)")
                XCTAssertLessThanOrEqual(Double(bytes), Double(needed) * 1.125 + 4096, "count \(n)")
            }
            count *= 2
        }
        // Eight classes per power of two: 1 MiB up to 2 MiB goes in steps of 128 KiB.
        XCTAssertEqual(StoragePool.classBytes(262_144), 1 << 20)
        XCTAssertEqual(StoragePool.classBytes(262_145), (1 << 20) + (128 << 10))
        XCTAssertEqual(StoragePool.classBytes(294_912), (1 << 20) + (128 << 10))
    }

    func testABufferIsReusedForANearbyCountOfTheSameClass() {
        let first = StoragePool.take(262_145)
        first[262_144] = 7
        StoragePool.give(first, count: 262_145)
        XCTAssertEqual(StoragePool.heldByteCount, StoragePool.classBytes(262_145))
        let second = StoragePool.take(290_000)
        XCTAssertEqual(second, first, "same size class, same buffer")
        XCTAssertEqual(StoragePool.heldByteCount, 0)
        second[289_999] = 1 // the whole class is mapped
        StoragePool.give(second, count: 290_000)
    }

    func testTheLeastRecentlyUsedClassIsReleasedFirstAndTheLimitHolds() {
        let counts = [8192, 16384, 32768] // 32, 64 and 128 KiB classes
        let sizes = counts.map(StoragePool.classBytes)
        StoragePool.limitBytes = sizes[1] + sizes[2]
        let buffers = counts.map { StoragePool.take($0) } // taken in this order: class 0 is the oldest
        for (buffer, count) in zip(buffers, counts) { StoragePool.give(buffer, count: count) }
        XCTAssertEqual(StoragePool.heldByteCount, sizes[1] + sizes[2], "class 0 released to keep classes 1 and 2")
        let reused = StoragePool.take(counts[2])
        XCTAssertEqual(reused, buffers[2])
        XCTAssertEqual(StoragePool.heldByteCount, sizes[1])
        let fresh = StoragePool.take(counts[0])
        XCTAssertEqual(StoragePool.heldByteCount, sizes[1], "class 0 held nothing any more")
        StoragePool.give(fresh, count: counts[0])
        StoragePool.give(reused, count: counts[2])
        XCTAssertLessThanOrEqual(StoragePool.heldByteCount, StoragePool.limitBytes)
    }

    func testABufferLargerThanTheLimitIsNotKept() {
        StoragePool.limitBytes = 1 << 20
        let buffer = StoragePool.take(1 << 19) // 2 MiB
        StoragePool.give(buffer, count: 1 << 19)
        XCTAssertEqual(StoragePool.heldByteCount, 0)
    }

    func testDrainReleasesEverything() {
        let a = StoragePool.take(5000), b = StoragePool.take(70_000)
        StoragePool.give(a, count: 5000)
        StoragePool.give(b, count: 70_000)
        XCTAssertEqual(StoragePool.heldByteCount, StoragePool.classBytes(5000) + StoragePool.classBytes(70_000))
        StoragePool.drain()
        XCTAssertEqual(StoragePool.heldByteCount, 0)
    }

    func testSmallBuffersBypassThePool() {
        let small = StoragePool.take(StoragePool.minimumCount - 1)
        StoragePool.give(small, count: StoragePool.minimumCount - 1)
        XCTAssertEqual(StoragePool.heldByteCount, 0)
    }
}
