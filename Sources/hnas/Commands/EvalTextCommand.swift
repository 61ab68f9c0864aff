import ArgumentParser
import Foundation
import HNASKit
import ModalityText

/// `hnas eval-text`: scores Maxout text weights on a dataset's test split.
struct EvalTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-text",
        abstract: "Score Maxout text-backbone weights on the test split (MM-IMDB weighted F1, Memes accuracy).",
        discussion: """
            Loads the weights strictly by the original's names (from `hnas train-text`, or an original \
            checkpoint converted with Scripts/convert_torch_checkpoint.py) and scores the test split in \
            evaluation mode as the original does: weighted F1 of sigmoid > 0.3 (MM-IMDB, 300 → 23) or \
            top-1 accuracy (Memes, 77 → 3). A file whose names or shapes do not fit is rejected with the \
            list of missing, unexpected and mis-shaped tensors.

            Example:
              hnas eval-text --dataset mmimdb --data Data/mmimdb --weights maxout-mmimdb-text.safetensors
            """
    )

    @OptionGroup var text: TextBackboneArguments

    @Option(help: "Weights (safetensors with the original's names).")
    var weights: String

    func run() throws {
        let (backbone, splits) = try text.load(splits: ["test"])
        let network = backbone.makeMaxoutNetwork()
        try network.load(from: URL(fileURLWithPath: weights))
        let score = try network.score(on: splits[0])
        print(String(format: "%@: %@ on %d test samples: %@ %.2f%%", weights, backbone.name, splits[0].count,
                     TextBackboneArguments.metric(of: splits[0]), score))
    }
}
