import Foundation
import XCTest

/// `hnas lut estimate` on every architecture of `Examples/`, checked against the raw bundled tables
/// (`Sources/HardwareTX2/Resources/lut_*.json`) rather than against the code that reads them.
final class LutEstimateCommandTests: XCTestCase {
    private struct Estimate: Decodable {
        struct Cost: Decodable {
            let latencyMs: Double
            let energyMJ: Double?
        }
        struct Row: Decodable {
            let key: String
            let cost: Cost
            let predicted: Bool
        }
        struct Section: Decodable {
            let title: String
            let rows: [Row]
            let total: Cost
        }
        let dataset: String
        let device: String
        let sections: [Section]
        let total: Cost
    }

    /// The file name part of each dataset's backbone table.
    private let tableNames = ["avmnist": "mnist", "mmimdb": "imdb", "memes": "memes"]

    /// key → (latency, energy) of one bundled table (values are numbers or numeric strings).
    private func table(_ name: String) throws -> [String: (Double, Double)] {
        let url = HNASProcess.root.appendingPathComponent("Sources/HardwareTX2/Resources/\(name).json")
        let raw = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [String: Any]], name)
        func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue ?? (value as? String).flatMap(Double.init) }
        let parsed = raw.compactMapValues { entry -> (Double, Double)? in
            guard let lat = number(entry["lat"]), let enrg = number(entry["enrg"]) else { return nil }
            return (lat, enrg)
        }
        XCTAssertEqual(parsed.count, raw.count, "\(name): entries without numeric lat/enrg")
        return parsed
    }

    private func examples() throws -> [(path: String, dataset: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: HNASProcess.root.appendingPathComponent("Examples").path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        return names.map { ("Examples/\($0)", String($0.prefix { $0 != "-" })) }
    }

    func testEveryExampleOnBothBoardsMatchesTheBundledTables() throws {
        for device in ["tx2", "agx"] {
            let fusion = try table("lut_fusion_\(device)")
            for (path, dataset) in try examples() {
                let backbone = try table("lut_ofa_\(try XCTUnwrap(tableNames[dataset]))_\(device)")
                let run = try HNASProcess.run(["lut", "estimate", "--device", device, "--dataset", dataset, "--arch", path, "--json"])
                XCTAssertEqual(run.status, 0, "\(path): \(run.stderr)")
                let estimate = try JSONDecoder().decode(Estimate.self, from: Data(run.stdout.utf8))
                XCTAssertEqual(estimate.dataset, dataset)
                XCTAssertEqual(estimate.device, device)
                var latency = 0.0, energy = 0.0
                for section in estimate.sections {
                    XCTAssertFalse(section.rows.isEmpty, "\(path) \(section.title)")
                    for row in section.rows where !row.predicted {
                        let measured = try XCTUnwrap(backbone[row.key] ?? fusion[row.key], "\(path): \(row.key) not in the \(device) tables")
                        XCTAssertEqual(row.cost.latencyMs, measured.0, accuracy: 1e-9, row.key)
                        XCTAssertEqual(row.cost.energyMJ ?? .nan, measured.1, accuracy: 1e-9, row.key)
                    }
                    XCTAssertEqual(section.total.latencyMs, section.rows.reduce(0) { $0 + $1.cost.latencyMs }, accuracy: 1e-9)
                    latency += section.total.latencyMs
                    energy += section.total.energyMJ ?? .nan
                }
                XCTAssertEqual(estimate.total.latencyMs, latency, accuracy: 1e-9, path)
                XCTAssertEqual(estimate.total.energyMJ ?? .nan, energy, accuracy: 1e-9, path)

                let text = try HNASProcess.run(["lut", "estimate", "--device", device, "--dataset", dataset, "--arch", path])
                XCTAssertEqual(text.status, 0, text.stderr)
                let total = text.lines.first { $0.hasPrefix("TOTAL") }?.split(separator: " ").map(String.init)
                XCTAssertEqual(total, ["TOTAL", String(format: "%.4f", latency), String(format: "%.4f", energy)], "\(path) on \(device)")
            }
        }
    }

    func testAnArchitectureWithoutFusionSaysSo() throws {
        let run = try HNASProcess.run(["lut", "estimate", "--device", "tx2", "--dataset", "avmnist", "--arch", "Examples/avmnist-best-3.json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines.first, "Examples/avmnist-best-3.json on the NVIDIA Jetson TX2, dataset avmnist")
        XCTAssertEqual(run.lines.last, "note: no fusion genotype given: the fusion network is not counted")
    }

    func testAnUnknownDeviceListsTheValidOnes() throws {
        let run = try HNASProcess.run(["lut", "estimate", "--device", "nano", "--dataset", "avmnist", "--arch", "Examples/avmnist-best-3.json"])
        assertOneErrorLine(run, containing: ["error: invalid value for --device: 'nano' is not a known device (valid: tx2, agx, host)"])
    }

    func testAnUnknownDatasetListsTheValidOnes() throws {
        let run = try HNASProcess.run(["lut", "estimate", "--device", "agx", "--dataset", "cifar", "--arch", "Examples/avmnist-best-3.json"])
        assertOneErrorLine(run, containing: ["--dataset", "'cifar'", "(known: avmnist, mmimdb, memes)"])
    }

    func testAMissingArchitectureFileIsNamed() throws {
        let run = try HNASProcess.run(["lut", "estimate", "--device", "tx2", "--dataset", "avmnist", "--arch", "no/such/arch.json"])
        assertOneErrorLine(run, containing: ["error: cannot read architecture 'no/such/arch.json': No such file or directory"])
    }
}
