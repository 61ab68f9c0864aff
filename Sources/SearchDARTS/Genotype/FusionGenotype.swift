import HNASKit

/// A derived fusion network, with the original's field names (SPEC-fusion §6.1): the inputs of each
/// fusion cell (`edges`), each cell's inner structure (`steps`) and the concatenated states (`concat`).
public struct FusionGenotype: Hashable, Codable, Sendable {
    /// The fusion operators a node may use, in the original's `STEP_STEP_PRIMITIVES` order.
    public static let nodeOperators = ["Sum", "ScaleDotAttn", "LinearGLU", "ConcatFC", "SE1", "CatConvMish"]
    /// The operators an edge may use (`PRIMITIVES`).
    public static let edgeOperators = ["none", "skip"]

    /// One chosen input edge, written as the original's pair `["skip", 3]`.
    public struct Edge: Hashable, Codable, Sendable {
        /// The edge operator: one of `edgeOperators`.
        public var op: String
        /// The index of the state the edge reads.
        public var input: Int

        public init(_ op: String, _ input: Int) {
            self.op = op
            self.input = input
        }

        public init(from decoder: Decoder) throws {
            var pair = try decoder.unkeyedContainer()
            op = try pair.decode(String.self)
            input = try pair.decode(Int.self)
            guard pair.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: pair, debugDescription: "an edge is a pair [op, input]")
            }
        }

        public func encode(to encoder: Encoder) throws {
            var pair = encoder.unkeyedContainer()
            try pair.encode(op)
            try pair.encode(input)
        }
    }

    /// The inner structure of one fusion cell (the original's `StepGenotype`).
    public struct Step: Hashable, Codable, Sendable {
        /// Two edges per inner step; inner state 0 = x, 1 = y, 2 + t = output of inner step t.
        public var innerEdges: [Edge]
        /// One fusion operator name per inner step.
        public var innerSteps: [String]
        /// The inner states concatenated into the cell's output.
        public var innerConcat: [Int]

        public init(innerEdges: [Edge], innerSteps: [String], innerConcat: [Int]) {
            self.innerEdges = innerEdges
            self.innerSteps = innerSteps
            self.innerConcat = innerConcat
        }

        enum CodingKeys: String, CodingKey {
            case innerEdges = "inner_edges", innerSteps = "inner_steps", innerConcat = "inner_concat"
        }
    }

    /// Two edges per fusion cell: entries 2i and 2i+1 feed cell i.
    public var edges: [Edge]
    /// One inner structure per fusion cell.
    public var steps: [Step]
    /// The states concatenated into the fusion network's output.
    public var concat: [Int]

    public init(edges: [Edge], steps: [Step], concat: [Int]) {
        self.edges = edges
        self.steps = steps
        self.concat = concat
    }

    /// Every node operator, cell by cell: what the fusion cost sums (SPEC-fusion §7.4).
    public var operators: [String] { steps.flatMap(\.innerSteps) }
}
