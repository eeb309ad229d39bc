//! The writing agents end to end: real fixture filings in, articles out, every figure on the
//! fact sheet, writing idempotent, revisions when facts change.

mod support;

use std::{collections::BTreeSet, path::Path};

use serde_json::Value;
use support::{fixture, marketdesk, stderr, stdout};

fn run(db: &Path, args: &[&str]) -> String {
    let out = marketdesk(db).args(args).output().expect("run marketdesk");
    assert!(out.status.success(), "marketdesk {args:?} failed: {}", stderr(&out));
    stdout(&out)
}

/// A store with the shipped company list and the fixture filings.
fn store(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("md.db");
    run(&db, &["reference", "load"]);
    let filings = fixture("edgar/ownership");
    run(&db, &["ingest", "edgar", filings.to_str().expect("utf-8 path")]);
    db
}

fn slugs(db: &Path) -> Vec<String> {
    run(db, &["articles", "--json"])
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            v["slug"].as_str().expect("slug").to_owned()
        })
        .collect()
}

fn article(db: &Path, slug: &str) -> Value {
    serde_json::from_str(&run(db, &["show", slug, "--json"])).expect("article json")
}

/// The text a reader reads: headline, dek, headings and paragraphs.
fn texts(a: &Value) -> Vec<String> {
    let mut out = vec![
        a["headline"].as_str().unwrap_or("").to_owned(),
        a["dek"].as_str().unwrap_or("").to_owned(),
    ];
    for s in a["sections"].as_array().expect("sections") {
        out.push(s["heading"].as_str().unwrap_or("").to_owned());
        for p in s["paragraphs"].as_array().expect("paragraphs") {
            out.push(p.as_str().unwrap_or("").to_owned());
        }
    }
    out
}

/// Every way the article may print a fact-sheet number or date, built independently of the
/// verifier: whole numbers with separators, one- and two-decimal forms, millions and billions,
/// and the day and year of every date.
fn printed_forms(sheet: &Value) -> BTreeSet<String> {
    let mut forms = BTreeSet::new();
    let group = |whole: u64| {
        let digits = whole.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        grouped
    };
    let mut add_number = |v: f64| {
        let v = v.abs();
        forms.insert(group(v.round() as u64));
        forms.insert(format!("{v:.1}"));
        let cents = (v * 100.0).round() as u64;
        forms.insert(format!("{}.{:02}", group(cents / 100), cents % 100));
        forms.insert(format!("{:.1}", v / 1e6));
        forms.insert(format!("{:.1}", v / 1e9));
    };
    let mut sheets = vec![sheet.clone()];
    sheets.extend(sheet["parts"].as_array().cloned().unwrap_or_default());
    for s in &sheets {
        for n in s["numbers"].as_array().expect("numbers") {
            add_number(n["value"].as_f64().expect("value"));
        }
    }
    for s in &sheets {
        for d in s["dates"].as_array().expect("dates") {
            let date = d["date"].as_str().expect("date");
            let (y, rest) = date.split_once('-').expect("iso date");
            forms.insert(y.to_owned());
            forms.insert(rest.rsplit('-').next().expect("day").trim_start_matches('0').to_owned());
        }
        for n in s["numbers"].as_array().expect("numbers") {
            if let Some(d) = n["as_of"].as_str() {
                let day = d.rsplit('-').next().expect("day").trim_start_matches('0');
                forms.insert(day.to_owned());
                forms.insert(d[..4].to_owned());
            }
        }
    }
    forms
}

/// Figures in `text` ("$10.0 million" gives "10.0"; "13,037" stays whole), leaving out the
/// digits of fixed terms and quoted footnotes.
fn figures(text: &str, sheet: &Value) -> Vec<String> {
    let mut text = text.to_owned();
    for q in sheet["quotes"].as_array().into_iter().flatten() {
        let q = q["text"].as_str().unwrap_or("");
        text = text.replace(q.trim_end_matches('.'), " ");
    }
    for term in ["10b5-1", "Form 4", "Form 5", "Form 3", "10% owner"] {
        text = text.replace(term, " ");
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let inner = (*c == ',' || *c == '.')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || inner {
            current.push(*c);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[test]
fn articles_from_real_filings_state_only_their_facts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store(dir.path());
    let first = run(&db, &["write"]);
    assert!(first.contains("8 new articles"), "{first}");
    // Writing again changes nothing: the same signals give the same articles.
    let again = run(&db, &["write", "--json"]);
    let again: Value = serde_json::from_str(&again).expect("summary json");
    assert_eq!((again["new"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(8)));

    let slugs = slugs(&db);
    assert_eq!(slugs.len(), 8);
    for slug in &slugs {
        let a = article(&db, slug);
        for key in [
            "slug",
            "headline",
            "dek",
            "persona",
            "published_at",
            "reading_minutes",
            "sections",
            "tickers",
            "sources",
            "fact_sheet",
        ] {
            assert!(!a[key].is_null(), "{slug}: no {key}");
        }
        assert_eq!(a["persona"]["slug"], "insider-tracker");
        assert!(
            a["sources"][0]["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://www.sec.gov/Archives/edgar/data/")
                    || u.starts_with("urn:"))
        );
        let sheet = &a["fact_sheet"];
        let allowed = printed_forms(sheet);
        for text in texts(&a) {
            for figure in figures(&text, sheet) {
                assert!(
                    allowed.contains(&figure),
                    "{slug}: {figure:?} in {text:?} is not on the fact sheet"
                );
            }
        }
        // The verifier agrees.
        let file = dir.path().join(format!("{slug}.json"));
        std::fs::write(&file, a.to_string()).expect("write json");
        let verified = run(&db, &["verify", file.to_str().expect("path")]);
        assert!(verified.contains("every figure"), "{verified}");

        let markdown = run(&db, &["show", slug]);
        let markdown: Vec<&str> = markdown
            .lines()
            .map(|l| {
                if l.starts_with("Generated by AI Agent") {
                    "Generated by AI Agent Ledger · [dateline] · [reading time]"
                } else {
                    l
                }
            })
            .collect();
        insta::assert_snapshot!(slug.as_str(), markdown.join("\n"));
    }
}

#[test]
fn verify_names_an_invented_figure_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store(dir.path());
    run(&db, &["write"]);
    let slug = slugs(&db).into_iter().find(|s| s.contains("snowflake")).expect("snowflake article");
    let mut a = article(&db, &slug);
    let p = a["sections"][0]["paragraphs"][1]
        .as_str()
        .expect("paragraph")
        .replace("$30.4 million", "$34.0 million");
    a["sections"][0]["paragraphs"][1] = Value::String(p);
    a["headline"] = Value::String("Snowflake's CFO sells as Apple (AAPL) watches".into());
    let file = dir.path().join("tampered.json");
    std::fs::write(&file, a.to_string()).expect("write");
    let out = marketdesk(&db)
        .args(["verify", file.to_str().expect("path"), "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let claims: Vec<(&str, &str)> = report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| (v["claim"].as_str().unwrap_or(""), v["location"].as_str().unwrap_or("")))
        .collect();
    assert!(claims.contains(&("$34.0 million", "sections[0].paragraphs[1]")), "{claims:?}");
    assert!(claims.contains(&("AAPL", "headline")), "{claims:?}");
    assert!(claims.contains(&("Apple", "headline")), "{claims:?}");
}

#[test]
fn new_facts_make_a_new_revision_with_the_same_slug() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store(dir.path());
    // The 2021 Tesla sale scores under the default threshold.
    let out = run(
        &db,
        &["write", "--since", "2021-11-01", "--min-score", "10", "--persona", "insider-tracker"],
    );
    assert!(out.contains("new articles"), "{out}");
    let before: Vec<String> = slugs(&db);
    let tesla = before.iter().find(|s| s.ends_with("2021-11-08")).expect("tesla 2021 sale").clone();
    assert_eq!(article(&db, &tesla)["revision"], 1);
    // Prices arrive: the fact sheet gains the move since the trade.
    let quotes = fixture("quotes/TSLA.csv");
    run(&db, &["quotes", "import", quotes.to_str().expect("path")]);
    let out = run(&db, &["write", "--since", "2021-11-01", "--min-score", "10", "--json"]);
    let summary: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(summary["revised"], 1, "{out}");
    assert_eq!(slugs(&db), before);
    let a = article(&db, &tesla);
    assert_eq!(a["revision"], 2);
    assert!(
        a["fact_sheet"]["numbers"]
            .as_array()
            .expect("numbers")
            .iter()
            .any(|n| n["key"] == "change_since_trade")
    );
    let context = a["sections"][2]["paragraphs"].to_string();
    assert!(context.contains("split-adjusted"), "{context}");
}

#[test]
fn unknown_personas_and_articles_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store(dir.path());
    let out = marketdesk(&db).args(["write", "--persona", "nobody"]).output().expect("run");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no persona \"nobody\""), "{}", stderr(&out));
    let out = marketdesk(&db).args(["show", "no-such-article"]).output().expect("run");
    assert!(stderr(&out).contains("no article \"no-such-article\""), "{}", stderr(&out));
}
