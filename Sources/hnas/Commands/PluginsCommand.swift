import ArgumentParser
import HNASKit

/// `hnas plugins`: every registered plugin, by kind, name and one-line description.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the registered plugins (pipelines, modalities, backbones, searches, fusion searches, hardware).",
        discussion: """
            Example:
              hnas plugins
            """
    )

    func run() throws {
        let infos = makeRegistry().all
        guard !infos.isEmpty else {
            print("no plugins registered")
            return
        }
        let kindWidth = infos.map(\.kind.rawValue.count).max()!
        let nameWidth = infos.map(\.name.count).max()!
        for info in infos {
            let kind = info.kind.rawValue.padding(toLength: kindWidth, withPad: " ", startingAt: 0)
            let name = info.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            print("\(kind)  \(name)  \(info.summary)")
        }
    }
}
