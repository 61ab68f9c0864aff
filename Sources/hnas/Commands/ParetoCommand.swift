import ArgumentParser
import Dispatch
import Foundation
import HNASKit
import SearchEvolution

/// `hnas pareto FILE.csv`: fronts, crowding distances, rank-and-crowding survivors and hypervolume of any
/// results table, with the same NSGA-II code the search uses; `--benchmark R` times sorting + crowding.
struct ParetoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Non-dominated fronts, crowding distances, NSGA-II survivors and hypervolume of a results CSV.",
        discussion: """
            Objectives are columns with a direction (max or min). Fronts and crowding distances follow \
            pymoo 0.4's rank-and-crowding survival, as the original Harmonic-NAS uses; --select K picks \
            K survivors (ties broken with --seed). The hypervolume is exact; its default reference is, \
            per objective, the worst value plus 10% of the range (write a reference starting with a \
            minus sign as --hv-ref=-5,10). Rows are numbered from 1 (the first line after the header).

            Examples:
              hnas pareto run/pareto.csv
              hnas pareto results.csv --objectives acc:max,latency:min --select 4 --hv-ref 0,50
              hnas pareto points.csv --objectives f1,f2,f3 --benchmark 5
            """
    )

    @Argument(help: "A CSV file with a header line.")
    var file: String

    @Option(help: "Objective columns as COLUMN:max|min, comma-separated.")
    var objectives = "acc:max,latency:min,energy:min"

    @Option(help: "Number of rows to keep by rank-and-crowding survival.")
    var select: Int?

    @Option(name: .customLong("hv-ref"), help: "Hypervolume reference point, one comma-separated value per objective (table units).")
    var hvRef: String?

    @Option(help: "Seed of the survival's tie-breaking.")
    var seed: UInt64 = 0

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Instead of a report, time non-dominated sorting + crowding of all fronts this many times.")
    var benchmark: Int?

    func run() throws {
        let data = try FileContents.read(URL(fileURLWithPath: file), "cannot read", path: file)
        guard let text = String(data: data, encoding: .utf8) else {
            throw HNASError.file(file, "cannot read", why: "the file is not valid UTF-8 text")
        }
        let table = try ResultsTable(csv: text, source: file)
        let specs = try ObjectiveSpec.parseList(objectives)
        if let repeats = benchmark {
            try ArgumentRange.check(repeats, ArgumentRange.repeats, "--benchmark")
            try runBenchmark(try table.objectiveMatrix(specs), repeats: repeats)
            return
        }
        let reference = try hvRef.map { text in
            try text.split(separator: ",").map { item -> Double in
                guard let value = Double(item.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw HNASError.argument("--hv-ref", why: "'\(item)' is not a finite number")
                }
                return value
            }
        }
        let report = try ParetoReport(table: table, objectives: specs, select: select, reference: reference, seed: seed)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            printText(report)
        }
    }

    private func printText(_ report: ParetoReport) {
        print("objectives: \(report.objectives.joined(separator: ", "))")
        print("row\tfront\tcrowding\tselected")
        for row in report.rows {
            let crowding = row.crowding.isInfinite ? "inf" : String(format: "%.6g", row.crowding)
            print("\(row.row)\t\(row.front)\t\(crowding)\t\(row.selected ? "*" : "")")
        }
        print("fronts: \(report.fronts.count) (sizes \(report.fronts.map { String($0.count) }.joined(separator: ", ")))")
        print("front 0: \(report.fronts[0].map(String.init).joined(separator: " "))")
        if let selected = report.selected {
            print("selected (\(selected.count), survival order): \(selected.map(String.init).joined(separator: " "))")
        }
        let reference = zip(report.objectives, report.reference).map { "\($0)=\($1)" }.joined(separator: " ")
        print("hypervolume: \(report.hypervolume) (reference \(reference))")
    }

    private func runBenchmark(_ points: ObjectiveMatrix, repeats: Int) throws {
        var total: [Double] = [], sorting: [Double] = []
        var frontCount = 0
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            let fronts = NonDominatedSorting.fronts(points)
            let sorted = DispatchTime.now().uptimeNanoseconds
            var checksum = 0.0
            for front in fronts { checksum += CrowdingDistance.of(points, front: front).reduce(0) { $1.isFinite ? $0 + $1 : $0 } }
            let end = DispatchTime.now().uptimeNanoseconds
            total.append(Double(end - start) / 1e9)
            sorting.append(Double(sorted - start) / 1e9)
            frontCount = fronts.count
            precondition(checksum.isFinite)
        }
        total.sort()
        sorting.sort()
        print("nsga2 benchmark: points=\(points.count) objectives=\(points.dimension) fronts=\(frontCount) repeats=\(repeats) "
              + "median_s=\(total[repeats / 2]) min_s=\(total[0]) sorting_median_s=\(sorting[repeats / 2])")
    }
}
