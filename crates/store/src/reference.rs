//! The company reference list: replaced whole on each load, read by ticker or CIK.

use jiff::Timestamp;
use marketdesk_core::Cik;
use sqlx::{Row, any::AnyRow};

use crate::{Error, Result, Store, sql::Statement, sql::flag};

/// One company of the reference list, as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CompanyRecord {
    /// The SEC's key.
    pub cik: Cik,
    /// The SEC's conformed name.
    pub name: String,
    /// The main common ticker on NYSE, Nasdaq or Cboe; `None` when OTC-only or unlisted.
    pub main_ticker: Option<String>,
    /// Rank by market value in the SEC's list, 0 = largest.
    pub size_rank: Option<u32>,
    /// An ETF, ETN, fund, trust or index product.
    pub exchange_traded_product: bool,
    /// Every symbol of the company, the main one included, in list order.
    pub securities: Vec<SecurityRecord>,
}

/// One symbol of a company.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SecurityRecord {
    /// As the SEC writes it ("BRK-B").
    pub ticker: String,
    /// `nyse`, `nasdaq`, `cboe`, `otc` or `unlisted`.
    pub exchange: String,
    /// `common`, `class`, `unit`, `warrant`, `right`, `preferred`, ...
    pub kind: String,
}

/// The latest reference load.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReferenceLoad {
    /// File or URL.
    pub source: String,
    /// Companies loaded.
    pub companies: i64,
    /// When (RFC 3339).
    pub loaded_at: String,
}

/// The SEC documents a reference list was built from, kept so every process builds the same
/// linker from the same list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceDocuments {
    /// `company_tickers_exchange.json`.
    pub exchange_list: Vec<u8>,
    /// `company_tickers.json` (ordered by market value), when it was loaded.
    pub size_order: Option<Vec<u8>>,
}

fn company(r: &AnyRow) -> Result<CompanyRecord> {
    let cik: String = r.try_get(0)?;
    let rank: Option<i64> = r.try_get(3)?;
    Ok(CompanyRecord {
        cik: Cik::parse(&cik).map_err(|_| Error::Corrupt {
            table: "companies",
            column: "cik",
            value: cik.clone(),
        })?,
        name: r.try_get(1)?,
        main_ticker: r.try_get(2)?,
        size_rank: rank.and_then(|r| u32::try_from(r).ok()),
        exchange_traded_product: flag(r, 4)?,
        securities: Vec::new(),
    })
}

const COMPANY_COLUMNS: &str = "SELECT c.cik, c.name, c.main_ticker, c.size_rank, \
     CAST(c.exchange_traded_product AS INTEGER) FROM companies c";

impl Store {
    /// Replaces the whole reference list in one transaction, so readers never see half a list.
    pub async fn replace_reference(
        &self,
        companies: &[CompanyRecord],
        documents: &ReferenceDocuments,
        source: &str,
        now: Timestamp,
    ) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM securities").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM companies").execute(&mut *tx).await?;
        for chunk in companies.chunks(5_000) {
            let mut qb = Statement::new(
                self.backend,
                "INSERT INTO companies (cik, name, main_ticker, size_rank, exchange_traded_product) ",
            );
            qb.values(chunk, |b, c| {
                b.bind(c.cik.to_string())
                    .bind(c.name.as_str())
                    .bind(c.main_ticker.as_deref())
                    .bind(c.size_rank.map(i64::from))
                    .bind(c.exchange_traded_product);
            });
            qb.query()?.execute(&mut *tx).await?;
        }
        let securities: Vec<(String, i64, &SecurityRecord)> = companies
            .iter()
            .flat_map(|c| {
                let cik = c.cik.to_string();
                c.securities.iter().zip(0..).map(move |(s, i)| (cik.clone(), i, s))
            })
            .collect();
        for chunk in securities.chunks(5_000) {
            let mut qb = Statement::new(
                self.backend,
                "INSERT INTO securities (ticker, cik, exchange, kind, position) ",
            );
            qb.values(chunk, |b, (cik, i, s)| {
                b.bind(s.ticker.as_str())
                    .bind(cik.as_str())
                    .bind(s.exchange.as_str())
                    .bind(s.kind.as_str())
                    .bind(*i);
            });
            qb.push(" ON CONFLICT DO NOTHING");
            qb.query()?.execute(&mut *tx).await?;
        }
        // Only the latest documents are needed; older loads keep their record, not their bytes.
        sqlx::query("UPDATE reference_loads SET exchange_list = $1, size_order = NULL")
            .bind(Vec::<u8>::new())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO reference_loads (source, companies, loaded_at, exchange_list, size_order) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(source)
        .bind(companies.len() as i64)
        .bind(now.to_string())
        .bind(documents.exchange_list.as_slice())
        .bind(documents.size_order.as_deref())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(companies.len() as u64)
    }

    /// The latest reference load, if any.
    pub async fn reference_load(&self) -> Result<Option<ReferenceLoad>> {
        let row = sqlx::query(
            "SELECT source, companies, loaded_at FROM reference_loads ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ReferenceLoad {
                source: r.try_get(0)?,
                companies: r.try_get(1)?,
                loaded_at: r.try_get(2)?,
            })
        })
        .transpose()
    }

    /// The documents of the latest reference load, if any.
    pub async fn reference_documents(&self) -> Result<Option<ReferenceDocuments>> {
        let row = sqlx::query(
            "SELECT exchange_list, size_order FROM reference_loads ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ReferenceDocuments { exchange_list: r.try_get(0)?, size_order: r.try_get(1)? })
        })
        .transpose()
    }

    /// The company that has `ticker` among its symbols (main or not).
    pub async fn company_by_ticker(&self, ticker: &str) -> Result<Option<CompanyRecord>> {
        let sql = format!(
            "{COMPANY_COLUMNS} JOIN securities s ON s.cik = c.cik WHERE s.ticker = $1 \
             ORDER BY c.main_ticker IS NULL, c.size_rank IS NULL, c.size_rank, c.cik LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ticker.to_ascii_uppercase())
            .fetch_optional(&self.pool)
            .await?;
        self.with_securities(row).await
    }

    /// The company with `cik`.
    pub async fn company_by_cik(&self, cik: Cik) -> Result<Option<CompanyRecord>> {
        let sql = format!("{COMPANY_COLUMNS} WHERE c.cik = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(cik.to_string())
            .fetch_optional(&self.pool)
            .await?;
        self.with_securities(row).await
    }

    async fn with_securities(&self, row: Option<AnyRow>) -> Result<Option<CompanyRecord>> {
        let Some(row) = row else { return Ok(None) };
        let mut c = company(&row)?;
        let rows = sqlx::query(
            "SELECT ticker, exchange, kind FROM securities WHERE cik = $1 ORDER BY position",
        )
        .bind(c.cik.to_string())
        .fetch_all(&self.pool)
        .await?;
        c.securities = rows
            .iter()
            .map(|r| {
                Ok(SecurityRecord {
                    ticker: r.try_get(0)?,
                    exchange: r.try_get(1)?,
                    kind: r.try_get(2)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Some(c))
    }
}
