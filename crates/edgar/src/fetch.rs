//! EDGAR over HTTP, within the SEC's fair-access rules: a User-Agent that names the operator and a
//! contact address, at most `max_requests_per_second` requests across every task sharing the
//! client, backoff on 429 and 5xx (honouring `Retry-After`), and a clean stop when EDGAR keeps
//! answering 403, which is how it blocks an address for about ten minutes.

use std::{sync::Arc, time::Duration};

use tokio::{sync::Mutex, time::Instant};

/// How to reach EDGAR.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `https://www.sec.gov/` in production; a local server in tests.
    pub base_url: String,
    /// "Company Name admin@example.com", as the SEC asks.
    pub user_agent: String,
    /// Ceiling on requests per second over all tasks (EDGAR allows 10).
    pub max_requests_per_second: f64,
    /// Retries after a 429, a 5xx or a transport error.
    pub max_retries: u32,
    /// First backoff; doubled on each retry.
    pub initial_backoff: Duration,
    /// Consecutive 403 answers to one request before concluding EDGAR blocks us.
    pub forbidden_limit: u32,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl ClientConfig {
    /// Production defaults for the given User-Agent.
    pub fn new(user_agent: impl Into<String>) -> Self {
        ClientConfig {
            base_url: "https://www.sec.gov/".to_owned(),
            user_agent: user_agent.into(),
            max_requests_per_second: 10.0,
            max_retries: 5,
            initial_backoff: Duration::from_millis(500),
            forbidden_limit: 3,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why a request failed for good.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// No User-Agent naming the operator and a contact address was configured.
    #[error(
        "EDGAR requires a User-Agent that names you and a contact e-mail, e.g. \
         \"Acme Research ops@acme.example\": set --user-agent or [edgar] user_agent in the config \
         (got {0:?})"
    )]
    UserAgent(String),
    /// EDGAR kept answering 403 Forbidden: it blocks an address for about ten minutes.
    #[error(
        "EDGAR refused {url} with 403 Forbidden {attempts} times in a row; it blocks addresses \
         that exceed its fair-access rules for about 10 minutes. Stopping cleanly: run the same \
         command again later to resume"
    )]
    Blocked {
        /// The refused URL.
        url: String,
        /// How many 403s were seen.
        attempts: u32,
    },
    /// A non-retryable status, or a retryable one that persisted past the retry budget.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The last status seen.
        status: u16,
    },
    /// The connection failed past the retry budget.
    #[error("{url}: {message}")]
    Transport {
        /// The URL.
        url: String,
        /// What failed.
        message: String,
    },
}

impl FetchError {
    /// True when continuing would only provoke EDGAR further.
    pub fn is_fatal(&self) -> bool {
        matches!(self, FetchError::Blocked { .. } | FetchError::UserAgent(_))
    }
}

/// Spaces requests evenly so that no window of one second holds more than the allowed count.
#[derive(Debug)]
struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    fn new(per_second: f64) -> Self {
        let per_second = if per_second.is_finite() && per_second > 0.0 { per_second } else { 1.0 };
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next: Mutex::new(Instant::now()),
        }
    }

    async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// A shareable EDGAR client; clones share one rate limit.
#[derive(Debug, Clone)]
pub struct EdgarClient {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    limiter: Arc<RateLimiter>,
    /// Requests sent, for metrics.
    requests: Arc<std::sync::atomic::AtomicU64>,
}

/// Checks that a User-Agent names someone and gives a contact address.
pub fn validate_user_agent(ua: &str) -> Result<(), FetchError> {
    let ua = ua.trim();
    let has_email = ua.split_whitespace().any(|w| {
        let mut parts = w.split('@');
        matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(d), None) if !a.is_empty() && d.contains('.'))
    });
    let has_name = ua.split_whitespace().any(|w| !w.contains('@'));
    if has_email && has_name { Ok(()) } else { Err(FetchError::UserAgent(ua.to_owned())) }
}

impl EdgarClient {
    /// A client for `config`; fails when the User-Agent does not identify the operator.
    pub fn new(config: ClientConfig) -> Result<Self, FetchError> {
        validate_user_agent(&config.user_agent)?;
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .gzip(true)
            .build()
            .map_err(|e| FetchError::Transport {
                url: config.base_url.clone(),
                message: e.to_string(),
            })?;
        let limiter = Arc::new(RateLimiter::new(config.max_requests_per_second));
        Ok(EdgarClient { http, config: Arc::new(config), limiter, requests: Arc::default() })
    }

    /// Requests sent so far by this client and its clones (retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The absolute URL of an archive path such as `Archives/edgar/data/...`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.config.base_url.trim_end_matches('/'), path.trim_start_matches('/'))
    }

    /// Fetches `path`; `Ok(None)` when EDGAR has no such file (404), e.g. a holiday's index.
    pub async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, FetchError> {
        let url = self.url(path);
        let mut backoff = self.config.initial_backoff;
        let mut retries = 0;
        let mut forbidden = 0;
        loop {
            self.limiter.acquire().await;
            self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let wait = match self.http.get(&url).send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    match status {
                        200..=299 => match resp.bytes().await {
                            Ok(b) => return Ok(Some(b.to_vec())),
                            Err(e) => Retry::Transport(e.to_string()),
                        },
                        404 | 410 => return Ok(None),
                        403 => Retry::Forbidden,
                        429 | 500..=599 => Retry::Status(status, retry_after(&resp)),
                        _ => return Err(FetchError::Status { url, status }),
                    }
                }
                Err(e) => Retry::Transport(e.to_string()),
            };
            let pause = match wait {
                Retry::Forbidden => {
                    forbidden += 1;
                    if forbidden >= self.config.forbidden_limit {
                        return Err(FetchError::Blocked { url, attempts: forbidden });
                    }
                    backoff
                }
                Retry::Status(status, after) => {
                    retries += 1;
                    if retries > self.config.max_retries {
                        return Err(FetchError::Status { url, status });
                    }
                    after.unwrap_or(backoff).max(backoff)
                }
                Retry::Transport(message) => {
                    retries += 1;
                    if retries > self.config.max_retries {
                        return Err(FetchError::Transport { url, message });
                    }
                    backoff
                }
            };
            tracing::debug!(%url, ?pause, "retrying EDGAR request");
            tokio::time::sleep(pause).await;
            backoff = (backoff * 2).min(Duration::from_secs(60));
        }
    }
}

enum Retry {
    Forbidden,
    Status(u16, Option<Duration>),
    Transport(String),
}

/// `Retry-After` in seconds, capped so a hostile value cannot stall a run for hours.
fn retry_after(resp: &reqwest::Response) -> Option<Duration> {
    let v = resp.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: u64 = v.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(120)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_must_name_operator_and_contact() {
        assert!(validate_user_agent("Acme Research ops@acme.example").is_ok());
        assert!(validate_user_agent("").is_err());
        assert!(validate_user_agent("ops@acme.example").is_err());
        assert!(validate_user_agent("Acme Research").is_err());
        assert!(validate_user_agent("reqwest/0.13").is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn limiter_spaces_requests() {
        let limiter = RateLimiter::new(10.0);
        let start = Instant::now();
        for _ in 0..21 {
            limiter.acquire().await;
        }
        // 21 requests at 10 per second: the last one starts 2 s after the first.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }
}
