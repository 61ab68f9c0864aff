/// NSGA-II crowding distance with pymoo 0.4.0's conventions (backbone spec §7.1), which the original uses.
///
/// For a front of `n` points and `m` objectives:
/// - `n ≤ 2`: every point gets +∞;
/// - a point closer than 1e-24 (Euclidean) to an EARLIER point of the front is a duplicate: it is left
///   out of the computation and gets 0; the first occurrence is computed normally;
/// - per objective, the remaining points are stably sorted; each gets
///   `(value − previous) / range + (next − value) / range` with previous = −∞ for the first and
///   next = +∞ for the last (so extremes get +∞); an objective whose range is 0 contributes 0 to every
///   point, would-be extremes included;
/// - the distance is the MEAN over objectives (the sum divided by `m`), not the paper's sum.
public enum CrowdingDistance {
    /// The Euclidean distance under which a point counts as a duplicate of an earlier one.
    public static let duplicateEpsilon = 1e-24

    /// Crowding distances of the points `front` of `points`, in the order of `front`.
    public static func of(_ points: ObjectiveMatrix, front: [Int]) -> [Double] {
        let n = front.count
        guard n > 2 else { return [Double](repeating: .infinity, count: n) }
        let m = points.dimension
        let duplicate = duplicates(points, front: front)
        let unique = (0..<n).filter { !duplicate[$0] }
        var distance = [Double](repeating: 0, count: n)
        for j in 0..<m {
            // Stable: ties keep front order, so the earlier point is the "first" extreme.
            let sorted = unique.map { (value: points[front[$0], j], position: $0) }
                .sorted { ($0.value, $0.position) < ($1.value, $1.position) }
            let range = sorted.last!.value - sorted.first!.value
            guard range != 0, !range.isNaN else { continue }
            for r in sorted.indices {
                let toPrevious = r == 0 ? Double.infinity : (sorted[r].value - sorted[r - 1].value) / range
                let toNext = r == sorted.count - 1 ? Double.infinity : (sorted[r + 1].value - sorted[r].value) / range
                distance[sorted[r].position] += toPrevious + toNext
            }
        }
        for position in unique { distance[position] /= Double(m) }
        return distance
    }

    /// For each position in `front`, whether the point lies within `duplicateEpsilon` of an earlier one.
    /// Candidates are found through a sort on the first objective, so this is O(n log n) unless many
    /// points share it (the pairwise rule itself is pymoo's `find_duplicates`).
    static func duplicates(_ points: ObjectiveMatrix, front: [Int]) -> [Bool] {
        let n = front.count
        let byFirst = (0..<n).sorted { (points[front[$0], 0], $0) < (points[front[$1], 0], $1) }
        var duplicate = [Bool](repeating: false, count: n)
        func distance(_ a: Int, _ b: Int) -> Double {
            var sum = 0.0
            for j in 0..<points.dimension {
                let diff = points[front[a], j] - points[front[b], j]
                sum += diff * diff
            }
            return sum.squareRoot()
        }
        for s in 0..<n {
            let p = byFirst[s]
            let value = points[front[p], 0]
            var t = s - 1
            while t >= 0, abs(points[front[byFirst[t]], 0] - value) < duplicateEpsilon {
                if byFirst[t] < p, distance(p, byFirst[t]) < duplicateEpsilon { duplicate[p] = true; break }
                t -= 1
            }
            guard !duplicate[p] else { continue }
            t = s + 1
            while t < n, abs(points[front[byFirst[t]], 0] - value) < duplicateEpsilon {
                if byFirst[t] < p, distance(p, byFirst[t]) < duplicateEpsilon { duplicate[p] = true; break }
                t += 1
            }
        }
        return duplicate
    }
}
