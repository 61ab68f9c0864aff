#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-OS-thread state of the kernels: reusable scratch buffers and the "inside a parallel
/// region" flag. `WorkerPool`'s threads (and the caller's) are long-lived, so scratch
/// grows to the largest size a thread has needed and is then reused by every later call.
final class ThreadContext {
    /// Set while this thread runs a `Parallel.forEach` body; nested loops then run serially.
    var insideParallel = false

    private var slots: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []

    /// A buffer of at least `count` floats, distinct for each `slot`, owned by this thread.
    /// Its contents are unspecified; it stays valid until the next `scratch` call with the same slot.
    func scratch(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        while slots.count <= slot { slots.append((UnsafeMutablePointer<Float>.allocate(capacity: 0), 0)) }
        if slots[slot].capacity < count {
            slots[slot].pointer.deallocate()
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            slots[slot] = (raw.bindMemory(to: Float.self, capacity: count), count)
        }
        return slots[slot].pointer
    }

    deinit {
        for slot in slots { slot.pointer.deallocate() }
    }

    /// This thread's context, created on first use and freed when the thread exits.
    static var current: ThreadContext {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<ThreadContext>.fromOpaque(raw).takeUnretainedValue()
        }
        let context = ThreadContext()
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<ThreadContext>.fromOpaque(raw).release()
        }
        precondition(status == 0, "pthread_key_create failed with \(status)")
        return key
    }()
}

/// Scratch slot numbers, so that kernels calling one another never share a buffer.
enum ScratchSlot {
    static let columns = 0
    static let partials = 1
    static let paddedInput = 2
    static let paddedOutput = 3
    static let channelMajorInput = 4
    static let channelMajorOutput = 5
    static let gemmPartials = 6
    static let epilogueGate = 7
    static let gemmBlock = 8
    static let expanded = 9
    static let laneWeights = 10
}
