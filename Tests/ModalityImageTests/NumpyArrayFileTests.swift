import Foundation
import HNASKit
@testable import ModalityImage
import XCTest

/// The `.npy` reader of MM-IMDB posters.
final class NumpyArrayFileTests: XCTestCase {
    private func npy(_ header: String, payload: [UInt8]) -> Data {
        var text = header
        while (10 + text.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
        bytes += Array(text.utf8) + payload
        return Data(bytes)
    }

    func testReadsShapesAndDtypes() throws {
        let int16 = try NumpyArrayFile.read(npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 1, 2), }",
                                                payload: [0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80, 0x10, 0x00]), name: "a.npy")
        XCTAssertEqual(int16.shape, [2, 1, 2])
        XCTAssertEqual(int16.scalars, [1, -1, -32768, 16])
        let uint8 = try NumpyArrayFile.read(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", payload: [0, 7, 255]), name: "b.npy")
        XCTAssertEqual(uint8.scalars, [0, 7, 255])
        let int64 = try NumpyArrayFile.read(try Fixtures.data("poster_int64.npy"), name: "poster_int64.npy")
        XCTAssertEqual(int64.shape, [3, 11, 13])
    }

    func testRejectsWhatItCannotRead() {
        let cases: [(Data, String)] = [
            (npy("{'descr': '<i4', 'fortran_order': True, 'shape': (1,), }", payload: [0, 0, 0, 0]), "Fortran"),
            (npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", payload: [UInt8](repeating: 0, count: 8)), "dtype"),
            (npy("{'descr': '<i4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", payload: [0, 0, 0, 0]), "truncated"),
            (Data([0x93, 0x4E, 0x55]), "signature"),
        ]
        for (data, why) in cases {
            XCTAssertThrowsError(try NumpyArrayFile.read(data, name: "bad.npy")) { error in
                XCTAssertEqual((error as? HNASError)?.subject, .file("bad.npy"))
                XCTAssertTrue("\(error)".contains(why), "\(error)")
            }
        }
    }
}
