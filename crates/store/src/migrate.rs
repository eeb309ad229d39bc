//! Copying a whole store to another backend (SQLite to PostgreSQL when a publisher outgrows one
//! machine, or back), verified by counting every table on both sides.

use futures_util::TryStreamExt as _;
use sqlx::{
    AnyConnection, AssertSqlSafe, Row as _, ValueRef as _,
    any::{AnyRow, AnyTypeInfoKind},
};

use crate::{
    Backend, Error, Result, Store,
    sql::{Statement, Tuple},
};

/// Every table of the schema, parents before the tables that refer to them.
pub(crate) const TABLES: &[&str] = &[
    "filings",
    "reporting_owners",
    "transactions",
    "holdings",
    "footnotes",
    "signatures",
    "ingest_errors",
    "edgar_index_days",
    "daily_bars",
    "companies",
    "securities",
    "reference_loads",
    "cusips",
    "thirteen_f_reports",
    "thirteen_f_positions",
    "articles",
    "article_revisions",
    "article_tickers",
    "feeds",
    "feed_items",
    "search_index",
    "search_articles",
    "article_sectors",
    "comments",
    "comment_bans",
    "site_settings",
    "comment_notifications",
    "subscribers",
    "newsletter_confirmations",
    "newsletter_issues",
    "newsletter_sends",
    "newsletter_bounces",
    "key_dates",
    "leases",
    "admin_sessions",
    "rate_hits",
];

/// Tables keyed by a generated `id`, whose PostgreSQL sequence must move past the copied ids.
const IDENTITY_TABLES: &[&str] = &[
    "reference_loads",
    "comments",
    "comment_notifications",
    "subscribers",
    "newsletter_confirmations",
    "newsletter_issues",
    "newsletter_bounces",
];

/// Rows per `INSERT`, well under both engines' limits on parameters.
const ROWS_PER_INSERT: usize = 500;

/// One table's rows on each side after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    /// The table.
    pub table: &'static str,
    /// Rows in the store copied from.
    pub source: i64,
    /// Rows in the store copied into.
    pub target: i64,
}

/// What a copy moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// Every table, in copy order.
    pub tables: Vec<TableCount>,
}

impl Copied {
    /// Rows copied, over all tables.
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|t| t.target).sum()
    }

    /// The tables whose counts differ (none after a good copy).
    pub fn mismatches(&self) -> impl Iterator<Item = &TableCount> {
        self.tables.iter().filter(|t| t.source != t.target)
    }
}

impl Store {
    /// Copies every row of this store into `target`, which must be empty and at the same schema
    /// version, in one transaction on the target (a failed copy leaves it empty), then counts
    /// every table on both sides.
    pub async fn copy_into(&self, target: &Store) -> Result<Copied> {
        let (source_version, target_version) =
            (self.schema_version().await?, target.schema_version().await?);
        if source_version != target_version {
            return Err(Error::SchemaMismatch { source_version, target_version });
        }
        for &table in TABLES {
            let rows = target.count_rows(table).await?;
            if rows > 0 {
                return Err(Error::TargetNotEmpty { table, rows });
            }
        }
        // Every table read in one snapshot, so rows written meanwhile cannot leave a child
        // without its parent (SQLite's read transaction is one; PostgreSQL's needs asking).
        let mut reader = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *reader)
                .await?;
        }
        let mut tx = target.pool.begin().await?;
        for &table in TABLES {
            let source_columns = columns(&mut reader, self.backend, table).await?;
            let shared: Vec<(String, ColumnKind)> = columns(&mut tx, target.backend, table)
                .await?
                .into_iter()
                .filter(|(name, _)| source_columns.iter().any(|(n, _)| n == name))
                .collect();
            let names: Vec<&str> = shared.iter().map(|(name, _)| name.as_str()).collect();
            // SQLite's driver refuses to read a column declared BOOLEAN (see `sql::flag`).
            let reads: Vec<String> = shared
                .iter()
                .map(|(name, kind)| match kind {
                    ColumnKind::Bool => format!("CAST({name} AS INTEGER)"),
                    _ => name.clone(),
                })
                .collect();
            let kinds: Vec<ColumnKind> = shared.iter().map(|&(_, kind)| kind).collect();
            // In the order of the first column (which leads each key): a comment's parent, with
            // a smaller id, is inserted before it.
            let select = format!("SELECT {} FROM {table} ORDER BY 1", reads.join(", "));
            let head = format!("INSERT INTO {table} ({}) ", names.join(", "));
            let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(&mut *reader);
            let mut batch: Vec<AnyRow> = Vec::with_capacity(ROWS_PER_INSERT);
            while let Some(row) = rows.try_next().await? {
                batch.push(row);
                if batch.len() == ROWS_PER_INSERT {
                    insert(target.backend, &mut tx, &head, &kinds, &batch).await?;
                    batch.clear();
                }
            }
            if !batch.is_empty() {
                insert(target.backend, &mut tx, &head, &kinds, &batch).await?;
            }
        }
        if target.backend == Backend::Postgres {
            for table in IDENTITY_TABLES {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        reader.commit().await?;
        let mut tables = Vec::with_capacity(TABLES.len());
        for &table in TABLES {
            tables.push(TableCount {
                table,
                source: self.count_rows(table).await?,
                target: target.count_rows(table).await?,
            });
        }
        Ok(Copied { tables })
    }

    async fn count_rows(&self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        Ok(sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(&self.pool).await?)
    }

    /// The tables the schema holds (SQLite's FTS5 shadow tables left out), sorted.
    #[cfg(test)]
    pub(crate) async fn table_names(&self) -> Result<Vec<String>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' \
                 AND name NOT LIKE 'search_index_%' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name NOT LIKE '_sqlx%' ORDER BY 1"
            }
        };
        Ok(sqlx::query_scalar(sql).fetch_all(&self.pool).await?)
    }
}

/// What a column holds, by its declared type, so every value (a NULL too) is bound as its target
/// column expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Bool,
    Integer,
    Float,
    Blob,
    Text,
    /// No declared type (SQLite's FTS5 columns): bound as the value comes.
    Untyped,
}

impl ColumnKind {
    fn of(declared: &str) -> ColumnKind {
        let declared = declared.to_ascii_lowercase();
        match declared.as_str() {
            "" => ColumnKind::Untyped,
            "boolean" => ColumnKind::Bool,
            "integer" | "bigint" | "smallint" => ColumnKind::Integer,
            "double precision" | "real" => ColumnKind::Float,
            "blob" | "bytea" => ColumnKind::Blob,
            _ => ColumnKind::Text,
        }
    }
}

/// A table's stored columns in order, with their kinds (PostgreSQL's generated search vector
/// left out).
async fn columns(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
) -> Result<Vec<(String, ColumnKind)>> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 \
             AND is_generated = 'NEVER' ORDER BY ordinal_position"
        }
    };
    let rows: Vec<(String, String)> = sqlx::query_as(sql).bind(table).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(name, declared)| (name, ColumnKind::of(&declared))).collect())
}

/// Inserts copied rows.
async fn insert(
    backend: Backend,
    tx: &mut AnyConnection,
    head: &str,
    kinds: &[ColumnKind],
    rows: &[AnyRow],
) -> Result<()> {
    let mut error = None;
    let mut q = Statement::new(backend, head);
    q.values(rows, |b, row| {
        for (i, &kind) in kinds.iter().enumerate() {
            if let Err(e) = bind_value(b, row, i, kind) {
                error.get_or_insert(e);
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    q.query()?.execute(&mut *tx).await?;
    Ok(())
}

fn bind_value(b: &mut Tuple<'_>, row: &AnyRow, i: usize, kind: ColumnKind) -> Result<()> {
    let kind = match kind {
        ColumnKind::Untyped => match row.try_get_raw(i)?.type_info().kind() {
            AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
                ColumnKind::Integer
            }
            AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => ColumnKind::Float,
            AnyTypeInfoKind::Blob => ColumnKind::Blob,
            _ => ColumnKind::Text,
        },
        k => k,
    };
    match kind {
        ColumnKind::Bool => b.bind(row.try_get::<Option<i64>, _>(i)?.map(|f| f != 0)),
        ColumnKind::Integer => b.bind(row.try_get::<Option<i64>, _>(i)?),
        ColumnKind::Float => b.bind(row.try_get::<Option<f64>, _>(i)?),
        ColumnKind::Blob => b.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
        ColumnKind::Text | ColumnKind::Untyped => b.bind(row.try_get::<Option<String>, _>(i)?),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{BACKENDS, fresh_store};

    #[tokio::test]
    async fn the_copy_list_names_every_table_of_the_schema() {
        let mut listed: Vec<&str> = TABLES.to_vec();
        listed.sort_unstable();
        for backend in BACKENDS {
            let store = fresh_store(backend).await;
            assert_eq!(store.table_names().await.expect("tables"), listed, "{backend:?}");
        }
    }

    #[tokio::test]
    async fn both_backends_have_the_same_migrations_tables_and_columns() {
        let versions = |backend: Backend| -> Vec<(i64, String)> {
            backend.migrations().iter().map(|m| (m.version, m.description.to_string())).collect()
        };
        assert_eq!(versions(Backend::Sqlite), versions(Backend::Postgres));
        let (sqlite, postgres) =
            (fresh_store(Backend::Sqlite).await, fresh_store(Backend::Postgres).await);
        let mut a = sqlite.pool.acquire().await.expect("connection");
        let mut b = postgres.pool.acquire().await.expect("connection");
        for table in TABLES {
            let on_sqlite = columns(&mut a, Backend::Sqlite, table).await.expect("columns");
            let on_postgres = columns(&mut b, Backend::Postgres, table).await.expect("columns");
            // FTS5 columns have no declared type; everywhere else the kinds agree.
            let comparable = |cols: &[(String, ColumnKind)]| -> Vec<(String, Option<ColumnKind>)> {
                cols.iter()
                    .map(|(n, k)| (n.clone(), (*table != "search_index").then_some(*k)))
                    .collect()
            };
            assert_eq!(comparable(&on_sqlite), comparable(&on_postgres), "{table}");
        }
    }
}
