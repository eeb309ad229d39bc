//! The linker: built once from the reference list and the aliases, then `link(text)`.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use marketdesk_core::Cik;
use serde::Serialize;

use crate::cues;
use crate::names::{self, NameForm};
use crate::text::{
    Context, char_after, char_before, is_capitalised, name_can_end, name_can_start,
    non_space_after, non_space_before, skip_char, word_after, word_before,
};
use crate::ticker::{SecurityKind, WrittenTicker, read_ticker};
use crate::words::{Lexicon, is_connector, is_descriptor, is_generic, is_legal_suffix};
use crate::{Aliases, LinkerError, Reference};

const CRYPTO_SYMBOLS: &str = include_str!("../data/crypto_tickers.txt");

/// Size rank given to companies missing from the market-cap ordered list.
const UNRANKED: u32 = 100_000;
/// Ambiguous names of companies at least this large (by size rank) are accepted when
/// capitalised in running text.
const RANK_IN_RUNNING_TEXT: u32 = 1500;
/// ... and these even where capitals say nothing (headlines, first word of a sentence).
const RANK_IN_HEADLINES: u32 = 100;
/// A company whose whole name is a surname, place or myth ("Polaris", "Orion") is taken
/// without a cue up to this rank.
const RANK_PROPER_NAME: u32 = 2500;
/// Acronym names ("AES", "XP") of companies beyond this rank need a cue: short capitals are
/// more often abbreviations.
const RANK_ACRONYM: u32 = 500;
/// Common-word names of companies beyond this rank followed by a capitalised word are taken to
/// be part of another proper noun ("Universal Credit", "Viking Line", "Axon Capital").
const RANK_COMPOUND_GUARD: u32 = 200;

/// One company mention found in a text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mention {
    /// UTF-8 byte offset of the first byte of the mention.
    pub start: usize,
    /// UTF-8 byte offset just past the mention.
    pub end: usize,
    /// The text matched (`text[start..end]`).
    pub text: String,
    /// The company's main ticker, or the class ticker the text itself wrote ($GOOG).
    pub ticker: String,
    /// The company's CIK.
    pub cik: Cik,
    /// How sure the linker is, 0..1. Only mentions at 0.5 or above are returned.
    pub confidence: f32,
}

/// How ambiguous a name variant is on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ambiguity {
    /// Coined or multi-word with a distinctive word ("Lululemon", "Goldman Sachs").
    Distinctive,
    /// A dictionary proper noun: a surname or place as well ("Williams", "Tesla").
    ProperNoun,
    /// A common English word ("Apple", "Target", "Gap").
    CommonWord,
    /// A given name ("Bill", "Marcus").
    GivenName,
    /// Several words, all common ("Trade Desk", "Beyond Meat", "Office Depot").
    CommonPhrase,
}

#[derive(Clone, Copy, Debug)]
struct Pattern {
    target: u32,
    form: NameForm,
    ambiguity: Ambiguity,
    /// Short upper-case names ("ABM", "UBS", "AT&T") that only match in capitals.
    acronym: bool,
    /// An exchange or index name that is also a company ("Nasdaq", "Dow").
    exchange_or_index: bool,
    single_word: bool,
}

#[derive(Clone, Debug)]
struct Target {
    cik: Cik,
    ticker: String,
    rank: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TickerRole {
    Main,
    Class,
    Derivative,
    Former,
}

#[derive(Clone, Debug)]
struct TickerRef {
    target: u32,
    /// The ticker a mention reports: the main one, or the class written.
    report: String,
    role: TickerRole,
    /// One letter, a common word or an abbreviation: needs a name right before it in
    /// parentheses ("Citigroup Inc. (C)", not "(IT)").
    word_like: bool,
}

/// A mention being assembled.
#[derive(Clone, Debug)]
struct Found {
    start: usize,
    end: usize,
    target: u32,
    report: Option<String>,
    confidence: f32,
}

/// A name match from the automaton and what was decided about it.
#[derive(Clone, Debug)]
struct NameCandidate {
    start: usize,
    end: usize,
    pattern: Pattern,
    /// A ticker of the same company follows it.
    ticker_follows: bool,
    verdict: Verdict,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict {
    Accepted(f32),
    /// Not enough evidence alone; a neighbouring mention in a list may still carry it.
    Undecided,
    Rejected,
}

struct NameIndex {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl NameIndex {
    /// The longest name starting at `start` that also ends on a word boundary.
    fn longest_at(&self, text: &str, start: usize) -> Option<(usize, Pattern)> {
        let mut end = text.len();
        loop {
            let input = Input::new(text).range(start..end).anchored(Anchored::Yes);
            let m = self.automaton.find(input)?;
            if name_can_end(text, m.end()) {
                return Some((m.end(), self.patterns[m.pattern().as_usize()]));
            }
            end = m.end().checked_sub(1)?;
        }
    }
}

/// The company/ticker linker. Build once with [`Linker::new`], then call [`Linker::link`].
pub struct Linker {
    targets: Vec<Target>,
    /// Name automata: ASCII case-insensitive for names, exact for acronyms (which must be
    /// written in capitals anyway, and would otherwise match inside every word: "ge", "hp").
    /// Empty only if an automaton could not be built (see [`Linker::try_new`]).
    automata: Vec<NameIndex>,
    tickers: HashMap<String, TickerRef>,
    crypto_symbols: HashSet<&'static str>,
    crypto_words: Option<AhoCorasick>,
    lexicon: Lexicon,
}

impl std::fmt::Debug for Linker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linker")
            .field("companies", &self.targets.len())
            .field("name_patterns", &self.size().1)
            .field("tickers", &self.tickers.len())
            .finish()
    }
}

fn strip_punctuation(word: &str) -> &str {
    let w = word.trim_end_matches(['.', ',']);
    let w = w.strip_suffix("'s").or_else(|| w.strip_suffix("\u{2019}s")).unwrap_or(w);
    w.strip_suffix(".com").unwrap_or(w)
}

fn classify_name(text: &str, source_is_mixed_case: bool, lexicon: &Lexicon) -> (Ambiguity, bool) {
    let words: Vec<&str> = text.split(' ').filter(|w| !is_connector(w)).collect();
    if let [word] = words.as_slice() {
        let bare = strip_punctuation(word);
        let upper = !word.chars().any(char::is_lowercase);
        let symbolic = word.chars().any(|c| c == '&' || c.is_ascii_digit());
        // "GAP", "BOX" in an all-caps SEC name are words, not acronyms.
        let acronym = word.chars().count() <= 5
            && upper
            && (symbolic
                || source_is_mixed_case
                || (word.chars().count() <= 3 && !lexicon.is_common(word)));
        let possessive = bare.len() < word.trim_end_matches(['.', ',']).len();
        let ambiguity = if possessive {
            // "Wendy's", "Domino's", "Macy's": the possessive is part of the name.
            Ambiguity::Distinctive
        } else if lexicon.is_given_name(bare) {
            Ambiguity::GivenName
        } else if lexicon.is_common(bare) {
            Ambiguity::CommonWord
        } else if lexicon.is_dictionary(bare) {
            Ambiguity::ProperNoun
        } else {
            Ambiguity::Distinctive
        };
        return (ambiguity, acronym);
    }
    let all_common = words.iter().all(|w| lexicon.is_common(strip_punctuation(w)) || is_generic(w));
    (if all_common { Ambiguity::CommonPhrase } else { Ambiguity::Distinctive }, false)
}

impl Linker {
    /// Builds the linker: every name variant of every linkable company, and the aliases, in one
    /// Aho-Corasick automaton (leftmost-longest, ASCII case-insensitive), and a symbol table.
    /// Aliases whose ticker the reference does not list are skipped (see
    /// [`Aliases::unresolved`]).
    ///
    /// Should the automaton exceed aho-corasick's size limits (far beyond any SEC list), the
    /// linker still links symbols but no names; [`Linker::try_new`] reports that instead.
    pub fn new(reference: &Reference, aliases: &Aliases) -> Linker {
        Linker::build(reference, aliases).0
    }

    /// The linker over the shipped SEC snapshot and alias file.
    pub fn shipped() -> Result<Linker, LinkerError> {
        Linker::try_new(&Reference::shipped()?, &Aliases::shipped()?)
    }

    /// Like [`Linker::new`], but fails when the name automaton cannot be built.
    pub fn try_new(reference: &Reference, aliases: &Aliases) -> Result<Linker, LinkerError> {
        match Linker::build(reference, aliases) {
            (_, Some(e)) => Err(LinkerError::Automaton(e)),
            (linker, None) => Ok(linker),
        }
    }

    fn build(
        reference: &Reference,
        aliases: &Aliases,
    ) -> (Linker, Option<aho_corasick::BuildError>) {
        let lexicon = Lexicon::shipped();
        let mut targets = Vec::new();
        let mut target_of: HashMap<Cik, u32> = HashMap::new();
        for c in reference.companies().iter().filter(|c| c.is_linkable()) {
            let Some(ticker) = c.main_ticker.clone() else { continue };
            let index = u32::try_from(targets.len()).unwrap_or(u32::MAX);
            target_of.insert(c.cik, index);
            targets.push(Target { cik: c.cik, ticker, rank: c.size_rank.unwrap_or(UNRANKED) });
        }
        let target_by_ticker = |t: &str| reference.by_ticker(t).and_then(|c| target_of.get(&c.cik));

        // Name variants: when two companies share one, the alias wins, then the larger one.
        let mut by_text: HashMap<String, (String, Pattern)> = HashMap::new();
        let mut add = |text: String, pattern: Pattern, rank: u32| {
            let key = text.to_ascii_lowercase();
            let better = |old: &Pattern, old_rank: u32| {
                (pattern.form != NameForm::Alias, rank, pattern.form)
                    < (old.form != NameForm::Alias, old_rank, old.form)
            };
            match by_text.get(&key) {
                Some((_, old)) if !better(old, targets[old.target as usize].rank) => {}
                _ => {
                    by_text.insert(key, (text, pattern));
                }
            }
        };
        let make = |text: &str, target: u32, form: NameForm, mixed: bool| {
            let (ambiguity, acronym) = classify_name(text, mixed, &lexicon);
            Pattern {
                target,
                form,
                ambiguity,
                acronym,
                // Texts keep raw entities ("S&amp;P 500"), so the spelling with one is the same name.
                exchange_or_index: cues::contains(
                    cues::EXCHANGE_AND_INDEX,
                    &text.replace("&amp;", "&"),
                ),
                single_word: !text.contains(' '),
            }
        };
        for c in reference.companies().iter().filter(|c| c.is_linkable()) {
            let Some(&target) = target_of.get(&c.cik) else { continue };
            let mixed = c.name.chars().any(char::is_lowercase);
            for v in names::variants(&c.name, &lexicon, targets[target as usize].rank) {
                let pattern = make(&v.text, target, v.form, mixed);
                add(v.text, pattern, targets[target as usize].rank);
            }
        }
        for alias in aliases.names() {
            let Some(&target) = target_by_ticker(&alias.ticker) else { continue };
            for text in names::spellings(&alias.name) {
                let pattern = make(&text, target, NameForm::Alias, true);
                add(text, pattern, 0);
            }
        }
        let mut entries: Vec<(String, Pattern)> = by_text.into_values().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let (exact, folded): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(_, p)| p.acronym);
        let mut automata = Vec::new();
        let mut error = None;
        for (entries, fold) in [(folded, true), (exact, false)] {
            let (texts, patterns): (Vec<String>, Vec<Pattern>) = entries.into_iter().unzip();
            let built = AhoCorasickBuilder::new()
                .ascii_case_insensitive(fold)
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .build(&texts);
            match built {
                Ok(automaton) => automata.push(NameIndex { automaton, patterns }),
                Err(e) => error = Some(e),
            }
        }
        if error.is_some() {
            automata.clear();
        }

        let mut tickers = HashMap::new();
        for c in reference.companies().iter().filter(|c| c.is_linkable()) {
            let (Some(&target), Some(main)) = (target_of.get(&c.cik), c.main_ticker.as_ref())
            else {
                continue;
            };
            for s in c.securities.iter().filter(|s| s.exchange.is_us_listing()) {
                let (report, role) = match s.kind {
                    SecurityKind::Common => (main.clone(), TickerRole::Main),
                    SecurityKind::ShareClass => (s.ticker.clone(), TickerRole::Class),
                    SecurityKind::Other => continue,
                    _ => (main.clone(), TickerRole::Derivative),
                };
                let word_like = word_like_ticker(&s.ticker, &lexicon);
                tickers.entry(s.ticker.clone()).or_insert(TickerRef {
                    target,
                    report,
                    role,
                    word_like,
                });
            }
        }
        for (old, new) in aliases.former_tickers() {
            if reference.by_ticker(old).is_some() {
                continue; // recycled: the symbol means its new owner
            }
            if let Some(&target) = target_by_ticker(new) {
                let report = targets[target as usize].ticker.clone();
                let word_like = word_like_ticker(old, &lexicon);
                tickers.insert(
                    old.clone(),
                    TickerRef { target, report, role: TickerRole::Former, word_like },
                );
            }
        }

        let crypto_words =
            AhoCorasickBuilder::new().ascii_case_insensitive(true).build(cues::CRYPTO_WORDS).ok();
        let linker = Linker {
            targets,
            automata,
            tickers,
            crypto_symbols: CRYPTO_SYMBOLS
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
                .collect(),
            crypto_words,
            lexicon,
        };
        (linker, error)
    }

    /// Number of linkable companies and of name patterns in the automaton.
    pub fn size(&self) -> (usize, usize) {
        (self.targets.len(), self.automata.iter().map(|a| a.patterns.len()).sum())
    }

    /// Estimated heap bytes held by the built linker: the automaton's own figure plus the
    /// tables beside it.
    pub fn heap_bytes(&self) -> usize {
        let tickers: usize = self
            .tickers
            .iter()
            .map(|(k, v)| k.len() + v.report.len() + size_of::<(String, TickerRef)>() + 8)
            .sum();
        let targets: usize =
            self.targets.iter().map(|t| t.ticker.len() + size_of::<Target>()).sum();
        self.automata
            .iter()
            .map(|a| a.automaton.memory_usage() + a.patterns.len() * size_of::<Pattern>())
            .sum::<usize>()
            + self.crypto_words.as_ref().map_or(0, AhoCorasick::memory_usage)
            + tickers
            + targets
            + self.crypto_symbols.len() * (size_of::<&str>() + 8)
            + self.lexicon.heap_bytes()
    }

    /// The company for a ticker in SEC spelling ("BRK-B") or a former ticker: (main ticker,
    /// CIK). Funds, OTC-only and unlisted symbols give `None`.
    pub fn lookup_ticker(&self, ticker: &str) -> Option<(&str, Cik)> {
        let r = self.tickers.get(ticker)?;
        let t = &self.targets[r.target as usize];
        Some((&t.ticker, t.cik))
    }

    /// Finds every company mention in `text`: sorted by start, non-overlapping, offsets in
    /// UTF-8 bytes on char boundaries.
    pub fn link(&self, text: &str) -> Vec<Mention> {
        let ctx = Context::new(text);
        let mut found: Vec<Found> = Vec::new();
        let mut reserved: Vec<(usize, usize)> = Vec::new();
        self.cashtags(&ctx, &mut found, &mut reserved);
        self.exchange_prefixed(text, &mut found, &mut reserved);
        let mut names = self.name_candidates(text, &reserved);
        self.parenthesised(text, &mut names, &mut found, &mut reserved);
        self.judge_names(&ctx, &mut names, &mut found);
        for n in &names {
            if let Verdict::Accepted(confidence) = n.verdict {
                let covered = reserved.iter().any(|&(s, e)| n.start < e && s < n.end);
                if !covered {
                    found.push(Found {
                        start: n.start,
                        end: n.end,
                        target: n.pattern.target,
                        report: None,
                        confidence,
                    });
                }
            }
        }
        self.finish(text, found)
    }

    fn finish(&self, text: &str, mut found: Vec<Found>) -> Vec<Mention> {
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<Mention> = Vec::with_capacity(found.len());
        for f in found {
            if out.last().is_some_and(|m| f.start < m.end) {
                continue;
            }
            let (Some(surface), Some(target)) =
                (text.get(f.start..f.end), self.targets.get(f.target as usize))
            else {
                continue;
            };
            out.push(Mention {
                start: f.start,
                end: f.end,
                text: surface.to_owned(),
                ticker: f.report.unwrap_or_else(|| target.ticker.clone()),
                cik: target.cik,
                confidence: f.confidence,
            });
        }
        out
    }

    fn resolve(&self, written: &WrittenTicker<'_>) -> Option<&TickerRef> {
        written.candidates().iter().find_map(|c| self.tickers.get(c.as_str()))
    }

    fn found_for(&self, r: &TickerRef, start: usize, end: usize, confidence: f32) -> Found {
        let confidence = match r.role {
            TickerRole::Main | TickerRole::Class => confidence,
            TickerRole::Former => confidence - 0.05,
            TickerRole::Derivative => confidence - 0.1,
        };
        let report = (r.role == TickerRole::Class).then(|| r.report.clone());
        Found { start, end, target: r.target, report, confidence }
    }

    /// `$AAPL`, `$BRK/B`, `$MSFT.O`: upper-case, not inside a word (`FA$T`, `$UN$ET`), not a
    /// futures code (`$LB_F`), not a foreign listing (`$AGF/B.TO`), not crypto in crypto text.
    fn cashtags(
        &self,
        ctx: &Context<'_>,
        found: &mut Vec<Found>,
        reserved: &mut Vec<(usize, usize)>,
    ) {
        let text = ctx.text;
        let mut tags: Vec<(usize, usize, Option<&TickerRef>, &str)> = Vec::new();
        for (dollar, _) in text.match_indices('$') {
            if char_before(text, dollar)
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '$' | '_'))
            {
                continue;
            }
            let Some((written, len)) = read_ticker(&text[dollar + 1..]) else { continue };
            let end = dollar + 1 + len;
            if char_after(text, end)
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '$' | '_' | '&'))
            {
                continue;
            }
            tags.push((dollar, end, self.resolve(&written), written.root));
        }
        if tags.is_empty() {
            return;
        }
        let crypto_text =
            tags.iter().any(|(_, _, r, root)| r.is_none() && self.crypto_symbols.contains(root))
                || self.crypto_words.as_ref().is_some_and(|a| a.is_match(text));
        for (start, end, r, root) in tags {
            let Some(r) = r else { continue };
            if crypto_text && self.crypto_symbols.contains(root) {
                continue;
            }
            found.push(self.found_for(r, start, end, 0.95));
            reserved.push((start, end));
        }
    }

    /// "(NYSE: LMT)", "NASDAQ:AAPL", "(Nasdaq: AAPL, MSFT)", "(Symbol: AA)".
    fn exchange_prefixed(
        &self,
        text: &str,
        found: &mut Vec<Found>,
        reserved: &mut Vec<(usize, usize)>,
    ) {
        for (colon, _) in text.match_indices(':') {
            let Some(prefix_start) = exchange_prefix_start(text, colon) else { continue };
            let mut pos = colon + 1;
            let mut last_end = None;
            loop {
                let tail = &text[pos..];
                let skipped = tail.len() - tail.trim_start().len();
                let at = pos + skipped;
                let Some((written, len)) = read_ticker(&text[at..]) else { break };
                let end = at + len;
                if char_after(text, end).is_some_and(|c| c.is_alphanumeric()) {
                    break;
                }
                if let Some(r) = self.resolve(&written) {
                    found.push(self.found_for(r, at, end, 0.95));
                }
                last_end = Some(end);
                match non_space_after(text, end) {
                    Some((i, ',' | ';' | '/')) => pos = i + 1,
                    _ => break,
                }
            }
            if let Some(end) = last_end {
                reserved.push((prefix_start, end));
            }
        }
    }

    /// Name matches: at the start of each capitalised word (names are written capitalised;
    /// "eBay" style too), the longest name of either automaton that ends on a word boundary.
    /// Anchored searches at word starts are much cheaper than scanning every byte.
    fn name_candidates(&self, text: &str, reserved: &[(usize, usize)]) -> Vec<NameCandidate> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        // One pass over the words: try each capitalised word start, skip the rest of the word.
        while i < bytes.len() {
            let b = bytes[i];
            if !b.is_ascii_alphanumeric() {
                i += if b.is_ascii() { 1 } else { skip_char(text, i).1 };
                continue;
            }
            let camel =
                b.is_ascii_lowercase() && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase);
            let capital = b.is_ascii_uppercase() || b.is_ascii_digit() || camel;
            if capital && name_can_start(text, i) {
                // Acronyms start with two capitals, digits or '&' ("AT&T", "3M").
                let shouted = bytes
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'&')
                    && !camel;
                let best = self
                    .automata
                    .iter()
                    .take(if shouted { 2 } else { 1 })
                    .filter_map(|index| index.longest_at(text, i))
                    .max_by_key(|&(end, _)| end);
                if let Some((end, pattern)) = best {
                    if !reserved.iter().any(|&(s, e)| i < e && s < end) {
                        out.push(NameCandidate {
                            start: i,
                            end,
                            pattern,
                            ticker_follows: false,
                            verdict: Verdict::Undecided,
                        });
                    }
                    i = end;
                    continue;
                }
            }
            // Skip to the end of this word.
            i += 1;
            while let Some(&c) = bytes.get(i) {
                if c.is_ascii_alphanumeric() || c == b'_' {
                    i += 1;
                } else if c.is_ascii() {
                    break;
                } else {
                    let (word, width) = skip_char(text, i);
                    if !word {
                        break;
                    }
                    i += width;
                }
            }
        }
        out
    }

    /// "(AAPL)", "( EBAY )", "(AB, JNS, IVZ)", "Citigroup Inc. (C)": tickers alone in
    /// parentheses. A one-letter, common-word or abbreviation ticker counts only right after a
    /// name of the same company; "Application Programming Interface (API)" never.
    fn parenthesised(
        &self,
        text: &str,
        names: &mut [NameCandidate],
        found: &mut Vec<Found>,
        reserved: &mut Vec<(usize, usize)>,
    ) {
        for (open, _) in text.match_indices('(') {
            // "ACE(TM)", "Libraries(CRT)": glued to a word, a trademark or abbreviation.
            if char_before(text, open).is_some_and(char::is_alphanumeric) {
                continue;
            }
            let Some(len) = text[open + 1..]
                .char_indices()
                .take(64)
                .find(|&(_, c)| matches!(c, ')' | '(' | '\n'))
                .and_then(|(i, c)| (c == ')').then_some(i))
            else {
                continue;
            };
            let close = open + 1 + len;
            let inner = &text[open + 1..close];
            if inner.contains(':') || inner.trim().is_empty() {
                continue;
            }
            let mut items = Vec::new();
            let mut offset = open + 1;
            let mut all_tickers = true;
            for part in inner.split([',', ';']) {
                let lead = part.len() - part.trim_start().len();
                let item = part.trim();
                match read_ticker(item) {
                    Some((w, n)) if n == item.len() => {
                        items.push((offset + lead, offset + lead + n, w))
                    }
                    _ => all_tickers = false,
                }
                offset += part.len() + 1;
            }
            if !all_tickers || items.is_empty() {
                continue;
            }
            let named =
                names.iter_mut().rev().find(|n| n.end <= open && name_reaches(text, n.end, open));
            let mut named_target = named.as_ref().map(|n| n.pattern.target);
            for (start, end, w) in items {
                let Some(r) = self.resolve(&w) else { continue };
                let after_name = named_target == Some(r.target);
                let after_capital = word_before(text, open).is_some_and(|(_, w)| is_capitalised(w));
                if !after_name
                    && (r.word_like || !after_capital || is_acronym_definition(text, open, w.root))
                {
                    continue;
                }
                found.push(self.found_for(r, start, end, if after_name { 0.95 } else { 0.85 }));
                reserved.push((start, end));
                named_target = named_target.filter(|_| after_name);
            }
            if let Some(n) =
                names.iter_mut().rev().find(|n| n.end <= open && name_reaches(text, n.end, open))
                && found
                    .iter()
                    .any(|f| f.start > open && f.end <= close && f.target == n.pattern.target)
            {
                n.ticker_follows = true;
            }
        }
    }

    fn judge_names(&self, ctx: &Context<'_>, names: &mut [NameCandidate], found: &mut Vec<Found>) {
        for i in 0..names.len() {
            let n = names[i].clone();
            if !n.ticker_follows
                && let Some((start, end, r)) = self.bare_ticker_after(ctx.text, &n)
            {
                found.push(self.found_for(r, start, end, 0.9));
                names[i].ticker_follows = true;
            }
            // Only an unambiguous neighbour makes "Netflix Spotify" a list; "Fox News" is one name.
            let clear = |m: &&NameCandidate| {
                m.pattern.acronym
                    || matches!(m.pattern.ambiguity, Ambiguity::Distinctive | Ambiguity::ProperNoun)
            };
            let prev_end = i.checked_sub(1).and_then(|j| names.get(j)).filter(clear).map(|m| m.end);
            let next_start = names.get(i + 1).filter(clear).map(|m| m.start);
            // "Fox News", "Apple Music": a common word right after a company name is its brand.
            let brand = i > 0
                && matches!(
                    names[i].pattern.ambiguity,
                    Ambiguity::CommonWord | Ambiguity::GivenName
                )
                && ctx.text.get(names[i - 1].end..names[i].start) == Some(" ");
            names[i].verdict = if brand {
                Verdict::Rejected
            } else {
                self.judge(ctx, &names[i], prev_end, next_start)
            };
        }
        // A list carries its members: "Lululemon, Office Depot, Heritage Financial".
        for _ in 0..3 {
            let mut changed = false;
            for i in 0..names.len() {
                if names[i].verdict != Verdict::Undecided {
                    continue;
                }
                let listed = |j: usize| {
                    names.get(j).is_some_and(|m| matches!(m.verdict, Verdict::Accepted(_)))
                };
                let text = ctx.text;
                let prev_joined =
                    i > 0 && listed(i - 1) && list_joined(text, names[i - 1].end, names[i].start);
                let next_joined =
                    listed(i + 1) && list_joined(text, names[i].end, names[i + 1].start);
                let same_company = names.iter().any(|m| {
                    m.pattern.target == names[i].pattern.target
                        && matches!(m.verdict, Verdict::Accepted(_))
                });
                if prev_joined || next_joined || same_company {
                    names[i].verdict = Verdict::Accepted(0.6);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// "Microsoft MSFT.O", "Alcoa Corp AA.N", "Packaging Corporation of America PKG".
    fn bare_ticker_after<'s>(
        &'s self,
        text: &str,
        n: &NameCandidate,
    ) -> Option<(usize, usize, &'s TickerRef)> {
        let pos = skip_legal_suffixes(text, n.end);
        let tail = text.get(pos..)?;
        let rest = tail.trim_start_matches([' ', '$']);
        if rest.len() == tail.len() {
            return None;
        }
        let start = pos + tail.len() - rest.len();
        let (written, len) = read_ticker(rest)?;
        let end = start + len;
        if char_after(text, end).is_some_and(|c| c.is_alphanumeric() || c == '(') {
            return None;
        }
        let r = self.resolve(&written)?;
        (r.target == n.pattern.target).then_some((start, end, r))
    }

    fn judge(
        &self,
        ctx: &Context<'_>,
        n: &NameCandidate,
        prev_name_end: Option<usize>,
        next_name_start: Option<usize>,
    ) -> Verdict {
        let text = ctx.text;
        let p = n.pattern;
        let Some(surface) = text.get(n.start..n.end) else { return Verdict::Rejected };
        if n.ticker_follows {
            return Verdict::Accepted(0.95);
        }
        if is_attribution(text, n.start, n.end) || in_boilerplate(ctx, n.start) {
            return Verdict::Rejected;
        }
        if !capitalisation_fits(surface, p) {
            return Verdict::Rejected;
        }
        let suffix_follows = word_after(text, n.end, true).is_some_and(|(w, _)| is_legal_suffix(w));
        if p.exchange_or_index {
            let the =
                word_before(text, n.start).is_some_and(|(_, w)| w.eq_ignore_ascii_case("the"));
            let operator = suffix_follows
                || word_after(text, n.end, true)
                    .is_some_and(|(w, _)| cues::contains(cues::EXCHANGE_OPERATOR, w));
            return if operator && !the { Verdict::Accepted(0.8) } else { Verdict::Rejected };
        }
        if p.single_word && self.is_person(text, n, p) {
            return Verdict::Rejected;
        }
        if in_stop_phrase(text, n.start, n.end) {
            return Verdict::Rejected;
        }
        let rank = self.targets.get(p.target as usize).map_or(UNRANKED, |t| t.rank);
        let neighbours = (prev_name_end, next_name_start);
        if (p.single_word || p.acronym)
            && self.inside_other_name(ctx, n, rank, neighbours, suffix_follows)
        {
            return Verdict::Rejected;
        }
        let cue = suffix_follows || has_cue(text, n.start, n.end);
        if p.acronym {
            return if cue {
                Verdict::Accepted(0.9)
            } else if p.form == NameForm::Alias || rank <= RANK_ACRONYM {
                Verdict::Accepted(0.8)
            } else {
                Verdict::Undecided
            };
        }
        // Capitals after the first word of a multi-word name are informative even at the start
        // of a sentence ("Champions Oncology started ...").
        let informative = if p.single_word {
            ctx.capitals_are_informative(n.start, n.end)
        } else {
            ctx.sentence_case(n.start)
        };
        match p.ambiguity {
            Ambiguity::Distinctive => Verdict::Accepted(match p.form {
                _ if cue => 0.95,
                NameForm::Alias | NameForm::Core => 0.9,
                NameForm::Short if !p.single_word => 0.85,
                NameForm::Short | NameForm::FirstWord => 0.75,
            }),
            // A small company named after a surname, place or myth ("Orion") needs a cue.
            Ambiguity::ProperNoun
                if !cue && rank > RANK_PROPER_NAME && p.form != NameForm::Alias =>
            {
                Verdict::Undecided
            }
            Ambiguity::ProperNoun => Verdict::Accepted(if cue { 0.9 } else { 0.8 }),
            Ambiguity::CommonPhrase => {
                if cue {
                    Verdict::Accepted(0.85)
                } else if informative || rank <= RANK_IN_RUNNING_TEXT {
                    Verdict::Accepted(0.7)
                } else {
                    Verdict::Undecided
                }
            }
            Ambiguity::CommonWord | Ambiguity::GivenName => {
                if cue {
                    Verdict::Accepted(0.8)
                } else if (informative && rank <= RANK_IN_RUNNING_TEXT) || rank <= RANK_IN_HEADLINES
                {
                    Verdict::Accepted(0.7)
                } else {
                    Verdict::Undecided
                }
            }
        }
    }

    /// Whether a one-word name is only part of a longer proper noun: "Universal Credit",
    /// "Viking Line", "Clarus Therapeutics" (another company), "Luckin Coffee Inc" (the suffix is
    /// the other company's), "Andreas Schwab" (a person), "51 Franklin St" (an address).
    /// Neighbouring company names do not count: "Netflix Spotify" is a list.
    fn inside_other_name(
        &self,
        ctx: &Context<'_>,
        n: &NameCandidate,
        rank: u32,
        (prev_name_end, next_name_start): (Option<usize>, Option<usize>),
        suffix_follows: bool,
    ) -> bool {
        let text = ctx.text;
        let p = n.pattern;
        let trusted_alias = p.form == NameForm::Alias
            && matches!(p.ambiguity, Ambiguity::Distinctive | Ambiguity::ProperNoun);
        let guard = match p.ambiguity {
            Ambiguity::Distinctive | Ambiguity::CommonPhrase => RANK_IN_RUNNING_TEXT,
            _ => RANK_COMPOUND_GUARD,
        };
        let sentence_case = ctx.sentence_case(n.start);
        let right = glued_word_after(text, n.end)
            .filter(|&(_, end)| next_name_start.is_none_or(|s| s >= end));
        let left = self
            .glued_word_before(ctx, n.start)
            .filter(|&(start, _)| prev_name_end.is_none_or(|e| e <= start));
        if rank > RANK_IN_HEADLINES {
            if right.is_some_and(|(w, _)| cues::contains(cues::STREETS, w)) {
                return true;
            }
            // A capitalised word that is no common word: a surname or another proper noun.
            let proper = |w: &str| !self.lexicon.is_common(w);
            if right.is_some_and(|(w, _)| proper(w)) || left.is_some_and(|(_, w)| proper(w)) {
                return !trusted_alias || sentence_case;
            }
        }
        if left.is_some() && suffix_follows {
            return true;
        }
        if trusted_alias || rank <= guard {
            return false;
        }
        if sentence_case && (right.is_some() || left.is_some()) {
            return true;
        }
        // "Clarus Therapeutics" is not Clarus Corp: a descriptor the name does not have makes
        // it another company's name, whatever the capitals.
        right.is_some_and(|(w, _)| is_descriptor(w))
    }

    /// The capitalised word right before `start` (one space between) that may belong to the
    /// same proper noun: not a cue, connector, honorific, possessive or sentence opener.
    fn glued_word_before<'t>(&self, ctx: &Context<'t>, start: usize) -> Option<(usize, &'t str)> {
        let text = ctx.text;
        let (prev_start, prev) = word_before(text, start)?;
        let adjacent = text.get(prev_start + prev.len()..start) == Some(" ");
        let opener = ctx.starts_segment(prev_start) && self.lexicon.is_common(prev);
        let glued = adjacent
            && is_capitalised(prev)
            && prev.chars().next().is_some_and(char::is_alphabetic)
            && !opener
            && !is_connector(prev)
            && !cues::contains(cues::PRECEDING, prev)
            && !cues::contains(cues::HONORIFICS, prev)
            && !prev.ends_with("'s")
            && !prev.ends_with('\u{2019}');
        glued.then_some((prev_start, prev))
    }

    /// "Tom Ford", "Larry Williams", "Mr. Gates": a surname. "Bill Ackman": a given name.
    fn is_person(&self, text: &str, n: &NameCandidate, p: Pattern) -> bool {
        let given = |w: &str| self.lexicon.is_given_name(w);
        if let Some((start, before)) = word_before(text, n.start) {
            let adjacent = text
                .get(start + before.len()..n.start)
                .is_some_and(|gap| gap.trim_matches('.').trim().is_empty());
            if adjacent
                && is_capitalised(before)
                && (given(before) || cues::contains(cues::HONORIFICS, before))
            {
                return true;
            }
            // A middle initial: "Robert J. Oppenheimer".
            if adjacent
                && before.len() == 1
                && is_capitalised(before)
                && word_before(text, start).is_some_and(|(_, first)| given(first))
            {
                return true;
            }
        }
        p.ambiguity == Ambiguity::GivenName
            && glued_word_after(text, n.end).is_some_and(|(w, _)| !is_descriptor(w))
    }
}

/// A ticker in parentheses counts as naming the company right before it, across legal
/// suffixes: "Apple Inc. (AAPL)", "Wells Fargo & Company (WFC)".
fn name_reaches(text: &str, name_end: usize, open: usize) -> bool {
    skip_legal_suffixes(text, name_end) <= open
        && text
            .get(skip_legal_suffixes(text, name_end)..open)
            .is_some_and(|gap| gap.trim().is_empty())
}

fn skip_legal_suffixes(text: &str, mut pos: usize) -> usize {
    while let Some((word, end)) = word_after(text, pos, true) {
        if !(is_legal_suffix(word) || word == "&" || word.eq_ignore_ascii_case("co")) {
            break;
        }
        pos = end;
    }
    pos
}

fn word_like_ticker(ticker: &str, lexicon: &Lexicon) -> bool {
    ticker.len() == 1 || lexicon.is_common(ticker) || cues::ABBREVIATIONS.contains(&ticker)
}

/// "Application Programming Interface (API)", "Pseudo-Random Key (PRK)": the initials of the
/// words before the parenthesis spell it.
fn is_acronym_definition(text: &str, open: usize, root: &str) -> bool {
    let mut pos = open;
    let mut initials = String::new();
    while initials.len() < root.len() {
        let Some((start, word)) = word_before(text, pos) else { break };
        if !is_connector(word) {
            for part in word.rsplit('-') {
                if let Some(c) = part.chars().next() {
                    initials.insert(0, c.to_ascii_uppercase());
                }
            }
        }
        pos = start;
    }
    initials == root
}

/// What a name must look like in the text: capitalised words (connectors may be lower case),
/// or exactly upper case for short acronyms.
fn capitalisation_fits(surface: &str, p: Pattern) -> bool {
    if p.acronym {
        return !surface.chars().any(char::is_lowercase);
    }
    let significant: Vec<&str> = surface.split([' ', '-']).filter(|w| !is_connector(w)).collect();
    let capitalised = significant.iter().all(|w| {
        is_capitalised(w) || w.chars().skip(1).any(char::is_uppercase) // eBay, iRobot
    });
    capitalised || (p.ambiguity == Ambiguity::Distinctive && !p.single_word)
}

/// The capitalised word right after `end` (one space between) that may continue the same
/// proper noun: not a legal suffix, not a cue, not a symbol in capitals.
fn glued_word_after(text: &str, end: usize) -> Option<(&str, usize)> {
    if text.get(end..).is_some_and(|t| !t.starts_with(' ') || t.starts_with("  ")) {
        return None;
    }
    word_after(text, end, false).filter(|&(w, _)| {
        is_capitalised(w)
            && w.chars().next().is_some_and(char::is_alphabetic)
            && !w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
            && !is_legal_suffix(w)
            && !cues::is_following_cue(w)
    })
}

fn has_cue(text: &str, start: usize, end: usize) -> bool {
    let mut pos = end;
    if let Some(rest) = text.get(end..) {
        for p in ["'s", "\u{2019}s", "'", "\u{2019}"] {
            if rest.starts_with(p) {
                pos = end + p.len();
                break;
            }
        }
    }
    if let Some((w, after)) = word_after(text, pos, false) {
        if cues::is_following_cue(w) {
            return true;
        }
        if w.eq_ignore_ascii_case("to")
            && word_after(text, after, false)
                .is_some_and(|(v, _)| cues::contains(cues::FOLLOWING_TO, v))
        {
            return true;
        }
    }
    let Some((prev_start, prev)) = word_before(text, start) else { return false };
    if cues::contains(cues::PRECEDING, prev) {
        return true;
    }
    word_before(text, prev_start).is_some_and(|(_, first)| {
        cues::PRECEDING_PAIRS
            .iter()
            .any(|(a, b)| first.eq_ignore_ascii_case(a) && prev.eq_ignore_ascii_case(b))
    })
}

/// Between two names only list separators, or other capitalised list items: ", ", " and ",
/// " & ", "/", ", Calithera Biosciences, ".
fn list_joined(text: &str, end: usize, next_start: usize) -> bool {
    let Some(gap) = text.get(end..next_start) else { return false };
    let g = gap.trim();
    let g = g.strip_prefix(',').map_or(g, str::trim);
    if (g.is_empty() && gap.contains(',')) || matches!(g, "and" | "&" | "/" | "or") {
        return true;
    }
    // Skipped items: comma-separated runs of at most four capitalised words.
    gap.contains(',')
        && g.trim_end_matches(',').split(',').all(|item| {
            let item = item.trim();
            let item = item.strip_prefix("and ").unwrap_or(item);
            let words: Vec<&str> = item.split_whitespace().collect();
            (1..=4).contains(&words.len())
                && words.iter().all(|w| is_capitalised(w) || is_connector(w))
        })
}

/// Whether the name is inside a known two- or three-word phrase ("price target", "post office").
fn in_stop_phrase(text: &str, start: usize, end: usize) -> bool {
    let Some(surface) = text.get(start..end) else { return false };
    let parts: Vec<&str> = surface.split(' ').collect();
    cues::STOP_PHRASES.iter().any(|phrase| {
        (0..phrase.len()).any(|at| {
            if at + parts.len() > phrase.len() {
                return false;
            }
            let same = parts.iter().zip(&phrase[at..]).all(|(a, b)| a.eq_ignore_ascii_case(b));
            if !same {
                return false;
            }
            let mut pos = start;
            for want in phrase[..at].iter().rev() {
                match word_before(text, pos) {
                    Some((s, w)) if w.eq_ignore_ascii_case(want) => pos = s,
                    _ => return false,
                }
            }
            let mut pos = end;
            for want in &phrase[at + parts.len()..] {
                match word_after(text, pos, false) {
                    Some((w, e)) if w.eq_ignore_ascii_case(want) => pos = e,
                    _ => return false,
                }
            }
            true
        })
    })
}

/// Bylines, newswires and image credits: "(Reuters) -", "- WSJ" at the end, "via @nypost",
/// "Photo: Shutterstock", "( ADP News )", "Shutterstock.com".
fn is_attribution(text: &str, start: usize, end: usize) -> bool {
    let head = text.get(..start).unwrap_or_default().trim_end().as_bytes();
    let labelled = cues::CREDIT_LABELS.iter().any(|l| {
        let l = l.as_bytes();
        head.len() >= l.len()
            && head[head.len() - l.len()..].eq_ignore_ascii_case(l)
            && head[..head.len() - l.len()].last().is_none_or(|c| !c.is_ascii_alphanumeric())
    });
    if labelled {
        return true;
    }
    if word_after(text, end, false).is_some_and(|(w, _)| cues::contains(cues::NEWSWIRE, w)) {
        return true;
    }
    let before = non_space_before(text, start).map(|(_, c)| c);
    let after = non_space_after(text, end);
    // "(Reuters) - ..." dateline
    if before == Some('(')
        && let Some((close, ')')) = after
    {
        let rest = text.get(close + 1..).unwrap_or_default().trim_start();
        return rest.starts_with('-')
            || rest.starts_with('\u{2014}')
            || rest.starts_with('\u{2013}');
    }
    // "... - Reuters" as the last words, before links or hashtags at most.
    if matches!(before, Some('-' | '\u{2014}' | '\u{2013}')) {
        let rest = text.get(end..).unwrap_or_default();
        return rest.split_whitespace().all(|w| {
            w.starts_with("http")
                || w.starts_with('#')
                || w.starts_with('@')
                || w.chars().all(|c| !c.is_alphanumeric())
        });
    }
    false
}

/// Publisher disclaimers ("... do not necessarily reflect those of Nasdaq, Inc.").
fn in_boilerplate(ctx: &Context<'_>, start: usize) -> bool {
    if !ctx.has_disclaimer() {
        return false;
    }
    let head = ctx.text.get(..start).unwrap_or_default();
    let sentence = head.rfind(". ").map_or(head, |i| &head[i..]);
    sentence.contains("necessarily reflect") || sentence.contains("opinions expressed")
}

/// Recognises "NYSE", "Nasdaq", "NYSE American", "NasdaqGS", "Symbol", ... right before a colon
/// and returns where that prefix starts.
fn exchange_prefix_start(text: &str, colon: usize) -> Option<usize> {
    const VENUES: &[&str] = &[
        "nyse",
        "nasdaq",
        "nyseamerican",
        "nysemkt",
        "nysearca",
        "amex",
        "cboe",
        "bats",
        "nasdaqgs",
        "nasdaqgm",
        "nasdaqcm",
        "symbol",
        "ticker",
    ];
    const TIERS: &[&str] = &["american", "mkt", "arca", "gs", "gm", "cm", "symbol"];
    let (start, word) = word_before(text, colon)?;
    if text.get(start + word.len()..colon).is_none_or(|gap| !gap.trim().is_empty()) {
        return None;
    }
    if cues::contains(VENUES, word) {
        return Some(start);
    }
    if cues::contains(TIERS, word) {
        let (s0, w0) = word_before(text, start)?;
        return cues::contains(VENUES, w0).then_some(s0);
    }
    None
}
