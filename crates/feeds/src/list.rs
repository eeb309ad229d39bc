//! The list of feeds to read: a TOML file of `[[feed]]` tables.
//!
//! ```toml
//! [[feed]]
//! url = "https://www.sec.gov/news/pressreleases.rss"
//! name = "SEC press releases"
//! category = "regulators"   # optional
//! ```
//!
//! `url` is an `http(s)` URL, or a `file://` URL or path that the caller reads itself.

use serde::{Deserialize, Serialize};

/// One feed to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedSource {
    /// Where the feed is: `http(s)://...`, or a `file://` URL or path.
    pub url: String,
    /// A name for people and logs.
    pub name: String,
    /// A grouping of the caller's choosing ("wires", "regulators", ...).
    #[serde(default)]
    pub category: Option<String>,
}

impl FeedSource {
    /// True when the feed is fetched over HTTP rather than read from a file.
    pub fn is_http(&self) -> bool {
        let lower = self.url.get(..8).unwrap_or(&self.url).to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    }
}

/// The feeds to read, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedList {
    /// One per `[[feed]]` table.
    pub feeds: Vec<FeedSource>,
}

/// Why a feed list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeedListError {
    /// The file is not TOML, or not a list of `[[feed]]` tables.
    #[error("{file}: {message}")]
    File {
        /// The file as the caller named it.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// One `[[feed]]` entry is wrong.
    #[error("{file}: [[feed]] number {number}{}: {message}", name.as_ref().map(|n| format!(" ({n:?})")).unwrap_or_default())]
    Entry {
        /// The file as the caller named it.
        file: String,
        /// The entry's place in the file, from 1.
        number: usize,
        /// The entry's name, when it has one.
        name: Option<String>,
        /// What is wrong.
        message: String,
    },
}

impl FeedList {
    /// Reads a feed list; `source_name` names the file in errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<FeedList, FeedListError> {
        let file_error =
            |message: String| FeedListError::File { file: source_name.to_owned(), message };
        let table: toml::Table = toml::from_str(text).map_err(|e| file_error(e.to_string()))?;
        if let Some(key) = table.keys().find(|k| k.as_str() != "feed") {
            return Err(file_error(format!(
                "unknown key `{key}`: the file holds only [[feed]] tables"
            )));
        }
        let entries = match table.get("feed") {
            None => return Ok(FeedList::default()),
            Some(toml::Value::Array(entries)) => entries,
            Some(_) => return Err(file_error("`feed` must be [[feed]] tables".into())),
        };
        let mut feeds: Vec<FeedSource> = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let name = entry.get("name").and_then(toml::Value::as_str).map(str::to_owned);
            let entry_error = |message: String| FeedListError::Entry {
                file: source_name.to_owned(),
                number: i + 1,
                name: name.clone(),
                message,
            };
            let mut feed: FeedSource = entry
                .clone()
                .try_into()
                .map_err(|e: toml::de::Error| entry_error(e.message().to_owned()))?;
            feed.url = feed.url.trim().to_owned();
            feed.name = feed.name.trim().to_owned();
            feed.category = feed.category.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
            if feed.url.is_empty() {
                return Err(entry_error("`url` is empty".into()));
            }
            if feed.name.is_empty() {
                return Err(entry_error("`name` is empty".into()));
            }
            if feed.is_http()
                && let Err(e) = url::Url::parse(&feed.url)
            {
                return Err(entry_error(format!("`url` {:?} is not a valid URL: {e}", feed.url)));
            }
            if let Some(j) = feeds.iter().position(|f| f.url == feed.url) {
                return Err(entry_error(format!(
                    "`url` {:?} is already the url of [[feed]] number {}",
                    feed.url,
                    j + 1
                )));
            }
            feeds.push(feed);
        }
        Ok(FeedList { feeds })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list() {
        let list = FeedList::from_toml(
            r#"
            [[feed]]
            url = "https://www.sec.gov/news/pressreleases.rss"
            name = "SEC press releases"
            category = "regulators"

            [[feed]]
            url = " fixtures/feeds/cnbc.xml "
            name = "CNBC"
            category = ""
            "#,
            "feeds.toml",
        )
        .expect("list");
        assert_eq!(list.feeds.len(), 2);
        assert_eq!(list.feeds[0].category.as_deref(), Some("regulators"));
        assert!(list.feeds[0].is_http());
        assert_eq!(list.feeds[1].url, "fixtures/feeds/cnbc.xml");
        assert_eq!(list.feeds[1].category, None);
        assert!(!list.feeds[1].is_http());
        assert_eq!(FeedList::from_toml("", "empty.toml"), Ok(FeedList::default()));
    }

    #[test]
    fn errors_name_the_file_and_the_entry() {
        let err = |text: &str| {
            FeedList::from_toml(text, "feeds.toml").err().map(|e| e.to_string()).unwrap_or_default()
        };
        let two = "[[feed]]\nurl = \"https://a.example/rss\"\nname = \"A\"\n[[feed]]\n";
        assert_eq!(
            err(&format!("{two}url = \"https://b.example/rss\"\nname = \"B\"\ncategry = \"x\"\n")),
            "feeds.toml: [[feed]] number 2 (\"B\"): unknown field `categry`, expected one of `url`, `name`, `category`"
        );
        assert_eq!(
            err(&format!("{two}name = \"B\"\n")),
            "feeds.toml: [[feed]] number 2 (\"B\"): missing field `url`"
        );
        assert!(err(&format!("{two}url = \"https://a.example/rss\"\nname = \"B\"\n"))
            .contains("[[feed]] number 2 (\"B\"): `url` \"https://a.example/rss\" is already the url of [[feed]] number 1"));
        assert!(
            err("[[feed]]\nurl = \"https://exa mple/\"\nname = \"A\"\n")
                .contains("not a valid URL")
        );
        assert!(
            err("[[feed]]\nurl = \"x\"\nname = \" \"\n")
                .contains("number 1 (\" \"): `name` is empty")
        );
        assert!(
            err("[[feed]]\nurl = \"x\"\nname = 3\n").starts_with("feeds.toml: [[feed]] number 1: ")
        );
        assert!(err("feeds = 1\n").contains("feeds.toml: unknown key `feeds`"));
        assert!(err("feed = 1\n").contains("must be [[feed]] tables"));
        assert!(err("[[feed]\n").starts_with("feeds.toml: "));
    }
}
