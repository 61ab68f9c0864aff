import HNASKit
import HNASSearch

/// Range checks of numeric flags, done before anything is allocated or written: the error names the
/// flag, the allowed range and the value given. The limits are the README's "Input limits"; every
/// numeric flag of every command goes through `check` or `checkPositive` with one of these ranges.
enum ArgumentRange {
    /// `--frames`: MFCC columns (0 keeps the clip's own count).
    static let frames = 0...100_000
    /// `--context-length`: tokens per text (CLIP uses 77).
    static let contextLength = 1...16_384
    /// `--threads`.
    static let threads = 1...1_024
    /// Timed repetitions (`pareto --benchmark`, `features … --repeats`, `tokenize --passes`, `bench … --iters`/`--repeats`,
    /// `lut profile --repeats`).
    static let repeats = 1...10_000
    /// Rounds of a side-by-side measurement (`bench train-step --rounds`).
    static let rounds = 1...1_000
    /// Untimed warm-up runs (`bench train-step --warmup`, `lut profile --warmup`).
    static let warmup = 0...10_000
    /// `--calibration-batches` (`post_bn_calibration_batch_num`).
    static let calibrationBatches = 1...SearchRunConfig.maximumCalibrationBatches
    /// Samples per batch of the commands that only time or load (`bench gemm`/`train-step --batch`, `data bench --batch-size`,
    /// `export onnx --check-batch`).
    static let batch = 1...65_536
    /// Training epochs outside the search settings (`train-text --epochs`, `data bench --epochs`, `search`/`best`
    /// `--supernet-epochs` and `--fixed-epochs`).
    static let epochs = 1...SupernetTrainingOptions.maximumEpochs
    /// Classifier outputs (`--classes`).
    static let classes = 1...StockSupernet.maximumClasses
    /// Fusion cells S and operators per cell T (`--steps`, `--node-steps`).
    static let fusionSteps = 1...FusionProblem.maximumSteps
    /// Fusion search epochs (`--epochs`, `--retrain-epochs`, `--fusion-epochs`).
    static let fusionEpochs = 1...FusionSearchOptions.maximumEpochs
    /// Samples per training step (BatchNorm and the Maxout network need two): fusion searches, `bench fusion-step --batch`,
    /// `train-text --batch-size`.
    static let trainingBatch = 2...FusionSearchOptions.maximumBatchSize
    /// Fusion network channels C (and `bench fusion-step --channels` entries).
    static let channels = 1...FusionSearchOptions.maximumChannels
    /// Fusion network length L (also a perfect square, checked by `FusionSearchOptions.validate`).
    static let length = 1...FusionSearchOptions.maximumLength
    /// Input nodes per modality of the synthetic fusion task.
    static let syntheticNodes = 1...64
    /// Seeds of `bench fusion --seeds`.
    static let seedCount = 1...1_000
    /// A sample count that only selects (`--samples`, `data bench --limit` where 0 means all, `pareto --select`).
    static let samples = 1...100_000_000
    /// `features image --size`: the side of the square output (the 64 Mpx image limit is 8192²).
    static let imageSize = 1...8_192
    /// `features mfcc --decimate`.
    static let decimation = 1...1_000
    /// Largest learning rate (`--lr`, `--arch-lr`) and sample rate in Hz (`--sample-rate`) accepted.
    static let maximumLearningRate = 10.0
    static let maximumSampleRate = 1_000_000.0
    /// `--hardware-weight`.
    static let hardwareWeight = 0.0...1_000.0

    /// Returns `value` when it lies in `range`.
    /// - Throws: `HNASError.argument(name, why: "must be between A and B, got X")`.
    @discardableResult
    static func check<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ name: String) throws -> T {
        guard range.contains(value) else {
            throw HNASError.argument(name, why: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// Returns `value` when it is a finite number in `range` (Float and Double flags: NaN and infinities are refused too).
    /// - Throws: `HNASError.argument(name, why: "must be a finite number between A and B, got X")`.
    @discardableResult
    static func check<T: BinaryFloatingPoint>(_ value: T, _ range: ClosedRange<Double>, _ name: String) throws -> T {
        guard value.isFinite, range.contains(Double(value)) else {
            throw HNASError.argument(name, why: "must be a finite number between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// Returns `value` when it is finite, above 0 and at most `maximum` (learning rates, sample rates).
    /// - Throws: `HNASError.argument(name, why: "must be a finite number above 0 and at most M, got X")`.
    @discardableResult
    static func checkPositive<T: BinaryFloatingPoint>(_ value: T, atMost maximum: Double, _ name: String) throws -> T {
        guard value.isFinite, value > 0, Double(value) <= maximum else {
            throw HNASError.argument(name, why: "must be a finite number above 0 and at most \(maximum), got \(value)")
        }
        return value
    }
}
