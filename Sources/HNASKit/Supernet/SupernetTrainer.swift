import Foundation

/// Trains an `OFAMobileNetV3` supernet on a labelled in-memory split (`hnas train-supernet`), one
/// epoch at a time, with a checkpoint after each epoch that resumes exactly: weights and BN
/// statistics, momentum buffers, every random stream (shuffling, subnet sampling, augmentation,
/// dropout, evaluation), the step counter and, for progressive shrinking, the teacher.
///
/// Each epoch ends with the unimodal evaluation of the max and min subnets (extract, recalibrate
/// BN on training batches, test accuracy — or weighted F1 for multi-label data). A non-finite loss
/// stops training with an error; the last checkpoint written is the last good one.
///
/// Single-label data trains with cross-entropy (label smoothing ε) and distils with
/// KL(softmax(teacher) ‖ softmax(student)). Multi-label data (MM-IMDB's 23 genres, multi-hot
/// targets) trains with binary cross-entropy on logits against targets smoothed per label to
/// t·(1 − ε) + ε/2, and distils with binary cross-entropy against the teacher's per-label sigmoid
/// probabilities: the genres are independent yes/no decisions, so a softmax over them (which
/// forces the probabilities to sum to 1) would teach the students a different, wrong output
/// distribution; the per-label BCE against soft targets has the gradient of the per-label
/// Bernoulli KL divergence (σ(student) − σ(teacher)) / (N·L) — the multi-label form of in-place
/// distillation.
public final class SupernetTrainer {
    public let network: OFAMobileNetV3
    public let train: TensorDataset
    public let test: TensorDataset
    public private(set) var state: SupernetTrainingState
    public var options: SupernetTrainingOptions { state.options }
    let optimizer: SGD
    /// The frozen full network distilled from in progressive phases 1–3.
    private(set) var teacher: OFAMobileNetV3?

    /// One line of progress inside an epoch.
    public struct Progress: Sendable {
        public var epoch: Int, epochs: Int, step: Int, steps: Int
        /// Running mean of the step loss, and the max subnet's training accuracy (%) this epoch — its
        /// weighted F1 (%) over the epoch's batches so far for multi-label data.
        public var loss: Double, accuracy: Double
        public var elapsed: Double
        /// Estimated seconds until the last epoch ends (excluding its evaluation).
        public var eta: Double
    }

    /// A fresh run (the network keeps its current weights, e.g. OFA's init or loaded ones).
    public init(network: OFAMobileNetV3, train: TensorDataset, test: TensorDataset, options: SupernetTrainingOptions) throws {
        try Self.check(network: network, train: train, test: test)
        self.network = network
        self.train = train
        self.test = test
        var root = SeededGenerator(seed: options.seed)
        state = SupernetTrainingState(options: options, shuffle: root.fork(), sampling: root.fork(), augmentation: root.fork(),
                                      evaluation: root.fork(), dropout: network.classifier.dropout.map { _ in root.fork() })
        // Weight decay skips BN weights, biases and the kernel transformation matrices (OFA's `no_decay_keys`).
        optimizer = SGD(named: network.namedParameters(), learningRate: options.learningRate, momentum: options.momentum,
                        nesterov: true, weightDecay: options.weightDecay, decayScope: .exceptBatchNormBiasAndNames(endingWith: ["_matrix"]))
        if let dropout = network.classifier.dropout, let g = state.dropout { dropout.generator = g }
    }

    /// Continues the run saved in `checkpoint` (its options, not the caller's, apply, except `epochs`
    /// which may be raised to train longer).
    public convenience init(network: OFAMobileNetV3, train: TensorDataset, test: TensorDataset, resumingFrom checkpoint: URL,
                            epochs: Int? = nil) throws {
        let saved = try SupernetCheckpoint.read(from: checkpoint, into: network)
        var options = saved.state.options
        if let epochs { options.epochs = epochs }
        try self.init(network: network, train: train, test: test, options: options)
        state = saved.state
        state.options = options
        try optimizer.restore(saved.optimizer)
        if let dropout = network.classifier.dropout, let g = state.dropout { dropout.generator = g }
        if !saved.teacher.isEmpty {
            let teacher = try network.extractSubnet(network.backbone.sample(.max, using: &state.sampling))
            try teacher.load(stateDict: SafeTensors(tensors: saved.teacher.mapValues { .float32($0) }), source: checkpoint.path)
            teacher.eval()
            self.teacher = teacher
        }
    }

    private static func check(network: OFAMobileNetV3, train: TensorDataset, test: TensorDataset) throws {
        let space = network.space
        guard train.isMultiLabel == test.isMultiLabel else {
            throw HNASError.argument("test data", why: "the train split is \(train.isMultiLabel ? "multi" : "single")-label, the test split is not")
        }
        for (name, data) in [("train", train), ("test", test)] {
            if let multiHot = data.multiHot, multiHot.shape[1] != space.classes {
                throw HNASError.argument("\(name) data", why: "\(multiHot.shape[1]) labels per sample do not match the classifier's \(space.classes) outputs")
            }
            guard data.sampleShape.count == 3, data.sampleShape[0] == space.inputChannels, data.count > 0 else {
                throw HNASError.argument("\(name) data", why: "samples \(data.sampleShape) are not \(space.inputChannels)×H×W (or the split is empty)")
            }
            if let bad = data.labels.first(where: { $0 >= space.classes }) {
                throw HNASError.argument("\(name) data", why: "label \(bad) is outside the classifier's \(space.classes) classes")
            }
        }
        guard network.isElastic else { throw HNASError.argument("network", why: "only a supernet can be trained, not an extracted subnet") }
    }

    public var isFinished: Bool { state.epochsDone >= options.epochs }

    /// Trains one epoch, evaluates the max and min subnets, and returns the epoch's record.
    /// - Throws: `HNASError` on a non-finite loss (nothing of the epoch is kept by the caller's checkpoint).
    @discardableResult
    public func runEpoch(progress: (Progress) -> Void = { _ in }) throws -> SupernetTrainingState.EpochRecord {
        let start = Date()
        let epoch = state.epochsDone
        let batches = train.shuffledBatches(size: options.batchSize, using: &state.shuffle)
        let totalSteps = batches.count * options.epochs
        let warmup = options.warmupEpochs * batches.count
        let schedule = LinearWarmupSchedule(steps: warmup, then: CosineSchedule(base: options.learningRate, total: Swift.max(totalSteps - warmup, 1)))
        if options.schedule == .progressive, options.progressivePhase(epoch: epoch) > 0, teacher == nil {
            let teacher = try network.extractSubnet(network.backbone.sample(.max, using: &state.sampling))
            teacher.eval()
            self.teacher = teacher
        }
        var lossSum = 0.0, correct = 0, seen = 0
        var counts = train.multiHot.map { MultiLabelCounts(labels: $0.shape[1]) }
        func trainingMetric() -> Double { counts?.weightedF1 ?? 100 * Double(correct) / Double(Swift.max(seen, 1)) }
        for (i, indices) in batches.enumerated() {
            var (x, y) = train.batch(indices)
            if options.maxShift > 0 { x = Self.randomShift(x, by: options.maxShift, using: &state.augmentation) }
            optimizer.learningRate = schedule.rate(at: state.step)
            let targets = train.multiHotBatch(indices).map(Targets.multiHot) ?? .labels(y)
            let (loss, maxLogits) = try step(x, targets, epoch: epoch)
            lossSum += loss
            switch targets {
            case .labels(let y): correct += zip(try SubnetEvaluation.predictions(maxLogits), y).filter { $0 == $1 }.count
            case .multiHot(let t): try counts?.add(logits: maxLogits, targets: t)
            }
            seen += indices.count
            state.step += 1
            let elapsed = Date().timeIntervalSince(start)
            let remainingSteps = (batches.count - i - 1) + batches.count * (options.epochs - epoch - 1)
            progress(Progress(epoch: epoch + 1, epochs: options.epochs, step: i + 1, steps: batches.count,
                              loss: lossSum / Double(i + 1), accuracy: trainingMetric(), elapsed: elapsed,
                              eta: elapsed / Double(i + 1) * Double(remainingSteps)))
        }
        state.dropout = network.classifier.dropout?.generator
        let maxAccuracy = try SubnetEvaluation.evaluate(network, config: network.backbone.sample(.max, using: &state.evaluation),
                                                        train: train, test: test, generator: &state.evaluation).score
        let minAccuracy = try SubnetEvaluation.evaluate(network, config: network.backbone.sample(.min, using: &state.evaluation),
                                                        train: train, test: test, generator: &state.evaluation).score
        let record = SupernetTrainingState.EpochRecord(epoch: epoch + 1, loss: lossSum / Double(Swift.max(batches.count, 1)),
                                                       trainAccuracy: trainingMetric(),
                                                       maxAccuracy: maxAccuracy, minAccuracy: minAccuracy,
                                                       seconds: Date().timeIntervalSince(start))
        state.history.append(record)
        state.epochsDone += 1
        return record
    }

    /// Writes the checkpoint (atomically) for the state after the last completed epoch.
    public func saveCheckpoint(to url: URL) throws {
        try SupernetCheckpoint(state: state, optimizer: optimizer.state,
                               teacher: Dictionary(uniqueKeysWithValues: (teacher?.namedParameters() ?? []).map { ($0.0, $0.1.value) }
                                   + (teacher?.namedBuffers() ?? []).map { ($0.0, $0.1.value) }))
            .write(to: url, network: network)
    }

    /// The targets of one training batch.
    private enum Targets {
        case labels([Int])
        case multiHot(Tensor)
    }

    /// The supervised loss: cross-entropy with label smoothing ε, or binary cross-entropy on logits
    /// against multi-hot targets smoothed per label to t·(1 − ε) + ε/2 (PyTorch's smoothing for two classes).
    private func supervisedLoss(_ logits: Tensor, _ targets: Targets) throws -> Tensor {
        let epsilon = options.labelSmoothing
        switch targets {
        case .labels(let y): return try Loss.crossEntropy(logits: logits, labels: y, labelSmoothing: epsilon)
        case .multiHot(let t): return try Loss.binaryCrossEntropyWithLogits(logits: logits, targets: t * (1 - epsilon) + epsilon / 2)
        }
    }

    /// The soft targets a teacher's (constant) logits give: softmax rows for single-label data, the
    /// per-label sigmoid for multi-label data.
    private func softTargets(_ teacherLogits: Tensor) throws -> Tensor {
        train.isMultiLabel ? teacherLogits.sigmoid() : try teacherLogits.softmax(axis: 1)
    }

    /// In-place distillation towards `soft` (from `softTargets`): KL(p ‖ softmax(logits)), or binary
    /// cross-entropy against the per-label probabilities for multi-label data (see the type's notes).
    private func distillationLoss(_ logits: Tensor, _ soft: Tensor) throws -> Tensor {
        train.isMultiLabel ? try Loss.binaryCrossEntropyWithLogits(logits: logits, targets: soft)
                           : try Loss.klDivergence(logits: logits, targetProbabilities: soft)
    }

    /// One optimiser step; returns the mean loss over the subnets trained and the max (or trained) subnet's logits.
    private func step(_ x: Tensor, _ targets: Targets, epoch: Int) throws -> (Double, Tensor) {
        network.train()
        network.zeroGrad()
        let backbone = network.backbone
        var losses: [Float] = []
        func backward(_ loss: Tensor) throws {
            try TrainingGuards.requireFinite(loss, step: state.step)
            try loss.backward()
            losses.append(loss.item)
        }
        var reported: Tensor
        switch options.schedule {
        case .sandwich:
            try network.activate(backbone.sample(.max, using: &state.sampling))
            let logits = try network(x)
            try backward(try supervisedLoss(logits, targets))
            reported = logits.detached()
            let soft = try softTargets(reported)
            var configs = (0..<options.randomSubnets).map { _ in backbone.sample(.random, using: &state.sampling) }
            configs.append(backbone.sample(.min, using: &state.sampling))
            for config in configs {
                try network.activate(config)
                try backward(try distillationLoss(try network(x), soft))
            }
        case .progressive:
            let config = progressiveConfig(phase: options.progressivePhase(epoch: epoch))
            try network.activate(config)
            let logits = try network(x)
            var loss = try supervisedLoss(logits, targets)
            if let teacher {
                let soft = try Autograd.withoutGrad { try softTargets(teacher(x)) }
                loss = try loss + distillationLoss(logits, soft)
            }
            try backward(loss)
            reported = logits.detached()
        }
        if options.gradientClip > 0 { _ = TrainingGuards.clipGradientNorm(network.parameters, maxNorm: options.gradientClip) }
        try optimizer.step()
        return (Double(losses.reduce(0, +)) / Double(losses.count), reported)
    }

    /// Progressive shrinking's subnet: phase 0 the full network; 1 random kernels; 2 + random depths;
    /// 3 + random expand ratios (the other genes at their maximum).
    private func progressiveConfig(phase: Int) -> BackboneConfig {
        let backbone = network.backbone
        var config = backbone.sample(.random, using: &state.sampling)
        let max = backbone.sample(.max, using: &state.sampling)
        if phase < 1 { config["ks"] = max["ks"] }
        if phase < 2 { config["d"] = max["d"] }
        if phase < 3 { config["e"] = max["e"] }
        return config
    }

    /// Translates each sample of [N, C, H, W] by a random (dy, dx) in [−s, s]², filling with zeros.
    static func randomShift(_ x: Tensor, by s: Int, using generator: inout SeededGenerator) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let shifts = (0..<n).map { _ in (generator.int(below: 2 * s + 1) - s, generator.int(below: 2 * s + 1) - s) }
        return Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { src in
                for i in 0..<n {
                    let (dy, dx) = shifts[i]
                    for ch in 0..<c {
                        let base = (i * c + ch) * h * w
                        for row in 0..<h {
                            for col in 0..<w {
                                let r = row - dy, q = col - dx
                                out[base + row * w + col] = r >= 0 && r < h && q >= 0 && q < w ? src[base + r * w + q] : 0
                            }
                        }
                    }
                }
            }
        }
    }
}
