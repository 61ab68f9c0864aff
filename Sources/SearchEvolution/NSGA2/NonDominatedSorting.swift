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
        let fronts = points.values.withUnsafeBufferPointer { v -> [[Int]] in
            let order = (0..<n).sorted { a, b in
                for j in 0..<d where v[a * d + j] != v[b * d + j] { return v[a * d + j] < v[b * d + j] }
                return a < b
            }
            return d <= 3 ? sweepFronts(v, dimension: d, order: order) : sequentialFronts(v, dimension: d, order: order)
        }
        return discoveryOrder(fronts, points: points, limit: limit ?? n)
    }

    /// ENS-SS for any number of objectives: each point (in lexicographic order) goes into the first
    /// front none of whose members dominates it; members are scanned newest first.
    private static func sequentialFronts(_ v: UnsafeBufferPointer<Double>, dimension d: Int, order: [Int]) -> [[Int]] {
        // `q` precedes `p` lexicographically, so it dominates `p` iff it is nowhere worse and not equal.
        func dominatesLater(_ q: Int, _ p: Int) -> Bool {
            var equal = true
            for j in 0..<d {
                let x = v[q * d + j], y = v[p * d + j]
                if x > y { return false }
                if x < y { equal = false }
            }
            return !equal
        }
        var fronts: [[Int]] = []
        for p in order {
            var k = 0
            search: while k < fronts.count {
                let front = fronts[k]
                var i = front.count - 1
                while i >= 0 {
                    if dominatesLater(front[i], p) { k += 1; continue search }
                    i -= 1
                }
                break
            }
            if k == fronts.count { fronts.append([p]) } else { fronts[k].append(p) }
        }
        return fronts
    }

    /// ENS for up to 3 objectives in O(n log² n) typical time. In lexicographic order an earlier point
    /// `q` dominates `p` iff `q` is no worse in objectives 2 and 3 and not equal, so each front only
    /// needs the staircase of its members' (objective 2, objective 3) pairs to answer "does a member
    /// dominate p" with one binary search; and since a front holding a dominator of p implies every
    /// earlier front holds one, the front of p is found by binary search too. Equal points are
    /// adjacent in the order and share a front. Missing objectives count as 0.
    private static func sweepFronts(_ v: UnsafeBufferPointer<Double>, dimension d: Int, order: [Int]) -> [[Int]] {
        var fronts: [[Int]] = []
        var stairs: [Staircase] = []
        var previous = -1, previousFront = 0
        for p in order {
            let y = d > 1 ? v[p * d + 1] : 0, z = d > 2 ? v[p * d + 2] : 0
            if previous >= 0, (0..<d).allSatisfy({ v[previous * d + $0] == v[p * d + $0] }) {
                fronts[previousFront].append(p)
                previous = p
                continue
            }
            var low = 0, high = fronts.count
            while low < high {
                let mid = (low + high) / 2
                if stairs[mid].covers(y, z) { low = mid + 1 } else { high = mid }
            }
            if low == fronts.count {
                fronts.append([])
                stairs.append(Staircase())
            }
            fronts[low].append(p)
            stairs[low].insert(y, z)
            previous = p
            previousFront = low
        }
        return fronts
    }

    /// Reorders fronts found in any order into pymoo's discovery order and truncates after `limit` points.
    private static func discoveryOrder(_ fronts: [[Int]], points: ObjectiveMatrix, limit: Int) -> [[Int]] {
        let n = points.count
        var ordered: [[Int]] = []
        var ranked = 0
        for front in fronts {
            if ranked >= limit { break }
            if let previous = ordered.last {
                let finder = LastDominatorFinder(front: previous, points: points)
                // Key = (position of the last dominator in the previous front, index), packed in one Int.
                var keys = front.map { finder.lastDominator(of: $0) * n + $0 }
                keys.sort()
                ordered.append(keys.map { $0 % n })
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
