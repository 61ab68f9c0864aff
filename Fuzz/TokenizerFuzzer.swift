import Foundation
import ModalityText

/// libFuzzer target: the CLIP tokenizer (cleaning, pre-tokenising, BPE) on arbitrary UTF-8 text, then
/// decoding its ids; run from the package root (it loads the bundled vocabulary from `Sources/`).
let tokenizer = try! CLIPTokenizer(vocabularyURL: URL(fileURLWithPath: "Sources/ModalityText/Resources/bpe_simple_vocab_16e6.txt.gz"))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let rows = try? tokenizer.tokenize([text], contextLength: 77) { _ = try? tokenizer.decode(rows[0]) }
    return 0
}
