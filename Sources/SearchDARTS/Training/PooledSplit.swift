import HNASKit

/// A split with every input node pooled to `[samples, c, L]` (see `FeaturePooling`), cut into
/// batches by sample index.
struct PooledSplit {
    let features: [Tensor]
    let labels: FusionLabels

    init(_ split: FusionSplit, length: Int) throws {
        features = try split.features.map { try FeaturePooling.pool($0, length: length) }
        labels = split.labels
    }

    init(features: [Tensor], labels: FusionLabels) {
        self.features = features
        self.labels = labels
    }

    var count: Int { features[0].shape[0] }

    /// The samples at `indices`, in that order.
    func subset(_ indices: [Int]) -> PooledSplit {
        let rows: FusionLabels
        switch labels {
        case .classes(let values, let classes): rows = .classes(indices.map { values[$0] }, classes: classes)
        case .multiLabel(let targets): rows = .multiLabel(Self.gather(targets, indices))
        }
        return PooledSplit(features: features.map { Self.gather($0, indices) }, labels: rows)
    }

    /// Rows of `t` (first axis) at `indices`.
    static func gather(_ t: Tensor, _ indices: [Int]) -> Tensor {
        let row = t.count / max(t.shape[0], 1)
        var out = [Float](); out.reserveCapacity(row * indices.count)
        t.withUnsafeBufferPointer { p in
            for i in indices { out.append(contentsOf: p[(i * row)..<((i + 1) * row)]) }
        }
        return try! Tensor(shape: [indices.count] + t.shape.dropFirst(), scalars: out)
    }

    /// Training batches: a fresh shuffle, full batches only (the original's `drop_last`); a split
    /// smaller than one batch is a single batch.
    func shuffledBatches(size: Int, generator: inout SeededGenerator) -> [PooledSplit] {
        var order = Array(0..<count)
        generator.shuffle(&order)
        let size = min(size, count)
        return stride(from: 0, to: count - size + 1, by: size).map { subset(Array(order[$0..<($0 + size)])) }
    }

    /// Evaluation batches in order; a last batch of one sample joins the previous batch, since
    /// train-mode BatchNorm cannot normalise a single sample (SPEC-fusion §10.21).
    func orderedBatches(size: Int) -> [PooledSplit] {
        var starts = Array(stride(from: 0, to: count, by: size))
        if starts.count > 1, count - starts.last! == 1 { starts.removeLast() }
        return starts.enumerated().map { k, start in
            let end = k + 1 < starts.count ? starts[k + 1] : count
            return subset(Array(start..<end))
        }
    }

    /// A deterministic split into (rest, held-out): `fraction` of the samples, chosen by a seeded shuffle.
    func carve(fraction: Double, generator: inout SeededGenerator) throws -> (PooledSplit, PooledSplit) {
        // At least 2 samples on each side: train-mode BatchNorm cannot normalise a single sample.
        let split = HoldOutSplit(count: count, fraction: fraction, generator: &generator)
        guard split.held.count >= 2, split.kept.count >= 2 else {
            throw HNASError.argument("validation-fraction", why: "\(fraction) of \(count) training samples leaves fewer than 2 samples on one side")
        }
        return (subset(split.kept), subset(split.held))
    }
}
