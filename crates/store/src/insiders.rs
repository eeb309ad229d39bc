//! Insider trades for the desks: the non-derivative rows of filings in force (amended filings
//! are replaced by their amendments), with everyone who filed them.

use std::{collections::HashMap, sync::Arc};

use futures_util::TryStreamExt;
use jiff::civil::Date;
use marketdesk_core::{Cik, ReportingOwner};
use sqlx::Row;

use crate::{Error, Result, Store};

/// What every trade of one filing shares.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeFiling {
    /// The filing.
    pub accession: String,
    /// The issuer.
    pub issuer_cik: Cik,
    /// The issuer's symbol as filed.
    pub issuer_ticker: Option<String>,
    /// The issuer's name.
    pub issuer_name: Option<String>,
    /// The filing's Rule 10b5-1 checkbox.
    pub aff10b5one: bool,
    /// Everyone on the filing, first reporting owner first.
    pub owners: Vec<ReportingOwner>,
}

/// One non-derivative transaction row of a filing in force.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeRow {
    /// The filing, shared by its rows.
    pub filing: Arc<TradeFiling>,
    /// Trade date.
    pub date: Date,
    /// Transaction code.
    pub code: String,
    /// Shares.
    pub shares: f64,
    /// Price per share.
    pub price: Option<f64>,
    /// Shares owned after.
    pub owned_after: Option<f64>,
    /// A footnote on the row cites Rule 10b5-1.
    pub footnote_cites_10b5_1: bool,
}

impl TradeRow {
    /// Under a Rule 10b5-1 plan: the filing's checkbox, or a footnote on the row.
    pub fn plan_10b5_1(&self) -> bool {
        self.filing.aff10b5one || self.footnote_cites_10b5_1
    }
}

fn cik(table: &'static str, column: &'static str, s: String) -> Result<Cik> {
    Cik::parse(&s).map_err(|_| Error::Corrupt { table, column, value: s })
}

impl Store {
    /// Dated non-derivative trades with shares, from `since` (inclusive) and for one issuer when
    /// given, oldest first. Each filing is read once and shared by its rows.
    pub async fn insider_trades(
        &self,
        since: Option<Date>,
        issuer: Option<Cik>,
    ) -> Result<Vec<TradeRow>> {
        self.trades(since, issuer, true).await
    }

    /// [`Store::insider_trades`] of the codes the insider desk reads: open-market purchases (P)
    /// and sales (S), a fraction of all rows.
    pub async fn open_market_trades(
        &self,
        since: Option<Date>,
        issuer: Option<Cik>,
    ) -> Result<Vec<TradeRow>> {
        self.trades(since, issuer, false).await
    }

    async fn trades(
        &self,
        since: Option<Date>,
        issuer: Option<Cik>,
        every_code: bool,
    ) -> Result<Vec<TradeRow>> {
        let since = since.map(|d| d.to_string());
        let issuer = issuer.map(|c| c.to_string());
        // The desks read hundreds of thousands of rows here: a SQLite file is read through its
        // native driver, whose rows cost half what `Any` rows do.
        match &self.native {
            Some(pool) => read_trades(pool, since, issuer, every_code).await,
            None => read_trades(&self.pool, since, issuer, every_code).await,
        }
    }

    /// Every listed company's main ticker, by CIK.
    pub async fn main_tickers(&self) -> Result<HashMap<Cik, String>> {
        let rows =
            sqlx::query("SELECT cik, main_ticker FROM companies WHERE main_ticker IS NOT NULL")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok((cik("companies", "cik", r.try_get(0)?)?, r.try_get(1)?))).collect()
    }
}

/// Filings in force that have a row [`TRADES`] reads, with their reporting owners: one row per
/// owner (none: one row of NULLs).
const FILINGS_AND_OWNERS: &str = "\
    SELECT f.accession, f.issuer_cik, f.issuer_ticker, f.issuer_name, \
           CAST(COALESCE(f.aff10b5one, FALSE) AS INTEGER), o.position, o.owner_cik, o.name, \
           CAST(o.is_director AS INTEGER), CAST(o.is_officer AS INTEGER), \
           CAST(o.is_ten_percent_owner AS INTEGER), CAST(o.is_other AS INTEGER), \
           o.officer_title, o.other_text \
    FROM filings f LEFT JOIN reporting_owners o ON o.accession = f.accession \
    WHERE f.superseded_by IS NULL AND ($1 IS NULL OR f.issuer_cik = $1) \
      AND EXISTS (SELECT 1 FROM transactions t WHERE t.accession = f.accession \
        AND NOT t.is_derivative AND t.transaction_date IS NOT NULL \
        AND t.transaction_code IS NOT NULL AND t.shares IS NOT NULL \
        AND ($2 IS NULL OR t.transaction_date >= $2) \
        AND ($3 OR t.transaction_code IN ('P', 'S')))";

/// Dated non-derivative rows with shares of filings in force (sorted by the reader: a database
/// sort of half a million rows costs more).
const TRADES: &str = "\
    SELECT t.accession, t.transaction_date, t.transaction_code, t.shares, \
           t.price_per_share, t.shares_owned_following, \
           CAST(t.footnote_cites_10b5_1 AS INTEGER), t.position \
    FROM transactions t JOIN filings f ON f.accession = t.accession \
    WHERE f.superseded_by IS NULL AND NOT t.is_derivative \
      AND t.transaction_date IS NOT NULL AND t.transaction_code IS NOT NULL \
      AND t.shares IS NOT NULL \
      AND ($1 IS NULL OR t.transaction_date >= $1) \
      AND ($2 IS NULL OR t.issuer_cik = $2) \
      AND ($3 OR t.transaction_code IN ('P', 'S'))";

/// [`Store::insider_trades`] over either driver's pool. Rows are streamed: each is turned into
/// a trade while the database reads the next.
async fn read_trades<DB>(
    pool: &sqlx::Pool<DB>,
    since: Option<String>,
    issuer: Option<String>,
    every_code: bool,
) -> Result<Vec<TradeRow>>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> &'r str: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> f64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
    DB::Arguments: sqlx::IntoArguments<DB>,
{
    // Each filing with its owners' positions on it.
    let mut by_accession: HashMap<String, (TradeFiling, Vec<i64>)> = HashMap::new();
    let mut rows = sqlx::query::<DB>(FILINGS_AND_OWNERS)
        .bind(issuer.clone())
        .bind(since.clone())
        .bind(every_code)
        .fetch(pool);
    while let Some(r) = rows.try_next().await? {
        let accession: &str = r.try_get(0)?;
        if !by_accession.contains_key(accession) {
            let filing = TradeFiling {
                accession: accession.to_owned(),
                issuer_cik: cik("filings", "issuer_cik", r.try_get(1)?)?,
                issuer_ticker: r.try_get(2)?,
                issuer_name: r.try_get(3)?,
                aff10b5one: r.try_get::<i64, _>(4)? != 0,
                owners: Vec::new(),
            };
            by_accession.insert(accession.to_owned(), (filing, Vec::new()));
        }
        let Some(position) = r.try_get::<Option<i64>, _>(5)? else { continue };
        let owner = ReportingOwner {
            cik: cik("reporting_owners", "owner_cik", r.try_get(6)?)?,
            name: r.try_get(7)?,
            is_director: r.try_get::<i64, _>(8)? != 0,
            is_officer: r.try_get::<i64, _>(9)? != 0,
            is_ten_percent_owner: r.try_get::<i64, _>(10)? != 0,
            is_other: r.try_get::<i64, _>(11)? != 0,
            officer_title: r.try_get(12)?,
            other_text: r.try_get(13)?,
        };
        if let Some((f, positions)) = by_accession.get_mut(accession) {
            f.owners.push(owner);
            positions.push(position);
        }
    }
    drop(rows);
    let shared: HashMap<String, Arc<TradeFiling>> = by_accession
        .into_iter()
        .map(|(accession, (mut f, positions))| {
            // Owners in filing order, the first reporting owner first.
            if positions.windows(2).any(|w| w[0] > w[1]) {
                let mut owners: Vec<(i64, ReportingOwner)> =
                    positions.into_iter().zip(std::mem::take(&mut f.owners)).collect();
                owners.sort_by_key(|(p, _)| *p);
                f.owners = owners.into_iter().map(|(_, o)| o).collect();
            }
            (accession, Arc::new(f))
        })
        .collect();
    let mut rows = sqlx::query::<DB>(TRADES).bind(since).bind(issuer).bind(every_code).fetch(pool);
    let mut out = Vec::new();
    while let Some(r) = rows.try_next().await? {
        let accession: &str = r.try_get(0)?;
        let Some(filing) = shared.get(accession) else { continue };
        let day: String = r.try_get(1)?;
        let position: i64 = r.try_get(7)?;
        out.push((
            position,
            TradeRow {
                filing: Arc::clone(filing),
                date: day.parse().map_err(|_| Error::Corrupt {
                    table: "transactions",
                    column: "transaction_date",
                    value: day.clone(),
                })?,
                code: r.try_get(2)?,
                shares: r.try_get(3)?,
                price: r.try_get(4)?,
                owned_after: r.try_get(5)?,
                footnote_cites_10b5_1: r.try_get::<i64, _>(6)? != 0,
            },
        ));
    }
    // Oldest first; within a day in filing order.
    out.sort_unstable_by(|(p, a), (q, b)| {
        (a.date, a.filing.accession.as_str(), p).cmp(&(b.date, b.filing.accession.as_str(), q))
    });
    Ok(out.into_iter().map(|(_, t)| t).collect())
}
