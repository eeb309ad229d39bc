//! Daily bars: upsert, range reads and the change beside a ticker.

use marketdesk_core::DailyBar;
use marketdesk_store::Store;

fn bar(day: &str, close: f64) -> DailyBar {
    DailyBar {
        ticker: "AAPL".into(),
        date: day.parse().expect("date"),
        open: Some(close - 1.0),
        high: Some(close + 1.0),
        low: Some(close - 2.0),
        close,
        volume: Some(1_000),
    }
}

async fn bars_round_trip_and_reimports_replace(store: Store) {
    let bars = [bar("2025-03-13", 100.0), bar("2025-03-14", 102.0)];
    assert_eq!(store.upsert_daily_bars(&bars, "a.csv").await.expect("upsert"), 2);
    let corrected = [bar("2025-03-14", 104.0)];
    store.upsert_daily_bars(&corrected, "b.csv").await.expect("upsert");
    let back = store
        .daily_bars("AAPL", "2025-01-01".parse().expect("d"), "2025-12-31".parse().expect("d"))
        .await
        .expect("read");
    assert_eq!(back, vec![bars[0].clone(), corrected[0].clone()]);
}

async fn change_is_as_of_the_day_asked(store: Store) {
    let bars = [bar("2025-03-12", 100.0), bar("2025-03-13", 110.0), bar("2025-03-14", 99.0)];
    store.upsert_daily_bars(&bars, "t").await.expect("upsert");
    let change = |d: &str| {
        let store = store.clone();
        let d = d.parse().expect("date");
        async move { store.quote_change("AAPL", d).await.expect("query").map(|c| c.percent) }
    };
    assert!((change("2025-03-13").await.expect("known") - 10.0).abs() < 1e-9);
    assert!((change("2025-03-15").await.expect("known") + 10.0).abs() < 1e-9);
    assert_eq!(change("2025-03-12").await, None);
    assert_eq!(
        store.quote_change("MSFT", "2025-03-14".parse().expect("d")).await.expect("q"),
        None
    );
}

marketdesk_store::on_every_backend!(
    bars_round_trip_and_reimports_replace,
    change_is_as_of_the_day_asked
);
