/// Splits points into Pareto fronts, each in the order pymoo's fast non-dominated sort produces.
///
/// Fronts are found with efficient non-dominated sorting by sequential search (ENS-SS, Zhang et al.
/// 2015): points in lexicographic order can only be dominated by earlier ones, so each is put into the
/// first front none of whose members dominates it — no N×N dominance matrix is stored. The members are
/// then ordered as Deb's fast sort (pymoo) discovers them (backbone spec §7.1): front 0 in ascending
/// index; a point of front k+1 is released when the last of its dominators in front k (in that front's
/// order) is processed, and the points one dominator releases come in ascending index. So a point's
/// key in front k+1 is (position of its last dominator in front k, its index).
public enum NonDominatedSorting {
    /// The fronts of `points`; with `stopAfter: n`, only the fronts up to the one that brings the
    /// cumulative count to at least `n` (pymoo's `n_stop_if_ranked`).
    public static func fronts(_ points: ObjectiveMatrix, stopAfter limit: Int? = nil) -> [[Int]] {
        let n = points.count
        guard n > 0 else { return [] }
        let d = points.dimension
        let order = points.values.withUnsafeBufferPointer { v in
            (0..<n).sorted { a, b in
                for j in 0..<d where v[a * d + j] != v[b * d + j] { return v[a * d + j] < v[b * d + j] }
                return a < b
            }
        }
        var fronts: [[Int]] = []
        for p in order {
            var k = 0
            while k < fronts.count, fronts[k].reversed().contains(where: { points.dominates($0, p) }) { k += 1 }
            if k == fronts.count { fronts.append([p]) } else { fronts[k].append(p) }
        }
        return discoveryOrder(fronts, points: points, limit: limit ?? n)
    }

    /// Reorders fronts found in any order into pymoo's discovery order and truncates after `limit` points.
    private static func discoveryOrder(_ fronts: [[Int]], points: ObjectiveMatrix, limit: Int) -> [[Int]] {
        var ordered: [[Int]] = []
        var ranked = 0
        for front in fronts {
            if ranked >= limit { break }
            if let previous = ordered.last {
                let keyed = front.map { q -> (dominator: Int, index: Int) in
                    // Every member of front k+1 has a dominator in front k; take the last one in order.
                    let last = previous.lastIndex { points.dominates($0, q) }!
                    return (last, q)
                }
                ordered.append(keyed.sorted { ($0.dominator, $0.index) < ($1.dominator, $1.index) }.map(\.index))
            } else {
                ordered.append(front.sorted())
            }
            ranked += front.count
        }
        return ordered
    }

    /// The rank (front number) of every point, `nil` for points after the stop.
    public static func ranks(of fronts: [[Int]], count: Int) -> [Int?] {
        var ranks = [Int?](repeating: nil, count: count)
        for (k, front) in fronts.enumerated() { for i in front { ranks[i] = k } }
        return ranks
    }
}
