import XCTest
import HNASKit
import HNASSearch
@testable import hnas

/// `hnas search` bad input through the command line, and the original's YAML files.
final class SearchCommandTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    // MARK: - Bad input through the command line

    private func commandError(_ arguments: [String]) -> String {
        do {
            let command = try SearchCommand.parse(arguments)
            try command.run()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testBadInputIsAnErrorNamingTheProblem() throws {
        let folder = try temporaryFolder()
        let out = ["--out", folder.appendingPathComponent("run").path]
        XCTAssertTrue(commandError(["--data", "/nonexistent/avmnist"] + out).contains("/nonexistent/avmnist"))
        let fusion = commandError(["--fusion", "evolutionary-darts"] + out)
        XCTAssertTrue(fusion.contains("evolutionary-darts") && fusion.contains("darts") && fusion.contains("random"), fusion)
        let search = commandError(["--search", "grid"] + out)
        XCTAssertTrue(search.contains("grid") && search.contains("evolution"), search)
        XCTAssertTrue(commandError(["--hardware", "tpu"] + out).contains("tx2"))
        XCTAssertTrue(commandError(["--dataset", "cifar"] + out).contains("avmnist"))
        XCTAssertTrue(commandError(["--population", "0", "--data", "."] + out).contains("--population"))
        XCTAssertTrue(commandError(["--resume"] + out).contains("cannot resume"))
        let resumed = commandError(["--resume", "--generations", "5", "--hardware", "agx"] + out)
        XCTAssertTrue(resumed.contains("cannot combine --resume with --hardware, --generations:"), resumed)

        let yaml = folder.appendingPathComponent("bad.yml")
        try "evo_search_outer:\n  evo_iter: 2.5\n".write(to: yaml, atomically: true, encoding: .utf8)
        let iterations = commandError(["--config", yaml.path, "--data", "."] + out)
        XCTAssertTrue(iterations.contains("evo_search_outer.evo_iter") && iterations.contains(yaml.path), iterations)
        try "fusion_epochs: many\n".write(to: yaml, atomically: true, encoding: .utf8)
        XCTAssertTrue(commandError(["--config", yaml.path, "--data", "."] + out).contains("fusion_epochs"))
        try "C: 0\n".write(to: yaml, atomically: true, encoding: .utf8)
        XCTAssertTrue(commandError(["--config", yaml.path, "--data", "."] + out).contains("C: must be at least 1"))
        try "evo_search_outer: [1, 2\n".write(to: yaml, atomically: true, encoding: .utf8)
        XCTAssertTrue(commandError(["--config", yaml.path, "--data", "."] + out).contains("cannot parse"))
    }

    /// `--hardware host` prices the fusion networks on this machine: the fusion search's operators are measured
    /// on demand, so the early check lets it through (the next problem reported is the missing data folder).
    func testHostHardwareIsAcceptedWithTheFusionSearchsOperators() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run")
        let message = commandError(["--hardware", "host", "--data", "/nonexistent/avmnist", "--out", run.path])
        XCTAssertTrue(message.contains("/nonexistent/avmnist") && !message.contains("--hardware"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("config.json").path))
        let registry = makeRegistry()
        XCTAssertFalse(try registry.hardwareModels.make("host").measuresFusionOperators, "nothing to measure without a fusion search")
        XCTAssertTrue(try registry.hardwareModel("host", pricingFusionOf: try registry.fusionSearches.make("darts")).measuresFusionOperators)
    }

    /// The example YAML shipped in Examples/ gives the original's AV-MNIST budget.
    func testExampleConfigFileIsTheOriginalBudget() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/search_config_avmnist.yml")
        var config = SearchRunConfig(data: "d", weightsDir: "w")
        try config.apply(yamlFile: file.path)
        XCTAssertEqual(config.settings.parentPopulationSize, 8)
        XCTAssertEqual(config.settings.generations, 30)
        XCTAssertEqual(config.settings.outerSurvivalRatio, 0.5)
        XCTAssertEqual(config.fusionOptions.epochs, 25)
        XCTAssertEqual(config.fusionOptions.channels, 192)
        XCTAssertEqual(config.fusionOptions.learningRateMin, 1e-6)
        XCTAssertEqual(config.calibrationBatches, 64)
    }
}
