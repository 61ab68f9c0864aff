/// HTML character references decoded exactly as Python's `html.unescape` does, plus the stricter
/// variant ftfy's `unescape_html` applies; both are steps of CLIP's text cleaning.
///
/// Python's rules: a reference is `&` followed by `#` and decimal digits, `#x`/`#X` and hex digits,
/// or 1–32 characters other than tab, newline, form feed, space, `<`, `&`, `#`, `;`; each may end
/// with `;`. A numeric reference in Python's replacement table (NUL, CR, the Windows-1252 range
/// 0x80–0x9F) takes its replacement, a surrogate or a value above U+10FFFF becomes U+FFFD, a
/// disallowed code point (most controls, non-characters) is dropped. A named reference is looked
/// up whole, else by its longest prefix (of at least 2 characters) that is a name valid without
/// `;` (`&ampx` → `&x`), else kept as written.
struct HTMLUnescaper {
    static let shared = HTMLUnescaper()

    /// Every HTML5 name (with `;` where it has one) → replacement.
    private let named: [String: [Unicode.Scalar]]
    /// ftfy's extra upper-cased names (`NTILDE;`) → replacement.
    private let uppercase: [String: [Unicode.Scalar]]
    private static let maxNameLength = 32
    private static let ftfyMaxNameLength = 24

    private init() {
        named = Self.parse(HTMLEntityTable.html5)
        uppercase = Self.parse(HTMLEntityTable.ftfyUppercase)
    }

    private static func parse(_ table: String) -> [String: [Unicode.Scalar]] {
        var result = [String: [Unicode.Scalar]]()
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            result[String(fields[0])] = fields[1].split(separator: " ").map { Unicode.Scalar(UInt32($0, radix: 16)!)! }
        }
        return result
    }

    /// Python's `html.unescape(text)`.
    func unescape(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        replacingReferences(in: text) { numericReference(text, at: $0) ?? namedReference(text, at: $0) }
    }

    /// ftfy's `unescape_html`: only `&name;` / `&#…;` with 1–24 ASCII letters or digits; a name must be
    /// an HTML5 name that ends with `;` or one of ftfy's upper-cased names; a numeric reference is
    /// replaced only when Python decodes it through its `;`.
    func unescapeFTFY(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        replacingReferences(in: text) { start in
            guard let end = ftfyReferenceEnd(text, at: start) else { return nil }
            let reference = Array(text[start..<end])
            if reference[1] == "#" {
                let decoded = unescape(reference)
                return (decoded.contains(";") ? reference : decoded, end)
            }
            let name = String(String.UnicodeScalarView(reference[1...]))
            return (named[name] ?? uppercase[name] ?? reference, end)
        }
    }

    /// `text` with every reference `match` recognises at an `&` (giving its replacement and end)
    /// replaced, scanning left to right without overlaps.
    private func replacingReferences(in text: [Unicode.Scalar],
                                     _ match: (Int) -> ([Unicode.Scalar], Int)?) -> [Unicode.Scalar] {
        guard text.contains("&") else { return text }
        var out = [Unicode.Scalar]()
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if text[i] == "&", let (replacement, end) = match(i) {
                out += replacement
                i = end
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// The end (past `;`) of an ftfy-style reference starting at `start`, or nil.
    private func ftfyReferenceEnd(_ text: [Unicode.Scalar], at start: Int) -> Int? {
        var j = start + 1
        if j < text.count, text[j] == "#" { j += 1 }
        let first = j
        while j < text.count, Self.isASCIILetterOrDigit(text[j]) { j += 1 }
        let length = j - first
        guard (1...Self.ftfyMaxNameLength).contains(length), j < text.count, text[j] == ";" else { return nil }
        return j + 1
    }

    private static func isASCIILetterOrDigit(_ s: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(s) || ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }

    /// `&#123;`, `&#x7B;` (the `;` optional) at `start`: its replacement and end.
    private func numericReference(_ text: [Unicode.Scalar], at start: Int) -> ([Unicode.Scalar], Int)? {
        guard start + 1 < text.count, text[start + 1] == "#" else { return nil }
        var j = start + 2
        var radix: UInt32 = 10
        if j + 1 < text.count, text[j] == "x" || text[j] == "X", Self.digitValue(text[j + 1], radix: 16) != nil {
            radix = 16
            j += 1
        }
        var value: UInt32 = 0
        var overflow = false
        let first = j
        while j < text.count, let digit = Self.digitValue(text[j], radix: radix) {
            if !overflow {
                let (product, o1) = value.multipliedReportingOverflow(by: radix)
                let (sum, o2) = product.addingReportingOverflow(digit)
                overflow = o1 || o2 || sum > 0x10FFFF
                value = sum
            }
            j += 1
        }
        guard j > first else { return nil }
        if j < text.count, text[j] == ";" { j += 1 }
        return (Self.character(forReference: overflow ? 0x110000 : value), j)
    }

    /// Python's replacement for numeric reference `value`.
    private static func character(forReference value: UInt32) -> [Unicode.Scalar] {
        if let replacement = HTMLEntityTable.invalidCharRefs[value] { return [Unicode.Scalar(replacement)!] }
        if (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return ["\u{FFFD}"] }
        if HTMLEntityTable.invalidCodePoints.contains(value) { return [] }
        return [Unicode.Scalar(value)!]
    }

    private static func digitValue(_ s: Unicode.Scalar, radix: UInt32) -> UInt32? {
        switch s.value {
        case 0x30...0x39: return s.value - 0x30
        case 0x41...0x46 where radix == 16: return s.value - 0x41 + 10
        case 0x61...0x66 where radix == 16: return s.value - 0x61 + 10
        default: return nil
        }
    }

    /// `&name;` / `&name` at `start`: its replacement and end.
    private func namedReference(_ text: [Unicode.Scalar], at start: Int) -> ([Unicode.Scalar], Int)? {
        var j = start + 1
        while j < text.count, j - start - 1 < Self.maxNameLength, !Self.endsName(text[j]) { j += 1 }
        guard j > start + 1 else { return nil }
        if j < text.count, text[j] == ";" { j += 1 }
        let name = Array(text[(start + 1)..<j])
        if let replacement = named[String(String.UnicodeScalarView(name))] { return (replacement, j) }
        for length in stride(from: name.count - 1, through: 2, by: -1) {
            if let replacement = named[String(String.UnicodeScalarView(name[0..<length]))] {
                return (replacement + name[length...], j)
            }
        }
        return (["&"] + name, j)
    }

    private static func endsName(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "\t", "\n", "\u{0C}", " ", "<", "&", "#", ";": return true
        default: return false
        }
    }
}
