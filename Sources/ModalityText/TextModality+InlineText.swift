import HNASKit

/// The text plugin decodes inline text (`load(text:options:)`) as well as files; declaring the
/// conformance lets a dataset pipeline (Memes) hand it each annotation's OCR text instead of a file.
extension TextModality: InlineTextModality {}
