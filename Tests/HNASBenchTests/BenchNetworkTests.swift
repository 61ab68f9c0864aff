import Foundation
import XCTest
@testable import HNASBench
import HNASEngine

final class BenchNetworkTests: XCTestCase {
    static let netsPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Benchmarks/nets.json").path

    func testProjectFileLoadsAllNetworks() throws {
        let networks = try BenchNetwork.load(Self.netsPath)
        XCTAssertEqual(Set(networks.keys), ["avmnist-image-max", "avmnist-audio-max", "memes-image-max", "mmimdb-image-max"])
        let avmnist = try XCTUnwrap(networks["avmnist-image-max"])
        XCTAssertEqual(avmnist.input, [1, 28, 28])
        XCTAssertEqual(avmnist.batch, 256)
        XCTAssertEqual(avmnist.classes, 10)
    }

    /// The shape walk of avmnist-image-max, layer by layer (stride-2 stem 28→14, stride-2 mbconv 14→7).
    func testConvolutionsOfAvmnistImage() throws {
        let shapes = try BenchNetwork.load(Self.netsPath, named: "avmnist-image-max").convolutions()
        func conv(_ i: Int, _ o: Int, _ s: Int, _ k: Int, stride: Int = 1, groups: Int = 1, bias: Bool = false) -> ConvShape {
            ConvShape(inChannels: i, outChannels: o, height: s, width: s, kernel: k, stride: stride, groups: groups, bias: bias)
        }
        let expand7 = [conv(24, 144, 7, 1), conv(144, 144, 7, 7, groups: 144), conv(144, 24, 7, 1)]
        let expected = [conv(1, 16, 28, 3, stride: 2),
                        conv(16, 16, 14, 3, groups: 16), conv(16, 16, 14, 1),
                        conv(16, 96, 14, 1), conv(96, 96, 14, 7, stride: 2, groups: 96), conv(96, 24, 7, 1)]
            + expand7 + expand7 + expand7
            + [conv(24, 40, 7, 1), conv(40, 80, 1, 1, bias: true)]
        XCTAssertEqual(shapes, expected)
        XCTAssertEqual(shapes[4].outHeight, 7)
        XCTAssertTrue(shapes[4].isDepthwise)
        XCTAssertTrue(shapes[2].isPointwise)
        XCTAssertEqual(shapes[4].description, "dw 96×14×14 k7 s2")
    }

    /// Squeeze-and-excitation adds two 1×1 convs with bias on 1×1 images, reduced to
    /// make_divisible(mid / 4) channels; the spatial size continues unchanged afterwards.
    func testSqueezeExcitationConvolutions() throws {
        let path = try write("""
            {"_about": "x", "tiny": {"input": [3, 8, 8], "classes": 2, "batch": 4, "layers": [
              {"type": "mbconv", "in": 3, "out": 8, "k": 3, "stride": 2, "expand": 48, "act": "relu", "se": true},
              {"type": "conv", "in": 8, "out": 8, "k": 1, "stride": 1, "act": "relu"}]}}
            """)
        let shapes = try BenchNetwork.load(path, named: "tiny").convolutions()
        XCTAssertEqual(shapes.map(\.description), [
            "conv 3→144 8×8 k1 s1", "dw 144×8×8 k3 s2", "conv 144→40 1×1 k1 s1", "conv 40→144 1×1 k1 s1",
            "conv 144→8 4×4 k1 s1", "conv 8→8 4×4 k1 s1",
        ])
        XCTAssertEqual(shapes[2].bias, true)
        XCTAssertEqual(BenchNetwork.makeDivisible(24), 24)
        XCTAssertEqual(BenchNetwork.makeDivisible(36), 40)
        XCTAssertEqual(BenchNetwork.makeDivisible(3), 8)
    }

    func testBadFilesAndNamesAreReported() throws {
        XCTAssertThrowsError(try BenchNetwork.load("/nonexistent/nets.json")) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .file("/nonexistent/nets.json"))
        }
        let truncated = try write(#"{"net": {"input": [1, 2"#)
        XCTAssertThrowsError(try BenchNetwork.load(truncated)) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .file(truncated))
        }
        let unknown = try write(#"{"net": {"input": [1, 4, 4], "classes": 2, "batch": 1, "layers": [{"type": "warp"}]}}"#)
        XCTAssertThrowsError(try BenchNetwork.load(unknown)) { error in
            XCTAssertTrue("\(error)".contains("unknown type 'warp'"), "\(error)")
        }
        let missing = try write(#"{"net": {"input": [1, 4, 4], "classes": 2, "batch": 1, "layers": [{"type": "conv", "in": 1, "k": 3}]}}"#)
        XCTAssertThrowsError(try BenchNetwork.load(missing)) { error in
            XCTAssertTrue("\(error)".contains("'out'"), "\(error)")
        }
        XCTAssertThrowsError(try BenchNetwork.load(Self.netsPath, named: "no-such-net")) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .argument("--net"))
            XCTAssertTrue("\(error)".contains("avmnist-image-max"), "\(error)")
        }
    }

    /// A temporary file holding `text`, removed after the test.
    private func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-nets-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}
