//! Text clean-up and tokens: what every other part of the news desk reads.
//!
//! [`clean`] keeps the words a reader sees and drops the rest: zero-width and other invisible
//! characters, source suffixes (" - Reuters", " | Bloomberg", " - reuters.com"), datelines
//! ("LONDON, Aug 22 (Reuters) -") and desk labels ("EXCLUSIVE:", "UPDATE 2-"). A headline
//! followed by " — " and a description keeps the dash.
//!
//! [`Normalised`] is the matching form: ASCII words (accents folded, possessive "'s" and
//! punctuation dropped, "U.S." -> "US", "AT&T" kept whole) in lower case, each preceded by two
//! spaces, so a term pattern " word " with a space on each side matches whole words only and
//! matches next to each other never share a space. Each token knows its segment (headline,
//! then each description sentence) and clause (split at commas, colons, semicolons and spaced
//! hyphens).

use std::borrow::Cow;

/// One word of a [`Normalised`] text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte offset of the word in [`Normalised::lower`] (and `cased`).
    pub(crate) start: u32,
    /// Byte length.
    pub(crate) len: u32,
    /// Sentence-level part: 0 is the headline.
    pub(crate) segment: u16,
    /// Clause number over the whole text (increasing).
    pub(crate) clause: u16,
    /// The clause began after a comma ("Gold steadies, heads for a weekly gain"): headlines
    /// often drop the subject there.
    pub(crate) after_comma: bool,
}

/// The matching form of a text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Normalised {
    /// `" w1  w2  w3 "`, lower case ASCII.
    pub(crate) lower: String,
    /// The same layout with the original capitalisation.
    pub(crate) cased: String,
    /// The words in order.
    pub(crate) tokens: Vec<Token>,
}

impl Normalised {
    /// The lower-case text of token `i`.
    pub(crate) fn word(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.lower.get(t.start as usize..(t.start + t.len) as usize))
            .unwrap_or("")
    }

    /// The original-case text of token `i`.
    #[cfg(test)]
    pub(crate) fn cased_word(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.cased.get(t.start as usize..(t.start + t.len) as usize))
            .unwrap_or("")
    }

    /// Keeps the first `max` words only.
    pub(crate) fn truncate(&mut self, max: usize) {
        if let Some(t) = self.tokens.get(max) {
            let end = t.start as usize - 1;
            self.lower.truncate(end);
            self.cased.truncate(end);
            self.tokens.truncate(max);
        }
    }

    /// The token that starts at byte `offset` or, failing that, the last one before it.
    pub(crate) fn token_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| (t.start as usize) <= offset).saturating_sub(1)
    }
}

/// News outlets whose name can end a headline after " - " or " | ".
const OUTLETS: &[&str] = &[
    "reuters",
    "thomson reuters",
    "bloomberg",
    "bloomberg news",
    "ap",
    "associated press",
    "the associated press",
    "afp",
    "agence france-presse",
    "cnbc",
    "cnn",
    "bbc",
    "bbc news",
    "the guardian",
    "guardian",
    "financial times",
    "ft",
    "wall street journal",
    "the wall street journal",
    "wsj",
    "new york times",
    "the new york times",
    "nyt",
    "washington post",
    "the washington post",
    "al jazeera",
    "al jazeera english",
    "axios",
    "politico",
    "marketwatch",
    "yahoo finance",
    "yahoo news",
    "nikkei",
    "nikkei asia",
    "the economist",
    "fox business",
    "fox news",
    "nbc news",
    "abc news",
    "cbs news",
    "npr",
    "dw",
    "france 24",
    "euronews",
    "the hill",
    "business insider",
    "forbes",
    "barron's",
    "the information",
    "semafor",
    "south china morning post",
    "scmp",
    "times of india",
    "the times",
    "sky news",
    "the independent",
    "the telegraph",
    "kyiv independent",
    "the kyiv independent",
    "the straits times",
    "straits times",
    "arab news",
    "times of israel",
    "the times of israel",
    "tass",
    "xinhua",
    "yonhap",
    "kyodo",
    "upi",
    "voa",
    "voice of america",
    "rfe/rl",
    "radio free europe",
    "deutsche welle",
    "the japan times",
    "hindustan times",
    "the hindu",
    "gulf news",
    "al arabiya",
    "channel newsasia",
    "cna",
    "abc",
    "cbc",
    "cbc news",
    "globe and mail",
    "the globe and mail",
];

/// Desk labels that open a headline before a colon, dash or space.
const LABELS: &[&str] = &[
    "exclusive",
    "podcast",
    "newsletter",
    "explainer",
    "morning bid",
    "insight",
    "analysis",
    "factbox",
    "breakingviews",
    "breaking",
    "refile",
    "corrected",
    "correction",
    "update",
    "wrapup",
    "instant view",
    "view",
    "live",
    "opinion",
    "column",
    "graphic",
    "trading day",
    "wall st week ahead",
    "take five",
];

/// What a character becomes in [`clean`]: dropped, a space, or something to keep.
fn map_char(c: char) -> Option<char> {
    match c {
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}' => None,
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => Some(' '),
        c if c.is_whitespace() => Some(' '),
        c if c.is_control() => None,
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        '\u{2013}' | '\u{2014}' | '\u{2015}' => Some('\u{2014}'),
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => Some('"'),
        c => Some(c),
    }
}

/// Cleans a headline or description for display and matching: invisible characters out,
/// typographic dashes and quotes made plain, whitespace collapsed, source suffixes, datelines
/// and desk labels stripped. Segments (a headline and its description) stay joined by " — ".
pub fn clean(text: &str) -> String {
    // Plain ASCII with single spaces (most headlines) needs no mapping or collapsing.
    let plain =
        text.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'`') && !text.contains("  ");
    let mapped: Cow<'_, str> = if plain {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter_map(map_char).collect())
    };
    // A description that repeats the headline often ends in the source after a wide gap
    // ("... condemns attack  Reuters"): only the gap tells it from a last word.
    let mut mapped: &str = mapped.trim_end();
    if let Some(at) = mapped.rfind("  ")
        && is_outlet(&mapped[at..])
    {
        mapped = &mapped[..at];
    }
    let flat: Cow<'_, str> = if plain {
        Cow::Borrowed(mapped.trim_start())
    } else {
        let mut flat = String::with_capacity(mapped.len());
        let mut space = true;
        for c in mapped.chars() {
            if c == ' ' {
                if !space {
                    flat.push(' ');
                }
                space = true;
            } else {
                flat.push(c);
                space = false;
            }
        }
        Cow::Owned(flat)
    };
    // " — " (or " -- ") separates a headline from its description.
    let flat = if flat.contains(" -- ") {
        Cow::Owned(flat.trim_end().replace(" -- ", " \u{2014} "))
    } else {
        flat
    };
    let mut out = String::with_capacity(flat.len());
    for part in flat.split(" \u{2014} ") {
        if is_bare_dateline(part) {
            continue;
        }
        let part = strip_segment(part);
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(" \u{2014} ");
        }
        out.push_str(part);
    }
    out
}

/// "KYIV (AP)" between two dashes: a dateline with nothing else.
fn is_bare_dateline(part: &str) -> bool {
    let part = part.trim();
    let Some(open) = part.rfind('(') else { return false };
    part.ends_with(')')
        && open <= 40
        && part.starts_with(|c: char| c.is_uppercase())
        && is_outlet(&part[open + 1..part.len() - 1])
}

/// Strips one segment's dateline, labels and source suffix.
fn strip_segment(part: &str) -> &str {
    let mut s = part.trim().trim_matches('\u{2014}').trim();
    loop {
        let before = s.len();
        s = strip_suffix(s);
        s = strip_dateline(s);
        s = strip_label(s);
        if s.len() == before {
            return s;
        }
    }
}

/// " - Reuters", " | Bloomberg", " - reuters.com", " (Reuters)" at the end.
fn strip_suffix(s: &str) -> &str {
    let s = s.trim_end();
    if let Some(open) = s.rfind('(')
        && s.ends_with(')')
    {
        let inner = &s[open + 1..s.len() - 1];
        if is_outlet(inner) {
            return s[..open].trim_end();
        }
    }
    for sep in [" - ", " | ", " \u{2014} ", " : "] {
        if let Some(at) = s.rfind(sep) {
            let tail = s[at + sep.len()..].trim();
            if is_outlet(tail) {
                return s[..at].trim_end();
            }
        }
    }
    s
}

/// An outlet name, or a bare web domain ("reuters.com", "ft.com").
fn is_outlet(s: &str) -> bool {
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() || s.len() > 40 {
        return false;
    }
    if OUTLETS.iter().any(|o| o.eq_ignore_ascii_case(s)) {
        return true;
    }
    let ends_with = |tld: &str| {
        s.len() > tld.len()
            && s.get(s.len() - tld.len()..).is_some_and(|end| end.eq_ignore_ascii_case(tld))
    };
    !s.contains(' ')
        && [".com", ".co.uk", ".net", ".org", ".news", ".io", ".in", ".com.au"]
            .into_iter()
            .any(ends_with)
}

/// "LONDON (Reuters) -", "WASHINGTON, Aug 22 (Reuters) —", "KYIV (AP) —" at the start.
fn strip_dateline(s: &str) -> &str {
    let Some(open) = s.find('(') else { return s };
    if open > 60 || !s[..open].starts_with(|c: char| c.is_uppercase()) {
        return s;
    }
    let Some(close_rel) = s[open..].find(')') else { return s };
    let close = open + close_rel;
    if !is_outlet(&s[open + 1..close]) {
        return s;
    }
    let after = s[close + 1..].trim_start();
    match after.strip_prefix(['-', '\u{2014}']) {
        Some(rest) => rest.trim_start_matches(['-', '\u{2014}']).trim_start(),
        None => s,
    }
}

/// "EXCLUSIVE:", "Explainer -", "UPDATE 2-", "Morning Bid:" at the start.
fn strip_label(s: &str) -> &str {
    for label in LABELS {
        let Some(after) = s
            .get(..label.len())
            .filter(|p| p.eq_ignore_ascii_case(label))
            .and_then(|_| s.get(label.len()..))
        else {
            continue;
        };
        // Optional update number: "UPDATE 2-".
        let digits = after.len()
            - after
                .trim_start_matches([' ', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
                .len();
        let rest_lower = &after[digits..];
        let cut = if let Some(r) = rest_lower.strip_prefix(':') {
            Some(r)
        } else if let Some(r) = rest_lower.strip_prefix(" - ") {
            Some(r)
        } else if let Some(r) = rest_lower.strip_prefix('-') {
            (digits > 0).then_some(r)
        } else {
            None
        };
        if let Some(r) = cut {
            return r.trim_start();
        }
    }
    s
}

/// Folds a Latin letter with a diacritic to its ASCII base; `None` for anything else.
fn fold(c: char) -> Option<char> {
    Some(match c {
        'À'..='Å' => 'A',
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'Ā' | 'Ă' | 'Ą' => 'A',
        'Ç' | 'Ć' | 'Č' => 'C',
        'ç' | 'ć' | 'č' => 'c',
        'Ď' | 'Đ' => 'D',
        'ď' | 'đ' => 'd',
        'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'Ğ' => 'G',
        'ğ' => 'g',
        'Ì'..='Ï' | 'İ' | 'Ī' => 'I',
        'ì'..='ï' | 'ı' | 'ī' => 'i',
        'Ł' => 'L',
        'ł' => 'l',
        'Ñ' | 'Ń' | 'Ň' => 'N',
        'ñ' | 'ń' | 'ň' => 'n',
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => 'O',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
        'Ř' => 'R',
        'ř' => 'r',
        'Ś' | 'Š' | 'Ş' | 'Ș' => 'S',
        'ś' | 'š' | 'ş' | 'ș' | 'ß' => 's',
        'Ť' | 'Ţ' | 'Ț' => 'T',
        'ť' | 'ţ' | 'ț' => 't',
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' => 'U',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
        'Ý' | 'Ÿ' => 'Y',
        'ý' | 'ÿ' => 'y',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        'ź' | 'ż' | 'ž' => 'z',
        _ => return None,
    })
}

/// What a character is to the tokeniser.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word(char),
    /// Apostrophe, ampersand, period, comma: kept only inside a word.
    Joiner(char),
    Space,
    Hyphen,
    /// Comma-like: ends a clause.
    Clause,
    /// Sentence end or " — ": ends a segment.
    Segment,
    Other,
}

fn classify(c: char) -> Class {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => Class::Word(c),
        '\'' | '&' | '.' | ',' => Class::Joiner(c),
        ' ' => Class::Space,
        '-' | '/' => Class::Hyphen,
        ';' | ':' | '(' | ')' | '"' | '|' | '[' | ']' => Class::Clause,
        '\u{2014}' | '?' | '!' => Class::Segment,
        c => fold(c).map_or(Class::Other, Class::Word),
    }
}

/// Tokenises a text that went through [`clean`] (or any text: this cleans it first).
pub(crate) fn normalise(text: &str) -> Normalised {
    let cleaned = clean(text);
    normalise_clean(&cleaned)
}

/// Tokenises text that is already clean (knowledge-base terms, cleaned headlines).
pub(crate) fn normalise_clean(cleaned: &str) -> Normalised {
    let chars: Vec<Class> = cleaned.chars().map(classify).collect();
    let mut out = Normalised {
        lower: String::with_capacity(cleaned.len() + 16),
        cased: String::with_capacity(cleaned.len() + 16),
        tokens: Vec::with_capacity(cleaned.len() / 5 + 1),
    };
    out.lower.push(' ');
    out.cased.push(' ');
    let (mut segment, mut clause) = (0u16, 0u16);
    let mut pending_segment = false;
    let mut pending_clause = false;
    let mut comma = false;
    let mut after_comma = false;
    let mut word = String::new();
    let mut i = 0;
    let n = chars.len();
    let is_word = |k: usize| matches!(chars.get(k), Some(Class::Word(_)));
    let word_char = |k: usize| match chars.get(k) {
        Some(Class::Word(c)) => Some(*c),
        _ => None,
    };
    while i < n {
        match chars[i] {
            Class::Word(c) => word.push(c),
            Class::Joiner(j) => {
                let prev = word_char(i.wrapping_sub(1));
                let next = word_char(i + 1);
                match j {
                    // Possessive 's ends the word; other apostrophes inside a word vanish.
                    '\'' if prev.is_some() && next.is_some() => {
                        let s_end = matches!(next, Some('s' | 'S')) && !is_word(i + 2);
                        if s_end {
                            i += 1;
                        }
                    }
                    '&' if prev.is_some() && next.is_some() => word.push('&'),
                    '.' if prev.is_some_and(|c| c.is_ascii_digit())
                        && next.is_some_and(|c| c.is_ascii_digit()) =>
                    {
                        word.push('.');
                    }
                    ',' if prev.is_some_and(|c| c.is_ascii_digit())
                        && next.is_some_and(|c| c.is_ascii_digit())
                        && !is_word(i + 4)
                        && (1..=3)
                            .all(|k| word_char(i + k).is_some_and(|c| c.is_ascii_digit())) =>
                    {
                        // Thousands separator: 2,500 -> 2500.
                    }
                    '.' if prev.is_some_and(|c| c.is_ascii_uppercase())
                        && !is_word(i.wrapping_sub(2))
                        && (next.is_some_and(|c| c.is_ascii_uppercase()) || word.len() > 1) =>
                    {
                        // Initialisms: U.S., U.K., E.U.: the dot vanishes.
                    }
                    '.' => {
                        flush(&mut out, &mut word, segment, clause, after_comma);
                        let next_upper =
                            chars[i + 1..].iter().find(|c| **c != Class::Space).is_none_or(|c| {
                                matches!(c, Class::Word(c) if c.is_uppercase())
                                    || matches!(c, Class::Clause)
                            });
                        if next_upper && matches!(chars.get(i + 1), Some(Class::Space) | None) {
                            pending_segment = true;
                        }
                    }
                    ',' => {
                        flush(&mut out, &mut word, segment, clause, after_comma);
                        pending_clause = true;
                        comma = true;
                    }
                    _ => flush(&mut out, &mut word, segment, clause, after_comma),
                }
            }
            Class::Space | Class::Other => flush(&mut out, &mut word, segment, clause, after_comma),
            Class::Hyphen => {
                let spaced = matches!(chars.get(i.wrapping_sub(1)), Some(Class::Space))
                    && matches!(chars.get(i + 1), Some(Class::Space));
                flush(&mut out, &mut word, segment, clause, after_comma);
                if spaced {
                    pending_clause = true;
                    comma = false;
                }
            }
            Class::Clause => {
                flush(&mut out, &mut word, segment, clause, after_comma);
                pending_clause = true;
                comma = false;
            }
            Class::Segment => {
                flush(&mut out, &mut word, segment, clause, after_comma);
                pending_segment = true;
                comma = false;
            }
        }
        if !word.is_empty() && (pending_segment || pending_clause) {
            // A new word starts after a boundary: move the boundary before it.
            let has_tokens = !out.tokens.is_empty();
            if pending_segment && has_tokens {
                segment = segment.saturating_add(1);
            }
            if has_tokens {
                clause = clause.saturating_add(1);
            }
            after_comma = comma && !pending_segment;
            pending_segment = false;
            pending_clause = false;
            comma = false;
        }
        i += 1;
    }
    flush(&mut out, &mut word, segment, clause, after_comma);
    out
}

fn flush(out: &mut Normalised, word: &mut String, segment: u16, clause: u16, after_comma: bool) {
    if word.is_empty() {
        return;
    }
    if !out.tokens.is_empty() {
        out.lower.push(' ');
        out.cased.push(' ');
    }
    let start = out.lower.len() as u32;
    for c in word.chars() {
        out.lower.push(c.to_ascii_lowercase());
        out.cased.push(c);
    }
    out.tokens.push(Token { start, len: word.len() as u32, segment, clause, after_comma });
    out.lower.push(' ');
    out.cased.push(' ');
    word.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let n = normalise(text);
        (0..n.tokens.len()).map(|i| n.word(i).to_owned()).collect()
    }

    #[test]
    fn cleaning_drops_what_readers_do_not_see() {
        assert_eq!(
            clean(
                "Saudi Arabia top buyer of Russian seaborne fuel oil in July, data shows\u{200b} - Reuters"
            ),
            "Saudi Arabia top buyer of Russian seaborne fuel oil in July, data shows"
        );
        assert_eq!(
            clean("LME gripped by flash squeeze - reuters.com"),
            "LME gripped by flash squeeze"
        );
        assert_eq!(
            clean("EXCLUSIVE: Tankers stack up as Venezuela sells oil - Reuters"),
            "Tankers stack up as Venezuela sells oil"
        );
        assert_eq!(clean("UPDATE 2-Oil rises on supply fears"), "Oil rises on supply fears");
        assert_eq!(
            clean("LONDON, Aug 22 (Reuters) - Oil prices rose on Friday."),
            "Oil prices rose on Friday."
        );
        assert_eq!(
            clean("Oil soars \u{2014} KYIV (AP) \u{2014} Prices jumped."),
            "Oil soars \u{2014} Prices jumped."
        );
        assert_eq!(clean("Panama\u{2011}flagged ship sinks"), "Panama-flagged ship sinks");
        assert_eq!(clean("  a\u{200c}b \t c  "), "ab c");
        // A dash inside a headline that is not a source stays.
        assert_eq!(clean("Breakingviews - Tata structure"), "Tata structure");
        assert_eq!(clean("Russia - Ukraine talks"), "Russia - Ukraine talks");
    }

    #[test]
    fn tokens_are_plain_words() {
        assert_eq!(
            words("Russia's U.S.-made AT&T jet-fuel 2,500 5.9%"),
            ["russia", "us", "made", "at&t", "jet", "fuel", "2500", "5.9"]
        );
        assert_eq!(
            words("Zelenskiy's ‘Pandora’s box’ Niño"),
            ["zelenskiy", "pandora", "box", "nino"]
        );
        let n = normalise("Oil rises, gas falls: LNG \u{2014} Consumers pay. Next one");
        let seg: Vec<u16> = n.tokens.iter().map(|t| t.segment).collect();
        let cl: Vec<u16> = n.tokens.iter().map(|t| t.clause).collect();
        assert_eq!(seg, [0, 0, 0, 0, 0, 1, 1, 2, 2]);
        assert_eq!(cl, [0, 0, 1, 1, 2, 3, 3, 4, 4]);
        let commas: Vec<bool> = n.tokens.iter().map(|t| t.after_comma).collect();
        assert_eq!(commas, [false, false, true, true, false, false, false, false, false]);
        assert_eq!(n.lower, " oil  rises  gas  falls  lng  consumers  pay  next  one ");
        assert_eq!(n.cased_word(5), "Consumers");
        assert_eq!(n.token_at(n.tokens[2].start as usize), 2);
        let mut short = n.clone();
        short.truncate(2);
        assert_eq!(short.lower, " oil  rises ");
        assert_eq!(short.tokens.len(), 2);
    }
}
