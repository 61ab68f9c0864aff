import XCTest
@testable import ExportONNX

/// The binary16 conversion against values whose bit patterns are known.
final class HalfFloatTests: XCTestCase {
    func testKnownBitPatterns() {
        let cases: [(Float, UInt16)] = [(0, 0x0000), (-0.0, 0x8000), (1, 0x3C00), (-2, 0xC000), (0.5, 0x3800), (65504, 0x7BFF),
                                        (65520, 0x7C00), (1e9, 0x7C00), (Float(sign: .plus, exponent: -24, significand: 1), 0x0001),
                                        (Float(sign: .plus, exponent: -14, significand: 1), 0x0400), (1e-9, 0x0000),
                                        (1 + 1.0 / 2048, 0x3C00), (1 + 3.0 / 2048, 0x3C02), (0.1, 0x2E66), (.infinity, 0x7C00)]
        for (value, bits) in cases {
            XCTAssertEqual(HalfFloat.bits(value), bits, "\(value)")
        }
        XCTAssertTrue(HalfFloat.value(HalfFloat.bits(.nan)).isNaN)
    }

    func testEveryFiniteHalfRoundTrips() {
        for bits in UInt16.min...UInt16.max where bits & 0x7C00 != 0x7C00 {
            XCTAssertEqual(HalfFloat.bits(HalfFloat.value(bits)), bits == 0x8000 ? 0x8000 : bits)
        }
    }
}
