import XCTest

/// `hnas plugins`: the stock plugins, one `kind  name  summary` line each.
final class PluginsCommandTests: XCTestCase {
    func testTheStockPluginsAreListedByKind() throws {
        let run = try HNASProcess.run(["plugins"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        let rows = run.lines.map { line in line.split(separator: " ", maxSplits: 2).map(String.init) }
        XCTAssertTrue(rows.allSatisfy { $0.count == 3 }, run.stdout)
        let names = Dictionary(grouping: rows, by: { $0[0] }).mapValues { Set($0.map { $0[1] }) }
        XCTAssertEqual(names["modality"], ["image", "audio", "text"])
        XCTAssertTrue(names["search"]?.isSuperset(of: ["evolution", "random"]) ?? false, run.stdout)
        XCTAssertEqual(names["hardware"], ["tx2", "agx", "host"])
        let backbones = names["backbone"] ?? []
        XCTAssertTrue(backbones.isSuperset(of: ["ofa-mbv3-avmnist-image", "ofa-mbv3-avmnist-audio"]), run.stdout)
        // Grouped by kind, as the registry lists them.
        let kinds = rows.map { $0[0] }
        XCTAssertEqual(kinds, kinds.enumerated().sorted { (a, b) in
            (kinds.firstIndex(of: a.element)!, a.offset) < (kinds.firstIndex(of: b.element)!, b.offset)
        }.map(\.element))
    }

    func testColumnsAreAligned() throws {
        let run = try HNASProcess.run(["plugins"])
        let summaryColumns = Set(run.lines.map { line -> Int in
            let fields = line.split(separator: " ")   // kind, name, then the summary's words
            let name = line.range(of: String(fields[1]))!
            let summary = line.range(of: String(fields[2]), range: name.upperBound..<line.endIndex)!
            return line.distance(from: line.startIndex, to: summary.lowerBound)
        })
        XCTAssertEqual(summaryColumns.count, 1, run.stdout)
    }
}
