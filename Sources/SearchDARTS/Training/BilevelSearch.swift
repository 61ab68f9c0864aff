import HNASKit

/// First-order DARTS over the fusion supernet, alternating per epoch as the original does
/// (SPEC-fusion §5.3): one pass of weight steps on the weight split, then one pass over the
/// selection split in which every batch makes an architecture step; after each epoch the genotype
/// is derived and kept when the selection metric strictly improves.
///
/// The steps themselves, their optimisers and losses are `DARTSIteration`'s.
///
/// Selection: `original` — the metric of the batches' predictions made right after each
/// architecture step (training mode); `sound` — the whole validation split in evaluation mode.
/// Guards (§10.9–10.10): a NaN training or architecture loss ends the search with the best genotype so far; if no
/// epoch beat 0 the last derived genotype is returned.
struct BilevelSearch {
    struct Outcome {
        var genotype: FusionGenotype
        var selectionMetric: Double
        var history: [FusionSearchResult.Epoch]
        var notes: [String]
    }

    let problem: PreparedProblem
    let hardware: HardwareTerm?

    func run(generator: inout SeededGenerator, progress: ((String) -> Void)?) throws -> Outcome {
        let options = problem.options
        let network = try SearchNetwork(shape: problem.shape, generator: &generator)
        let iteration = DARTSIteration(network: network, weightSamples: problem.weightSplit.count, options: options,
                                       hardware: hardware, generator: generator.fork())
        var best = 0.0, bestGenotype: FusionGenotype?, lastGenotype: FusionGenotype?
        var history: [FusionSearchResult.Epoch] = [], notes: [String] = []
        for epoch in 0..<options.epochs {
            let loss = try iteration.weightEpoch(on: problem.weightSplit)
            history.append(.init(phase: "search-train", epoch: epoch, loss: loss, metric: nil))
            if loss.isNaN {
                notes.append("search stopped at epoch \(epoch): the training loss is NaN; the best genotype so far is kept")
                break
            }
            var logits: [Tensor] = [], archLoss = 0.0
            network.train()
            for batch in problem.selectionSplit.orderedBatches(size: options.batchSize) {
                archLoss += Double(try iteration.architectureStep(on: batch)) * Double(batch.count)
                if problem.selectsInTrainingMode {
                    logits.append(try Autograd.withoutGrad { try network(batch.features) })
                }
            }
            network.zeroGrad()
            if archLoss.isNaN {
                notes.append("search stopped at epoch \(epoch): the architecture loss is NaN; the best genotype so far is kept")
                break
            }
            let metric: Double
            if problem.selectsInTrainingMode {
                metric = try FusionTask.metric(try Tensor.concat(logits, axis: 0), problem.selectionSplit.labels)
            } else {
                metric = try FusionTrainer.evaluate(network, on: problem.selectionSplit, batchSize: options.batchSize,
                                                    trainingMode: false).metric
            }
            history.append(.init(phase: "search-arch", epoch: epoch, loss: archLoss / Double(problem.selectionSplit.count), metric: metric))
            let derived = try network.deriveGenotype()
            for note in derived.notes where !notes.contains(note) { notes.append(note) }
            lastGenotype = derived.genotype
            if metric > best {
                best = metric
                bestGenotype = derived.genotype
            }
            progress?("search epoch \(epoch + 1)/\(options.epochs): train loss \(DerivedTraining.fmt(loss)), selection metric \(DerivedTraining.fmt(metric)), genotype ops \(derived.genotype.operators.joined(separator: ","))")
        }
        guard let genotype = bestGenotype ?? lastGenotype else {
            // The first epoch was already NaN: derive from the architecture parameters as they are.
            notes.append("no search epoch completed; the genotype is derived from the current architecture parameters")
            return Outcome(genotype: try network.deriveGenotype().genotype, selectionMetric: 0, history: history, notes: notes)
        }
        if bestGenotype == nil {
            notes.append("no epoch's selection metric exceeded 0; the last derived genotype is returned")
        }
        return Outcome(genotype: genotype, selectionMetric: best, history: history, notes: notes)
    }
}
