import Foundation

/// Recycles the buffers of large tensors: a training step allocates the same sizes every step,
/// so freed buffers are kept by exact size and handed out again instead of going back to the
/// system (which would page-fault fresh memory every step).
///
/// Buffers below `minimumCount` floats go straight to `malloc`; at most `limitBytes` are held
/// (beyond that, freed buffers are released). Thread-safe.
enum StoragePool {
    /// Buffers smaller than this many floats are not pooled.
    static let minimumCount = 4096
    /// The most memory the pool keeps for reuse.
    nonisolated(unsafe) static var limitBytes = 512 << 20

    private nonisolated(unsafe) static var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private nonisolated(unsafe) static var heldBytes = 0
    private static let lock = NSLock()

    /// A buffer of `count` floats (contents unspecified), 64-byte aligned.
    static func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count >= minimumCount {
            lock.lock()
            let reused = free[count]?.popLast()
            if reused != nil { heldBytes -= count * MemoryLayout<Float>.stride }
            lock.unlock()
            if let reused { return reused }
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    /// Returns a buffer obtained from `take(count)`.
    static func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        if count >= minimumCount {
            lock.lock()
            let keep = heldBytes + bytes <= limitBytes
            if keep {
                free[count, default: []].append(pointer)
                heldBytes += bytes
            }
            lock.unlock()
            if keep { return }
        }
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
