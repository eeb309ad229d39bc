//! The reference list: replaced whole, found by any of its tickers or by CIK.

use marketdesk_core::Cik;
use marketdesk_store::{CompanyRecord, ReferenceDocuments, SecurityRecord, Store};

fn security(ticker: &str, kind: &str) -> SecurityRecord {
    SecurityRecord { ticker: ticker.into(), exchange: "nasdaq".into(), kind: kind.into() }
}

fn alphabet() -> CompanyRecord {
    CompanyRecord {
        cik: Cik::parse("1652044").expect("cik"),
        name: "Alphabet Inc.".into(),
        main_ticker: Some("GOOGL".into()),
        size_rank: Some(2),
        exchange_traded_product: false,
        securities: vec![security("GOOGL", "common"), security("GOOG", "class")],
    }
}

async fn companies_are_found_by_any_ticker_and_loads_replace(store: Store) {
    let now = "2026-11-25T12:00:00Z".parse().expect("ts");
    assert_eq!(store.reference_load().await.expect("q"), None);
    let docs = |b: &[u8]| ReferenceDocuments { exchange_list: b.to_vec(), size_order: None };
    store.replace_reference(&[alphabet()], &docs(b"{1}"), "a.json", now).await.expect("load");
    let by_class = store.company_by_ticker("goog").await.expect("q").expect("found");
    assert_eq!(by_class, alphabet());
    let by_cik = store.company_by_cik(alphabet().cik).await.expect("q");
    assert_eq!(by_cik, Some(alphabet()));

    let mut renamed = alphabet();
    renamed.securities.truncate(1);
    store.replace_reference(&[renamed], &docs(b"{2}"), "b.json", now).await.expect("reload");
    assert_eq!(store.company_by_ticker("GOOG").await.expect("q"), None, "old symbols are gone");
    let load = store.reference_load().await.expect("q").expect("loaded");
    assert_eq!((load.source.as_str(), load.companies), ("b.json", 1));
    let latest = store.reference_documents().await.expect("q").expect("kept");
    assert_eq!(latest, docs(b"{2}"));
}

marketdesk_store::on_every_backend!(companies_are_found_by_any_ticker_and_loads_replace);
