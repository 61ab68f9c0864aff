import XCTest
@testable import hnas

/// `hnas --help`: every subcommand of `HNAS.configuration` is listed, with an example section.
final class HelpCommandTests: XCTestCase {
    func testHelpListsEverySubcommand() throws {
        let run = try HNASProcess.run(["--help"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let names = HNAS.configuration.subcommands.map { $0.configuration.commandName ?? "" }
        XCTAssertTrue(Set(names).isSuperset(of: ["version", "plugins", "lut", "features", "pareto", "data", "tokenize", "bench"]), "\(names)")
        let listed = Set(run.lines.drop { $0 != "SUBCOMMANDS:" }.dropFirst()
            .prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }   // wrapped abstracts are indented further
            .compactMap { $0.split(separator: " ").first.map(String.init) })
        XCTAssertEqual(listed, Set(names), run.stdout)
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
