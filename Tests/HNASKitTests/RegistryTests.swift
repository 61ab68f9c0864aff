import Foundation
import XCTest
@testable import HNASKit

/// A throw-away modality, to show that a plugin defined outside hnas registers and resolves by name.
private struct ConstantModality: Modality {
    let name = "constant"
    func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        try Tensor(shape: [1, 2], scalars: [1, 2])
    }
}

final class RegistryTests: XCTestCase {
    func testRegisteredModalityResolvesByName() throws {
        var registry = Registry()
        registry.modalities.register("constant", summary: "two constant numbers") { ConstantModality() }
        let modality = try registry.modalities.make("constant")
        XCTAssertEqual(modality.name, "constant")
        XCTAssertEqual(try modality.load(URL(fileURLWithPath: "/dev/null"), options: [:]).scalars, [1, 2])
        XCTAssertEqual(registry.all, [PluginInfo(kind: .modality, name: "constant", summary: "two constant numbers")])
    }

    func testUnknownNameListsKnownNames() {
        var registry = Registry()
        registry.modalities.register("constant", summary: "a") { ConstantModality() }
        registry.modalities.register("other", summary: "b") { ConstantModality() }
        XCTAssertThrowsError(try registry.modalities.make("video")) { error in
            XCTAssertEqual("\(error)",
                           "unknown modality plugin --modality: 'video' is not registered (known: constant, other)")
        }
    }

    func testUnknownNameInEmptyTableSaysNoneRegistered() {
        let registry = Registry()
        XCTAssertThrowsError(try registry.searchStrategies.make("evolution")) { error in
            XCTAssertEqual("\(error)", "unknown search plugin --search: 'evolution' is not registered (none are registered)")
        }
    }

    func testReRegistrationReplacesInPlace() throws {
        var registry = Registry()
        registry.modalities.register("a", summary: "first") { ConstantModality() }
        registry.modalities.register("b", summary: "second") { ConstantModality() }
        registry.modalities.register("a", summary: "override") { ConstantModality() }
        XCTAssertEqual(registry.modalities.names, ["a", "b"])
        XCTAssertEqual(registry.modalities.infos.first?.summary, "override")
    }
}
