import ArgumentParser

/// `hnas features …`: the tensors a modality feeds its backbone, computed from one file.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Compute a modality's input features from a file (MFCC of a sound, …).",
        discussion: """
            Example:
              hnas features mfcc sound_450/test/7/7_theo_3.wav --json
            """,
        subcommands: [
            FeaturesMfccCommand.self,
/// `hnas features …`: what a modality plugin makes of one input file (decoded and preprocessed
/// tensors), for inspection and comparison with the Python reference.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print the tensor a modality computes from one input file.",
        discussion: """
            Example:
              hnas features image poster.jpg --dataset memes
            """,
        subcommands: [
            FeaturesImageCommand.self,
        ]
    )
}
