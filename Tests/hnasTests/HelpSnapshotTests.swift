import ArgumentParser
import Foundation
import XCTest
@testable import hnas

/// The help text of every subcommand, nested ones included (`hnas lut profile`, `hnas data check`, …),
/// rendered at 100 columns and compared with its snapshot in `Tests/hnasTests/Fixtures/help/`
/// (`hnas.txt` for the root, `lut.txt`, `lut/profile.txt`, …), so a changed help text is a reviewed
/// diff. After changing a command's help, re-record the snapshots and review `git diff`:
///
///     HNAS_RECORD_HELP=1 swift test --disable-swift-testing --filter HelpSnapshotTests
final class HelpSnapshotTests: XCTestCase {
    /// The folder of the snapshots.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/help")
    /// Set (to anything) to write the snapshots instead of comparing with them.
    static let recordVariable = "HNAS_RECORD_HELP"
    static let columns = 100

    /// Every command below `root` with its path of command names (the root's path is empty), depth first.
    static func commands(below root: ParsableCommand.Type, path: [String] = []) -> [(path: [String], command: ParsableCommand.Type)] {
        [(path, root)] + root.configuration.subcommands.flatMap { sub in
            commands(below: sub, path: path + [sub.configuration.commandName ?? "\(sub)"])
        }
    }

    /// The snapshot file of a command path.
    static func snapshot(_ path: [String]) -> URL {
        path.isEmpty ? folder.appendingPathComponent("hnas.txt")
            : folder.appendingPathComponent(path.joined(separator: "/") + ".txt")
    }

    func testEveryHelpTextMatchesItsSnapshot() throws {
        let record = ProcessInfo.processInfo.environment[Self.recordVariable] != nil
        let all = Self.commands(below: HNAS.self)
        XCTAssertGreaterThan(all.count, 30, "every nested subcommand is visited")
        for (path, command) in all {
            let text = HNAS.helpMessage(for: command, columns: Self.columns)
            let url = Self.snapshot(path)
            if record {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .atomic)
                continue
            }
            let name = (["hnas"] + path).joined(separator: " ")
            guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
                XCTFail("no help snapshot for `\(name)` at \(url.path); record with \(Self.recordVariable)=1")
                continue
            }
            XCTAssertEqual(text, expected, "`\(name) --help` differs from \(url.path); if intended, re-record with \(Self.recordVariable)=1 and review the diff")
        }
    }

    /// A snapshot without a command (renamed or removed) fails too, so the folder stays exact.
    func testEverySnapshotHasACommand() throws {
        let expected = Set(Self.commands(below: HNAS.self).map { Self.snapshot($0.path).standardizedFileURL.path })
        let enumerator = FileManager.default.enumerator(at: Self.folder, includingPropertiesForKeys: nil)
        var found = Set<String>()
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "txt" { found.insert(url.standardizedFileURL.path) }
        }
        XCTAssertEqual(found.subtracting(expected).sorted(), [], "stale help snapshots; delete them or re-record")
    }
}
