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
        ]
    )
}
