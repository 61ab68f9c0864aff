import Foundation
import XCTest
@testable import HNASKit

/// A test modality: a file holding a decimal number decodes to `shape` filled with that number;
/// anything else throws an `HNASError` naming the file. Counts its calls (thread-safe).
final class FakeModality: Modality, @unchecked Sendable {
    let name: String
    let shape: [Int]
    private let lock = NSLock()
    private var calls = 0

    init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    var callCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return calls
    }

    func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        lock.lock()
        calls += 1
        lock.unlock()
        guard let text = try? String(contentsOf: url, encoding: .utf8),
              let value = Float(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HNASError.file(url.path, "cannot decode fake \(name)", why: "not a number")
        }
        return try Tensor(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }
}

/// A fresh temporary folder removed when the test ends.
func makeTemporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `contents` to `root/path`, creating folders. Plain stdio: Foundation's `createFile` is an
/// order of magnitude slower on loaded machines, and tests write thousands of tiny files.
func writeFile(_ root: URL, _ path: String, _ contents: String) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    writeSmallFile(url.path, contents)
}

/// Writes `contents` to `path` (whose folder exists) with stdio.
func writeSmallFile(_ path: String, _ contents: String) {
    guard let file = fopen(path, "w") else { preconditionFailure("cannot create test file \(path)") }
    fputs(contents, file)
    fclose(file)
}
