/// A modality that can also decode text given inline rather than in a file.
///
/// Some datasets keep their text inside an annotation file (the Memes `.jsonl` lines carry each
/// meme's OCR text), so the pipeline hands the string itself to the text modality instead of a
/// path. Pipelines ask for this protocol with `as?` on the registered `text` plugin.
public protocol InlineTextModality: Modality {
    /// Turns `text` into the tensor the backbone consumes, with the preprocessing `options` describe.
    /// - Throws: `HNASError` when the options are invalid or take no inline text.
    func load(text: String, options: ModalityOptions) throws -> Tensor
}
