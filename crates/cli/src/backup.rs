//! `marketdesk backup` and `marketdesk restore`: the store's online copy and its way back; and
//! `marketdesk migrate`, a whole store copied to another backend.

use std::{path::Path, process::ExitCode};

use anyhow::Context;
use marketdesk_store::{Error as StoreError, Store, is_postgres, redact};

use crate::PARTIAL_FAILURE;

/// The tables named first in the summary line: what an operator checks a backup by.
const KEY_TABLES: [&str; 4] = ["filings", "articles", "subscribers", "comments"];

/// PostgreSQL has its own tools for consistent copies of a live database: say which.
fn postgres_guidance(command: &str, location: &str) -> ExitCode {
    eprintln!(
        "marketdesk: `{command}` copies SQLite stores only; for PostgreSQL use its own tools:\n  \
         back up:  pg_dump --format=custom --file PATH \"$MARKETDESK_DB\"\n  \
         restore:  pg_restore --clean --if-exists --dbname \"$MARKETDESK_DB\" PATH"
    );
    if location.contains("pool_max_conns=") {
        eprintln!(
            "  with the URL's pool_max_conns taken out: it is marketdesk's, libpq refuses it"
        );
    }
    ExitCode::from(PARTIAL_FAILURE)
}

/// `marketdesk backup PATH [--json]`.
pub(crate) async fn backup(location: &str, path: &Path, json: bool) -> anyhow::Result<ExitCode> {
    if is_postgres(location) {
        return Ok(postgres_guidance("backup", location));
    }
    // A backup of a store that is not there would only create an empty one.
    let store = Store::open_if_exists(location).await?.with_context(|| {
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
        return Ok(postgres_guidance("restore", location));
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

/// `marketdesk migrate --from LOCATION --to LOCATION [--json]`: exits 0 only when every table
/// counts the same on both sides.
pub(crate) async fn migrate(from: &str, to: &str, json: bool) -> anyhow::Result<ExitCode> {
    let (from_shown, to_shown) = (redact(from), redact(to));
    let source = Store::open_if_exists(from)
        .await
        .with_context(|| format!("opening the store to copy, {from_shown}"))?
        .with_context(|| format!("no store at {from_shown} to copy"))?;
    let target =
        crate::open_store(to).await.with_context(|| format!("opening the target {to_shown}"))?;
    let copied = source
        .copy_into(&target)
        .await
        .with_context(|| format!("copying {from_shown} into {to_shown}"));
    source.close().await;
    target.close().await;
    let copied = copied?;
    let mismatches: Vec<String> = copied
        .mismatches()
        .map(|t| format!("{} ({} rows, copied {})", t.table, t.source, t.target))
        .collect();
    if json {
        let tables: serde_json::Map<String, serde_json::Value> = copied
            .tables
            .iter()
            .map(|t| {
                (t.table.to_owned(), serde_json::json!({"source": t.source, "target": t.target}))
            })
            .collect();
        let out = serde_json::json!({
            "from": from_shown, "to": to_shown, "rows": copied.rows(), "tables": tables,
        });
        say!("{out}");
    } else {
        say!(
            "copied {from_shown} into {to_shown}: {} tables, {} rows{}",
            copied.tables.len(),
            copied.rows(),
            if mismatches.is_empty() { "; every table counts the same on both sides" } else { "" }
        );
    }
    if mismatches.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("marketdesk: counts differ after the copy: {}", mismatches.join(", "));
    Ok(ExitCode::from(PARTIAL_FAILURE))
}
