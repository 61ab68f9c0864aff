/// A parameter-less (or parameter-holding) node of an OFA network's module tree, existing only to
/// reproduce once-for-all's PyTorch attribute names, e.g. the `conv` in
/// `blocks.1.conv.depth_conv.conv.conv.weight`. Forward passes use the parameters directly.
final class OFAModuleNode: Module {
    let children: [(String, Module)]
    let localParameters: [(String, Parameter)]
    var isTraining = true

    init(parameters: [(String, Parameter)] = [], children: [(String, Module)] = []) {
        self.localParameters = parameters
        self.children = children
    }

    /// `module` itself, or `module` under one extra `name` level when `nested` (OFA's dynamic
    /// layers wrap a plain `nn.Conv2d`/`nn.BatchNorm2d` as `.conv`/`.bn`).
    static func wrap(_ module: Module, as name: String, nested: Bool) -> Module {
        nested ? OFAModuleNode(children: [(name, module)]) : module
    }
}
