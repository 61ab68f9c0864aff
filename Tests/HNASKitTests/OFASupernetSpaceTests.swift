import XCTest
@testable import HNASKit

final class OFASupernetSpaceTests: XCTestCase {
    func testMakeDivisibleMatchesTheWidthTable() {
        // SPEC-backbone §1.1: base widths × 1.2.
        let scaled = [16, 16, 24, 40, 80, 112, 160, 960, 1280].map { OFASupernetSpace.makeDivisible(Double($0) * 1.2) }
        XCTAssertEqual(scaled, [24, 24, 32, 48, 96, 136, 192, 1152, 1536])
        XCTAssertEqual(OFASupernetSpace.makeDivisible(3), 8)                 // at least the divisor
        XCTAssertEqual(OFASupernetSpace.makeDivisible(12), 16)               // 12 + 4 = 16
        XCTAssertEqual(OFASupernetSpace.makeDivisible(11.9), 8 + 8)          // 8 < 0.9·11.9 → bumped
        // Mid widths of SPEC-backbone's SE table.
        let mids = [16, 24, 32, 40, 48, 80, 96, 136, 192].map { c in [3, 4, 6].map { OFASupernetSpace.midChannels(inChannels: c, expand: $0) } }
        XCTAssertEqual(mids, [[48, 64, 96], [72, 96, 144], [96, 128, 192], [120, 160, 240], [144, 192, 288],
                              [240, 320, 480], [288, 384, 576], [408, 544, 816], [576, 768, 1152]])
    }

    func testStockSpacesHaveTheSpecifiedStructure() {
        let avmnist = OFASupernetSpace.avmnistImage
        XCTAssertEqual([avmnist.stemWidth, avmnist.firstBlockWidth, avmnist.finalExpandWidth, avmnist.featureMixWidth], [16, 16, 40, 80])
        XCTAssertEqual(avmnist.stages, [OFAStage(width: 24, stride: 2, useSE: false, activation: .relu)])
        XCTAssertEqual([avmnist.blockSlots, avmnist.classes, avmnist.classifierKeyOutputs], [4, 10, 10])
        XCTAssertEqual(OFASupernetSpace.avmnistAudio.resolution, 20)

        let imdb = OFASupernetSpace.mmimdbImage
        XCTAssertEqual([imdb.inputChannels, imdb.resolution, imdb.stemWidth, imdb.firstBlockWidth], [3, 224, 24, 24])
        XCTAssertEqual(imdb.stages.map(\.width), [32, 48, 96, 136, 192])
        XCTAssertEqual(imdb.stages.map(\.stride), [2, 2, 2, 1, 2])
        XCTAssertEqual(imdb.stages.map(\.useSE), [false, true, false, true, true])
        XCTAssertEqual(imdb.stages.map(\.activation), [.relu, .relu, .hswish, .hswish, .hswish])
        XCTAssertEqual([imdb.finalExpandWidth, imdb.featureMixWidth, imdb.classes, imdb.classifierKeyOutputs], [1152, 1536, 23, 1000])

        let memes = OFASupernetSpace.memesImage
        XCTAssertEqual(memes.stages.map(\.width), [24, 40, 80])
        XCTAssertEqual(memes.stages.map(\.useSE), [false, true, false])
        XCTAssertEqual([memes.resolution, memes.finalExpandWidth, memes.featureMixWidth, memes.classes, memes.blockSlots],
                       [112, 112, 160, 3, 12])
    }

    /// Keys quoted verbatim from the measured tables (SPEC-hardware §1.2) come out of the layer lists.
    func testLayerListsProduceTheTablesKeys() throws {
        func keys(_ space: OFASupernetSpace, ks: [Int], e: [Int], d: [Int]) -> [String] {
            space.layerDescriptors(ks: ks, e: e, d: d).map(\.lutKey)
        }
        let image = keys(.avmnistImage, ks: [7, 7, 3, 3], e: [3, 4, 3, 3], d: [2])
        XCTAssertEqual(image, [
            "ConvLayer-input:1_1_28_28-in_ch:1-out_ch:16-kernel:3-stride:2-use_se:0-use_bn:1",
            "MBConvLayer-input:1_16_14_14-in_ch:16-out_ch:16-mid_ch:0-expand:1-kernel:3-stride:1-use_se:0",
            "MBConvLayer-input:1_16_14_14-in_ch:16-out_ch:24-mid_ch:48-expand:3-kernel:7-stride:2-use_se:0",
            "MBConvLayer-input:1_24_7_7-in_ch:24-out_ch:24-mid_ch:96-expand:4-kernel:7-stride:1-use_se:0",
            "ConvLayer-input:1_24_7_7-in_ch:24-out_ch:40-kernel:1-stride:1-use_se:0-use_bn:1",
            "ConvLayer-input:1_40_1_1-in_ch:40-out_ch:80-kernel:1-stride:1-use_se:0-use_bn:0",
            "LinearLayer-input:80-in_ch:80-out_ch:10",
        ])
        let audio = keys(.avmnistAudio, ks: [3, 3, 3, 3], e: [3, 3, 3, 3], d: [4])
        XCTAssertEqual(audio.first, "ConvLayer-input:1_1_20_20-in_ch:1-out_ch:16-kernel:3-stride:2-use_se:0-use_bn:1")
        XCTAssertTrue(audio.contains("ConvLayer-input:1_24_5_5-in_ch:24-out_ch:40-kernel:1-stride:1-use_se:0-use_bn:1"))
        XCTAssertEqual(audio.count, 1 + 1 + 4 + 3)

        var ks = Array(repeating: 3, count: 20), e = Array(repeating: 3, count: 20)
        (ks[4], e[4], ks[12], e[12], ks[17], e[17]) = (7, 4, 5, 6, 5, 4)
        let imdb = keys(.mmimdbImage, ks: ks, e: e, d: [2, 2, 2, 2, 2])
        for key in [
            "ConvLayer-input:1_3_224_224-in_ch:3-out_ch:24-kernel:3-stride:2-use_se:0-use_bn:1",
            "MBConvLayer-input:1_24_112_112-in_ch:24-out_ch:24-mid_ch:0-expand:1-kernel:3-stride:1-use_se:0",
            "MBConvLayer-input:1_32_56_56-in_ch:32-out_ch:48-mid_ch:128-expand:4-kernel:7-stride:2-use_se:1",
            "MBConvLayer-input:1_96_14_14-in_ch:96-out_ch:136-mid_ch:576-expand:6-kernel:5-stride:1-use_se:1",
            "MBConvLayer-input:1_192_7_7-in_ch:192-out_ch:192-mid_ch:768-expand:4-kernel:5-stride:1-use_se:1",
            "ConvLayer-input:1_192_7_7-in_ch:192-out_ch:1152-kernel:1-stride:1-use_se:0-use_bn:1",
            "ConvLayer-input:1_1152_1_1-in_ch:1152-out_ch:1536-kernel:1-stride:1-use_se:0-use_bn:0",
            "LinearLayer-input:1536-in_ch:1536-out_ch:1000",
        ] { XCTAssertTrue(imdb.contains(key), key) }

        var memesKs = Array(repeating: 3, count: 12), memesE = Array(repeating: 3, count: 12)
        (memesKs[4], memesE[4], memesKs[9], memesE[9]) = (5, 4, 5, 6)
        let memes = keys(.memesImage, ks: memesKs, e: memesE, d: [2, 2, 2])
        for key in [
            "ConvLayer-input:1_3_112_112-in_ch:3-out_ch:16-kernel:3-stride:2-use_se:0-use_bn:1",
            "MBConvLayer-input:1_16_56_56-in_ch:16-out_ch:16-mid_ch:0-expand:1-kernel:3-stride:1-use_se:0",
            "MBConvLayer-input:1_24_28_28-in_ch:24-out_ch:40-mid_ch:96-expand:4-kernel:5-stride:2-use_se:1",
            "MBConvLayer-input:1_80_7_7-in_ch:80-out_ch:80-mid_ch:480-expand:6-kernel:5-stride:1-use_se:0",
            "ConvLayer-input:1_80_7_7-in_ch:80-out_ch:112-kernel:1-stride:1-use_se:0-use_bn:1",
            "ConvLayer-input:1_112_1_1-in_ch:112-out_ch:160-kernel:1-stride:1-use_se:0-use_bn:0",
            "LinearLayer-input:160-in_ch:160-out_ch:3",
        ] { XCTAssertTrue(memes.contains(key), key) }
    }

    /// Genes are positional: a shallow stage leaves its slots unused rather than shifting later stages.
    func testGenesArePositionalAndSpatialSizesHalveWithCeil() {
        let ks = [3, 5, 7, 7, 5, 3, 7, 7, 7, 5, 3, 3]
        let layers = OFASupernetSpace.memesImage.layerDescriptors(ks: ks, e: Array(repeating: 4, count: 12), d: [2, 3, 2])
        let blocks = layers.compactMap { layer -> (kernel: Int, resolution: Int)? in
            if case let .mbconv(_, _, mid, _, r, k, _, _) = layer, mid > 0 { return (k, r) }
            return nil
        }
        XCTAssertEqual(blocks.map(\.kernel), [3, 5, 5, 3, 7, 7, 5])
        XCTAssertEqual(blocks.map(\.resolution), [56, 28, 28, 14, 14, 14, 7])   // input size of each block
        XCTAssertEqual(layers.count, 1 + 1 + 7 + 3)

        let odd = OFASupernetSpace(variant: .avmnist, widthMultiplier: 1, inputChannels: 1, resolution: 30, classes: 10)
        let sizes = odd.layerDescriptors(ks: [3, 3, 3, 3], e: [3, 3, 3, 3], d: [2]).compactMap { layer -> Int? in
            switch layer {
            case let .conv(_, _, r, _, _, _, _), let .mbconv(_, _, _, _, r, _, _, _): return r
            case .linear: return nil
            }
        }
        XCTAssertEqual(sizes, [30, 15, 15, 8, 8, 1])   // 30 → 15 → ceil(15/2) = 8
    }

    func testBackboneValidatesGenesAndRegistersUnderStockNames() throws {
        var registry = Registry()
        registerStockBackbones(into: &registry)
        XCTAssertEqual(registry.backbones.names,
                       ["ofa-mbv3-avmnist-image", "ofa-mbv3-avmnist-audio", "ofa-mbv3-mmimdb-image", "ofa-mbv3-memes-image"])
        let backbone = try registry.backbones.make("ofa-mbv3-memes-image")
        XCTAssertEqual(backbone.geneOrder, ["ks", "e", "d"])
        XCTAssertEqual(backbone.searchSpace["d"], [[2, 3, 4], [2, 3, 4], [2, 3, 4]])
        XCTAssertThrowsError(try backbone.layerDescriptors(BackboneConfig(["ks": Array(repeating: 9, count: 12),
                                                                           "e": Array(repeating: 3, count: 12), "d": [2, 2, 2]]))) { error in
            XCTAssertTrue("\(error)".contains("'ks'[0] = 9 is not in the allowed set [3, 5, 7]"), "\(error)")
        }
        XCTAssertThrowsError(try backbone.layerDescriptors(BackboneConfig(["ks": [3], "e": [3], "d": [2]]))) { error in
            XCTAssertTrue("\(error)".contains("expected 12"), "\(error)")
        }
        XCTAssertEqual(StockBackbones.all.map { "\($0.dataset)/\($0.modality)" }, ["avmnist/image", "avmnist/audio", "mmimdb/image", "memes/image"])
    }
}
