//! `marketdesk quotes`: importing real daily CSVs, the change chip, and the quote service.

mod support;

use std::sync::Arc;

use serde_json::Value;
use support::{EdgarServer, Override, fixture, marketdesk, stderr, stdout};

/// The last two closes on or before `day`, read straight from the CSV.
fn expected_change(csv: &str, day: &str) -> f64 {
    let closes: Vec<f64> = csv
        .lines()
        .skip(1)
        .filter(|l| &l[..10] <= day)
        .map(|l| l.split(',').nth(4).and_then(|c| c.parse().ok()).expect("close"))
        .collect();
    let [.., prev, last] = closes.as_slice() else { panic!("two closes") };
    (last / prev - 1.0) * 100.0
}

#[test]
fn imports_files_named_by_ticker_and_reports_the_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let out = marketdesk(&db)
        .args(["quotes", "import"])
        .arg(fixture("quotes/AAPL.csv"))
        .arg(fixture("quotes/TSLA.csv"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("40 bars for AAPL"), "{}", stdout(&out));
    assert!(stdout(&out).contains("bars for TSLA"), "{}", stdout(&out));

    let csv = std::fs::read_to_string(fixture("quotes/AAPL.csv")).expect("csv");
    // A Saturday reads Friday's close against Thursday's.
    let out = marketdesk(&db)
        .args(["quotes", "change", "aapl", "--as-of", "2024-03-09", "--json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    let got = v["change"]["percent"].as_f64().expect("percent");
    assert!((got - expected_change(&csv, "2024-03-09")).abs() < 1e-9, "{v}");
    assert_eq!(v["change"]["date"], "2024-03-08");

    let out = marketdesk(&db).args(["quotes", "change", "MSFT"]).output().expect("runs");
    assert_eq!(stdout(&out).trim(), "MSFT --", "no quote is shown as --");
}

#[test]
fn bad_rows_are_named_recorded_and_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let csv = dir.path().join("IBM.csv");
    std::fs::write(
        &csv,
        "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,1.5,10\nnot-a-date,1,2,1,1,1\n",
    )
    .expect("write");
    let out = marketdesk(&db).args(["quotes", "import"]).arg(&csv).output().expect("runs");
    assert!(out.status.success());
    assert!(stderr(&out).contains("IBM.csv:3: not a date"), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 bars for IBM (1 rows skipped)"), "{}", stdout(&out));
    let errors = marketdesk(&db).args(["ingest", "errors", "--json"]).output().expect("runs");
    assert!(stdout(&errors).contains("IBM.csv:3"));
}

#[test]
fn fetches_from_a_daily_csv_service_only_when_configured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let out = marketdesk(&db)
        .args(["quotes", "fetch", "AAPL"])
        .env_remove("MARKETDESK_QUOTES_URL")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no quote service configured"), "{}", stderr(&out));

    let site = tempfile::tempdir().expect("site");
    let served = site.path().join("q/d/l");
    std::fs::create_dir_all(&served).expect("mkdir");
    let csv = std::fs::read(fixture("quotes/TSLA.csv")).expect("csv");
    std::fs::write(served.join("?s=tsla.us&i=d"), csv).expect("write");
    let server =
        EdgarServer::start(site.path().to_path_buf(), Arc::new(|_: &str, _| -> Override { None }));
    let url = format!("{}q/d/l/?s={{ticker}}.us&i=d", server.url);
    let out = marketdesk(&db)
        .args(["quotes", "fetch", "TSLA", "NOPE"])
        .env("MARKETDESK_QUOTES_URL", &url)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "one ticker failed");
    assert!(stdout(&out).contains("TSLA: 21 bars"), "{}", stdout(&out));
    assert!(stderr(&out).contains("NOPE"), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 2);
}
