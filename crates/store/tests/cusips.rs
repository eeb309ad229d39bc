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

marketdesk_store::on_every_backend!(resolved_mappings_survive_unresolved_ones);
