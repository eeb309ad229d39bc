//! marketdesk's store: the one place that speaks SQL.
//!
//! [`Store`] opens a database — a SQLite file by default (WAL journal, foreign keys on), or a
//! PostgreSQL database for several nodes — applies that backend's versioned migrations (the
//! directories under `migrations/` hold the same versions, table for table) and offers typed
//! operations that the later stages call: they pass and receive the domain types of
//! `marketdesk-core` and never see a query. Queries go through sqlx's `Any` driver and are
//! written once, in the dialect both engines share (ISO timestamps as text, `$n` parameters,
//! `ON CONFLICT`, `RETURNING`); the few places they differ (full-text search, string
//! aggregation, backups) branch on [`Backend`].
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
mod migrate;
mod newsletter;
mod notifications;
mod ops;
mod ownership;
mod pages;
mod quotes;
mod reference;
mod search;
mod sql;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
mod thirteen_f;
mod web_nodes;

use std::{path::Path, str::FromStr as _};

use sqlx::{
    AnyPool, ConnectOptions as _, Executor as _, SqlitePool,
    any::{AnyConnectOptions, AnyPoolOptions},
    sqlite::{SqliteConnectOptions, SqlitePoolOptions},
};

pub use articles::{ArticleRecord, Saved};
pub use backup::{BackupSummary, Restored};
pub use comments::{CommentRecord, CommentStatus, NewComment};
pub use cusips::CusipRecord;
pub use error::{Error, Result};
pub use feeds::{FeedItemRecord, FeedRecord};
pub use insiders::{TradeFiling, TradeRow};
pub use migrate::{Copied, TableCount};
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
pub use web_nodes::RateCheck;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The database engine behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (or a private in-memory database).
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

impl Backend {
    /// The migrations that build this backend's schema; both directories hold the same versions.
    fn migrations(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// Whether a location names a PostgreSQL database.
pub fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// The SQLite file a location names: a path, or a `sqlite:` / `sqlite://` URL.
pub fn sqlite_path(location: &str) -> Result<&Path> {
    if is_postgres(location) {
        return Err(Error::Unsupported(format!(
            "{} is a PostgreSQL database, not a SQLite file",
            redact(location)
        )));
    }
    let path = location.strip_prefix("sqlite://").or_else(|| location.strip_prefix("sqlite:"));
    Ok(Path::new(path.unwrap_or(location)))
}

/// A database URL with any password replaced, fit for errors and logs.
pub fn redact(location: &str) -> String {
    match url_password_span(location) {
        Some((start, end)) => format!("{}***{}", &location[..start], &location[end..]),
        None => location.to_owned(),
    }
}

/// Where the password sits in `scheme://user:password@host...`, if there is one.
fn url_password_span(location: &str) -> Option<(usize, usize)> {
    let authority_start = location.find("://")? + 3;
    let rest = &location[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_len].rfind('@')?;
    let colon = rest[..at].find(':')?;
    Some((authority_start + colon + 1, authority_start + at))
}

/// The connections a process holds to a store at most, and how many it holds now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// The pool's ceiling.
    pub max: u32,
    /// Open and running a query or transaction.
    pub in_use: u32,
    /// Open and waiting.
    pub idle: u32,
}

/// How many connections a PostgreSQL URL asks for (`pool_max_conns`, from 1 to 1000; 8 when
/// absent), and the URL without that parameter, which is ours, not libpq's.
fn pool_size(url: &str) -> std::result::Result<(String, u32), sqlx::Error> {
    const KEY: &str = "pool_max_conns";
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_owned(), 8)) };
    let mut max = 8;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some((KEY, value)) => {
                max = value.parse().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| {
                    sqlx::Error::Configuration(
                        format!("{KEY} must be a whole number from 1 to 1000, not {value:?}")
                            .into(),
                    )
                })?;
            }
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    Ok((url, max))
}

/// Connection options without sqlx's statement log: a slow bulk insert would otherwise log its
/// whole text (tens of thousands of parameters) as a warning. Failures reach the caller as errors.
fn connect_options(
    options: std::result::Result<AnyConnectOptions, sqlx::Error>,
) -> std::result::Result<AnyConnectOptions, sqlx::Error> {
    options.map(sqlx::ConnectOptions::disable_statement_logging)
}

/// Pool options with sqlx's drivers for both backends registered (once per process).
fn pool_options() -> AnyPoolOptions {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new()
}

/// A handle on the database; cheap to clone, safe to share between tasks.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The same SQLite file through sqlx's own SQLite driver, for the few reads of hundreds of
    /// thousands of rows (`Any` converts every row, which doubles their cost).
    native: Option<SqlitePool>,
}

impl Store {
    /// Opens the store named by `location`: a file path, a `sqlite:` URL or a `postgres://` URL.
    /// A SQLite file is created when missing; either is migrated to the latest schema.
    pub async fn open(location: &str) -> Result<Self> {
        if is_postgres(location) {
            Self::open_postgres(location).await
        } else {
            Self::open_sqlite(sqlite_path(location)?).await
        }
    }

    /// Opens the store at `location` only if it already exists; commands that merely read
    /// (linking text) must not leave an empty store behind. A PostgreSQL database always exists
    /// once its server answers.
    pub async fn open_if_exists(location: &str) -> Result<Option<Self>> {
        if is_postgres(location) {
            return Self::open_postgres(location).await.map(Some);
        }
        let path = sqlite_path(location)?;
        if !path.exists() {
            return Ok(None);
        }
        Self::open_sqlite(path).await.map(Some)
    }

    /// Opens (creating if needed) a SQLite file.
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        let open_error = |source| Error::Open { location: path.display().to_string(), source };
        let url = SqliteConnectOptions::new().filename(path).create_if_missing(true).to_url_lossy();
        let pool = pool_options()
            .max_connections(4)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // With WAL, NORMAL loses no committed data on a crash, only on power loss.
                    conn.execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL")
                        .await
                        .map(drop)
                })
            })
            .connect_with(connect_options(AnyConnectOptions::from_url(&url)).map_err(open_error)?)
            .await
            .map_err(open_error)?;
        // The journal mode is a property of the file: set once, every connection sees it.
        pool.execute("PRAGMA journal_mode = WAL").await.map_err(open_error)?;
        let mut store = Self::migrated(pool, Backend::Sqlite).await?;
        // Read-only, connected when first used.
        let native = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .busy_timeout(std::time::Duration::from_secs(10))
            .disable_statement_logging();
        store.native = Some(SqlitePoolOptions::new().max_connections(2).connect_lazy_with(native));
        Ok(store)
    }

    /// Opens a PostgreSQL database (which must exist) by URL. `pool_max_conns=N` in the URL's
    /// query (the name pgx reads) sets how many connections this process may hold, 8 unless
    /// given: every web node holds its own, and the server's `max_connections` bounds the sum.
    pub async fn open_postgres(url: &str) -> Result<Self> {
        let open_error = |source| Error::Open { location: redact(url), source };
        let (url, max) = pool_size(url).map_err(open_error)?;
        let options = connect_options(AnyConnectOptions::from_str(&url)).map_err(open_error)?;
        let pool =
            pool_options().max_connections(max).connect_with(options).await.map_err(open_error)?;
        Self::migrated(pool, Backend::Postgres).await
    }

    /// This process's connections to the store.
    pub fn pool_status(&self) -> PoolStatus {
        let open = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(open).min(open);
        PoolStatus { max: self.pool.options().get_max_connections(), in_use: open - idle, idle }
    }

    /// A private in-memory store, for tests and throwaway runs.
    pub async fn open_in_memory() -> Result<Self> {
        let open_error = |source| Error::Open { location: ":memory:".to_owned(), source };
        // Every connection to :memory: is its own database, so the pool holds exactly one.
        let pool = pool_options()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(
                connect_options(AnyConnectOptions::from_str("sqlite::memory:"))
                    .map_err(open_error)?,
            )
            .await
            .map_err(open_error)?;
        Self::migrated(pool, Backend::Sqlite).await
    }

    async fn migrated(pool: AnyPool, backend: Backend) -> Result<Self> {
        backend.migrations().run(&pool).await?;
        Ok(Store { pool, backend, native: None })
    }

    /// A transaction that runs alone among those begun with the same `lock` (an arbitrary
    /// number per use), provided it writes before it reads: on SQLite its first write takes the
    /// database's one write lock; PostgreSQL lets writers run side by side, so there it takes
    /// an advisory lock held to the end of the transaction.
    pub(crate) async fn begin_serialized(
        &self,
        lock: i64,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(lock).execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    /// The database engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
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
        if let Some(native) = &self.native {
            native.close().await;
        }
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_size_comes_out_of_the_url() {
        let size = |url: &str| pool_size(url).map_err(|e| e.to_string());
        assert_eq!(size("postgres://h/db"), Ok(("postgres://h/db".to_owned(), 8)));
        assert_eq!(
            size("postgres://h/db?pool_max_conns=20"),
            Ok(("postgres://h/db".to_owned(), 20))
        );
        assert_eq!(
            size("postgres://h/db?sslmode=require&pool_max_conns=2&options=-c%20x%3Dy"),
            Ok(("postgres://h/db?sslmode=require&options=-c%20x%3Dy".to_owned(), 2))
        );
        for bad in ["0", "1001", "many", ""] {
            let e = size(&format!("postgres://h/db?pool_max_conns={bad}")).expect_err(bad);
            assert!(e.contains("pool_max_conns must be a whole number from 1 to 1000"), "{e}");
        }
    }

    #[tokio::test]
    async fn a_postgres_store_holds_at_most_the_connections_its_url_asks_for() {
        let url = testing::postgres_location().await;
        let store = Store::open(&format!("{url}&pool_max_conns=2")).await.expect("open");
        // Four queries at once on two connections: they take turns.
        let busy = || sqlx::query("SELECT pg_sleep(0.2)").execute(&store.pool);
        let (a, b, c, d) = tokio::join!(busy(), busy(), busy(), busy());
        assert!(a.is_ok() && b.is_ok() && c.is_ok() && d.is_ok());
        let status = store.pool_status();
        assert_eq!(status.max, 2);
        assert!(status.in_use + status.idle == 2, "{status:?}");
        assert_eq!(Store::open_in_memory().await.expect("memory").pool_status().max, 1);
    }
}
