/// The fusion network's macro-architecture: how many fusion cells (`steps` in the original) and how many
/// fusion operators per cell (`node_steps`). The micro-architecture (which operators) is the fusion search's job.
public struct FusionMacro: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Number of fusion cells (`S`, the original's `steps`).
    public var cells: Int
    /// Number of fusion operators inside each cell (`T`, the original's `node_steps`).
    public var nodes: Int

    public init(cells: Int, nodes: Int) {
        self.cells = cells
        self.nodes = nodes
    }

    public var description: String { "cells=\(cells) nodes=\(nodes)" }
}
