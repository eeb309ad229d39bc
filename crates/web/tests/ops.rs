//! Operations endpoints over the fixture store: liveness, readiness (and its failure when the
//! store is gone), and the Prometheus exposition's figures against the store's own.

mod support;

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use marketdesk_web::{Metrics, SiteOptions};
use support::{TestSite, get, options, site_with};

fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let metrics = Metrics::default();
    let TestSite { site, store, _dir } =
        site_with(SiteOptions { metrics: metrics.clone(), ..options() }).await;
    let health = get(&site, "/healthz").await;
    assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "ok\n"));
    let ready = get(&site, "/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    let ready: serde_json::Value = serde_json::from_str(&ready.body).expect("json");
    assert_eq!(ready["status"], "ready");
    assert!(ready["schema_version"].as_i64().expect("version") >= 11);

    let slug = store.articles(1).await.expect("articles")[0].slug.clone();
    for _ in 0..3 {
        assert_eq!(get(&site, &format!("/articles/{slug}")).await.status, StatusCode::OK);
    }
    assert_eq!(get(&site, "/no/such/page").await.status, StatusCode::NOT_FOUND);
    metrics
        .counter("marketdesk_edgar_requests_total", "EDGAR requests made.")
        .fetch_add(5, Ordering::Relaxed);

    let res = get(&site, "/metrics").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").starts_with("text/plain; version=0.0.4"));
    let text = res.body;
    let counts = store.counts().await.expect("counts");
    assert_eq!(value(&text, "marketdesk_filings_stored"), counts.filings as f64);
    let articles = store.articles(10_000).await.expect("articles").len();
    assert_eq!(value(&text, "marketdesk_articles_stored"), articles as f64);
    assert!(value(&text, "marketdesk_ingest_lag_seconds") >= 0.0);
    assert_eq!(
        value(&text, "marketdesk_http_requests_total{route=\"/articles/{slug}\",status=\"200\"}"),
        3.0
    );
    assert_eq!(
        value(&text, "marketdesk_http_requests_total{route=\"unmatched\",status=\"404\"}"),
        1.0
    );
    assert_eq!(
        value(&text, "marketdesk_http_request_duration_seconds_count{route=\"/articles/{slug}\"}"),
        3.0
    );
    assert_eq!(value(&text, "marketdesk_edgar_requests_total"), 5.0);

    // The store gone: not ready, still alive.
    store.close().await;
    assert_eq!(get(&site, "/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get(&site, "/healthz").await.status, StatusCode::OK);
}
