//! `marketdesk backup` and `marketdesk restore`: the store's online copy and its way back.

use std::{path::Path, process::ExitCode};

use anyhow::Context;
use marketdesk_store::{Error as StoreError, Store, is_postgres};

use crate::PARTIAL_FAILURE;

/// The tables named first in the summary line: what an operator checks a backup by.
const KEY_TABLES: [&str; 4] = ["filings", "articles", "subscribers", "comments"];

/// PostgreSQL has its own tools for this; the store does not speak it yet, so say which.
fn postgres_guidance(command: &str) -> ExitCode {
    eprintln!(
        "marketdesk: `{command}` copies SQLite stores only; for PostgreSQL use its own tools:\n  \
         back up:  pg_dump --format=custom --file PATH \"$MARKETDESK_DB\"\n  \
         restore:  pg_restore --clean --if-exists --dbname \"$MARKETDESK_DB\" PATH"
    );
    ExitCode::from(PARTIAL_FAILURE)
}

/// `marketdesk backup PATH [--json]`.
pub(crate) async fn backup(location: &str, path: &Path, json: bool) -> anyhow::Result<ExitCode> {
    if is_postgres(location) {
        return Ok(postgres_guidance("backup"));
    }
    // A backup of a store that is not there would only create an empty one.
    let store = Store::open_if_exists(location)
        .await
        .with_context(|| format!("opening the store at {location}"))?
        .with_context(|| {
            format!("no store at {location} to back up (set --db or MARKETDESK_DB)")
        })?;
    let summary = store.backup_to(path).await;
    store.close().await;
    let summary =
        summary.with_context(|| format!("backing up {location} to {}", path.display()))?;
    if json {
        let tables: serde_json::Map<String, serde_json::Value> =
            summary.tables.iter().map(|(name, rows)| (name.clone(), (*rows).into())).collect();
        let out = serde_json::json!({
            "path": summary.path.display().to_string(),
            "schema_version": summary.schema_version,
            "tables": tables,
        });
        say!("{out}");
    } else {
        let key: Vec<String> = KEY_TABLES
            .iter()
            .filter_map(|t| summary.count(t).map(|n| format!("{t} {n}")))
            .collect();
        say!(
            "backed up {location} to {}: {} tables, schema version {}, {} rows in all ({})",
            path.display(),
            summary.tables.len(),
            summary.schema_version,
            summary.rows(),
            key.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `marketdesk restore PATH [--force]`.
pub(crate) async fn restore(location: &str, path: &Path, force: bool) -> anyhow::Result<ExitCode> {
    if is_postgres(location) {
        return Ok(postgres_guidance("restore"));
    }
    let target = marketdesk_store::sqlite_path(location)?;
    let restored = match Store::restore_from(path, target, force).await {
        Ok(r) => r,
        Err(e @ StoreError::Exists { .. }) if !force => {
            return Err(anyhow::Error::new(e).context(format!(
                "restoring {} into {location}: pass --force to replace the store (it is kept \
                 beside it as {location}.before-restore-<time>)",
                path.display()
            )));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("restoring {} into {location}", path.display())));
        }
    };
    restored.store.close().await;
    let migrated = if restored.schema_version > restored.backup.schema_version {
        format!(", migrated from {}", restored.backup.schema_version)
    } else {
        String::new()
    };
    say!(
        "restored {} into {location}: schema version {}{migrated}, {} rows in all",
        path.display(),
        restored.schema_version,
        restored.backup.rows()
    );
    if let Some(kept) = &restored.kept {
        say!("the previous store is kept at {}", kept.display());
    }
    Ok(ExitCode::SUCCESS)
}
