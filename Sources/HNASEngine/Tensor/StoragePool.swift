import Foundation

/// Recycles the buffers of large tensors: a training step allocates the same sizes every step,
/// so freed buffers are kept and handed out again instead of going back to the system (which
/// would page-fault fresh memory every step).
///
/// Pooled buffers (at least `minimumCount` floats) are rounded up to a size class, eight per
/// power of two (at most 12.5 % slack), so that the slightly different shapes of one search
/// (another fusion cell count, a shorter last batch) reuse each other's buffers. They are mapped
/// from the system directly rather than taken from `malloc`, so that a released buffer really
/// leaves the process: on the `malloc` heap, freed multi-megabyte chunks fragment and keep the
/// resident size well above what is live (the README search peaked at 1.10 GiB that way, 0.74 GiB
/// this way).
///
/// At most `limitBytes` are held for reuse; beyond that, the buffers of the least recently
/// used size class are released first. Buffers below `minimumCount` floats go straight to
/// `malloc`. Thread-safe. A search drains the pool between phases whose shapes differ (supernet
/// training, each fusion search), so that one phase's buffers do not sit beside the next one's.
public enum StoragePool {
    /// Buffers smaller than this many floats are not pooled.
    static let minimumCount = 4096
    /// The most memory the pool keeps for reuse: a quarter of the machine's memory, at least 1 GiB.
    /// A fusion supernet step at batch 256 cycles through well over 512 MB of buffers, an MM-IMDB
    /// backbone step at batch 16 and 224² through about 3 GB; below a step's working set, every step
    /// re-maps and page-faults the rest (12 % of that backbone step's time at a 1 GiB limit).
    nonisolated(unsafe) static var limitBytes = Swift.max(1 << 30, Int(ProcessInfo.processInfo.physicalMemory / 4))

    private struct SizeClass {
        var buffers: [UnsafeMutableRawPointer] = []
        var lastUse = 0

        /// Marks the class used at `time` and takes a held buffer, if any.
        mutating func take(at time: Int) -> UnsafeMutableRawPointer? {
            lastUse = time
            return buffers.popLast()
        }
    }

    private nonisolated(unsafe) static var classes: [Int: SizeClass] = [:]
    private nonisolated(unsafe) static var heldBytes = 0
    private nonisolated(unsafe) static var clock = 0
    private static let lock = NSLock()

    /// The bytes a pooled buffer of `count` floats occupies: `count` floats rounded up to the
    /// next of eight classes per power of two, and to whole pages.
    static func classBytes(_ count: Int) -> Int {
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        let octave = 1 << (Int.bitWidth - 1 - bytes.leadingZeroBitCount)
        let step = Swift.max(octave / 8, 4096)
        return (bytes + step - 1) / step * step
    }

    /// The bytes held for reuse right now.
    static var heldByteCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return heldBytes
    }

    /// A buffer of `count` floats (contents unspecified), at least 64-byte aligned.
    static func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        guard count >= minimumCount else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            return raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
        }
        let bytes = classBytes(count)
        lock.lock()
        clock += 1
        let reused = classes[bytes, default: SizeClass()].take(at: clock)
        if reused != nil { heldBytes -= bytes }
        lock.unlock()
        let raw = reused ?? map(bytes)
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    /// Returns a buffer obtained from `take(count)`.
    static func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= minimumCount else {
            UnsafeMutableRawPointer(pointer).deallocate()
            return
        }
        let bytes = classBytes(count)
        var released: [(UnsafeMutableRawPointer, Int)] = []
        lock.lock()
        while heldBytes + bytes > limitBytes, let victim = leastRecentlyUsedClass(besides: bytes) {
            if let buffer = classes[victim]?.buffers.popLast() {
                released.append((buffer, victim))
                heldBytes -= victim
            }
        }
        let keep = heldBytes + bytes <= limitBytes
        if keep {
            classes[bytes, default: SizeClass()].buffers.append(UnsafeMutableRawPointer(pointer))
            heldBytes += bytes
        }
        lock.unlock()
        for (buffer, size) in released { munmap(buffer, size) }
        if !keep { munmap(UnsafeMutableRawPointer(pointer), bytes) }
    }

    /// Releases every held buffer (after a phase whose shapes will not come back).
    public static func drain() {
        lock.lock()
        let held = classes.flatMap { size, sizeClass in sizeClass.buffers.map { ($0, size) } }
        classes.removeAll()
        heldBytes = 0
        lock.unlock()
        for (buffer, size) in held { munmap(buffer, size) }
    }

    /// The size class, other than `excluded`, that holds buffers and was used longest ago.
    private static func leastRecentlyUsedClass(besides excluded: Int) -> Int? {
        var oldest: (size: Int, lastUse: Int)?
        for (size, sizeClass) in classes where size != excluded && !sizeClass.buffers.isEmpty {
            if sizeClass.lastUse < oldest?.lastUse ?? .max { oldest = (size, sizeClass.lastUse) }
        }
        return oldest?.size
    }

    private static func map(_ bytes: Int) -> UnsafeMutableRawPointer {
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("hnas: out of memory mapping \(bytes) bytes for a tensor")
        }
        return raw
    }
}
