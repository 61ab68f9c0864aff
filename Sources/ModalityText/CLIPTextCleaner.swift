import Foundation

/// CLIP's text cleaning, step by step as `basic_clean` + `whitespace_clean` + `lower` do it:
/// (a) the ftfy 6 `fix_text` repairs listed below, (b) Python's `html.unescape` twice, (c) strip,
/// (d) every run of whitespace → one space, (e) Python's `str.lower`.
///
/// ftfy repairs reproduced, in ftfy's order, repeated per line until nothing changes:
/// HTML entities (ftfy's strict `&name;` form, only while no line so far contained `<`),
/// C1 controls read as Windows-1252, Latin ligatures (ﬁ → fi, Ǆ → DŽ, …), full- and half-width
/// forms (NFKC of U+FF01–U+FFEF, U+3000 → space), curly quotes → ASCII quotes, line breaks
/// (CR LF, CR, U+2028, U+2029, U+0085 → LF), ANSI terminal escapes removed, control characters
/// removed (U+0000–0008, 000B, 000E–001F, 007F, 206A–206F, FEFF, FFF9–FFFC), Unicode NFC.
///
/// Not reproduced (documented differences from CLIP):
/// - ftfy's mojibake repair (`fix_encoding` and its sub-steps `restore_byte_a0`,
///   `replace_lossy_sequences`, `decode_inconsistent_utf8`): text such as "cafÃ©" that ftfy would
///   re-decode as "café" is tokenised as written. ftfy only acts on text its heuristics find
///   implausible; ordinary text, accents, CJK and emoji are unaffected.
/// - `fix_surrogates`: a Swift string cannot hold lone surrogates, so there is nothing to fix.
/// Unicode data (categories, case mappings, NFC) are Swift's, which may be a newer Unicode version
/// than the Python that ran CLIP; characters assigned since then can differ.
struct CLIPTextCleaner {
    private let unescaper = HTMLUnescaper.shared
    /// ftfy's `fix_character_width` table.
    private let widthMap: [UInt32: [Unicode.Scalar]]
    /// ftfy reads segments of at most this many characters.
    private static let maxSegmentLength = 1_000_000

    init() {
        var widthMap: [UInt32: [Unicode.Scalar]] = [0x3000: [" "]]
        for value in UInt32(0xFF01)..<0xFFF0 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let compatible = String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars
            if compatible.count != 1 || compatible.first != scalar { widthMap[value] = Array(compatible) }
        }
        self.widthMap = widthMap
    }

    /// The text CLIP tokenises for `text`.
    func clean(_ text: String) -> String {
        var scalars = fixText(Array(text.unicodeScalars))
        scalars = unescaper.unescape(unescaper.unescape(scalars))
        let words = scalars.split(whereSeparator: Self.isPythonWhitespace)
        let joined = Array(words.joined(separator: [" "]))
        return String(String.UnicodeScalarView(Self.pythonLowercased(joined)))
    }

    /// `ftfy.fix_text` without the repairs listed as not reproduced: line by line (each piece ends
    /// after a `\n`), where entity unescaping stops for good at the first piece containing `<`.
    func fixText(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(text.count)
        var unescapeHTML = true
        var start = 0
        while start < text.count {
            var end = text[start...].firstIndex(of: "\n").map { $0 + 1 } ?? text.count
            end = min(end, start + Self.maxSegmentLength)
            let segment = Array(text[start..<end])
            if unescapeHTML && segment.contains("<") { unescapeHTML = false }
            out += fixSegment(segment, unescapeHTML: unescapeHTML)
            start = end
        }
        return out
    }

    private func fixSegment(_ segment: [Unicode.Scalar], unescapeHTML: Bool) -> [Unicode.Scalar] {
        var text = segment
        while true {
            let original = text
            if unescapeHTML { text = unescaper.unescapeFTFY(text) }
            text = text.map(Self.windows1252ForC1)
            text = translate(text, Self.ligatures)
            text = translate(text, widthMap)
            text = text.map(Self.uncurled)
            text = Self.unifiedLineBreaks(text)
            text = Self.withoutTerminalEscapes(text)
            text.removeAll(where: Self.isRemovedControl)
            // Text made only of characters below U+0300 is already NFC (nothing there composes).
            if text.contains(where: { $0.value >= 0x300 }) {
                text = Array(String(String.UnicodeScalarView(text)).precomposedStringWithCanonicalMapping.unicodeScalars)
            }
            if text == original { return text }
        }
    }

    private func translate(_ text: [Unicode.Scalar], _ table: [UInt32: [Unicode.Scalar]]) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(text.count)
        for s in text {
            if let replacement = table[s.value] { out += replacement } else { out.append(s) }
        }
        return out
    }

    /// ftfy's `fix_latin_ligatures` table.
    private static let ligatures: [UInt32: [Unicode.Scalar]] = [
        0x0132: ["I", "J"], 0x0133: ["i", "j"], 0x0149: ["\u{02BC}", "n"],
        0x01F1: ["D", "Z"], 0x01F2: ["D", "z"], 0x01F3: ["d", "z"],
        0x01C4: ["D", "\u{017D}"], 0x01C5: ["D", "\u{017E}"], 0x01C6: ["d", "\u{017E}"],
        0x01C7: ["L", "J"], 0x01C8: ["L", "j"], 0x01C9: ["l", "j"],
        0x01CA: ["N", "J"], 0x01CB: ["N", "j"], 0x01CC: ["n", "j"],
        0xFB00: ["f", "f"], 0xFB01: ["f", "i"], 0xFB02: ["f", "l"], 0xFB03: ["f", "f", "i"],
        0xFB04: ["f", "f", "l"], 0xFB05: ["\u{017F}", "t"], 0xFB06: ["s", "t"],
    ]

    /// A C1 control (U+0080–U+009F) read as the Windows-1252 character of that byte (bytes
    /// Windows-1252 leaves undefined stay as they are); Python's table of numeric-reference
    /// replacements is exactly this map.
    private static func windows1252ForC1(_ s: Unicode.Scalar) -> Unicode.Scalar {
        guard (0x80...0x9F).contains(s.value), let value = HTMLEntityTable.invalidCharRefs[s.value] else { return s }
        return Unicode.Scalar(value)!
    }

    /// ftfy's `uncurl_quotes`: ʼ ‘ ’ ‚ ‛ → ', “ ” „ ‟ → ".
    private static func uncurled(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0x02BC, 0x2018...0x201B: return "'"
        case 0x201C...0x201F: return "\""
        default: return s
        }
    }

    private static func unifiedLineBreaks(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            switch text[i] {
            case "\r" where i + 1 < text.count && text[i + 1] == "\n":
                out.append("\n")
                i += 1
            case "\r", "\u{2028}", "\u{2029}", "\u{85}":
                out.append("\n")
            default:
                out.append(text[i])
            }
            i += 1
        }
        return out
    }

    /// Removes ANSI escapes `ESC [ (digit | ;)* letter` (a digit being any decimal digit, as
    /// Python's `\d`; the letter ASCII).
    private static func withoutTerminalEscapes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("\u{1B}") else { return text }
        var out = [Unicode.Scalar]()
        var i = 0
        while i < text.count {
            if text[i] == "\u{1B}", i + 1 < text.count, text[i + 1] == "[" {
                var j = i + 2
                while j < text.count, text[j] == ";" || text[j].properties.generalCategory == .decimalNumber { j += 1 }
                if j < text.count, text[j].isASCII, text[j].properties.isAlphabetic {
                    i = j + 1
                    continue
                }
            }
            out.append(text[i])
            i += 1
        }
        return out
    }

    private static func isRemovedControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x08, 0x0B, 0x0E...0x1F, 0x7F, 0x206A...0x206F, 0xFEFF, 0xFFF9...0xFFFC: return true
        default: return false
        }
    }

    /// Python's `str.isspace`: the Unicode White_Space characters plus U+001C–U+001F (which Python
    /// counts through their bidirectional class).
    static func isPythonWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 ? (0x09...0x0D).contains(s.value) || (0x1C...0x20).contains(s.value)
            : s.properties.isWhitespace
    }

    /// Python's `str.lower`: each character's full lower-case mapping, except that Σ becomes final
    /// ς when a cased letter precedes it and none follows (case-ignorable characters skipped).
    static func pythonLowercased(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(text.count)
        for (i, s) in text.enumerated() {
            if s == "\u{03A3}" {
                out.append(isFinalSigma(text, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else if s.isASCII {
                out.append(("A"..."Z").contains(s) ? Unicode.Scalar(s.value + 32)! : s)
            } else {
                out += s.properties.lowercaseMapping.unicodeScalars
            }
        }
        return out
    }

    private static func isFinalSigma(_ text: [Unicode.Scalar], at index: Int) -> Bool {
        var j = index - 1
        while j >= 0, text[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, text[j].properties.isCased else { return false }
        j = index + 1
        while j < text.count, text[j].properties.isCaseIgnorable { j += 1 }
        return j == text.count || !text[j].properties.isCased
    }
}
