/// How to draw a config from a search space: uniformly at random, or the smallest / largest subnet.
public enum SampleKind: String, CaseIterable, Codable, Sendable {
    case random, min, max
}

/// A weight-sharing supernet for one modality, seen from the search: its space of subnet configs,
/// the genetic operators on them, and the hardware description of a subnet.
///
/// The tensor-level part (activate a config, forward to logits and fusion features, recalibrate
/// BatchNorm, extract a static subnet) is added by the supernet module on top of this.
public protocol Backbone {
    /// The registry name, e.g. `"ofa-mbv3-avmnist-image"`.
    var name: String { get }
    /// Gene names in the order the original draws and crosses them (OFA: `ks`, `e`, `d`).
    var geneOrder: [String] { get }
    /// For each gene, the allowed values at each position (sorted ascending), e.g. `ks` → [[3,5,7], [3,5,7], …].
    var searchSpace: [String: [[Int]]] { get }
    /// The layers of the subnet `config`, in execution order, for hardware cost look-up.
    func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor]
    /// A network of this backbone with fresh weights (initialised from `seed`): trained, or loaded with
    /// trained weights, by the search. The default throws: a backbone seen only as a search space (tests,
    /// tables) has no network.
    /// - Throws: `HNASError` naming the backbone when it has no network.
    func makeNetwork(seed: UInt64) throws -> any BackboneNetwork
}

extension Backbone {
    public func makeNetwork(seed: UInt64) throws -> any BackboneNetwork {
        throw HNASError.argument("backbone \(name)", why: "it is a search space only, with no network to train or load")
    }
}

extension Backbone {
    /// Checks `config` against the search space.
    /// - Throws: `HNASError` naming the gene, the position, the value and the allowed set.
    public func validate(_ config: BackboneConfig) throws {
        for gene in geneOrder {
            guard let space = searchSpace[gene] else { continue }
            guard let values = config[gene] else {
                throw HNASError.argument("\(name) config", why: "gene '\(gene)' is missing (expected \(space.count) values)")
            }
            guard values.count == space.count else {
                throw HNASError.argument("\(name) config", why: "gene '\(gene)' has \(values.count) values, expected \(space.count)")
            }
            for (position, (value, allowed)) in zip(values, space).enumerated() where !allowed.contains(value) {
                throw HNASError.argument("\(name) config",
                                         why: "gene '\(gene)'[\(position)] = \(value) is not in the allowed set \(allowed)")
            }
        }
        for gene in config.genes.keys where searchSpace[gene] == nil {
            throw HNASError.argument("\(name) config", why: "unknown gene '\(gene)' (genes: \(geneOrder.joined(separator: ", ")))")
        }
    }

    /// Draws a config: every position of every gene independently and uniformly, genes in `geneOrder`
    /// (the original's `sample_active_subnet`), or the all-smallest / all-largest subnet.
    public func sample(_ kind: SampleKind, using rng: inout SeededGenerator) -> BackboneConfig {
        var genes: [String: [Int]] = [:]
        for gene in geneOrder {
            genes[gene] = searchSpace[gene, default: []].map { allowed in
                switch kind {
                case .random: return rng.choice(allowed)
                case .min: return allowed.first!
                case .max: return allowed.last!
                }
            }
        }
        return BackboneConfig(genes)
    }

    /// The original's mutation: each position, with probability `probability`, takes a different
    /// allowed value chosen uniformly (never the current one). Silent genes are mutated too.
    public func mutate(_ config: BackboneConfig, probability: Double, using rng: inout SeededGenerator) -> BackboneConfig {
        var child = config
        for gene in geneOrder {
            guard var values = child[gene], let space = searchSpace[gene] else { continue }
            for position in values.indices where rng.uniform() < probability {
                let others = space[position].filter { $0 != values[position] }
                if !others.isEmpty { values[position] = rng.choice(others) }
            }
            child[gene] = values
        }
        return child
    }

    /// The original's uniform crossover biased towards the first parent: each position takes
    /// `first`'s gene when a uniform draw is below `probability`, else `second`'s.
    public func crossover(_ first: BackboneConfig, _ second: BackboneConfig, probability: Double,
                          using rng: inout SeededGenerator) -> BackboneConfig {
        var genes: [String: [Int]] = [:]
        for gene in geneOrder {
            guard let a = first[gene], let b = second[gene] else { continue }
            genes[gene] = zip(a, b).map { rng.uniform() < probability ? $0 : $1 }
        }
        return BackboneConfig(genes)
    }
}
