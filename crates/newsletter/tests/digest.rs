//! The digest over a store: a manager's 13F report for a quarter and the quarter before (the
//! real LTS One report, and the same report a quarter earlier with one position fewer and one
//! smaller) gives notable moves; articles and filings outside the window are left out.

use jiff::{Timestamp, ToSpan};
use marketdesk_newsletter::{Period, gather};
use marketdesk_store::{Cadence, SourcedReport};

fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(rel)
}

#[tokio::test]
async fn thirteen_f_moves_of_reports_that_arrived_in_the_window() {
    let name = "13f-hr_LTSOne_0001894188-23-000007.txt";
    let bytes = std::fs::read(fixture(&format!("edgar/13f/{name}"))).expect("fixture");
    let now: Timestamp = "2026-12-07T12:00:00Z".parse().expect("ts");
    let current = marketdesk_edgar::parse_thirteen_f(name, &bytes).expect("parses");
    let period = current.report_period.expect("a period");
    assert!(current.holdings.len() >= 3, "a real table");

    let mut prior = current.clone();
    prior.accession = marketdesk_core::Accession::parse("0001894188-22-000099").expect("accession");
    prior.report_period = Some(period.checked_sub(3.months()).expect("date"));
    // The quarter before: no first position (now a new one), and the second at half the
    // shares (now an add of 100%).
    prior.holdings.remove(0);
    let added = &mut prior.holdings[0];
    added.shares_or_principal = added.shares_or_principal.map(|s| (s / 2.0).round());

    let store = marketdesk_store::testing::store_under_test().await;
    let earlier = now.checked_sub(720.hours()).expect("ts");
    store
        .insert_thirteen_f(&[SourcedReport { source: "prior", report: &prior }], earlier)
        .await
        .expect("insert");
    store
        .insert_thirteen_f(&[SourcedReport { source: name, report: &current }], now)
        .await
        .expect("insert");

    let from = now.checked_sub(1.hour()).expect("ts");
    let until = now.checked_add(1.hour()).expect("ts");
    let digest =
        gather(&store, Period::current(Cadence::Daily, until), from, until).await.expect("digest");
    assert!(!digest.moves.is_empty(), "{digest:?}");
    let changes: Vec<&str> = digest.moves.iter().map(|m| m.change.as_str()).collect();
    assert!(changes.contains(&"new position"), "{changes:?}");
    assert!(changes.iter().any(|c| c.starts_with("added ")), "{changes:?}");
    assert!(
        digest
            .moves
            .iter()
            .all(|m| m.quarter == format!("{}-Q{}", period.year(), (period.month() - 1) / 3 + 1))
    );
    let first_word = current.holdings[0]
        .name_of_issuer
        .as_deref()
        .and_then(|n| n.split_whitespace().next())
        .expect("a named issuer")
        .to_lowercase();
    assert!(
        digest
            .moves
            .iter()
            .any(|m| m.change == "new position" && m.company.to_lowercase().contains(&first_word)),
        "{first_word}: {:?}",
        digest.moves
    );

    // The prior report arrived a month ago: a window around then sees no moves for it (no
    // quarter before it is stored), and nothing else is in the digest.
    let old = gather(
        &store,
        Period::current(Cadence::Daily, earlier),
        earlier.checked_sub(1.hour()).expect("ts"),
        earlier.checked_add(1.hour()).expect("ts"),
    )
    .await
    .expect("digest");
    assert!(old.moves.is_empty() && old.articles.is_empty() && old.buys.is_empty(), "{old:?}");
}
