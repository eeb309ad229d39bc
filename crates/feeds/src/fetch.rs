//! Feeds over HTTP, politely: a User-Agent that says who is asking, conditional GETs with the
//! validators of the last fetch (`ETag` as `If-None-Match`, `Last-Modified` as
//! `If-Modified-Since`), a timeout per request, a size limit enforced while the body streams
//! in (an error, never a silent truncation), and a minimum interval between requests to the
//! same host, shared by every clone of the client and so by every task using one.
//!
//! `file://` URLs and paths are not fetched here: the caller reads them.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

/// How to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// Sent with every request; name the operator and a contact.
    pub user_agent: String,
    /// The longest a whole request may take, body included.
    pub timeout: Duration,
    /// The largest body accepted, in bytes (after decompression).
    pub max_body_bytes: u64,
    /// The least time between the starts of two requests to the same host.
    pub min_host_interval: Duration,
}

impl FetchConfig {
    /// Defaults for the given User-Agent: 30 s timeout, 10 MiB bodies, 1 s between requests
    /// to one host.
    pub fn new(user_agent: impl Into<String>) -> Self {
        FetchConfig {
            user_agent: user_agent.into(),
            timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            min_host_interval: Duration::from_secs(1),
        }
    }
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig::new(concat!("marketdesk/", env!("CARGO_PKG_VERSION"), " (feed reader)"))
    }
}

/// What the last successful fetch of a feed said about its version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// The `ETag` header, as sent.
    pub etag: Option<String>,
    /// The `Last-Modified` header, as sent.
    pub last_modified: Option<String>,
}

/// What a fetch found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// 304: the feed has not changed since the validators were stored.
    NotModified,
    /// The feed's body.
    Fetched(Fetched),
}

/// A feed's body and what the response said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The body, decompressed.
    pub bytes: Vec<u8>,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// The `charset` parameter of `Content-Type`, for [`parse_feed`](crate::parse_feed).
    pub charset: Option<String>,
    /// The URL after redirects; the base for the feed's relative links.
    pub final_url: String,
}

impl Fetched {
    /// The validators to store for the next conditional fetch.
    pub fn validators(&self) -> Validators {
        Validators { etag: self.etag.clone(), last_modified: self.last_modified.clone() }
    }
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL is not an `http(s)` URL.
    #[error("{url}: not an http or https URL ({message})")]
    InvalidUrl {
        /// The URL.
        url: String,
        /// Why.
        message: String,
    },
    /// The request took longer than the configured timeout.
    #[error("{url}: timed out after {timeout:?}")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout.
        timeout: Duration,
    },
    /// An answer other than 2xx or 304.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The body is larger than allowed.
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// The connection failed (DNS, TLS, reset, ...).
    #[error("{url}: {message}")]
    Transport {
        /// The URL.
        url: String,
        /// What failed.
        message: String,
    },
}

/// An HTTP client for feeds. Clones share the per-host spacing.
#[derive(Debug, Clone)]
pub struct FeedClient {
    http: reqwest::Client,
    config: Arc<FetchConfig>,
    /// When each host's next request may start.
    next_slot: Arc<Mutex<HashMap<String, Instant>>>,
}

impl FeedClient {
    /// A client for `config`.
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .gzip(true)
            .build()
            .map_err(|e| FetchError::Transport {
                url: String::new(),
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(FeedClient { http, config: Arc::new(config), next_slot: Arc::default() })
    }

    /// Fetches `url`, conditionally when `validators` hold anything.
    pub async fn fetch(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<FetchOutcome, FetchError> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| FetchError::InvalidUrl { url: url.to_owned(), message: e.to_string() })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::InvalidUrl {
                url: url.to_owned(),
                message: format!("scheme {}", parsed.scheme()),
            });
        }
        let host = format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed.port_or_known_default().unwrap_or_default()
        );
        self.wait_turn(&host).await;
        let mut request = self.http.get(parsed);
        if let Some(etag) = &validators.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(last_modified) = &validators.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, last_modified);
        }
        let mut response = request.send().await.map_err(|e| self.error(url, &e))?;
        let status = response.status().as_u16();
        if status == 304 {
            return Ok(FetchOutcome::NotModified);
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status { url: url.to_owned(), status });
        }
        let limit = self.config.max_body_bytes;
        let too_large = || FetchError::TooLarge { url: url.to_owned(), limit };
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let charset = header(reqwest::header::CONTENT_TYPE).and_then(|ct| charset(&ct));
        let final_url = response.url().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.error(url, &e))? {
            if (bytes.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(FetchOutcome::Fetched(Fetched { bytes, etag, last_modified, charset, final_url }))
    }

    /// Waits until a request to `host` may start, and books that moment, so that tasks
    /// sharing the client are spaced too.
    async fn wait_turn(&self, host: &str) {
        let interval = self.config.min_host_interval;
        let slot = {
            let mut next = self.next_slot.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.get(host).map_or(now, |&booked| booked.max(now));
            next.insert(host.to_owned(), slot + interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    fn error(&self, url: &str, e: &reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout { url: url.to_owned(), timeout: self.config.timeout }
        } else {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            FetchError::Transport { url: url.to_owned(), message }
        }
    }
}

/// The `charset` parameter of a `Content-Type` value.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_parameter() {
        assert_eq!(charset("text/xml; charset=windows-1251").as_deref(), Some("windows-1251"));
        assert_eq!(charset("application/rss+xml;CHARSET=\"UTF-8\"").as_deref(), Some("UTF-8"));
        assert_eq!(charset("text/xml"), None);
        assert_eq!(charset("text/xml; charset="), None);
    }

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced() {
        let config =
            FetchConfig { min_host_interval: Duration::from_secs(2), ..FetchConfig::default() };
        let client = FeedClient::new(config).expect("client");
        let start = Instant::now();
        for _ in 0..3 {
            client.wait_turn("a:80").await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(4));
        client.wait_turn("b:80").await;
        assert_eq!(start.elapsed(), Duration::from_secs(4));
    }
}
