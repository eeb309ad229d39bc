//! What the website's nodes share through the store, so several `serve` processes behind one
//! address act as one site: admin sessions and sliding-window rate limits.

use crate::{Result, Store};

/// The PostgreSQL advisory lock that serialises rate-limit checks (SQLite's single writer does
/// the same there).
const RATE_LOCK: i64 = 0x6d64_7261_7465;

/// Hits older than this are dropped whatever their window.
const HIT_RETENTION_MS: i64 = 86_400_000;

/// One rate to check: at most `count` hits of `key` in the `window_ms` before now.
#[derive(Debug, Clone, Copy)]
pub struct RateCheck<'a> {
    /// What is counted, e.g. `ip:HASH`.
    pub key: &'a str,
    /// Hits allowed in the window.
    pub count: u32,
    /// The window, in milliseconds (at most a day).
    pub window_ms: i64,
}

impl Store {
    /// Records a hit at `now_ms` for every key if each key's rate allows one more; otherwise
    /// records nothing and returns the longest wait, in milliseconds, until all would.
    pub async fn rate_hit(&self, checks: &[RateCheck<'_>], now_ms: i64) -> Result<Option<i64>> {
        // The counts below hold until commit: the delete comes first.
        let mut tx = self.begin_serialized(RATE_LOCK).await?;
        sqlx::query("DELETE FROM rate_hits WHERE at_ms < $1")
            .bind(now_ms - HIT_RETENTION_MS)
            .execute(&mut *tx)
            .await?;
        let mut wait_ms = 0;
        for c in checks {
            let (hits, oldest): (i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), MIN(at_ms) FROM rate_hits WHERE key = $1 AND at_ms > $2",
            )
            .bind(c.key)
            .bind(now_ms - c.window_ms)
            .fetch_one(&mut *tx)
            .await?;
            if hits >= i64::from(c.count) {
                wait_ms = i64::max(wait_ms, oldest.unwrap_or(now_ms) + c.window_ms - now_ms);
            }
        }
        if wait_ms > 0 {
            return Ok(Some(wait_ms));
        }
        for c in checks {
            sqlx::query("INSERT INTO rate_hits (key, at_ms) VALUES ($1, $2)")
                .bind(c.key)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(None)
    }

    /// Starts an admin session known by `digest` until `expires_s`, dropping expired ones.
    pub async fn start_admin_session(
        &self,
        digest: &str,
        expires_s: i64,
        now_s: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM admin_sessions WHERE expires_s <= $1")
            .bind(now_s)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO admin_sessions (token_digest, expires_s) VALUES ($1, $2)")
            .bind(digest)
            .bind(expires_s)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the admin session `digest` is live at `now_s`.
    pub async fn admin_session_live(&self, digest: &str, now_s: i64) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT expires_s FROM admin_sessions WHERE token_digest = $1 AND expires_s > $2",
        )
        .bind(digest)
        .bind(now_s)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Ends the admin session `digest` (logging out on one node logs out on all).
    pub async fn end_admin_session(&self, digest: &str) -> Result<()> {
        sqlx::query("DELETE FROM admin_sessions WHERE token_digest = $1")
            .bind(digest)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn a_rate_waits_for_its_window_across_handles(store: Store) {
        let rate = |key| RateCheck { key, count: 2, window_ms: 60_000 };
        let t0 = 1_700_000_000_000;
        // Another node: a second handle on the same store sees the same hits.
        let other = store.clone();
        assert_eq!(store.rate_hit(&[rate("a")], t0).await.expect("hit"), None);
        assert_eq!(other.rate_hit(&[rate("a")], t0 + 1_000).await.expect("hit"), None);
        assert_eq!(store.rate_hit(&[rate("a")], t0 + 2_000).await.expect("hit"), Some(58_000));
        // A refused check records nothing for any key.
        assert_eq!(
            store.rate_hit(&[rate("b"), rate("a")], t0 + 2_000).await.expect("h"),
            Some(58_000)
        );
        assert_eq!(store.rate_hit(&[rate("b")], t0 + 2_000).await.expect("hit"), None);
        assert_eq!(store.rate_hit(&[rate("a")], t0 + 60_000).await.expect("hit"), None);
    }

    async fn admin_sessions_live_until_they_expire_or_end(store: Store) {
        store.start_admin_session("d1", 200, 100).await.expect("start");
        store.start_admin_session("d2", 300, 100).await.expect("start");
        assert!(store.admin_session_live("d1", 150).await.expect("live"));
        assert!(!store.admin_session_live("d1", 200).await.expect("live"));
        assert!(!store.admin_session_live("nope", 150).await.expect("live"));
        store.end_admin_session("d2").await.expect("end");
        assert!(!store.admin_session_live("d2", 150).await.expect("live"));
    }

    crate::on_every_backend!(
        a_rate_waits_for_its_window_across_handles,
        admin_sessions_live_until_they_expire_or_end
    );
}
