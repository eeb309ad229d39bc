//! `parse_feed` is total: whatever the bytes (random, markup soup, any fixture cut anywhere),
//! it returns a feed or an error and never panics.

use std::{path::PathBuf, sync::OnceLock};

use marketdesk_feeds::{parse_date, parse_feed};
use proptest::prelude::*;

fn fixtures() -> &'static [(String, Vec<u8>)] {
    static FIXTURES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/feeds");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .expect("fixtures/feeds")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
            .map(|p| (p.display().to_string(), std::fs::read(&p).expect("read fixture")))
            .collect();
        files.sort();
        files
    })
}

fn hint() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("utf-8"),
        Some("windows-1251"),
        Some("iso-8859-1"),
        Some("bogus"),
    ])
}

/// Pieces of RSS, Atom and JSON Feed, and the things that break them.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>",
        "<rss version=\"2.0\">",
        "</rss>",
        "<channel>",
        "</channel>",
        "<item>",
        "</item>",
        "<item/>",
        "<title>",
        "</title>",
        "<link>",
        "</link>",
        "<description>",
        "</description>",
        "<guid isPermaLink=\"true\">",
        "</guid>",
        "<pubDate>",
        "</pubDate>",
        "Mon, 29 Jul 2019 13:55 GMT",
        "03 Apr 02 1500 GMT",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        "</feed>",
        "<entry>",
        "</entry>",
        "<link href=\"/rel\" rel=\"alternate\"/>",
        "<content type=\"xhtml\">",
        "</content>",
        "<summary type=\"html\">",
        "</summary>",
        "<div>",
        "</div>",
        "<dc:date>",
        "</dc:date>",
        "<rdf:RDF>",
        "</rdf:RDF>",
        "<author><name>",
        "</name></author>",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "&",
        "&amp;",
        "&nbsp;",
        "&#039;",
        "&#x",
        ";",
        "<",
        ">",
        "\"",
        "'",
        "é",
        "\u{0}",
        "\u{feff}",
        " ",
        "\n",
        "text",
        "http://example.com/a?b=1&c=2",
        "xml:base=\"/x/\"",
        "<a href=\"",
        "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [",
        "{\"id\": 1, \"title\": \"t\", \"date_published\": \"2020-01-01T00:00:00Z\"}",
        "]}",
        ",",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096), hint in hint()) {
        let _ = parse_feed(&bytes, "arbitrary", hint);
    }

    #[test]
    fn markup_soup(pieces in prop::collection::vec(piece(), 0..80), hint in hint()) {
        let _ = parse_feed(pieces.concat().as_bytes(), "soup", hint);
    }

    #[test]
    fn every_fixture_cut_anywhere(file in 0..64usize, cut in any::<prop::sample::Index>()) {
        let fixtures = fixtures();
        let (name, bytes) = &fixtures[file % fixtures.len()];
        let end = cut.index(bytes.len() + 1);
        if let Ok(feed) = parse_feed(&bytes[..end], name, None) {
            // A cut document never gives more items than the whole one.
            let whole = parse_feed(bytes, name, None).map(|f| f.items.len()).unwrap_or(0);
            prop_assert!(feed.items.len() <= whole, "{name} cut at {end}");
        }
    }

    #[test]
    fn dates_never_panic(text in "\\PC{0,60}") {
        let _ = parse_date(&text);
    }

    #[test]
    fn date_like_text_never_panics(text in "[A-Za-z0-9 ,:+\\-./]{0,40}") {
        let _ = parse_date(&text);
    }
}
