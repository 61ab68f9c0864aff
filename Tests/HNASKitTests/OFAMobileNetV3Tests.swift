import Foundation
import HNASTestSupport
import XCTest
@testable import HNASKit

/// The supernet against once-for-all's PyTorch `OFAMobileNetV3` (fixtures by
/// `Scripts/make_ofa_fixture.py`), and supernet vs extracted subnet for every stock variant.
final class OFAMobileNetV3Tests: XCTestCase {
    func testConvertedOFACheckpointLoadsByNameAndMatchesPyTorch() throws {
        let description = try OFAFixture.description()
        let expected = try OFAFixture.file("avmnist_expected.safetensors")
        let net = OFAMobileNetV3(space: .avmnistImage)
        try net.load(stateDict: try OFAFixture.file("avmnist.safetensors"))
        net.eval()
        for (c, config) in description.avmnist_configs.enumerated() {
            try net.activate(config)
            for modality in ["image", "audio"] {
                let outputs = try net.outputs(expected[float: modality]!)
                XCTAssertEqual(outputs.count, config["d"]![0] + 3, "output list length")
                for (i, output) in outputs.enumerated() {
                    assertMatches(output, expected[float: "\(modality).config\(c).out\(i)"]!, relative: 1e-3, "\(modality) config \(c) output \(i)")
                }
            }
        }
    }

    func testWidth12NetworkHasOFANamesAndMatchesPyTorch() throws {
        let description = try OFAFixture.description()
        let expected = try OFAFixture.file("w12_expected.safetensors")
        let net = try OFAFixture.formulaNet(.mmimdbImage)
        var ours: [[NameOrShape]] = net.namedParameters().map { [.name($0.0), .shape($0.1.shape)] }
        ours += net.namedBuffers().map { [.name($0.0), .shape($0.1.value.shape)] }
        func key(_ e: [NameOrShape]) -> String {
            e.map { $0.name ?? "\($0.shape!)" }.joined(separator: " ")
        }
        XCTAssertEqual(ours.map(key).sorted(), description.w12_state_dict.map(key))
        for (c, config) in description.w12_configs.enumerated() {
            try net.activate(config)
            assertMatches(try net(expected[float: "input"]!), expected[float: "config\(c).logits"]!, relative: 1e-3, "w1.2 config \(c)")
        }
    }

    func testBatchNormRecalibrationMatchesPyTorch() throws {
        let description = try OFAFixture.description()
        let expected = try OFAFixture.file("avmnist_expected.safetensors")
        let net = OFAMobileNetV3(space: .avmnistImage)
        try net.load(stateDict: try OFAFixture.file("avmnist.safetensors"))
        let subnet = try net.extractSubnet(description.avmnist_configs[2])
        let used = try subnet.recalibrateBatchNorm(on: [expected[float: "recal.batch0"]!, expected[float: "recal.batch1"]!])
        XCTAssertEqual(used, 2)
        XCTAssertFalse(subnet.isTraining)
        assertMatches(subnet.blocks[1].depthBN.runningVar.value, expected[float: "recal.blocks.1.depth_conv.bn.running_var"]!,
                      relative: 1e-4, "recalibrated running var")
        XCTAssertEqual(subnet.blocks[1].depthBN.batchesTracked.value.item, 2)
        XCTAssertEqual(subnet.blocks[1].depthBN.momentum, 0.1, "momentum restored after the cumulative average")
        assertMatches(try subnet(expected[float: "image"]!), expected[float: "recal.logits"]!, relative: 1e-3, "logits after recalibration")
    }

    func testRecalibrationAveragesBatchStatistics() throws {
        let net = OFAMobileNetV3(space: .avmnistAudio, seed: 3)
        let subnet = try net.extractSubnet(BackboneConfig(["ks": [3, 5, 7, 3], "e": [3, 4, 6, 3], "d": [2]]))
        let a = GradientCheck.random([2, 1, 20, 20], seed: 1), b = GradientCheck.random([2, 1, 20, 20], seed: 2, range: 0...3)
        try subnet.recalibrateBatchNorm(on: [a, b])
        // The stem BN sees conv(x); its running mean must be the average of the two batch means.
        func channelMeans(_ x: Tensor) throws -> [Float] {
            try Autograd.withoutGrad { try Tensor.conv2d(x, weight: subnet.firstConv.conv.weight.value, stride: 2, padding: 1).mean(axes: [0, 2, 3]).scalars }
        }
        let expected = zip(try channelMeans(a), try channelMeans(b)).map { ($0 + $1) / 2 }
        assertClose(subnet.firstConv.bn!.runningMean.value, expected, accuracy: 1e-4)
    }

    func testExtractedSubnetEqualsSupernetForEveryVariant() throws {
        let cases: [(OFASupernetSpace, [Int])] = [(.avmnistImage, [2, 1, 28, 28]), (.avmnistAudio, [2, 1, 20, 20]),
                                                  (.memesImage, [1, 3, 32, 32]), (.mmimdbImage, [1, 3, 32, 32])]
        var rng = SeededGenerator(seed: 11)
        for (space, shape) in cases {
            let net = try OFAFixture.formulaNet(space)
            let x = GradientCheck.random(shape, seed: 7)
            for _ in 0..<(space.variant == .orig ? 1 : 2) {
                let config = net.backbone.sample(.random, using: &rng)
                try net.activate(config)
                let reference = try net.outputs(x)
                let subnet = try net.extractSubnet()
                XCTAssertFalse(subnet.isElastic)
                XCTAssertEqual(subnet.blocks.count, 1 + config["d"]!.reduce(0, +))
                XCTAssertFalse(subnet.namedParameters().contains { $0.0.hasSuffix("_matrix") }, "a static subnet has no kernel matrices")
                let outputs = try subnet.outputs(x)
                XCTAssertEqual(outputs.count, reference.count)
                for (i, (a, b)) in zip(outputs, reference).enumerated() {
                    assertMatches(a, b, relative: 1e-5, "\(space.variant) \(config) output \(i)")
                }
                // The copy is independent: changing the supernet leaves the subnet alone.
                net.blocks[1].pointWeight.value = net.blocks[1].pointWeight.value * 2
                assertMatches(try subnet(x), reference.last!, relative: 1e-5, "subnet after supernet change")
                net.blocks[1].pointWeight.value = net.blocks[1].pointWeight.value * 0.5
            }
        }
    }

    func testSubnetLayersAgreeWithTheLayerDescriptors() throws {
        for space in [OFASupernetSpace.avmnistImage, .memesImage, .mmimdbImage] {
            let net = try OFAFixture.formulaNet(space)
            for kind in [SampleKind.max, .min] {
                var rng = SeededGenerator(seed: 1)
                let config = net.backbone.sample(kind, using: &rng)
                let subnet = try net.extractSubnet(config)
                let descriptors = try net.backbone.layerDescriptors(config)
                XCTAssertEqual(descriptors.count, subnet.blocks.count + 4)
                for (block, descriptor) in zip(subnet.blocks, descriptors.dropFirst()) {
                    guard case let .mbconv(i, o, mid, e, _, k, s, se) = descriptor else { return XCTFail("not a block: \(descriptor)") }
                    XCTAssertEqual([block.inChannels, block.outChannels, block.stride, block.activeKernel, block.activeExpand],
                                   [i, o, s, k, e])
                    XCTAssertEqual(block.useSE, se)
                    XCTAssertEqual(block.activeMidChannels, mid == 0 ? i : mid)
                    XCTAssertEqual(block.depthWeight.shape, [block.activeMidChannels, 1, k, k])
                }
            }
        }
    }

    func testMultiplyAccumulatesOfTheAVMNISTMaxSubnetByHand() throws {
        let net = OFAMobileNetV3(space: .avmnistImage)
        // stem 14²·16·9; block 0: dw 14²·16·9 + pw 14²·16·16; block 1: 14²·16·96 + 7²·96·49 + 7²·96·24;
        // blocks 2–4: 3·(7²·24·144 + 7²·144·49 + 7²·144·24); final expand 7²·24·40; mix 40·80; classifier 80·10.
        XCTAssertEqual(net.multiplyAccumulates, 2_855_408)
        try net.activate(BackboneConfig(["ks": [3, 3, 3, 3], "e": [3, 3, 3, 3], "d": [2]]))
        let min = 28224 + 28224 + 50176 + (196 * 16 * 48 + 49 * 48 * 9 + 49 * 48 * 24) + (49 * 24 * 72 + 49 * 72 * 9 + 49 * 72 * 24) + 47040 + 3200 + 800
        XCTAssertEqual(net.multiplyAccumulates, min)
        XCTAssertEqual(try net.extractSubnet().multiplyAccumulates, min)
    }

    func testFusionFeatureIndicesFollowTheOriginalFormula() throws {
        // AV-MNIST, 4 features: d = 2, 3, 4 → L = 5, 6, 7.
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 5, count: 4), [0, 1, 2, 3])
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 6, count: 4), [1, 2, 3, 4])
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 7, count: 4), [2, 3, 4, 5])
        // MM-IMDB: S = 10, 14, 20 → L = S + 3.
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 13, count: 4), [2, 5, 8, 11])
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 17, count: 4), [3, 7, 11, 15])
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 23, count: 4), [6, 11, 16, 21])
        // Memes, 7 features: S = 6, 12.
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 9, count: 7), [1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 15, count: 7), [1, 3, 5, 7, 9, 11, 13])
        XCTAssertThrowsError(try OFAMobileNetV3.fusionFeatureIndices(outputCount: 5, count: 7))

        let net = OFAMobileNetV3(space: .avmnistImage)
        net.eval()
        try net.activate(BackboneConfig(["ks": [3, 3, 3, 3], "e": [3, 3, 3, 3], "d": [2]]))
        let features = try net.fusionFeatures(GradientCheck.random([2, 1, 28, 28], seed: 1), count: 4)
        XCTAssertEqual(features.map(\.shape), [[2, 16, 14, 14], [2, 16, 14, 14], [2, 24, 7, 7], [2, 24, 7, 7]])
        XCTAssertEqual(try net.fusionFeatureChannels(count: 4), [16, 16, 24, 24])

        // Whole-split features in batches equal the features of one batch.
        let all = GradientCheck.random([5, 1, 28, 28], seed: 2)
        let batched = try net.fusionFeatures(forAll: all, count: 4, batchSize: 2)
        let direct = try Autograd.withoutGrad { try net.fusionFeatures(all, count: 4) }
        for (a, b) in zip(batched, direct) { assertMatches(a, b, relative: 1e-6, "batched fusion features") }
    }

    func testElasticKernelGradientsReachSharedWeightsAndMatrices() throws {
        var g = SeededGenerator(seed: 4)
        let block = OFAMBConvBlock(inChannels: 4, outChannels: 4, stride: 1, activation: .hardSwish, useSE: true,
                                   kernelSizes: [3, 5, 7], expandRatios: [3, 6], isElastic: true, generator: &g)
        block.eval()
        try block.activate(kernel: 3, expand: 3)
        let x = GradientCheck.random([1, 4, 5, 5], seed: 2)
        XCTAssertEqual(block.activeMidChannels, 16, "of 24 stored")
        let full = block.depthWeight.value
        let m75 = GradientCheck.random([25, 25], seed: 3, range: -0.3...0.3), m53 = GradientCheck.random([9, 9], seed: 4, range: -0.5...0.5)
        try GradientCheck.check([full, m75, m53], tolerance: 2e-2) { inputs in
            block.depthWeight.value = inputs[0].detached()
            let saved = (block.kernelMatrices[0].matrix.value, block.kernelMatrices[1].matrix.value)
            defer { block.kernelMatrices[0].matrix.value = saved.0; block.kernelMatrices[1].matrix.value = saved.1 }
            // Route the inputs through the block's own kernel path.
            let kernel = try ElasticWeight.kernel(try OFAMBConvBlock.channels(inputs[0], out: block.activeMidChannels, in: 1),
                                                  kernel: 3, steps: [(5, inputs[1]), (3, inputs[2])])
            return try Tensor.conv2d(try Tensor.conv2d(x, weight: try OFAMBConvBlock.channels(block.expandWeight!.value, out: 16, in: 4)),
                                     weight: kernel, padding: 1, groups: 16)
        }
        // And through the whole block: gradients land in the shared parameters at the used positions only.
        block.depthWeight.value = full
        block.kernelMatrices[0].matrix.value = m75
        block.kernelMatrices[1].matrix.value = m53
        block.train()
        try (try block(x)).squared().sum().backward()
        let grad = try XCTUnwrap(block.depthWeight.grad)
        XCTAssertEqual(grad.shape, [24, 1, 7, 7])
        XCTAssertTrue(grad.scalars[..<(16 * 49)].contains { $0 != 0 }, "active channels get gradient")
        XCTAssertTrue(grad.scalars[(16 * 49)...].allSatisfy { $0 == 0 }, "inactive channels get none")
        XCTAssertTrue(try XCTUnwrap(block.kernelMatrices[0].matrix.grad).scalars.contains { $0 != 0 }, "7to5 matrix")
        XCTAssertTrue(try XCTUnwrap(block.kernelMatrices[1].matrix.grad).scalars.contains { $0 != 0 }, "5to3 matrix")
        XCTAssertEqual(block.kernelMatrices.map(\.matrix.name), ["7to5_matrix", "5to3_matrix"])
    }

    func testConfigsOutsideTheSpaceAreRejectedNamingGeneAndAllowedSet() {
        let net = OFAMobileNetV3(space: .avmnistImage)
        func message(_ config: [String: [Int]]) -> String {
            do { try net.activate(BackboneConfig(config)); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(["ks": [3, 4, 7, 7], "e": [3, 3, 3, 3], "d": [2]]).contains("'ks'[1] = 4 is not in the allowed set [3, 5, 7]"))
        XCTAssertTrue(message(["ks": [3, 3, 3, 3], "e": [3, 3, 3, 3], "d": [5]]).contains("'d'[0] = 5 is not in the allowed set [2, 3, 4]"))
        XCTAssertTrue(message(["ks": [3, 3, 3], "e": [3, 3, 3, 3], "d": [2]]).contains("'ks' has 3 values, expected 4"))
        XCTAssertEqual(net.runtimeDepth, [4], "a rejected config changes nothing")
    }

    func testWeightsThatDoNotFitAreRejectedListingThem() throws {
        var file = try OFAFixture.file("avmnist.safetensors")
        file.tensors["blocks.1.conv.depth_conv.conv.7to5_matrix"] = .float32(Tensor(zeros: [9, 9]))
        file.tensors.removeValue(forKey: "classifier.linear.bias")
        let net = OFAMobileNetV3(space: .avmnistImage)
        XCTAssertThrowsError(try net.load(stateDict: file, source: "w.safetensors")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("blocks.1.conv.depth_conv.conv.7to5_matrix"), text)
            XCTAssertTrue(text.contains("classifier.linear.bias"), text)
        }
        XCTAssertThrowsError(try OFAMobileNetV3(space: .memesImage).load(stateDict: try OFAFixture.file("avmnist.safetensors")))
    }
}
