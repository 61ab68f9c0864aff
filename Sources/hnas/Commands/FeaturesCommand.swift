import ArgumentParser

/// `hnas features …`: the tensors a modality feeds its backbone, computed from one file.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Compute a modality's input features from a file (MFCC of a sound, preprocessed image, …).",
        discussion: """
            Examples:
              hnas features mfcc sound_450/test/7/7_theo_3.wav --json
              hnas features image poster.jpg --dataset memes
            """,
        subcommands: [
            FeaturesMfccCommand.self,
            FeaturesImageCommand.self,
        ]
    )
}
