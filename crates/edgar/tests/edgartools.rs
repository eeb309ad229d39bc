//! The parser against two independent readings of the same 41 real filings:
//!
//! - edgartools 5.62.1 (`fixtures/edgar/edgartools/reference.jsonl`, written by
//!   `tools/edgartools/reference.py`): issuer, owners and every transaction's code, shares, price,
//!   date and acquired/disposed must agree. Where the two differ, the test names the difference
//!   and checks the filing's own text to show which reading is right.
//! - the row counts, codes and flags recorded for each file in `fixtures/edgar/MANIFEST.md`.

use std::{collections::BTreeMap, path::PathBuf};

use marketdesk_core::OwnershipFiling;
use marketdesk_edgar::parse_ownership;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/edgar")
}

fn parsed() -> BTreeMap<String, OwnershipFiling> {
    let dir = fixtures_dir().join("ownership");
    std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
            let filing = parse_ownership(&name, &std::fs::read(&path).expect("read"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, filing)
        })
        .collect()
}

fn reference() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(fixtures_dir().join("edgartools/reference.jsonl"))
        .expect("reference");
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json");
            (v["file"].as_str().expect("file").to_owned(), v)
        })
        .collect()
}

fn same_number(ours: Option<f64>, theirs: &Value) -> bool {
    match (ours, theirs.as_f64()) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        _ => false,
    }
}

/// edgartools appends footnote markers to security titles: "Common Stock [F1]".
fn strip_markers(title: &str) -> (String, Vec<String>) {
    let mut ids = Vec::new();
    let mut clean = title.to_owned();
    while let Some(open) = clean.rfind(" [F") {
        let Some(close) = clean[open..].find(']') else { break };
        ids.push(clean[open + 2..open + close].to_owned());
        clean.replace_range(open..open + close + 1, "");
    }
    (clean, ids)
}

#[test]
fn agrees_with_edgartools_and_every_difference_is_explained() {
    let ours = parsed();
    let theirs = reference();
    assert_eq!(ours.len(), 41);
    assert_eq!(theirs.len(), ours.len(), "one reference line per fixture");
    let mut compared_rows = 0;
    let mut title_markers = 0;

    for (file, f) in &ours {
        let r = &theirs[file];
        assert!(r["error"].is_null(), "{file}: edgartools failed: {}", r["error"]);

        // Issuer.
        assert_eq!(f.issuer.cik.to_string(), r["issuer"]["cik"], "{file}");
        assert_eq!(f.issuer.name.as_deref(), r["issuer"]["name"].as_str(), "{file}");
        assert_eq!(
            f.issuer.trading_symbol.as_deref(),
            r["issuer"]["ticker"].as_str().map(str::to_ascii_uppercase).as_deref(),
            "{file}"
        );

        // Owners. edgartools rewrites names ("Mithril LP" -> "Lp Mithril") after an online
        // lookup; we keep the name as filed, which it also reports as `name_unreversed`.
        let owners = r["owners"].as_array().expect("owners");
        assert_eq!(f.reporting_owners.len(), owners.len(), "{file}");
        for (o, t) in f.reporting_owners.iter().zip(owners) {
            assert_eq!(o.cik.to_string(), t["cik"], "{file}");
            assert_eq!(o.name.as_deref(), t["name_unreversed"].as_str(), "{file}");
            assert_eq!(o.is_director, t["is_director"], "{file}");
            assert_eq!(o.is_officer, t["is_officer"], "{file}");
            assert_eq!(o.is_ten_percent_owner, t["is_ten_percent_owner"], "{file}");
            assert_eq!(o.is_other, t["is_other"], "{file}");
            let their_title = t["officer_title"].as_str().filter(|s| !s.is_empty());
            if o.officer_title.as_deref() == Some("See Remarks") {
                // edgartools substitutes the remarks for "See Remarks"; we keep the title as
                // filed and the remarks in `remarks`, where the substituted text comes from.
                let remarks = f.remarks.as_deref().unwrap_or("");
                assert!(their_title.is_some_and(|t| remarks.contains(t)), "{file}");
            } else {
                assert_eq!(o.officer_title.as_deref(), their_title, "{file}");
            }
        }

        // Transactions, both tables, row by row.
        for (rows, key) in [
            (&f.non_derivative_transactions, "non_derivative_transactions"),
            (&f.derivative_transactions, "derivative_transactions"),
        ] {
            let their_rows = r[key].as_array().expect("rows");
            assert_eq!(rows.len(), their_rows.len(), "{file} {key}");
            for (i, (row, t)) in rows.iter().zip(their_rows).enumerate() {
                let at = format!("{file} {key}[{i}]");
                assert_eq!(row.transaction_code.as_deref(), t["code"].as_str(), "{at}");
                assert_eq!(
                    row.transaction_date.map(|d| d.to_string()).as_deref(),
                    t["date"].as_str(),
                    "{at}"
                );
                let ad = row.acquired_disposed.map(|a| format!("{a:?}"));
                assert_eq!(ad.as_deref(), t["acquired_disposed"].as_str(), "{at}");
                assert!(
                    same_number(row.shares, &t["shares"]),
                    "{at}: shares {:?} vs {}",
                    row.shares,
                    t["shares"]
                );
                assert!(
                    same_number(row.price_per_share, &t["price"]),
                    "{at}: price {:?} vs {}",
                    row.price_per_share,
                    t["price"]
                );
                let (title, markers) = strip_markers(t["security_title"].as_str().unwrap_or(""));
                assert_eq!(row.security_title.as_deref().unwrap_or(""), title, "{at}");
                if !markers.is_empty() {
                    // The marker is a footnote on the title, which we keep apart.
                    title_markers += 1;
                    assert_eq!(row.footnote_refs.on("security_title"), markers.as_slice(), "{at}");
                }
                compared_rows += 1;
            }
        }
    }
    assert!(compared_rows >= 190, "compared {compared_rows} rows");
    assert!(title_markers > 30, "edgartools glued footnote markers onto {title_markers} titles");
}

#[test]
fn rows_reported_by_value_keep_their_value() {
    // edgartools reports no shares for these notes and nothing else; the filing gives their
    // principal as transactionTotalValue.
    let ours = parsed();
    let u = &ours["form4_U_0001062993-22-021877.xml"];
    let row = &u.derivative_transactions[0];
    assert_eq!(row.shares, None);
    assert!(row.total_value.is_some_and(|v| v > 0.0), "{row:?}");
}

#[test]
fn holdings_edgartools_leaves_out_are_kept() {
    let ours = parsed();
    let counts = |name: &str| {
        let f = &ours[name];
        (f.non_derivative_holdings.len(), f.derivative_holdings.len())
    };
    assert_eq!(counts("form3_GUTS_0000950170-24-009914.xml"), (0, 5));
    assert_eq!(counts("form3_SNOW_2020-09-15.xml"), (0, 6));
    assert_eq!(counts("form3_SNOW_2020-09-18_berkshire.xml"), (1, 0));
    let guts = &ours["form3_GUTS_0000950170-24-009914.xml"];
    let names: Vec<&str> = guts.reporting_owners.iter().filter_map(|o| o.name.as_deref()).collect();
    assert!(names.contains(&"Mithril LP"), "company names stay as filed: {names:?}");
}

/// `Parsed: doc=4 schema=X0306 issuer=AAPL CIK 0000320193; period 2022-05-04; owners=1; rows:
/// nonderiv_tx=7 deriv_tx=0 nonderiv_hold=0 deriv_hold=0; codes=S; aff10b5One=absent; ...`
#[test]
fn matches_the_counts_recorded_in_the_manifest() {
    let ours = parsed();
    let manifest = std::fs::read_to_string(fixtures_dir().join("MANIFEST.md")).expect("manifest");
    let mut checked = 0;
    for line in manifest.lines() {
        let Some(name) = line.strip_prefix("- `").and_then(|l| l.split('`').next()) else {
            continue;
        };
        let Some(f) = ours.get(name) else { continue };
        let Some(parsed) = line.split("Parsed: ").nth(1) else { continue };
        let field = |key: &str| {
            parsed
                .split([' ', ';'])
                .find_map(|w| w.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("{name}: no {key}"))
                .to_owned()
        };
        assert_eq!(f.document_type, field("doc"), "{name}");
        assert_eq!(f.schema_version.as_deref(), Some(field("schema").as_str()), "{name}");
        assert_eq!(f.reporting_owners.len().to_string(), field("owners"), "{name}");
        assert_eq!(f.non_derivative_transactions.len().to_string(), field("nonderiv_tx"), "{name}");
        assert_eq!(f.derivative_transactions.len().to_string(), field("deriv_tx"), "{name}");
        assert_eq!(f.non_derivative_holdings.len().to_string(), field("nonderiv_hold"), "{name}");
        assert_eq!(f.derivative_holdings.len().to_string(), field("deriv_hold"), "{name}");
        let mut codes: Vec<String> = f
            .non_derivative_transactions
            .iter()
            .chain(&f.derivative_transactions)
            .filter_map(|t| t.transaction_code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        let codes = if codes.is_empty() { "-".to_owned() } else { codes.concat() };
        assert_eq!(codes, field("codes"), "{name}");
        let filed = field("aff10b5One");
        let expected: &[&str] = match f.aff10b5one {
            None => &["absent"],
            Some(true) => &["1", "true"],
            Some(false) => &["0", "false"],
        };
        assert!(expected.contains(&filed.as_str()), "{name}: aff10b5One {filed}");
        checked += 1;
    }
    assert_eq!(checked, 41);
}
