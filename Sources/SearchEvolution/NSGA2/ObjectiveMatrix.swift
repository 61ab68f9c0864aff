import HNASKit

/// Objective values of `count` points, `dimension` objectives each, all MINIMISED, stored row-major.
///
/// The input of non-dominated sorting, crowding distance, survival and hypervolume. Maximised
/// quantities (accuracy) enter negated or as `100 − accuracy`, as the original does.
public struct ObjectiveMatrix: Equatable, Sendable {
    public let count: Int
    public let dimension: Int
    /// Row-major values: point `i`, objective `j` at `i * dimension + j`.
    public let values: [Double]

    /// Points given as rows.
    /// - Throws: `HNASError` when rows have different lengths, there are no objectives, or a value is NaN.
    public init(rows: [[Double]]) throws {
        let dimension = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() where row.count != dimension {
            throw HNASError.argument("objective rows", why: "row \(i) has \(row.count) objectives, row 0 has \(dimension)")
        }
        try self.init(count: rows.count, dimension: dimension, values: rows.flatMap { $0 })
    }

    /// Points given as a row-major buffer.
    /// - Throws: `HNASError` when the buffer size is not `count · dimension`, `dimension` is 0 with points, or a value is NaN.
    public init(count: Int, dimension: Int, values: [Double]) throws {
        guard count >= 0, dimension >= 0, values.count == count * dimension else {
            throw HNASError.argument("objective matrix", why: "\(values.count) values do not make \(count) rows of \(dimension)")
        }
        guard count == 0 || dimension > 0 else {
            throw HNASError.argument("objective matrix", why: "points need at least one objective")
        }
        if let bad = values.firstIndex(where: \.isNaN) {
            throw HNASError.argument("objective matrix", why: "row \(bad / dimension), objective \(bad % dimension) is NaN")
        }
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Objective `j` of point `i`.
    @inline(__always) public subscript(i: Int, j: Int) -> Double { values[i * dimension + j] }

    /// The objectives of point `i`.
    public func row(_ i: Int) -> [Double] { Array(values[i * dimension ..< (i + 1) * dimension]) }

    /// The points `indices`, in that order.
    public func rows(_ indices: [Int]) -> ObjectiveMatrix {
        var picked: [Double] = []
        picked.reserveCapacity(indices.count * dimension)
        for i in indices { picked.append(contentsOf: values[i * dimension ..< (i + 1) * dimension]) }
        // Rows of a valid matrix form a valid matrix.
        return try! ObjectiveMatrix(count: indices.count, dimension: dimension, values: picked)
    }

    /// Pareto dominance (epsilon 0): `a` is no worse than `b` in every objective and better in at least one.
    /// Equal rows do not dominate each other.
    @inline(__always) public func dominates(_ a: Int, _ b: Int) -> Bool {
        values.withUnsafeBufferPointer { v in
            var better = false
            let ra = a * dimension, rb = b * dimension
            for j in 0..<dimension {
                let x = v[ra + j], y = v[rb + j]
                if x > y { return false }
                if x < y { better = true }
            }
            return better
        }
    }
}
