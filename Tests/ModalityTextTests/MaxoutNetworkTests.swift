import Foundation
import HNASKit
@testable import ModalityText
import XCTest

/// The Maxout text backbone against PyTorch (`Scripts/make_maxout_fixture.py`).
final class MaxoutNetworkTests: XCTestCase {
    func testLoadsHarmonicNASNamesAndMatchesPyTorch() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/maxout.safetensors")
        let file = try SafeTensors.read(from: url)
        let net = MaxoutNetwork(inputFeatures: 12, outputs: 3, firstHidden: 8)
        try net.load(stateDict: file, allowUnexpected: true, source: url.path)
        net.eval()
        let outputs = try net.outputs(file[float: "input"]!)
        XCTAssertEqual(outputs.map(\.shape), [[5, 8], [5, 16], [5, 3]])
        for (i, output) in outputs.enumerated() {
            let expected = file[float: "expected.\(i)"]!
            for (a, b) in zip(output.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4, "output \(i)") }
        }
    }

    func testStockShapesAndNames() throws {
        let imdb = MaxoutNetwork.mmimdb(), memes = MaxoutNetwork.memes()
        let names = Dictionary(uniqueKeysWithValues: imdb.namedParameters().map { ($0.0, $0.1.shape) })
        XCTAssertEqual(names["op_list.0.lin.weight"], [512, 300])
        XCTAssertEqual(names["op_list.2.lin.weight"], [1024, 128])
        XCTAssertEqual(names["op_list.3.0.weight"], [256])
        XCTAssertEqual(names["hid2val.weight"], [23, 256])
        XCTAssertTrue(imdb.namedBuffers().contains { $0.0 == "op_list.1.0.running_var" })
        memes.eval()
        XCTAssertEqual(try memes.outputs(Tensor(zeros: [2, 77])).map(\.shape), [[2, 128], [2, 256], [2, 3]])
        XCTAssertThrowsError(try memes.outputs(Tensor(zeros: [2, 300])))
    }
}
