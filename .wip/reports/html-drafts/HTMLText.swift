import Plot

/// Text from the manifest, the service or a template as a Plot text node: the one way such text enters the page.
///
/// Plot's `.text` escapes `<` and `>` but keeps what already looks like an entity (`&amp;`, `&#60;`) as it is,
/// so `&` is made `&amp;` before Plot sees it; and the control characters XML does not allow become U+FFFD. A
/// label such as `<script>` or `&lt;b&gt;` then reads exactly as written, and the page stays well-formed XML.
enum HTMLText {
    static func node<Context>(_ text: String) -> Node<Context> {
        .text(prepared(text))
    }

    static func prepared(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "\t", "\n", "\r": result.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{7F}", "\u{FFFE}", "\u{FFFF}": result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
