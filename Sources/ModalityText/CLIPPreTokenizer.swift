/// CLIP's pre-tokenisation: splits cleaned text into the pieces BPE encodes separately.
///
/// A hand-written equivalent of CLIP's case-insensitive pattern
/// `<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`
/// scanned left to right, skipping what no alternative matches. At each position the first
/// alternative that matches wins: a special-token literal, a contraction, a maximal run of letters
/// (general category L*), a single number character (N*), or a maximal run of characters that are
/// neither whitespace (the White_Space property, what the `regex` module's `\s` matches) nor letters
/// nor numbers. Case-insensitive matching matters only in two places, which are reproduced: the
/// long s `ſ` matches `s` in the literals and contractions, and U+0345 COMBINING GREEK
/// YPOGEGRAMMENI (which case-folds to the letter ι) matches neither the letter nor the
/// non-letter class, so it is skipped like whitespace.
enum CLIPPreTokenizer {
    /// The character classes the pattern distinguishes.
    enum CharacterClass: Equatable {
        case skipped, letter, number, other
    }

    static func characterClass(_ s: Unicode.Scalar) -> CharacterClass {
        if s.isASCII {
            switch s.value {
            case 0x61...0x7A, 0x41...0x5A: return .letter
            case 0x30...0x39: return .number
            case 0x09...0x0D, 0x20: return .skipped
            default: return .other
            }
        }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return s.properties.isWhitespace || s.value == 0x345 ? .skipped : .other
        }
    }

    private static let literals: [[Unicode.Scalar]] = ["<|startoftext|>", "<|endoftext|>", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"]
        .map { Array($0.unicodeScalars) }

    /// The pieces of `text` as index ranges, in order.
    static func pieces(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var pieces = [Range<Int>]()
        var i = 0
        while i < text.count {
            if let literal = literals.first(where: { matches($0, text, at: i) }) {
                pieces.append(i..<(i + literal.count))
                i += literal.count
                continue
            }
            let kind = characterClass(text[i])
            switch kind {
            case .skipped:
                i += 1
            case .number:
                pieces.append(i..<(i + 1))
                i += 1
            case .letter, .other:
                var j = i + 1
                while j < text.count, characterClass(text[j]) == kind { j += 1 }
                pieces.append(i..<j)
                i = j
            }
        }
        return pieces
    }

    /// Whether `literal` (lower-case ASCII) occurs at `start`, case-insensitively as the pattern
    /// compares: upper-case ASCII and the long s `ſ` (for `s`) also match.
    private static func matches(_ literal: [Unicode.Scalar], _ text: [Unicode.Scalar], at start: Int) -> Bool {
        guard start + literal.count <= text.count else { return false }
        for (k, expected) in literal.enumerated() {
            let actual = text[start + k]
            if actual == expected { continue }
            if ("a"..."z").contains(expected), actual.value == expected.value - 32 { continue }
            if expected == "s", actual == "\u{017F}" { continue }
            return false
        }
        return true
    }
}
