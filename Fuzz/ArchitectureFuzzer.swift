import Foundation
import HNASKit

/// libFuzzer target: the architecture JSON reader and the genotype parsers (JSON object and the
/// original's `Genotype(…)` text) with `validate`; a genotype that validates must also draw its DOT-free
/// accessors without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    if let architecture = try? Architecture.decode(data, source: "fuzz.json") {
        try? architecture.fusion?.validate()
        _ = try? architecture.validate(backbones: [:])
    }
    if let genotype = try? JSONDecoder().decode(FusionGenotype.self, from: data) { try? genotype.validate() }
    if let genotype = try? FusionGenotype(pythonRepr: String(decoding: data, as: UTF8.self)) {
        if (try? genotype.validate()) != nil { _ = genotype.operators }
    }
    return 0
}
