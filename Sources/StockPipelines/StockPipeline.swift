import Foundation
import HNASKit

/// The default budget of the stock pipelines' searches: sized so that a search on a small sample (the
/// embedded AV-MNIST sample, 1 050 training samples) finishes on 2 cores in minutes. `--config` with the
/// original's YAML restores its budget (P 8, 30 generations, 25 fusion epochs).
public enum StockBudget {
    public static let sample = SearchBudget(population: 8, generations: 4, fusionEpochs: 4, supernetEpochs: 20, fixedEpochs: 10)
}
