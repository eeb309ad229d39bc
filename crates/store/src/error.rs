/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database could not be opened or created.
    #[error("cannot open store {location}: {source}")]
    Open {
        /// The path or URL.
        location: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A migration failed.
    #[error("migrating the store failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("store query failed: {0}")]
    Query(#[from] sqlx::Error),
    /// A stored value no longer reads back (a bug or a hand-edited database).
    #[error("corrupt value in {table}.{column}: {value:?}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The stored text.
        value: String,
    },
    /// The location names a backend this build does not have.
    #[error("{0}")]
    Unsupported(String),
    /// A file that would be written already exists.
    #[error("{} already exists", path.display())]
    Exists {
        /// The file.
        path: std::path::PathBuf,
    },
    /// Reading, writing or moving a file failed; the cause is the source, which reports print
    /// after this.
    #[error("cannot use {}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Writing a backup failed.
    #[error("cannot write the backup {}", path.display())]
    Backup {
        /// The backup file.
        path: std::path::PathBuf,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A backup (or a store file given as one) cannot be read as SQLite.
    #[error("cannot read {} as a SQLite store", path.display())]
    Unreadable {
        /// The file.
        path: std::path::PathBuf,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A SQLite file that is not a marketdesk store, or not one safe to copy.
    #[error("{} is not a marketdesk store to restore: {reason}", path.display())]
    NotAStore {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        reason: String,
    },
    /// `PRAGMA integrity_check` found damage.
    #[error("{} failed SQLite's integrity check: {report}", path.display())]
    Integrity {
        /// The file.
        path: std::path::PathBuf,
        /// What the check reported.
        report: String,
    },
    /// A backup made by a newer marketdesk, whose schema this build cannot run.
    #[error(
        "{} is from a newer marketdesk (schema version {found}; this build knows up to \
         {supported}): upgrade marketdesk, then restore it",
        path.display()
    )]
    NewerSchema {
        /// The backup file.
        path: std::path::PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build has.
        supported: i64,
    },
    /// A store to copy into already holds rows.
    #[error("the target store is not empty: {table} holds {rows} rows")]
    TargetNotEmpty {
        /// The first table found with rows.
        table: &'static str,
        /// How many.
        rows: i64,
    },
    /// Two stores to copy between are at different schema versions.
    #[error("the stores are at different schema versions ({source_version} and {target_version})")]
    SchemaMismatch {
        /// The version of the store copied from.
        source_version: i64,
        /// The version of the store copied into.
        target_version: i64,
    },
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
