//! Insider trades for the desks: the non-derivative rows of filings in force (amended filings
//! are replaced by their amendments), with everyone who filed them.

use jiff::civil::Date;
use marketdesk_core::{Cik, ReportingOwner};
use sqlx::Row;

use crate::{Error, Result, Store};

/// One non-derivative transaction row of a filing in force.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeRow {
    /// The filing.
    pub accession: String,
    /// The issuer.
    pub issuer_cik: Cik,
    /// The issuer's symbol as filed.
    pub issuer_ticker: Option<String>,
    /// The issuer's name.
    pub issuer_name: Option<String>,
    /// Trade date.
    pub date: Date,
    /// Transaction code.
    pub code: String,
    /// Acquired (`A`) or disposed (`D`).
    pub acquired_disposed: Option<String>,
    /// Shares.
    pub shares: f64,
    /// Price per share.
    pub price: Option<f64>,
    /// Shares owned after.
    pub owned_after: Option<f64>,
    /// The filing's 10b5-1 checkbox, or a footnote on the row citing the rule.
    pub plan_10b5_1: bool,
    /// Everyone on the filing, first reporting owner first.
    pub owners: Vec<ReportingOwner>,
}

fn date(table: &'static str, s: String) -> Result<Date> {
    s.parse().map_err(|_| Error::Corrupt { table, column: "transaction_date", value: s })
}

impl Store {
    /// Dated non-derivative trades with shares, from `since` (inclusive) and for one issuer when
    /// given, oldest first.
    pub async fn insider_trades(
        &self,
        since: Option<Date>,
        issuer: Option<Cik>,
    ) -> Result<Vec<TradeRow>> {
        let rows = sqlx::query(
            "SELECT t.accession, t.issuer_cik, f.issuer_ticker, f.issuer_name, t.transaction_date, \
                    t.transaction_code, t.acquired_disposed, t.shares, t.price_per_share, \
                    t.shares_owned_following, \
                    (COALESCE(f.aff10b5one, FALSE) OR t.footnote_cites_10b5_1) \
             FROM transactions t JOIN filings f ON f.accession = t.accession \
             WHERE f.superseded_by IS NULL AND NOT t.is_derivative \
               AND t.transaction_date IS NOT NULL AND t.transaction_code IS NOT NULL \
               AND t.shares IS NOT NULL \
               AND ($1 IS NULL OR t.transaction_date >= $1) \
               AND ($2 IS NULL OR t.issuer_cik = $2) \
             ORDER BY t.transaction_date, t.accession, t.position",
        )
        .bind(since.map(|d| d.to_string()))
        .bind(issuer.map(|c| c.to_string()))
        .fetch_all(&self.pool)
        .await?;
        let owner_rows = sqlx::query(
            "SELECT o.accession, o.owner_cik, o.name, o.is_director, o.is_officer, \
                    o.is_ten_percent_owner, o.is_other, o.officer_title, o.other_text \
             FROM reporting_owners o JOIN filings f ON f.accession = o.accession \
             WHERE f.superseded_by IS NULL AND ($1 IS NULL OR f.issuer_cik = $1) \
             ORDER BY o.accession, o.position",
        )
        .bind(issuer.map(|c| c.to_string()))
        .fetch_all(&self.pool)
        .await?;
        let mut owners: std::collections::HashMap<String, Vec<ReportingOwner>> =
            std::collections::HashMap::new();
        for r in &owner_rows {
            let cik: String = r.try_get(1)?;
            owners.entry(r.try_get(0)?).or_default().push(ReportingOwner {
                cik: Cik::parse(&cik).map_err(|_| Error::Corrupt {
                    table: "reporting_owners",
                    column: "owner_cik",
                    value: cik.clone(),
                })?,
                name: r.try_get(2)?,
                is_director: r.try_get(3)?,
                is_officer: r.try_get(4)?,
                is_ten_percent_owner: r.try_get(5)?,
                is_other: r.try_get(6)?,
                officer_title: r.try_get(7)?,
                other_text: r.try_get(8)?,
            });
        }
        rows.iter()
            .map(|r| {
                let accession: String = r.try_get(0)?;
                let cik: String = r.try_get(1)?;
                Ok(TradeRow {
                    owners: owners.get(&accession).cloned().unwrap_or_default(),
                    issuer_cik: Cik::parse(&cik).map_err(|_| Error::Corrupt {
                        table: "transactions",
                        column: "issuer_cik",
                        value: cik.clone(),
                    })?,
                    accession,
                    issuer_ticker: r.try_get(2)?,
                    issuer_name: r.try_get(3)?,
                    date: date("transactions", r.try_get(4)?)?,
                    code: r.try_get(5)?,
                    acquired_disposed: r.try_get(6)?,
                    shares: r.try_get(7)?,
                    price: r.try_get(8)?,
                    owned_after: r.try_get(9)?,
                    plan_10b5_1: r.try_get(10)?,
                })
            })
            .collect()
    }
}
