//! Reading the text around a candidate: word boundaries, neighbouring words, and the
//! capitalisation style of the sentence or headline it sits in.

use std::cell::OnceCell;

/// A char that continues a word: a name must not start or end inside one.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A char that may appear inside a word read by [`word_before`] / [`word_after`].
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '&' | '\'' | '\u{2019}' | '.' | '-' | '!')
}

/// Trims the punctuation a token may end with ("Inc." -> "Inc", "Apple's" stays).
fn trim_token(s: &str) -> &str {
    s.trim_end_matches(['.', '-', '\'', '\u{2019}', '!'])
}

/// The token that ends right before `pos` (skipping spaces), with its start.
pub(crate) fn word_before(text: &str, pos: usize) -> Option<(usize, &str)> {
    let head = text.get(..pos)?;
    let trimmed = head.trim_end_matches([' ', '\t', '\u{a0}']);
    let end = trimmed.len();
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_token_char(c))
        .last()
        .map(|(i, _)| i)?;
    let word = trim_token(trimmed.get(start..end)?).trim_start_matches(['.', '-', '\'']);
    (!word.is_empty()).then_some((start, word))
}

/// The token that starts right after `pos` (skipping spaces, and commas when `skip_comma`),
/// with its end.
pub(crate) fn word_after(text: &str, pos: usize, skip_comma: bool) -> Option<(&str, usize)> {
    let tail = text.get(pos..)?;
    let skip: &[char] =
        if skip_comma { &[' ', '\t', '\u{a0}', ','] } else { &[' ', '\t', '\u{a0}'] };
    let rest = tail.trim_start_matches(skip);
    let start = pos + tail.len() - rest.len();
    let len = rest.char_indices().find(|&(_, c)| !is_token_char(c)).map_or(rest.len(), |(i, _)| i);
    let raw = rest.get(..len)?;
    let word = trim_token(raw);
    (!word.is_empty()).then_some((word, start + len))
}

/// Whether `word` starts with an upper-case letter or a digit.
pub(crate) fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// The first non-space char before `pos` and after `pos`.
pub(crate) fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

pub(crate) fn char_after(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

pub(crate) fn non_space_before(text: &str, pos: usize) -> Option<(usize, char)> {
    text.get(..pos)?.char_indices().rev().find(|&(_, c)| !c.is_whitespace())
}

pub(crate) fn non_space_after(text: &str, pos: usize) -> Option<(usize, char)> {
    let tail = text.get(pos..)?;
    tail.char_indices().find(|&(_, c)| !c.is_whitespace()).map(|(i, c)| (pos + i, c))
}

/// Whether `[start, end)` can be a whole name: not inside a word, a hashtag, a handle, a
/// cashtag, a hyphenated compound ("post-pandemic") or a web address.
#[cfg(test)]
pub(crate) fn is_name_boundary(text: &str, start: usize, end: usize) -> bool {
    name_can_start(text, start) && name_can_end(text, end)
}

/// Whether a name may start at `start` (see [`is_name_boundary`]). When it may not, no name
/// starts anywhere else in the same word either.
pub(crate) fn name_can_start(text: &str, start: usize) -> bool {
    let before = char_before(text, start);
    // Inside hashtags, handles, cashtags, code (`Pool`, sqlx::Pool) and "NASDAQ:AAPL".
    if before.is_some_and(|c| is_word_char(c) || matches!(c, '@' | '#' | '$' | '`' | ':')) {
        return false;
    }
    if matches!(before, Some('-' | '.'))
        && text.get(..start).and_then(|h| h.chars().rev().nth(1)).is_some_and(char::is_alphanumeric)
    {
        return false;
    }
    !inside_url(text, start)
}

/// Whether a name may end at `end` (see [`is_name_boundary`]).
pub(crate) fn name_can_end(text: &str, end: usize) -> bool {
    let after = char_after(text, end);
    if after.is_some_and(|c| is_word_char(c) || c == '`')
        || text.get(end..).is_some_and(|t| t.starts_with("::"))
    {
        return false;
    }
    let two_after = text.get(end..).and_then(|t| t.chars().nth(1));
    !(matches!(after, Some('-' | '.' | '@')) && two_after.is_some_and(char::is_alphanumeric))
}

/// Whether the (non-ASCII) char at byte `i` continues a word, and its width in bytes.
pub(crate) fn skip_char(text: &str, i: usize) -> (bool, usize) {
    match text.get(i..).and_then(|t| t.chars().next()) {
        Some(c) => (is_word_char(c), c.len_utf8()),
        None => (false, 1),
    }
}

/// Whether the whitespace-delimited token around `pos` is a web address.
fn inside_url(text: &str, pos: usize) -> bool {
    let head = text.get(..pos).unwrap_or_default();
    let token_start = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let token = head.get(token_start..).unwrap_or_default();
    token.contains("://") || token.starts_with("www.") || token.contains(".com/")
}

/// A stretch of text in one style: a sentence, a headline, a clause after a colon or dash.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    start: usize,
    /// Where its first word starts.
    first_word: Option<usize>,
    /// Headline style: most longer words capitalised, so capitals say little.
    pub(crate) title_case: bool,
    /// Mostly upper-case words.
    pub(crate) all_caps: bool,
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "co", "ltd", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "u.s",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g",
    "i.e", "gov", "sen", "rep", "u.k", "n.v", "s.a", "l.p", "plc", "bros",
];

fn segment_ends_after_stop(text: &str, stop: usize) -> bool {
    let Some((_, word)) = word_before(text, stop + 1) else { return true };
    let w = word.to_ascii_lowercase();
    !(ABBREVIATIONS.contains(&w.as_str()) || w.chars().count() == 1)
}

fn segments_of(text: &str) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let mut bounds = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let spaced = bytes.get(i + 1).is_some_and(|n| n.is_ascii_whitespace());
        let end_here = match b {
            b'\n' | b'\r' | b'|' | b';' => true,
            b':' => spaced,
            b'.' | b'!' | b'?' => spaced && segment_ends_after_stop(text, i),
            b'-' => spaced && i > 0 && bytes[i - 1] == b' ',
            // em dash, en dash, bullet, ellipsis (E2 80 94 / 93 / A2 / A6)
            0xE2 => matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x93 | 0x94 | 0xA2 | 0xA6])),
            _ => false,
        };
        if end_here {
            let width = if b == 0xE2 { 3 } else { 1 };
            bounds.push(i + width);
        }
    }
    bounds.dedup();
    bounds
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = bounds.get(k + 1).copied().unwrap_or(text.len());
            style(text, start, end)
        })
        .collect()
}

/// Counts words in `text[start..end]` (runs of letters, digits, apostrophes) to tell headline
/// style and all caps from sentence case. Bytes of non-ASCII chars count as lower-case letters,
/// except that the first word is found exactly.
fn style(text: &str, start: usize, end: usize) -> Segment {
    let bytes = text.as_bytes();
    let (mut long, mut long_caps, mut words, mut upper) = (0u32, 0u32, 0u32, 0u32);
    let mut first_word = None;
    let mut i = start;
    let end = end.min(bytes.len());
    while i < end {
        let b = bytes[i];
        let starts = if b.is_ascii() {
            b.is_ascii_alphanumeric()
        } else {
            let (word, width) = skip_char(text, i);
            if !word {
                i += width;
                continue;
            }
            true
        };
        if !starts {
            i += 1;
            continue;
        }
        let word_start = i;
        let (mut letters, mut lower) = (0u32, 0u32);
        while i < end {
            let c = bytes[i];
            if c.is_ascii_alphabetic() {
                letters += 1;
                lower += u32::from(c.is_ascii_lowercase());
            } else if c >= 0xC0 {
                letters += 1;
                lower += 1;
            } else if !(c.is_ascii_digit() || c == b'\'' || c >= 0x80) {
                break;
            }
            i += 1;
        }
        first_word.get_or_insert(word_start);
        if letters >= 2 {
            words += 1;
            upper += u32::from(lower == 0);
        }
        if letters >= 4 {
            long += 1;
            long_caps += u32::from(
                bytes[word_start].is_ascii_uppercase() || bytes[word_start].is_ascii_digit(),
            );
        }
    }
    Segment {
        start,
        first_word,
        title_case: long >= 2 && long_caps * 4 >= long * 3,
        all_caps: words >= 2 && upper * 5 >= words * 3,
    }
}

/// The text being linked, with its segments computed on first use.
pub(crate) struct Context<'a> {
    pub(crate) text: &'a str,
    segments: OnceCell<Vec<Segment>>,
    disclaimer: OnceCell<bool>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Context { text, segments: OnceCell::new(), disclaimer: OnceCell::new() }
    }

    /// Whether the text has a publisher's disclaimer ("... do not necessarily reflect ...").
    pub(crate) fn has_disclaimer(&self) -> bool {
        *self.disclaimer.get_or_init(|| {
            self.text.contains("necessarily reflect") || self.text.contains("opinions expressed")
        })
    }

    pub(crate) fn segment(&self, pos: usize) -> Segment {
        let segments = self.segments.get_or_init(|| segments_of(self.text));
        let i = segments.partition_point(|s| s.start <= pos).saturating_sub(1);
        segments.get(i).copied().unwrap_or(Segment {
            start: 0,
            first_word: None,
            title_case: false,
            all_caps: false,
        })
    }

    /// Whether capitals in this part of the text say something: not a headline in title case,
    /// not all caps.
    pub(crate) fn sentence_case(&self, pos: usize) -> bool {
        let seg = self.segment(pos);
        !seg.title_case && !seg.all_caps
    }

    /// Whether `pos` is where the first word of its sentence or clause starts.
    pub(crate) fn starts_segment(&self, pos: usize) -> bool {
        self.segment(pos).first_word == Some(pos)
    }

    /// Whether a capital letter on the word at `start..end` says something: sentence case,
    /// not the first word of a sentence, not written in capitals.
    pub(crate) fn capitals_are_informative(&self, start: usize, end: usize) -> bool {
        let surface = self.text.get(start..end).unwrap_or_default();
        let shouting = surface.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        self.sentence_case(start) && !self.starts_segment(start) && !shouting
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_words() {
        let t = "Shares of Apple Inc. rose";
        assert_eq!(word_before(t, 10), Some((7, "of")));
        assert_eq!(word_after(t, 15, false), Some(("Inc", 20)));
        assert_eq!(word_after("Nasdaq, Inc. said", 6, true), Some(("Inc", 12)));
        assert_eq!(word_before("x", 0), None);
    }

    #[test]
    fn boundaries() {
        let ok = |t: &str, s: usize, e: usize| is_name_boundary(t, s, e);
        assert!(ok("Apple's", 0, 5));
        assert!(!ok("Pineapple", 4, 9));
        assert!(!ok("#Apple", 1, 6));
        assert!(!ok("@apple", 1, 6));
        assert!(!ok("post-pandemic", 0, 4));
        assert!(!ok("Shutterstock.com", 0, 12));
        assert!(!ok("see https://x.com/Apple", 18, 23));
        assert!(ok("(Apple)", 1, 6));
    }

    #[test]
    fn headline_style() {
        let c = Context::new("Piper Sandler Maintains Overweight on Apple, Raises Price Target");
        assert!(c.segment(40).title_case);
        assert!(!c.capitals_are_informative(38, 43));
        let c = Context::new("Analysts said on Monday that shares of Apple rose sharply.");
        assert!(!c.segment(40).title_case);
        assert!(c.capitals_are_informative(39, 44));
        assert!(!c.capitals_are_informative(0, 8));
        let c = Context::new("Cramer's lightning round: Buy AMD over Intel. Then more text here.");
        assert_eq!(c.segment(30).first_word, Some(26));
    }
}
