import Foundation
import HNASKit

/// A results table read from CSV (RFC 4180: comma-separated, first line the header, fields may be
/// double-quoted with `""` for a quote), e.g. a search's `pareto.csv` or any table with objective columns.
public struct ResultsTable: Equatable, Sendable {
    /// Column names, whitespace-trimmed.
    public var header: [String]
    /// Data rows (the header excluded), each with `header.count` cells.
    public var rows: [[String]]
    /// Where the table came from, for error messages.
    public var source: String

    public init(header: [String], rows: [[String]], source: String) {
        self.header = header
        self.rows = rows
        self.source = source
    }

    /// Parses CSV text; blank lines are skipped.
    /// - Throws: `HNASError` naming `source` when there is no header, the header repeats a column name,
    ///   a quote is unterminated or a row's cell count differs from the header's (with its line number).
    public init(csv text: String, source: String) throws {
        var records: [(line: Int, cells: [String])] = []
        var cells: [String] = [], cell = "", inQuotes = false, afterQuote = false
        var line = 1, recordLine = 1
        var characters = Array(text.unicodeScalars.lazy.map(Character.init))
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var i = 0
        func endRecord() {
            cells.append(cell)
            if !(cells.count == 1 && cells[0].trimmingCharacters(in: .whitespaces).isEmpty) { records.append((recordLine, cells)) }
            cells = []; cell = ""
        }
        while i < characters.count {
            let c = characters[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < characters.count, characters[i + 1] == "\"" { cell.append("\""); i += 1 } else { inQuotes = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    cell.append(c)
                }
            } else if c == "\"" && cell.trimmingCharacters(in: .whitespaces).isEmpty && !afterQuote {
                inQuotes = true; cell = ""
            } else if c == "," {
                cells.append(cell); cell = ""; afterQuote = false
            } else if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < characters.count, characters[i + 1] == "\n" { i += 1 }
                endRecord(); afterQuote = false
                line += 1; recordLine = line
            } else {
                cell.append(c)
            }
            i += 1
        }
        if inQuotes { throw HNASError.file(source, "cannot read CSV", why: "a quoted field starting on line \(recordLine) is not closed") }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        guard let first = records.first else { throw HNASError.file(source, "cannot read CSV", why: "the file is empty (no header line)") }
        header = first.cells.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw HNASError.file(source, "cannot read CSV", why: "the header names column '\(name)' twice")
        }
        for record in records.dropFirst() where record.cells.count != header.count {
            throw HNASError.file(source, "cannot read CSV",
                                 why: "line \(record.line) has \(record.cells.count) cells, the header has \(header.count)")
        }
        rows = records.dropFirst().map(\.cells)
        self.source = source
    }

    /// The objective matrix of `objectives` (maximised columns negated, so every objective is minimised).
    /// - Throws: `HNASError` naming the missing column (and the available ones), or the data row
    ///   (1-based, as `hnas pareto` prints rows) and column of a cell that is not a number or is NaN.
    public func objectiveMatrix(_ objectives: [ObjectiveSpec]) throws -> ObjectiveMatrix {
        let columns = try objectives.map { spec -> Int in
            guard let column = header.firstIndex(of: spec.column) else {
                throw HNASError.file(source, "missing column in",
                                     why: "no column '\(spec.column)' (columns: \(header.joined(separator: ", ")))")
            }
            return column
        }
        var values: [Double] = []
        values.reserveCapacity(rows.count * objectives.count)
        for (r, row) in rows.enumerated() {
            for (spec, column) in zip(objectives, columns) {
                let cell = row[column].trimmingCharacters(in: .whitespaces)
                guard let value = Double(cell) else {
                    throw HNASError.file(source, "bad value in", why: "row \(r + 1), column '\(spec.column)': '\(cell)' is not a number")
                }
                guard !value.isNaN else {
                    throw HNASError.file(source, "bad value in", why: "row \(r + 1), column '\(spec.column)' is NaN")
                }
                values.append(spec.maximise ? -value : value)
            }
        }
        return try ObjectiveMatrix(count: rows.count, dimension: objectives.count, values: values)
    }
}
