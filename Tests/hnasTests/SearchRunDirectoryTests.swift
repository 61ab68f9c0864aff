import Foundation
import XCTest
import HNASKit
@testable import HNASSearch

/// The run directory's ownership rules: a marker written first, foreign folders refused, only hnas's own
/// `best/<id>` folders removed, temporary files of a killed run cleared when it is opened again.
final class SearchRunDirectoryTests: XCTestCase {
    func testOnlyEmptyOrMarkedFoldersAreUsedAndTheMarkerComesFirst() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let fresh = SearchRunDirectory(root: folder.appendingPathComponent("new"))
        try fresh.claim(resumed: false)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fresh.root.path), [".hnas-run"])

        let foreign = SearchRunDirectory(root: folder.appendingPathComponent("foreign"))
        try FileManager.default.createDirectory(at: foreign.root, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: foreign.configURL)
        XCTAssertThrowsError(try foreign.claim(resumed: false)) {
            XCTAssertTrue("\($0)".contains("no .hnas-run marker"), "\($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: foreign.root.path), ["config.json"])
    }

    func testStaleTemporaryFilesAreRemovedWhenARunIsOpened() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let run = SearchRunDirectory(root: folder)
        try run.claim(resumed: false)
        try FileManager.default.createDirectory(at: run.generationsURL, withIntermediateDirectories: true)
        try Data().write(to: run.generationsURL.appendingPathComponent(".003.json.hnas-tmp"))
        try run.claim(resumed: true)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: run.generationsURL.path), [])
    }

    func testOnlyBestFoldersHNASWroteCountAsItsOwn() throws {
        let best = try HNASProcess.temporaryFolder(for: self)
        func folder(_ name: String, _ files: [String]) throws -> URL {
            let url = best.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for file in files { try Data().write(to: url.appendingPathComponent(file)) }
            return url
        }
        XCTAssertTrue(SearchRunDirectory.isOwnBestFolder(try folder("evo_1_2", ["arch.json", "fusion.dot", "result.json", "image.safetensors"])))
        XCTAssertFalse(SearchRunDirectory.isOwnBestFolder(try folder("evo_1_3", ["arch.json", "result.json", "notes.txt"])))
        XCTAssertFalse(SearchRunDirectory.isOwnBestFolder(try folder("mine", ["arch.json"])))
        try Data().write(to: best.appendingPathComponent("README"))
        XCTAssertFalse(SearchRunDirectory.isOwnBestFolder(best.appendingPathComponent("README")))
    }
}
