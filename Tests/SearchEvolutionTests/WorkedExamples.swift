import SearchEvolution

/// The two worked examples of the backbone spec §7.2 and §7.3 (objective rows, all minimised).
enum WorkedExamples {
    static let first = try! ObjectiveMatrix(rows: [
        [20, 5.0, 8.0], [15, 6.0, 9.0], [25, 4.0, 7.0], [20, 6.0, 9.5],
        [30, 3.5, 6.0], [18, 7.0, 12.0], [22, 6.5, 10.0], [35, 5.0, 9.0],
    ])

    /// Row 2 duplicates row 0; objective 1 is constant.
    static let second = try! ObjectiveMatrix(rows: [
        [10, 2.0, 5.0], [12, 2.0, 4.0], [10, 2.0, 5.0], [15, 2.0, 3.0],
        [11, 2.0, 4.5], [20, 2.0, 2.0], [14, 2.0, 6.0],
    ])
}
