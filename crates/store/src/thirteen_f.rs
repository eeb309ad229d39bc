//! 13F reports: stored idempotently by accession, read back whole.

use std::collections::HashSet;

use jiff::Timestamp;
use marketdesk_core::{Cik, Position, ThirteenF};
use serde::Serialize;
use sqlx::Row;

use crate::{Error, Result, Store, sql::Statement};

/// A report and where it came from.
#[derive(Debug, Clone, Copy)]
pub struct SourcedReport<'a> {
    /// The file, archive entry or URL.
    pub source: &'a str,
    /// The parsed report.
    pub report: &'a ThirteenF,
}

/// What one batch insert of reports did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportOutcome {
    /// Reports newly stored.
    pub inserted: u64,
    /// Reports whose accession was already stored.
    pub already_present: u64,
    /// Positions newly stored.
    pub positions: u64,
}

fn label<T: Serialize>(v: Option<T>) -> Option<String> {
    v.and_then(|v| serde_json::to_value(v).ok()).and_then(|v| v.as_str().map(str::to_owned))
}

fn json<T: Serialize>(v: &T, table: &'static str) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Corrupt {
        table,
        column: "json",
        value: e.to_string(),
    })
}

impl Store {
    /// Stores reports not stored yet (by accession), each with its positions, in one transaction.
    pub async fn insert_thirteen_f(
        &self,
        batch: &[SourcedReport<'_>],
        now: Timestamp,
    ) -> Result<ReportOutcome> {
        let mut tx = self.pool.begin().await?;
        let mut outcome = ReportOutcome::default();
        let mut seen = HashSet::new();
        let now = now.to_string();
        for s in batch {
            let r = s.report;
            let accession = r.accession.as_str();
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM thirteen_f_reports WHERE accession = $1")
                    .bind(accession)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_some() || !seen.insert(accession) {
                outcome.already_present += 1;
                continue;
            }
            let mut cover = r.clone();
            cover.holdings.clear();
            sqlx::query(
                "INSERT INTO thirteen_f_reports (accession, form_type, manager_cik, manager_name, \
                 report_period, filed_date, is_amendment, amendment_type, cover, source, \
                 ingested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(accession)
            .bind(r.form_type.as_deref())
            .bind(r.manager_cik.map(|c| c.to_string()))
            .bind(r.manager_name.as_deref())
            .bind(r.report_period.map(|d| d.to_string()))
            .bind(r.filed_date.map(|d| d.to_string()))
            .bind(r.is_amendment)
            .bind(label(r.amendment_type))
            .bind(json(&cover, "thirteen_f_reports")?)
            .bind(s.source)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            let rows: Vec<(i64, &Position, String)> = r
                .holdings
                .iter()
                .zip(0..)
                .map(|(p, i)| Ok((i, p, json(p, "thirteen_f_positions")?)))
                .collect::<Result<_>>()?;
            for chunk in rows.chunks(3_000) {
                let mut qb = Statement::new(
                    self.backend,
                    "INSERT INTO thirteen_f_positions (accession, position, cusip, name_of_issuer, \
                     title_of_class, value_usd, shares_or_principal, share_type, put_call, \
                     document) ",
                );
                qb.values(chunk, |b, (i, p, doc)| {
                    b.bind(accession)
                        .bind(*i)
                        .bind(p.cusip.as_deref())
                        .bind(p.name_of_issuer.as_deref())
                        .bind(p.title_of_class.as_deref())
                        .bind(p.value_usd.and_then(|v| i64::try_from(v).ok()))
                        .bind(p.shares_or_principal)
                        .bind(label(p.share_type))
                        .bind(label(p.put_call))
                        .bind(doc.as_str());
                });
                qb.query()?.execute(&mut *tx).await?;
            }
            outcome.inserted += 1;
            outcome.positions += r.holdings.len() as u64;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// A stored report with its positions, exactly as parsed.
    pub async fn thirteen_f(&self, accession: &str) -> Result<Option<ThirteenF>> {
        let cover: Option<String> =
            sqlx::query_scalar("SELECT cover FROM thirteen_f_reports WHERE accession = $1")
                .bind(accession)
                .fetch_optional(&self.pool)
                .await?;
        let Some(cover) = cover else { return Ok(None) };
        let mut report: ThirteenF = serde_json::from_str(&cover).map_err(|_| Error::Corrupt {
            table: "thirteen_f_reports",
            column: "cover",
            value: accession.to_owned(),
        })?;
        let rows = sqlx::query(
            "SELECT document FROM thirteen_f_positions WHERE accession = $1 ORDER BY position",
        )
        .bind(accession)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let doc: String = r.try_get(0)?;
            report.holdings.push(serde_json::from_str(&doc).map_err(|_| Error::Corrupt {
                table: "thirteen_f_positions",
                column: "document",
                value: doc.clone(),
            })?);
        }
        Ok(Some(report))
    }

    /// Every stored report filed by `manager`, with positions.
    pub async fn thirteen_f_for_manager(&self, manager: Cik) -> Result<Vec<ThirteenF>> {
        let accessions: Vec<String> = sqlx::query_scalar(
            "SELECT accession FROM thirteen_f_reports WHERE manager_cik = $1 \
             ORDER BY report_period, filed_date, accession",
        )
        .bind(manager.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(accessions.len());
        for a in accessions {
            if let Some(r) = self.thirteen_f(&a).await? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Managers that reported a position in any of `cusips`.
    pub async fn thirteen_f_managers_holding(&self, cusips: &[String]) -> Result<Vec<Cik>> {
        let mut found = std::collections::BTreeSet::new();
        for cusip in cusips {
            let rows: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT r.manager_cik FROM thirteen_f_positions p \
                 JOIN thirteen_f_reports r ON r.accession = p.accession \
                 WHERE p.cusip = $1 AND r.manager_cik IS NOT NULL",
            )
            .bind(cusip)
            .fetch_all(&self.pool)
            .await?;
            for c in rows {
                found.insert(Cik::parse(&c).map_err(|_| Error::Corrupt {
                    table: "thirteen_f_reports",
                    column: "manager_cik",
                    value: c.clone(),
                })?);
            }
        }
        Ok(found.into_iter().collect())
    }

    /// The CUSIPs mapped to the company with `cik`.
    pub async fn cusips_of(&self, cik: Cik) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT cusip FROM cusips WHERE cik = $1 ORDER BY cusip")
            .bind(cik.to_string())
            .fetch_all(&self.pool)
            .await?)
    }

    /// Stored 13F reports and positions.
    pub async fn thirteen_f_counts(&self) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM thirteen_f_reports), \
                    (SELECT COUNT(*) FROM thirteen_f_positions)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}
