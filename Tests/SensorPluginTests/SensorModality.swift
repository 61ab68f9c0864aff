import Foundation
import HNASKit

/// A test-only modality: a 1-D sensor signal written as comma-separated numbers (inline in the pipeline's
/// CSV, or a text file), decoded to a `[length]` tensor.
struct SensorModality: InlineTextModality {
    let name = "sensor"

    func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        let text = String(decoding: try FileContents.read(url, "cannot read sensor signal"), as: UTF8.self)
        return try load(text: text, options: options)
    }

    func load(text: String, options: ModalityOptions) throws -> Tensor {
        let values = text.split(separator: ";").map { Float($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw HNASError.argument("sensor signal", why: "'\(text.prefix(40))' is not a list of numbers separated by ';'")
        }
        return try Tensor(shape: [values.count], scalars: values.map { $0! })
    }
}
