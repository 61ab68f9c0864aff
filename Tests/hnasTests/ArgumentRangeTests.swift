import HNASKit
import XCTest
@testable import hnas

/// The shared range checks of numeric flags: the value back when it is allowed, else one error naming the flag,
/// the range and the value; NaN and infinities refused for floating-point flags.
final class ArgumentRangeTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    func testIntegersInsideTheRangePassAndOthersNameFlagRangeAndValue() throws {
        XCTAssertEqual(try ArgumentRange.check(1, ArgumentRange.repeats, "--iters"), 1)
        XCTAssertEqual(try ArgumentRange.check(10_000, ArgumentRange.repeats, "--iters"), 10_000)
        XCTAssertEqual(message { try ArgumentRange.check(0, ArgumentRange.repeats, "--iters") },
                       "invalid value for --iters: must be between 1 and 10000, got 0")
        XCTAssertEqual(message { try ArgumentRange.check(Int.max, ArgumentRange.warmup, "--warmup") },
                       "invalid value for --warmup: must be between 0 and 10000, got \(Int.max)")
    }

    func testFloatingPointFlagsMustBeFiniteAndInRange() throws {
        XCTAssertEqual(try ArgumentRange.check(Float(0), ArgumentRange.hardwareWeight, "--hardware-weight"), 0)
        XCTAssertEqual(message { try ArgumentRange.check(Float(-0.5), ArgumentRange.hardwareWeight, "--hardware-weight") },
                       "invalid value for --hardware-weight: must be a finite number between 0.0 and 1000.0, got -0.5")
        XCTAssertTrue(message { try ArgumentRange.check(Float.nan, ArgumentRange.hardwareWeight, "--hardware-weight") }.hasSuffix("got nan"))

        XCTAssertEqual(try ArgumentRange.checkPositive(Float(1e-4), atMost: ArgumentRange.maximumLearningRate, "--lr"), 1e-4)
        XCTAssertEqual(try ArgumentRange.checkPositive(10.0, atMost: ArgumentRange.maximumLearningRate, "--lr"), 10)
        for bad: Float in [0, -1, 10.5, .infinity, .nan] {
            XCTAssertTrue(message { try ArgumentRange.checkPositive(bad, atMost: ArgumentRange.maximumLearningRate, "--lr") }
                .hasPrefix("invalid value for --lr: must be a finite number above 0 and at most 10.0, got "), "\(bad)")
        }
    }
}
