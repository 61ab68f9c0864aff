import Foundation
import HNASKit
import HNASSearch
import SearchEvolution

/// The results summary `hnas search` prints on stdout (and appends to `log.txt`): the front, its
/// hypervolume (SearchEvolution's measure) and where the files are.
extension SearchRunner {
    /// One line of the summary table: the id left-aligned, numbers right-aligned, the macro last.
    private static func row(_ cells: [String]) -> String {
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        return "  " + cells[0].padding(toLength: 12, withPad: " ", startingAt: 0)
            + zip(cells[1..<5], [8, 8, 11, 10]).map { pad($0.0, $0.1) }.joined(separator: " ") + "  " + cells[5]
    }

    /// The hypervolume reference of a summary: 100 % error and 110 % of the worst latency and energy evaluated.
    static func reference(_ state: SearchState) -> [Double] {
        let costs = state.archive.map(\.cost)
        var reference = [100, 1.1 * (costs.map(\.latencyMs).max() ?? 0)]
        if costs.allSatisfy({ $0.energyMJ != nil }) { reference.append(1.1 * (costs.compactMap(\.energyMJ).max() ?? 0)) }
        return reference
    }

    /// The results summary printed on stdout: the front, its hypervolume and where the files are.
    func summary(_ state: SearchState) throws -> String {
        let reference = Self.reference(state)
        let hypervolume = try state.frontHypervolume(reference: reference)
        var lines = ["Pareto front after \(state.generation) generation(s), \(state.archive.count) evaluated candidates "
                     + "(\(config.search) search, \(config.fusion) fusion, \(config.hardware), protocol \(config.fusionOptions.fusionProtocol.rawValue)):",
                     Self.row(["id", "acc %", "test %", "latency ms", "energy mJ", "macro"])]
        for result in state.paretoFront.map({ state.archive[$0] }).sorted(by: { $0.cost.latencyMs < $1.cost.latencyMs }) {
            lines.append(Self.row([result.id, String(format: "%.2f", result.accuracy),
                                   result.fusion.testAccuracy.map { String(format: "%.2f", $0) } ?? "-",
                                   String(format: "%.3f", result.cost.latencyMs),
                                   result.cost.energyMJ.map { String(format: "%.3f", $0) } ?? "-", result.macro.description]))
        }
        lines.append(String(format: "hypervolume %.6g (reference: error %.0f %%, latency %.4g ms%@)", hypervolume, reference[0], reference[1],
                            reference.count > 2 ? String(format: ", energy %.4g mJ", reference[2]) : ""))
        lines.append(String(format: "time: supernet training %@, unimodal evaluation %@, fusion features %@, fusion searches %@",
                            Self.duration(supernetSeconds), Self.duration(timings.unimodal), Self.duration(timings.features),
                            Self.duration(timings.fusion)))
        lines.append("results: \(directory.root.path)/{pareto.csv, pareto.svg, best/, generations/, log.txt}")
        return lines.joined(separator: "\n")
    }
}
