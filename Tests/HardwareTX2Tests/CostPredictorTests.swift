import Foundation
import HNASKit
import XCTest
@testable import HardwareTX2

final class CostPredictorTests: XCTestCase {
    func testEveryBundledKeyParsesBackToItsDescriptor() throws {
        for device in JetsonModel.Device.allCases {
            for table in try JetsonModel(device: device).backboneTables.values {
                for key in table.keys { XCTAssertEqual(LayerDescriptor(lutKey: key)?.lutKey, key) }
            }
        }
        XCTAssertNil(LayerDescriptor(lutKey: "Sum-input:1_192_16-N:1-C:192-L:16"))
        XCTAssertNil(LayerDescriptor(lutKey: "ConvLayer-input:1_1_28_28-in_ch:1-out_ch:16-kernel:3-stride:2-use_se:2-use_bn:1"))
    }

    func testFeaturesOfAHandCountedBlock() {
        // 16→24, mid 48, k7, stride 2 at 14×14: 16·48·196 + 49·48·49 + 48·24·49 MACs.
        let block = LayerFeatures(.mbconv(inChannels: 16, outChannels: 24, midChannels: 48, expand: 3, resolution: 14,
                                          kernel: 7, stride: 2, useSE: false))
        XCTAssertEqual(block.macs, Double(16 * 48 * 196 + 49 * 48 * 49 + 48 * 24 * 49))
        XCTAssertEqual(block.parameters, Double(16 * 48 + 49 * 48 + 48 * 24))
        XCTAssertEqual(block.activationBytes, 4 * Double(16 * 196 + 48 * 196 + 48 * 49 + 24 * 49))
        // SE on a 96-wide middle adds two 1×1 convs to make_divisible(96/4) = 24 channels.
        let se = LayerFeatures(.mbconv(inChannels: 16, outChannels: 24, midChannels: 96, expand: 6, resolution: 14,
                                       kernel: 3, stride: 1, useSE: true))
        XCTAssertEqual(se.macs, Double(16 * 96 * 196 + 9 * 96 * 196 + 96 * 24 * 196 + 2 * 96 * 24))
        XCTAssertEqual(se.vector[0...3], [0, 1, 0, 11])   // 3 convs + 3 BNs + pool, 2 convs, gate, product
    }

    /// On data that is exactly linear in the features the fit recovers it: leave-one-out error ~0, τ = 1.
    func testFitRecoversAnExactlyLinearTable() throws {
        let truth = [0.2, 0.3, 0.1, 0.05, 0.02, 0.5, 0.01]
        var entries: [String] = []
        for c in [16, 24, 32, 40] {
            for r in [7, 14, 28] {
                for k in [3, 5, 7] {
                    for se in [false, true] {
                        let layer = LayerDescriptor.mbconv(inChannels: c, outChannels: c, midChannels: 4 * c, expand: 4,
                                                           resolution: r, kernel: k, stride: 1, useSE: se)
                        let y = zip(LayerFeatures(layer).vector, truth).reduce(0) { $0 + $1.0 * $1.1 }
                        entries.append(#""\#(layer.lutKey)": {"lat": "\#(y)", "enrg": \#(2 * y)}"#)
                    }
                }
            }
            let conv = LayerDescriptor.conv(inChannels: c, outChannels: 2 * c, resolution: 7, kernel: 1, stride: 1,
                                            useSE: false, useBN: true)
            let y = zip(LayerFeatures(conv).vector, truth).reduce(0) { $0 + $1.0 * $1.1 }
            entries.append(#""\#(conv.lutKey)": {"lat": "\#(y)", "enrg": \#(2 * y)}"#)
        }
        let table = try MeasuredTable(json: Data(("{" + entries.joined(separator: ",") + "}").utf8), name: "synthetic")
        for result in PredictorValidation.leaveOneOut(table) {
            XCTAssertLessThan(result.maxErrorPercent, 0.01, result.quantity)
            XCTAssertEqual(result.shareWithin10Percent, 1)
            XCTAssertEqual(result.kendallTau, 1, accuracy: 1e-12)
        }
    }

    /// The figures `hnas lut validate` prints, for every bundled table; bounds are loose sanity checks
    /// around the values measured when the predictor was designed (median 1–13%).
    func testLeaveOneOutIsReportedForEveryTable() throws {
        for device in JetsonModel.Device.allCases {
            for (dataset, table) in try JetsonModel(device: device).backboneTables {
                let results = PredictorValidation.leaveOneOut(table)
                XCTAssertEqual(results.map(\.quantity), ["lat", "enrg"])
                for result in results {
                    let label = "\(device) \(dataset) \(result.quantity)"
                    XCTAssertEqual(result.entries, table.entries.count, label)
                    XCTAssertLessThan(result.medianErrorPercent, 25, label)
                    XCTAssertGreaterThanOrEqual(result.maxErrorPercent, result.medianErrorPercent, label)
                    XCTAssertTrue((0.2...1).contains(result.shareWithin10Percent), label)
                    XCTAssertTrue((-1...1).contains(result.kendallTau), label)
                }
            }
        }
    }

    func testKendallTauOnHandCountedPairs() {
        // pairs: (1,2) concordant, (1,3) concordant, (2,3) discordant → (2 − 1) / 3.
        XCTAssertEqual(PredictorValidation.kendallTau([1, 2, 3], [1, 3, 2]), 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(PredictorValidation.kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1)
        XCTAssertTrue(PredictorValidation.kendallTau([1, 1], [1, 2]).isNaN)
    }

    func testPredictorRoundTripsThroughJSON() throws {
        let predictor = try JetsonModel(device: .tx2).predictor(dataset: "memes")
        let data = try JSONEncoder().encode(predictor)
        XCTAssertEqual(try JSONDecoder().decode(CostPredictor.self, from: data), predictor)
        XCTAssertEqual(predictor.features.count, predictor.latencyCoefficients.count)
        XCTAssertEqual(predictor.samples, 59)
    }
}
