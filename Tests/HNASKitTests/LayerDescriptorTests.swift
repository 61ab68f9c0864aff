import Foundation
import XCTest
@testable import HNASKit

/// Keys are compared with keys copied verbatim from the measured tables (SPEC-hardware-and-data §1.2).
final class LayerDescriptorTests: XCTestCase {
    func testConvKeys() {
        XCTAssertEqual(LayerDescriptor.conv(inChannels: 1, outChannels: 16, resolution: 28, kernel: 3, stride: 2,
                                            useSE: false, useBN: true).lutKey,
                       "ConvLayer-input:1_1_28_28-in_ch:1-out_ch:16-kernel:3-stride:2-use_se:0-use_bn:1")
        XCTAssertEqual(LayerDescriptor.conv(inChannels: 40, outChannels: 80, resolution: 1, kernel: 1, stride: 1,
                                            useSE: false, useBN: false).lutKey,
                       "ConvLayer-input:1_40_1_1-in_ch:40-out_ch:80-kernel:1-stride:1-use_se:0-use_bn:0")
    }

    func testMBConvKeys() {
        XCTAssertEqual(LayerDescriptor.mbconv(inChannels: 16, outChannels: 16, midChannels: 0, expand: 1, resolution: 14,
                                              kernel: 3, stride: 1, useSE: false).lutKey,
                       "MBConvLayer-input:1_16_14_14-in_ch:16-out_ch:16-mid_ch:0-expand:1-kernel:3-stride:1-use_se:0")
        XCTAssertEqual(LayerDescriptor.mbconv(inChannels: 32, outChannels: 48, midChannels: 128, expand: 4, resolution: 56,
                                              kernel: 7, stride: 2, useSE: true).lutKey,
                       "MBConvLayer-input:1_32_56_56-in_ch:32-out_ch:48-mid_ch:128-expand:4-kernel:7-stride:2-use_se:1")
    }

    func testLinearKeyAndCodableRoundTrip() throws {
        let layer = LayerDescriptor.linear(inFeatures: 80, outFeatures: 10)
        XCTAssertEqual(layer.lutKey, "LinearLayer-input:80-in_ch:80-out_ch:10")
        let data = try JSONEncoder().encode(layer)
        XCTAssertEqual(try JSONDecoder().decode(LayerDescriptor.self, from: data), layer)
    }

    func testBackboneConfigEncodesAsTheOriginalDict() throws {
        let config = BackboneConfig(["ks": [7, 5, 3, 3], "e": [6, 4, 4, 3], "d": [3]])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        XCTAssertEqual(String(decoding: try encoder.encode(config), as: UTF8.self),
                       #"{"d":[3],"e":[6,4,4,3],"ks":[7,5,3,3]}"#)
        XCTAssertEqual(try JSONDecoder().decode(BackboneConfig.self, from: Data(#"{"d":[3],"e":[6,4,4,3],"ks":[7,5,3,3]}"#.utf8)), config)
        XCTAssertEqual(config.description, "d=[3] e=[6, 4, 4, 3] ks=[7, 5, 3, 3]")
    }

    func testCostSumsLatencyAndEnergyIndependently() {
        let report = CostReport(rows: [
            CostRow(key: "a", cost: Cost(latencyMs: 0.5, energyMJ: 1.25), predicted: false),
            CostRow(key: "b", cost: Cost(latencyMs: 0.25, energyMJ: 2), predicted: true),
        ])
        XCTAssertEqual(report.total, Cost(latencyMs: 0.75, energyMJ: 3.25))
        XCTAssertEqual(report.predictedRows.map(\.key), ["b"])
        XCTAssertNil((Cost(latencyMs: 1, energyMJ: nil) + Cost(latencyMs: 1, energyMJ: 2)).energyMJ)
    }
}
