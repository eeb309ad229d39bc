//! Ticker symbols: how a CIK's other listed symbols relate to its main one, and how a symbol
//! written in text ("BRK.B", "BRK/B", "MSFT.O", "PLC.TO") maps to the SEC's spelling ("BRK-B").

use serde::Serialize;

/// What a listed symbol of a company is, relative to its main common ticker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityKind {
    /// The main common ticker: the CIK's first NYSE/Nasdaq/Cboe row.
    Common,
    /// Another class of the common stock (GOOG beside GOOGL, BRK-A beside BRK-B).
    ShareClass,
    /// SPAC units (-U, -UN, or a fifth letter U).
    Unit,
    /// Warrants (-W, -WS, -WT, or a fifth letter W).
    Warrant,
    /// Rights (-R, -RT, or a fifth letter R).
    Right,
    /// Preferred shares (-P, -PA, -PB, ..., or Nasdaq fifth letters M-P).
    Preferred,
    /// A symbol with another root: notes or funds the company issues, depositary receipts of
    /// an affiliate. Never linked from text.
    Other,
}

/// Classifies `ticker` against the company's main ticker `main`.
pub(crate) fn classify(main: &str, ticker: &str) -> SecurityKind {
    if ticker == main {
        return SecurityKind::Common;
    }
    let main_root = main.split('-').next().unwrap_or(main);
    if let Some((root, suffix)) = ticker.split_once('-') {
        if root != main_root {
            return SecurityKind::Other;
        }
        return match suffix {
            "W" | "WS" | "WT" => SecurityKind::Warrant,
            "U" | "UN" => SecurityKind::Unit,
            "R" | "RT" | "RI" => SecurityKind::Right,
            s if s.starts_with('P') => SecurityKind::Preferred,
            s if s.len() == 1 => SecurityKind::ShareClass,
            _ => SecurityKind::Other,
        };
    }
    if ticker == main_root || main_root.starts_with(ticker) && main_root.len() == ticker.len() + 1 {
        // GOOG beside GOOGL: the shorter symbol of the same root is another class.
        return SecurityKind::ShareClass;
    }
    if let Some(fifth) = ticker.strip_prefix(main_root) {
        return match fifth {
            "W" | "WS" => SecurityKind::Warrant,
            "U" => SecurityKind::Unit,
            "R" => SecurityKind::Right,
            "P" | "O" | "N" | "M" => SecurityKind::Preferred,
            "A" | "B" | "K" | "L" if main_root.len() >= 3 => SecurityKind::ShareClass,
            _ => SecurityKind::Other,
        };
    }
    SecurityKind::Other
}

/// A symbol as written in text, split into root and an optional suffix after `.`, `/` or `-`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct WrittenTicker<'a> {
    pub(crate) root: &'a str,
    pub(crate) suffix: Option<&'a str>,
    /// A second suffix named a venue outside the US (`AGF/B.TO`).
    pub(crate) foreign: bool,
}

/// Suffixes that say where a symbol trades in Reuters RIC style and are US venues.
const US_VENUE_SUFFIXES: &[&str] = &["O", "OQ", "N", "K", "A", "P", "Q", "OB", "PK"];

impl WrittenTicker<'_> {
    /// The SEC spellings to try, best first: the class ("BRK-B"), then the root when the
    /// suffix is a US venue (MSFT.O). Empty when a suffix names a foreign venue (PLC.TO).
    pub(crate) fn candidates(&self) -> Vec<String> {
        match self.suffix {
            _ if self.foreign => Vec::new(),
            None => vec![self.root.to_owned()],
            Some(s) => {
                let mut v = vec![format!("{}-{s}", self.root)];
                if US_VENUE_SUFFIXES.contains(&s) {
                    v.push(self.root.to_owned());
                }
                v
            }
        }
    }
}

/// Reads a ticker at the start of `s`: 1-6 upper-case ASCII letters, then optionally `.`, `/`
/// or `-` and 1-2 upper-case letters (a class or a venue; a second one is read too, so that
/// `AGF/B.TO` is seen as Toronto). Returns the ticker and its length in bytes.
pub(crate) fn read_ticker(s: &str) -> Option<(WrittenTicker<'_>, usize)> {
    let b = s.as_bytes();
    let root_len = b.iter().take(7).take_while(|c| c.is_ascii_uppercase()).count();
    if root_len == 0 || root_len > 6 {
        return None;
    }
    let suffix_len = |at: usize| -> Option<usize> {
        if !matches!(b.get(at), Some(b'.' | b'/' | b'-')) {
            return None;
        }
        let n = b[at + 1..].iter().take(3).take_while(|c| c.is_ascii_uppercase()).count();
        let ends = b.get(at + 1 + n).is_none_or(|c| !c.is_ascii_alphanumeric());
        ((1..=2).contains(&n) && ends).then_some(n)
    };
    let mut t = WrittenTicker { root: &s[..root_len], suffix: None, foreign: false };
    let mut len = root_len;
    if let Some(n) = suffix_len(len) {
        t.suffix = Some(&s[len + 1..len + 1 + n]);
        len += 1 + n;
        if let Some(m) = suffix_len(len) {
            t.foreign = !US_VENUE_SUFFIXES.contains(&&s[len + 1..len + 1 + m]);
            len += 1 + m;
        }
    }
    // "Apple" is no ticker "A": a ticker ends where the word ends.
    if b.get(len).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    Some((t, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_units_warrants_preferreds() {
        assert_eq!(classify("GOOGL", "GOOG"), SecurityKind::ShareClass);
        assert_eq!(classify("BRK-B", "BRK-A"), SecurityKind::ShareClass);
        assert_eq!(classify("ANSC", "ANSCU"), SecurityKind::Unit);
        assert_eq!(classify("ANSC", "ANSCW"), SecurityKind::Warrant);
        assert_eq!(classify("PEW", "PEW-WT"), SecurityKind::Warrant);
        assert_eq!(classify("ABC", "ABC-UN"), SecurityKind::Unit);
        assert_eq!(classify("ABC", "ABC-RT"), SecurityKind::Right);
        assert_eq!(classify("BAC", "BAC-PL"), SecurityKind::Preferred);
        assert_eq!(classify("NTRS", "NTRSO"), SecurityKind::Preferred);
        assert_eq!(classify("BMO", "FNGU"), SecurityKind::Other);
        assert_eq!(classify("BAC", "BML-PG"), SecurityKind::Other);
    }

    #[test]
    fn written_tickers() {
        let t = |s: &str| read_ticker(s).map(|(w, n)| (w.candidates(), n));
        assert_eq!(t("BRK.B rest"), Some((vec!["BRK-B".to_owned()], 5)));
        assert_eq!(t("BRK/B"), Some((vec!["BRK-B".to_owned()], 5)));
        assert_eq!(t("MSFT.O)"), Some((vec!["MSFT-O".to_owned(), "MSFT".to_owned()], 6)));
        assert_eq!(t("PLC.TO"), Some((vec!["PLC-TO".to_owned()], 6)));
        assert_eq!(t("AGF/B.TO x"), Some((Vec::new(), 8)));
        assert_eq!(t("AAPL."), Some((vec!["AAPL".to_owned()], 4)));
        assert_eq!(t("Apple"), None);
        assert_eq!(t("AAPL2"), None);
        assert_eq!(t("TOOLONG"), None);
    }
}
