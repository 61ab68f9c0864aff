/// A decoded sample: one tensor per input and the target tensor.
public struct LoadedSample: Equatable {
    public let inputs: [Tensor]
    public let target: Tensor

    public init(inputs: [Tensor], target: Tensor) {
        self.inputs = inputs
        self.target = target
    }
}
