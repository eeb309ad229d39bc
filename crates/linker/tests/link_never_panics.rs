//! `link` never panics, and its mentions are sorted, disjoint, on char boundaries and match the
//! text, on arbitrary Unicode and on soups of the tokens the rules look at.

use std::sync::OnceLock;

use marketdesk_linker::Linker;
use marketdesk_linker::render_html;
use proptest::prelude::*;

fn linker() -> &'static Linker {
    static LINKER: OnceLock<Linker> = OnceLock::new();
    LINKER.get_or_init(|| Linker::shipped().expect("shipped reference data loads"))
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let ms = linker().link(text);
    let mut last_end = 0;
    for m in &ms {
        prop_assert!(m.start < m.end && m.end <= text.len());
        prop_assert!(m.start >= last_end, "overlap or unsorted: {ms:?}");
        prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
        prop_assert!((0.5..=1.0).contains(&m.confidence));
        last_end = m.end;
    }
    let html = render_html(text, &ms, |_| Some(1.0));
    prop_assert!(!html.contains("<script"));
    Ok(())
}

const TOKENS: &[&str] = &[
    "$",
    "$AAPL",
    "$BRK/B",
    "$MSFT.O",
    "(",
    ")",
    "( ",
    " )",
    ":",
    "NYSE:",
    "Nasdaq: ",
    ",",
    ".",
    " ",
    "  ",
    "-",
    " - ",
    "—",
    "'s",
    "’",
    "Apple",
    "Inc.",
    "Target",
    "Price",
    "Bill",
    "Gates",
    "AA",
    "AA.N",
    "Alcoa",
    "é",
    "日本",
    "🚗",
    "\u{301}",
    "Dow",
    "the",
    "#",
    "@",
    "http://x.co/",
    "Goldman Sachs",
    "KeyBanc",
    "Q2",
    "(C)",
    "Citigroup",
    "GOOG",
    "&amp;",
    "Corp",
    "shares of",
    "$BTC",
    "bitcoin",
    "Viking",
    "Line",
    "Tom",
    "Ford",
    "Lululemon",
    "Office Depot",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode(text in "\\PC{0,200}") {
        check(&text)?;
    }

    #[test]
    fn token_soup(parts in proptest::collection::vec(proptest::sample::select(TOKENS), 0..40)) {
        check(&parts.concat())?;
    }
}
