//! `backup` and `restore` end to end: the demo store copied out, restored into another location,
//! and read back the same.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{marketdesk, stderr, stdout};

fn run(db: &Path, args: &[&str]) -> String {
    succeed(marketdesk(db), args)
}

/// Runs `command` with `args`, which must fail with exit status 2; its stderr.
fn refused(mut command: std::process::Command, args: &[&str]) -> String {
    let out = command.args(args).output().expect("run marketdesk");
    assert_eq!(out.status.code(), Some(2), "marketdesk {args:?}: {}", stdout(&out));
    stderr(&out)
}

/// Runs `command` with `args`, which must succeed; its output.
fn succeed(mut command: std::process::Command, args: &[&str]) -> String {
    let out = command.args(args).output().expect("run marketdesk");
    assert!(out.status.success(), "marketdesk {args:?} failed: {}", stderr(&out));
    stdout(&out)
}

/// Every article of `command`'s store, as `articles --json` lists them.
fn articles(command: std::process::Command) -> Vec<Value> {
    succeed(command, &["articles", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

#[test]
fn backup_then_restore_gives_the_same_articles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    run(&db, &["demo", "--no-serve"]);
    let original = articles(marketdesk(&db));
    assert!(!original.is_empty(), "the demo writes articles");

    let backup = dir.path().join("md-backup.db");
    let backup_arg = backup.to_str().expect("utf-8 path");
    let report: Value =
        serde_json::from_str(&run(&db, &["backup", backup_arg, "--json"])).expect("backup json");
    assert_eq!(report["path"], backup_arg);
    assert!(report["schema_version"].as_i64().is_some_and(|v| v > 0), "{report}");
    let articles_rows = report["tables"]["articles"].as_i64().expect("articles counted");
    assert_eq!(articles_rows, i64::try_from(original.len()).expect("count"));
    assert!(report["tables"]["filings"].as_i64().is_some_and(|n| n > 0), "{report}");

    // Restore over an existing store: refused without --force, kept aside with it.
    let other = dir.path().join("other.db");
    run(&other, &["ingest", "errors"]);
    assert!(other.exists());
    let err = refused(marketdesk(&other), &["restore", backup_arg]);
    assert!(err.contains("--force"), "{err}");

    let said = run(&other, &["restore", backup_arg, "--force"]);
    assert!(said.contains("restored"), "{said}");
    assert!(said.contains("before-restore-"), "{said}");
    let kept = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("other.db.before-restore-"));
    assert!(kept, "the replaced store is kept");

    assert_eq!(articles(marketdesk(&other)), original);
}

#[test]
fn backup_to_an_existing_path_fails_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    run(&db, &["ingest", "errors"]);
    let taken = dir.path().join("taken.db");
    std::fs::write(&taken, b"keep me").expect("write");
    let err = refused(marketdesk(&db), &["backup", taken.to_str().expect("utf-8 path")]);
    assert!(err.contains("taken.db"), "{err}");
    assert_eq!(std::fs::read(&taken).expect("read"), b"keep me");
}

#[test]
fn postgres_stores_get_pg_dump_guidance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut backup = marketdesk(&dir.path().join("unused.db"));
    backup.env("MARKETDESK_DB", "postgres://db.example/marketdesk");
    let err = refused(backup, &["backup", "out.dump"]);
    assert!(err.contains("pg_dump --format=custom"), "{err}");
    assert!(err.contains("pg_restore --clean --if-exists"), "{err}");
    assert!(!err.contains("pool_max_conns"), "{err}");
    let mut pooled = marketdesk(&dir.path().join("unused.db"));
    pooled.env("MARKETDESK_DB", "postgres://db.example/marketdesk?pool_max_conns=20");
    let err = refused(pooled, &["restore", "out.dump"]);
    assert!(err.contains("pool_max_conns taken out"), "{err}");
}

#[test]
fn migrate_copies_the_demo_store_to_postgres_verified_by_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    run(&db, &["demo", "--no-serve"]);
    let original = articles(marketdesk(&db));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let postgres = runtime.block_on(marketdesk_store::testing::postgres_location());
    let from = format!("sqlite:{}", db.display());

    let report: Value =
        serde_json::from_str(&run(&db, &["migrate", "--from", &from, "--to", &postgres, "--json"]))
            .expect("migrate json");
    let tables = report["tables"].as_object().expect("tables");
    for (name, t) in tables {
        assert_eq!(t["source"], t["target"], "{name}: {t}");
    }
    let rows: i64 = tables.values().map(|t| t["target"].as_i64().expect("count")).sum();
    assert_eq!(report["rows"], rows);
    assert!(tables["filings"]["target"].as_i64().is_some_and(|n| n > 0), "{report}");
    assert!(tables["search_index"]["target"].as_i64().is_some_and(|n| n > 0), "{report}");

    // The copy serves the same articles, searched through PostgreSQL.
    assert_eq!(articles(support::marketdesk_at(dir.path(), &postgres)), original);

    // Again into the same database: refused, nothing changed.
    let err = refused(marketdesk(&db), &["migrate", "--from", &from, "--to", &postgres]);
    assert!(err.contains("not empty"), "{err}");
}

#[test]
fn migrate_errors_name_the_database_without_its_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    run(&db, &["ingest", "errors"]);
    let to = "postgres://md:s3cret@127.0.0.1:1/marketdesk";
    let err =
        refused(marketdesk(&db), &["migrate", "--from", db.to_str().expect("utf-8"), "--to", to]);
    assert!(err.contains("postgres://md:***@127.0.0.1:1/marketdesk"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}
