import ArgumentParser

/// `hnas export …`: found models in deployment formats.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a found model for deployment (ONNX, for ONNX Runtime and TensorRT).",
        subcommands: [ExportONNXCommand.self]
    )
}
