//! Plain text from the HTML that feeds put in titles and descriptions: tags dropped (script and
//! style with their content), character references decoded (HTML's named ones too, and the
//! double-escaped `&amp;nbsp;` that many feeds write), whitespace collapsed, length capped.

use crate::entities;

/// Longest summary kept, in characters; longer text is cut at a word and ends in `…`.
pub const SUMMARY_MAX_CHARS: usize = 2000;
/// Longest title kept, in characters.
pub const TITLE_MAX_CHARS: usize = 500;
/// Longest author or category kept, in characters.
pub(crate) const SHORT_MAX_CHARS: usize = 200;

/// The text a reader sees in `html`, at most `max_chars` characters long.
pub(crate) fn html_to_text(html: &str, max_chars: usize) -> String {
    let mut out = Collapsed::new(max_chars);
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() && !out.full {
        let Some(step) = html[i..].find(['<', '&']) else {
            out.push_str(&html[i..]);
            break;
        };
        out.push_str(&html[i..i + step]);
        i += step;
        if bytes[i] == b'<' {
            i = markup(html, i, &mut out);
        } else {
            let (decoded, next) = reference(html, i);
            match decoded {
                Some(c) => out.push(c),
                None => out.push('&'),
            }
            i = next;
        }
    }
    out.finish()
}

/// Whitespace collapsed and trimmed, no markup handling; at most `max_chars` characters.
pub(crate) fn collapse(text: &str, max_chars: usize) -> String {
    let mut out = Collapsed::new(max_chars);
    out.push_str(text);
    out.finish()
}

/// Appends `text` to an HTML buffer as literal text (`<` and `&` escaped).
pub(crate) fn push_escaped(buf: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['<', '&']) {
        buf.push_str(&rest[..i]);
        buf.push_str(if rest.as_bytes()[i] == b'<' { "&lt;" } else { "&amp;" });
        rest = &rest[i + 1..];
    }
    buf.push_str(rest);
}

/// Decodes the character reference at `html[at]` (which is `&`). Returns the character, or
/// `None` when this `&` starts no reference (it is then text), and where reading goes on.
/// `&amp;` followed by what would be a reference is read as that reference: feeds escape twice
/// (`&amp;nbsp;`, `&amp;#039;`, even `&amp;amp;quot;`).
fn reference(html: &str, at: usize) -> (Option<char>, usize) {
    let Some((mut c, mut next)) = reference_body(html, at + 1) else {
        return (None, at + 1);
    };
    while c == '&' {
        match reference_body(html, next) {
            Some((inner, end)) => (c, next) = (inner, end),
            None => break,
        }
    }
    (Some(c), next)
}

/// The reference whose body (after the `&`) starts at `html[start]`: the character and the
/// index after it. Numeric references may lack their `;`, as HTML allows; named ones may not.
fn reference_body(html: &str, start: usize) -> Option<(char, usize)> {
    let rest = html.get(start..)?;
    let bytes = rest.as_bytes();
    if bytes.first() == Some(&b'#') {
        let hex = matches!(bytes.get(1), Some(b'x' | b'X'));
        let digits_at = if hex { 2 } else { 1 };
        let len = bytes[digits_at..]
            .iter()
            .take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
            .count();
        if len == 0 {
            return None;
        }
        let c = entities::numeric(&rest[1..digits_at + len])?;
        let end = digits_at + len + usize::from(bytes.get(digits_at + len) == Some(&b';'));
        return Some((c, start + end));
    }
    let len = bytes.iter().take(32).take_while(|b| b.is_ascii_alphanumeric()).count();
    if len == 0 || bytes.get(len) != Some(&b';') {
        return None;
    }
    let c = entities::named(&rest[..len])?;
    Some((c, start + len + 1))
}

/// Skips the markup at `html[at]` (which is `<`) and returns where text goes on. A `<` that
/// starts no tag is text.
fn markup(html: &str, at: usize, out: &mut Collapsed) -> usize {
    let bytes = html.as_bytes();
    let rest = &html[at..];
    match bytes.get(at + 1) {
        Some(b'!') => {
            if let Some(body) = rest.strip_prefix("<!--") {
                return body.find("-->").map_or(html.len(), |e| at + 4 + e + 3);
            }
            if let Some(body) = rest.strip_prefix("<![CDATA[") {
                let end = body.find("]]>").unwrap_or(body.len());
                out.push_str(&body[..end]);
                return (at + 9 + end + 3).min(html.len());
            }
            rest.find('>').map_or(html.len(), |e| at + e + 1)
        }
        Some(b'?') => rest.find('>').map_or(html.len(), |e| at + e + 1),
        Some(b'/') if bytes.get(at + 2).is_some_and(u8::is_ascii_alphabetic) => {
            let name = tag_name(&rest[2..]);
            if is_block(name) {
                out.space();
            }
            rest.find('>').map_or(html.len(), |e| at + e + 1)
        }
        Some(b) if b.is_ascii_alphabetic() => {
            let name = tag_name(&rest[1..]);
            let end = tag_end(rest).map_or(html.len(), |e| at + e + 1);
            if is_block(name) {
                out.space();
            }
            let self_closing = html[..end].ends_with("/>");
            if !self_closing
                && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
            {
                return skip_raw_text(html, end, name);
            }
            end
        }
        _ => {
            out.push('<');
            at + 1
        }
    }
}

/// The element name at the start of `s`.
fn tag_name(s: &str) -> &str {
    let len =
        s.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':')).count();
    &s[..len]
}

/// The index of the `>` that ends the tag starting `s`, skipping quoted attribute values; when a
/// quote never closes, the first `>`.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    s.find('>')
}

/// Skips a script or style element's content up to and past its end tag.
fn skip_raw_text(html: &str, from: usize, name: &str) -> usize {
    let rest = &html[from..];
    let mut search = 0;
    while let Some(i) = rest[search..].find("</") {
        let start = search + i;
        let candidate = &rest[start + 2..];
        if candidate.len() >= name.len()
            && candidate.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return rest[start..].find('>').map_or(html.len(), |e| from + start + e + 1);
        }
        search = start + 2;
    }
    html.len()
}

/// Elements that separate words when rendered.
fn is_block(name: &str) -> bool {
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "audio",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "embed",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "iframe",
        "img",
        "li",
        "object",
        "ol",
        "p",
        "pre",
        "section",
        "source",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "video",
    ];
    name.len() <= 10 && BLOCK.iter().any(|b| b.eq_ignore_ascii_case(name))
}

/// Text with runs of whitespace made one space, leading and trailing whitespace dropped,
/// control and zero-width characters removed, and a length cap.
struct Collapsed {
    text: String,
    chars: usize,
    max: usize,
    pending_space: bool,
    full: bool,
}

impl Collapsed {
    fn new(max: usize) -> Self {
        Collapsed { text: String::new(), chars: 0, max, pending_space: false, full: false }
    }

    fn space(&mut self) {
        self.pending_space = !self.text.is_empty();
    }

    fn push(&mut self, c: char) {
        if self.full {
            return;
        }
        if c.is_whitespace() {
            self.space();
            return;
        }
        if c.is_control()
            || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}')
        {
            return;
        }
        if self.pending_space {
            self.pending_space = false;
            self.push_char(' ');
        }
        self.push_char(c);
    }

    fn push_char(&mut self, c: char) {
        if self.chars >= self.max {
            self.full = true;
            return;
        }
        self.text.push(c);
        self.chars += 1;
    }

    fn push_str(&mut self, s: &str) {
        if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
            // The common case: a run of plain ASCII.
            if self.pending_space && !s.is_empty() {
                self.pending_space = false;
                self.push_char(' ');
            }
            let room = self.max.saturating_sub(self.chars);
            if s.len() > room {
                self.text.push_str(&s[..room]);
                self.chars += room;
                self.full = true;
            } else {
                self.text.push_str(s);
                self.chars += s.len();
            }
            return;
        }
        for c in s.chars() {
            if self.full {
                return;
            }
            self.push(c);
        }
    }

    /// The text; when it was cut, at the last word boundary in its final fifth, with `…`.
    fn finish(mut self) -> String {
        if self.full {
            let keep_from = self.text.len() - self.text.len() / 5;
            if let Some(space) = self.text.rfind(' ').filter(|&s| s >= keep_from) {
                self.text.truncate(space);
            } else if let Some((last, _)) = self.text.char_indices().last() {
                self.text.truncate(last);
            }
            self.text.push('…');
        }
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        html_to_text(html, SUMMARY_MAX_CHARS)
    }

    #[test]
    fn tags_are_dropped_and_blocks_separate_words() {
        assert_eq!(text("<p>One</p><p>Two</p>"), "One Two");
        assert_eq!(text("a<b>b</b>c"), "abc");
        assert_eq!(text("line<br>next<br/>last"), "line next last");
        assert_eq!(text("<A HREF='x.pdf'>Desc&aacute;rguelo</A>"), "Descárguelo");
        assert_eq!(text(r#"<img src="a.jpg" alt="x > y" align="left" />Text"#), "Text");
        assert_eq!(text("x<script>if (a < b) { alert('</p>') }</script>y"), "xy");
        assert_eq!(text("x<STYLE>p { color: red }</STYLE>y"), "xy");
        assert_eq!(text("a<!-- comment <p> -->b"), "ab");
        assert_eq!(text("1 < 2 and 3 <4"), "1 < 2 and 3 <4");
        assert_eq!(text("cut off <a href=\"http://exa"), "cut off");
        assert_eq!(text("<![CDATA[<not a tag>]]>"), "<not a tag>");
    }

    #[test]
    fn references_are_decoded_once_or_twice() {
        assert_eq!(text("It&#039;s"), "It's");
        assert_eq!(text("It&#x2019;s &amp; more"), "It’s & more");
        assert_eq!(text("a&nbsp;b"), "a b");
        assert_eq!(text("a&amp;nbsp;b"), "a b");
        assert_eq!(text("&amp;#8220;Quote&amp;#8221;"), "“Quote”");
        assert_eq!(text("&amp;amp;quot;x"), "\"x");
        assert_eq!(text("AT&T &amp; Q&A; R&D"), "AT&T & Q&A; R&D");
        assert_eq!(text("&unknown; &amp;unknown;"), "&unknown; &unknown;");
        assert_eq!(text("&#146;&#150;"), "’–");
        assert_eq!(text("&#39 missing semicolon"), "' missing semicolon");
        assert_eq!(text("&lt;p&gt;"), "<p>");
        assert_eq!(text("&"), "&");
        assert_eq!(text("&amp;"), "&");
        assert_eq!(text("&amp;&amp;"), "&&");
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(text("  \n\t Acting Chairman\r\n  Names  "), "Acting Chairman Names");
        assert_eq!(text("a\u{a0}\u{a0}b\u{200b}c\u{0}d"), "a bcd");
        assert_eq!(collapse(" x \n y ", 100), "x y");
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        let long = "word ".repeat(1000);
        let cut = html_to_text(&long, 52);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= 53);
        let unbroken = "x".repeat(100);
        assert_eq!(html_to_text(&unbroken, 10), format!("{}…", "x".repeat(9)));
        assert_eq!(html_to_text("é".repeat(30).as_str(), 10).chars().count(), 10);
    }

    #[test]
    fn escaping_round_trips() {
        let mut buf = String::new();
        push_escaped(&mut buf, "a < b & <c> &amp;");
        assert_eq!(buf, "a &lt; b &amp; &lt;c> &amp;amp;");
        // Literal text that looks escaped is read as the double escape it nearly always is.
        assert_eq!(text(&buf), "a < b & <c> &");
    }
}
