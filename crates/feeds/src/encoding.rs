//! Bytes to text. In order: a byte-order mark; UTF-16 recognisable from its first bytes; the
//! XML declaration's `encoding`; the HTTP charset hint; else UTF-8 when the bytes are valid
//! UTF-8, and Windows-1252 (the superset of Latin-1 that browsers read "ISO-8859-1" as) when
//! they are not.
//!
//! A declaration is checked against the bytes, because feeds lie about their encoding: one that
//! says UTF-8 over bytes that are not UTF-8 is passed over for the next clue, and one that names
//! a single-byte encoding over bytes that are valid UTF-8 with non-ASCII characters in them is
//! overruled (text in a single-byte encoding is practically never valid UTF-8 by accident).
//! Every such decision is reported.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The decoded text, the encoding used and what was odd about it.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub(crate) text: Cow<'a, str>,
    pub(crate) encoding: &'static Encoding,
    pub(crate) notes: Vec<String>,
}

/// Decodes a feed's bytes; never fails (invalid sequences become U+FFFD, and are reported).
pub(crate) fn decode<'a>(bytes: &'a [u8], charset_hint: Option<&str>) -> Decoded<'a> {
    let mut notes = Vec::new();
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], encoding, notes);
    }
    if bytes.starts_with(&[b'<', 0, b'?', 0]) || bytes.starts_with(&[b'<', 0, b'r', 0]) {
        return finish(bytes, UTF_16LE, notes);
    }
    if bytes.starts_with(&[0, b'<', 0, b'?']) || bytes.starts_with(&[0, b'<', 0, b'r']) {
        return finish(bytes, UTF_16BE, notes);
    }
    let declared = declared_encoding(bytes).map(|label| ("the XML declaration", label));
    let hinted = charset_hint.map(|label| ("the HTTP charset", label));
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let non_ascii = !bytes.is_ascii();
    for (source, label) in declared.into_iter().chain(hinted) {
        let label = label.trim().trim_matches(['"', '\'']);
        let Some(encoding) = Encoding::for_label(label.as_bytes()) else {
            notes.push(format!("{source} names an unknown encoding {label:?}"));
            continue;
        };
        if encoding == UTF_8 {
            if utf8 {
                return finish(bytes, UTF_8, notes);
            }
            notes.push(format!("{source} says {label} but the bytes are not valid UTF-8"));
            continue;
        }
        if encoding == UTF_16LE || encoding == UTF_16BE {
            // Only a byte-order mark or UTF-16's own bytes can make a document UTF-16.
            notes.push(format!("{source} says {label} but the bytes are not UTF-16"));
            continue;
        }
        if encoding.is_single_byte() && utf8 && non_ascii {
            notes.push(format!(
                "{source} says {label} but the bytes are valid UTF-8; read as UTF-8"
            ));
            return finish(bytes, UTF_8, notes);
        }
        return finish(bytes, encoding, notes);
    }
    if utf8 {
        return finish(bytes, UTF_8, notes);
    }
    let fallback = if mostly_utf8(bytes) { UTF_8 } else { WINDOWS_1252 };
    notes.push(format!(
        "no usable encoding declared and the bytes are not valid UTF-8; read as {}",
        fallback.name()
    ));
    finish(bytes, fallback, notes)
}

fn finish<'a>(bytes: &'a [u8], encoding: &'static Encoding, mut notes: Vec<String>) -> Decoded<'a> {
    let (text, had_errors) = if encoding == UTF_8 {
        match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), false),
            Err(_) => (String::from_utf8_lossy(bytes), true),
        }
    } else {
        encoding.decode_without_bom_handling(bytes)
    };
    if had_errors {
        notes.push(format!("bytes that are not valid {} were replaced by U+FFFD", encoding.name()));
    }
    Decoded { text, encoding, notes }
}

/// True when valid multi-byte UTF-8 sequences outnumber invalid bytes: UTF-8 text with a few
/// damaged characters, rather than a single-byte encoding.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    good > bad
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let head = bytes.get(..bytes.len().min(512))?;
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let decl = head[start..].strip_prefix(b"<?xml")?;
    let end = decl.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&decl[..end]).ok()?;
    let after = &decl[decl.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], hint: Option<&str>) -> (String, &'static str) {
        let d = decode(bytes, hint);
        (d.text.into_owned(), d.encoding.name())
    }

    #[test]
    fn byte_order_marks_win() {
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "<rss>é</rss>".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(decoded(&utf16, Some("iso-8859-1")), ("<rss>é</rss>".into(), "UTF-16LE"));
        assert_eq!(
            decoded(
                b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>\xc3\xa9</a>",
                None
            )
            .0,
            "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>é</a>"
        );
    }

    #[test]
    fn utf16_without_a_mark() {
        let mut be = Vec::new();
        for unit in "<?xml version='1.0'?><rss/>".encode_utf16() {
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(decoded(&be, None), ("<?xml version='1.0'?><rss/>".into(), "UTF-16BE"));
    }

    #[test]
    fn the_declaration_then_the_hint() {
        let cp1251 =
            b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><t>\xcd\xee\xe2\xee\xf1\xf2\xe8</t>";
        assert_eq!(
            decoded(cp1251, None).0,
            "<?xml version=\"1.0\" encoding=\"windows-1251\"?><t>Новости</t>"
        );
        assert_eq!(decoded(cp1251, Some("utf-8")).1, "windows-1251");
        assert_eq!(decoded(b"<t>\xcd\xee\xe2</t>", Some("windows-1251")).0, "<t>Нов</t>");
        assert_eq!(
            decoded(b"<?xml version='1.0' encoding='ISO-8859-1'?><t>Not\xedcias</t>", None).0,
            "<?xml version='1.0' encoding='ISO-8859-1'?><t>Notícias</t>"
        );
    }

    #[test]
    fn latin1_without_a_declaration() {
        // UOL's feed: no declaration, Latin-1 bytes.
        assert_eq!(
            decoded(b"<rss><t>\xdaltimas Not\xedcias</t></rss>", None),
            ("<rss><t>Últimas Notícias</t></rss>".into(), "windows-1252")
        );
        // Windows-1252's quotes in 0x80-0x9F.
        assert_eq!(decoded(b"<t>\x93quoted\x94</t>", None).0, "<t>“quoted”</t>");
    }

    #[test]
    fn declarations_that_lie_are_overruled() {
        // Says ISO-8859-1, is UTF-8 (Jornal de Noticias).
        let d = decode(b"<?xml version='1.0' encoding='ISO-8859-1'?><t>Not\xc3\xadcias</t>", None);
        assert_eq!(d.text, "<?xml version='1.0' encoding='ISO-8859-1'?><t>Notícias</t>");
        assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
        // Says UTF-8, is Latin-1.
        let d = decode(b"<?xml version='1.0' encoding='utf-8'?><t>Not\xedcias</t>", None);
        assert_eq!(d.text, "<?xml version='1.0' encoding='utf-8'?><t>Notícias</t>");
        assert_eq!(d.encoding, WINDOWS_1252);
        // Says UTF-16 in ASCII bytes.
        assert_eq!(decoded(b"<?xml version='1.0' encoding='utf-16'?><t/>", None).1, "UTF-8");
        // An unknown label.
        let d = decode(b"<?xml version='1.0' encoding='klingon'?><t>x</t>", None);
        assert_eq!((d.encoding, d.notes.len()), (UTF_8, 1));
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let d = decode("<t>Notícias à venda – já</t>\u{0}".as_bytes(), None);
        assert_eq!(d.encoding, UTF_8);
        let mut cut = "<t>Notícias à venda – já</t>".as_bytes().to_vec();
        cut.insert(5, 0xff);
        let d = decode(&cut, None);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains('\u{fffd}'));
    }

    #[test]
    fn declaration_reading() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"UTF-8\" ?>"),
            Some("UTF-8")
        );
        assert_eq!(declared_encoding(b"\n <?xml version='1.0' encoding = 'x'?>"), Some("x"));
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a encoding='x'/>"), None);
        assert_eq!(declared_encoding(b"<rss>"), None);
        assert_eq!(declared_encoding(b"<?xml encoding='x"), None);
    }
}
