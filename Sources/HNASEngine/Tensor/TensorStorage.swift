/// The reference-counted, 64-byte aligned Float32 buffer behind a `Tensor`.
///
/// Tensors share a storage until one of them is mutated (copy-on-write, see
/// `Tensor.withUnsafeMutableBufferPointer`), so passing tensors around, saving them for
/// backward or reshaping them never copies the elements. Large buffers are recycled through
/// `StoragePool`.
final class TensorStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// An uninitialised buffer of `count` floats; the caller writes every element.
    init(uninitializedCount count: Int) {
        self.count = count
        pointer = StoragePool.take(count)
    }

    /// A buffer of `count` copies of `value`.
    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// A copy of `source`.
    convenience init(copying source: UnsafeBufferPointer<Float>) {
        self.init(uninitializedCount: source.count)
        if let base = source.baseAddress { pointer.initialize(from: base, count: source.count) }
    }

    deinit {
        StoragePool.give(pointer, count: count)
    }

    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}
