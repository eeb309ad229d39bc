//! Verification: every number, ticker, company, person, date and quotation in a draft must be on
//! its fact sheet or computed from it. The deterministic writer passes by construction; a model's
//! draft is published only when this finds nothing.

use std::collections::BTreeSet;

use jiff::civil::Date;
use marketdesk_linker::{Linker, is_given_name};
use serde::Serialize;

use crate::{Draft, FactSheet, Unit};

/// What kind of claim failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A figure.
    Number,
    /// A ticker symbol.
    Ticker,
    /// A company name.
    Company,
    /// A person's name.
    Person,
    /// A calendar date or year.
    Date,
    /// Words in quotation marks.
    Quote,
    /// The draft's shape (empty headline, no sections).
    Structure,
}

/// One claim the fact sheet does not support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// What kind of claim.
    pub kind: ClaimKind,
    /// The claim as written.
    pub claim: String,
    /// Where: `headline`, `dek`, `sections[2].paragraphs[0]`.
    pub location: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            ClaimKind::Number => "number",
            ClaimKind::Ticker => "ticker",
            ClaimKind::Company => "company",
            ClaimKind::Person => "person",
            ClaimKind::Date => "date",
            ClaimKind::Quote => "quotation",
            ClaimKind::Structure => "structure",
        };
        write!(f, "{}: {kind} {:?} is not in the fact sheet", self.location, self.claim)
    }
}

/// Fixed terms whose digits are names, not figures.
const TERMS: &[&str] = &[
    "10b5-1",
    "10% owner",
    "10 percent owner",
    "Form 3",
    "Form 4",
    "Form 5",
    "Forms 3",
    "13F-HR",
    "13F",
    "Section 16",
    "Schedule 13D",
    "Schedule 13G",
    "S&P 500",
    "24/7",
    "401(k)",
];

/// Capitalised words that are not people even beside a given name.
const NOT_NAMES: &[&str] = &[
    "SEC",
    "Securities",
    "Exchange",
    "Commission",
    "Form",
    "Rule",
    "The",
    "A",
    "An",
    "AI",
    "Agent",
    "Generated",
    "Investors",
    "Readers",
    "Insider",
    "Insiders",
];

const MONTHS: [(&str, i8); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const NUMBER_WORDS: [(&str, f64); 19] = [
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("dozen", 12.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("hundred", 100.0),
    ("double", 2.0),
    ("doubled", 2.0),
    ("triple", 3.0),
];

/// What the sheet allows, gathered once.
struct Allowed<'a> {
    sheet: &'a FactSheet,
    values: Vec<(f64, Unit)>,
    dates: BTreeSet<Date>,
    years: BTreeSet<i16>,
    tickers: BTreeSet<String>,
    people: Vec<String>,
    quotes: Vec<String>,
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl<'a> Allowed<'a> {
    fn new(sheet: &'a FactSheet, extra_dates: &[Date]) -> Self {
        let base: Vec<(f64, Unit)> = sheet.numbers.iter().map(|n| (n.value, n.unit)).collect();
        let mut values = base.clone();
        // Computed from the sheet: sums, differences and ratios of two figures of one unit,
        // and per-share amounts.
        for (i, (a, ua)) in base.iter().enumerate() {
            for (b, ub) in &base[i + 1..] {
                if ua == ub {
                    values.push((a + b, *ua));
                    values.push(((a - b).abs(), *ua));
                    if *b != 0.0 {
                        values.push((a / b * 100.0, Unit::Percent));
                        values.push(((a / b - 1.0) * 100.0, Unit::Percent));
                        values.push((a / b, Unit::Count));
                    }
                    if *a != 0.0 {
                        values.push((b / a * 100.0, Unit::Percent));
                        values.push(((b / a - 1.0) * 100.0, Unit::Percent));
                        values.push((b / a, Unit::Count));
                    }
                }
                if let ((Unit::Usd, Unit::Shares) | (Unit::Shares, Unit::Usd), true) =
                    ((*ua, *ub), *a != 0.0 && *b != 0.0)
                {
                    let (usd, shares) = if *ua == Unit::Usd { (a, b) } else { (b, a) };
                    values.push((usd / shares, Unit::UsdPerShare));
                }
            }
        }
        let mut dates: BTreeSet<Date> = sheet.dates.iter().map(|d| d.date).collect();
        dates.insert(sheet.as_of);
        dates.extend(extra_dates);
        for n in &sheet.numbers {
            dates.insert(n.as_of);
        }
        let years = dates.iter().map(|d| d.year()).collect();
        let mut people = Vec::new();
        for e in sheet.entities.iter().filter(|e| e.kind != "company") {
            for name in [&e.name, &e.display] {
                people.extend(
                    name.split(|c: char| !c.is_alphanumeric() && c != '\'')
                        .filter(|w| w.len() > 1)
                        .map(str::to_lowercase),
                );
            }
        }
        Allowed {
            sheet,
            values,
            dates,
            years,
            tickers: sheet.tickers.iter().cloned().collect(),
            people,
            quotes: sheet.quotes.iter().map(|q| normalise(&q.text)).collect(),
        }
    }

    /// Whether a figure shown with `precision` (half its last digit) matches an allowed value.
    fn number(&self, shown: f64, precision: f64, units: &[Unit]) -> bool {
        let tol = |v: f64| precision + v.abs() * 1e-9;
        self.values.iter().any(|(v, u)| {
            (units.is_empty() || units.contains(u))
                && ((v.abs() - shown).abs() <= tol(*v) || (v - shown).abs() <= tol(*v))
        })
    }
}

/// A figure found in text.
#[derive(Debug, PartialEq)]
struct Figure {
    start: usize,
    end: usize,
    value: f64,
    precision: f64,
    kind: FigureKind,
}

#[derive(Debug, PartialEq, Clone, Copy)]
enum FigureKind {
    Money,
    Percent,
    Plain,
    Year,
}

/// Reads the figure starting at `i` (a digit): digits, commas, one decimal point.
fn read_number(b: &[u8], mut i: usize) -> (usize, f64, usize) {
    let mut digits = String::new();
    let mut decimals = 0usize;
    let mut seen_point = false;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            digits.push(c as char);
            if seen_point {
                decimals += 1;
            }
        } else if c == b',' && !seen_point && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        } else if c == b'.' && !seen_point && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            seen_point = true;
            digits.push('.');
        } else {
            break;
        }
        i += 1;
    }
    (i, digits.parse().unwrap_or(f64::NAN), decimals)
}

fn scale_word(rest: &str) -> Option<(f64, usize)> {
    for (word, scale) in
        [(" billion", 1e9), (" million", 1e6), (" thousand", 1e3), ("bn", 1e9), ("m ", 1e6)]
    {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            let consumed = if word.ends_with(' ') { word.len() - 1 } else { word.len() };
            return Some((scale, consumed));
        }
    }
    None
}

/// Every figure in `text` that is not a date (dates are read first and blanked).
fn figures(text: &str) -> Vec<Figure> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit()
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'))
        {
            i += 1;
            continue;
        }
        let money = i > 0 && b[i - 1] == b'$';
        let (end, mut value, decimals) = read_number(b, i);
        let mut precision = 0.5 / 10f64.powi(decimals as i32);
        let mut stop = end;
        if let Some((scale, used)) = text.get(end..).and_then(scale_word) {
            value *= scale;
            precision *= scale;
            stop = end + used;
        }
        let rest = text.get(stop..).unwrap_or("");
        let kind = if money {
            FigureKind::Money
        } else if rest.starts_with('%') || rest.starts_with(" percent") {
            stop += if rest.starts_with('%') { 1 } else { " percent".len() };
            FigureKind::Percent
        } else if decimals == 0 && (1900.0..=2100.0).contains(&value) && !text[i..end].contains(',')
        {
            FigureKind::Year
        } else {
            FigureKind::Plain
        };
        out.push(Figure {
            start: if money { i - 1 } else { i },
            end: stop,
            value,
            precision,
            kind,
        });
        i = stop.max(i + 1);
    }
    out
}

/// Calendar dates in `text`: "Feb. 14, 2020", "June 8", "2020-02-14". Returns (start, end,
/// month, day, year).
fn dates(text: &str) -> Vec<(usize, usize, i8, i8, Option<i16>)> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if i > 0 && b[i - 1].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        // ISO.
        if b.len() >= i + 10
            && b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b[i + 4] == b'-'
            && b[i + 7] == b'-'
            && let Some(d) = text.get(i..i + 10).and_then(|t| t.parse::<Date>().ok())
        {
            out.push((i, i + 10, d.month(), d.day(), Some(d.year())));
            i += 10;
            continue;
        }
        let mut matched = None;
        for (name, month) in MONTHS {
            if lower[i..].starts_with(name) {
                let mut j = i + name.len();
                if b.get(j) == Some(&b'.') {
                    j += 1;
                }
                if b.get(j) != Some(&b' ') || !b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                    continue;
                }
                let (k, day, _) = read_number(b, j + 1);
                if !(1.0..=31.0).contains(&day) || b.get(k).is_some_and(u8::is_ascii_digit) {
                    continue;
                }
                let mut end = k;
                let mut year = None;
                if lower[k..].starts_with(", ") && b.get(k + 2).is_some_and(u8::is_ascii_digit) {
                    let (e, y, _) = read_number(b, k + 2);
                    if (1900.0..=2100.0).contains(&y) {
                        year = Some(y as i16);
                        end = e;
                    }
                }
                matched = Some((i, end, month, day as i8, year));
                break;
            }
        }
        if let Some(m) = matched {
            out.push(m);
            i = m.1;
        } else {
            i += 1;
        }
    }
    out
}

/// Checks a draft against its fact sheet. `published` dates (the dateline's day) are allowed
/// too; with a `linker`, company names and bare tickers are checked as well.
pub fn verify(
    draft: &Draft,
    sheet: &FactSheet,
    published: &[Date],
    linker: Option<&Linker>,
) -> Vec<Violation> {
    let allowed = Allowed::new(sheet, published);
    let mut out = Vec::new();
    if draft.headline.trim().is_empty() || draft.sections.is_empty() {
        out.push(Violation {
            kind: ClaimKind::Structure,
            claim: "a headline and at least one section".into(),
            location: "article".into(),
        });
    }
    let mut texts: Vec<(String, &str)> =
        vec![("headline".into(), &draft.headline), ("dek".into(), &draft.dek)];
    for (i, s) in draft.sections.iter().enumerate() {
        texts.push((format!("sections[{i}].heading"), &s.heading));
        for (j, p) in s.paragraphs.iter().enumerate() {
            texts.push((format!("sections[{i}].paragraphs[{j}]"), p));
        }
    }
    for (location, text) in texts {
        check_text(text, &allowed, linker, &location, &mut out);
    }
    out
}

fn check_text(
    text: &str,
    allowed: &Allowed<'_>,
    linker: Option<&Linker>,
    location: &str,
    out: &mut Vec<Violation>,
) {
    let mut violation = |kind, claim: &str| {
        out.push(Violation { kind, claim: claim.to_owned(), location: location.to_owned() });
    };
    // Quotations must be the sources' own words; once checked they are blanked.
    let mut text = text.to_owned();
    for (open, close) in [('\u{201c}', '\u{201d}'), ('"', '"')] {
        while let Some(a) = text.find(open) {
            let from = a + open.len_utf8();
            let Some(len) = text[from..].find(close) else { break };
            let quoted = text[from..from + len].to_owned();
            let n = normalise(&quoted);
            if n.split(' ').count() >= 4 && !allowed.quotes.iter().any(|q| q.contains(&n)) {
                violation(ClaimKind::Quote, &quoted);
            }
            let blank = " ".repeat(len + open.len_utf8() + close.len_utf8());
            text.replace_range(a..from + len + close.len_utf8(), &blank);
        }
    }
    // A source's own words, repeated verbatim (a report's headline), are quotations too.
    for q in &allowed.sheet.quotes {
        let q = q.text.trim();
        if q.split_whitespace().count() < 4 {
            continue;
        }
        while let Some(a) = text.find(q) {
            text.replace_range(a..a + q.len(), &" ".repeat(q.len()));
        }
    }
    for term in TERMS {
        while let Some(a) = text.find(term) {
            text.replace_range(a..a + term.len(), &" ".repeat(term.len()));
        }
    }
    for (start, end, month, day, year) in dates(&text) {
        let ok = allowed
            .dates
            .iter()
            .any(|d| d.month() == month && d.day() == day && year.is_none_or(|y| y == d.year()));
        if !ok {
            violation(ClaimKind::Date, &text[start..end]);
        }
        text.replace_range(start..end, &" ".repeat(end - start));
    }
    for f in figures(&text) {
        let claim = &text[f.start..f.end];
        let ok = match f.kind {
            FigureKind::Money => {
                allowed.number(f.value, f.precision, &[Unit::Usd, Unit::UsdPerShare])
            }
            FigureKind::Percent => allowed.number(f.value, f.precision, &[Unit::Percent]),
            FigureKind::Year => {
                allowed.years.contains(&(f.value as i16))
                    || allowed.number(f.value, f.precision, &[])
            }
            FigureKind::Plain => allowed.number(f.value, f.precision, &[]),
        };
        if !ok {
            violation(
                if f.kind == FigureKind::Year { ClaimKind::Date } else { ClaimKind::Number },
                claim,
            );
        }
    }
    for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
        if let Some((_, v)) = NUMBER_WORDS.iter().find(|(w, _)| word.eq_ignore_ascii_case(w))
            && !allowed.number(*v, 0.01, &[])
            && *v > 1.0
        {
            violation(ClaimKind::Number, word);
        }
    }
    check_tickers(&text, allowed, linker, &mut violation);
    if let Some(linker) = linker {
        // A name the sheet gives is the sheet's company even when the linker resolves it to
        // today's successor ("Google" in a 2015 filing by Google Inc.).
        let sheet_names: Vec<(usize, usize)> =
            crate::find_mentions(&text, allowed.sheet).iter().map(|(s, e, _)| (*s, *e)).collect();
        for m in linker.link(&text) {
            let on_sheet = allowed.tickers.contains(&m.ticker)
                || allowed.sheet.entities.iter().any(|e| e.cik == Some(m.cik))
                || sheet_names.iter().any(|(s, e)| *s <= m.start && m.end <= *e);
            if !on_sheet {
                violation(ClaimKind::Company, &m.text);
            }
        }
    }
    check_people(&text, allowed, &mut violation);
}

/// `$TSLA`, `(TSLA)`, `NASDAQ: TSLA`, and with a linker any capitalised word that is a listed
/// ticker, must be on the sheet.
fn check_tickers(
    text: &str,
    allowed: &Allowed<'_>,
    linker: Option<&Linker>,
    violation: &mut impl FnMut(ClaimKind, &str),
) {
    const ABBREVIATIONS: &[&str] = &[
        "CEO", "CFO", "COO", "CTO", "SEC", "US", "USA", "ET", "AI", "IPO", "ETF", "GAAP", "EPS",
        "Q1", "Q2", "Q3", "Q4", "SVP", "EVP", "VP", "GC", "LLC", "INC", "NYSE", "NASDAQ", "A", "I",
        "II", "III", "IV", "EDGAR", "PLAN", "RSU", "RSUS", "OK", "UK", "EU", "GDP", "CPI", "FED",
    ];
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_uppercase() || (i > 0 && (b[i - 1].is_ascii_alphanumeric())) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len()
            && (b[j].is_ascii_uppercase()
                || (b[j] == b'.' && b.get(j + 1).is_some_and(u8::is_ascii_uppercase)))
        {
            j += 1;
        }
        let word = &text[i..j];
        let followed_by_lower = b.get(j).is_some_and(u8::is_ascii_lowercase);
        if followed_by_lower || word.len() > 6 || word.is_empty() {
            i = j.max(i + 1);
            continue;
        }
        let marked = (i > 0 && b[i - 1] == b'$')
            || (i > 0 && b[i - 1] == b'(' && b.get(j) == Some(&b')'))
            || text[..i].trim_end().ends_with(':');
        let known = linker.is_some_and(|l| l.lookup_ticker(word).is_some())
            && !ABBREVIATIONS.contains(&word)
            && word.len() >= 2;
        if (marked && word.len() <= 5 || known) && !allowed.tickers.contains(word) {
            violation(ClaimKind::Ticker, word);
        }
        i = j;
    }
}

/// Runs of capitalised words with a given name in them ("Jane Doe") must name a person on the
/// sheet.
fn check_people(text: &str, allowed: &Allowed<'_>, violation: &mut impl FnMut(ClaimKind, &str)) {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .scan(0usize, |pos, w| {
            let start = text[*pos..].find(w).map_or(*pos, |o| *pos + o);
            *pos = start + w.len();
            Some((start, w))
        })
        .collect();
    let capitalised = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
            && !NOT_NAMES.contains(&w)
    };
    let mut i = 0;
    while i < words.len() {
        if !capitalised(words[i].1) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < words.len() && (capitalised(words[j].1) || is_initial(words[j].1)) {
            let ends_clause = words[j].1.ends_with([',', '.', ';', ':']) && !is_initial(words[j].1);
            j += 1;
            if ends_clause {
                break;
            }
        }
        let run: Vec<&str> = words[i..j]
            .iter()
            .map(|(_, w)| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''))
            .collect();
        if run.len() >= 2 && run.iter().any(|w| is_given_name(w)) {
            let joined = run.join(" ");
            let a_company = allowed.sheet.entities.iter().any(|e| {
                e.kind == "company" && (e.display.contains(&joined) || e.name.contains(&joined))
            });
            let known = a_company
                || run.iter().any(|w| {
                    let w = w.trim_end_matches("'s").to_lowercase();
                    allowed.people.contains(&w)
                });
            if !known {
                violation(ClaimKind::Person, &run.join(" "));
            }
        }
        i = j.max(i + 1);
    }
}

fn is_initial(w: &str) -> bool {
    let t = w.trim_end_matches('.');
    t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase()) && w.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DraftSection, SignalContext, roster, testing::signal, write_insider};

    fn sheet() -> FactSheet {
        FactSheet::from_signal(&signal(), &SignalContext::default())
    }

    fn draft(paragraph: &str) -> Draft {
        Draft {
            headline: "Elon Musk buys $1.0 million of Tesla stock".into(),
            dek: "The chief executive bought 40,000 shares on Feb. 14, 2020.".into(),
            sections: vec![DraftSection {
                heading: "What happened".into(),
                paragraphs: vec![paragraph.into()],
            }],
        }
    }

    fn claims(paragraph: &str) -> Vec<String> {
        verify(&draft(paragraph), &sheet(), &[], None).into_iter().map(|v| v.claim).collect()
    }

    #[test]
    fn sheet_figures_in_any_newsroom_form_pass() {
        assert!(claims("Musk paid $25.00 a share, $1,000,000 in all, for 40,000 shares (0.1% more), on 2020-02-14; his last purchase was in 2011, under no Rule 10b5-1 plan. One insider, Form 4.").is_empty());
    }

    #[test]
    fn invented_figures_dates_tickers_and_people_fail() {
        let found = claims(
            "Musk paid $26.00 a share for 45,000 shares, up 12.5%, on March 3, 2020, with $AAPL and Jane Doe watching. \u{201c}We are buying because the stock is cheap\u{201d}, he said. Three insiders joined.",
        );
        assert_eq!(
            found,
            [
                "We are buying because the stock is cheap",
                "March 3, 2020",
                "$26.00",
                "45,000",
                "12.5%",
                "Three",
                "AAPL",
                "Jane Doe"
            ]
        );
    }

    #[test]
    fn a_split_can_not_pass_as_a_fall() {
        // "7-for-1 split" published as "shares down 71%": 71 is on no sheet.
        assert_eq!(claims("Shares are down 71% after the split."), ["71%"]);
    }

    #[test]
    fn the_deterministic_writer_passes_its_own_check() {
        let persona = roster().expect("roster").remove(0);
        let d = write_insider(&sheet(), &persona).expect("draft");
        assert_eq!(verify(&d, &sheet(), &[], None), []);
    }
}
