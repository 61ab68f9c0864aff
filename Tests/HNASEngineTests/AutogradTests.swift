import XCTest
@testable import HNASEngine

final class AutogradTests: XCTestCase {
    func testGradientsAccumulateAndReset() throws {
        let p = Parameter(try Tensor(shape: [2], scalars: [1, 2]), name: "p")
        try (p.value * p.value).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [2, 4])
        try (p.value * 3).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [5, 7])
        p.zeroGrad()
        XCTAssertNil(p.grad)
    }

    func testSharedSubexpressionGetsBothPaths() throws {
        // y = x·x + x reuses x; dy/dx = 2x + 1.
        let p = Parameter(try Tensor(shape: [3], scalars: [1, -2, 0.5]))
        let x = p.value
        try (x * x + x).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [3, -3, 2])
    }

    func testNoGradAndDetachDoNotRecord() throws {
        let p = Parameter(Tensor(repeating: 1, shape: [2]))
        let y = Autograd.withoutGrad { p.value * 2 }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertFalse((p.value.detached() * 2).requiresGrad)
        XCTAssertThrowsError(try y.sum().backward())
        p.requiresGrad = false
        XCTAssertFalse(p.value.requiresGrad)
    }

    func testBackwardNeedsOneElement() {
        let p = Parameter(Tensor(repeating: 1, shape: [2]))
        XCTAssertThrowsError(try (p.value * 2).backward()) { XCTAssertTrue("\($0)".contains("backward")) }
    }

    func testGradientAccumulationAddsInPlaceWhenUnshared() {
        var a: Tensor? = Tensor(repeating: 1, shape: [4])
        let id = ObjectIdentifier(a!.storage)
        Tensor.accumulate(into: &a, Tensor(repeating: 2, shape: [4]))
        XCTAssertEqual(a?.scalars, [3, 3, 3, 3])
        XCTAssertEqual(ObjectIdentifier(a!.storage), id)
        // A shared total is copied, not changed.
        let shared = Tensor(repeating: 1, shape: [2])
        var total: Tensor? = shared
        Tensor.accumulate(into: &total, Tensor(repeating: 1, shape: [2]))
        XCTAssertEqual(total?.scalars, [2, 2])
        XCTAssertEqual(shared.scalars, [1, 1])
        var empty: Tensor?
        Tensor.accumulate(into: &empty, shared)
        XCTAssertEqual(empty, shared)
    }

    func testSavedValuesAreNotChangedByLaterUpdates() throws {
        // y = w·w saved w; updating w in place before backward must not change dy/dw (value semantics).
        let w = Parameter(try Tensor(shape: [1], scalars: [3]))
        let y = try w.value * w.value
        w.update { $0[0] = 100 }
        try y.sum().backward()
        XCTAssertEqual(w.grad?.scalars, [6])
        XCTAssertEqual(w.value.scalars, [100])
    }
}
