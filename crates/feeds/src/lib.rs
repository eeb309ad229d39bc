//! The news source: RSS, Atom and JSON Feed documents read into one item model, the list of
//! feeds to read, and (feature `fetch`) a polite HTTP fetcher.
//!
//! - [`parse_feed`] reads RSS 0.9x, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0, and JSON Feed 1.0 and
//!   1.1 into a [`ParsedFeed`] of [`FeedItem`]s: plain-text title and summary, absolute link,
//!   publication time with the offset it was written in, author and categories. It fails
//!   ([`FeedError`]) only when nothing in the input is a feed; everything else that is wrong is
//!   worked around and listed as a [`Problem`] naming the item or position, the field and what
//!   was done.
//! - [`FeedItem::dedup_key`] identifies an item (guid, else link, else a hash of title and
//!   time); a feed's items are unique by it.
//! - [`parse_date`] reads the dates feeds write (RFC 822 and its variants in several languages,
//!   ISO 8601).
//! - [`FeedList::from_toml`] reads the `[[feed]]` list of feeds to read.
//! - `fetch` (feature `fetch`, off by default) is the only networked code: [`FeedClient`] does
//!   conditional GETs with stored validators, a size limit enforced while streaming, a timeout
//!   and a minimum interval between requests to one host.
//!
//! # Tolerance
//!
//! Feeds in the wild are often not well-formed, so the reader is built to keep at least every
//! item Python's feedparser keeps. Bytes are decoded by BOM, XML declaration, HTTP charset and
//! content (declarations that contradict the bytes are overruled, see `encoding`); XML is read
//! by a streaming quick-xml pass with a recovery layer (raw `&`, HTML entities, unclosed and
//! stray tags, truncation: see `xml`); dates by a token reader that tolerates the common
//! deviations (see [`parse_date`]). feed-rs, the obvious crate, was not used because it gives up
//! on the first XML error, which would lose whole feeds over one raw `&`; a tree parser
//! (roxmltree) would do the same and costs a pass and a tree per document.
//!
//! # Time zones
//!
//! [`FeedItem::published`] is a UTC [`jiff::Timestamp`]. The offset the publisher wrote
//! (`-0300`, `EST`) is kept beside it as [`FeedItem::published_offset`] in seconds, so the time
//! can be shown as written ([`FeedItem::published_zoned`]); a zone name is kept only as its
//! offset. A date with no zone is read as UTC, its offset is `None`, and a problem says so.
//!
//! # Must not
//!
//! Parsing is a pure function of the bytes: no I/O, no clock, no global state, and it never
//! panics (property-tested on arbitrary bytes and on truncations of every fixture). This crate
//! knows nothing about the store, the desks or other marketdesk crates; without the `fetch`
//! feature it has no network or async dependency, and `fetch` is the only module that does
//! I/O. Reading `file://` feeds is the caller's business.

#![warn(missing_docs)]

mod date;
mod encoding;
mod entities;
mod error;
mod json;
mod list;
mod model;
mod parse;
mod text;
mod xml;

#[cfg(feature = "fetch")]
pub mod fetch;

pub use date::{FeedDate, parse_date};
pub use error::FeedError;
#[cfg(feature = "fetch")]
pub use fetch::{FeedClient, FetchConfig, FetchError, FetchOutcome, Fetched, Validators};
pub use list::{FeedList, FeedListError, FeedSource};
pub use model::{FeedFormat, FeedItem, ParsedFeed, Position, Problem};
pub use parse::parse_feed;
pub use text::{SUMMARY_MAX_CHARS, TITLE_MAX_CHARS};
