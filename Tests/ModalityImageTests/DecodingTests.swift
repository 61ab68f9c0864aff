import Foundation
@testable import ModalityImage
import XCTest

/// Decoded pixels against PIL's for every PNG colour type / depth / interlacing and for baseline,
/// progressive, subsampled and gray JPEGs.
final class DecodingTests: XCTestCase {
    let decoder = ImageDecoder()

    func testEveryFixtureDecodesLikePIL() throws {
        XCTAssertGreaterThanOrEqual(Fixtures.manifest.decode.count, 20)
        for case_ in Fixtures.manifest.decode {
            let image = try decoder.decode(contentsOf: Fixtures.url(case_.file))
            XCTAssertEqual(image.width, case_.width, case_.file)
            XCTAssertEqual(image.height, case_.height, case_.file)
            XCTAssertEqual(image.channels, case_.channels, case_.file)
            let expected = try Fixtures.bytes(case_.expected)
            XCTAssertEqual(image.samples.count, expected.count, case_.file)
            let difference = maxDifference(image.samples, expected)
            XCTAssertLessThanOrEqual(difference, case_.tolerance, "\(case_.file): max |hnas − PIL| = \(difference)")
        }
    }

    /// PNG must be exact; the JPEG fixtures are decoded by the same IDCT and upsampling as PIL's,
    /// so they are exact too on this build (the tolerance of 1 covers other libjpeg-turbo builds).
    func testPNGIsExactAndJPEGWithinOne() throws {
        for case_ in Fixtures.manifest.decode {
            let image = try decoder.decode(contentsOf: Fixtures.url(case_.file))
            let difference = maxDifference(image.samples, try Fixtures.bytes(case_.expected))
            if case_.file.hasSuffix(".png") {
                XCTAssertEqual(difference, 0, case_.file)
            } else {
                XCTAssertLessThanOrEqual(difference, 1, case_.file)
            }
        }
    }

    func testColourToGrayIsPILsConvertL() throws {
        for case_ in Fixtures.manifest.gray {
            let gray = try decoder.decode(contentsOf: Fixtures.url(case_.file)).converted(to: .gray)
            XCTAssertEqual(gray.channels, 1)
            XCTAssertEqual(gray.samples, try Fixtures.bytes(case_.expected), case_.file)
        }
    }

    func testGrayToRGBReplicates() throws {
        let gray = try PixelImage(width: 2, height: 1, colorModel: .gray, samples: [7, 200])
        XCTAssertEqual(gray.converted(to: .rgb).samples, [7, 7, 7, 200, 200, 200])
    }

    func testFormatComesFromMagicBytesNotExtension() throws {
        let jpeg = try Fixtures.data("baseline444.jpg")
        let png = try Fixtures.data("rgb8.png")
        XCTAssertEqual(ImageFormat.detect(jpeg), .jpeg)
        XCTAssertEqual(ImageFormat.detect(png), .png)
        XCTAssertNil(ImageFormat.detect([UInt8]("GIF89a".utf8)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let misnamedJPEG = directory.appendingPathComponent("photo.png")
        let misnamedPNG = directory.appendingPathComponent("photo.jpg")
        try jpeg.write(to: misnamedJPEG)
        try png.write(to: misnamedPNG)
        XCTAssertEqual(try decoder.decode(contentsOf: misnamedJPEG), try decoder.decode(contentsOf: Fixtures.url("baseline444.jpg")))
        XCTAssertEqual(try decoder.decode(contentsOf: misnamedPNG), try decoder.decode(contentsOf: Fixtures.url("rgb8.png")))
    }

    func testCropAndCentreCropRounding() throws {
        let image = try PixelImage(width: 5, height: 4, colorModel: .gray, samples: (0..<20).map { UInt8($0) })
        XCTAssertEqual(try image.cropped(left: 1, top: 2, width: 3, height: 2).samples, [11, 12, 13, 16, 17, 18])
        // (5 − 2)/2 = 1.5 → 2 and (4 − 3)/2 = 0.5 → 0 (half to even, as Python's round).
        let centre = try image.centerCropped(width: 2, height: 3)
        XCTAssertEqual(centre.samples, [2, 3, 7, 8, 12, 13])
        XCTAssertThrowsError(try image.centerCropped(width: 6, height: 2))
    }
}
