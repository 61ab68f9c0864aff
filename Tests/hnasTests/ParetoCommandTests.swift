import Foundation
import XCTest

/// `hnas pareto` on a five-row table whose fronts, crowding distances, survivors and hypervolume are
/// worked out by hand below.
final class ParetoCommandTests: XCTestCase {
    /// acc is maximised, latency minimised. Front 0 = rows 1, 2, 4 (none dominates another); row 5
    /// (0.80, 8) is dominated by row 2 (0.80, 5) only, so it is front 1; row 3 (0.70, 20) is dominated
    /// by row 5 too, so it is front 2. In front 0 rows 2 and 4 are the extremes of both objectives
    /// (crowding inf); row 1's neighbours span the whole range on both, so its distance is
    /// (0.15/0.15 + 25/25) / 2 = 1. Selecting 2 keeps the two extremes.
    /// Hypervolume against (acc 0.5, latency 40): slices of latency [5,10) × 0.3 + [10,30) × 0.4 +
    /// [30,40) × 0.45 = 1.5 + 8 + 4.5 = 14.
    private let csv = """
        name,acc,latency,energy
        a,0.90,10,1
        b,0.80,5,1
        c,0.70,20,1
        d,0.95,30,1
        e,0.80,8,1

        """

    private func write(_ text: String) throws -> String {
        let url = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("results.csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testTextReportGivesFrontsCrowdingSurvivorsAndHypervolume() throws {
        let file = try write(csv)
        let run = try HNASProcess.run(["pareto", file, "--objectives", "acc:max,latency:min", "--select", "2", "--hv-ref", "0.5,40"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(Array(run.lines.prefix(7)), [
            "objectives: acc:max, latency:min",
            "row\tfront\tcrowding\tselected",
            "1\t0\t1\t",
            "2\t0\tinf\t*",
            "3\t2\tinf\t",
            "4\t0\tinf\t*",
            "5\t1\tinf\t",
        ], run.stdout)
        XCTAssertTrue(run.lines.contains("fronts: 3 (sizes 3, 1, 1)"), run.stdout)
        XCTAssertTrue(run.lines.contains("front 0: 1 2 4"), run.stdout)
        XCTAssertTrue(run.lines.contains { $0.hasPrefix("selected (2, survival order): ") && Set($0.split(separator: ":")[1].split(separator: " ")) == ["2", "4"] }, run.stdout)
        let hypervolume = try XCTUnwrap(run.lines.first { $0.hasPrefix("hypervolume: ") })
        let value = try XCTUnwrap(Double(hypervolume.dropFirst("hypervolume: ".count).split(separator: " ")[0]))
        XCTAssertEqual(value, 14, accuracy: 1e-9)
    }

    func testJSONReportParsesAndAgreesWithTheText() throws {
        let file = try write(csv)
        let run = try HNASProcess.run(["pareto", file, "--objectives", "acc:max,latency:min", "--select", "2", "--hv-ref", "0.5,40", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["fronts"] as? [[Int]], [[1, 2, 4], [5], [3]])
        XCTAssertEqual(Set(object["selected"] as? [Int] ?? []), [2, 4])
        XCTAssertEqual(object["hypervolume"] as? Double ?? .nan, 14, accuracy: 1e-9)
        XCTAssertEqual(object["reference"] as? [Double], [0.5, 40])
    }

    func testDefaultObjectivesNeedTheEnergyColumn() throws {
        let file = try write("acc,latency\n0.9,10\n")
        let run = try HNASProcess.run(["pareto", file])
        assertOneErrorLine(run, containing: ["missing column in '\(file)'", "energy"])
    }

    func testABadCellNamesItsRowAndColumn() throws {
        let file = try write("name,acc,latency\na,0.9,10\nb,0.8,fast\n")
        let run = try HNASProcess.run(["pareto", file, "--objectives", "acc:max,latency:min"])
        assertOneErrorLine(run, containing: ["bad value in '\(file)': row 2, column 'latency': 'fast' is not a number"])
    }

    func testARowWithTooFewFieldsIsRejected() throws {
        let file = try write("name,acc,latency\na,0.9,10\nb,0.8\n")
        let run = try HNASProcess.run(["pareto", file, "--objectives", "acc:max,latency:min"])
        assertOneErrorLine(run, containing: ["cannot read CSV '\(file)': line 3 has 2 cells, the header has 3"])
    }

    func testAMissingFileIsNamed() throws {
        let run = try HNASProcess.run(["pareto", "no/such/results.csv"])
        assertOneErrorLine(run, containing: ["error: cannot read 'no/such/results.csv': No such file or directory"])
    }

    func testAFolderOrNonUTF8FileIsRejectedWithTheReason() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        assertOneErrorLine(try HNASProcess.run(["pareto", folder.path]),
                           containing: ["error: cannot read '\(folder.path)': Is a directory"])
        let file = folder.appendingPathComponent("latin1.csv")
        try Data([0x61, 0x63, 0x63, 0x0A, 0xE9, 0x0A]).write(to: file)
        assertOneErrorLine(try HNASProcess.run(["pareto", file.path]),
                           containing: ["error: cannot read '\(file.path)': the file is not valid UTF-8 text"])
    }
}
