//! Leases: at most one holder per job name at a time, across every process sharing the store.
//! Taking or renewing one is a single statement, so two processes racing for a free lease
//! cannot both win.

use std::time::Duration;

use jiff::Timestamp;

use crate::{Result, Store};

impl Store {
    /// Takes lease `name` for `holder` until `at + ttl` if it is free, expired, or already
    /// `holder`'s (a renewal). Whether `holder` holds it now.
    pub async fn try_lease(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
        at: Timestamp,
    ) -> Result<bool> {
        let expires =
            at.as_second().saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX));
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, expires_s, taken_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
               expires_s = excluded.expires_s, taken_at = excluded.taken_at \
             WHERE leases.holder = excluded.holder OR leases.expires_s <= $5",
        )
        .bind(name)
        .bind(holder)
        .bind(expires)
        .bind(at.to_string())
        .bind(at.as_second())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Runs `work` if `holder` gets lease `name`, renewing the lease every third of `ttl` while
    /// `work` runs and giving it up after; `None` when another holder has it. So a pass of any
    /// length keeps its lease, and one whose process dies frees it within `ttl`. Leases are on
    /// the wall clock, which every process sharing the store reads alike. Should a renewal fail
    /// (the store away for longer than the lease), the pass goes on, said in a warning: the
    /// callers' writes are idempotent.
    pub async fn under_lease<T>(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
        work: impl Future<Output = T>,
    ) -> Result<Option<T>> {
        if !self.try_lease(name, holder, ttl, Timestamp::now()).await? {
            return Ok(None);
        }
        let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + ttl / 3, ttl / 3);
        let mut work = std::pin::pin!(work);
        let out = loop {
            tokio::select! {
                out = &mut work => break out,
                _ = renew.tick() => {
                    match self.try_lease(name, holder, ttl, Timestamp::now()).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(lease = name, "lease lost to another process"),
                        Err(e) => tracing::warn!(lease = name, error = %e, "cannot renew the lease"),
                    }
                }
            }
        };
        self.release_lease(name, holder).await?;
        Ok(Some(out))
    }

    /// Gives lease `name` up, if `holder` has it (so another process need not wait it out).
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).expect("ts")
    }

    #[tokio::test]
    async fn one_holder_at_a_time_across_handles_on_one_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.db");
        let a = Store::open_sqlite(&path).await.expect("a");
        let b = Store::open_sqlite(&path).await.expect("b");
        let ttl = Duration::from_secs(60);
        assert!(a.try_lease("edgar", "A", ttl, at(0)).await.expect("lease"));
        assert!(!b.try_lease("edgar", "B", ttl, at(10)).await.expect("lease"), "held by A");
        assert!(a.try_lease("edgar", "A", ttl, at(50)).await.expect("renew"), "A renews");
        assert!(!b.try_lease("edgar", "B", ttl, at(100)).await.expect("lease"), "renewed to 110");
        assert!(
            b.try_lease("edgar", "B", ttl, at(110)).await.expect("lease"),
            "expired: B takes it"
        );
        assert!(!a.try_lease("edgar", "A", ttl, at(110)).await.expect("lease"), "B's now");
        assert!(
            b.try_lease("feeds", "B", ttl, at(110)).await.expect("lease"),
            "names are separate"
        );
        b.release_lease("edgar", "B").await.expect("release");
        a.release_lease("feeds", "A").await.expect("not A's: nothing happens");
        assert!(a.try_lease("edgar", "A", ttl, at(111)).await.expect("lease"), "released");
        assert!(!a.try_lease("feeds", "A", ttl, at(111)).await.expect("lease"), "still B's");
    }

    #[tokio::test]
    async fn racing_processes_get_one_winner() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.db");
        let mut stores = Vec::new();
        for _ in 0..8 {
            stores.push(Store::open_sqlite(&path).await.expect("store"));
        }
        let mut tasks = Vec::new();
        for (i, s) in stores.into_iter().enumerate() {
            tasks.push(tokio::spawn(async move {
                s.try_lease("digest", &format!("p{i}"), Duration::from_secs(60), at(0))
                    .await
                    .expect("lease")
            }));
        }
        let mut winners = 0;
        for t in tasks {
            winners += usize::from(t.await.expect("task"));
        }
        assert_eq!(winners, 1);
    }

    #[tokio::test]
    async fn a_pass_longer_than_its_lease_keeps_it_by_renewing() {
        let store = Store::open_in_memory().await.expect("store");
        // Leases count whole seconds, so a renewal can add as little as ttl - 1 s: 4 s leaves
        // over a second and a half for a stall under load.
        let ttl = Duration::from_secs(4);
        let (started_tx, started) = tokio::sync::oneshot::channel();
        let long = store.under_lease("job", "a", ttl, async {
            let _ = started_tx.send(());
            tokio::time::sleep(ttl * 2).await;
            "done"
        });
        let rival = async {
            started.await.expect("started");
            let mut taken = Vec::new();
            // Up to and past the end of the lease as first taken.
            for _ in 0..3 {
                tokio::time::sleep(ttl / 2).await;
                taken.push(store.try_lease("job", "b", ttl, Timestamp::now()).await.expect("try"));
            }
            taken
        };
        let (out, taken) = tokio::join!(long, rival);
        assert_eq!(out.expect("lease"), Some("done"));
        assert_eq!(taken, [false; 3], "the rival never got the lease while the pass ran");
        // Given up at the end: the rival gets it at once.
        assert!(store.try_lease("job", "b", ttl, Timestamp::now()).await.expect("try"));
        assert_eq!(store.under_lease("job", "a", ttl, async {}).await.expect("lease"), None);
    }
}
