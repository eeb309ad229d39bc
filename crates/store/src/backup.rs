//! Backup and restore of a SQLite store.
//!
//! A backup is made with `VACUUM INTO`: SQLite copies the database as of one read transaction, so
//! the copy is consistent while other connections keep writing (WAL lets them), and it comes out
//! compacted, in rollback-journal mode, with no `-wal` beside it. Every backup and every file
//! about to be restored is opened read-only and must pass `PRAGMA integrity_check`. A restore
//! never deletes: the store it replaces is moved aside first.

use std::{
    fs::{self, File},
    io,
    path::{Path, PathBuf},
    time::{SystemTime, UNIX_EPOCH},
};

use sqlx::{ConnectOptions as _, Connection as _, SqliteConnection, sqlite::SqliteConnectOptions};

use crate::{Backend, Error, Result, SQLITE_MIGRATIONS, Store};

/// What a backup holds, read back from the copy itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The backup file.
    pub path: PathBuf,
    /// The newest migration applied in it.
    pub schema_version: i64,
    /// Every table and its row count, by name.
    pub tables: Vec<(String, i64)>,
}

impl BackupSummary {
    /// Rows in every table together.
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }

    /// The row count of one table, if the backup has it.
    pub fn count(&self, table: &str) -> Option<i64> {
        self.tables.iter().find(|(name, _)| name == table).map(|&(_, n)| n)
    }
}

/// A finished restore.
#[derive(Debug)]
pub struct Restored {
    /// The restored store, open and migrated to this build's schema.
    pub store: Store,
    /// What the backup held, checked before it was copied.
    pub backup: BackupSummary,
    /// The schema version after migrating (above the backup's when this build is newer).
    pub schema_version: i64,
    /// Where the replaced store was moved, when there was one.
    pub kept: Option<PathBuf>,
}

impl Store {
    /// Copies the store to `path` while it stays in use, then checks the copy: it must open
    /// read-only and pass `PRAGMA integrity_check`. `path` must not exist yet.
    pub async fn backup_to(&self, path: &Path) -> Result<BackupSummary> {
        if self.backend == Backend::Postgres {
            return Err(Error::Unsupported(
                "a PostgreSQL store is backed up with pg_dump (see the README)".to_owned(),
            ));
        }
        if exists(path)? {
            return Err(Error::Exists { path: path.to_owned() });
        }
        let name = path.to_str().ok_or_else(|| {
            Error::Unsupported(format!(
                "the backup path {} is not valid UTF-8, which SQLite needs",
                path.display()
            ))
        })?;
        // The target is bound, not spliced into the SQL, so no quoting can go wrong. SQLite also
        // refuses a non-empty existing file, which closes the race with the check above.
        sqlx::query("VACUUM INTO $1")
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(|source| Error::Backup { path: path.to_owned(), source })?;
        inspect(path).await
    }

    /// Replaces the SQLite file `target` with the backup at `backup` and opens it (applying any
    /// migrations newer than the backup). The backup must pass the integrity check and come from
    /// this build or an older one. An existing `target` is refused unless `force`; then it and
    /// its `-wal` and `-shm` are moved to `TARGET.before-restore-<unix seconds>` (never
    /// deleted). The copy is written to a temporary file beside `target`, synced and renamed, so
    /// `target` is never half-written. Nothing may have `target` open meanwhile.
    pub async fn restore_from(backup: &Path, target: &Path, force: bool) -> Result<Restored> {
        if !exists(backup)? {
            return Err(Error::Io {
                path: backup.to_owned(),
                source: io::Error::new(io::ErrorKind::NotFound, "no such backup file"),
            });
        }
        // Only the main file is copied; changes still in a WAL beside it would be lost.
        let wal = sidecar(backup, "-wal");
        if fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Err(Error::NotAStore {
                path: backup.to_owned(),
                reason: format!(
                    "it is a live store with changes in {}; back it up with `marketdesk backup` \
                     and restore that",
                    wal.display()
                ),
            });
        }
        let summary = inspect(backup).await?;
        let supported = SQLITE_MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
        if summary.schema_version > supported {
            return Err(Error::NewerSchema {
                path: backup.to_owned(),
                found: summary.schema_version,
                supported,
            });
        }

        let present: Vec<PathBuf> =
            [target.to_owned(), sidecar(target, "-wal"), sidecar(target, "-shm")]
                .into_iter()
                .filter(|p| p.symlink_metadata().is_ok())
                .collect();
        let kept = if present.is_empty() {
            None
        } else if !force {
            return Err(Error::Exists { path: target.to_owned() });
        } else {
            if same_file(backup, target) {
                return Err(Error::Unsupported(format!(
                    "{} is the store being replaced; restore from a copy elsewhere",
                    backup.display()
                )));
            }
            Some(move_aside(target, &present)?)
        };

        copy_atomically(backup, target)?;
        let store = Store::open_sqlite(target).await?;
        let schema_version = store.schema_version().await?;
        Ok(Restored { store, backup: summary, schema_version, kept })
    }
}

/// Opens a store file read-only and reports its schema version and table sizes, after
/// `PRAGMA integrity_check` says "ok".
async fn inspect(path: &Path) -> Result<BackupSummary> {
    let unreadable = |source| Error::Unreadable { path: path.to_owned(), source };
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(unreadable)?;
    let summary = inspect_open(&mut conn, path).await;
    // The connection only read; a failure to close it changes nothing worth reporting.
    let _ = conn.close().await;
    summary
}

async fn inspect_open(conn: &mut SqliteConnection, path: &Path) -> Result<BackupSummary> {
    let unreadable = |source| Error::Unreadable { path: path.to_owned(), source };
    let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(unreadable)?;
    if report.len() != 1 || report[0] != "ok" {
        return Err(Error::Integrity { path: path.to_owned(), report: report.join("; ") });
    }
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(unreadable)?;
    if !names.iter().any(|n| n == "_sqlx_migrations") {
        return Err(Error::NotAStore {
            path: path.to_owned(),
            reason: "it has no _sqlx_migrations table".to_owned(),
        });
    }
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await
            .map_err(unreadable)?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        // Names come from sqlite_master, quoted as identifiers; nothing here is user input.
        let sql = format!("SELECT COUNT(*) FROM \"{}\"", name.replace('"', "\"\""));
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await
            .map_err(unreadable)?;
        tables.push((name, rows));
    }
    Ok(BackupSummary { path: path.to_owned(), schema_version: version.unwrap_or(0), tables })
}

fn exists(path: &Path) -> Result<bool> {
    // symlink_metadata: a dangling symlink is still something we would overwrite.
    match path.symlink_metadata() {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::Io { path: path.to_owned(), source }),
    }
}

/// `FILE-wal`, `FILE-shm`: SQLite's files beside a database.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// Moves `target` and its sidecars to `TARGET.before-restore-<secs>` (sidecars keep their
/// suffix, so SQLite still pairs the kept file with its WAL); returns the kept main file's path.
fn move_aside(target: &Path, present: &[PathBuf]) -> Result<PathBuf> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let kept = sidecar(target, &format!(".before-restore-{secs}"));
    let moves: Vec<(PathBuf, PathBuf)> = ["", "-wal", "-shm"]
        .into_iter()
        .map(|suffix| (sidecar(target, suffix), sidecar(&kept, suffix)))
        .filter(|(from, _)| present.contains(from))
        .collect();
    // Check every destination first so a clash cannot leave the files half moved.
    for (_, to) in &moves {
        if exists(to)? {
            return Err(Error::Exists { path: to.clone() });
        }
    }
    for (from, to) in &moves {
        fs::rename(from, to).map_err(|source| Error::Io { path: from.clone(), source })?;
    }
    Ok(kept)
}

/// Copies `from` to `to` through a synced temporary file in `to`'s directory and a rename, so a
/// crash leaves either no `to` or a complete one.
fn copy_atomically(from: &Path, to: &Path) -> Result<()> {
    let dir = match to.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let temp = dir.join(format!(".{file_name}.restore-{}-{nanos}.tmp", std::process::id()));
    let io_err = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let written = (|| {
        let mut src = File::open(from).map_err(io_err(from))?;
        let mut out =
            File::options().write(true).create_new(true).open(&temp).map_err(io_err(&temp))?;
        io::copy(&mut src, &mut out).map_err(io_err(&temp))?;
        out.sync_all().map_err(io_err(&temp))?;
        fs::rename(&temp, to).map_err(io_err(to))
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
        return written;
    }
    // The rename is durable only once the directory entry is on disk (Unix; elsewhere a no-op).
    #[cfg(unix)]
    File::open(&dir).and_then(|d| d.sync_all()).map_err(io_err(&dir))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;

    async fn file_store(dir: &Path) -> Store {
        Store::open_sqlite(&dir.join("live.db")).await.expect("open store")
    }

    async fn add_errors(store: &Store, prefix: &str, n: usize) {
        for i in 0..n {
            store
                .record_ingest_error(&format!("{prefix}{i}"), None, "test", Timestamp::UNIX_EPOCH)
                .await
                .expect("insert");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn backup_of_a_store_in_use_is_consistent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = file_store(dir.path()).await;
        add_errors(&store, "before-", 50).await;
        let writer = {
            let store = store.clone();
            tokio::spawn(async move { add_errors(&store, "during-", 400).await })
        };
        let path = dir.path().join("copy.db");
        let summary = store.backup_to(&path).await.expect("backup");
        writer.await.expect("writer task");

        let rows = summary.count("ingest_errors").expect("ingest_errors counted");
        assert!((50..=450).contains(&rows), "{rows} rows");
        assert_eq!(summary.schema_version, store.schema_version().await.expect("version"));
        let names: Vec<&str> = summary.tables.iter().map(|(n, _)| n.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        for table in ["filings", "articles", "subscribers", "comments", "_sqlx_migrations"] {
            assert!(names.contains(&table), "{table} missing from {names:?}");
        }
        // The copy is a snapshot: rows written after it are not in it, and it reads the same.
        assert_eq!(inspect(&path).await.expect("reinspect"), summary);
        assert_eq!(store.ingest_errors().await.expect("errors").len(), 450);
        store.close().await;
    }

    #[tokio::test]
    async fn backup_refuses_an_existing_target() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = file_store(dir.path()).await;
        let path = dir.path().join("taken.db");
        fs::write(&path, b"precious").expect("write");
        let err = store.backup_to(&path).await.expect_err("must refuse");
        assert!(matches!(err, Error::Exists { .. }), "{err:?}");
        assert!(err.to_string().contains("taken.db"), "{err}");
        assert_eq!(fs::read(&path).expect("read"), b"precious");
        store.close().await;
    }

    #[tokio::test]
    async fn restore_refuses_an_existing_target_unless_forced_and_keeps_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = file_store(dir.path()).await;
        add_errors(&store, "kept-", 3).await;
        let backup = dir.path().join("b.db");
        store.backup_to(&backup).await.expect("backup");
        store.close().await;

        let target = dir.path().join("target.db");
        fs::write(&target, b"the old store").expect("write");
        fs::write(sidecar(&target, "-wal"), b"old wal").expect("write");
        let err = Store::restore_from(&backup, &target, false).await.expect_err("must refuse");
        assert!(matches!(err, Error::Exists { .. }), "{err:?}");
        assert!(err.to_string().contains("target.db"), "{err}");
        assert_eq!(fs::read(&target).expect("read"), b"the old store");

        let restored = Store::restore_from(&backup, &target, true).await.expect("restore");
        let kept = restored.kept.clone().expect("old store kept");
        assert!(kept.to_string_lossy().contains("target.db.before-restore-"), "{kept:?}");
        assert_eq!(fs::read(&kept).expect("read kept"), b"the old store");
        assert_eq!(fs::read(sidecar(&kept, "-wal")).expect("kept wal"), b"old wal");
        assert_eq!(restored.store.ingest_errors().await.expect("errors").len(), 3);
        assert_eq!(restored.backup.count("ingest_errors"), Some(3));
        restored.store.close().await;
        // No temporary file is left behind.
        let strays: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(strays.is_empty(), "{strays:?}");
    }

    #[tokio::test]
    async fn restore_into_a_new_path_and_from_a_closed_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = file_store(dir.path()).await;
        add_errors(&store, "x", 2).await;
        store.close().await;
        // A closed store file (WAL checkpointed away) restores like a backup.
        let target = dir.path().join("new.db");
        let restored = Store::restore_from(&dir.path().join("live.db"), &target, false)
            .await
            .expect("restore");
        assert!(restored.kept.is_none());
        assert_eq!(restored.store.ingest_errors().await.expect("errors").len(), 2);
        restored.store.close().await;
    }

    #[tokio::test]
    async fn a_corrupt_or_foreign_file_is_refused_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("target.db");

        let junk = dir.path().join("junk.db");
        fs::write(&junk, vec![b'x'; 8192]).expect("write");
        let err = Store::restore_from(&junk, &target, false).await.expect_err("junk");
        assert!(err.to_string().contains("junk.db"), "{err}");

        // A real SQLite file with its pages damaged.
        let store = file_store(dir.path()).await;
        add_errors(&store, "row-", 500).await;
        let good = dir.path().join("good.db");
        store.backup_to(&good).await.expect("backup");
        store.close().await;
        let mut bytes = fs::read(&good).expect("read");
        let page = 4096;
        assert!(bytes.len() > 3 * page, "{} bytes", bytes.len());
        for b in &mut bytes[page + 100..3 * page] {
            *b = 0x5a;
        }
        let damaged = dir.path().join("damaged.db");
        fs::write(&damaged, &bytes).expect("write");
        let err = Store::restore_from(&damaged, &target, false).await.expect_err("damaged");
        assert!(matches!(err, Error::Integrity { .. } | Error::Unreadable { .. }), "{err:?}");
        assert!(err.to_string().contains("damaged.db"), "{err}");

        // SQLite, but not a marketdesk store.
        let other = dir.path().join("other.db");
        let mut conn = SqliteConnectOptions::new()
            .filename(&other)
            .create_if_missing(true)
            .connect()
            .await
            .expect("create");
        sqlx::query("CREATE TABLE t (x)").execute(&mut conn).await.expect("create table");
        conn.close().await.expect("close");
        let err = Store::restore_from(&other, &target, false).await.expect_err("foreign");
        assert!(matches!(err, Error::NotAStore { .. }), "{err:?}");
        assert!(err.to_string().contains("other.db"), "{err}");

        assert!(!target.exists(), "nothing restored");
    }

    #[tokio::test]
    async fn a_backup_from_a_newer_marketdesk_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = file_store(dir.path()).await;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES (999999, 'from the future', TRUE, x'00', 0)",
        )
        .execute(&store.pool)
        .await
        .expect("fake migration");
        let backup = dir.path().join("future.db");
        store.backup_to(&backup).await.expect("backup");
        store.close().await;
        let err =
            Store::restore_from(&backup, &dir.path().join("t.db"), false).await.expect_err("newer");
        assert!(matches!(err, Error::NewerSchema { found: 999_999, .. }), "{err:?}");
        assert!(err.to_string().contains("newer marketdesk"), "{err}");
    }
}
