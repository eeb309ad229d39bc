//! Bytes to content lines (RFC 5545 §3.1): decoding, unfolding, and splitting a line into
//! name, parameters and value, tolerating what real files do (LF endings, blank lines, tabs
//! as fold markers, lines far over 75 octets, folds inside a UTF-8 character).

use crate::{Error, Problem};

/// The text of a file, decoded leniently.
pub(crate) fn decode(
    bytes: &[u8],
    source: &str,
    problems: &mut Vec<Problem>,
) -> Result<String, Error> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest, source, problems);
    }
    // UTF-16 with a byte-order mark (some Windows exports).
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, false)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true)),
        _ => None,
    };
    if let Some((rest, big_endian)) = utf16 {
        let units = rest.chunks_exact(2).map(|pair| {
            let pair = [pair[0], pair[1]];
            if big_endian { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) }
        });
        let text: String =
            char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
        problems.push(Problem::new(1, "UTF-16 text; decoded"));
        return Ok(text);
    }
    decode_utf8(bytes, source, problems)
}

fn decode_utf8(bytes: &[u8], source: &str, problems: &mut Vec<Problem>) -> Result<String, Error> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::NotText { name: source.to_owned(), offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            problems.push(Problem::new(line, "bytes that are not UTF-8; replaced with U+FFFD"));
            Ok(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

/// A logical (unfolded) line and the physical line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) number: usize,
    pub(crate) text: String,
}

/// Unfolds `text` into logical lines: CRLF, LF or CR endings; a line starting with a space or
/// tab continues the one before (the one whitespace character is dropped); blank lines are
/// skipped.
pub(crate) fn unfold(text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let physical = text.split('\n').flat_map(|l| {
        // A CR alone also ends a line (old Mac files); a CR before LF is part of the ending.
        let l = l.strip_suffix('\r').unwrap_or(l);
        l.split('\r')
    });
    for (i, raw) in physical.enumerate() {
        if let (Some(rest), Some(last)) = (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            last.text.push_str(rest);
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        lines.push(Line { number: i + 1, text: raw.to_owned() });
    }
    lines
}

/// A content line split into its parts; names upper-cased, parameter values unquoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Property {
    pub(crate) line: usize,
    pub(crate) name: String,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) value: String,
}

impl Property {
    /// The first value of parameter `name` (upper-case).
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Splits a content line: `name *(";" param) ":" value`. `None` when it is not one (no colon,
/// or a name with characters a name cannot have).
pub(crate) fn split(line: &Line) -> Option<Property> {
    let text = line.text.as_str();
    let name_end = text.find([';', ':'])?;
    let name = text[..name_end].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = &text[name_end..];
    // `rest` starts at ';' (another parameter) or ':' (the value).
    loop {
        if let Some(value) = rest.strip_prefix(':') {
            return Some(Property {
                line: line.number,
                name: name.to_ascii_uppercase(),
                params,
                value: value.to_owned(),
            });
        }
        rest = rest.strip_prefix(';')?;
        let eq = rest.find(['=', ':', ';'])?;
        let param_name = rest[..eq].trim().to_ascii_uppercase();
        if rest.as_bytes()[eq] != b'=' {
            // A parameter without a value (`;X-FLAG:`): keep the name, go on.
            params.push((param_name, String::new()));
            rest = &rest[eq..];
            continue;
        }
        rest = &rest[eq + 1..];
        // Values: comma-separated, each quoted or not; only the first is kept, which is all
        // any parameter read here needs.
        let mut first: Option<String> = None;
        loop {
            let (value, after) = if let Some(quoted) = rest.strip_prefix('"') {
                let close = quoted.find('"')?;
                (&quoted[..close], &quoted[close + 1..])
            } else {
                let end = rest.find([',', ';', ':'])?;
                (&rest[..end], &rest[end..])
            };
            first.get_or_insert_with(|| caret_decode(value.trim()));
            rest = after;
            match rest.strip_prefix(',') {
                Some(next) => rest = next,
                None => break,
            }
        }
        params.push((param_name, first.unwrap_or_default()));
    }
}

/// RFC 6868 parameter-value escapes: `^n` newline, `^'` double quote, `^^` caret.
fn caret_decode(value: &str) -> String {
    if !value.contains('^') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\'') => out.push('"'),
            Some('^') => out.push('^'),
            Some(other) => {
                out.push('^');
                out.push(other);
            }
            None => out.push('^'),
        }
    }
    out
}

/// TEXT unescaped (RFC 5545 §3.3.11): `\\`, `\;`, `\,`, `\n` and `\N`; any other backslash
/// pair keeps its character, a lone trailing backslash stays.
pub(crate) fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a TEXT list (`CATEGORIES`) at commas that are not escaped, unescaping each item.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            items.push(unescape(&std::mem::take(&mut current)));
        } else {
            current.push(c);
        }
    }
    if escaped {
        current.push('\\');
    }
    items.push(unescape(&current));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line { number: 7, text: text.to_owned() }
    }

    #[test]
    fn unfolds_crlf_lf_space_and_tab_and_skips_blank_lines() {
        let text = "BEGIN:VEVENT\r\nSUMMARY:a\r\n  b\r\n\tc\r\n\r\n\nEND:VEVENT\nX:1\rY:2";
        let lines = unfold(text);
        let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.number, l.text.as_str())).collect();
        assert_eq!(
            got,
            [(1, "BEGIN:VEVENT"), (2, "SUMMARY:a bc"), (7, "END:VEVENT"), (8, "X:1"), (9, "Y:2")]
        );
    }

    #[test]
    fn splits_names_parameters_and_values() {
        let p = split(&line("dtstart;TZID=\"America/New_York\";VALUE=DATE-TIME:20260109T083000"))
            .expect("property");
        assert_eq!(p.name, "DTSTART");
        assert_eq!(p.param("TZID"), Some("America/New_York"));
        assert_eq!(p.param("VALUE"), Some("DATE-TIME"));
        assert_eq!(p.value, "20260109T083000");
        assert_eq!(p.line, 7);

        // A quoted value may hold ':' and ';'; the value may hold ':' too.
        let p = split(&line("ATTENDEE;CN=\"Doe; Jane: CFO\";ROLE=CHAIR:mailto:j@x.org"))
            .expect("property");
        assert_eq!(p.param("CN"), Some("Doe; Jane: CFO"));
        assert_eq!(p.value, "mailto:j@x.org");

        let p = split(&line("X-A;DELEGATED-TO=\"a\",\"b\";X-FLAG:v")).expect("property");
        assert_eq!(p.param("DELEGATED-TO"), Some("a"));
        assert_eq!(p.param("X-FLAG"), Some(""));
        assert_eq!(p.value, "v");

        assert_eq!(split(&line("X;CN=^'Q^'^nx:v")).expect("p").param("CN"), Some("\"Q\"\nx"));
        assert!(split(&line("no colon here")).is_none());
        assert!(split(&line("two words:value")).is_none());
        assert!(split(&line("X;CN=\"unclosed:v")).is_none());
    }

    #[test]
    fn unescapes_text() {
        assert_eq!(unescape(r"a\, b\; c\\d\ne\Nf\:g\"), "a, b; c\\d\ne\nf:g\\");
        assert_eq!(split_list(r"IMPORTANT, BLS"), ["IMPORTANT", " BLS"]);
        assert_eq!(split_list(r"A\,B,C\\,D\"), ["A,B", "C\\", "D\\"]);
    }

    #[test]
    fn decoding_is_lenient() {
        let mut problems = Vec::new();
        let text = decode(b"\xEF\xBB\xBFBEGIN:VCALENDAR", "s", &mut problems).expect("text");
        assert_eq!(text, "BEGIN:VCALENDAR");
        assert!(problems.is_empty());

        let text = decode(b"A\nB\xFF\n", "s", &mut problems).expect("text");
        assert_eq!(text, "A\nB\u{FFFD}\n");
        assert_eq!(problems[0].line, 2);

        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("BEGIN:é".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16, "s", &mut problems).expect("text"), "BEGIN:é");

        assert!(matches!(
            decode(b"BEGIN\0", "s", &mut problems),
            Err(Error::NotText { offset: 5, .. })
        ));
    }
}
