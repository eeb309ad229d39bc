//! A daily-CSV quote service over HTTP. Stooq's layout is the default: `GET
//! {base}/q/d/l/?s={ticker}.us&i=d` answers `Date,Open,High,Low,Close,Volume`. Off unless
//! configured: marketdesk never calls out on its own.

use std::time::Duration;

use crate::{DailyBar, parse_csv};

/// Why fetching quotes failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// The request failed.
    #[error("{url}: {message}")]
    Http {
        /// The URL.
        url: String,
        /// What failed.
        message: String,
    },
    /// The answer was not a daily CSV (services answer "No data" or an HTML page for unknown
    /// tickers).
    #[error("{url}: not a daily CSV ({message})")]
    Format {
        /// The URL.
        url: String,
        /// Why.
        message: String,
    },
}

/// Something that knows daily bars.
pub trait QuoteProvider {
    /// Every bar the service has for `ticker`.
    fn daily(
        &self,
        ticker: &str,
    ) -> impl std::future::Future<Output = Result<Vec<DailyBar>, ProviderError>> + Send;
}

/// A service that serves one CSV per ticker at a URL built from a template.
#[derive(Debug, Clone)]
pub struct CsvProvider {
    http: reqwest::Client,
    /// URL with `{ticker}` (lower case) where the symbol goes.
    template: String,
}

impl CsvProvider {
    /// Stooq's daily CSV at `base` (`https://stooq.com` in production).
    pub fn stooq(base: &str) -> Result<Self, ProviderError> {
        Self::new(&format!("{}/q/d/l/?s={{ticker}}.us&i=d", base.trim_end_matches('/')))
    }

    /// A provider for any URL template containing `{ticker}`.
    pub fn new(template: &str) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .user_agent(concat!("marketdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Http {
                url: template.to_owned(),
                message: e.to_string(),
            })?;
        Ok(CsvProvider { http, template: template.to_owned() })
    }
}

impl QuoteProvider for CsvProvider {
    async fn daily(&self, ticker: &str) -> Result<Vec<DailyBar>, ProviderError> {
        // Class tickers are BRK-B in SEC data and BRK.B at most services.
        let symbol = ticker.to_ascii_lowercase().replace('-', ".");
        let url = self.template.replace("{ticker}", &symbol);
        let http =
            |e: reqwest::Error| ProviderError::Http { url: url.clone(), message: e.to_string() };
        let resp = self.http.get(&url).send().await.map_err(http)?;
        let resp = resp.error_for_status().map_err(http)?;
        let text = resp.text().await.map_err(http)?;
        let (bars, _bad) = parse_csv(&text, Some(ticker))
            .map_err(|e| ProviderError::Format { url: url.clone(), message: e.to_string() })?;
        if bars.is_empty() {
            return Err(ProviderError::Format { url, message: "no rows".to_owned() });
        }
        Ok(bars)
    }
}
