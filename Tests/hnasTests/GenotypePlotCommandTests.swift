import Foundation
import XCTest

/// `hnas genotype plot` with and without Graphviz, on a PATH the test controls (a folder with no `dot`, or a `dot`
/// script standing in for Graphviz): the DOT source falls back to `<out>.dot`, `<out>` itself must be a destination
/// `AtomicFile` accepts, and what is printed or reported is one line.
final class GenotypePlotCommandTests: XCTestCase {
    private static let genotype = HNASProcess.root.appendingPathComponent("Tests/hnasTests/Fixtures/bad-inputs/genotype/good.json").path

    /// A folder for PATH holding a `dot` shell script with `body` (no `dot` when nil).
    private func path(dot body: String?) throws -> String {
        let bin = try HNASProcess.temporaryFolder(for: self)
        if let body {
            let dot = bin.appendingPathComponent("dot")
            try Data("#!/bin/sh\n\(body)\n".utf8).write(to: dot)
            XCTAssertEqual(chmod(dot.path, 0o755), 0)
        }
        return bin.path
    }

    private func plot(_ out: String, path: String) throws -> HNASRun {
        try HNASProcess.run(["genotype", "plot", Self.genotype, "--out", out], environment: ["PATH": path])
    }

    func testWithoutGraphvizTheSourceGoesToOutDotAndTheOutputMustStillBeARegularFile() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let noDot = try path(dot: nil)
        let out = folder.appendingPathComponent("g.svg").path
        let run = try plot(out, path: noDot)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines, ["Graphviz 'dot' is not installed, so nothing was rendered: wrote the DOT source to \(out).dot"])
        XCTAssertTrue(try String(contentsOfFile: out + ".dot", encoding: .utf8).hasPrefix("digraph"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["g.svg.dot"])

        // A device, a FIFO, a link to a device or a folder as the output is refused before `<out>.dot` is written.
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.svg").path, 0o644), 0)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.svg").path, withDestinationPath: "/dev/null")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub.svg"), withIntermediateDirectories: false)
        for (name, kind) in [("pipe.svg", "a FIFO"), ("link.svg", "a symbolic link to a character device"), ("sub.svg", "a folder")] {
            let refused = folder.appendingPathComponent(name).path
            assertOneErrorLine(try plot(refused, path: noDot), containing: ["cannot write '\(refused)': it is \(kind)"])
        }
        assertOneErrorLine(try plot("/dev/null", path: noDot), containing: ["'/dev/null': it is a character device"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/null.dot"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["g.svg.dot", "link.svg", "pipe.svg", "sub.svg"])

        // A link to a regular file is written through, as by every writer: the link stays, its target gets the graph.
        let target = folder.appendingPathComponent("target.dot")
        try Data("old".utf8).write(to: target)
        let link = folder.appendingPathComponent("link.dot").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        XCTAssertEqual(try plot(link, path: noDot).lines, ["wrote \(link)"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target.path)
        XCTAssertTrue(try String(contentsOf: target, encoding: .utf8).hasPrefix("digraph"))
    }

    func testGraphvizRendersTheOutputAndItsErrorsAreOneLine() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let out = folder.appendingPathComponent("g.svg").path
        let rendered = try plot(out, path: try path(dot: "[ \"$1\" = -Tsvg ] || exit 3\n/bin/cat > /dev/null\nprintf '<svg/>'"))
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertEqual(rendered.lines, ["wrote \(out)"])
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "<svg/>")

        let failing = try path(dot: "/bin/cat > /dev/null\necho 'Error: <stdin>: syntax error in line 1' >&2\necho '' >&2\necho '  near a' >&2\nexit 1")
        let broken = folder.appendingPathComponent("broken.png").path
        assertOneErrorLine(try plot(broken, path: failing),
                           containing: ["cannot render with Graphviz '\(broken)': Error: <stdin>: syntax error in line 1 / near a"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: broken))
    }
}
