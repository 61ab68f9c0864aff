import Foundation
import HNASTestSupport
import XCTest
@testable import HNASEngine

final class SafeTensorsTests: XCTestCase {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/python_written.safetensors")

    func temporary(_ name: String) -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-safetensors-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.appendingPathComponent(name)
    }

    func makeModel() -> Sequential {
        var g = SeededGenerator(seed: 4)
        return Sequential([Conv2d(inChannels: 1, outChannels: 2, kernelSize: 3, bias: false, generator: &g), BatchNorm(features: 2)])
    }

    /// Written by `python3 Scripts/make_safetensors_fixture.py` (the Python `safetensors` package).
    func testReadsFileWrittenByPython() throws {
        let file = try SafeTensors.read(from: fixture)
        XCTAssertEqual(file.metadata, ["format": "pt", "written_by": "make_safetensors_fixture.py"])
        XCTAssertEqual(file[float: "0.weight"]?.shape, [2, 1, 3, 3])
        XCTAssertEqual(file[float: "0.weight"]?.scalars, (0..<18).map { Float($0) * 0.5 })
        XCTAssertEqual(file.tensors["1.num_batches_tracked"], .int64(try Int64Tensor(shape: [], scalars: [7])))
        XCTAssertEqual(file[float: "extremes"]?.scalars.map(\.bitPattern), [-0.0, 1e-38, 3.4e38, -1.0 / 3.0].map { Float($0).bitPattern })

        let model = makeModel()
        let report = try model.load(from: fixture, allowUnexpected: true)
        XCTAssertEqual(report, StateDictReport(missing: [], unexpected: ["extremes"], mismatched: []))
        let bn = model.layers[1] as! BatchNorm
        XCTAssertEqual(bn.weight.value.scalars, [1, -2])
        XCTAssertEqual(bn.runningVar.value.scalars, [1.5, 2.5])
        XCTAssertEqual(bn.batchesTracked.value.item, 7)
    }

    func testRoundTripIsExact() throws {
        let model = makeModel()
        _ = try model(GradientCheck.random([2, 1, 4, 4], seed: 5)) // move BN statistics off their defaults
        let url = temporary("model.safetensors")
        try model.save(to: url, metadata: ["epoch": "3"])
        let file = try SafeTensors.read(from: url)
        XCTAssertEqual(file, SafeTensors(tensors: model.stateDict().tensors, metadata: ["epoch": "3"]))
        XCTAssertEqual(file.tensors["1.num_batches_tracked"], .int64(try Int64Tensor(shape: [], scalars: [1])))
        let other = makeModel()
        (other.layers[0] as! Conv2d).weight.value = Tensor(zeros: [2, 1, 3, 3])
        try other.load(from: url)
        XCTAssertEqual(other.stateDict(), model.stateDict())
        // Writing again replaces the file in place (atomic rename; no temporary left behind).
        try model.save(to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path), ["model.safetensors"])
    }

    func testMissingUnexpectedAndMisShapedKeysAreNamed() throws {
        var file = makeModel().stateDict()
        file.tensors["0.weight"] = .float32(Tensor(zeros: [2, 1, 5, 5]))
        file.tensors.removeValue(forKey: "1.bias")
        file.tensors["head.weight"] = .float32(Tensor(zeros: [1]))
        let model = makeModel()
        let before = model.stateDict()
        XCTAssertThrowsError(try model.load(stateDict: file, source: "ckpt.safetensors")) { error in
            let text = "\(error)"
            for piece in ["ckpt.safetensors", "0.weight: file [2, 1, 5, 5] vs model [2, 1, 3, 3]", "missing: 1.bias", "unexpected: head.weight"] {
                XCTAssertTrue(text.contains(piece), "\(piece) not in: \(text)")
            }
        }
        XCTAssertEqual(model.stateDict(), before, "a failed load must change nothing")
    }

    func testMalformedFilesAreNamedErrors() throws {
        let good = try Data(contentsOf: fixture)
        func expectError(_ data: Data, _ fragment: String, line: UInt = #line) {
            let url = temporary("bad.safetensors")
            try! data.write(to: url)
            XCTAssertThrowsError(try SafeTensors.read(from: url), line: line) { error in
                XCTAssertTrue("\(error)".contains(url.path) && "\(error)".contains(fragment), "\(error)", line: line)
            }
        }
        expectError(good.prefix(5), "shorter than")
        expectError(good.prefix(good.count - 4), "truncated")
        expectError(good.prefix(20), "header length")
        var garbage = Data([16, 0, 0, 0, 0, 0, 0, 0])
        garbage.append(Data("not json at all!".utf8))
        expectError(garbage, "not a JSON object")
        let header = Data(#"{"x":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#.utf8)
        var f16 = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Data($0) }
        f16.append(header)
        f16.append(Data(count: 4))
        expectError(f16, "dtype F16")
        XCTAssertThrowsError(try SafeTensors.read(from: URL(fileURLWithPath: "/nonexistent/w.safetensors"))) {
            XCTAssertTrue("\($0)".contains("/nonexistent/w.safetensors"))
        }
    }

    /// Shapes whose element or byte count overflows, spans that overlap or leave the data, and oversized
    /// headers are refused before anything is allocated (they used to trap).
    func testHostileHeadersAreRefusedWithoutTrapping() {
        func file(_ header: String, payload: Int, length: UInt64? = nil) -> Data {
            var data = withUnsafeBytes(of: (length ?? UInt64(header.utf8.count)).littleEndian) { Data($0) }
            data.append(Data(header.utf8))
            data.append(Data(count: payload))
            return data
        }
        func expectError(_ data: Data, _ message: String, line: UInt = #line) {
            XCTAssertThrowsError(try SafeTensors.decode(data, path: "w"), line: line) {
                XCTAssertEqual("\($0)", "cannot read safetensors file 'w': " + message, line: line)
            }
        }
        expectError(file(#"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}"#, payload: 16),
                    "entry 'w' spans 16 bytes but F32 [4611686018427387904, 4] needs more than \(Int.max)")
        expectError(file(#"{"w":{"dtype":"I64","shape":[1152921504606846976],"data_offsets":[0,16]}}"#, payload: 16),
                    "entry 'w' spans 16 bytes but I64 [1152921504606846976] needs more than \(Int.max)")
        expectError(file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#,
                         payload: 16), "entries 'a' and 'b' overlap (bytes 0..<16 and 8..<16)")
        expectError(file("{}", payload: 0, length: 1 << 40),
                    "header length 1099511627776 is above the limit of \(SafeTensors.maximumHeaderBytes) bytes")
        // Adjacent and empty entries are fine.
        let adjacent = file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[0],"data_offsets":[8,8]},"c":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, payload: 16)
        XCTAssertEqual(try SafeTensors.decode(adjacent, path: "w").tensors.count, 3)
    }
}
