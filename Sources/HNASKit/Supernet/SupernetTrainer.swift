import Foundation

/// Trains an `OFAMobileNetV3` supernet on a labelled split (`hnas train-supernet`) — held in memory, or decoded
/// from disk batch by batch (`LabelledSplit`: MM-IMDB's posters are never all decoded at once) —, one
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
///
/// Data-parallel (with a `Communicator` of N processes): every process runs the same trainer with
/// the same seed, so all draw the same batches, subnets and augmentation; each trains on its
/// contiguous shard of every global batch (`BatchShard`), with its losses scaled by shard/batch
/// size so the shard gradients add up to the whole batch's. BatchNorm is synchronised (statistics
/// of the global batch, see `BatchNorm.statisticsReducer`) and dropout keeps its rows of a
/// whole-batch mask, so the step computes what one process computes on the whole batch; the
/// gradients (with the losses) are summed in one fused all-reduce per step, and every process
/// applies the same update. Results differ from one process only by float summation order.
public final class SupernetTrainer {
    public let network: OFAMobileNetV3
    public let train: any LabelledSplit
    public let test: any LabelledSplit
    public private(set) var state: SupernetTrainingState
    public var options: SupernetTrainingOptions { state.options }
    let optimizer: SGD
    /// The frozen full network distilled from in progressive phases 1–3.
    private(set) var teacher: OFAMobileNetV3?
    /// The processes of a data-parallel training and this one's rows of every batch (nil: one process).
    public let communicator: Communicator?
    private let shard: BatchShard?

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

    /// A fresh run (the network keeps its current weights, e.g. OFA's init or loaded ones); with a
    /// `communicator` of several processes, data-parallel (see the type's notes).
    /// - Throws: `HNASError` for invalid options, data that does not fit the network, or a batch smaller than the processes.
    public init(network: OFAMobileNetV3, train: any LabelledSplit, test: any LabelledSplit, options: SupernetTrainingOptions,
                communicator: Communicator? = nil) throws {
        try options.validate()
        try Self.check(network: network, train: train, test: test)
        let processes = communicator?.size ?? 1, batch = Swift.min(options.batchSize, train.count)
        guard batch >= processes else {
            throw HNASError.argument("--batch-size", why: "a batch of \(batch) samples cannot be shared by \(processes) processes")
        }
        self.communicator = processes > 1 ? communicator : nil
        shard = self.communicator.map { BatchShard(rank: $0.rank, of: $0.size, total: batch) }
        if let communicator = self.communicator {
            for case let bn as BatchNorm in network.namedModules().map(\.1) { bn.statisticsReducer = communicator }
            network.classifier.dropout?.shard = shard
        }
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
        try requireProcessesAgree()
    }

    /// Continues the run saved in `checkpoint` (its options, not the caller's, apply, except `epochs`
    /// which may be raised to train longer).
    public convenience init(network: OFAMobileNetV3, train: any LabelledSplit, test: any LabelledSplit, resumingFrom checkpoint: URL,
                            epochs: Int? = nil, communicator: Communicator? = nil) throws {
        let saved = try SupernetCheckpoint.read(from: checkpoint, into: network)
        var options = saved.state.options
        if let epochs { options.epochs = epochs }
        try self.init(network: network, train: train, test: test, options: options, communicator: communicator)
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
        try requireProcessesAgree()
    }

    /// Distributed: checks that every process holds the same options and state, data and weights.
    /// - Throws: `CollectiveError` naming the first rank that differs from rank 0.
    private func requireProcessesAgree() throws {
        guard let communicator else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var settings = Fingerprint()
        settings.add(String(decoding: try encoder.encode(state), as: UTF8.self))
        try communicator.requireSame("training options or checkpoint state", fingerprint: settings)
        var data = Fingerprint()
        for split in [train, test] {
            // Data held in memory is compared whole; streamed data by its first and last samples (decoding a whole
            // split to compare it is what streaming avoids).
            let inputs: Tensor = try (split as? TensorDataset)?.inputs ?? split.inputs([0, split.count - 1])
            data.add(inputs)
            data.add("\(split.labels)")
            if let multiHot = split.multiHot { data.add(multiHot) }
        }
        try communicator.requireSame("training or test data", fingerprint: data)
        var weights = Fingerprint()
        weights.add(network)
        if let teacher { weights.add(teacher) }
        try communicator.requireSame("weights", fingerprint: weights)
    }

    private static func check(network: OFAMobileNetV3, train: any LabelledSplit, test: any LabelledSplit) throws {
        let space = network.space
        guard train.isMultiLabel == test.isMultiLabel else {
            throw HNASError.argument("test data", why: "the train split is \(train.isMultiLabel ? "multi" : "single")-label, the test split is not")
        }
        for (name, data) in [("train", train), ("test", test)] as [(String, any LabelledSplit)] {
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
            // Every process draws the whole batch's shifts (the same stream as one process) and keeps its rows.
            let shifts = options.maxShift > 0 ? Self.randomShifts(indices.count, by: options.maxShift, using: &state.augmentation) : nil
            let rows = shard?.slice(indices) ?? indices
            var x = try train.inputs(rows)
            if let shifts { x = Self.shifted(x, by: shard?.slice(shifts) ?? shifts) }
            optimizer.learningRate = schedule.rate(at: state.step)
            let y = train.labels(indices)
            let targets = train.multiHotBatch(indices).map(Targets.multiHot) ?? .labels(y)
            let (loss, shardLogits) = try step(x, try shard.map { try targets.rows($0) } ?? targets, epoch: epoch)
            let maxLogits = try communicator.map { try Tensor(shape: [indices.count, shardLogits.shape[1]], scalars: $0.allGather(shardLogits.scalars)) }
                ?? shardLogits
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
        // Calibration batches of at most 16 MiB of inputs, as eval passes: 256 for small inputs, 27 MM-IMDB posters.
        let calibrationBatchSize = train.evaluationBatchSize
        let maxAccuracy = try SubnetEvaluation.evaluate(network, config: network.backbone.sample(.max, using: &state.evaluation),
                                                        train: train, test: test, generator: &state.evaluation,
                                                        calibrationBatchSize: calibrationBatchSize).score
        let minAccuracy = try SubnetEvaluation.evaluate(network, config: network.backbone.sample(.min, using: &state.evaluation),
                                                        train: train, test: test, generator: &state.evaluation,
                                                        calibrationBatchSize: calibrationBatchSize).score
        let record = SupernetTrainingState.EpochRecord(epoch: epoch + 1, loss: lossSum / Double(Swift.max(batches.count, 1)),
                                                       trainAccuracy: trainingMetric(),
                                                       maxAccuracy: maxAccuracy, minAccuracy: minAccuracy,
                                                       seconds: Date().timeIntervalSince(start))
        state.history.append(record)
        state.epochsDone += 1
        if let communicator {
            // The processes applied the same summed updates: their weights must still agree bit for bit.
            var weights = Fingerprint()
            weights.add(network)
            try communicator.requireSame("weights after epoch \(state.epochsDone)", fingerprint: weights)
        }
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

        /// The targets of a shard's rows.
        func rows(_ shard: BatchShard) throws -> Targets {
            switch self {
            case .labels(let y): return .labels(shard.slice(y))
            case .multiHot(let t): return .multiHot(try t.slice(axis: 0, shard.offset..<shard.offset + shard.count))
            }
        }
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
        // A shard's mean loss weighted by its share of the batch: the shards' gradients sum to the batch's.
        let share = shard.map { Float($0.count) / Float($0.total) }
        func backward(_ loss: Tensor) throws {
            let loss = share.map { loss * $0 } ?? loss
            // Distributed, the check waits for the summed losses so that every process stops alike.
            if communicator == nil { try TrainingGuards.requireFinite(loss, step: state.step) }
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
        if let communicator {
            try Self.sumGradients(of: network.parameters, andLosses: &losses, over: communicator)
            for loss in losses { try TrainingGuards.requireFinite(Tensor(repeating: loss, shape: []), step: state.step) }
        }
        if options.gradientClip > 0 { _ = TrainingGuards.clipGradientNorm(network.parameters, maxNorm: options.gradientClip) }
        try optimizer.step()
        return (Double(losses.reduce(0, +)) / Double(losses.count), reported)
    }

    /// Replaces the gradients of `parameters` (those that have one: the same on every process, which
    /// trained the same subnets) and `losses` with their sums over the processes, in one fused all-reduce.
    private static func sumGradients(of parameters: [Parameter], andLosses losses: inout [Float], over communicator: Communicator) throws {
        let reached = parameters.filter { $0.grad != nil }
        var fused: [Float] = []
        fused.reserveCapacity(reached.reduce(losses.count) { $0 + $1.grad!.count })
        for p in reached { p.grad!.withUnsafeBufferPointer { fused.append(contentsOf: $0) } }
        fused += losses
        communicator.sum(&fused)
        var offset = 0
        for p in reached {
            let shape = p.grad!.shape, count = p.grad!.count
            p.grad = try Tensor(shape: shape, scalars: Array(fused[offset..<offset + count]))
            offset += count
        }
        losses = Array(fused[offset...])
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
        shifted(x, by: randomShifts(x.shape[0], by: s, using: &generator))
    }

    /// `count` random translations (dy, dx) in [−s, s]².
    static func randomShifts(_ count: Int, by s: Int, using generator: inout SeededGenerator) -> [(Int, Int)] {
        (0..<count).map { _ in (generator.int(below: 2 * s + 1) - s, generator.int(below: 2 * s + 1) - s) }
    }

    /// Sample i of [N, C, H, W] translated by `shifts[i]`, filling with zeros.
    static func shifted(_ x: Tensor, by shifts: [(Int, Int)]) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
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
