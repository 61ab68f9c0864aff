import ArgumentParser

/// `hnas features …`: what a modality plugin makes of one input file (decoded and preprocessed
/// tensors), for inspection and comparison with the Python reference.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print the tensor a modality computes from one input file.",
        discussion: """
            Examples:
              hnas features image poster.jpg --dataset memes
              hnas features mfcc Data/avmnist-sample/sound_450/test/3/3_anniela_0.wav --json
            """,
        subcommands: [
            FeaturesImageCommand.self,
            FeaturesMfccCommand.self,
        ]
    )
}
