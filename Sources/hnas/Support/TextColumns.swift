/// Plain-text tables for command output.
enum TextColumns {
    /// `rows` as left-aligned columns separated by two spaces (the last cell of a row is not padded).
    static func format(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        let widths = (0..<width).map { i in rows.map { i < $0.count ? $0[i].count : 0 }.max()! }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
