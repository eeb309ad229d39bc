//! Insider trades for the desks: the non-derivative rows of filings in force (amended filings
//! are replaced by their amendments), with everyone who filed them.

use std::{collections::HashMap, sync::Arc};

use futures_util::TryStreamExt;
use jiff::civil::Date;
use marketdesk_core::{Cik, ReportingOwner};
use sqlx::Row;

use crate::{Error, Result, Store, sql::flag};

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
        let issuer = issuer.map(|c| c.to_string());
        let filings = sqlx::query(
            "SELECT accession, issuer_cik, issuer_ticker, issuer_name, COALESCE(aff10b5one, FALSE) \
             FROM filings WHERE superseded_by IS NULL AND ($1 IS NULL OR issuer_cik = $1)",
        )
        .bind(issuer.as_deref())
        .fetch_all(&self.pool)
        .await?;
        let mut by_accession: HashMap<String, TradeFiling> = HashMap::with_capacity(filings.len());
        for r in &filings {
            let accession: String = r.try_get(0)?;
            by_accession.insert(
                accession.clone(),
                TradeFiling {
                    accession,
                    issuer_cik: cik("filings", "issuer_cik", r.try_get(1)?)?,
                    issuer_ticker: r.try_get(2)?,
                    issuer_name: r.try_get(3)?,
                    aff10b5one: flag(r, 4)?,
                    owners: Vec::new(),
                },
            );
        }
        let owners = sqlx::query(
            "SELECT o.accession, o.owner_cik, o.name, CAST(o.is_director AS INTEGER), \
                    CAST(o.is_officer AS INTEGER), CAST(o.is_ten_percent_owner AS INTEGER), \
                    CAST(o.is_other AS INTEGER), o.officer_title, o.other_text \
             FROM reporting_owners o JOIN filings f ON f.accession = o.accession \
             WHERE f.superseded_by IS NULL AND ($1 IS NULL OR f.issuer_cik = $1) \
             ORDER BY o.accession, o.position",
        )
        .bind(issuer.as_deref())
        .fetch_all(&self.pool)
        .await?;
        for r in &owners {
            let accession: String = r.try_get(0)?;
            if let Some(f) = by_accession.get_mut(&accession) {
                f.owners.push(ReportingOwner {
                    cik: cik("reporting_owners", "owner_cik", r.try_get(1)?)?,
                    name: r.try_get(2)?,
                    is_director: flag(r, 3)?,
                    is_officer: flag(r, 4)?,
                    is_ten_percent_owner: flag(r, 5)?,
                    is_other: flag(r, 6)?,
                    officer_title: r.try_get(7)?,
                    other_text: r.try_get(8)?,
                });
            }
        }
        let shared: HashMap<String, Arc<TradeFiling>> =
            by_accession.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        // Streamed: rows are turned into trades while SQLite reads the next ones.
        let mut rows = sqlx::query(
            "SELECT t.accession, t.transaction_date, t.transaction_code, t.shares, \
                    t.price_per_share, t.shares_owned_following, \
                    CAST(t.footnote_cites_10b5_1 AS INTEGER) \
             FROM transactions t JOIN filings f ON f.accession = t.accession \
             WHERE f.superseded_by IS NULL AND NOT t.is_derivative \
               AND t.transaction_date IS NOT NULL AND t.transaction_code IS NOT NULL \
               AND t.shares IS NOT NULL \
               AND ($1 IS NULL OR t.transaction_date >= $1) \
               AND ($2 IS NULL OR t.issuer_cik = $2) \
             ORDER BY t.transaction_date, t.accession, t.position",
        )
        .bind(since.map(|d| d.to_string()))
        .bind(issuer.as_deref())
        .fetch(&self.pool);
        let mut out = Vec::new();
        while let Some(r) = rows.try_next().await? {
            let r = &r;
            let accession: &str = r.try_get(0)?;
            let Some(filing) = shared.get(accession) else { continue };
            let day: String = r.try_get(1)?;
            out.push(TradeRow {
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
                footnote_cites_10b5_1: flag(r, 6)?,
            });
        }
        Ok(out)
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
