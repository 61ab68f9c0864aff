/// The whole state of an outer search, as one plain `Codable` value: write it atomically after each
/// generation (e.g. `generations/NNN.json`) and a killed run resumes from it with exactly the random
/// stream it had.
///
/// The archive keeps every multimodal candidate ever evaluated, and `paretoFront` is its first front
/// (constraint domination when `--max-latency`/`--max-energy` are set): the original keeps no elites
/// across generations (pitfall 8), so the front must come from the archive, not the last population.
public struct SearchState: Equatable, Codable, Sendable {
    /// The registry name of the strategy that owns this state.
    public var strategy: String
    public var settings: SearchSettings
    /// The run's seed (informational; the stream itself is `rng`).
    public var seed: UInt64
    /// The next generation to run (0 before the first `step`).
    public var generation: Int
    /// The candidates generation `generation` evaluates (empty for strategies that draw them in `step`).
    public var population: [Candidate]
    /// Every multimodal candidate evaluated so far, in evaluation order.
    public var archive: [MultimodalResult]
    /// Indices into `archive` of its Pareto front, ascending.
    public var paretoFront: [Int]
    /// One record per finished generation.
    public var history: [GenerationRecord]
    /// The run's generator, continued by the next `step`.
    public var rng: SeededGenerator

    public init(strategy: String, settings: SearchSettings, seed: UInt64, generation: Int = 0,
                population: [Candidate] = [], archive: [MultimodalResult] = [], paretoFront: [Int] = [],
                history: [GenerationRecord] = [], rng: SeededGenerator) {
        self.strategy = strategy
        self.settings = settings
        self.seed = seed
        self.generation = generation
        self.population = population
        self.archive = archive
        self.paretoFront = paretoFront
        self.history = history
        self.rng = rng
    }

    /// True once all `settings.generations` generations have run.
    public var isFinished: Bool { generation >= settings.generations }
}

extension SearchState {
    /// Checks a state read back from disk (`--resume`) before anything indexes it: the generation within
    /// `0...settings.generations`, an archive once a generation has run, and `paretoFront` holding distinct,
    /// ascending indices into the archive (non-empty when the archive is).
    /// - Throws: `HNASError.argument` naming the field and the problem.
    public func validate() throws {
        guard (0...max(0, settings.generations)).contains(generation) else {
            throw HNASError.argument("generation", why: "\(generation) is outside 0...\(settings.generations) (evo_iter)")
        }
        guard generation == 0 || !archive.isEmpty else {
            throw HNASError.argument("archive", why: "is empty after \(generation) generation(s)")
        }
        guard paretoFront.allSatisfy({ archive.indices.contains($0) }) else {
            throw HNASError.argument("paretoFront", why: "\(paretoFront) names candidates outside the archive of \(archive.count)")
        }
        guard zip(paretoFront, paretoFront.dropFirst()).allSatisfy({ $0 < $1 }), archive.isEmpty || !paretoFront.isEmpty else {
            throw HNASError.argument("paretoFront", why: "\(paretoFront) is not a non-empty ascending list of distinct indices")
        }
        guard history.count <= generation else {
            throw HNASError.argument("history", why: "has \(history.count) records for \(generation) generation(s)")
        }
    }
}
