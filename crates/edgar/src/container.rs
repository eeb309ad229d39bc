//! The wrappers a filing arrives in: bare XML, EDGAR's full submission text (`<SEC-HEADER>` with
//! `KEY: value` lines) and the dissemination feed's SGML (`<SUBMISSION>` with `<TAG>value`).
//! Both wrappers carry each document between `<XML>` and `</XML>`.

use std::borrow::Cow;

use jiff::{Timestamp, civil::Date};
use marketdesk_core::{Accession, NEW_YORK};
use sha2::{Digest, Sha256};

/// What the wrapper says about the submission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecHeader {
    /// `ACCESSION NUMBER` / `<ACCESSION-NUMBER>`.
    pub accession: Option<Accession>,
    /// `CONFORMED SUBMISSION TYPE` / `<TYPE>`.
    pub form_type: Option<String>,
    /// `FILED AS OF DATE` / `<FILING-DATE>`.
    pub filed_date: Option<Date>,
    /// `<ACCEPTANCE-DATETIME>`, Eastern time in the header.
    pub accepted_at: Option<Timestamp>,
}

/// One input document, decoded, with its header and XML blocks located.
#[derive(Debug)]
pub struct Container<'a> {
    text: Cow<'a, str>,
    /// Header fields, empty for bare XML.
    pub header: SecHeader,
}

impl<'a> Container<'a> {
    /// Decodes the bytes (UTF-8, else Latin-1 as EDGAR's older files are) and reads the header.
    pub fn new(bytes: &'a [u8]) -> Self {
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
        };
        // Bare XML is most input; only a wrapper needs its header read.
        let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        let header = if start.starts_with("<?xml") || start.starts_with("<ownershipDocument") {
            SecHeader::default()
        } else {
            let head_end = text.find("<DOCUMENT>").unwrap_or(text.len().min(64 * 1024));
            let head = text.get(..head_end).unwrap_or("");
            if head.contains("<SEC-HEADER>") || head.contains("ACCESSION NUMBER:") {
                text_header(head)
            } else if head.contains("<SUBMISSION>") || head.contains("<ACCESSION-NUMBER>") {
                sgml_header(head)
            } else {
                SecHeader::default()
            }
        };
        Container { text, header }
    }

    /// The XML blocks, in order; bare XML input is one block.
    pub fn xml_blocks(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest: &str = &self.text;
        while let Some(start) = rest.find("<XML>") {
            let body = &rest[start + 5..];
            let end = body.find("</XML>").unwrap_or(body.len());
            out.push(body[..end].trim());
            rest = &body[end..];
        }
        if out.is_empty() {
            out.push(self.text.trim_start_matches('\u{feff}').trim());
        }
        out
    }

    /// The first XML block whose text contains `marker` (e.g. `<ownershipDocument`).
    pub fn block_with(&self, marker: &str) -> Option<&str> {
        if !self.text.contains("<XML>") {
            let whole = self.text.trim_start_matches('\u{feff}').trim();
            return whole.contains(marker).then_some(whole);
        }
        self.xml_blocks().into_iter().find(|b| b.contains(marker))
    }
}

/// The submission's accession: from its header, else from its file name or path, else a digest of
/// its bytes.
pub(crate) fn accession_for(header: &SecHeader, name: &str, bytes: &[u8]) -> Accession {
    if let Some(a) = &header.accession {
        return a.clone();
    }
    if let Some(a) = accession_in_path(name) {
        return a;
    }
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    Accession::from_content_digest(&hex)
}

/// Finds `0000000000-00-000000` in a path, or a path component of exactly 18 digits (EDGAR's
/// archive folder form).
pub fn accession_in_path(name: &str) -> Option<Accession> {
    let b = name.as_bytes();
    for i in 0..b.len().saturating_sub(19) {
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = b.get(i + 20).is_none_or(|c| !c.is_ascii_digit());
        if before_ok
            && after_ok
            && let Some(a) = name.get(i..i + 20).and_then(|s| Accession::parse(s).ok())
        {
            return Some(a);
        }
    }
    name.split(['/', '\\', '!'])
        .map(|part| part.split('.').next().unwrap_or(part))
        .filter(|stem| stem.len() == 18)
        .find_map(|stem| Accession::parse(stem).ok())
}

fn text_header(head: &str) -> SecHeader {
    let mut h = SecHeader::default();
    for line in head.lines() {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("<ACCEPTANCE-DATETIME>") {
            h.accepted_at = acceptance(v.trim());
        } else if let Some((key, value)) = line.split_once(':') {
            let value = value.trim();
            match key.trim() {
                "ACCESSION NUMBER" => h.accession = Accession::parse(value).ok(),
                "CONFORMED SUBMISSION TYPE" => h.form_type = Some(value.to_owned()),
                "FILED AS OF DATE" => h.filed_date = compact_date(value),
                _ => {}
            }
        }
    }
    h
}

fn sgml_header(head: &str) -> SecHeader {
    // Tags have no closing counterpart and a value runs to the next tag or line end; one real
    // feed file has every newline removed, so both must end a value.
    let tag = |name: &str| -> Option<&str> {
        let open = format!("<{name}>");
        let start = head.find(&open)? + open.len();
        let rest = &head[start..];
        let end = rest.find(['<', '\n', '\r']).unwrap_or(rest.len());
        Some(rest[..end].trim())
    };
    SecHeader {
        accession: tag("ACCESSION-NUMBER").and_then(|v| Accession::parse(v).ok()),
        form_type: tag("TYPE").map(str::to_owned),
        filed_date: tag("FILING-DATE").and_then(compact_date),
        accepted_at: tag("ACCEPTANCE-DATETIME").and_then(acceptance),
    }
}

/// `20250110` to a date.
fn compact_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..8]).parse().ok()
}

/// `20250110160730`, Eastern time, to a timestamp.
fn acceptance(s: &str) -> Option<Timestamp> {
    let date = compact_date(s.get(..8)?)?;
    let t = s.get(8..14)?;
    if !t.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hms = |r: std::ops::Range<usize>| t.get(r).and_then(|x| x.parse::<i8>().ok());
    // `Date::at` panics on an impossible time; a malformed header must not.
    let time = jiff::civil::Time::new(hms(0..2)?, hms(2..4)?, hms(4..6)?, 0).ok()?;
    date.to_datetime(time).in_tz(NEW_YORK).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_header_fields() {
        let raw = "<SEC-DOCUMENT>x\n<SEC-HEADER>x\n<ACCEPTANCE-DATETIME>20250110160730\n\
                   ACCESSION NUMBER:\t\t0001127602-25-001055\nCONFORMED SUBMISSION TYPE:\t4\n\
                   FILED AS OF DATE:\t\t20250110\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>4\n<TEXT>\n<XML>\n\
                   <?xml version=\"1.0\"?>\n<ownershipDocument/>\n</XML>\n";
        let c = Container::new(raw.as_bytes());
        assert_eq!(c.header.accession.as_ref().map(|a| a.as_str()), Some("0001127602-25-001055"));
        assert_eq!(c.header.form_type.as_deref(), Some("4"));
        assert_eq!(c.header.filed_date.map(|d| d.to_string()).as_deref(), Some("2025-01-10"));
        // 16:07:30 EST is 21:07:30 UTC.
        assert_eq!(
            c.header.accepted_at.map(|t| t.to_string()).as_deref(),
            Some("2025-01-10T21:07:30Z")
        );
        assert_eq!(c.xml_blocks(), vec!["<?xml version=\"1.0\"?>\n<ownershipDocument/>"]);
    }

    #[test]
    fn sgml_header_without_newlines() {
        let raw = "<SUBMISSION><ACCESSION-NUMBER>0001562180-25-000280<TYPE>4<FILING-DATE>20250108\
                   <DOCUMENT><TYPE>4<TEXT><XML><ownershipDocument/></XML>";
        let c = Container::new(raw.as_bytes());
        assert_eq!(c.header.accession.as_ref().map(|a| a.as_str()), Some("0001562180-25-000280"));
        assert_eq!(c.header.form_type.as_deref(), Some("4"));
        assert_eq!(c.header.filed_date.map(|d| d.to_string()).as_deref(), Some("2025-01-08"));
        assert_eq!(c.block_with("<ownershipDocument"), Some("<ownershipDocument/>"));
    }

    #[test]
    fn impossible_acceptance_times_are_dropped() {
        // Found by the fuzzer: second 61 made `Date::at` panic.
        let c = Container::new(b"<SEC-HEADER>\n<ACCEPTANCE-DATETIME>20240501115361\n");
        assert_eq!(c.header.accepted_at, None);
        let c = Container::new(b"<SEC-HEADER>\n<ACCEPTANCE-DATETIME>20240501250000\n");
        assert_eq!(c.header.accepted_at, None);
    }

    #[test]
    fn latin1_bytes_decode() {
        let c = Container::new(b"<a>Soci\xe9t\xe9</a>");
        assert_eq!(c.xml_blocks(), vec!["<a>Société</a>"]);
    }

    #[test]
    fn accession_from_path() {
        let a = |s: &str| accession_in_path(s).map(|a| a.to_string());
        assert_eq!(
            a("x/form4_AIR_0001127602-25-001055.txt").as_deref(),
            Some("0001127602-25-001055")
        );
        assert_eq!(
            a("paypal/000095017024009914/ownership.xml").as_deref(),
            Some("0000950170-24-009914")
        );
        assert_eq!(a("a.zip!/000095017024009914.xml").as_deref(), Some("0000950170-24-009914"));
        assert_eq!(a("form4_SNOW_2022-12-13.xml"), None);
        assert_eq!(a("10001127602-25-001055.xml"), None, "11 leading digits is not an accession");
    }

    #[test]
    fn content_hash_is_stable() {
        let h = SecHeader::default();
        let a = accession_for(&h, "x.xml", b"abc");
        assert_eq!(a, accession_for(&h, "y.xml", b"abc"));
        assert_ne!(a, accession_for(&h, "x.xml", b"abd"));
        assert!(a.as_str().starts_with("hash:"));
    }
}
