//! Insider filings in the store: batch inserts that are idempotent by accession, amendments that
//! supersede what they amend, the record of inputs that failed, and reading a filing back whole.

use std::collections::{BTreeMap, HashSet};

use jiff::{Timestamp, civil::Date};
use marketdesk_core::{
    Accession, AcquiredDisposed, Cik, DerivativeTerms, Footnote, FootnoteRefs, Footnotes, Holding,
    Issuer, OwnedAfter, OwnershipFiling, PriceSource, ReportingOwner, Signature, Transaction,
};
use sqlx::{Row, any::AnyRow};

use crate::{
    Backend, Error, Result, Store,
    sql::{Statement, Tuple, flag, optional_flag},
};

/// A parsed filing and where it came from (a path, archive entry or URL).
#[derive(Debug, Clone, Copy)]
pub struct SourcedFiling<'a> {
    /// The file, archive entry or URL.
    pub source: &'a str,
    /// The parsed filing.
    pub filing: &'a OwnershipFiling,
}

/// What one batch insert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InsertOutcome {
    /// Filings newly stored.
    pub inserted: u64,
    /// Filings skipped because their accession was already stored.
    pub already_present: u64,
    /// Transaction rows newly stored.
    pub transactions: u64,
}

/// An input that failed to ingest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IngestErrorRecord {
    /// The file, archive entry or URL.
    pub source: String,
    /// The accession, when known.
    pub accession: Option<String>,
    /// Why it failed.
    pub reason: String,
    /// How many ingests have tried it.
    pub attempts: i64,
    /// First failure (RFC 3339).
    pub first_seen: String,
    /// Latest failure (RFC 3339).
    pub last_seen: String,
}

/// Row counts, for summaries and checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Stored filings.
    pub filings: i64,
    /// Filings replaced by an amendment.
    pub superseded: i64,
    /// Transaction rows.
    pub transactions: i64,
    /// Holding rows.
    pub holdings: i64,
    /// Reporting-owner rows.
    pub reporting_owners: i64,
    /// Recorded ingest errors.
    pub ingest_errors: i64,
}

/// SQLite allows 32,766 bound parameters per statement; stay well inside it.
const MAX_BINDS: usize = 30_000;

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn json_ids(by_field: &BTreeMap<String, Vec<String>>) -> String {
    serde_json::to_string(by_field).unwrap_or_else(|_| "{}".to_owned())
}

fn ad(v: Option<AcquiredDisposed>) -> Option<&'static str> {
    v.map(|v| match v {
        AcquiredDisposed::A => "A",
        AcquiredDisposed::D => "D",
    })
}

fn price_source(v: Option<PriceSource>) -> Option<&'static str> {
    v.map(|v| match v {
        PriceSource::Table => "table",
        PriceSource::Footnote => "footnote",
    })
}

/// Binds the four `OwnedAfter` columns.
fn bind_owned(b: &mut Tuple<'_>, o: &OwnedAfter) {
    b.bind(o.shares_owned_following)
        .bind(o.value_owned_following)
        .bind(o.direct_or_indirect.as_deref())
        .bind(o.nature_of_ownership.as_deref());
}

/// Binds the six derivative-term columns (all null on non-derivative rows).
fn bind_terms(b: &mut Tuple<'_>, d: Option<&DerivativeTerms>) {
    b.bind(d.and_then(|d| d.conversion_or_exercise_price))
        .bind(date(d.and_then(|d| d.exercise_date)))
        .bind(date(d.and_then(|d| d.expiration_date)))
        .bind(d.and_then(|d| d.underlying_security_title.as_deref()))
        .bind(d.and_then(|d| d.underlying_security_shares))
        .bind(d.and_then(|d| d.underlying_security_value));
}

/// The child rows of every filing in `fresh`, each with its filing's accession and its position.
fn numbered<'a, T>(
    fresh: &[&SourcedFiling<'a>],
    rows: impl Fn(&'a OwnershipFiling) -> &'a [T],
) -> Vec<(&'a str, i64, &'a T)> {
    fresh
        .iter()
        .flat_map(|s| {
            let a = s.filing.accession.as_str();
            rows(s.filing).iter().zip(0..).map(move |(row, i)| (a, i, row))
        })
        .collect()
}

/// Which of `accessions` the filings table holds.
async fn stored_accessions(
    backend: Backend,
    conn: &mut sqlx::AnyConnection,
    accessions: &[&str],
) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in accessions.chunks(MAX_BINDS) {
        let mut q = Statement::new(backend, "SELECT accession FROM filings WHERE accession IN (");
        q.list(chunk.iter().copied()).push(")");
        for row in q.query()?.fetch_all(&mut *conn).await? {
            found.insert(row.try_get::<String, _>(0)?);
        }
    }
    Ok(found)
}

/// Runs `INSERT INTO {head} VALUES ...` over `rows` in chunks that respect the bind limit.
async fn insert_chunked<'r, T: 'r>(
    backend: Backend,
    tx: &mut sqlx::AnyConnection,
    head: &str,
    columns: usize,
    rows: &'r [T],
    bind: impl Fn(&mut Tuple<'_>, &'r T),
) -> Result<u64> {
    let mut affected = 0;
    for chunk in rows.chunks((MAX_BINDS / columns).max(1)) {
        let mut q = Statement::new(backend, head);
        q.values(chunk, |b, row| bind(b, row)).push(" ON CONFLICT DO NOTHING");
        affected += q.query()?.execute(&mut *tx).await?.rows_affected();
    }
    Ok(affected)
}

struct TxRow<'a> {
    accession: &'a str,
    issuer_cik: String,
    is_derivative: bool,
    position: i64,
    t: &'a Transaction,
}

struct HoldRow<'a> {
    accession: &'a str,
    is_derivative: bool,
    position: i64,
    h: &'a Holding,
}

impl Store {
    /// Which of `accessions` are already stored.
    pub async fn existing_accessions(&self, accessions: &[&str]) -> Result<HashSet<String>> {
        let mut conn = self.pool.acquire().await?;
        stored_accessions(self.backend, &mut conn, accessions).await
    }

    /// Stores a batch of filings in one transaction. Accessions already stored, and repeats
    /// within the batch, are skipped, so re-running an ingest changes nothing. Amendments are
    /// linked to what they amend afterwards, by [`Store::resolve_amendments`].
    pub async fn insert_ownership(
        &self,
        batch: &[SourcedFiling<'_>],
        now: Timestamp,
    ) -> Result<InsertOutcome> {
        let accessions: Vec<&str> = batch.iter().map(|f| f.filing.accession.as_str()).collect();
        let mut tx = self.pool.begin().await?;
        let existing = stored_accessions(self.backend, &mut tx, &accessions).await?;
        let mut seen = HashSet::new();
        let mut fresh: Vec<&SourcedFiling<'_>> = batch
            .iter()
            .filter(|f| {
                let a = f.filing.accession.as_str();
                !existing.contains(a) && seen.insert(a)
            })
            .collect();
        // Rows in one order for every writer: two ingests inserting overlapping filings (the
        // current feed and the daily index) then wait on each other on PostgreSQL instead of
        // deadlocking.
        fresh.sort_by_key(|f| f.filing.accession.as_str());
        let outcome = InsertOutcome {
            inserted: fresh.len() as u64,
            already_present: (batch.len() - fresh.len()) as u64,
            transactions: fresh.iter().map(|f| f.filing.transaction_count() as u64).sum(),
        };
        if fresh.is_empty() {
            tx.commit().await?;
            return Ok(outcome);
        }
        let now = now.to_string();

        insert_chunked(
            self.backend,
            &mut tx,
            "INSERT INTO filings (accession, form_type, schema_version, issuer_cik, issuer_name, \
             issuer_ticker, period_of_report, date_of_original_submission, filed_date, accepted_at, \
             not_subject_to_section16, no_securities_owned, form3_holdings_reported, \
             form4_transactions_reported, aff10b5one, remarks, primary_owner_cik, source, \
             ingested_at) ",
            19,
            &fresh,
            |b, s| {
                let f = s.filing;
                b.bind(f.accession.as_str())
                    .bind(f.document_type.as_str())
                    .bind(f.schema_version.as_deref())
                    .bind(f.issuer.cik.to_string())
                    .bind(f.issuer.name.as_deref())
                    .bind(f.issuer.trading_symbol.as_deref())
                    .bind(date(f.period_of_report))
                    .bind(date(f.date_of_original_submission))
                    .bind(date(f.filed_date))
                    .bind(f.accepted_at.map(|t| t.to_string()))
                    .bind(f.not_subject_to_section16)
                    .bind(f.no_securities_owned)
                    .bind(f.form3_holdings_reported)
                    .bind(f.form4_transactions_reported)
                    .bind(f.aff10b5one)
                    .bind(f.remarks.as_deref())
                    .bind(f.reporting_owners.first().map(|o| o.cik.to_string()))
                    .bind(s.source)
                    .bind(now.clone());
            },
        )
        .await?;

        let owners = numbered(&fresh, |f| &f.reporting_owners);
        insert_chunked(
            self.backend,
            &mut tx,
            "INSERT INTO reporting_owners (accession, position, owner_cik, name, is_director, \
             is_officer, is_ten_percent_owner, is_other, officer_title, other_text) ",
            10,
            &owners,
            |b, (a, i, o)| {
                b.bind(*a)
                    .bind(*i)
                    .bind(o.cik.to_string())
                    .bind(o.name.as_deref())
                    .bind(o.is_director)
                    .bind(o.is_officer)
                    .bind(o.is_ten_percent_owner)
                    .bind(o.is_other)
                    .bind(o.officer_title.as_deref())
                    .bind(o.other_text.as_deref());
            },
        )
        .await?;

        let txs: Vec<TxRow<'_>> = fresh
            .iter()
            .flat_map(|s| {
                let f = s.filing;
                let a = f.accession.as_str();
                let cik = f.issuer.cik.to_string();
                let nd = f.non_derivative_transactions.iter().map(move |t| (false, t));
                let d = f.derivative_transactions.iter().map(move |t| (true, t));
                nd.chain(d).zip(0..).map(move |((is_derivative, t), position)| TxRow {
                    accession: a,
                    issuer_cik: cik.clone(),
                    is_derivative,
                    position,
                    t,
                })
            })
            .collect();
        insert_chunked(
            self.backend,
            &mut tx,
            "INSERT INTO transactions (accession, is_derivative, position, issuer_cik, \
             security_title, transaction_date, deemed_execution_date, transaction_form_type, \
             transaction_code, equity_swap_involved, transaction_timeliness, shares, total_value, \
             price_per_share, price_source, price_range_low, price_range_high, acquired_disposed, \
             shares_owned_following, value_owned_following, direct_or_indirect, \
             nature_of_ownership, conversion_or_exercise_price, exercise_date, expiration_date, \
             underlying_security_title, underlying_security_shares, underlying_security_value, \
             footnote_cites_10b5_1, footnotes_by_field) ",
            30,
            &txs,
            |b, r| {
                let t = r.t;
                b.bind(r.accession)
                    .bind(r.is_derivative)
                    .bind(r.position)
                    .bind(r.issuer_cik.as_str())
                    .bind(t.security_title.as_deref())
                    .bind(date(t.transaction_date))
                    .bind(date(t.deemed_execution_date))
                    .bind(t.transaction_form_type.as_deref())
                    .bind(t.transaction_code.as_deref())
                    .bind(t.equity_swap_involved)
                    .bind(t.transaction_timeliness.as_deref())
                    .bind(t.shares)
                    .bind(t.total_value)
                    .bind(t.price_per_share)
                    .bind(price_source(t.price_source))
                    .bind(t.price_range_low)
                    .bind(t.price_range_high)
                    .bind(ad(t.acquired_disposed));
                bind_owned(b, &t.owned_after);
                bind_terms(b, t.derivative.as_ref());
                b.bind(t.footnote_cites_10b5_1).bind(json_ids(&t.footnote_refs.footnotes_by_field));
            },
        )
        .await?;

        let holds: Vec<HoldRow<'_>> = fresh
            .iter()
            .flat_map(|s| {
                let f = s.filing;
                let a = f.accession.as_str();
                let nd = f.non_derivative_holdings.iter().map(|h| (false, h));
                let d = f.derivative_holdings.iter().map(|h| (true, h));
                nd.chain(d).zip(0..).map(move |((is_derivative, h), position)| HoldRow {
                    accession: a,
                    is_derivative,
                    position,
                    h,
                })
            })
            .collect();
        insert_chunked(
            self.backend,
            &mut tx,
            "INSERT INTO holdings (accession, is_derivative, position, security_title, \
             transaction_form_type, shares_owned_following, value_owned_following, \
             direct_or_indirect, nature_of_ownership, conversion_or_exercise_price, exercise_date, \
             expiration_date, underlying_security_title, underlying_security_shares, \
             underlying_security_value, footnotes_by_field) ",
            16,
            &holds,
            |b, r| {
                let h = r.h;
                b.bind(r.accession)
                    .bind(r.is_derivative)
                    .bind(r.position)
                    .bind(h.security_title.as_deref())
                    .bind(h.transaction_form_type.as_deref());
                bind_owned(b, &h.owned_after);
                bind_terms(b, h.derivative.as_ref());
                b.bind(json_ids(&h.footnote_refs.footnotes_by_field));
            },
        )
        .await?;

        let notes = numbered(&fresh, |f| &f.footnotes.0);
        insert_chunked(
            self.backend,
            &mut tx,
            "INSERT INTO footnotes (accession, position, footnote_id, text) ",
            4,
            &notes,
            |b, (a, i, n)| {
                b.bind(*a).bind(*i).bind(n.id.as_str()).bind(n.text.as_str());
            },
        )
        .await?;

        let sigs = numbered(&fresh, |f| &f.signatures);
        insert_chunked(
            self.backend,
            &mut tx,
            "INSERT INTO signatures (accession, position, name, signature_date) ",
            4,
            &sigs,
            |b, (a, i, g)| {
                b.bind(*a).bind(*i).bind(g.name.as_deref()).bind(date(g.date));
            },
        )
        .await?;

        // Inputs that now ingest are no longer errors.
        let sources: Vec<&str> = fresh.iter().map(|s| s.source).collect();
        for chunk in sources.chunks(MAX_BINDS) {
            let mut q = Statement::new(self.backend, "DELETE FROM ingest_errors WHERE source IN (");
            q.list(chunk.iter().copied()).push(")");
            q.query()?.execute(&mut *tx).await?;
        }

        tx.commit().await?;
        Ok(outcome)
    }

    /// Links every amendment to the filing it amends and marks that filing superseded.
    ///
    /// The XML names no accession for the amended filing, only its submission date, so the
    /// target is the latest earlier filing of the same form (or an earlier amendment of it) by
    /// the same issuer and first reporting owner that has the same period of report, was filed
    /// on the amendment's `date_of_original_submission`, or amends that same original. In a
    /// chain of amendments each supersedes the one before, so only the newest stays in force.
    /// Recomputed from scratch, so the order filings arrived in does not matter. Returns the
    /// number of filings now marked superseded.
    pub async fn resolve_amendments(&self) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE filings SET superseded_by = NULL WHERE superseded_by IS NOT NULL")
            .execute(&mut *tx)
            .await?;
        let amendments = sqlx::query(FILING_KEY_COLUMNS_AMENDMENTS).fetch_all(&mut *tx).await?;
        let mut superseded = 0;
        for row in &amendments {
            let a = FilingKey::read(row)?;
            let (Some(owner), Some(base)) = (a.owner.as_deref(), a.form_type.strip_suffix("/A"))
            else {
                continue;
            };
            let candidates = sqlx::query(FILING_KEY_COLUMNS_CANDIDATES)
                .bind(&a.issuer)
                .bind(owner)
                .bind(&a.accession)
                .bind(base)
                .bind(&a.form_type)
                .fetch_all(&mut *tx)
                .await?;
            let mut best: Option<FilingKey> = None;
            for c in &candidates {
                let c = FilingKey::read(c)?;
                if !a.may_amend(&c) {
                    continue;
                }
                if best.as_ref().is_none_or(|b| c.order() > b.order()) {
                    best = Some(c);
                }
            }
            if let Some(target) = best {
                superseded +=
                    sqlx::query("UPDATE filings SET superseded_by = $1 WHERE accession = $2")
                        .bind(&a.accession)
                        .bind(&target.accession)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
            }
        }
        tx.commit().await?;
        Ok(superseded)
    }

    /// The amendment that supersedes `accession`, if any.
    pub async fn superseded_by(&self, accession: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT superseded_by FROM filings WHERE accession = $1")
            .bind(accession)
            .fetch_optional(&self.pool)
            .await?
            .flatten())
    }

    /// Records that `source` failed, keeping the first failure time and counting attempts.
    pub async fn record_ingest_error(
        &self,
        source: &str,
        accession: Option<&str>,
        reason: &str,
        now: Timestamp,
    ) -> Result<()> {
        let now = now.to_string();
        sqlx::query(
            "INSERT INTO ingest_errors (source, accession, reason, attempts, first_seen, last_seen) \
             VALUES ($1, $2, $3, 1, $4, $5) \
             ON CONFLICT (source) DO UPDATE SET accession = excluded.accession, \
                 reason = excluded.reason, attempts = ingest_errors.attempts + 1, \
                 last_seen = excluded.last_seen",
        )
        .bind(source)
        .bind(accession)
        .bind(reason)
        .bind(&now)
        .bind(&now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every recorded ingest error, oldest first.
    pub async fn ingest_errors(&self) -> Result<Vec<IngestErrorRecord>> {
        let rows = sqlx::query(
            "SELECT source, accession, reason, attempts, first_seen, last_seen \
             FROM ingest_errors ORDER BY first_seen, source",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(IngestErrorRecord {
                    source: r.try_get(0)?,
                    accession: r.try_get(1)?,
                    reason: r.try_get(2)?,
                    attempts: r.try_get(3)?,
                    first_seen: r.try_get(4)?,
                    last_seen: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Row counts of the ownership tables.
    pub async fn counts(&self) -> Result<Counts> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM filings), \
                    (SELECT COUNT(*) FROM filings WHERE superseded_by IS NOT NULL), \
                    (SELECT COUNT(*) FROM transactions), (SELECT COUNT(*) FROM holdings), \
                    (SELECT COUNT(*) FROM reporting_owners), (SELECT COUNT(*) FROM ingest_errors)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Counts {
            filings: row.try_get(0)?,
            superseded: row.try_get(1)?,
            transactions: row.try_get(2)?,
            holdings: row.try_get(3)?,
            reporting_owners: row.try_get(4)?,
            ingest_errors: row.try_get(5)?,
        })
    }

    /// Daily indexes already walked completely.
    pub async fn completed_index_days(&self) -> Result<HashSet<Date>> {
        let days: Vec<String> =
            sqlx::query_scalar("SELECT day FROM edgar_index_days").fetch_all(&self.pool).await?;
        days.into_iter()
            .map(|d| {
                d.parse().map_err(|_| Error::Corrupt {
                    table: "edgar_index_days",
                    column: "day",
                    value: d.clone(),
                })
            })
            .collect()
    }

    /// Marks a daily index as walked completely.
    pub async fn complete_index_day(&self, day: Date, filings: i64, now: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO edgar_index_days (day, filings, completed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (day) DO UPDATE SET filings = excluded.filings, \
                 completed_at = excluded.completed_at",
        )
        .bind(day.to_string())
        .bind(filings)
        .bind(now.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Reads a stored filing back whole, exactly as it was parsed.
    pub async fn ownership_filing(&self, accession: &str) -> Result<Option<OwnershipFiling>> {
        let Some(f) = sqlx::query(
            "SELECT accession, form_type, schema_version, issuer_cik, issuer_name, issuer_ticker, \
                    period_of_report, date_of_original_submission, filed_date, accepted_at, \
                    CAST(not_subject_to_section16 AS INTEGER), \
                    CAST(no_securities_owned AS INTEGER), \
                    CAST(form3_holdings_reported AS INTEGER), \
                    CAST(form4_transactions_reported AS INTEGER), CAST(aff10b5one AS INTEGER), \
                    remarks \
             FROM filings WHERE accession = $1",
        )
        .bind(accession)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };

        let owners = sqlx::query(
            "SELECT owner_cik, name, CAST(is_director AS INTEGER), CAST(is_officer AS INTEGER), \
                    CAST(is_ten_percent_owner AS INTEGER), CAST(is_other AS INTEGER), \
                    officer_title, other_text \
             FROM reporting_owners WHERE accession = $1 ORDER BY position",
        )
        .bind(accession)
        .fetch_all(&self.pool)
        .await?;
        let txs = sqlx::query(
            "SELECT CAST(is_derivative AS INTEGER), security_title, transaction_date, \
                    deemed_execution_date, transaction_form_type, transaction_code, \
                    CAST(equity_swap_involved AS INTEGER), \
                    transaction_timeliness, shares, total_value, price_per_share, price_source, \
                    price_range_low, price_range_high, acquired_disposed, shares_owned_following, \
                    value_owned_following, direct_or_indirect, nature_of_ownership, \
                    conversion_or_exercise_price, exercise_date, expiration_date, \
                    underlying_security_title, underlying_security_shares, \
                    underlying_security_value, CAST(footnote_cites_10b5_1 AS INTEGER), \
                    footnotes_by_field \
             FROM transactions WHERE accession = $1 ORDER BY position",
        )
        .bind(accession)
        .fetch_all(&self.pool)
        .await?;
        let holds = sqlx::query(
            "SELECT CAST(is_derivative AS INTEGER), security_title, transaction_form_type, \
                    shares_owned_following, \
                    value_owned_following, direct_or_indirect, nature_of_ownership, \
                    conversion_or_exercise_price, exercise_date, expiration_date, \
                    underlying_security_title, underlying_security_shares, \
                    underlying_security_value, footnotes_by_field \
             FROM holdings WHERE accession = $1 ORDER BY position",
        )
        .bind(accession)
        .fetch_all(&self.pool)
        .await?;
        let notes = sqlx::query(
            "SELECT footnote_id, text FROM footnotes WHERE accession = $1 ORDER BY position",
        )
        .bind(accession)
        .fetch_all(&self.pool)
        .await?;
        let sigs = sqlx::query(
            "SELECT name, signature_date FROM signatures WHERE accession = $1 ORDER BY position",
        )
        .bind(accession)
        .fetch_all(&self.pool)
        .await?;

        let mut filing = OwnershipFiling {
            accession: parse_accession(f.try_get(0)?)?,
            document_type: f.try_get(1)?,
            schema_version: f.try_get(2)?,
            issuer: Issuer {
                cik: parse_cik("filings", "issuer_cik", f.try_get(3)?)?,
                name: f.try_get(4)?,
                trading_symbol: f.try_get(5)?,
            },
            period_of_report: opt_date("filings", "period_of_report", f.try_get(6)?)?,
            date_of_original_submission: opt_date(
                "filings",
                "date_of_original_submission",
                f.try_get(7)?,
            )?,
            filed_date: opt_date("filings", "filed_date", f.try_get(8)?)?,
            accepted_at: opt_timestamp(f.try_get(9)?)?,
            not_subject_to_section16: optional_flag(&f, 10)?,
            no_securities_owned: optional_flag(&f, 11)?,
            form3_holdings_reported: optional_flag(&f, 12)?,
            form4_transactions_reported: optional_flag(&f, 13)?,
            aff10b5one: optional_flag(&f, 14)?,
            remarks: f.try_get(15)?,
            reporting_owners: owners
                .iter()
                .map(|o| {
                    Ok(ReportingOwner {
                        cik: parse_cik("reporting_owners", "owner_cik", o.try_get(0)?)?,
                        name: o.try_get(1)?,
                        is_director: flag(o, 2)?,
                        is_officer: flag(o, 3)?,
                        is_ten_percent_owner: flag(o, 4)?,
                        is_other: flag(o, 5)?,
                        officer_title: o.try_get(6)?,
                        other_text: o.try_get(7)?,
                    })
                })
                .collect::<Result<_>>()?,
            non_derivative_transactions: Vec::new(),
            derivative_transactions: Vec::new(),
            non_derivative_holdings: Vec::new(),
            derivative_holdings: Vec::new(),
            footnotes: Footnotes(
                notes
                    .iter()
                    .map(|n| Ok(Footnote { id: n.try_get(0)?, text: n.try_get(1)? }))
                    .collect::<Result<_>>()?,
            ),
            signatures: sigs
                .iter()
                .map(|s| {
                    Ok(Signature {
                        name: s.try_get(0)?,
                        date: opt_date("signatures", "signature_date", s.try_get(1)?)?,
                    })
                })
                .collect::<Result<_>>()?,
        };
        for r in &txs {
            let (is_derivative, t) = transaction_row(r)?;
            if is_derivative {
                filing.derivative_transactions.push(t);
            } else {
                filing.non_derivative_transactions.push(t);
            }
        }
        for r in &holds {
            let (is_derivative, h) = holding_row(r)?;
            if is_derivative {
                filing.derivative_holdings.push(h);
            } else {
                filing.non_derivative_holdings.push(h);
            }
        }
        Ok(Some(filing))
    }
}

const FILING_KEY_COLUMNS_AMENDMENTS: &str = "SELECT accession, form_type, issuer_cik, primary_owner_cik, period_of_report, \
            date_of_original_submission, filed_date \
     FROM filings WHERE form_type LIKE '%/A'";

const FILING_KEY_COLUMNS_CANDIDATES: &str = "SELECT accession, form_type, issuer_cik, primary_owner_cik, period_of_report, \
            date_of_original_submission, filed_date \
     FROM filings \
     WHERE issuer_cik = $1 AND primary_owner_cik = $2 AND accession <> $3 \
       AND form_type IN ($4, $5)";

/// What amendment matching needs to know of a filing.
struct FilingKey {
    accession: String,
    form_type: String,
    issuer: String,
    owner: Option<String>,
    period: Option<String>,
    original_date: Option<String>,
    filed: Option<String>,
}

impl FilingKey {
    fn read(r: &AnyRow) -> Result<Self> {
        Ok(FilingKey {
            accession: r.try_get(0)?,
            form_type: r.try_get(1)?,
            issuer: r.try_get(2)?,
            owner: r.try_get(3)?,
            period: r.try_get(4)?,
            original_date: r.try_get(5)?,
            filed: r.try_get(6)?,
        })
    }

    /// Filing order: by filing date where known, then accession (sequence within a filer agent).
    fn order(&self) -> (Option<&str>, &str) {
        (self.filed.as_deref(), self.accession.as_str())
    }

    /// Whether this amendment can amend `c`: the same period or the original's filing date, or
    /// a sibling amendment of the same original, and `c` came first.
    fn may_amend(&self, c: &FilingKey) -> bool {
        let related = (self.period.is_some() && c.period == self.period)
            || (self.original_date.is_some() && c.filed == self.original_date)
            || (c.form_type.ends_with("/A")
                && self.original_date.is_some()
                && c.original_date == self.original_date);
        let earlier = match (&c.filed, &self.filed) {
            (Some(cf), Some(af)) if cf != af => cf < af,
            _ => c.accession < self.accession || !c.form_type.ends_with("/A"),
        };
        related && earlier
    }
}

fn parse_accession(s: String) -> Result<Accession> {
    if let Some(hex) = s.strip_prefix("hash:") {
        return Ok(Accession::from_content_digest(hex));
    }
    Accession::parse(&s).map_err(|_| Error::Corrupt {
        table: "filings",
        column: "accession",
        value: s,
    })
}

fn parse_cik(table: &'static str, column: &'static str, s: String) -> Result<Cik> {
    Cik::parse(&s).map_err(|_| Error::Corrupt { table, column, value: s })
}

fn opt_date(table: &'static str, column: &'static str, s: Option<String>) -> Result<Option<Date>> {
    s.map(|s| s.parse().map_err(|_| Error::Corrupt { table, column, value: s })).transpose()
}

fn opt_timestamp(s: Option<String>) -> Result<Option<Timestamp>> {
    s.map(|s| {
        s.parse().map_err(|_| Error::Corrupt { table: "filings", column: "accepted_at", value: s })
    })
    .transpose()
}

fn footnote_refs(table: &'static str, s: String) -> Result<FootnoteRefs> {
    serde_json::from_str(&s).map(FootnoteRefs::from_fields).map_err(|_| Error::Corrupt {
        table,
        column: "footnotes_by_field",
        value: s,
    })
}

fn owned_after(r: &AnyRow, first: usize) -> Result<OwnedAfter> {
    Ok(OwnedAfter {
        shares_owned_following: r.try_get(first)?,
        value_owned_following: r.try_get(first + 1)?,
        direct_or_indirect: r.try_get(first + 2)?,
        nature_of_ownership: r.try_get(first + 3)?,
    })
}

fn terms(
    table: &'static str,
    is_derivative: bool,
    r: &AnyRow,
    first: usize,
) -> Result<Option<DerivativeTerms>> {
    if !is_derivative {
        return Ok(None);
    }
    Ok(Some(DerivativeTerms {
        conversion_or_exercise_price: r.try_get(first)?,
        exercise_date: opt_date(table, "exercise_date", r.try_get(first + 1)?)?,
        expiration_date: opt_date(table, "expiration_date", r.try_get(first + 2)?)?,
        underlying_security_title: r.try_get(first + 3)?,
        underlying_security_shares: r.try_get(first + 4)?,
        underlying_security_value: r.try_get(first + 5)?,
    }))
}

fn transaction_row(r: &AnyRow) -> Result<(bool, Transaction)> {
    const T: &str = "transactions";
    let is_derivative = flag(r, 0)?;
    let price_source = match r.try_get::<Option<String>, _>(11)?.as_deref() {
        None => None,
        Some("table") => Some(PriceSource::Table),
        Some("footnote") => Some(PriceSource::Footnote),
        Some(other) => {
            return Err(Error::Corrupt {
                table: T,
                column: "price_source",
                value: other.to_owned(),
            });
        }
    };
    let acquired_disposed = match r.try_get::<Option<String>, _>(14)?.as_deref() {
        None => None,
        Some("A") => Some(AcquiredDisposed::A),
        Some("D") => Some(AcquiredDisposed::D),
        Some(other) => {
            return Err(Error::Corrupt {
                table: T,
                column: "acquired_disposed",
                value: other.to_owned(),
            });
        }
    };
    let footnote_refs = footnote_refs(T, r.try_get(26)?)?;
    Ok((
        is_derivative,
        Transaction {
            security_title: r.try_get(1)?,
            transaction_date: opt_date(T, "transaction_date", r.try_get(2)?)?,
            deemed_execution_date: opt_date(T, "deemed_execution_date", r.try_get(3)?)?,
            transaction_form_type: r.try_get(4)?,
            transaction_code: r.try_get(5)?,
            equity_swap_involved: optional_flag(r, 6)?,
            transaction_timeliness: r.try_get(7)?,
            shares: r.try_get(8)?,
            total_value: r.try_get(9)?,
            price_per_share: r.try_get(10)?,
            price_source,
            price_range_low: r.try_get(12)?,
            price_range_high: r.try_get(13)?,
            acquired_disposed,
            owned_after: owned_after(r, 15)?,
            derivative: terms(T, is_derivative, r, 19)?,
            footnote_cites_10b5_1: flag(r, 25)?,
            footnote_refs,
        },
    ))
}

fn holding_row(r: &AnyRow) -> Result<(bool, Holding)> {
    const T: &str = "holdings";
    let is_derivative = flag(r, 0)?;
    let footnote_refs = footnote_refs(T, r.try_get(13)?)?;
    Ok((
        is_derivative,
        Holding {
            security_title: r.try_get(1)?,
            transaction_form_type: r.try_get(2)?,
            owned_after: owned_after(r, 3)?,
            derivative: terms(T, is_derivative, r, 7)?,
            footnote_refs,
        },
    ))
}
