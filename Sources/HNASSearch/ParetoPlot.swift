import Foundation
import HNASKit

/// `pareto.svg`: a scatter of latency (x, ms) against multimodal accuracy (y, %) of every evaluated
/// candidate, the Pareto front drawn as red points joined by a staircase. Plain SVG text, no dependencies.
struct ParetoPlot {
    let archive: [MultimodalResult]
    /// Indices into `archive` of the front.
    let front: [Int]

    private let width = 640.0, height = 440.0
    private let left = 70.0, right = 20.0, top = 40.0, bottom = 55.0

    var svg: String {
        let points = archive.map { (x: $0.cost.latencyMs, y: $0.accuracy) }
        let (x0, x1) = Self.range(points.map(\.x)), (y0, y1) = Self.range(points.map(\.y))
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
                   + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                   "<text x=\"\(f(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">Evaluated candidates "
                   + "(\(archive.count)) and Pareto front (\(front.count))</text>"]
        // Axes with five ticks each.
        out.append("<line x1=\"\(f(left))\" y1=\"\(f(height - bottom))\" x2=\"\(f(width - right))\" y2=\"\(f(height - bottom))\" stroke=\"black\"/>")
        out.append("<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(height - bottom))\" stroke=\"black\"/>")
        for i in 0...4 {
            let x = x0 + Double(i) / 4 * (x1 - x0), y = y0 + Double(i) / 4 * (y1 - y0)
            out.append("<line x1=\"\(f(px(x)))\" y1=\"\(f(height - bottom))\" x2=\"\(f(px(x)))\" y2=\"\(f(height - bottom + 5))\" stroke=\"black\"/>")
            out.append("<text x=\"\(f(px(x)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(String(format: "%.3g", x))</text>")
            out.append("<line x1=\"\(f(left - 5))\" y1=\"\(f(py(y)))\" x2=\"\(f(left))\" y2=\"\(f(py(y)))\" stroke=\"black\"/>")
            out.append("<text x=\"\(f(left - 8))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(String(format: "%.3g", y))</text>")
        }
        out.append("<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">latency (ms)</text>")
        out.append("<text x=\"18\" y=\"\(f((top + height - bottom) / 2))\" text-anchor=\"middle\" "
                   + "transform=\"rotate(-90 18 \(f((top + height - bottom) / 2)))\">accuracy (%)</text>")
        let onFront = Set(front)
        for (i, p) in points.enumerated() where !onFront.contains(i) {
            out.append("<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3.5\" fill=\"#9e9e9e\" fill-opacity=\"0.7\">"
                       + "<title>\(archive[i].id)</title></circle>")
        }
        // The front as a staircase: sorted by latency, accuracy rising.
        let sorted = front.sorted { (points[$0].x, -points[$0].y) < (points[$1].x, -points[$1].y) }
        if sorted.count > 1 {
            var path = "M \(f(px(points[sorted[0]].x))) \(f(py(points[sorted[0]].y)))"
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                path += " L \(f(px(points[b].x))) \(f(py(points[a].y))) L \(f(px(points[b].x))) \(f(py(points[b].y)))"
            }
            out.append("<path d=\"\(path)\" fill=\"none\" stroke=\"#d32f2f\" stroke-width=\"1.5\"/>")
        }
        for i in sorted {
            out.append("<circle cx=\"\(f(px(points[i].x)))\" cy=\"\(f(py(points[i].y)))\" r=\"5\" fill=\"#d32f2f\">"
                       + "<title>\(archive[i].id): \(String(format: "%.2f%%, %.3f ms", points[i].y, points[i].x))</title></circle>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The span of `values` with 5% margins (a unit span around a single value).
    private static func range(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        guard high > low else { return (low - 0.5, high + 0.5) }
        let margin = (high - low) * 0.05
        return (low - margin, high + margin)
    }
}
