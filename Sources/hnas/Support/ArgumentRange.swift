import HNASKit
import HNASSearch

/// Range checks of numeric flags, done before anything is allocated or written: the error names the
/// flag, the allowed range and the value given. The limits are the README's "Input limits".
enum ArgumentRange {
    /// `--frames`: MFCC columns (0 keeps the clip's own count).
    static let frames = 0...100_000
    /// `--context-length`: tokens per text (CLIP uses 77).
    static let contextLength = 1...16_384
    /// `--threads`.
    static let threads = 1...1_024
    /// Timing repetitions (`pareto --benchmark`, `features … --repeats`, `tokenize --passes`).
    static let repeats = 1...10_000
    /// `--calibration-batches` (`post_bn_calibration_batch_num`).
    static let calibrationBatches = 1...SearchRunConfig.maximumCalibrationBatches

    /// Returns `value` when it lies in `range`.
    /// - Throws: `HNASError.argument(name, why: "must be between A and B, got X")`.
    @discardableResult
    static func check<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ name: String) throws -> T {
        guard range.contains(value) else {
            throw HNASError.argument(name, why: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// Returns `value` when it is a finite number in `range`.
    /// - Throws: `HNASError.argument` naming `name` for infinities, NaN and values outside the range.
    @discardableResult
    static func check(_ value: Double, _ range: ClosedRange<Double>, _ name: String) throws -> Double {
        guard value.isFinite else { throw HNASError.argument(name, why: "must be a finite number, got \(value)") }
        return try check(value as Double, range, name) as Double
    }
}
