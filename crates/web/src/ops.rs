//! Operations: `/healthz` (the process answers), `/readyz` (the store answers), and `/metrics`
//! in the Prometheus text format: requests served and their latency by route (this process),
//! what the store holds and how fresh it is, where the mail stands (the store: the same on
//! every node), and any counters the process registered ([`Metrics::counter`], e.g. EDGAR
//! requests made by the always-on newsroom).

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::{MatchedPath, Request, State},
    http::{HeaderValue, Response, StatusCode, header},
    middleware::Next,
};
use jiff::Timestamp;
use marketdesk_store::OpsCounts;

use crate::views::Inner;

type S = Arc<Inner>;

/// Latency buckets, in seconds (upper bounds).
const BUCKETS: [f64; 12] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Debug, Default, Clone)]
struct Series {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Registry {
    http: Mutex<BTreeMap<String, Series>>,
    counters: Mutex<Vec<(String, String, Arc<AtomicU64>)>>,
}

/// This process's metrics: HTTP requests by route, and counters other parts register. Cheap
/// to clone (shared).
#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Registry>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// The counter `name` (a Prometheus metric name), registered with `help` the first time.
    pub fn counter(&self, name: &str, help: &str) -> Arc<AtomicU64> {
        let mut counters =
            self.inner.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, _, c)) = counters.iter().find(|(n, _, _)| n == name) {
            return Arc::clone(c);
        }
        let c = Arc::new(AtomicU64::new(0));
        counters.push((name.to_owned(), help.to_owned(), Arc::clone(&c)));
        c
    }

    fn observe(&self, route: &str, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let mut http = self.inner.http.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = http.entry(route.to_owned()).or_default();
        *s.by_status.entry(status).or_default() += 1;
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                s.buckets[i] += 1;
            }
        }
        s.count += 1;
        s.sum += secs;
    }

    /// The exposition: the store's counts, then this process's series.
    fn render(&self, counts: &OpsCounts, now: Timestamp) -> String {
        let mut out = String::new();
        let mut gauge = |name: &str, help: &str, value: f64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        };
        gauge("marketdesk_up", "1 while the process serves.", 1.0);
        gauge(
            "marketdesk_filings_stored",
            "Insider filings (Forms 3, 4, 5) in the store.",
            counts.filings as f64,
        );
        gauge(
            "marketdesk_thirteen_f_reports_stored",
            "13F reports in the store.",
            counts.thirteen_f_reports as f64,
        );
        gauge("marketdesk_feed_items_stored", "News feed items kept.", counts.feed_items as f64);
        gauge(
            "marketdesk_ingest_errors",
            "Inputs recorded as failed (marketdesk ingest errors).",
            counts.ingest_errors as f64,
        );
        if let Some(at) = counts.last_ingest {
            let lag = now.duration_since(at).as_secs_f64().max(0.0);
            gauge(
                "marketdesk_ingest_lag_seconds",
                "Seconds since the newest filing or 13F report was ingested.",
                lag,
            );
        }
        gauge("marketdesk_articles_stored", "Articles written and stored.", counts.articles as f64);
        if let Some(at) = counts.last_article {
            let age = now.duration_since(at).as_secs_f64().max(0.0);
            gauge(
                "marketdesk_article_age_seconds",
                "Seconds since the newest article revision was written.",
                age,
            );
        }
        let pool = counts.connections;
        gauge(
            "marketdesk_store_connections_max",
            "Connections this process may hold to the store (pool_max_conns).",
            f64::from(pool.max),
        );
        let _ = writeln!(
            out,
            "# HELP marketdesk_store_connections This process's open connections to the store, by state.\n\
             # TYPE marketdesk_store_connections gauge\n\
             marketdesk_store_connections{{state=\"in_use\"}} {}\n\
             marketdesk_store_connections{{state=\"idle\"}} {}",
            pool.in_use, pool.idle
        );
        let labelled = |out: &mut String, name: &str, help: &str, rows: &[(String, i64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
            for (status, n) in rows {
                let _ = writeln!(out, "{name}{{status=\"{}\"}} {n}", escape(status));
            }
        };
        labelled(
            &mut out,
            "marketdesk_newsletter_mails",
            "Newsletter mails in the send log, by status.",
            &counts.newsletter_mails,
        );
        labelled(
            &mut out,
            "marketdesk_confirmation_mails",
            "Newsletter confirmation mails, by status.",
            &counts.confirmation_mails,
        );
        labelled(
            &mut out,
            "marketdesk_reply_mails",
            "Comment reply notifications, by status.",
            &counts.reply_mails,
        );
        labelled(
            &mut out,
            "marketdesk_subscribers",
            "Newsletter subscribers, by status.",
            &counts.subscribers,
        );

        let http =
            self.inner.http.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let _ = writeln!(
            out,
            "# HELP marketdesk_http_requests_total Requests answered by this process, by route and status.\n\
             # TYPE marketdesk_http_requests_total counter"
        );
        for (route, s) in &http {
            for (status, n) in &s.by_status {
                let _ = writeln!(
                    out,
                    "marketdesk_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP marketdesk_http_request_duration_seconds Time to answer a request, by route.\n\
             # TYPE marketdesk_http_request_duration_seconds histogram"
        );
        for (route, s) in &http {
            let route = escape(route);
            for (le, n) in BUCKETS.iter().zip(s.buckets) {
                let _ = writeln!(
                    out,
                    "marketdesk_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "marketdesk_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {c}\n\
                 marketdesk_http_request_duration_seconds_sum{{route=\"{route}\"}} {sum}\n\
                 marketdesk_http_request_duration_seconds_count{{route=\"{route}\"}} {c}",
                c = s.count,
                sum = s.sum
            );
        }
        let counters =
            self.inner.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (name, help, c) in counters.iter() {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                c.load(Ordering::Relaxed)
            );
        }
        out
    }
}

/// A label value as the text format wants it.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The middleware that times every request by its route template (`/articles/{slug}`, never
/// the slug itself, so the series stay few).
pub(crate) async fn track(State(s): State<S>, req: Request, next: Next) -> Response<Body> {
    let route =
        req.extensions().get::<MatchedPath>().map_or("unmatched", |m| m.as_str()).to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    s.options.metrics.observe(&route, res.status().as_u16(), started.elapsed());
    res
}

fn plain(status: StatusCode, content_type: &'static str, body: String) -> Response<Body> {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /healthz`: the process is up and answering.
pub(crate) async fn healthz() -> Response<Body> {
    plain(StatusCode::OK, "text/plain; charset=utf-8", "ok\n".to_owned())
}

/// `GET /readyz`: the store answers within 2 s (else 503, so a load balancer looks elsewhere).
pub(crate) async fn readyz(State(s): State<S>) -> Response<Body> {
    let probe = tokio::time::timeout(Duration::from_secs(2), s.store.schema_version()).await;
    let (status, body) = match probe {
        Ok(Ok(v)) => (StatusCode::OK, serde_json::json!({"status": "ready", "schema_version": v})),
        Ok(Err(e)) => {
            tracing::warn!("readiness: the store failed: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({"status": "unavailable", "error": "store failed"}),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!({"status": "unavailable", "error": "store timed out"}),
        ),
    };
    plain(status, "application/json", body.to_string())
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(s): State<S>) -> Response<Body> {
    match s.store.ops_counts().await {
        Ok(counts) => plain(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            s.options.metrics.render(&counts, s.now()),
        ),
        Err(e) => s.server_error(&e.into()).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_has_every_series_with_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("/articles/{slug}", 200, Duration::from_millis(3));
        m.observe("/articles/{slug}", 200, Duration::from_millis(30));
        m.observe("/articles/{slug}", 404, Duration::from_millis(1));
        m.counter("marketdesk_edgar_requests_total", "EDGAR requests made.")
            .fetch_add(7, Ordering::Relaxed);
        let counts = OpsCounts {
            filings: 41,
            last_ingest: Some("2026-12-07T12:00:00Z".parse().expect("ts")),
            newsletter_mails: vec![("sent".to_owned(), 3), ("failed".to_owned(), 1)],
            connections: marketdesk_store::PoolStatus { max: 8, in_use: 1, idle: 2 },
            ..OpsCounts::default()
        };
        let text = m.render(&counts, "2026-12-07T12:01:00Z".parse().expect("ts"));
        for line in [
            "marketdesk_filings_stored 41",
            "marketdesk_ingest_lag_seconds 60",
            "marketdesk_newsletter_mails{status=\"sent\"} 3",
            "marketdesk_newsletter_mails{status=\"failed\"} 1",
            "marketdesk_http_requests_total{route=\"/articles/{slug}\",status=\"200\"} 2",
            "marketdesk_http_requests_total{route=\"/articles/{slug}\",status=\"404\"} 1",
            "marketdesk_http_request_duration_seconds_bucket{route=\"/articles/{slug}\",le=\"0.005\"} 2",
            "marketdesk_http_request_duration_seconds_bucket{route=\"/articles/{slug}\",le=\"0.05\"} 3",
            "marketdesk_http_request_duration_seconds_count{route=\"/articles/{slug}\"} 3",
            "# TYPE marketdesk_edgar_requests_total counter",
            "marketdesk_edgar_requests_total 7",
            "marketdesk_store_connections_max 8",
            "marketdesk_store_connections{state=\"in_use\"} 1",
            "marketdesk_store_connections{state=\"idle\"} 2",
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
        }
    }
}
