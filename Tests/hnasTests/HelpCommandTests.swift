import XCTest
@testable import hnas

/// `hnas --help`: every subcommand of `HNAS.configuration` is listed, with an example section.
final class HelpCommandTests: XCTestCase {
    func testHelpListsEverySubcommand() throws {
        let run = try HNASProcess.run(["--help"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let names = HNAS.configuration.subcommands.map { $0.configuration.commandName ?? "" }
        XCTAssertTrue(Set(names).isSuperset(of: ["version", "plugins", "lut", "features", "pareto", "data", "tokenize", "bench"]), "\(names)")
        // One section per group ("SEARCH SUBCOMMANDS:", …, "TOOLS SUBCOMMANDS:").
        var listed = Set<String>(), inSection = false
        for line in run.lines {
            if line.hasSuffix("SUBCOMMANDS:") { inSection = true; continue }
            if line.isEmpty { inSection = false; continue }
            // wrapped abstracts are indented further
            if inSection, line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first { listed.insert(String(name)) }
        }
        XCTAssertEqual(listed, Set(names), run.stdout)
        XCTAssertEqual(run.lines.filter { $0.hasSuffix("SUBCOMMANDS:") },
                       ["SEARCH SUBCOMMANDS:", "EVALUATE SUBCOMMANDS:", "DEPLOY SUBCOMMANDS:", "DATA SUBCOMMANDS:", "HARDWARE SUBCOMMANDS:",
                        "TOOLS SUBCOMMANDS:"])
        XCTAssertTrue(run.stdout.contains("hnas plugins"), run.stdout)
    }

    func testEverySubcommandsHelpHasAnExample() throws {
        for command in HNAS.configuration.subcommands {
            let name = command.configuration.commandName ?? ""
            let run = try HNASProcess.run(["help", name])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            XCTAssertTrue(run.stdout.contains("Example"), "hnas help \(name):\n\(run.stdout)")
        }
    }
}
