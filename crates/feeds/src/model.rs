//! The one model every feed format is read into.

use std::fmt;

use jiff::{Timestamp, ZonedDateTime, tz::Offset, tz::TimeZone};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format and version a feed was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FeedFormat {
    /// RSS 0.90 (RDF, Netscape's namespace).
    #[serde(rename = "rss-0.90")]
    Rss090,
    /// RSS 0.91.
    #[serde(rename = "rss-0.91")]
    Rss091,
    /// RSS 0.92 to 0.94.
    #[serde(rename = "rss-0.92")]
    Rss092,
    /// RSS 1.0 (RDF).
    #[serde(rename = "rss-1.0")]
    Rss10,
    /// RSS 2.0.
    #[serde(rename = "rss-2.0")]
    Rss20,
    /// `<rss>` with no version, or one this reader does not know.
    #[serde(rename = "rss")]
    Rss,
    /// Atom 0.3.
    #[serde(rename = "atom-0.3")]
    Atom03,
    /// Atom 1.0.
    #[serde(rename = "atom-1.0")]
    Atom10,
    /// JSON Feed 1.0.
    #[serde(rename = "json-feed-1.0")]
    JsonFeed10,
    /// JSON Feed 1.1.
    #[serde(rename = "json-feed-1.1")]
    JsonFeed11,
}

impl FeedFormat {
    /// The name used in JSON and messages, e.g. `rss-2.0`.
    pub fn name(self) -> &'static str {
        match self {
            FeedFormat::Rss090 => "rss-0.90",
            FeedFormat::Rss091 => "rss-0.91",
            FeedFormat::Rss092 => "rss-0.92",
            FeedFormat::Rss10 => "rss-1.0",
            FeedFormat::Rss20 => "rss-2.0",
            FeedFormat::Rss => "rss",
            FeedFormat::Atom03 => "atom-0.3",
            FeedFormat::Atom10 => "atom-1.0",
            FeedFormat::JsonFeed10 => "json-feed-1.0",
            FeedFormat::JsonFeed11 => "json-feed-1.1",
        }
    }

    /// True for Atom 0.3 and 1.0.
    pub fn is_atom(self) -> bool {
        matches!(self, FeedFormat::Atom03 | FeedFormat::Atom10)
    }
}

impl fmt::Display for FeedFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A feed as read: what it is, its own title and link, its items and everything that was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedFeed {
    /// Format and version.
    pub format: FeedFormat,
    /// The encoding the bytes were read in (WHATWG name: `UTF-8`, `windows-1252`, ...).
    pub encoding: String,
    /// The feed's title, plain text.
    pub title: Option<String>,
    /// The feed's own web page (RSS channel `<link>`, Atom `rel="alternate"`, JSON Feed
    /// `home_page_url`), absolute.
    pub link: Option<String>,
    /// When the feed says it last changed (RSS `lastBuildDate`, else `pubDate` or `dc:date`;
    /// Atom `updated`).
    pub updated: Option<Timestamp>,
    /// The items in document order, one per [`FeedItem::dedup_key`].
    pub items: Vec<FeedItem>,
    /// What was wrong and how it was handled, in document order as far as known.
    pub problems: Vec<Problem>,
}

/// One news item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    /// RSS `<guid>`, Atom `<id>`, JSON Feed `id`, or RSS 1.0's `rdf:about`; trimmed.
    pub guid: Option<String>,
    /// Plain text; empty when the item has none (a [`Problem`] says so).
    pub title: String,
    /// The article's address, absolute `http`/`https`: relative ones are resolved against
    /// `xml:base`, then the feed's link, then the source when that is a URL. FeedBurner's
    /// `origLink` is preferred to its redirecting `<link>`; a permalink `<guid>` stands in when
    /// there is no link.
    pub link: Option<String>,
    /// When the item was published (RSS `pubDate`, Atom `published`, `dc:date`, else the last
    /// update); `None` when the feed gives no date this crate can read (a [`Problem`] says so).
    pub published: Option<Timestamp>,
    /// The UTC offset `published` was written in, in seconds east of UTC (`-0300` is −10800,
    /// `EST` −18000, `GMT` 0). `None` when the date named no zone (it was then read as UTC, and
    /// a [`Problem`] says so) or there is no date. [`FeedItem::published_zoned`] gives the
    /// time as the publisher wrote it.
    pub published_offset: Option<i32>,
    /// Plain text from the description, summary or content: tags stripped, references
    /// decoded, whitespace collapsed, at most [`SUMMARY_MAX_CHARS`](crate::SUMMARY_MAX_CHARS)
    /// characters.
    pub summary: String,
    /// Authors as plain text, several joined by `", "`.
    pub author: Option<String>,
    /// Categories, tags and subjects, plain text, each once, in document order.
    pub categories: Vec<String>,
}

impl FeedItem {
    /// What identifies the item within its feed: the guid, else the link, else `sha256:`
    /// and a hash of the title and publication time. A guid that is not a URL is only unique
    /// within its feed; a link or a URL guid identifies the article across feeds.
    pub fn dedup_key(&self) -> String {
        if let Some(guid) = self.guid.as_deref().filter(|g| !g.is_empty()) {
            return guid.to_owned();
        }
        if let Some(link) = self.link.as_deref().filter(|l| !l.is_empty()) {
            return link.to_owned();
        }
        let mut hash = Sha256::new();
        hash.update(self.title.as_bytes());
        hash.update([0x1f]);
        if let Some(published) = self.published {
            hash.update(published.to_string().as_bytes());
        }
        let digest = hash.finalize();
        let mut key = String::with_capacity(7 + 32);
        key.push_str("sha256:");
        for byte in &digest[..16] {
            key.push_str(&format!("{byte:02x}"));
        }
        key
    }

    /// The publication time in the offset the feed wrote it in (UTC when it named none).
    pub fn published_zoned(&self) -> Option<ZonedDateTime> {
        let published = self.published?;
        let offset = self.published_offset.and_then(|s| Offset::from_seconds(s).ok());
        Some(published.to_zoned_datetime(offset.map_or(TimeZone::UTC, TimeZone::fixed)))
    }
}

/// Something wrong in a feed, recorded and worked around; never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The item concerned: its index among the feed's `<item>`/`<entry>` elements (or JSON
    /// items) in document order, counting dropped ones.
    pub item: Option<usize>,
    /// The item's guid, when it has one.
    pub guid: Option<String>,
    /// Where in the decoded text, when known.
    pub position: Option<Position>,
    /// The element or field concerned (`pubDate`, `link`, `encoding`, ...).
    pub field: Option<String>,
    /// What was wrong and what was done about it.
    pub message: String,
}

/// A place in a document: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1, in characters.
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(item) = self.item {
            write!(f, "item {item}")?;
            if let Some(guid) = &self.guid {
                write!(f, " ({guid})")?;
            }
            sep = ", ";
        }
        if let Some(position) = self.position {
            write!(f, "{sep}{position}")?;
            sep = ", ";
        }
        if let Some(field) = &self.field {
            write!(f, "{sep}{field}")?;
            sep = ", ";
        }
        let sep = if sep.is_empty() { "" } else { ": " };
        write!(f, "{sep}{}", self.message)
    }
}

/// Byte offsets to lines and columns, built once per document when a problem needs one.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> FeedItem {
        FeedItem {
            guid: None,
            title: "Title".into(),
            link: None,
            published: None,
            published_offset: None,
            summary: String::new(),
            author: None,
            categories: vec![],
        }
    }

    #[test]
    fn dedup_key_prefers_guid_then_link_then_hash() {
        let mut it = item();
        let hashed = it.dedup_key();
        assert!(hashed.starts_with("sha256:") && hashed.len() == 7 + 32, "{hashed}");
        it.published = Some("2020-01-01T00:00:00Z".parse().expect("timestamp"));
        assert_ne!(it.dedup_key(), hashed);
        it.link = Some("https://example.com/a".into());
        assert_eq!(it.dedup_key(), "https://example.com/a");
        it.guid = Some("guid-1".into());
        assert_eq!(it.dedup_key(), "guid-1");
    }

    #[test]
    fn published_in_its_own_offset() {
        let mut it = item();
        assert_eq!(it.published_zoned(), None);
        it.published = Some("2018-09-24T22:42:40Z".parse().expect("timestamp"));
        it.published_offset = Some(-10800);
        let zoned = it.published_zoned().expect("zoned");
        assert_eq!(zoned.to_string(), "2018-09-24T19:42:40-03:00[-03:00]");
        it.published_offset = None;
        assert_eq!(
            it.published_zoned().expect("zoned").to_string(),
            "2018-09-24T22:42:40+00:00[UTC]"
        );
    }

    #[test]
    fn positions() {
        let lines = Lines::new("ab\ncdé\nf");
        assert_eq!(lines.position(0), Position { line: 1, column: 1 });
        assert_eq!(lines.position(3), Position { line: 2, column: 1 });
        assert_eq!(lines.position(7), Position { line: 2, column: 4 });
        assert_eq!(lines.position(8), Position { line: 3, column: 1 });
        assert_eq!(lines.position(99), Position { line: 3, column: 2 });
    }

    #[test]
    fn problems_read_well() {
        let p = Problem {
            item: Some(2),
            guid: Some("g".into()),
            position: None,
            field: Some("pubDate".into()),
            message: "unreadable date \"x\"".into(),
        };
        assert_eq!(p.to_string(), "item 2 (g), pubDate: unreadable date \"x\"");
        let p = Problem {
            item: None,
            guid: None,
            position: Some(Position { line: 3, column: 4 }),
            field: None,
            message: "m".into(),
        };
        assert_eq!(p.to_string(), "line 3, column 4: m");
    }
}
