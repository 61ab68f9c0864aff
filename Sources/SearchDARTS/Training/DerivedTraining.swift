import Foundation
import HNASKit

/// Retrains a derived network from scratch on the weight split and reports it:
/// `sound` — the epoch with the best validation metric (evaluation mode) is restored and measured
/// once on the test split; `original` — the best test metric over epochs in training mode. Either
/// way the network ends with the weights of its best epoch.
enum DerivedTraining {
    struct Outcome {
        /// The retrained network at its best epoch, `nil` when no epoch completed.
        var network: DerivedNetwork?
        var metric: Double
        var selectionMetric: Double
        var history: [FusionSearchResult.Epoch]
        var notes: [String]
    }

    static func run(_ genotype: FusionGenotype, _ problem: PreparedProblem, generator: inout SeededGenerator,
                    progress: ((String) -> Void)?) throws -> Outcome {
        let options = problem.options
        let network = try DerivedNetwork(genotype: genotype, shape: problem.shape, generator: &generator)
        let trainer = FusionTrainer(weights: network.parameters, samples: problem.weightSplit.count, options: options,
                                    generator: generator.fork())
        var best = -Double.infinity, snapshot: ModelSnapshot?, history: [FusionSearchResult.Epoch] = [], notes: [String] = []
        for epoch in 0..<options.retrainEpochs {
            let loss = try trainer.trainEpoch(network, on: problem.weightSplit)
            history.append(.init(phase: "retrain", epoch: epoch, loss: loss, metric: nil))
            if loss.isNaN {
                notes.append("retraining stopped at epoch \(epoch): the training loss is NaN; the best earlier epoch is kept")
                break
            }
            let measured = try FusionTrainer.evaluate(network, on: problem.selectionSplit, batchSize: options.batchSize,
                                                      trainingMode: problem.selectsInTrainingMode)
            history.append(.init(phase: "retrain-select", epoch: epoch, loss: measured.loss, metric: measured.metric))
            progress?("retrain epoch \(epoch + 1)/\(options.retrainEpochs): loss \(fmt(loss)), selection metric \(fmt(measured.metric))")
            if measured.metric > best {
                best = measured.metric
                snapshot = ModelSnapshot(network)
            }
        }
        guard let snapshot else {
            return Outcome(network: nil, metric: 0, selectionMetric: 0, history: history, notes: notes + ["no retraining epoch completed"])
        }
        snapshot.restore(into: network)
        if problem.selectsInTrainingMode {
            return Outcome(network: network, metric: best, selectionMetric: best, history: history, notes: notes)
        }
        let test = try FusionTrainer.evaluate(network, on: problem.test, batchSize: options.batchSize, trainingMode: false)
        return Outcome(network: network, metric: test.metric, selectionMetric: best, history: history, notes: notes)
    }

    static func fmt(_ x: Double) -> String { String(format: "%.4f", x) }
}
