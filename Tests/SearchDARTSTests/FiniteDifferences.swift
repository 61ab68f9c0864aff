import XCTest
import HNASKit
@testable import SearchDARTS

/// Central finite differences of `L = Σ f(·) ⊙ R` (fixed pseudo-random R, accumulated in Double)
/// against the tape's gradients, for given input tensors and every parameter of a module.
/// Passes when `|analytic − numeric| ≤ tolerance·max(1, |numeric|)`.
enum FiniteDifferences {
    static func random(_ shape: [Int], seed: UInt64, range: ClosedRange<Float> = -1...1) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        return try! Tensor(shape: shape, scalars: (0..<n).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * rng.uniformFloat() })
    }

    static func check(inputs: [Tensor], parameters extra: [Parameter] = [], eps: Float = 1e-2, tolerance: Double = 1e-2, label: String = "",
                      file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) throws -> Tensor) throws {
        let inputParameters = inputs.map { Parameter($0) }
        let all = inputParameters + extra
        for p in all { p.zeroGrad() }
        let y = try f(inputParameters.map(\.value))
        let weights = random(y.shape, seed: 99, range: 0.5...1.5)
        try (y * weights).sum().backward()
        func evaluate() throws -> Double {
            let out = try Autograd.withoutGrad { try f(inputParameters.map(\.value)) }
            return zip(out.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        for (which, p) in all.enumerated() {
            let analytic = p.grad?.scalars ?? [Float](repeating: 0, count: p.value.count)
            for i in 0..<analytic.count {
                let saved = p.value.scalars[i]
                p.update { $0[i] = saved + eps }
                let plus = try evaluate()
                p.update { $0[i] = saved - eps }
                let minus = try evaluate()
                p.update { $0[i] = saved }
                let numeric = (plus - minus) / Double(2 * eps)
                let error = abs(Double(analytic[i]) - numeric)
                if error > tolerance * max(1, abs(numeric)) {
                    XCTFail("\(label) tensor \(which) (\(p.name)) element \(i): analytic \(analytic[i]) vs numeric \(numeric)", file: file, line: line)
                    return
                }
            }
        }
    }
}

/// A stand-in hardware model with a fusion table of SPEC-fusion §7.2 (TX2 or AGX; SE2 included,
/// as in the files).
struct FusionTable: HardwareModel {
    let name: String
    let datasets: [String] = []
    let table: [String: Cost]

    static let tx2 = FusionTable(name: "tx2-test", table: [
        "Sum": Cost(latencyMs: 0.05961958312988281, energyMJ: 0.2972280216217041),
        "ScaleDotAttn": Cost(latencyMs: 0.503509765625, energyMJ: 0.7008619723320008),
        "LinearGLU": Cost(latencyMs: 0.525704345703125, energyMJ: 1.2057952156066896),
        "ConcatFC": Cost(latencyMs: 0.522191650390625, energyMJ: 1.0212752623558043),
        "SE1": Cost(latencyMs: 0.43621600341796873, energyMJ: 0.6815053911209107),
        "SE2": Cost(latencyMs: 0.4345333862304688, energyMJ: 0.6898763566017151),
        "CatConvMish": Cost(latencyMs: 0.6174259033203126, energyMJ: 1.1336467642784118),
    ])

    static let agx = FusionTable(name: "agx-test", table: [
        "Sum": Cost(latencyMs: 0.04459584045410156, energyMJ: 1.3032420431518552),
        "ScaleDotAttn": Cost(latencyMs: 0.40466009521484375, energyMJ: 2.116570729553223),
        "LinearGLU": Cost(latencyMs: 0.530171142578125, energyMJ: 3.3142969234619133),
        "ConcatFC": Cost(latencyMs: 0.520685302734375, energyMJ: 2.859610641967773),
        "SE1": Cost(latencyMs: 0.328786865234375, energyMJ: 2.0390042999877944),
        "SE2": Cost(latencyMs: 0.3304658508300781, energyMJ: 2.0623285157470703),
        "CatConvMish": Cost(latencyMs: 0.5728431396484375, energyMJ: 3.0241563737487818),
    ])

    func backboneCost(_ layers: [LayerDescriptor], dataset: String) throws -> CostReport { CostReport(rows: []) }

    func fusionCost(operators: [String]) throws -> CostReport {
        CostReport(rows: try operators.map { op in
            guard let cost = table[op] else { throw HNASError.argument(op, why: "not in the test table") }
            return CostRow(key: op, cost: cost, predicted: false)
        })
    }
}

/// Turns off every dropout below `module` (keeps BatchNorm in training mode), for deterministic checks.
func disableDropout(_ module: Module) {
    for (_, m) in module.namedModules() where m is Dropout { m.isTraining = false }
}
