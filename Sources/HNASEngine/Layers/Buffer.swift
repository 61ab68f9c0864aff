/// Non-trainable module state saved with the weights (BN running statistics, counters).
///
/// A class so a module can update it in place during forward. `isInteger` buffers (PyTorch's
/// `num_batches_tracked`) hold whole numbers and are saved as I64 in safetensors files.
public final class Buffer {
    public var value: Tensor
    public let isInteger: Bool

    public init(_ value: Tensor, isInteger: Bool = false) {
        self.value = value.detached()
        self.isInteger = isInteger
    }
}
