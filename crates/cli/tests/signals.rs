//! `marketdesk signals` and `insiders` end to end on the real fixture filings.

mod support;

use serde_json::Value;
use support::{fixture, marketdesk, stderr, stdout};

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out).lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

#[test]
fn signals_from_real_filings_have_the_documented_fields_and_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let run = |args: &[&str]| {
        let out = marketdesk(&db).args(args).output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    run(&["reference", "load"]);
    let out = marketdesk(&db)
        .args(["ingest", "edgar"])
        .arg(fixture("edgar/ownership"))
        .output()
        .expect("runs");
    assert!(out.status.success());

    let all = json_lines(&run(&["signals", "--json"]));
    assert!(!all.is_empty());
    for s in &all {
        for key in [
            "kind",
            "ticker",
            "issuer_cik",
            "score",
            "value_usd",
            "insiders",
            "accessions",
            "transaction_codes",
            "start_date",
            "end_date",
            "explanation",
        ] {
            assert!(s.get(key).is_some(), "{key} missing: {s}");
        }
        let codes = s["transaction_codes"].as_array().expect("codes");
        assert!(codes.iter().all(|c| c == "P" || c == "S"), "only market trades signal: {s}");
    }
    let scores: Vec<f64> = all.iter().map(|s| s["score"].as_f64().expect("score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "strongest first");

    // Musk's 2011 open-market purchase of Tesla: value is shares times price from the filing.
    let parsed: Value = serde_json::from_str(
        stdout(&run(&[
            "parse",
            fixture("edgar/ownership/form4_TSLA_0001494730-11-000006.xml").to_str().expect("path"),
        ]))
        .trim(),
    )
    .expect("parse json");
    let row = &parsed["non_derivative_transactions"][0];
    let expected =
        row["shares"].as_f64().expect("shares") * row["price_per_share"].as_f64().expect("price");
    let musk = all
        .iter()
        .find(|s| s["accessions"] == serde_json::json!(["0001494730-11-000006"]))
        .expect("the purchase is a signal");
    assert_eq!(musk["kind"], "purchase");
    assert!((musk["value_usd"].as_f64().expect("value") - expected).abs() < 0.01);
    assert_eq!(musk["insiders"][0]["cik"], "0001494730");

    // Cook's 2019 sales were under a 10b5-1 plan (footnote); JetBlue's grant is no signal.
    let aapl = json_lines(&run(&["signals", "--json", "--ticker", "AAPL", "--kind", "sale"]));
    assert!(aapl.iter().all(|s| s["kind"] == "sale" && s["ticker"] == "AAPL"));
    assert!(aapl.iter().any(|s| s["plan_10b5_1"] == true));
    assert!(json_lines(&run(&["signals", "--json", "--ticker", "JBLU"])).is_empty());
    assert!(json_lines(&run(&["signals", "--json", "--since", "2030-01-01"])).is_empty());

    let bad = marketdesk(&db).args(["signals", "--kind", "buyback"]).output().expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown kind"));
}

#[test]
fn insiders_lists_a_companys_trades_newest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    assert!(marketdesk(&db).args(["reference", "load"]).output().expect("runs").status.success());
    marketdesk(&db)
        .args(["ingest", "edgar"])
        .arg(fixture("edgar/ownership"))
        .output()
        .expect("runs");
    let out = marketdesk(&db).args(["insiders", "TSLA", "--json"]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&out);
    assert!(rows.len() > 30);
    let dates: Vec<&str> = rows.iter().map(|r| r["date"].as_str().expect("date")).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    for key in [
        "date",
        "insider",
        "role",
        "code",
        "shares",
        "price",
        "value_usd",
        "owned_after",
        "plan_10b5_1",
    ] {
        assert!(rows[0].get(key).is_some(), "{key}");
    }
    assert!(rows.iter().any(|r| r["code"] == "M"), "every code is listed, not only signals");
}

#[test]
fn an_amended_purchase_replaces_the_original() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let original =
        std::fs::read_to_string(fixture("edgar/ownership/form4_TSLA_0001494730-11-000006.xml"))
            .expect("fixture");
    let amended = original
        .replace("<documentType>4</documentType>", "<documentType>4/A</documentType><dateOfOriginalSubmission>2011-06-10</dateOfOriginalSubmission>")
        .replace("<value>1416000</value>", "<value>1000000</value>");
    assert_ne!(amended, original);
    let amendment = dir.path().join("0001494730-11-000009.xml");
    std::fs::write(&amendment, amended).expect("write");
    let out = marketdesk(&db)
        .args(["ingest", "edgar"])
        .arg(fixture("edgar/ownership/form4_TSLA_0001494730-11-000006.xml"))
        .arg(&amendment)
        .output()
        .expect("runs");
    assert!(stdout(&out).contains("1 superseded"), "{}", stdout(&out));
    let signals = json_lines(
        &marketdesk(&db).args(["signals", "--json", "--kind", "purchase"]).output().expect("runs"),
    );
    assert_eq!(signals.len(), 1, "one purchase, not one per filing");
    assert_eq!(signals[0]["accessions"], serde_json::json!(["0001494730-11-000009"]));
    assert!((signals[0]["value_usd"].as_f64().expect("value") - 1_000_000.0 * 28.76).abs() < 0.01);
}
