//! `marketdesk link` and `marketdesk reference` end to end.

mod support;

use std::{
    io::Write,
    process::{Output, Stdio},
    sync::Arc,
};

use serde_json::Value;
use support::{EdgarServer, Override, marketdesk, stderr, stdout};

fn link(db: &std::path::Path, input: &str) -> Output {
    let mut child = marketdesk(db)
        .arg("link")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("writes");
    child.wait_with_output().expect("runs")
}

fn lines(out: &Output) -> Vec<Value> {
    stdout(out).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

#[test]
fn tags_companies_with_byte_offsets_and_nothing_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Café talk: shares of Apple Inc. rose while agriculture and energy stocks fell.";
    let input = format!("{}\n", serde_json::json!({"id": "a", "text": text, "keep": 1}));
    let out = link(&dir.path().join("none.db"), &input);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["keep"], 1, "other fields are kept");
    assert_eq!(got[0]["tickers"], serde_json::json!(["AAPL"]), "{}", got[0]);
    let m = &got[0]["mentions"][0];
    let (start, end) = (m["start"].as_u64().expect("start"), m["end"].as_u64().expect("end"));
    assert_eq!(&text[start as usize..end as usize], m["text"].as_str().expect("text"));
    assert!(m["text"].as_str().expect("text").starts_with("Apple"));
    assert_eq!(m["cik"], "0000320193");
    assert!(!dir.path().join("none.db").exists(), "linking creates no store");
}

#[test]
fn bad_lines_are_named_and_the_rest_go_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input =
        "{\"id\":\"1\",\"text\":\"Microsoft (NASDAQ: MSFT) gained\"}\nnot json\n{\"id\":\"3\"}\n";
    let out = link(&dir.path().join("none.db"), input);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(lines(&out).len(), 1);
    assert_eq!(lines(&out)[0]["tickers"], serde_json::json!(["MSFT"]));
    assert!(stderr(&out).contains("stdin line 2"), "{}", stderr(&out));
    assert!(stderr(&out).contains("stdin line 3: no \"text\""), "{}", stderr(&out));
}

#[test]
fn eval_reports_scores_misses_and_false_tags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        "{\"id\":\"g1\",\"text\":\"Apple and Microsoft rallied\",\"tickers\":[\"AAPL\",\"MSFT\"]}\n\
         {\"id\":\"g2\",\"text\":\"The price target was raised\",\"tickers\":[]}\n\
         {\"id\":\"g3\",\"text\":\"nothing here\",\"tickers\":[\"IBM\"]}\n",
    )
    .expect("write");
    let out = marketdesk(&dir.path().join("none.db"))
        .args(["link", "--eval"])
        .arg(&gold)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("precision 1.0000, recall 0.6667"), "{text}");
    assert!(text.contains("miss\tg3\tIBM"), "{text}");
}

#[test]
fn the_reference_list_loads_and_refreshes_from_edgar() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let out = marketdesk(&db).args(["reference", "load"]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("linkable"), "{}", stdout(&out));

    // A tiny list in SEC's format: only a made-up company remains.
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir_all(site.path().join("files")).expect("mkdir");
    std::fs::write(
        site.path().join("files/company_tickers_exchange.json"),
        r#"{"fields":["cik","name","ticker","exchange"],"data":[[9999901,"Zyxwvut Robotics Inc.","ZYXW","Nasdaq"]]}"#,
    )
    .expect("write");
    let server =
        EdgarServer::start(site.path().to_path_buf(), Arc::new(|_: &str, _| -> Override { None }));
    let out = marketdesk(&db)
        .args([
            "reference",
            "update",
            "--from-edgar",
            "--user-agent",
            "tests ops@marketdesk.example",
        ])
        .args(["--edgar-base-url", &server.url])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("loaded 1 companies"), "{}", stdout(&out));
    let seen = server.requests();
    assert!(seen.iter().all(|r| r.user_agent.as_deref() == Some("tests ops@marketdesk.example")));

    let out = link(&db, "{\"id\":\"x\",\"text\":\"Zyxwvut Robotics Inc. beat Apple Inc.\"}\n");
    assert_eq!(lines(&out)[0]["tickers"], serde_json::json!(["ZYXW"]), "the stored list is used");
}

#[test]
fn a_cusip_map_imports_and_resolves_tickers_to_companies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let csv = dir.path().join("map.csv");
    std::fs::write(
        &csv,
        "cusip,ticker,name\n037833100,AAPL,APPLE INC\n02079K107,GOOG,ALPHABET INC\nshort,IBM,IBM\n88160R101,NOTLISTED,SOMETHING\n",
    )
    .expect("write");
    let out =
        marketdesk(&db).args(["reference", "cusips", "import"]).arg(&csv).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("loaded 3 CUSIPs (2 resolved to listed companies)"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("line 4: no nine-character cusip"), "{}", stderr(&out));
}

#[test]
fn the_shipped_cusip_map_is_what_derive_makes_from_the_13f_fixtures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_csv = dir.path().join("cusips.csv");
    let out = marketdesk(&dir.path().join("m.db"))
        .args(["reference", "cusips", "derive"])
        .arg(support::fixture("edgar/13f"))
        .arg("--out")
        .arg(&out_csv)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let derived = std::fs::read_to_string(&out_csv).expect("written");
    let shipped = std::fs::read_to_string(support::repo().join("data/reference/cusips.csv"))
        .expect("shipped");
    assert_eq!(
        derived, shipped,
        "regenerate with: marketdesk reference cusips derive fixtures/edgar/13f --out data/reference/cusips.csv"
    );
    assert!(derived.contains("037833100,0000320193,AAPL,APPLE INC,COM"));

    // The shipped map is loaded with the company list.
    let out =
        marketdesk(&dir.path().join("m.db")).args(["reference", "load"]).output().expect("runs");
    assert!(
        stdout(&out).contains("resolved to listed companies) from shipped"),
        "{}",
        stdout(&out)
    );
}
