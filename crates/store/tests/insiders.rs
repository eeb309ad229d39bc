//! The insider desk's trades read the same from a SQLite file (its native driver), a SQLite
//! store in memory and PostgreSQL (sqlx's `Any` driver).

mod support;

use jiff::civil::date;
use marketdesk_edgar::parse_ownership;
use marketdesk_store::{Backend, SourcedFiling, Store, TradeRow, testing::fresh_store};

async fn filled(store: Store) -> Store {
    let filings = support::parsed("ownership", parse_ownership);
    let batch: Vec<SourcedFiling<'_>> =
        filings.iter().map(|(s, f)| SourcedFiling { source: s, filing: f }).collect();
    let now = "2026-11-25T12:00:00Z".parse().expect("timestamp");
    store.insert_ownership(&batch, now).await.expect("insert");
    store
}

#[tokio::test]
async fn trades_read_the_same_through_every_driver_and_backend() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = filled(Store::open_sqlite(&dir.path().join("t.db")).await.expect("file")).await;
    let stores = [
        filled(fresh_store(Backend::Sqlite).await).await,
        filled(fresh_store(Backend::Postgres).await).await,
    ];
    let all = file.insider_trades(None, None).await.expect("trades");
    assert!(all.len() > 100, "{}", all.len());
    assert!(all.is_sorted_by_key(|t| t.date), "oldest first");
    let open_market = file.open_market_trades(None, None).await.expect("trades");
    let p_and_s: Vec<TradeRow> =
        all.iter().filter(|t| t.code == "P" || t.code == "S").cloned().collect();
    assert!(!p_and_s.is_empty() && p_and_s.len() < all.len());
    assert_eq!(open_market, p_and_s);
    let since = date(2020, 1, 1);
    let recent = file.open_market_trades(Some(since), None).await.expect("trades");
    assert_eq!(recent, p_and_s.iter().filter(|t| t.date >= since).cloned().collect::<Vec<_>>());
    let issuer = all[0].filing.issuer_cik;
    let one = file.insider_trades(None, Some(issuer)).await.expect("trades");
    assert_eq!(
        one,
        all.iter().filter(|t| t.filing.issuer_cik == issuer).cloned().collect::<Vec<_>>()
    );
    for store in &stores {
        let backend = store.backend();
        assert_eq!(store.insider_trades(None, None).await.expect("trades"), all, "{backend:?}");
        let back = store.open_market_trades(Some(since), None).await.expect("trades");
        assert_eq!(back, recent, "{backend:?}");
    }
}
