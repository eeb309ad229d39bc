//! Throwaway stores on every backend, for the test suites of this crate and of the crates above
//! it (the `test-support` feature). PostgreSQL tests never skip: without a server they fail and
//! say how to get one (`scripts/test` starts a throwaway cluster on loopback).

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

use sqlx::{AssertSqlSafe, Connection as _, Executor as _, PgConnection};

use crate::{Backend, Store};

/// Every backend, in the order tests run them.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// Names the PostgreSQL database the tests may create schemas in.
pub const POSTGRES_ENV: &str = "MARKETDESK_TEST_POSTGRES";

/// Chooses the backend the suites of the crates above the store run on (`sqlite`, the default,
/// or `postgres`); `scripts/test` runs them once on each.
pub const BACKEND_ENV: &str = "MARKETDESK_TEST_BACKEND";

/// The backend [`BACKEND_ENV`] names.
///
/// # Panics
/// When it names neither backend.
pub fn backend_under_test() -> Backend {
    match std::env::var(BACKEND_ENV).as_deref() {
        Err(_) | Ok("" | "sqlite") => Backend::Sqlite,
        Ok("postgres") => Backend::Postgres,
        Ok(other) => panic!("{BACKEND_ENV}={other}: expected sqlite or postgres"),
    }
}

/// A fresh store on the backend under test (see [`backend_under_test`]).
pub async fn store_under_test() -> Store {
    fresh_store(backend_under_test()).await
}

/// The test database's URL.
///
/// # Panics
/// When [`POSTGRES_ENV`] is unset: run the tests through `scripts/test`, which starts PostgreSQL.
pub fn postgres_url() -> String {
    std::env::var(POSTGRES_ENV).unwrap_or_else(|_| {
        panic!(
            "{POSTGRES_ENV} is not set: it names the PostgreSQL database the store's tests run on \
             (scripts/test starts a throwaway cluster and sets it)"
        )
    })
}

/// A location (URL) for a fresh, empty schema of its own in the test database: stores opened
/// on it see only each other.
///
/// # Panics
/// When the test database cannot be reached.
pub async fn postgres_location() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = postgres_url();
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let schema =
        format!("test_{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut conn = PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test database {base}: {e}"));
    conn.execute(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await
        .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
    let _ = conn.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

/// A fresh store on `backend`: a private in-memory SQLite database, or a schema of its own in
/// the PostgreSQL test database.
///
/// # Panics
/// When the store cannot be opened.
pub async fn fresh_store(backend: Backend) -> Store {
    let store = match backend {
        Backend::Sqlite => Store::open_in_memory().await,
        Backend::Postgres => Store::open(&postgres_location().await).await,
    };
    store.unwrap_or_else(|e| panic!("cannot open a {backend:?} test store: {e}"))
}

/// Turns `async fn name(store: Store)` test bodies into two tests each, `sqlite::name` and
/// `postgres::name`, every run on a fresh store of its own.
#[macro_export]
macro_rules! on_every_backend {
    (@backend $module:ident, $backend:ident, $($test:ident),+) => {
        mod $module {
            $(
                #[tokio::test]
                async fn $test() {
                    let store =
                        $crate::testing::fresh_store($crate::Backend::$backend).await;
                    super::$test(store).await;
                }
            )+
        }
    };
    ($($test:ident),+ $(,)?) => {
        $crate::on_every_backend!(@backend sqlite, Sqlite, $($test),+);
        $crate::on_every_backend!(@backend postgres, Postgres, $($test),+);
    };
}
