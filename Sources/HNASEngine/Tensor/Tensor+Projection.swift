extension Tensor {
    /// Inference of an inverted-residual block's projection in one pass: `epilogue(conv1x1(input · channelScale,
    /// weight)) + residual`, with the bits of the separate ops (`input * channelScale`, `conv2d(…, epilogue:)`,
    /// `+ residual`) but without their passes over memory (`Projection`). `channelScale` is the squeeze-and-
    /// excitation's [N, C, 1, 1] scale (nil: none), `residual` the [N, O, H, W] shortcut (nil: none).
    /// Returns nil for shapes and epilogues the pass does not take (`projectionTakes`); the caller then runs the
    /// separate ops.
    /// - Throws: `HNASError` for shapes that do not fit together, or while gradients are recorded (the pass is
    ///   not differentiable).
    public static func projection(_ input: Tensor, weight: Tensor, channelScale: Tensor?, epilogue: ChannelEpilogue?,
                                  residual: Tensor?) throws -> Tensor? {
        let op = "projection"
        guard input.rank == 4, weight.rank == 4, weight.shape[1] == input.shape[1], weight.shape[2] == 1, weight.shape[3] == 1 else {
            throw HNASError.op(op, why: "input \(input.shape) and 1×1 weight \(weight.shape) do not fit together")
        }
        let (n, c, h, w, o) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3], weight.shape[0])
        if let channelScale, channelScale.shape != [n, c, 1, 1] {
            throw HNASError.op(op, why: "channel scale \(channelScale.shape) for input \(input.shape): expected [\(n), \(c), 1, 1]")
        }
        if let residual, residual.shape != [n, o, h, w] {
            throw HNASError.op(op, why: "residual \(residual.shape) for output [\(n), \(o), \(h), \(w)]")
        }
        if let epilogue, epilogue.gated || epilogue.scale.count != o {
            throw HNASError.op(op, why: "an epilogue of \(epilogue.scale.count) channels\(epilogue.gated ? " with a GLU" : "") for \(o) output channels")
        }
        guard !Autograd.isRecording else {
            throw HNASError.op(op, why: "the fused projection is not differentiable: run it without gradients")
        }
        let g = projectionGeometry(input.shape, outChannels: o)
        guard Projection.supports(g, epilogue: epilogue) else { return nil }
        return Tensor(shape: [n, o, h, w]) { out in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { wp in
                    Self.withElements(of: channelScale) { s in
                        Self.withElements(of: residual) { r in
                            Projection.forward(g, input: x.baseAddress!, weight: wp.baseAddress!, channelScale: s, epilogue: epilogue,
                                               residual: r, output: out.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    /// Whether `projection` runs as one pass (rather than returning nil) for an input of `inputShape` [N, C, H, W]
    /// and `outChannels` outputs with an epilogue the 1×1 kernel applies: a check on shapes alone, so that a caller
    /// builds the epilogue and weight slice only when the pass will run.
    public static func projectionTakes(_ inputShape: [Int], outChannels: Int) -> Bool {
        inputShape.count == 4 && Projection.supports(projectionGeometry(inputShape, outChannels: outChannels), epilogue: nil)
    }

    private static func projectionGeometry(_ inputShape: [Int], outChannels: Int) -> ConvGeometry {
        ConvGeometry(batch: inputShape[0], inChannels: inputShape[1], outChannels: outChannels, height: inputShape[2],
                     width: inputShape[3], kernel: 1)
    }
}
