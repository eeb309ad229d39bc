//! The newsroom: the stages run over the store. It reads the store's trades into the insider
//! desk's signals, gathers each signal's context (form types, footnotes, signatures, prices),
//! writes and saves articles (verified model drafts or the deterministic writer, revisions when
//! facts change), reads news feeds into kept, clustered items, and picks the events worth an
//! article. The binary and the always-on newsroom call it; tests build stores with it.
//!
//! It owns orchestration only: no SQL (the store), no parsing (sources), no decisions about
//! what matters (the desks), no prose (the writer), no printing, flags or environment (the
//! binary).

mod articles;
mod calendars;
mod feeds;
mod holdings;
mod reference;
mod signals;

pub use articles::{WriteSummary, write};
pub use calendars::{CalendarSummary, ingest_calendar, key_date_record};
pub use feeds::{FeedSummary, events, ingest_feeds, item_text};
pub use holdings::{ManagerQuarter, manager_quarter};
pub use reference::company_records;
pub use signals::{all_signals, desk_signals, trades};

/// Sources as given (URLs or paths), each directory replaced by its files that `keep`
/// accepts, in name order.
pub fn expand_dirs(
    sources: &[String],
    keep: impl Fn(&std::path::Path) -> bool,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for s in sources {
        let path = std::path::Path::new(s);
        if s.starts_with("http://") || s.starts_with("https://") || !path.is_dir() {
            out.push(s.clone());
            continue;
        }
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::Read { path: s.clone(), source: e })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && keep(p))
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|p| p.display().to_string()));
    }
    Ok(out)
}

/// Why a newsroom run stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] marketdesk_store::Error),
    /// A persona file is invalid.
    #[error(transparent)]
    Persona(#[from] marketdesk_writer::PersonaError),
    /// `--persona` names no persona of the roster.
    #[error("no persona {slug:?}; the roster has {known:?}")]
    UnknownPersona {
        /// The slug asked for.
        slug: String,
        /// The roster's slugs.
        known: Vec<String>,
    },
    /// The model client could not be set up.
    #[error("setting up the model client: {0}")]
    Llm(#[from] marketdesk_writer::llm::LlmError),
    /// The feed client could not be set up.
    #[error("setting up the feed client: {0}")]
    FeedClient(marketdesk_feeds::fetch::FetchError),
    /// The feeds file is invalid.
    #[error(transparent)]
    FeedList(#[from] marketdesk_feeds::FeedListError),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// No feed was given.
    #[error("no feeds: give a feeds file or feed URLs or paths")]
    NoFeeds,
    /// An article did not serialise.
    #[error("article JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The newsroom's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
