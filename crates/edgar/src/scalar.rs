//! Scalars as EDGAR files them: booleans as 0/1 or true/false, numbers with stray commas or
//! dollar signs, dates with an appended zone, text with layout whitespace.

use jiff::civil::Date;

/// Text with runs of whitespace collapsed to one space and the ends trimmed; `None` when empty.
pub(crate) fn collapse(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    // Most values are already clean: one pass decides, and only messy text is rebuilt.
    let mut prev_space = false;
    let clean = t.bytes().all(|b| {
        let ok =
            !(matches!(b, b'\n' | b'\r' | b'\t' | b'\x0b' | b'\x0c') || (prev_space && b == b' '));
        prev_space = b == b' ';
        ok
    });
    if clean {
        return Some(t.to_owned());
    }
    let mut out = String::with_capacity(t.len());
    for word in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Some(out)
}

/// EDGAR writes booleans as 0/1 or false/true.
pub(crate) fn boolean(s: Option<String>) -> Option<bool> {
    match s?.to_ascii_lowercase().as_str() {
        "1" | "true" | "y" | "yes" => Some(true),
        "0" | "false" | "n" | "no" => Some(false),
        _ => None,
    }
}

/// A number as filed: commas, a dollar sign and surrounding spaces are tolerated.
pub(crate) fn number(s: Option<String>) -> Option<f64> {
    let s = s?;
    let parsed = if s.contains([',', '$', ' ']) {
        s.chars().filter(|c| !matches!(c, ',' | '$' | ' ')).collect::<String>().parse::<f64>()
    } else {
        s.parse::<f64>()
    };
    parsed.ok().filter(|x| x.is_finite())
}

/// An ISO date; EDGAR sometimes appends a zone offset (`2024-02-01-05:00`), which is dropped.
pub(crate) fn date(s: Option<String>) -> Option<Date> {
    let s = s?;
    let head = s.get(..10)?;
    head.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace() {
        assert_eq!(collapse("  a  b\n\tc "), Some("a b c".to_owned()));
        assert_eq!(collapse("plain text"), Some("plain text".to_owned()));
        assert_eq!(collapse(" \n "), None);
    }

    #[test]
    fn scalars_tolerate_filer_spellings() {
        assert_eq!(boolean(Some("true".into())), Some(true));
        assert_eq!(boolean(Some("0".into())), Some(false));
        assert_eq!(boolean(Some("maybe".into())), None);
        assert_eq!(number(Some("1,250.50".into())), Some(1250.5));
        assert_eq!(number(Some("$12".into())), Some(12.0));
        assert_eq!(number(Some("NaN".into())), None);
        assert_eq!(number(Some("abc".into())), None);
        assert_eq!(
            date(Some("2024-02-01-05:00".into())).map(|d| d.to_string()),
            Some("2024-02-01".into())
        );
        assert_eq!(date(Some("2024-13-01".into())), None);
        assert_eq!(date(Some("2024".into())), None);
    }
}
