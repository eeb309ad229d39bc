//! The news desk never panics, whatever the text: analysis, cleaning, hashing and clustering of
//! arbitrary Unicode with the characters scraped headlines carry (dashes, zero-width spaces,
//! curly quotes, source suffixes).

use marketdesk_desks::news::{Clusterer, analyse, clean, simhash};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text(text in "\\PC{0,300}", noise in "[ \\-—–\u{200b}\u{200c}'’.,:;()|A-Za-z0-9]{0,80}") {
        let joined = format!("{text}{noise} - Reuters");
        let a = analyse(&joined);
        prop_assert!(a.sectors.len() <= 3);
        let zero_width = '\u{200b}';
        prop_assert!(!clean(&joined).contains(zero_width));
        let hash = simhash(&joined);
        let mut c = Clusterer::default();
        let first = c.assign("a", &joined).to_owned();
        prop_assert_eq!(first, "a");
        // The same text again joins its cluster, unless it has no content word at all (its
        // hash is then 0).
        let again = c.assign("b", &joined).to_owned();
        if hash != 0 {
            prop_assert_eq!(again, "a");
        }
    }
}
