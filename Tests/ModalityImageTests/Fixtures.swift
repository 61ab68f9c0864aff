import Foundation
import XCTest

/// The committed fixtures of `Scripts/make_image_fixtures.py` (Pillow 13 / PyTorch 2.13 references).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try data(name)) }

    /// A little-endian float32 file.
    static func floats(_ name: String) throws -> [Float] {
        let raw = try data(name)
        return raw.withUnsafeBytes { buffer in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    static let manifest: Manifest = {
        do {
            return try JSONDecoder().decode(Manifest.self, from: data("manifest.json"))
        } catch {
            fatalError("cannot read Fixtures/manifest.json: \(error)")
        }
    }()

    struct Manifest: Decodable {
        let gray: [Gray]
        let decode: [Decode]
        let resize: [Resize]
        let pipeline: [Pipeline]
        let bilinear: [Bilinear]
        let broken: [Broken]
    }

    struct Gray: Decodable { let file: String, expected: String }
    struct Decode: Decodable { let file: String, width: Int, height: Int, channels: Int, expected: String, tolerance: Int }
    struct Resize: Decodable { let source: String, width: Int, height: Int, filter: String, expected: String }
    struct Pipeline: Decodable { let file: String, dataset: String, size: Int?, shape: [Int], expected: String }
    struct Bilinear: Decodable { let file: String, height: Int, width: Int, shape: [Int], expected: String, unrounded: String }
    struct Broken: Decodable { let file: String, reason: String }
}

/// Largest absolute difference between two equally long sample arrays.
func maxDifference<T: BinaryInteger>(_ a: [T], _ b: [T]) -> Int {
    zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
