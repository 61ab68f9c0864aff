/// The median of `values` (the mean of the two middle ones for an even count); NaN when empty.
/// Timings are summarised by it (profiler repeats, benchmark iterations) because, unlike the mean,
/// one run slowed by other work on the machine does not move it.
public func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
