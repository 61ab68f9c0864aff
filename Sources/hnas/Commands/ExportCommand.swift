import ArgumentParser

/// `hnas export …`: found models in deployment formats.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a found model for deployment (ONNX, for ONNX Runtime and TensorRT).",
        discussion: """
            Example:
              hnas export onnx --model runs/avmnist/best/3 --out avmnist.onnx
            """,
        subcommands: [ExportONNXCommand.self]
    )
}
