import Foundation
import HNASKit
@testable import ModalityImage
import XCTest

/// PIL resize, torchvision-style pipelines and the torch bilinear resize against the fixtures.
final class TransformTests: XCTestCase {
    let decoder = ImageDecoder()
    let modality = ImageModality()

    /// Exact on 8-bit samples: same coefficients, fixed-point rounding and pass order as PIL.
    func testResizeEqualsPILExactly() throws {
        XCTAssertGreaterThanOrEqual(Fixtures.manifest.resize.count, 14)
        for case_ in Fixtures.manifest.resize {
            let source = try decoder.decode(contentsOf: Fixtures.url(case_.source))
            let filter = try XCTUnwrap(ResampleFilter(rawValue: case_.filter))
            let resized = source.resized(width: case_.width, height: case_.height, filter: filter)
            XCTAssertEqual(resized.width, case_.width)
            XCTAssertEqual(resized.height, case_.height)
            let expected = try Fixtures.bytes(case_.expected)
            XCTAssertEqual(resized.samples.count, expected.count)
            XCTAssertEqual(maxDifference(resized.samples, expected), 0, case_.expected)
        }
    }

    func testShorterSideFollowsTorchvision() throws {
        let image = try PixelImage(width: 77, height: 47, colorModel: .gray, samples: [UInt8](repeating: 9, count: 77 * 47))
        let resized = image.resized(shorterSide: 24, filter: .bicubic)
        XCTAssertEqual([resized.width, resized.height], [39, 24]) // int(24 · 77 / 47) = 39
        XCTAssertEqual(Set(resized.samples), [9])
    }

    /// Whole pipelines: decode → (convert) → resize → crop → ToTensor → Normalize against PIL +
    /// torch; float32 results are bit-identical (tolerance 0).
    func testPipelinesEqualTorchvision() throws {
        for case_ in Fixtures.manifest.pipeline {
            let url = Fixtures.url(case_.file)
            let tensor: Tensor
            if let size = case_.size {
                let stock = try StockImageOptions.preprocessing(case_.dataset)
                let custom = ImagePreprocessing(colorModel: stock.colorModel,
                                                geometry: .shorterSideAndCenterCrop(size: size, filter: .bicubic),
                                                normalization: stock.normalization)
                tensor = try modality.load(url, preprocessing: custom)
            } else {
                tensor = try modality.load(url, options: StockImageOptions.options(case_.dataset))
            }
            XCTAssertEqual(tensor.shape, case_.shape, case_.file)
            XCTAssertEqual(maxDifference(tensor.scalars, try Fixtures.floats(case_.expected)), 0, case_.file)
        }
    }

    func testStockOptionsMatchTheSpec() throws {
        XCTAssertEqual(try StockImageOptions.preprocessing("avmnist"),
                       ImagePreprocessing(colorModel: .gray, geometry: .unchanged, normalization: try ChannelNormalization(mean: [0.5], std: [0.5])))
        XCTAssertEqual(try StockImageOptions.preprocessing("mmimdb"),
                       ImagePreprocessing(colorModel: .rgb, geometry: .roundedTensorBilinear(size: 224), normalization: nil))
        let memes = try StockImageOptions.preprocessing("memes")
        XCTAssertEqual(memes.colorModel, .rgb)
        XCTAssertEqual(memes.geometry, .shorterSideAndCenterCrop(size: 112, filter: .bicubic))
        XCTAssertEqual(memes.normalization?.mean, [0.48145466, 0.4578275, 0.40821073])
        XCTAssertEqual(memes.normalization?.std, [0.26862954, 0.26130258, 0.27577711])
        let tensor = try modality.load(Fixtures.url("memes_wide.jpg"), options: StockImageOptions.options("memes"))
        XCTAssertEqual(tensor.shape, [3, 112, 112])
        let avmnist = try modality.load(Fixtures.url("baseline444.jpg"), options: StockImageOptions.options("avmnist"))
        XCTAssertEqual(avmnist.shape, [1, 21, 33])
        XCTAssertTrue(avmnist.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
        let imdb = try modality.load(Fixtures.url("poster_int32.npy"), options: StockImageOptions.options("mmimdb"))
        XCTAssertEqual(imdb.shape, [3, 224, 224])
        XCTAssertTrue(imdb.scalars.allSatisfy { $0 == $0.rounded() })
    }

    /// Defaults (RGB, decoded size, ToTensor only) and every invalid option, each named in its error.
    func testOptionsDefaultsAndErrors() throws {
        XCTAssertEqual(try ImagePreprocessing(options: [:]), ImagePreprocessing(colorModel: .rgb, geometry: .unchanged, normalization: nil))
        XCTAssertEqual(try ImagePreprocessing(options: ["resize": "shorter-side-center-crop", "size": 32]).geometry,
                       .shorterSideAndCenterCrop(size: 32, filter: .bicubic))
        let bad: [(ModalityOptions, String)] = [
            (["colour": "rgb"], "colour"), (["color": "cmyk"], "color"), (["resize": "stretch", "size": 3], "resize"),
            (["resize": "shorter-side-center-crop"], "size"), (["size": 28], "size"), (["size": 0, "resize": "tensor-bilinear-rounded"], "size"),
            (["resize": "shorter-side-center-crop", "size": 8, "filter": "nearest"], "filter"),
            (["mean": [0.5, 0.5, 0.5]], "std"), (["color": "gray", "mean": [0.5, 0.5], "std": [1, 1]], "mean"),
            (["color": "gray", "mean": [0.5], "std": [0]], "std"), (["mean": "0.5", "std": [1]], "mean"),
            (["resize": "tensor-bilinear-rounded", "size": 8, "mean": [0, 0, 0], "std": [1, 1, 1]], "mean"),
        ]
        for (options, key) in bad {
            XCTAssertThrowsError(try ImagePreprocessing(options: options), "\(options)") { error in
                XCTAssertEqual((error as? HNASError)?.subject, .argument(key), "\(options): \(error)")
            }
        }
    }

    /// MM-IMDB: `.npy` integer posters, torch bilinear (align_corners=False, no antialias) then
    /// round: ≤ 1e-4 before rounding (float32 summation order), after rounding at most 1 apart on
    /// at most 1 % of the pixels (exact on these fixtures).
    func testTensorBilinearEqualsTorchInterpolate() throws {
        for case_ in Fixtures.manifest.bilinear {
            let array = try NPYFile(bytes: try Fixtures.bytes(case_.file), path: case_.file).tensor()
            XCTAssertEqual(array.shape[0], 3)
            let rounded = try TensorBilinearResize(height: case_.height, width: case_.width, roundsToIntegers: true).apply(array)
            XCTAssertEqual(rounded.shape, case_.shape)
            let expected = try Fixtures.floats(case_.expected)
            XCTAssertLessThanOrEqual(maxDifference(rounded.scalars, expected), 1, case_.file)
            XCTAssertLessThanOrEqual(zip(rounded.scalars, expected).filter { $0 != $1 }.count, expected.count / 100, case_.file)
            let raw = try TensorBilinearResize(height: case_.height, width: case_.width, roundsToIntegers: false).apply(array)
            XCTAssertLessThanOrEqual(maxDifference(raw.scalars, try Fixtures.floats(case_.unrounded)), 1e-4, case_.file)
        }
    }

    func testExtremeAspectRatiosAreRefusedNotAllocated() throws {
        let sliver = try PixelImage(width: 1, height: 700_000, colorModel: .gray, samples: [UInt8](repeating: 1, count: 700_000))
        XCTAssertThrowsError(try StockImageOptions.preprocessing("memes").tensor(from: sliver)) { error in
            XCTAssertTrue("\(error)".contains("1x700000"), "\(error)")
        }
    }

    func testNormalizeRejectsMismatchedStatistics() throws {
        XCTAssertThrowsError(try ChannelNormalization(mean: [0.5, 0.5], std: [0.5]))
        XCTAssertThrowsError(try ChannelNormalization(mean: [0.5], std: [0]))
        let image = try PixelImage(width: 1, height: 1, colorModel: .rgb, samples: [0, 128, 255])
        XCTAssertThrowsError(try ChannelNormalization(mean: [0.5], std: [0.5]).tensor(from: image))
        let unit = try ChannelNormalization.unit(channels: 3).tensor(from: image)
        XCTAssertEqual(unit.scalars, [0, Float(128) / 255, 1])
    }
}
