//! Daily bars: upserted by (ticker, day), read back in date order.

use jiff::civil::Date;
use marketdesk_core::{Change, DailyBar, change_as_of};
use sqlx::Row;

use crate::{Error, Result, Store, sql::Statement};

fn stored_day(day: String) -> Result<Date> {
    day.parse().map_err(|_| Error::Corrupt { table: "daily_bars", column: "day", value: day })
}

impl Store {
    /// Stores bars, replacing any already stored for the same ticker and day (a re-import of
    /// corrected data wins). Returns the number of bars written.
    pub async fn upsert_daily_bars(&self, bars: &[DailyBar], source: &str) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut written = 0;
        for chunk in bars.chunks(3_000) {
            let mut qb = Statement::new(
                self.backend,
                "INSERT INTO daily_bars (ticker, day, open, high, low, close, volume, source) ",
            );
            qb.values(chunk, |b, bar| {
                b.bind(bar.ticker.as_str())
                    .bind(bar.date.to_string())
                    .bind(bar.open)
                    .bind(bar.high)
                    .bind(bar.low)
                    .bind(bar.close)
                    .bind(bar.volume.and_then(|v| i64::try_from(v).ok()))
                    .bind(source);
            });
            qb.push(
                " ON CONFLICT (ticker, day) DO UPDATE SET open = excluded.open, \
                 high = excluded.high, low = excluded.low, close = excluded.close, \
                 volume = excluded.volume, source = excluded.source",
            );
            written += qb.query()?.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(written)
    }

    /// Bars of `ticker` from `since` to `until` (inclusive), oldest first.
    pub async fn daily_bars(
        &self,
        ticker: &str,
        since: Date,
        until: Date,
    ) -> Result<Vec<DailyBar>> {
        let rows = sqlx::query(
            "SELECT day, open, high, low, close, volume FROM daily_bars \
             WHERE ticker = $1 AND day >= $2 AND day <= $3 ORDER BY day",
        )
        .bind(ticker)
        .bind(since.to_string())
        .bind(until.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let day: String = r.try_get(0)?;
                let volume: Option<i64> = r.try_get(5)?;
                Ok(DailyBar {
                    ticker: ticker.to_owned(),
                    date: stored_day(day)?,
                    open: r.try_get(1)?,
                    high: r.try_get(2)?,
                    low: r.try_get(3)?,
                    close: r.try_get(4)?,
                    volume: volume.and_then(|v| u64::try_from(v).ok()),
                })
            })
            .collect()
    }

    /// The change of `ticker` as of `as_of` (a New York date): its last close on or before that
    /// day against the close before; `None` when unknown.
    pub async fn quote_change(&self, ticker: &str, as_of: Date) -> Result<Option<Change>> {
        let rows = sqlx::query(
            "SELECT day, close FROM daily_bars WHERE ticker = $1 AND day <= $2 \
             ORDER BY day DESC LIMIT 2",
        )
        .bind(ticker)
        .bind(as_of.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut bars = Vec::with_capacity(2);
        for r in rows.iter().rev() {
            let day: String = r.try_get(0)?;
            bars.push(DailyBar {
                ticker: ticker.to_owned(),
                date: stored_day(day)?,
                open: None,
                high: None,
                low: None,
                close: r.try_get(1)?,
                volume: None,
            });
        }
        Ok(change_as_of(&bars, as_of))
    }
}
