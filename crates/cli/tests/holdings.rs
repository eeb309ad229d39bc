//! `marketdesk holdings` and `holders` on a real 13F and a prior quarter made from it.

mod support;

use serde_json::Value;
use support::{fixture, marketdesk, stderr, stdout};

/// The real LTS One 13F for 2023-Q3 rewritten as the quarter before: another accession and
/// period, 40,000 Microsoft shares instead of 65,000, and Humana's CUSIP swapped for Apple's
/// (so Humana is new in Q3 and Apple was exited).
fn prior_quarter(q3: &str) -> String {
    q3.replace("0001894188-23-000007", "0001894188-23-000003")
        .replace("20230930", "20230630")
        .replace("20231114", "20230814")
        .replace("09-30-2023", "06-30-2023")
        .replace("<ns1:sshPrnamt>65000</ns1:sshPrnamt>", "<ns1:sshPrnamt>40000</ns1:sshPrnamt>")
        .replace("<ns1:cusip>444859102</ns1:cusip>", "<ns1:cusip>037833100</ns1:cusip>")
}

#[test]
fn holdings_compare_with_the_quarter_before_and_holders_find_the_manager() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.db");
    let q3_path = fixture("edgar/13f/13f-hr_LTSOne_0001894188-23-000007.txt");
    let q2 = dir.path().join("0001894188-23-000003.txt");
    std::fs::write(&q2, prior_quarter(&std::fs::read_to_string(&q3_path).expect("fixture")))
        .expect("write");
    let run = |args: &[&str]| {
        let out = marketdesk(&db).args(args).output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    run(&["reference", "load"]);
    let out =
        marketdesk(&db).args(["ingest", "edgar"]).arg(&q3_path).arg(&q2).output().expect("runs");
    assert!(stdout(&out).contains("2 new"), "{}", stdout(&out));

    let lines: Vec<Value> = stdout(&run(&["holdings", "1894188", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let by = |ticker: &str| lines.iter().find(|l| l["ticker"] == ticker).expect(ticker);
    assert!(lines.iter().all(|l| l["period"] == "2023-Q3" && l["manager_cik"] == "0001894188"));
    assert_eq!(by("MSFT")["change"], "increase");
    assert_eq!(by("MSFT")["shares_delta"], 25000.0);
    assert_eq!(by("MSFT")["value_usd"], 20524000, "values are whole dollars");
    assert_eq!(by("HUM")["change"], "new");
    assert_eq!(by("AAPL")["change"], "exit");
    assert_eq!(by("V")["change"], "unchanged");
    assert_eq!(
        lines.iter().filter(|l| l["ticker"].is_null()).count(),
        1,
        "FEMSA's ADR is unmapped"
    );

    let q2_lines = stdout(&run(&["holdings", "1894188", "--period", "2023-Q2", "--json"]));
    assert!(q2_lines.lines().all(|l| l.contains("\"change\":\"unknown\"")), "no Q1 to compare");

    let holders = stdout(&run(&["holders", "msft", "--json"]));
    let h: Value = serde_json::from_str(holders.lines().next().expect("one holder")).expect("json");
    assert_eq!(
        (h["manager_name"].as_str(), h["shares"].as_f64()),
        (Some("LTS One Management LP"), Some(65000.0))
    );

    assert_eq!(h["tracked"], false, "LTS One is not on the shipped watchlist");
    assert_eq!(stdout(&run(&["holders", "MSFT", "--tracked"])).trim(), "");
    let list = dir.path().join("watch.toml");
    std::fs::write(&list, "[[manager]]\ncik = \"0001894188\"\nname = \"LTS One\"\n")
        .expect("write");
    let config = dir.path().join("m.toml");
    std::fs::write(
        &config,
        format!("[smart_money]\nwatchlist = {:?}\n", list.display().to_string()),
    )
    .expect("write");
    let cfg = config.to_str().expect("utf-8");
    let tracked = stdout(&run(&["--config", cfg, "holders", "MSFT", "--tracked", "--json"]));
    assert!(tracked.contains("\"tracked\":true"), "{tracked}");
    assert!(stdout(&run(&["--config", cfg, "watchlist"])).contains("0001894188  LTS One"));

    let none = marketdesk(&db).args(["holdings", "1234"]).output().expect("runs");
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no 13F holdings stored for manager 0000001234"));
}
