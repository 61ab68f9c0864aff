/// Weight views for elastic (once-for-all) layers: a subnet runs with part of a supernet's shared
/// parameter, and its gradients flow back into the full parameter (and the kernel matrices).
///
/// All functions are differentiable compositions of `block` (slicing) and `linear`, so the
/// shared parameter receives gradient only at the positions the active subnet used.
public enum ElasticWeight {
    /// The first `outChannels` output and first `inChannels` input channels of a weight
    /// `[O, I, ...]` (conv or linear), e.g. `W[:mid, :in]` of an expansion 1×1 conv.
    public static func channels(_ weight: Tensor, out outChannels: Int, in inChannels: Int) throws -> Tensor {
        guard weight.rank >= 2, outChannels > 0, inChannels > 0, outChannels <= weight.shape[0], inChannels <= weight.shape[1] else {
            throw HNASError.op("ElasticWeight.channels", why: "cannot take \(outChannels)×\(inChannels) channels of weight \(weight.shape)")
        }
        var shape = weight.shape
        shape[0] = outChannels
        shape[1] = inChannels
        return try weight.block(offsets: [Int](repeating: 0, count: weight.rank), shape: shape)
    }

    /// The first `count` entries of a per-channel vector (bias, BN weight/bias/statistics).
    public static func prefix(_ vector: Tensor, _ count: Int) throws -> Tensor {
        guard vector.rank == 1, count > 0, count <= vector.shape[0] else {
            throw HNASError.op("ElasticWeight.prefix", why: "cannot take \(count) entries of \(vector.shape)")
        }
        return try vector.slice(axis: 0, 0..<count)
    }

    /// The centre `kernel`×`kernel` of a `[O, I, K, K]` weight: rows and columns
    /// `K/2 − kernel/2 ..< K/2 − kernel/2 + kernel` (7→5: 1...5; 7→3: 2...4; 5→3: 1...3).
    public static func centreCrop(_ weight: Tensor, kernel: Int) throws -> Tensor {
        guard weight.rank == 4, weight.shape[2] == weight.shape[3], kernel > 0, kernel <= weight.shape[2],
              (weight.shape[2] - kernel) % 2 == 0 else {
            throw HNASError.op("ElasticWeight.centreCrop", why: "cannot crop \(kernel)×\(kernel) from the centre of weight \(weight.shape)")
        }
        let start = weight.shape[2] / 2 - kernel / 2
        return try weight.block(offsets: [0, 0, start, start], shape: [weight.shape[0], weight.shape[1], kernel, kernel])
    }

    /// The centre `kernel`×`kernel` crop, each flattened kernel `v` (row-major, k² values) replaced by
    /// `M · v` for the learned `matrix` M [k², k²] — i.e. `W_small = crop(W_big) · Mᵀ` row by row,
    /// M's first index being the output position (OFA's kernel transformation).
    public static func transformedCentre(_ weight: Tensor, kernel: Int, matrix: Tensor) throws -> Tensor {
        let area = kernel * kernel
        guard matrix.shape == [area, area] else {
            throw HNASError.op("ElasticWeight.transformedCentre", why: "matrix \(matrix.shape) is not [\(area), \(area)] for kernel \(kernel) of weight \(weight.shape)")
        }
        let crop = try centreCrop(weight, kernel: kernel)
        let rows = try crop.reshaped([-1, area])
        return try Tensor.linear(rows, weight: matrix).reshaped(crop.shape)
    }

    /// OFA's active depthwise kernel: starting from the full `[C, 1, K, K]` weight, step down through
    /// the kernel sizes in `steps` (each a smaller size and its matrix, largest first, e.g.
    /// `[(5, M7to5), (3, M5to3)]`), each step cropping the previous transformed kernel, until
    /// `kernel` is reached. `kernel == K` returns the weight itself.
    public static func kernel(_ weight: Tensor, kernel: Int, steps: [(size: Int, matrix: Tensor)]) throws -> Tensor {
        var current = weight
        for step in steps where current.shape.count == 4 && current.shape[2] > kernel {
            guard step.size < current.shape[2] else {
                throw HNASError.op("ElasticWeight.kernel", why: "step to \(step.size) from kernel \(current.shape[2]) does not shrink (weight \(weight.shape))")
            }
            current = try transformedCentre(current, kernel: step.size, matrix: step.matrix)
        }
        guard current.rank == 4, current.shape[2] == kernel else {
            throw HNASError.op("ElasticWeight.kernel", why: "kernel \(kernel) is not reachable from weight \(weight.shape) through sizes \(steps.map(\.size))")
        }
        return current
    }
}
