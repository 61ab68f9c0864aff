import HNASKit

/// The original's printed form of a genotype (Python named-tuple repr, SPEC-fusion §6.1), which is
/// what its result records store under `genotype`, e.g.
/// `Genotype(edges=[('skip', 3), ('skip', 6)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['ConcatFC'], inner_concat=[2])], concat=[8])`.
extension FusionGenotype {
    /// The repr string, field order and quoting as Python prints it.
    public var pythonRepr: String {
        func pairs(_ list: [Edge]) -> String { "[" + list.map { "('\($0.op)', \($0.input))" }.joined(separator: ", ") + "]" }
        func ints(_ list: [Int]) -> String { "[" + list.map(String.init).joined(separator: ", ") + "]" }
        let cells = steps.map { step in
            "StepGenotype(inner_edges=\(pairs(step.innerEdges)), inner_steps=["
                + step.innerSteps.map { "'\($0)'" }.joined(separator: ", ")
                + "], inner_concat=\(ints(step.innerConcat)))"
        }
        return "Genotype(edges=\(pairs(edges)), steps=[\(cells.joined(separator: ", "))], concat=\(ints(concat)))"
    }

    /// Parses the repr string (either quote style, any spacing).
    /// - Throws: `HNASError` saying what was expected at which character offset.
    public init(pythonRepr text: String) throws {
        var scanner = ReprScanner(text: Array(text))
        self = try scanner.genotype()
        try scanner.end()
    }
}

/// A recursive-descent reader for the genotype repr grammar.
private struct ReprScanner {
    let text: [Character]
    var position = 0

    mutating func genotype() throws -> FusionGenotype {
        try expect("Genotype(")
        let edges = try field("edges=") { try $0.edge() }
        let steps = try field("steps=") { try $0.step() }
        let concat = try field("concat=", last: true) { try $0.integer() }
        return FusionGenotype(edges: edges, steps: steps, concat: concat)
    }

    mutating func step() throws -> FusionGenotype.Step {
        try expect("StepGenotype(")
        let edges = try field("inner_edges=") { try $0.edge() }
        let ops = try field("inner_steps=") { try $0.string() }
        let concat = try field("inner_concat=", last: true) { try $0.integer() }
        return FusionGenotype.Step(innerEdges: edges, innerSteps: ops, innerConcat: concat)
    }

    /// One named-tuple field `name=[…]`, then the `,` before the next field or, for the `last`
    /// one, the tuple's closing `)`.
    mutating func field<T>(_ name: String, last: Bool = false, _ element: (inout ReprScanner) throws -> T) throws -> [T] {
        try expect(name)
        let items = try list(element)
        try expect(last ? ")" : ",")
        return items
    }

    mutating func edge() throws -> FusionGenotype.Edge {
        try expect("(")
        let op = try string()
        try expect(",")
        let input = try integer()
        try expect(")")
        return FusionGenotype.Edge(op, input)
    }

    /// `[a, b, …]` with `element` reading one item.
    mutating func list<T>(_ element: (inout ReprScanner) throws -> T) throws -> [T] {
        try expect("[")
        var items: [T] = []
        skipSpaces()
        if peek() == "]" {
            position += 1
            return items
        }
        while true {
            items.append(try element(&self))
            skipSpaces()
            if peek() == "," { position += 1; continue }
            try expect("]")
            return items
        }
    }

    mutating func string() throws -> String {
        skipSpaces()
        guard let quote = peek(), quote == "'" || quote == "\"" else { throw failure("a quoted name") }
        position += 1
        let start = position
        while let c = peek(), c != quote { position += 1 }
        guard peek() == quote else { throw failure("a closing \(quote)") }
        position += 1
        return String(text[start..<(position - 1)])
    }

    mutating func integer() throws -> Int {
        skipSpaces()
        let start = position
        if peek() == "-" { position += 1 }
        while let c = peek(), c.isASCII, c.isNumber { position += 1 }
        guard let value = Int(String(text[start..<position])) else { throw failure("an integer") }
        return value
    }

    mutating func expect(_ literal: String) throws {
        skipSpaces()
        for c in literal {
            if c == " " { skipSpaces(); continue }
            guard peek() == c else { throw failure("'\(literal)'") }
            position += 1
        }
    }

    mutating func end() throws {
        skipSpaces()
        guard position == text.count else { throw failure("the end of the genotype") }
    }

    mutating func skipSpaces() {
        while let c = peek(), c.isWhitespace { position += 1 }
    }

    func peek() -> Character? { position < text.count ? text[position] : nil }

    func failure(_ expected: String) -> HNASError {
        let found = position < text.count ? "'\(String(text[position..<min(text.count, position + 12)]))'" : "the end"
        return HNASError.argument("genotype", why: "expected \(expected) at character \(position), found \(found)")
    }
}
