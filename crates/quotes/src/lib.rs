//! The quotes source: daily bars (date, open, high, low, close, volume) per ticker.
//!
//! - [`parse_csv`] reads the common daily CSV layout (`Date,Open,High,Low,Close,Volume`, optional
//!   `Adj Close`, and optionally a `Ticker`/`Symbol` column when one file holds several tickers).
//! - [`change_as_of`] is the price change shown beside a ticker: the last close on or before a
//!   moment against the close before it, or nothing when either is unknown.
//! - `provider` (feature `fetch`) fetches bars from a public daily-CSV quote service; it is off
//!   unless configured.
//!
//! Prices quoted inside filings are not quotes and never come through here. Parsing is pure;
//! this crate knows nothing about the store.

mod csv;
#[cfg(feature = "fetch")]
pub mod provider;

pub use csv::{BadRow, CsvError, parse_csv};

pub use marketdesk_core::{Change, DailyBar, change_as_of, format_change};
