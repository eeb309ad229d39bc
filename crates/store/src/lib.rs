//! marketdesk's store: the one place that speaks SQL.
//!
//! [`Store`] opens a database (a SQLite file by default: WAL journal, foreign keys on, the
//! versioned migrations under `migrations/` applied on open) and offers typed operations that
//! the later stages call: they pass and receive the domain types of `marketdesk-core` and never
//! see a query. The SQL is written in the dialect SQLite and PostgreSQL share (ISO dates as text,
//! `BOOLEAN`, `DOUBLE PRECISION`, `ON CONFLICT DO NOTHING`) so a PostgreSQL backend can follow
//! behind the same API.
//!
//! It must not parse source formats, fetch anything or format output for people.

mod articles;
mod backup;
mod comments;
mod cusips;
mod error;
mod feeds;
mod insiders;
mod leases;
mod newsletter;
mod notifications;
mod ops;
mod ownership;
mod pages;
mod quotes;
mod reference;
mod search;
mod thirteen_f;

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

pub use articles::{ArticleRecord, Saved};
pub use backup::{BackupSummary, Restored};
pub use comments::{CommentRecord, CommentStatus, NewComment};
pub use cusips::CusipRecord;
pub use error::{Error, Result};
pub use feeds::{FeedItemRecord, FeedRecord};
pub use insiders::{TradeFiling, TradeRow};
pub use newsletter::{
    BounceKind, BounceOutcome, Cadence, ConfirmOutcome, ConfirmationLimits, ConfirmationRecord,
    Issue, IssueRecord, KeyDateRecord, PendingSend, SendCounts, SendResult, SignupOutcome,
    SubscriberRecord, SubscriberStatus,
};
pub use notifications::{NotificationRecord, NotificationStatus};
pub use ops::OpsCounts;
pub use ownership::{Counts, IngestErrorRecord, InsertOutcome, SourcedFiling};
pub use pages::ArticleGeneration;
pub use reference::{CompanyRecord, ReferenceDocuments, ReferenceLoad, SecurityRecord};
pub use search::{MATCH_END, MATCH_START, SearchCounts, SearchHit, SearchKind};
pub use thirteen_f::{ReportOutcome, SourcedReport};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Whether a location names a PostgreSQL database.
pub fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// The SQLite file a location names: a path, or a `sqlite:` / `sqlite://` URL.
pub fn sqlite_path(location: &str) -> Result<&Path> {
    if is_postgres(location) {
        return Err(Error::Unsupported(
            "PostgreSQL is not supported yet; use a SQLite file path".to_owned(),
        ));
    }
    let path = location.strip_prefix("sqlite://").or_else(|| location.strip_prefix("sqlite:"));
    Ok(Path::new(path.unwrap_or(location)))
}

/// A handle on the database; cheap to clone, safe to share between tasks.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens the store named by `location`: a file path, or a `sqlite:` URL. The file is created
    /// when missing and migrated to the latest schema.
    pub async fn open(location: &str) -> Result<Self> {
        Self::open_sqlite(sqlite_path(location)?).await
    }

    /// Opens the store at `location` only if it already exists; commands that merely read
    /// (linking text) must not leave an empty store behind.
    pub async fn open_if_exists(location: &str) -> Result<Option<Self>> {
        let path = sqlite_path(location)?;
        if !path.exists() {
            return Ok(None);
        }
        Self::open_sqlite(path).await.map(Some)
    }

    /// Opens (creating if needed) a SQLite file.
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL loses no committed data on a crash, only on power loss.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| Error::Open { location: path.display().to_string(), source: e })?;
        Self::migrated(pool).await
    }

    /// A private in-memory store, for tests and throwaway runs.
    pub async fn open_in_memory() -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(|e| Error::Open { location: ":memory:".to_owned(), source: e })?
            .foreign_keys(true);
        // Every connection to :memory: is its own database, so the pool holds exactly one.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|e| Error::Open { location: ":memory:".to_owned(), source: e })?;
        Self::migrated(pool).await
    }

    async fn migrated(pool: SqlitePool) -> Result<Self> {
        MIGRATIONS.run(&pool).await?;
        Ok(Store { pool })
    }

    /// The schema version: the newest migration applied.
    pub async fn schema_version(&self) -> Result<i64> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(v.unwrap_or(0))
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
