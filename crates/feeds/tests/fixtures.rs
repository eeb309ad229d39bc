//! Every file in `fixtures/feeds`: how many items it gives (never fewer than Python's
//! feedparser keeps), its first item's title, link and publication time, and the quirk the file
//! is there for. See `fixtures/feeds/MANIFEST.md` for where each file comes from.

use std::path::PathBuf;

use marketdesk_feeds::{FeedFormat, ParsedFeed, parse_feed};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/feeds")
}

fn parse(file: &str) -> ParsedFeed {
    let bytes = std::fs::read(fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    parse_feed(&bytes, file, None).unwrap_or_else(|e| panic!("{e}"))
}

/// What one fixture must give.
struct Case {
    file: &'static str,
    format: FeedFormat,
    /// Items this crate keeps.
    items: usize,
    /// Distinct items Python's feedparser 6 keeps from the same file: the floor.
    feedparser: usize,
    title: &'static str,
    link: Option<&'static str>,
    /// RFC 3339 UTC, and the offset written in the feed in seconds.
    published: Option<(&'static str, Option<i32>)>,
}

/// The feedparser column: for well-formed files feedparser keeps every item; from the truncated
/// Reuters file it keeps none and from the raw-ampersand file all three. The Latin-1 UOL file
/// is not UTF-8, and feedparser, after its UTF-8 attempt fails, reads it as Windows-1252 and
/// keeps all 15. In the PCMag file each real item contains an illegally nested `<item />`;
/// feedparser starts a new, empty entry at each, so it returns 14 entries of which 7 are empty
/// (no title, link, id or date): 7 distinct items.
const CASES: &[Case] = &[
    Case {
        file: "atom_entry_missing_fields.atom.xml",
        format: FeedFormat::Atom10,
        items: 1,
        feedparser: 1,
        title: "",
        link: None,
        published: None,
    },
    Case {
        file: "cnbc_finance_2019-07-29.rss.xml",
        format: FeedFormat::Rss20,
        items: 30,
        feedparser: 30,
        title: "Morgan Stanley: The S&P 500 will fail to break out for a third time in 18 months",
        link: Some(
            "https://www.cnbc.com/2019/07/29/morgan-stanley-the-sp-500-will-fail-to-break-out-for-a-third-time-in-18-months.html",
        ),
        published: Some(("2019-07-29T13:55:00Z", Some(0))),
    },
    Case {
        file: "dival_rss091_no_guid_iso8859.rss.xml",
        format: FeedFormat::Rss091,
        items: 1,
        feedparser: 1,
        title: "Oferta de Empleo Público // 3 PROFESOR/A TÉCNICO/A (INGENIE. TÉC. FORESTAL) 17/17",
        link: None,
        published: None,
    },
    Case {
        file: "golem_rss1_iso8859.rdf.xml",
        format: FeedFormat::Rss10,
        items: 1,
        feedparser: 1,
        title: "Digitalministerium: Neue Glasfaserförderung mit Schnellkasse",
        link: Some(
            "https://www.golem.de/news/digitalministerium-neue-glasfaserfoerderung-mit-schnellkasse-2301-171451.html",
        ),
        published: Some(("2023-01-25T18:03:02Z", Some(3600))),
    },
    Case {
        file: "guardian_us_2018.rss.xml",
        format: FeedFormat::Rss20,
        items: 7,
        feedparser: 7,
        title: "Trump State of the Union address promised unity but emphasized discord",
        link: Some(
            "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
        ),
        published: Some(("2018-01-31T07:26:05Z", Some(0))),
    },
    Case {
        file: "jn_pt_iso8859_whitespace_in_dates.rss.xml",
        format: FeedFormat::Rss20,
        items: 23,
        feedparser: 23,
        title: "Mãe de utente é a nova presidente da Raríssimas",
        // FeedBurner's origLink, not its redirecting feeds.jn.pt link.
        link: Some(
            "https://www.jn.pt/nacional/interior/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html",
        ),
        published: Some(("2018-01-03T13:47:00Z", Some(0))),
    },
    Case {
        file: "nbc_newyork_cdata.rss.xml",
        format: FeedFormat::Rss20,
        items: 1,
        feedparser: 1,
        title: "NYC cops search for stabbing suspect after leaving 18-year-old to bleed out on sidewalk",
        link: Some(
            "https://www.nbcnewyork.com/news/local/nyc-cops-search-for-stabbing-suspect-after-leaving-18-year-old-to-bleed-out-on-sidewalk/4956764/",
        ),
        // "Sat, Dec 16 2023 02:02:33 PM": no zone, read as UTC.
        published: Some(("2023-12-16T14:02:33Z", None)),
    },
    Case {
        file: "oren_ru_windows1251.rss.xml",
        format: FeedFormat::Rss20,
        items: 10,
        feedparser: 10,
        title: "В Бузулуке главные стройплощадки – детсад и Ледовый дворец",
        link: Some("http://www.oren.ru/news/2743422/"),
        published: Some(("2014-01-22T14:31:31Z", Some(21600))),
    },
    Case {
        file: "pcmag_dvorak_feedburner_no_guid.rss.xml",
        format: FeedFormat::Rss20,
        items: 7,
        feedparser: 7,
        title: "My Professional Armchair Analysis of CES",
        link: Some("http://www.pcmag.com/article2/0,2817,2525649,00.asp?kc=PCRSS03079TX1K0000584"),
        published: Some(("2018-01-17T20:50:00Z", Some(-18000))),
    },
    Case {
        file: "reuters_most_read_truncated_invalid.rss.xml",
        format: FeedFormat::Rss20,
        items: 0,
        feedparser: 0,
        title: "",
        link: None,
        published: None,
    },
    Case {
        file: "reuters_world_direct_2026-08.rss.xml",
        format: FeedFormat::Rss20,
        items: 32,
        feedparser: 32,
        title: "Israel strikes southern Syria; Damascus condemns attack - Reuters",
        link: Some(
            "https://www.reuters.com/world/middle-east/israel-strikes-southern-syria-damascus-condemns-attack-2026-08-22/",
        ),
        published: Some(("2026-08-22T18:51:50Z", Some(0))),
    },
    Case {
        file: "rss092_example_bad_dates.rss.xml",
        format: FeedFormat::Rss092,
        items: 2,
        feedparser: 2,
        title: "The First Item",
        link: Some("http://www.oreilly.com/example/001.html"),
        published: None,
    },
    Case {
        file: "sec_edgar_company_filings_iso8859.atom.xml",
        format: FeedFormat::Atom10,
        items: 12,
        feedparser: 12,
        title: "8-K - Current report",
        link: Some(
            "https://www.sec.gov/Archives/edgar/data/1889983/000121390025006497/0001213900-25-006497-index.htm",
        ),
        published: Some(("2025-01-24T21:00:43Z", Some(-18000))),
    },
    Case {
        file: "sec_press_releases.rss.xml",
        format: FeedFormat::Rss20,
        items: 25,
        feedparser: 25,
        title: "Acting Chairman Mark T. Uyeda Names Acting Senior Staff",
        link: Some("https://www.sec.gov/newsroom/press-releases/2025-31"),
        published: Some(("2025-01-24T16:00:00Z", Some(-18000))),
    },
    Case {
        file: "tpm_all_news_2017.atom.xml",
        format: FeedFormat::Atom10,
        items: 5,
        feedparser: 5,
        title: "Hannity Announces Fox Has Hired Sebastian Gorka As NatSec Strategist",
        // A relative href, resolved against the feed's alternate link.
        link: Some(
            "http://talkingpointsmemo.com/livewire/hannity-announces-fox-hired-sebastian-gorka-national-security-strategist",
        ),
        published: Some(("2017-11-08T23:15:58Z", Some(-18000))),
    },
    Case {
        file: "unescaped_ampersand_invalid.rss.xml",
        format: FeedFormat::Rss20,
        items: 3,
        feedparser: 3,
        title: "Good Item",
        link: Some("http://example.com/good"),
        published: None,
    },
    Case {
        file: "uol_noticias_latin1_no_xml_decl.rss.xml",
        format: FeedFormat::Rss,
        items: 15,
        feedparser: 15,
        title: "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
        link: Some(
            "https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm",
        ),
        published: Some(("2018-09-24T22:42:40Z", Some(-10800))),
    },
    Case {
        file: "washingtonpost_wellness.rss.xml",
        format: FeedFormat::Rss20,
        items: 4,
        feedparser: 4,
        title: "Schools minister to kids’ fitness and nutrition needs",
        link: Some("http://feeds.washingtonpost.com/click.phdo?i=cc0c5fb09865354bbec8415210a554da"),
        published: Some(("2012-08-21T15:33:00Z", Some(-18000))),
    },
];

#[test]
fn every_fixture_has_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures/feeds")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".xml") || f.ends_with(".json"))
        .collect();
    files.sort();
    let cases: Vec<&str> = CASES.iter().map(|c| c.file).collect();
    assert_eq!(files, cases);
}

#[test]
fn counts_and_first_items() {
    for case in CASES {
        let feed = parse(case.file);
        let file = case.file;
        assert_eq!(feed.format, case.format, "{file}");
        assert_eq!(feed.items.len(), case.items, "{file}");
        assert!(feed.items.len() >= case.feedparser, "{file}: fewer items than feedparser");
        let Some(first) = feed.items.first() else {
            continue;
        };
        assert_eq!(first.title, case.title, "{file}");
        assert_eq!(first.link.as_deref(), case.link, "{file}");
        let published = first.published.map(|t| t.to_string());
        assert_eq!(
            published.as_deref().map(|p| (p, first.published_offset)),
            case.published,
            "{file}"
        );
        // Unique by key, every link absolute.
        let mut keys: Vec<String> = feed.items.iter().map(|i| i.dedup_key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), feed.items.len(), "{file}");
        for item in &feed.items {
            if let Some(link) = &item.link {
                assert!(
                    link.starts_with("http://") || link.starts_with("https://"),
                    "{file}: {link}"
                );
            }
        }
    }
}

fn has_problem(feed: &ParsedFeed, needle: &str) -> bool {
    feed.problems.iter().any(|p| p.to_string().contains(needle))
}

#[test]
fn encodings() {
    let uol = parse("uol_noticias_latin1_no_xml_decl.rss.xml");
    assert_eq!(uol.encoding, "windows-1252");
    assert_eq!(uol.title.as_deref(), Some("UOL Noticias"));
    assert!(has_problem(&uol, "not valid UTF-8; read as windows-1252"));
    let oren = parse("oren_ru_windows1251.rss.xml");
    assert_eq!(oren.encoding, "windows-1251");
    assert_eq!(oren.title.as_deref(), Some("Новости Оренбурга и области / Раздел Новости"));
    // Double-escaped numeric references in a description: `&amp;#40;видео&amp;#41;`.
    assert_eq!(oren.items[1].summary, "Из-за чего теперь на них возбуждено уголовное дело (видео)");
    let jn = parse("jn_pt_iso8859_whitespace_in_dates.rss.xml");
    assert_eq!(jn.encoding, "windows-1252");
    assert_eq!(jn.title.as_deref(), Some("Jornal de Notícias - Últimas Notícias"));
    let golem = parse("golem_rss1_iso8859.rdf.xml");
    assert_eq!(golem.items[0].author.as_deref(), Some("Achim Sawall"));
    let edgar = parse("sec_edgar_company_filings_iso8859.atom.xml");
    assert_eq!(edgar.encoding, "windows-1252");
    assert_eq!(edgar.items[0].categories, ["8-K"]);
}

#[test]
fn recovery() {
    let cut = parse("reuters_most_read_truncated_invalid.rss.xml");
    assert_eq!(cut.title.as_deref(), Some("Reuters: Most Read Articles"));
    assert_eq!(cut.link.as_deref(), Some("https://www.reuters.com"));
    assert!(has_problem(&cut, "the document ends inside <rss><channel>"), "{:?}", cut.problems);
    let amp = parse("unescaped_ampersand_invalid.rss.xml");
    let titles: Vec<&str> = amp.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["Good Item", "Bad Item", "Item After Error"]);
    assert_eq!(amp.items[1].link.as_deref(), Some("http://example.com/bad?foo=1&bar=2"));
    assert!(has_problem(
        &amp,
        "item 1 (http://example.com/bad), line 15, column 41, link: a raw '&'"
    ));
    let pcmag = parse("pcmag_dvorak_feedburner_no_guid.rss.xml");
    assert_eq!(pcmag.problems.iter().filter(|p| p.message.contains("empty <item/>")).count(), 7);
    assert!(pcmag.items.iter().all(|i| i.guid.is_none() && !i.title.is_empty()));
    let missing = parse("atom_entry_missing_fields.atom.xml");
    assert_eq!(
        missing.items[0].guid.as_deref(),
        Some("tag:github.com,2008:Repository/11167738/v3.9.0")
    );
    assert!(has_problem(&missing, "title: no title"));
    assert!(has_problem(&missing, "published: no date"));
}

#[test]
fn text_and_dates() {
    let sec = parse("sec_press_releases.rss.xml");
    // `&amp;nbsp;` in the description, titles padded with whitespace.
    assert!(sec.items[0].summary.starts_with("The Securities and Exchange Commission today announced Acting Chairman Mark T. Uyeda’s selections"));
    assert!(
        sec.items[0].summary.contains("departures. “These talented"),
        "{}",
        sec.items[0].summary
    );
    assert!(sec.items.iter().all(|i| i.author.is_none() && i.title == i.title.trim()));
    let cnbc = parse("cnbc_finance_2019-07-29.rss.xml");
    assert!(cnbc.items[0].summary.contains("the index's internals"));
    assert_eq!(cnbc.updated.map(|t| t.to_string()).as_deref(), Some("2019-07-18T04:06:00Z"));
    let rss092 = parse("rss092_example_bad_dates.rss.xml");
    // "03 Apr 02 1500 GMT", on the channel; the items have no date.
    assert_eq!(rss092.updated.map(|t| t.to_string()).as_deref(), Some("2002-04-03T15:00:00Z"));
    assert!(has_problem(&rss092, "item 0, line 14, column 3, published: no date"));
    let nbc = parse("nbc_newyork_cdata.rss.xml");
    assert_eq!(nbc.items[0].author.as_deref(), Some("Gaby Acevedo and Jessica Cunnington"));
    assert_eq!(nbc.title.as_deref(), Some("NBC New York"));
    assert!(has_problem(
        &nbc,
        "\"Sat, Dec 16 2023 02:02:33 PM\" names no zone we know; read as UTC"
    ));
    let tpm = parse("tpm_all_news_2017.atom.xml");
    assert!(
        tpm.items[0].summary.starts_with("Fox News star host Sean Hannity on Wednesday announced")
    );
    assert!(tpm.items[0].summary.contains("“Joining us now is Dr. Sebastian Gorka,” Hannity said"));
    assert_eq!(tpm.items[0].author.as_deref(), Some("Esme Cribb"));
    let dival = parse("dival_rss091_no_guid_iso8859.rss.xml");
    assert_eq!(
        dival.items[0].summary,
        "Publicado el 14-05-2021 resultado de calificaciones 2º ej en los tablones de anuncios. Descárguelo aquí"
    );
    assert!(dival.items[0].dedup_key().starts_with("sha256:"));
    let uol = parse("uol_noticias_latin1_no_xml_decl.rss.xml");
    let zoned = uol.items[0].published_zoned().expect("date");
    assert_eq!(zoned.to_string(), "2018-09-24T19:42:40-03:00[-03:00]");
    let wapo = parse("washingtonpost_wellness.rss.xml");
    assert!(
        wapo.items[0].summary.ends_with("poor eating habits. Read full article >>"),
        "{}",
        wapo.items[0].summary
    );
}

/// Counts on the full files in the shared data set, when it is present beside the repository
/// (the fixtures are excerpts of them). Skipped, and said so, when it is not.
#[test]
fn full_shared_files_meet_the_feedparser_floor() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/feeds");
    if !dir.is_dir() {
        eprintln!("{} is absent; full-file floors not checked", dir.display());
        return;
    }
    // (file, feedparser's distinct items, this crate's items)
    const FULL: &[(&str, usize, usize)] = &[
        ("atom_entry_missing_fields.atom.xml", 1, 1),
        ("cnbc_finance_2019-07-29.rss.xml", 30, 30),
        ("dival_rss091_no_guid_iso8859.rss.xml", 1, 1),
        ("golem_rss1_iso8859.rdf.xml", 1, 1),
        ("guardian_us_2018.rss.xml", 55, 55),
        ("jn_pt_iso8859_whitespace_in_dates.rss.xml", 40, 40),
        ("nbc_newyork_cdata.rss.xml", 1, 1),
        ("oren_ru_windows1251.rss.xml", 10, 10),
        ("pcmag_dvorak_feedburner_no_guid.rss.xml", 10, 10),
        ("reuters_most_read_truncated_invalid.rss.xml", 0, 0),
        ("reuters_world_direct_2026-08.rss.xml", 500, 500),
        ("rss092_example_bad_dates.rss.xml", 2, 2),
        ("sec_edgar_company_filings_iso8859.atom.xml", 55, 55),
        ("sec_press_releases.rss.xml", 25, 25),
        ("tpm_all_news_2017.atom.xml", 20, 20),
        ("unescaped_ampersand_invalid.rss.xml", 3, 3),
        ("uol_noticias_latin1_no_xml_decl.rss.xml", 15, 15),
        ("washingtonpost_wellness.rss.xml", 29, 29),
    ];
    for &(file, floor, ours) in FULL {
        let path = dir.join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{} is absent; skipped", path.display());
            continue;
        };
        let feed = parse_feed(&bytes, file, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(feed.items.len(), ours, "{file}");
        assert!(feed.items.len() >= floor, "{file}: fewer items than feedparser");
    }
}
