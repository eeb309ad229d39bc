//! End-to-end runs of `marketdesk parse` and `marketdesk ingest edgar` on the real fixtures.

mod support;

use std::io::Write;

use serde_json::Value;
use support::{fixture, marketdesk, stderr, stdout};

fn lines(out: &str) -> Vec<Value> {
    out.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

#[test]
fn parse_prints_one_documented_object_per_filing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = marketdesk(&dir.path().join("m.db"))
        .arg("parse")
        .arg(fixture("edgar/ownership"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let filings = lines(&stdout(&out));
    assert_eq!(filings.len(), 41);
    for f in &filings {
        for key in [
            "accession",
            "schema_version",
            "document_type",
            "period_of_report",
            "date_of_original_submission",
            "aff10b5one",
            "issuer",
            "reporting_owners",
            "non_derivative_transactions",
            "derivative_transactions",
            "non_derivative_holdings",
            "derivative_holdings",
            "footnotes",
            "remarks",
            "signatures",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {}", f["accession"]);
        }
        let cik = f["issuer"]["cik"].as_str().expect("cik is a string");
        assert_eq!(cik.len(), 10);
    }
    let air = filings
        .iter()
        .find(|f| f["accession"] == "0001127602-25-001055")
        .expect("AIR accession from its SEC header");
    let row = &air["non_derivative_transactions"][0];
    assert_eq!(row["transaction_code"], "S");
    assert_eq!(row["acquired_disposed"], "D");
    assert!(row["shares"].is_number() && row["price_per_share"].is_number());
    assert_eq!(air["aff10b5one"], false);
}

#[test]
fn parse_names_each_bad_file_and_prints_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "not a filing at all").expect("write");
    let broken = dir.path().join("0000000001-24-000001.xml");
    std::fs::write(&broken, "<ownershipDocument><issuer>").expect("write");
    let out = marketdesk(&dir.path().join("m.db"))
        .arg("parse")
        .arg(&bad)
        .arg(fixture("edgar/ownership/form4_SCTY_0001288257-12-000028.xml"))
        .arg(&broken)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(lines(&stdout(&out)).len(), 1);
    let err = stderr(&out);
    assert!(err.contains("notes.txt: not an ownership filing"), "{err}");
    assert!(err.contains("0000000001-24-000001.xml: malformed XML at line 1"), "{err}");
}

#[test]
fn zip_archives_are_read_entry_by_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zip_path = dir.path().join("filings.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create"));
    for name in ["form4_TSLA_0001494730-11-000006.xml", "form4_TSVT_0001562180-25-000280.nc"] {
        let bytes = std::fs::read(fixture(&format!("edgar/ownership/{name}"))).expect("read");
        zip.start_file(format!("inner/{name}"), zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(&bytes).expect("write");
    }
    zip.finish().expect("finish");
    let out =
        marketdesk(&dir.path().join("m.db")).arg("parse").arg(&zip_path).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let accessions: Vec<String> = lines(&stdout(&out))
        .iter()
        .map(|f| f["accession"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(accessions, ["0001494730-11-000006", "0001562180-25-000280"]);
}

#[test]
fn ingest_is_idempotent_and_records_failures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let junk = dir.path().join("junk.xml");
    std::fs::write(&junk, "<html>nope</html>").expect("write");
    let run = || {
        let out = marketdesk(&db)
            .args(["ingest", "edgar", "--json"])
            .arg(fixture("edgar/ownership"))
            .arg(&junk)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        let summary: Value = serde_json::from_str(stdout(&out).trim()).expect("json summary");
        summary
    };
    let first = run();
    assert_eq!(first["filings"], 41);
    assert_eq!(first["new"], 41);
    assert_eq!(first["errors"], 1);
    assert!(first["transactions"].as_u64().expect("count") > 150);
    assert!(first["seconds"].is_number());
    let second = run();
    assert_eq!(second["new"], 0);
    assert_eq!(second["already_present"], 41);
    assert_eq!(second["transactions"], 0);

    let out = marketdesk(&db).args(["ingest", "errors", "--json"]).output().expect("runs");
    let errors = lines(&stdout(&out));
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["source"].as_str().expect("source").ends_with("junk.xml"));
    assert_eq!(errors[0]["attempts"], 2);
    assert!(errors[0]["reason"].as_str().expect("reason").contains("not an ownership filing"));
}

#[test]
fn demo_loads_the_sample_filings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = marketdesk(&dir.path().join("unused.db"))
        .env_remove("MARKETDESK_DB")
        .args(["demo", "--no-serve"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("46 new"), "41 insider filings and 5 13F reports: {text}");
    assert!(text.contains("linkable"), "the reference list is loaded: {text}");
    assert!(text.contains("40 bars for AAPL"), "sample quotes are imported: {text}");
    assert!(text.contains("438 13F positions"), "13F reports are ingested: {text}");
    assert!(text.contains("purchase") && text.contains("TSLA"), "signals are shown: {text}");
    assert!(text.contains("new items in"), "feeds are ingested: {text}");
    assert!(text.contains("16 new articles"), "articles are written: {text}");
    assert!(!dir.path().join("unused.db").exists(), "the demo uses a temporary store");
}

#[test]
fn admin_set_password_accepts_a_long_password_and_refuses_short_ones() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    let set = |password: &str| {
        let mut child = marketdesk(&db)
            .args(["admin", "set-password"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("write");
        child.wait_with_output().expect("wait")
    };
    let short = set("short");
    assert_eq!(short.status.code(), Some(2), "{}", stderr(&short));
    let ok = set("correct horse battery staple");
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stderr(&short).contains("8"), "the minimum is named: {}", stderr(&short));
}
