import Foundation
import HNASKit

/// The exact hypervolume of a set of points (all objectives minimised) with respect to a reference point:
/// the measure of the region dominated by the set and bounded by the reference.
///
/// Points that are not strictly better than the reference in every objective contribute nothing and are
/// dropped first. Algorithms, all exact:
/// - 1 objective: `reference − min`;
/// - 2 objectives: a sweep in the first objective over the staircase, O(n log n);
/// - 3 objectives: slicing along the third objective, keeping the 2-D staircase of the points seen so
///   far (sorted, dominated points removed) and adding `area × slab thickness`, O(n²) worst case;
/// - d ≥ 4: hypervolume by slicing objectives (HSO, While et al. 2006): sort by the last objective;
///   the slab between the i-th and (i+1)-th values is dominated exactly by the (d−1)-dimensional
///   hypervolume of the first i+1 points' projections, computed recursively down to the 3-D case.
///   Exponential in d in the worst case — meant for the handful of objectives a search has; for
///   d ≥ 4 it is refused when its worst case, n^(d−1) slab volumes for the n points inside the
///   reference, exceeds `maximumSlicingWork` (seconds to a minute of work), instead of running for hours.
public enum Hypervolume {
    /// The largest worst-case work n^(d−1) accepted for d ≥ 4 objectives (README "Input limits").
    public static let maximumSlicingWork = 1e8

    /// The hypervolume of `points` with respect to `reference`.
    /// - Throws: `HNASError` when the reference has the wrong length or is not finite, or when 4 or more
    ///   objectives with many points exceed `maximumSlicingWork`.
    public static func of(_ points: ObjectiveMatrix, reference: [Double]) throws -> Double {
        guard reference.count == points.dimension || points.count == 0 else {
            throw HNASError.argument("hypervolume reference", why: "has \(reference.count) values for \(points.dimension) objectives")
        }
        guard reference.allSatisfy(\.isFinite) else {
            throw HNASError.argument("hypervolume reference", why: "\(reference) is not finite")
        }
        let inside = (0..<points.count).compactMap { i -> [Double]? in
            let row = points.row(i)
            return zip(row, reference).allSatisfy { $0 < $1 } ? row : nil
        }
        let dimension = reference.count
        if dimension >= 4, pow(Double(inside.count), Double(dimension - 1)) > maximumSlicingWork {
            throw HNASError.argument("hypervolume", why: "the exact hypervolume of \(inside.count) points in \(dimension) objectives "
                                     + "is too costly (n^(d-1) above \(Int(maximumSlicingWork))); use at most 3 objectives or fewer rows")
        }
        return volume(inside, reference)
    }

    private static func volume(_ points: [[Double]], _ reference: [Double]) -> Double {
        guard !points.isEmpty else { return 0 }
        switch reference.count {
        case 1: return reference[0] - points.map { $0[0] }.min()!
        case 2: return area(points.map { ($0[0], $0[1]) }, reference[0], reference[1])
        case 3: return volume3(points, reference)
        default: return sliced(points, reference)
        }
    }

    private static func area(_ points: [(Double, Double)], _ rx: Double, _ ry: Double) -> Double {
        var total = 0.0
        var bestY = ry
        for (x, y) in points.sorted(by: { $0 < $1 }) where y < bestY {
            total += (rx - x) * (bestY - y)
            bestY = y
        }
        return total
    }

    private static func volume3(_ points: [[Double]], _ reference: [Double]) -> Double {
        let byZ = points.sorted { $0[2] < $1[2] }
        var staircase = Staircase()
        var total = 0.0
        for (i, p) in byZ.enumerated() {
            staircase.insert(p[0], p[1])
            let nextZ = i + 1 < byZ.count ? byZ[i + 1][2] : reference[2]
            guard nextZ > p[2] else { continue }
            total += staircase.area(ry: reference[0], rz: reference[1]) * (nextZ - p[2])
        }
        return total
    }

    private static func sliced(_ points: [[Double]], _ reference: [Double]) -> Double {
        let d = reference.count
        let byLast = points.sorted { $0[d - 1] < $1[d - 1] }
        let lower = Array(reference.dropLast())
        var total = 0.0
        for i in byLast.indices {
            let nextValue = i + 1 < byLast.count ? byLast[i + 1][d - 1] : reference[d - 1]
            guard nextValue > byLast[i][d - 1] else { continue }
            total += volume(byLast[0...i].map { Array($0.dropLast()) }, lower) * (nextValue - byLast[i][d - 1])
        }
        return total
    }
}
