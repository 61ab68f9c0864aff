import HNASKit
import SearchEvolution
import XCTest

final class ParetoReportTests: XCTestCase {
    /// Worked example 1 written as a results table (acc = 100 − f1).
    private let csv = """
        id,acc,latency,energy,genotype
        a,80,5.0,8.0,"Genotype(edges=[('skip', 3)], concat=[8, 9])"
        b,85,6.0,9.0,x
        c,75,4.0,7.0,x
        d,80,6.0,9.5,x
        e,70,3.5,6.0,x
        f,82,7.0,12.0,x
        g,78,6.5,10.0,x
        h,65,5.0,9.0,x

        """

    func testReportOfWorkedExampleOne() throws {
        let table = try ResultsTable(csv: csv, source: "t.csv")
        XCTAssertEqual(table.rows[0][4], "Genotype(edges=[('skip', 3)], concat=[8, 9])")
        let report = try ParetoReport(table: table, objectives: ObjectiveSpec.searchDefaults, select: 6, reference: [0, 10, 20])
        XCTAssertEqual(report.fronts, [[1, 2, 3, 5], [4, 6, 8], [7]])
        XCTAssertEqual(report.rows[0].crowding, 0.7111, accuracy: 1e-4)
        XCTAssertEqual(Set(report.selected!), [1, 2, 3, 5, 6, 8])
        XCTAssertFalse(report.rows[3].selected)
        XCTAssertEqual(report.reference, [0, 10, 20])
        let expected = try Hypervolume.of(WorkedExamples.first.rows([0, 1, 2, 4]), reference: [100, 10, 20])
        XCTAssertEqual(report.hypervolume, expected, accuracy: 1e-9)
    }

    func testBadInputIsNamed() throws {
        func error(_ text: String, _ objectives: String = "acc:max,latency:min", select: Int? = nil) -> String {
            do {
                let table = try ResultsTable(csv: text, source: "r.csv")
                _ = try ParetoReport(table: table, objectives: try ObjectiveSpec.parseList(objectives), select: select)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(error("acc,lat\n1,2\n").contains("no column 'latency' (columns: acc, lat)"))
        XCTAssertTrue(error("acc,latency\n1,2\n3,fast\n").contains("row 2, column 'latency': 'fast' is not a number"))
        XCTAssertTrue(error("acc,latency\n1,2\nNaN,3\n").contains("row 2, column 'acc' is NaN"))
        XCTAssertTrue(error("acc,latency\n1,2\n3,4\n", select: 3).contains("--select: must be between 1 and 2 (the rows of"))
        XCTAssertTrue(error("acc,latency\n1,2\n3,4\n", select: 0).hasSuffix("got 0"))
        XCTAssertTrue(error("acc,latency\n1,2\n3\n").contains("line 3 has 1 cells"))
        XCTAssertTrue(error("acc,latency\n\"1,2\n").contains("not closed"))
        XCTAssertTrue(error("acc,latency\n1,2\n", "acc:best").contains("direction 'best'"))
        XCTAssertTrue(error("").contains("empty"))
        XCTAssertTrue(error("acc,latency\n").contains("no data rows"))
    }
}
