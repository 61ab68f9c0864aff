import HNASKit
import ModalityText

/// The text plugin already decodes inline text (`load(text:dataset:)`); declaring it here lets the
/// Memes pipeline hand it each annotation's OCR text. (Belongs in ModalityText once both are merged.)
extension TextModality: InlineTextModality {}
