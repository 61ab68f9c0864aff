import HNASKit

/// NSGA-II rank-and-crowding survival with pymoo 0.4.0's semantics (backbone spec §7.1), plus
/// constraint domination for `--max-latency` / `--max-energy`.
///
/// Fronts are taken whole, in front order, while they fit; the front that does not fit is cut by
/// descending crowding distance with ties broken at random (a random permutation, then a stable sort,
/// then reversal — pymoo's `randomized_argsort`), drawing from the run's generator. Later fronts are not
/// ranked. Survivors come out in that order, which matters: inner survivors are paired by position.
///
/// With violations (Deb's constraint domination): a feasible point (violation 0) beats an infeasible one,
/// and of two infeasible points the one with the smaller total violation wins. So the feasible points
/// are sorted into fronts as usual, and then the infeasible ones follow, one front per distinct
/// violation in ascending order (equal violations share a front, in ascending index).
public struct RankAndCrowdingSurvival {
    /// What a survival run decided.
    public struct Result: Equatable, Sendable {
        /// The survivors' indices, in survival order.
        public var survivors: [Int]
        /// The fronts that were ranked, each in front order.
        public var fronts: [[Int]]
        /// Per point: its front number, `nil` if not ranked.
        public var rank: [Int?]
        /// Per point: its crowding distance within its front, `nil` if not ranked.
        public var crowding: [Double?]
    }

    /// Selects `count` of `points` (all of them if there are fewer).
    /// - Parameters:
    ///   - violations: per point, total constraint violation (0 = feasible); `nil` = unconstrained.
    ///   - rng: the run's generator, used only to break crowding ties in the front that is cut.
    public static func select(_ points: ObjectiveMatrix, count: Int, violations: [Double]? = nil,
                              using rng: inout SeededGenerator) -> Result {
        precondition(violations == nil || violations!.count == points.count, "one violation per point")
        let target = min(max(count, 0), points.count)
        let fronts = constrainedFronts(points, violations: violations, stopAfter: target)
        var result = Result(survivors: [], fronts: fronts,
                            rank: NonDominatedSorting.ranks(of: fronts, count: points.count),
                            crowding: [Double?](repeating: nil, count: points.count))
        for front in fronts {
            let crowding = CrowdingDistance.of(points, front: front)
            for (position, i) in front.enumerated() { result.crowding[i] = crowding[position] }
            let room = target - result.survivors.count
            if front.count > room {
                let order = descendingWithRandomTies(crowding, using: &rng)
                result.survivors += order.prefix(room).map { front[$0] }
            } else {
                result.survivors += front
            }
        }
        return result
    }

    /// Fronts under constraint domination (plain Pareto fronts when `violations` is nil).
    public static func constrainedFronts(_ points: ObjectiveMatrix, violations: [Double]?, stopAfter limit: Int? = nil) -> [[Int]] {
        guard let violations, violations.contains(where: { $0 > 0 }) else {
            return NonDominatedSorting.fronts(points, stopAfter: limit)
        }
        let limit = limit ?? points.count
        let feasible = (0..<points.count).filter { violations[$0] <= 0 }
        var fronts = NonDominatedSorting.fronts(points.rows(feasible), stopAfter: limit).map { $0.map { feasible[$0] } }
        var ranked = fronts.reduce(0) { $0 + $1.count }
        let infeasible = (0..<points.count).filter { violations[$0] > 0 }
            .sorted { (violations[$0], $0) < (violations[$1], $1) }
        var start = 0
        while start < infeasible.count, ranked < limit {
            var end = start + 1
            while end < infeasible.count, violations[infeasible[end]] == violations[infeasible[start]] { end += 1 }
            fronts.append(Array(infeasible[start..<end]))
            ranked += end - start
            start = end
        }
        return fronts
    }

    /// Positions of `values` sorted by descending value, equal values in random order.
    static func descendingWithRandomTies(_ values: [Double], using rng: inout SeededGenerator) -> [Int] {
        var permutation = Array(values.indices)
        rng.shuffle(&permutation)
        // A stable ascending sort of the shuffled positions, reversed: ties end up in random order.
        let ascending = permutation.enumerated()
            .sorted { (values[$0.element], $0.offset) < (values[$1.element], $1.offset) }
            .map(\.element)
        return ascending.reversed()
    }
}
