/// A 64-bit FNV-1a hash of bytes, tensors and strings: a cheap check that the processes of a
/// distributed run hold the same configuration, weights and data (not a cryptographic hash).
public struct Fingerprint: Equatable, Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Mixes in raw bytes.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        value = h
    }

    /// Mixes in a string (UTF-8) followed by a separator, so "ab"+"c" differs from "a"+"bc".
    public mutating func add(_ string: String) {
        var s = string + "\u{0}"
        s.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Mixes in a tensor's shape and values.
    public mutating func add(_ tensor: Tensor) {
        add("\(tensor.shape)")
        tensor.withUnsafeBufferPointer { add(UnsafeRawBufferPointer($0)) }
    }

    /// Mixes in every parameter and buffer of `module` with its name, in state-dict order.
    public mutating func add(_ module: Module) {
        for (name, p) in module.namedParameters() { add(name); add(p.value) }
        for (name, b) in module.namedBuffers() { add(name); add(b.value) }
    }
}
