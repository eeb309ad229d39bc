//! The CUSIP map: which company a 13F position's CUSIP belongs to.

use marketdesk_core::Cik;
use sqlx::Row;

use crate::{Error, Result, Store, sql::Statement};

/// One CUSIP and the company it belongs to, when known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CusipRecord {
    /// Nine characters, upper case.
    pub cusip: String,
    /// The issuer's CIK, when resolved.
    pub cik: Option<Cik>,
    /// The company's ticker, when resolved.
    pub ticker: Option<String>,
    /// The issuer's name as the source wrote it.
    pub issuer_name: String,
    /// The class of the issue ("COM", "CL A"), when known.
    pub title_of_class: Option<String>,
}

/// The records with each CUSIP (upper-cased) once, repeats merged as successive upserts would
/// merge them: PostgreSQL refuses to update one row twice in a statement.
fn merge_repeats(records: &[CusipRecord]) -> Vec<CusipRecord> {
    let mut merged: Vec<CusipRecord> = Vec::with_capacity(records.len());
    let mut at = std::collections::HashMap::with_capacity(records.len());
    for r in records {
        let cusip = r.cusip.to_ascii_uppercase();
        match at.get(&cusip) {
            Some(&i) => {
                let m: &mut CusipRecord = &mut merged[i];
                m.cik = r.cik.or(m.cik);
                m.ticker = r.ticker.clone().or(m.ticker.take());
                m.issuer_name.clone_from(&r.issuer_name);
                m.title_of_class = r.title_of_class.clone().or(m.title_of_class.take());
            }
            None => {
                at.insert(cusip.clone(), merged.len());
                merged.push(CusipRecord { cusip, ..r.clone() });
            }
        }
    }
    merged
}

impl Store {
    /// Stores CUSIP mappings; a resolved mapping is never replaced by an unresolved one.
    pub async fn upsert_cusips(&self, records: &[CusipRecord], source: &str) -> Result<u64> {
        let records = merge_repeats(records);
        let mut tx = self.pool.begin().await?;
        let mut written = 0;
        for chunk in records.chunks(5_000) {
            let mut qb = Statement::new(
                self.backend,
                "INSERT INTO cusips (cusip, cik, ticker, issuer_name, title_of_class, source) ",
            );
            qb.values(chunk, |b, r| {
                b.bind(r.cusip.as_str())
                    .bind(r.cik.map(|c| c.to_string()))
                    .bind(r.ticker.as_deref())
                    .bind(r.issuer_name.as_str())
                    .bind(r.title_of_class.as_deref())
                    .bind(source);
            });
            qb.push(
                " ON CONFLICT (cusip) DO UPDATE SET \
                 cik = COALESCE(excluded.cik, cusips.cik), \
                 ticker = COALESCE(excluded.ticker, cusips.ticker), \
                 issuer_name = excluded.issuer_name, \
                 title_of_class = COALESCE(excluded.title_of_class, cusips.title_of_class), \
                 source = CASE WHEN excluded.cik IS NULL AND cusips.cik IS NOT NULL \
                          THEN cusips.source ELSE excluded.source END",
            );
            written += qb.query()?.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(written)
    }

    /// The mapping of one CUSIP.
    pub async fn cusip(&self, cusip: &str) -> Result<Option<CusipRecord>> {
        let row = sqlx::query(
            "SELECT cusip, cik, ticker, issuer_name, title_of_class FROM cusips WHERE cusip = $1",
        )
        .bind(cusip.trim().to_ascii_uppercase())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let cik: Option<String> = r.try_get(1)?;
            Ok(CusipRecord {
                cusip: r.try_get(0)?,
                cik: cik
                    .map(|c| {
                        Cik::parse(&c).map_err(|_| Error::Corrupt {
                            table: "cusips",
                            column: "cik",
                            value: c.clone(),
                        })
                    })
                    .transpose()?,
                ticker: r.try_get(2)?,
                issuer_name: r.try_get(3)?,
                title_of_class: r.try_get(4)?,
            })
        })
        .transpose()
    }

    /// How many CUSIPs are mapped, and how many of them to a company.
    pub async fn cusip_counts(&self) -> Result<(i64, i64)> {
        let row =
            sqlx::query("SELECT COUNT(*), COUNT(cik) FROM cusips").fetch_one(&self.pool).await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}
