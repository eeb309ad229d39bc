//! The CUSIP map keeps what it resolved.

use marketdesk_core::Cik;
use marketdesk_store::{CusipRecord, Store};

fn record(cik: Option<&str>) -> CusipRecord {
    CusipRecord {
        cusip: "037833100".into(),
        cik: cik.map(|c| Cik::parse(c).expect("cik")),
        ticker: cik.map(|_| "AAPL".to_owned()),
        issuer_name: "APPLE INC".into(),
        title_of_class: Some("COM".into()),
    }
}

async fn resolved_mappings_survive_unresolved_ones(store: Store) {
    store.upsert_cusips(&[record(Some("320193"))], "derived").await.expect("upsert");
    store.upsert_cusips(&[record(None)], "later").await.expect("upsert");
    let got = store.cusip("037833100").await.expect("query").expect("found");
    assert_eq!(got, record(Some("320193")));
    assert_eq!(store.cusip_counts().await.expect("counts"), (1, 1));
    assert_eq!(store.cusip("000000000").await.expect("query"), None);
}

async fn a_cusip_repeated_in_one_load_merges_as_loads_in_turn_would(store: Store) {
    let with = |cusip: &str, cik| CusipRecord { cusip: cusip.into(), ..record(cik) };
    let batch =
        [with("38259P508", Some("320193")), with("38259p508", None), with("38259P508", None)];
    store.upsert_cusips(&batch, "map").await.expect("upsert");
    let got = store.cusip("38259P508").await.expect("query");
    assert_eq!(got, Some(with("38259P508", Some("320193"))));
    assert_eq!(store.cusip_counts().await.expect("counts"), (1, 1));
}

marketdesk_store::on_every_backend!(
    resolved_mappings_survive_unresolved_ones,
    a_cusip_repeated_in_one_load_merges_as_loads_in_turn_would
);
