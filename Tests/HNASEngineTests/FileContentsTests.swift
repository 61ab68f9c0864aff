import Foundation
import HNASEngine
import XCTest

/// `FileContents`: whole-file reads whose errors carry the system's short reason.
final class FileContentsTests: XCTestCase {
    func testReadsTheBytes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-fc-\(UUID().uuidString)")
        try Data([1, 2, 3]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertEqual(try FileContents.read(url, "cannot read test file"), Data([1, 2, 3]))
    }

    func testAMissingFileSaysSo() {
        XCTAssertThrowsError(try FileContents.read(URL(fileURLWithPath: "/nonexistent/x.npy"), "cannot read NPY file")) { error in
            XCTAssertEqual(error as? HNASError, HNASError.file("/nonexistent/x.npy", "cannot read NPY file", why: "No such file or directory"))
        }
    }

    func testAFolderSaysSoAndKeepsTheGivenPath() {
        let folder = FileManager.default.temporaryDirectory
        XCTAssertThrowsError(try FileContents.read(folder, "cannot read image", path: "tmp")) { error in
            XCTAssertEqual("\(error)", "cannot read image 'tmp': Is a directory")
        }
    }

    func testAnErrorWithoutAPOSIXCauseKeepsItsDescription() {
        struct Custom: Error, LocalizedError { var errorDescription: String? { "custom reason" } }
        XCTAssertEqual(FileContents.reason(Custom()), "custom reason")
    }
}
